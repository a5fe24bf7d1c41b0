"""Issue activity quirks: comments made with create_issue_comment are listed per issue and across the repository,
edited (the edit answers nothing, so the comment is read back) and deleted by id; linked branches are a JSON array
set with PUT; the operation log is owner-scoped with `repo` in the query; the history, reactions and the caller's
issues in GitCode's shapes."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import IssueReaction
from tests.conftest import Connect, call, demo, refused, sim

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
ISSUE_1 = {**DEMO, "number": 1}
ISSUE_2 = {**DEMO, "number": 2}
SEEDED_NOTE = 8_300_013


def test_the_activity_tools_are_in_their_toolsets() -> None:
    # Reading comments is an issue basic (default); editing them, links and history are not.
    found = {name: {t.name for t in toolset.tools} for name, toolset in toolsets().items()}
    assert "list_issue_comments" in found["issues"] and toolsets()["issues"].default
    assert {"update_issue_comment", "delete_issue_comment"} <= found["comments"]
    assert {"list_issue_links", "set_issue_branches"} <= found["links"]
    assert "get_issue_activity" in found["history"]
    assert not any(toolsets()[name].default for name in ("comments", "links", "history"))


async def test_a_comment_round_trip_create_list_edit_delete(connect: Connect, sandbox: Sandbox) -> None:
    created = await call(connect, "create_issue_comment", {**ISSUE_2, "body": "Shipped in 1.1."})
    note = created["id"]

    per_issue = await call(connect, "list_issue_comments", ISSUE_2)
    assert per_issue == {
        "page": 1,
        "has_more": False,
        "items": [{"id": note, "author": "alice", "body": "Shipped in 1.1.", "created_at": created["created_at"]}],
    }
    everywhere = await call(connect, "list_issue_comments", DEMO)
    assert [(c["id"], c["issue"]) for c in everywhere["items"]] == [(note, 2), (SEEDED_NOTE, 1)]  # newest first
    assert sandbox.requests[-1].query == {"sort": "created", "direction": "desc", "page": "1", "per_page": "20"}

    sandbox.requests.clear()
    edited = await call(connect, "update_issue_comment", {**DEMO, "comment_id": note, "body": "Shipped in 1.2."})
    patch, read_back = sandbox.requests
    assert (patch.method, patch.path, patch.body) == (
        "PATCH",
        f"repos/alice/demo/issues/comments/{note}",
        {"body": "Shipped in 1.2."},
    )
    assert patch.status == 204 and (read_back.method, read_back.path) == ("GET", patch.path)
    assert edited["id"] == note and edited["issue"] == 2 and "body" not in edited and edited["updated_at"]
    assert [c.body for c in demo(sandbox).issues[2].comments] == ["Shipped in 1.2."]
    assert (await call(connect, "list_issue_comments", ISSUE_2))["items"][0]["body"] == "Shipped in 1.2."
    history = await call(connect, "get_issue_activity", {**ISSUE_2, "comment_id": note})
    assert [(e["by"], e["content"], e.get("first")) for e in history["edits"]] == [
        ("alice", "Shipped in 1.1.", True),
        ("alice", "Shipped in 1.2.", None),
    ]

    sandbox.requests.clear()
    assert await call(connect, "delete_issue_comment", {**DEMO, "comment_id": note}) == {"deleted": note}
    assert [(r.method, r.path, r.status) for r in sandbox.requests] == [
        ("DELETE", f"repos/alice/demo/issues/comments/{note}", 204)
    ]
    assert demo(sandbox).issues[2].comments == []
    assert (await call(connect, "list_issue_comments", ISSUE_2))["items"] == []
    assert [c["id"] for c in (await call(connect, "list_issue_comments", DEMO))["items"]] == [SEEDED_NOTE]
    again = await refused(connect, "delete_issue_comment", {**DEMO, "comment_id": note})
    assert "404" in again and "list_issue_comments shows their ids" in again


async def test_only_the_author_edits_a_comment(connect: Connect, sandbox: Sandbox) -> None:
    args = {**DEMO, "comment_id": SEEDED_NOTE, "body": "mine now"}
    error = await refused(connect, "update_issue_comment", args, token=SecretStr("bob-token"))
    assert "403" in error and "only a comment's author may edit it" in error
    assert demo(sandbox).issues[1].comments[0].body == "Confirmed; fixing it in the feature branch."


async def test_the_repository_owner_may_delete_anothers_comment(connect: Connect, sandbox: Sandbox) -> None:
    created = await call(connect, "create_issue_comment", {**ISSUE_1, "body": "+1"}, token=SecretStr("bob-token"))
    await call(connect, "delete_issue_comment", {**DEMO, "comment_id": created["id"]})
    assert [c.id for c in demo(sandbox).issues[1].comments] == [SEEDED_NOTE]


async def test_an_edit_whose_answer_is_the_comment_is_not_read_back(connect: Connect, sandbox: Sandbox) -> None:
    # Gitee answers the edited comment; should GitCode too, no second request is needed.
    answer = {"id": SEEDED_NOTE, "body": "Edited.", "target": {"issue": {"nubmer": 1}}, "updated_at": "2026-12-01"}
    sandbox.answer("PATCH", r"issues/comments/\d+$", status=200, body=answer)
    edited = await call(connect, "update_issue_comment", {**DEMO, "comment_id": SEEDED_NOTE, "body": "Edited."})
    assert edited == {"id": SEEDED_NOTE, "issue": 1, "updated_at": "2026-12-01"}  # the ref's `nubmer` read too
    assert [r.method for r in sandbox.requests] == ["PATCH"]


async def test_repository_comments_page_with_gitcodes_headers(connect: Connect, sandbox: Sandbox) -> None:
    for n in range(3):
        await call(connect, "create_issue_comment", {**ISSUE_2, "body": f"note {n}"})
    first = await call(connect, "list_issue_comments", {**DEMO, "per_page": 2})
    last = await call(connect, "list_issue_comments", {**DEMO, "per_page": 2, "page": 2})
    assert first["has_more"] is True and last["has_more"] is False
    assert [c["body"] for c in first["items"] + last["items"]] == [
        "note 2",
        "note 1",
        "note 0",
        "Confirmed; fixing it in the feature branch.",
    ]


async def test_linked_branches_are_set_with_put_then_read(connect: Connect, sandbox: Sandbox) -> None:
    result = await call(connect, "set_issue_branches", {**ISSUE_2, "branches": [" docs ", "feature", "docs"]})
    [put] = sandbox.requests
    assert (put.method, put.path, put.body) == (
        "PUT",
        "repos/alice/demo/issues/2/related_branches",
        {"branch_names": ["docs", "feature"]},  # a JSON array (ref), not a comma string
    )
    assert result == {"number": 2, "branches": ["docs", "feature"]}
    assert demo(sandbox).issues[2].branches == ["docs", "feature"]

    links = await call(connect, "list_issue_links", ISSUE_2)
    assert links == {"pull_requests": [], "branches": ["docs", "feature"]}
    assert [f"{r.method} {r.path}" for r in sandbox.requests[1:]] == [
        "GET repos/alice/demo/issues/2/pull_requests",
        "GET repos/alice/demo/issues/2/related_branches",
    ]

    await call(connect, "set_issue_branches", {**ISSUE_2, "branches": []})
    assert demo(sandbox).issues[2].branches == []


async def test_a_missing_branch_is_refused_and_nothing_changes(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "set_issue_branches", {**ISSUE_1, "branches": ["feature", "gone"]})
    assert "branch gone not found" in error and "each branch must exist" in error
    assert demo(sandbox).issues[1].branches == ["feature"]
    blank = await refused(connect, "set_issue_branches", {**ISSUE_1, "branches": ["  "]})
    assert "Invalid argument `branches`" in blank and len(sandbox.requests) == 1


async def test_linked_pull_requests_in_the_compact_pr_view(connect: Connect) -> None:
    links = await call(connect, "list_issue_links", ISSUE_1)
    assert links["branches"] == ["feature"]
    assert links["pull_requests"] == [
        {
            "number": 1,
            "title": "Type hints and a main()",
            "state": "open",
            "author": "alice",
            "head": "feature",
            "base": "main",
            "updated_at": "2026-11-20T10:00:00+08:00",
            "url": "https://gitcode.com/alice/demo/merge_requests/1",
        }
    ]


async def test_issue_activity_reads_the_owner_scoped_log_with_repo_in_the_query(
    connect: Connect, sandbox: Sandbox
) -> None:
    activity = await call(connect, "get_issue_activity", ISSUE_1)
    log, history, reactions = sandbox.requests
    assert (log.path, log.query) == ("repos/alice/issues/1/operate_logs", {"repo": "demo"})
    assert history.path == "repos/alice/demo/issues/1/modify_history"
    assert reactions.path == "repos/alice/demo/issues/1/user_reactions"
    assert activity["events"] == [
        {
            "action": "add_issue_mr_link",
            "by": "alice",
            "content": "Create issue mr links: **Type hints and a main()** #1",
            "at": "2026-11-20T10:05:00+08:00",
        },
        {
            "action": "milestone",
            "by": "alice",
            "content": "changed milestone to v1.0",
            "at": "2026-11-19T15:30:00+08:00",
        },
    ]
    assert [(e["by"], e.get("first")) for e in activity["edits"]] == [("bob", True), ("bob", None)]
    assert activity["reactions"] == {"like": ["bob"], "eyes": ["alice"]}
    assert "avatar" not in json.dumps(activity) and "object_id" not in json.dumps(activity)


async def test_an_issue_edited_with_update_issue_shows_its_new_version(connect: Connect) -> None:
    before = await call(connect, "get_issue_activity", ISSUE_2)
    assert before == {
        "events": [],
        "edits": [{"by": "alice", "at": "2026-11-18T10:00:00+08:00", "first": True}],  # the body was ""
        "reactions": {},
    }
    await call(connect, "update_issue", {**ISSUE_2, "body": "Print the version and exit."})
    after = await call(connect, "get_issue_activity", ISSUE_2)
    assert [e.get("content") for e in after["edits"]] == [None, "Print the version and exit."]


async def test_reactions_are_tallied_across_every_page(connect: Connect, sandbox: Sandbox) -> None:
    alice, bob = sandbox.world.users["alice"], sandbox.world.users["bob"]
    demo(sandbox).issues[2].reactions = [IssueReaction(str(i), bob if i % 2 else alice, "rocket") for i in range(150)]
    activity = await call(connect, "get_issue_activity", ISSUE_2)
    pages = [r.query for r in sandbox.requests if r.path.endswith("user_reactions")]
    assert pages == [{"page": "1", "per_page": "100"}, {"page": "2", "per_page": "100"}]
    assert list(activity["reactions"]) == ["rocket"] and len(activity["reactions"]["rocket"]) == 150


async def test_my_issues_assigned_created_and_in_an_org(connect: Connect, sandbox: Sandbox) -> None:
    assigned = await call(connect, "list_my_issues", {})
    assert sandbox.requests[-1].query == {"filter": "assigned", "state": "open", "page": "1", "per_page": "20"}
    assert [(i["repo"], i["number"]) for i in assigned["items"]] == [("alice/demo", 1)]
    created = await call(connect, "list_my_issues", {"filter": "created", "state": "closed"})
    assert [(i["repo"], i["number"], i["state"]) for i in created["items"]] == [("alice/demo", 2, "closed")]
    # `all` is not among the reference's states for these lists: the tool does not offer it, the simulator refuses it.
    assert "state" in await refused(connect, "list_my_issues", {"state": "all"})
    assert (await sim(sandbox, "GET", "user/issues", params={"state": "all"})).status_code == 400

    opened = {"owner": "gitcode-mcp", "repo": "handbook", "title": "Write the on-call page", "body": ""}
    await call(connect, "create_issue", {**opened, "assignees": ["alice"]})
    in_org = await call(connect, "list_my_issues", {"org": "gitcode-mcp"})
    assert sandbox.requests[-1].path == "orgs/gitcode-mcp/issues"
    assert [(i["repo"], i["title"]) for i in in_org["items"]] == [("gitcode-mcp/handbook", "Write the on-call page")]
    assert [i["repo"] for i in (await call(connect, "list_my_issues", {}))["items"]] == [
        "gitcode-mcp/handbook",
        "alice/demo",
    ]


async def test_my_issues_need_a_token(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "list_my_issues", {}, token=None)
    assert "401" in error


async def test_a_sparse_user_issue_takes_its_repository_from_its_url(connect: Connect, sandbox: Sandbox) -> None:
    # The ref's /user/issues example carries no `repository`: only html_url says where the issue lives.
    sparse = {
        "id": 490786,
        "html_url": "https://gitcode.com/gitcode-dev/gitcode-TestTask/issues/319",
        "number": "319",
        "state": "open",
        "title": "Allow larger images",
    }
    sandbox.answer("GET", r"^user/issues$", status=200, body=[sparse])
    [item] = (await call(connect, "list_my_issues", {}))["items"]
    assert item == {
        "repo": "gitcode-dev/gitcode-TestTask",
        "number": 319,
        "title": "Allow larger images",
        "state": "open",
        "url": "https://gitcode.com/gitcode-dev/gitcode-TestTask/issues/319",
    }
