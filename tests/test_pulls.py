"""Pull request quirks: the live single-PR shape, merge rules and their reasons, the PR files patch object, and
line comments anchored, checked before posting and confirmed after."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import TOKEN, Connect, call, demo, refused, sent, server_on, sim

pytestmark = pytest.mark.anyio

PR_1 = {"owner": "alice", "repo": "demo", "number": 1}
PR_2 = {**PR_1, "number": 2}
MODES = pytest.mark.parametrize("mode", ["legacy", "auto"])


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
    sandbox.answer(
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
    sandbox.answer("GET", r"pulls/1$", status=200, body={"number": 1, "state": value, "additions": "3"})
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
    sandbox.answer(
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
    sandbox.answer(
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
    sandbox.answer("POST", r"comments$", status=201, body={"id": "f" * 40, "note_id": 1, "body": "x"})
    comment = await call(connect, "create_pull_request_comment", {**PR_1, "body": "x", "path": "src/app.py", "line": 2})
    assert comment["confirmed"] is False and "not found among the PR's comments" in comment["warning"]


async def test_readback_walks_pages_of_comments(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        for i in range(100):
            await call(client, "create_pull_request_comment", {**PR_1, "body": f"c{i}"})
        del sandbox.requests[:]
        comment = await call(
            client, "create_pull_request_comment", {**PR_1, "body": "x", "path": "src/app.py", "line": 2}
        )
    assert comment["confirmed"] is True
    assert [r.query.get("page") for r in sandbox.requests if r.method == "GET" and r.path.endswith("comments")] == [
        "1",
        "2",
    ]


@pytest.mark.parametrize(("path", "problem"), [("src", "is a directory"), ("assets/logo.png", "is a binary file")])
async def test_line_comment_on_a_directory_or_binary_is_refused(
    connect: Connect, sandbox: Sandbox, path: str, problem: str
) -> None:
    assert problem in await refused(
        connect, "create_pull_request_comment", {**PR_1, "body": "x", "path": path, "line": 1}
    )
    assert all(r.method == "GET" for r in sandbox.requests)


async def test_simulator_files_a_comment_with_only_line_on_the_timeline(sandbox: Sandbox) -> None:
    # The live rule the tool's three anchor fields exist for: path with only `line` lands as a general comment.
    answer = await sim(
        sandbox,
        "POST",
        "repos/alice/demo/pulls/1/comments",
        token=None,
        json={"body": "x", "path": "src/app.py", "line": 2},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert answer.status_code == 201 and set(answer.json()) == {"id", "note_id", "body"}
    [stored] = demo(sandbox).pulls[1].comments
    assert not stored.is_diff


# --- lists, create, update, commits and comments -------------------------------------------------------------

DEMO = {"owner": "alice", "repo": "demo"}
FORK_PR = {**DEMO, "title": "Fix the README", "head": "bob:fix-readme", "base": "main"}


async def test_list_pull_requests_is_compact_and_open_by_default(connect: Connect, sandbox: Sandbox) -> None:
    listed = await call(connect, "list_pull_requests", DEMO)
    [request] = sandbox.requests
    assert request.query == {"state": "open", "page": "1", "per_page": "20"}
    assert listed["page"] == 1 and listed["has_more"] is False
    first, second = listed["items"]  # newest first
    assert (first["number"], second["number"]) == (2, 1)
    # List items carry added_lines / removed_lines (live); `notes` counts system events too and is left out.
    assert (second["additions"], second["deletions"]) == (11, 3)
    assert second == {
        "number": 1,
        "title": "Type hints and a main()",
        "state": "open",
        "author": "alice",
        "head": "feature",
        "base": "main",
        "additions": 11,
        "deletions": 3,
        "updated_at": "2026-11-20T10:00:00+08:00",
        "url": "https://gitcode.com/alice/demo/merge_requests/1",
    }


@pytest.mark.parametrize(
    ("sort", "direction", "order_by", "sent_direction"),
    [
        ("updated", "asc", "updated_at", "asc"),
        ("created", None, "created_at", "desc"),
        (None, "asc", "created_at", "asc"),
    ],
)
async def test_pull_request_lists_sort_by_order_by_and_direction_never_sort(
    connect: Connect, sandbox: Sandbox, sort: str | None, direction: str | None, order_by: str, sent_direction: str
) -> None:
    await call(connect, "list_pull_requests", {**DEMO, "sort": sort, "direction": direction})
    [request] = sandbox.requests
    assert "sort" not in request.query
    assert (request.query["order_by"], request.query["direction"]) == (order_by, sent_direction)


async def test_pull_request_list_order_follows_direction(connect: Connect, sandbox: Sandbox) -> None:
    demo(sandbox).pulls[1].updated_at = "2026-11-25T10:00:00+08:00"  # PR 1 was touched last
    newest = await call(connect, "list_pull_requests", {**DEMO, "sort": "updated"})
    oldest = await call(connect, "list_pull_requests", {**DEMO, "sort": "updated", "direction": "asc"})
    assert [p["number"] for p in newest["items"]] == [1, 2]
    assert [p["number"] for p in oldest["items"]] == [2, 1]


async def test_simulator_refuses_sort_on_pull_request_lists_as_gitcode_does(sandbox: Sandbox) -> None:
    answer = await sim(sandbox, "GET", "repos/alice/demo/pulls", params={"sort": "desc"})
    assert answer.status_code == 400 and "direction" in answer.json()["error_message"]


async def test_list_pull_requests_filters_and_pages(connect: Connect, sandbox: Sandbox) -> None:
    demo(sandbox).pulls[1].state = "merged"
    merged = await call(connect, "list_pull_requests", {**DEMO, "state": "merged", "base": "main", "author": "alice"})
    assert sandbox.requests[0].query == {
        "state": "merged",
        "base": "main",
        "author": "alice",
        "page": "1",
        "per_page": "20",
    }
    assert [(p["number"], p["state"]) for p in merged["items"]] == [(1, "merged")]
    paged = await call(connect, "list_pull_requests", {**DEMO, "state": "all", "per_page": 1})
    assert paged["has_more"] is True and len(paged["items"]) == 1
    last = await call(connect, "list_pull_requests", {**DEMO, "state": "all", "per_page": 1, "page": 2})
    assert last["has_more"] is False and last["page"] == 2


async def test_a_fork_pull_request_sends_owner_repo_branch(connect: Connect, sandbox: Sandbox) -> None:
    created = await call(connect, "create_pull_request", FORK_PR)
    [request] = sandbox.requests
    assert (request.method, request.path) == ("POST", "repos/alice/demo/pulls")
    # cli #495 (live): GitCode resolves owner/repo:branch; no fork_path (cli #259: it resolves the upstream's branch).
    assert request.body == {"title": "Fix the README", "head": "bob/demo:fix-readme", "base": "main"}
    assert created["number"] == 3 and created["state"] == "open"
    assert created["head"]["repo"] == "bob/demo" and created["head"]["ref"] == "fix-readme"
    assert created["head"]["sha"] == sandbox.world.repos["bob/demo"].head_sha("fix-readme")
    assert created["url"] == "https://gitcode.com/alice/demo/merge_requests/3"
    stored = demo(sandbox).pulls[3]
    assert stored.head_repo is sandbox.world.repos["bob/demo"] and stored.head == "fix-readme"
    # Listed with its head as create_pull_request takes it.
    listed = await call(connect, "list_pull_requests", DEMO)
    assert listed["items"][0]["head"] == "bob:fix-readme" and listed["items"][0]["number"] == 3


async def test_a_created_pull_request_can_be_read_listed_updated_and_its_changes_listed(
    connect: Connect, sandbox: Sandbox
) -> None:
    async with connect() as client:
        args = {
            **DEMO,
            "title": "Docs on the feature",
            "head": "docs",
            "base": "feature",
            "body": "Rebases the docs.",
            "draft": True,
        }
        created = await call(client, "create_pull_request", args)
        assert sandbox.requests[-1].body == {
            "title": "Docs on the feature",
            "head": "docs",
            "base": "feature",
            "body": "Rebases the docs.",
            "draft": True,
        }
        number = created["number"]
        pr = {**DEMO, "number": number}
        read = await call(client, "get_pull_request", pr)
        assert read["draft"] is True
        assert read["merge_blockers"] == {"work_in_progress": "This pull request is a draft and cannot be merged."}
        files = await call(client, "list_pull_request_files", pr)
        assert files["count"] > 0
        commits = await call(client, "list_pull_request_commits", pr)
        assert commits["items"][-1]["sha"] == read["head"]["sha"]
        updated = await call(client, "update_pull_request", {**pr, "title": "Docs, rebased", "draft": False})
        assert sandbox.requests[-1].body == {"title": "Docs, rebased", "draft": False}
        assert updated["number"] == number and updated["title"] == "Docs, rebased"
        listed = await call(client, "list_pull_requests", {**DEMO, "base": "feature"})
        assert [(p["number"], p["title"], p.get("draft")) for p in listed["items"]] == [(number, "Docs, rebased", None)]
        comments = await call(client, "list_pull_request_comments", pr)
        assert comments["items"] == []


async def test_own_user_branch_is_a_plain_branch_and_a_bad_head_is_refused(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "create_pull_request", {**DEMO, "title": "t", "head": "alice:docs", "base": "feature"})
    assert sandbox.requests[0].body == {"title": "t", "head": "docs", "base": "feature"}
    async with connect() as client:
        for head in ("not a user:x", "bob:", "bob: "):
            error = await refused(client, "create_pull_request", {**DEMO, "title": "t", "head": head, "base": "main"})
            assert "Invalid argument `head`" in error, head
    assert len(sandbox.requests) == 1


async def test_a_second_pull_request_for_the_same_branches_is_refused_with_a_hint(
    connect: Connect, sandbox: Sandbox
) -> None:
    error = await refused(connect, "create_pull_request", {**DEMO, "title": "again", "head": "feature", "base": "main"})
    assert "409" in error and "!1" in error and "list_pull_requests" in error


@pytest.mark.parametrize("state", ["closed", "open"])
async def test_pull_request_state_is_written_as_the_state_it_reads_back(
    connect: Connect, sandbox: Sandbox, state: str
) -> None:
    """cli `pr close` / `pr reopen` (run live): PATCH with `state` closed / open and the current title, then read
    the PR back to confirm."""
    if state == "open":
        demo(sandbox).pulls[1].state = "closed"
    updated = await call(connect, "update_pull_request", {**PR_1, "state": state})
    assert sent(sandbox) == [
        "GET repos/alice/demo/pulls/1",
        "PATCH repos/alice/demo/pulls/1",
        "GET repos/alice/demo/pulls/1",
    ]
    assert sandbox.requests[1].body == {"title": "Type hints and a main()", "state": state}
    assert demo(sandbox).pulls[1].state == state
    assert updated == {
        "number": 1,
        "title": "Type hints and a main()",
        "state": state,
        "updated_at": demo(sandbox).pulls[1].updated_at,
    }


@pytest.mark.parametrize("transition", ["close", "reopen"])
async def test_simulator_refuses_the_issue_transitions_as_a_pull_request_state(
    sandbox: Sandbox, transition: str
) -> None:
    answer = await sim(sandbox, "PATCH", "repos/alice/demo/pulls/1", json={"state": transition})
    assert answer.status_code == 400 and answer.json()["error_message"] == "state must be one of [open, closed]"


async def test_an_update_that_did_not_take_says_so(connect: Connect, sandbox: Sandbox) -> None:
    # The documented update answer is sparse (ref); the PR read back afterwards is what tells the state.
    body = {"title": "t", "body": "", "state": "opened", "created_at": "x", "updated_at": "y"}
    sandbox.answer("PATCH", r"pulls/1$", status=200, body=body)
    updated = await call(connect, "update_pull_request", {**PR_1, "title": "t", "state": "closed"})
    assert sent(sandbox)[-1] == "GET repos/alice/demo/pulls/1"
    assert updated["state"] == "open"
    assert updated["warning"] == "asked for closed, GitCode reports open: the change did not take"


async def test_an_empty_label_list_clears_with_a_lone_comma(connect: Connect, sandbox: Sandbox) -> None:
    """cli: GitCode refuses `labels=` as missing and reads `labels=","` as the empty list."""
    updated = await call(connect, "update_pull_request", {**PR_2, "labels": []})
    assert sandbox.requests[-1].body == {"labels": ","}
    assert demo(sandbox).pulls[2].labels == [] and "labels" not in updated
    empty = await sim(sandbox, "PATCH", "repos/alice/demo/pulls/2", json={"labels": ""})
    assert empty.status_code == 400 and "labels" in empty.json()["error_message"]


async def test_an_update_with_nothing_to_change_only_reads(connect: Connect, sandbox: Sandbox) -> None:
    result = await call(connect, "update_pull_request", {**PR_1, "title": None, "labels": None})
    assert [r.method for r in sandbox.requests] == ["GET"]
    assert result["number"] == 1 and result["state"] == "open" and "nothing to change" in result["note"]


async def test_pull_request_commits_page_and_end_at_the_head(connect: Connect, sandbox: Sandbox) -> None:
    first = await call(connect, "list_pull_request_commits", {**PR_1, "per_page": 1})
    second = await call(connect, "list_pull_request_commits", {**PR_1, "per_page": 1, "page": 2})
    assert first["has_more"] is True and second["has_more"] is False
    assert second["items"][0]["sha"] == demo(sandbox).head_sha("feature")
    assert first["items"][0] == {
        "sha": first["items"][0]["sha"],
        "message": "Update src/app.py",
        "parents": [demo(sandbox).head_sha("main")],
        "author": {"name": "Alice", "email": "alice@example.com", "login": "alice"},
        "date": "2026-11-20T10:00:00+08:00",
    }


async def test_comments_nest_replies_and_tell_diff_from_general(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "create_pull_request_comment", {**PR_2, "body": "Thanks!"})
    listed = await call(connect, "list_pull_request_comments", PR_2)
    root, general = listed["items"]
    seeded = demo(sandbox).pulls[2].comments[0]
    assert root == {
        "id": seeded.id,
        "discussion_id": seeded.discussion_id,
        "type": "diff_comment",
        "path": "data/big.csv",
        "line": 1,
        "resolved": False,
        "author": "bob",
        "body": "Is this file needed?",
        "created_at": "2026-11-21T11:00:00+08:00",
        "replies": [
            {
                "id": 8300002,
                "author": "alice",
                "body": "Yes: the docs use it.",
                "created_at": "2026-11-21T11:30:00+08:00",
            }
        ],
    }
    assert general["type"] == "pr_comment" and general["body"] == "Thanks!"
    assert not {"path", "line", "resolved", "replies"} & set(general)


async def test_comments_in_the_reference_shape_read_the_same(connect: Connect, sandbox: Sandbox) -> None:
    # ref: the anchor as diff_file + diff_position; no comment_type on older answers; replies in `reply`.
    sandbox.answer(
        "GET",
        r"comments$",
        status=200,
        body=[
            {
                "id": "11",
                "discussion_id": "d" * 40,
                "body": "why?",
                "user": {"login": "bob"},
                "diff_file": "src/app.py",
                "diff_position": {"start_new_line": 4, "end_new_line": 4, "start_old_line": None},
                "resolved": True,
                "reply": [{"id": 12, "body": "because", "user": {"login": "alice"}}],
            },
            {"id": 13, "body": "ok", "user": {"login": "bob"}, "comment_type": "pr_comment", "resolved": False},
        ],
    )
    items = (await call(connect, "list_pull_request_comments", PR_1))["items"]
    assert items[0] == {
        "id": 11,
        "discussion_id": "d" * 40,
        "type": "diff_comment",
        "path": "src/app.py",
        "line": 4,
        "resolved": True,
        "author": "bob",
        "body": "why?",
        "replies": [{"id": 12, "author": "alice", "body": "because"}],
    }
    assert items[1] == {"id": 13, "type": "pr_comment", "author": "bob", "body": "ok"}


async def test_a_line_comment_on_a_fork_pull_request_is_checked_in_the_fork(connect: Connect, sandbox: Sandbox) -> None:
    created = await call(connect, "create_pull_request", FORK_PR)
    del sandbox.requests[:]
    comment = await call(
        connect,
        "create_pull_request_comment",
        {**DEMO, "number": created["number"], "body": "Nice.", "path": "README.md", "line": 3},
    )
    contents = sandbox.requests[1]
    assert contents.path == "repos/bob/demo/contents/README.md"
    assert contents.query == {"ref": sandbox.world.repos["bob/demo"].head_sha("fix-readme")}
    assert comment["confirmed"] is True


async def test_pull_requests_are_found_by_their_description(connect: Connect, sandbox: Sandbox) -> None:
    found = await call(connect, "list_pull_requests", {**DEMO, "text": "ENTRY POINT"})
    assert [p["number"] for p in found["items"]] == [1]
    assert found["items"][0]["excerpt"] == "Adds type hints to greet and a main entry point."
    bodies = await call(connect, "list_pull_requests", {**DEMO, "bodies": True})
    assert [p.get("body") for p in bodies["items"]] == [None, "Adds type hints to greet and a main entry point."]


async def test_a_listed_pull_request_says_it_cannot_merge_only_when_gitcode_says_so(
    connect: Connect, sandbox: Sandbox
) -> None:
    # Live list items carry `mergeable: true` even for a PR its merge rules block (cann/ge!1647): nothing is claimed.
    listed = await call(connect, "list_pull_requests", DEMO)
    assert all("mergeable" not in p for p in listed["items"])
    blocked = {"mergeable": False, "mergeable_state": {"state": False, "conflict_passed": False}}
    from gitcode_mcp.tools.pulls.views import PR_ITEM

    assert PR_ITEM({"number": 3, **blocked}) == {
        "number": 3,
        "mergeable": False,
        "merge_blockers": {"conflict": "it has merge conflicts"},
    }
    assert PR_ITEM({"number": 4, "mergeable": False}) == {"number": 4, "mergeable": False}


async def test_a_pull_request_is_opened_with_labels_and_reviewers(connect: Connect, sandbox: Sandbox) -> None:
    args = {**DEMO, "title": "Docs", "head": "docs", "base": "feature", "labels": ["bug"], "reviewers": ["bob"]}
    made = await call(connect, "create_pull_request", args)
    [request] = sandbox.requests
    assert request.body["labels"] == "bug" and request.body["assignees"] == "bob"  # ref: comma strings
    assert made["labels"] == ["bug"] and made["reviewers"] == ["bob"] and "warning" not in made
    assert demo(sandbox).pulls[made["number"]].reviewers == {"bob": False}
    other = {**args, "head": "feature", "base": "docs", "labels": ["docs"]}
    missing = await refused(connect, "create_pull_request", other)
    assert "GitCode 422" in missing and "create_labels=true" in missing
    made = await call(connect, "create_pull_request", {**other, "create_labels": True})
    assert made["labels"] == ["docs"] and made["created_labels"] == ["docs"] and "docs" in demo(sandbox).labels


async def test_reviewers_the_repository_chooses_itself_are_said_to_win(connect: Connect, sandbox: Sandbox) -> None:
    # ref: the reviewers given at creation are ignored where the repository's review settings assign them.
    demo(sandbox).settings["reviewer"] = {"assignees": "alice"}
    made = await call(
        connect, "create_pull_request", {**DEMO, "title": "t", "head": "docs", "base": "feature", "reviewers": ["bob"]}
    )
    assert made["reviewers"] == ["alice"] and "did not make bob reviewers" in made["warning"]


async def test_a_conflict_blocks_the_merge_with_its_rule(connect: Connect) -> None:
    kettle = Sandbox(kettle=True)
    where = {"owner": "alice", "repo": "kettle", "number": 4}
    async with server_on(kettle) as client:
        pr = await call(client, "get_pull_request", where)
        assert pr["mergeable"] is False and pr["merge_blockers"] == {
            "conflict": "There are merge conflicts, please resolve them before merging."
        }
        refusal = await refused(client, "merge_pull_request", where)
        assert "nothing was sent" in refusal and "conflict" in refusal
        # PR 3 touches other lines: it merges, keeping main's changes.
        merged = await call(client, "merge_pull_request", {**where, "number": 3})
    repo = kettle.world.repo("alice", "kettle")
    assert repo is not None and merged["merged"] is True
    assert (
        "docs/limits.md" in repo.branches["main"] and b"raise ValueError" in repo.branches["main"]["kettle/client.py"]
    )


async def test_the_simulator_resolves_a_fork_branch_only_as_owner_repo_branch(sandbox: Sandbox) -> None:
    args = {"title": "t", "base": "main"}
    owner_only = await sim(sandbox, "POST", "repos/alice/demo/pulls", json={**args, "head": "bob:fix-readme"})
    assert owner_only.status_code == 400 and "bob:fix-readme does not exist" in owner_only.json()["error_message"]
    by_fork_path = {**args, "head": "fix-readme", "fork_path": "bob/demo"}
    assert (await sim(sandbox, "POST", "repos/alice/demo/pulls", json=by_fork_path)).status_code == 403
    made = await sim(sandbox, "POST", "repos/alice/demo/pulls", json={**args, "head": "bob/demo:fix-readme"})
    assert made.status_code == 201 and made.json()["head"]["repo"]["full_name"] == "bob/demo"


async def test_a_fork_named_otherwise_is_given_as_user_fork_branch(connect: Connect, sandbox: Sandbox) -> None:
    fork = sandbox.world.repos.pop("bob/demo")
    fork.name = "demo-fork"
    sandbox.world.repos["bob/demo-fork"] = fork
    await call(connect, "create_pull_request", {**FORK_PR, "head": "bob/demo-fork:fix-readme"})
    assert sandbox.requests[-1].body["head"] == "bob/demo-fork:fix-readme"
    own = await call(connect, "create_pull_request", {**FORK_PR, "head": "alice:docs", "base": "feature"})
    assert sandbox.requests[-1].body["head"] == "docs" and own["head"]["ref"] == "docs"
