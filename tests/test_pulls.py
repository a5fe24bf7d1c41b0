"""Pull request quirks: the live single-PR shape, merge rules and their reasons, the PR files patch object, and
line comments anchored, checked before posting and confirmed after."""

from __future__ import annotations

import json

import httpx2
import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, demo, text

pytestmark = pytest.mark.anyio

PR_1 = {"owner": "alice", "repo": "demo", "number": 1}
PR_2 = {**PR_1, "number": 2}
MODES = pytest.mark.parametrize("mode", ["legacy", "auto"])


async def call(connect: Connect, tool: str, args: dict, **settings) -> dict:
    async with connect(**settings) as client:
        result = await client.call_tool(tool, args)
    assert not result.is_error, text(result)
    return json.loads(text(result))


@MODES
async def test_get_pull_request(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    pr = await call(connect, "get_pull_request", PR_1, mode=mode)
    assert pr["number"] == 1 and pr["state"] == "open" and pr["author"] == "alice"
    assert pr["head"]["ref"] == "feature" and pr["base"]["ref"] == "main" and len(pr["head"]["sha"]) == 40
    assert pr["url"] == "https://gitcode.com/alice/demo/merge_requests/1"
    assert pr["mergeable"] is True and "merge_blockers" not in pr
    assert pr["reviewers"] == ["bob"] and "approved_by" not in pr
    # The single-PR answer carries no counts (live): none are invented.
    assert not {"commits", "additions", "deletions", "changed_files", "comments"} & set(pr)
    assert "api.gitcode.com" not in json.dumps(pr) and "avatar" not in json.dumps(pr)


async def test_a_blocked_pr_says_why_in_gitcodes_words(connect: Connect) -> None:
    pr = await call(connect, "get_pull_request", PR_2)
    assert pr["mergeable"] is False
    assert pr["merge_blockers"] == {
        "resolve_discussion": "There are unresolved discussions, please resolve them before merging."
    }


async def test_mergeable_follows_the_rules_not_the_mergeable_flag(connect: Connect) -> None:
    # bob is a member without MERGE permission: live, `mergeable` stays true and a rule fails with this reason.
    pr = await call(connect, "get_pull_request", PR_1, token=SecretStr("bob-token"))
    assert pr["mergeable"] is False
    assert pr["merge_blockers"] == {
        "merged_by_user": "You are in project members list, but do not have MERGE permission, please check it."
    }


async def test_a_failed_rule_without_a_reason_gets_a_plain_name(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail(
        "GET",
        r"pulls/1$",
        status=200,
        body={
            "number": "1",
            "state": "merged",
            "mergeable": True,
            "mergeable_state": {"state": False, "ci_state_passed": False, "conflict_passed": True, "reason": {}},
            "assignees": [{"login": "bob", "accept": True}, {"login": "carol", "accept": False}],
            "testers": [{"login": "dave", "accept": True}],
            "merged_by": {"login": "alice"},
        },
    )
    pr = await call(connect, "get_pull_request", PR_1)
    assert pr["number"] == 1 and pr["state"] == "merged" and pr["merged_by"] == "alice"
    assert pr["merge_blockers"] == {"ci_state": "CI has not passed"}
    assert pr["reviewers"] == ["bob", "carol"] and pr["approved_by"] == ["bob"]
    assert pr["testers"] == ["dave"] and pr["tested_by"] == ["dave"]


@pytest.mark.parametrize("value", ["opened", "open"])
async def test_opened_reads_as_open(connect: Connect, sandbox: Sandbox, value: str) -> None:
    sandbox.fail("GET", r"pulls/1$", status=200, body={"number": 1, "state": value, "additions": "3"})
    pr = await call(connect, "get_pull_request", PR_1)
    assert pr["state"] == "open" and pr["additions"] == 3


async def test_pull_request_files(connect: Connect, sandbox: Sandbox) -> None:
    files = await call(connect, "list_pull_request_files", PR_1)
    request = sandbox.requests[0]
    assert (request.method, request.path, request.query) == ("GET", "repos/alice/demo/pulls/1/files", {})
    assert files["count"] == 2
    app, util = files["files"]
    assert app["path"] == "src/app.py" and app["status"] == "modified"
    assert (app["additions"], app["deletions"]) == (9, 3) and app["patch"].startswith("@@ -1,5 +1,11 @@")
    assert util["status"] == "added" and "old_path" not in util


async def test_renamed_and_too_large_files_are_reported_as_such(connect: Connect) -> None:
    files = {f["path"]: f for f in (await call(connect, "list_pull_request_files", PR_2))["files"]}
    renamed = files["docs/manual zh.md"]
    assert renamed["status"] == "renamed" and renamed["old_path"] == "docs/guide zh.md"  # status null, flags tell
    big = files["data/big.csv"]
    assert big["too_large"] is True and "patch" not in big and big["additions"] == 30000


async def test_status_from_the_patch_flags_when_status_is_null(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail(
        "GET",
        r"files$",
        status=200,
        body=[
            {
                "filename": "gone.py",
                "status": None,
                "additions": "0",
                "deletions": "4",
                "patch": {
                    "diff": "@@ -1,4 +0,0 @@",
                    "deleted_file": True,
                    "old_path": "gone.py",
                    "new_path": "gone.py",
                },
            },
            {"filename": "new.py", "status": None, "patch": {"diff": "", "new_file": True, "added_lines": 2}},
            {"filename": "x.py", "status": None, "patch": "@@ -1 +1 @@"},
        ],
    )
    files = (await call(connect, "list_pull_request_files", PR_1))["files"]
    assert [(f["path"], f["status"]) for f in files] == [
        ("gone.py", "removed"),
        ("new.py", "added"),
        ("x.py", "modified"),
    ]
    assert files[0]["deletions"] == 4 and files[1]["additions"] == 2 and files[2]["patch"] == "@@ -1 +1 @@"


@MODES
async def test_general_comment(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    comment = await call(connect, "create_pull_request_comment", {**PR_1, "body": "LGTM 👍"}, mode=mode)
    [request] = sandbox.requests
    assert (request.method, request.path, request.body) == (
        "POST",
        "repos/alice/demo/pulls/1/comments",
        {"body": "LGTM 👍"},
    )
    [stored] = demo(sandbox).pulls[1].comments
    assert comment == {"note_id": stored.id, "discussion_id": stored.discussion_id} and not stored.is_diff


async def test_line_comment_is_checked_posted_as_line_new_line_position_and_confirmed(
    connect: Connect, sandbox: Sandbox
) -> None:
    comment = await call(
        connect, "create_pull_request_comment", {**PR_1, "body": "Name this.", "path": "src/app.py", "line": 6}
    )
    pull, contents, post, readback = sandbox.requests
    head = demo(sandbox).head_sha("feature")
    assert (pull.method, pull.path) == ("GET", "repos/alice/demo/pulls/1")
    assert (contents.path, contents.query) == ("repos/alice/demo/contents/src/app.py", {"ref": head})
    assert post.body == {"body": "Name this.", "path": "src/app.py", "line": 6, "new_line": 6, "position": 6}
    assert (readback.method, readback.path) == ("GET", "repos/alice/demo/pulls/1/comments")
    [stored] = demo(sandbox).pulls[1].comments
    assert (stored.path, stored.line, stored.body) == ("src/app.py", 6, "Name this.")
    assert comment == {
        "note_id": stored.id,
        "discussion_id": stored.discussion_id,
        "path": "src/app.py",
        "line": 6,
        "confirmed": True,
    }


async def test_a_comment_gitcode_placed_on_the_timeline_is_not_called_a_line_comment(
    connect: Connect, sandbox: Sandbox
) -> None:
    general = await call(connect, "create_pull_request_comment", {**PR_1, "body": "first"})
    # GitCode answers success but files the comment as a general one (what fewer anchor fields get live).
    sandbox.fail(
        "POST",
        r"comments$",
        status=201,
        body={"id": general["discussion_id"], "note_id": general["note_id"], "body": "first"},
    )
    comment = await call(connect, "create_pull_request_comment", {**PR_1, "body": "x", "path": "src/app.py", "line": 2})
    assert comment["confirmed"] is False and comment["note_id"] == general["note_id"]
    assert comment["warning"] == (
        "GitCode placed it as a general comment, not on src/app.py line 2. It is posted: do not post it again"
    )


async def test_a_comment_not_found_on_readback_is_not_confirmed(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("POST", r"comments$", status=201, body={"id": "f" * 40, "note_id": 1, "body": "x"})
    comment = await call(connect, "create_pull_request_comment", {**PR_1, "body": "x", "path": "src/app.py", "line": 2})
    assert comment["confirmed"] is False and "not found among the PR's comments" in comment["warning"]


async def test_readback_walks_pages_of_comments(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        for i in range(100):
            await client.call_tool("create_pull_request_comment", {**PR_1, "body": f"c{i}"})
        del sandbox.requests[:]
        result = await client.call_tool(
            "create_pull_request_comment", {**PR_1, "body": "x", "path": "src/app.py", "line": 2}
        )
    assert json.loads(text(result))["confirmed"] is True
    assert [r.query.get("page") for r in sandbox.requests if r.method == "GET" and r.path.endswith("comments")] == [
        "1",
        "2",
    ]


@pytest.mark.parametrize(("path", "problem"), [("src", "is a directory"), ("assets/logo.png", "is a binary file")])
async def test_line_comment_on_a_directory_or_binary_is_refused(
    connect: Connect, sandbox: Sandbox, path: str, problem: str
) -> None:
    async with connect() as client:
        result = await client.call_tool("create_pull_request_comment", {**PR_1, "body": "x", "path": path, "line": 1})
    assert result.is_error and problem in text(result)
    assert all(r.method == "GET" for r in sandbox.requests)


async def test_simulator_files_a_comment_with_only_line_on_the_timeline(sandbox: Sandbox) -> None:
    # The live rule the tool's three anchor fields exist for: path with only `line` lands as a general comment.
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=sandbox.app), base_url="http://sandbox/api/v5/"
    ) as http:
        answer = await http.post(
            "repos/alice/demo/pulls/1/comments",
            json={"body": "x", "path": "src/app.py", "line": 2},
            headers={"Authorization": "Bearer sandbox-token"},
        )
    assert answer.status_code == 201 and set(answer.json()) == {"id", "note_id", "body"}
    [stored] = demo(sandbox).pulls[1].comments
    assert not stored.is_diff
