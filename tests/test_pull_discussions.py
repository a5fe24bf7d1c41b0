"""Pull requests, continued: replies nest in their discussion, resolving one lifts PR 2's merge blocker, issues are
linked with a raw JSON array, comments are read, edited and deleted by id, their versions and reactions are read,
the diff carries line numbers, and pull requests are listed across repositories."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, call, demo, refused, sim

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
PR_1 = {**DEMO, "number": 1}
PR_2 = {**DEMO, "number": 2}
ROOT, REPLY = 8_458_004, 8_300_002  # the seeded discussion of PR 2: bob's diff comment and alice's reply
DISCUSSION_ID = "8089f4a68d822d24e1926501bed9accfac4a189b"
THREAD = {**PR_2, "discussion_id": DISCUSSION_ID}


# -- review discussions -------------------------------------------------------------------------------------------


async def test_a_reply_lands_nested_in_its_discussion(connect: Connect, sandbox: Sandbox) -> None:
    answer = await call(connect, "reply_or_resolve_pull_request_discussion", {**THREAD, "body": "Dropped it."})
    [post] = sandbox.requests
    assert (post.method, post.path, post.body, post.status) == (
        "POST",
        f"repos/alice/demo/pulls/2/discussions/{DISCUSSION_ID}/comments",
        {"body": "Dropped it."},
        201,
    )
    new = demo(sandbox).pulls[2].comments[0].replies[-1]
    assert answer == {"discussion_id": DISCUSSION_ID, "note_id": new.id}
    [root] = (await call(connect, "list_pull_request_comments", PR_2))["items"]
    assert root["id"] == ROOT and [r["body"] for r in root["replies"]] == ["Yes: the docs use it.", "Dropped it."]
    assert root["replies"][-1] == {
        "id": new.id,
        "author": "alice",
        "body": "Dropped it.",
        "created_at": new.created_at,
    }
    assert root["resolved"] is False  # replying does not resolve


async def test_resolving_the_discussion_lifts_pr_2s_merge_blocker(connect: Connect, sandbox: Sandbox) -> None:
    before = await call(connect, "get_pull_request", PR_2)
    assert before["mergeable"] is False and set(before["merge_blockers"]) == {"resolve_discussion"}
    done = await call(connect, "reply_or_resolve_pull_request_discussion", {**THREAD, "resolved": True})
    assert done == {"discussion_id": DISCUSSION_ID, "resolved": True}
    put = sandbox.requests[-1]
    assert (put.method, put.path, put.body) == (
        "PUT",
        f"repos/alice/demo/pulls/2/comments/{DISCUSSION_ID}",
        {"resolved": True},
    )
    after = await call(connect, "get_pull_request", PR_2)
    assert after["mergeable"] is True and "merge_blockers" not in after
    assert (await call(connect, "list_pull_request_comments", PR_2))["items"][0]["resolved"] is True
    logged = (await call(connect, "list_pull_request_operation_logs", PR_2))["items"]
    assert [(e["action"], e["author"]) for e in logged] == [("resolve_discussion", "alice")]

    await call(connect, "reply_or_resolve_pull_request_discussion", {**THREAD, "resolved": False})
    assert sandbox.requests[-1].body == {"resolved": False}
    assert set((await call(connect, "get_pull_request", PR_2))["merge_blockers"]) == {"resolve_discussion"}


async def test_reply_and_resolve_in_one_call(connect: Connect, sandbox: Sandbox) -> None:
    done = await call(
        connect, "reply_or_resolve_pull_request_discussion", {**THREAD, "body": "Done.", "resolved": True}
    )
    assert [(r.method, r.body) for r in sandbox.requests] == [("POST", {"body": "Done."}), ("PUT", {"resolved": True})]
    root = demo(sandbox).pulls[2].comments[0]
    assert root.resolved and done == {"discussion_id": DISCUSSION_ID, "note_id": root.replies[-1].id, "resolved": True}


async def test_a_reply_posted_before_resolving_failed_is_reported_as_posted(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("PUT", DISCUSSION_ID + "$", status=403, body={"error_code": 403, "error_message": "Forbidden"})
    done = await call(
        connect, "reply_or_resolve_pull_request_discussion", {**THREAD, "body": "Done.", "resolved": True}
    )
    root = demo(sandbox).pulls[2].comments[0]
    assert done["note_id"] == root.replies[-1].id and not root.resolved
    assert done["warning"].startswith("the reply is posted; resolving failed: GitCode 403 Forbidden")


async def test_nothing_asked_does_nothing(connect: Connect, sandbox: Sandbox) -> None:
    done = await call(connect, "reply_or_resolve_pull_request_discussion", THREAD)
    assert sandbox.requests == [] and "nothing was done" in done["note"]


async def test_a_comment_number_is_not_taken_for_a_discussion_id(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(
        connect, "reply_or_resolve_pull_request_discussion", {**PR_2, "discussion_id": str(ROOT), "resolved": True}
    )
    assert "`discussion_id`" in message and "40-hex" in message and sandbox.requests == []


async def test_an_unknown_discussion_is_a_404_with_a_hint(connect: Connect) -> None:
    message = await refused(
        connect, "reply_or_resolve_pull_request_discussion", {**PR_2, "discussion_id": "f" * 40, "body": "x"}
    )
    assert "404" in message and "no such discussion" in message


async def test_a_reply_answered_in_the_reference_shape_gives_the_note_id(connect: Connect, sandbox: Sandbox) -> None:
    # ref: 200 {id, body, noteId} (probe: 201 with note_id).
    sandbox.answer("POST", r"/comments$", status=200, body={"id": DISCUSSION_ID, "noteId": 77, "body": "x"})
    done = await call(connect, "reply_or_resolve_pull_request_discussion", {**THREAD, "body": "x"})
    assert done == {"discussion_id": DISCUSSION_ID, "note_id": 77}


async def test_simulator_resolves_only_with_a_resolved_flag_and_for_participants(sandbox: Sandbox) -> None:
    path = f"repos/alice/demo/pulls/2/comments/{DISCUSSION_ID}"
    answer = await sim(sandbox, "PUT", path, json={})
    assert answer.status_code == 400 and answer.json()["error_code_name"] == "PARAMETER_ERROR"
    assert (await sim(sandbox, "PUT", path, json={"resolved": "yes"})).status_code == 400
    assert (await sim(sandbox, "PUT", path, json={"resolved": True})).status_code == 200
    assert demo(sandbox).pulls[2].comments[0].resolved is True


# -- linked issues ------------------------------------------------------------------------------------------------


async def test_issues_are_linked_with_a_raw_array_and_unlinked(connect: Connect, sandbox: Sandbox) -> None:
    linked = await call(connect, "link_pull_request_issues", {**PR_2, "issues": [2, 1, 2]})
    [post] = sandbox.requests
    assert (post.method, post.path, post.body) == ("POST", "repos/alice/demo/pulls/2/issues", [2, 1])
    assert linked == {
        "linked": [
            {
                "number": 2,
                "title": "Add a --version flag",
                "state": "closed",
                "url": "https://gitcode.com/alice/demo/issues/2",
            },
            {
                "number": 1,
                "title": "Crash when the name is empty",
                "state": "open",
                "url": "https://gitcode.com/alice/demo/issues/1",
            },
        ]
    }
    # probe: linking again is harmless
    assert await call(connect, "link_pull_request_issues", {**PR_2, "issues": [1]}) == linked
    assert await call(connect, "list_pull_request_issues", PR_2) == linked

    del sandbox.requests[:]
    left = await call(connect, "link_pull_request_issues", {**PR_2, "issues": [2], "action": "unlink"})
    delete, read = sandbox.requests
    assert (delete.method, delete.path, delete.body) == ("DELETE", "repos/alice/demo/pulls/2/issues", [2])
    assert (read.method, read.path) == ("GET", "repos/alice/demo/pulls/2/issues")
    assert [i["number"] for i in left["linked"]] == [1] and demo(sandbox).pulls[2].linked_issues == [1]
    logged = (await call(connect, "list_pull_request_operation_logs", PR_2))["items"]
    assert [e["action"] for e in logged] == ["delete_mr_issue_link", "add_mr_issue_link", "add_mr_issue_link"]
    assert logged[0]["content"] == "Delete mr issue link: **Add a --version flag** #2"


async def test_linking_an_issue_that_does_not_exist_fails_with_a_hint(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "link_pull_request_issues", {**PR_2, "issues": [99]})
    assert "404" in message and "numbers, as in #12" in message
    assert demo(sandbox).pulls[2].linked_issues == []


async def test_simulator_refuses_an_object_for_the_issue_array(sandbox: Sandbox) -> None:
    answer = await sim(sandbox, "POST", "repos/alice/demo/pulls/2/issues", json={"issue_numbers": [1]})
    assert answer.status_code == 400 and "JSON array" in answer.json()["error_message"]


async def test_no_issues_is_refused_before_any_request(connect: Connect, sandbox: Sandbox) -> None:
    assert "`issues`" in await refused(connect, "link_pull_request_issues", {**PR_2, "issues": []})
    assert sandbox.requests == []


# -- one comment by id: read, edit, delete; its versions and reactions ------------------------------------------


async def test_a_diff_comment_read_by_id_has_its_anchor(connect: Connect, sandbox: Sandbox) -> None:
    comment = await call(connect, "get_pull_request_comment", {**DEMO, "comment_id": ROOT})
    assert sandbox.requests[0].path == f"repos/alice/demo/pulls/comments/{ROOT}"
    assert comment == {
        "id": ROOT,
        "discussion_id": DISCUSSION_ID,
        "path": "data/big.csv",
        "line": 1,
        "author": "bob",
        "body": "Is this file needed?",
        "created_at": "2026-11-21T11:00:00+08:00",
        "updated_at": "2026-11-21T11:05:00+08:00",
    }


async def test_comment_edit_and_delete_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    where = {**DEMO, "comment_id": REPLY}
    assert (await call(connect, "get_pull_request_comment", where))["body"] == "Yes: the docs use it."
    edited = await call(connect, "edit_pull_request_comment", {**where, "body": "Yes: the manual links to it."})
    patch = sandbox.requests[-1]
    assert (patch.method, patch.path, patch.body, patch.status) == (
        "PATCH",
        f"repos/alice/demo/pulls/comments/{REPLY}",
        {"body": "Yes: the manual links to it."},
        204,
    )
    assert edited == {"id": REPLY, "edited": True}
    again = await call(connect, "get_pull_request_comment", where)
    assert again["body"] == "Yes: the manual links to it." and again["updated_at"] != again["created_at"]
    versions = (await call(connect, "get_pull_request_edit_history", {**PR_2, "comment_id": REPLY}))["versions"]
    assert [(v["content"], v.get("created")) for v in versions] == [
        ("Yes: the docs use it.", True),
        ("Yes: the manual links to it.", None),
    ]

    assert await call(connect, "delete_pull_request_comment", where) == {"id": REPLY, "deleted": True}
    delete = sandbox.requests[-1]
    assert (delete.method, delete.path, delete.status) == ("DELETE", f"repos/alice/demo/pulls/comments/{REPLY}", 204)
    assert "404" in await refused(connect, "get_pull_request_comment", where)
    [root] = (await call(connect, "list_pull_request_comments", PR_2))["items"]
    assert "replies" not in root


async def test_only_the_author_edits_a_comment(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "edit_pull_request_comment", {**DEMO, "comment_id": ROOT, "body": "mine now"})
    assert "403" in message and "only a comment's author can edit it" in message
    assert demo(sandbox).pulls[2].comments[0].body == "Is this file needed?"
    # bob, its author, may
    await call(
        connect,
        "edit_pull_request_comment",
        {**DEMO, "comment_id": ROOT, "body": "Needed?"},
        token=SecretStr("bob-token"),
    )
    assert demo(sandbox).pulls[2].comments[0].body == "Needed?"


async def test_deleting_a_discussions_first_comment_keeps_the_discussion(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "delete_pull_request_comment", {**DEMO, "comment_id": ROOT})  # alice owns the repository
    [root] = (await call(connect, "list_pull_request_comments", PR_2))["items"]
    assert (root["id"], root["discussion_id"], root["path"], root["line"]) == (REPLY, DISCUSSION_ID, "data/big.csv", 1)
    # the discussion can still be resolved, and then no longer blocks the merge
    await call(connect, "reply_or_resolve_pull_request_discussion", {**THREAD, "resolved": True})
    assert (await call(connect, "get_pull_request", PR_2))["mergeable"] is True


async def test_edit_history_of_a_pull_request_and_of_a_comment(connect: Connect, sandbox: Sandbox) -> None:
    first = (await call(connect, "get_pull_request_edit_history", PR_1))["versions"]
    assert sandbox.requests[-1].path == "repos/alice/demo/pulls/1/modify_history"
    assert first == [
        {
            "at": "2026-11-20T10:00:00+08:00",
            "by": "alice",
            "created": True,
            "content": "Adds type hints to greet and a main entry point.",
        }
    ]
    await call(connect, "update_pull_request", {**PR_1, "body": "Type hints, and main()."})
    versions = (await call(connect, "get_pull_request_edit_history", PR_1))["versions"]
    assert [v["content"] for v in versions] == [first[0]["content"], "Type hints, and main()."]

    seeded = (await call(connect, "get_pull_request_edit_history", {**PR_2, "comment_id": ROOT}))["versions"]
    assert sandbox.requests[-1].path == f"repos/alice/demo/pulls/comment/{ROOT}/modify_history"
    assert seeded == [
        {"at": "2026-11-21T11:00:00+08:00", "by": "bob", "created": True, "content": "Is this needed?"},
        {"at": "2026-11-21T11:05:00+08:00", "by": "bob", "content": "Is this file needed?"},
    ]


async def test_reactions_on_a_pull_request_and_on_a_comment(connect: Connect, sandbox: Sandbox) -> None:
    assert await call(connect, "list_pull_request_reactions", PR_2) == {"reactions": {"like": ["bob"]}}
    on_comment = await call(connect, "list_pull_request_reactions", {**PR_2, "comment_id": ROOT})
    assert on_comment == {"reactions": {"eyes": ["alice"]}}
    pr, comment = sandbox.requests
    assert (pr.path, pr.query) == ("repos/alice/demo/pulls/2/user_reactions", {"page": "1", "per_page": "100"})
    assert comment.path == f"repos/alice/demo/pulls/comment/{ROOT}/user_reactions"
    assert await call(connect, "list_pull_request_reactions", PR_1) == {"reactions": {}}


async def test_reactions_past_one_page_are_said_to_be_cut(connect: Connect, sandbox: Sandbox) -> None:
    many = [{"id": str(i), "emoji": "👍", "emoji_name": "like", "user": {"login": f"u{i}"}} for i in range(100)]
    sandbox.answer("GET", r"user_reactions$", status=200, body=many, headers={"total_count": "130", "total_page": "2"})
    shown = await call(connect, "list_pull_request_reactions", PR_2)
    assert len(shown["reactions"]["like"]) == 100 and "first 100" in shown["note"]


# -- the diff with line numbers -----------------------------------------------------------------------------------


async def test_the_diff_numbers_lines_as_line_comments_count_them(connect: Connect, sandbox: Sandbox) -> None:
    diff = await call(connect, "get_pull_request_diff", PR_1)
    assert sandbox.requests[0].path == "repos/alice/demo/pulls/1/files.json"
    assert diff["head_sha"] == demo(sandbox).head_sha("feature")
    app, util = diff["files"]
    assert (app["path"], app["additions"], app["deletions"]) == ("src/app.py", 9, 3)
    head = demo(sandbox).branches["feature"]["src/app.py"].decode().splitlines()
    # Every added or context line's number is its line in the head version: what create_pull_request_comment takes.
    for line in app["lines"]:
        if line[0] in "+ ":
            number, _, content = line[1:].partition(" ")
            assert head[int(number) - 1] == content, line
    assert app["lines"][:3] == [
        "-1 def greet(name):",
        "-2     return 'hello ' + name",
        "+1 def greet(name: str) -> str:",
    ]
    assert " 4 " in app["lines"]  # a blank context line, its diff marker gone
    assert util["lines"] == ["+1 def shout(text: str) -> str:", "+2     return text.upper() + '!'"]


async def test_the_diff_of_one_file_a_rename_and_a_too_large_file(connect: Connect) -> None:
    renamed = await call(connect, "get_pull_request_diff", {**PR_2, "path": "docs/guide zh.md"})
    assert renamed["files"] == [
        {"path": "docs/manual zh.md", "old_path": "docs/guide zh.md", "additions": 0, "deletions": 0}
    ]
    big = (await call(connect, "get_pull_request_diff", {**PR_2, "path": "data/big.csv"}))["files"]
    assert big == [{"path": "data/big.csv", "additions": 30000, "deletions": 0, "too_large": True}]
    none = await call(connect, "get_pull_request_diff", {**PR_2, "path": "README.md"})
    assert none["files"] == [] and none["note"] == "the pull request does not change README.md"


async def test_context_lines_without_a_marker_keep_their_indentation(connect: Connect, sandbox: Sandbox) -> None:
    def at(kind: str | None, content: str, old: str, new: str) -> dict:
        line = {"line_content": content, "old_line": {"line_num": old}, "new_line": {"line_num": new}}
        return {**line, "type": kind} if kind else line

    text_lines = [
        at("match", "@@ -10,3 +10,3 @@", "", ""),
        at(None, "    x = 1", "10", "10"),
        at("old", "    y = 2", "11", ""),
        at("new", "    y = 3", "", "11"),
        at(None, "", "12", "12"),
    ]
    body = {
        "diffs": [
            {
                "added_lines": 1,
                "remove_lines": 1,
                "statistic": {"path": "a.py", "new_path": "a.py", "old_path": "a.py"},
                "content": {"text": text_lines},
            }
        ]
    }
    sandbox.answer("GET", r"files\.json$", status=200, body=body)
    [f] = (await call(connect, "get_pull_request_diff", PR_1))["files"]
    assert f["lines"] == ["@@ -10,3 +10,3 @@", " 10     x = 1", "-11     y = 2", "+11     y = 3", " 12 "]


async def test_simulator_diff_lines_follow_the_reference_shape(sandbox: Sandbox) -> None:
    answer = (await sim(sandbox, "GET", "repos/alice/demo/pulls/1/files.json")).json()
    assert (answer["count"], answer["added_lines"], answer["remove_lines"], answer["code"]) == (2, 11, 3, 0)
    first, second, third = answer["diffs"][0]["content"]["text"][:3]
    key = first["old_line"]["line_code"].split("_")[0]
    assert first == {
        "line_content": "def greet(name):",
        "new_line": {"line_code": f"{key}_1_1", "line_num": ""},
        "old_line": {"line_code": f"{key}_1_1", "line_num": "1"},
        "type": "old",
    }
    assert second["type"] == "old" and second["old_line"] == {"line_code": f"{key}_2_1", "line_num": "2"}
    assert third["type"] == "new" and third["new_line"] == {"line_code": f"{key}_3_1", "line_num": "1"}
    context = [t for t in answer["diffs"][0]["content"]["text"] if "type" not in t]
    assert context and all(t["line_content"].startswith(" ") for t in context)


# -- pull requests across repositories ----------------------------------------------------------------------------


async def test_my_pull_requests_by_scope(connect: Connect, sandbox: Sandbox) -> None:
    mine = await call(connect, "list_my_pull_requests", {})
    assert sandbox.requests[0].path == "user/pulls"
    assert sandbox.requests[0].query == {"state": "open", "page": "1", "per_page": "20"}
    assert [(p["repo"], p["number"]) for p in mine["items"]] == [("alice/demo", 2), ("alice/demo", 1)]
    to_review = await call(connect, "list_my_pull_requests", {"scope": "review"}, token=SecretStr("bob-token"))
    assert sandbox.requests[-1].query["scope"] == "need_my_review"
    assert [(p["repo"], p["number"], p["title"]) for p in to_review["items"]] == [
        ("alice/demo", 1, "Type hints and a main()")
    ]
    assert (await call(connect, "list_my_pull_requests", {}, token=SecretStr("bob-token")))["items"] == []


async def test_an_organisations_pull_requests(connect: Connect, sandbox: Sandbox) -> None:
    assert (await call(connect, "list_org_pull_requests", {"org": "gitcode-mcp"}))["items"] == []
    toolbox = sandbox.world.repo("gitcode-mcp", "toolbox")
    assert toolbox is not None
    toolbox.branches["lint"] = {**toolbox.branches["main"], "lint.sh": b"ruff check .\n"}
    opened = {"owner": "gitcode-mcp", "repo": "toolbox", "title": "Add a lint script", "head": "lint", "base": "main"}
    await call(connect, "create_pull_request", opened)
    listed = await call(connect, "list_org_pull_requests", {"org": "gitcode-mcp"})
    assert sandbox.requests[-1].path == "org/gitcode-mcp/pull_requests"
    assert [(p["repo"], p["number"], p["head"]) for p in listed["items"]] == [("gitcode-mcp/toolbox", 1, "lint")]
    merged = await call(connect, "list_org_pull_requests", {"org": "gitcode-mcp", "state": "merged"})
    assert merged["items"] == [] and sandbox.requests[-1].query["state"] == "merged"
    assert "404" in await refused(connect, "list_org_pull_requests", {"org": "no-such-org"})
