"""Merging, approving and testing pull requests, their reviewers and testers, and their labels: what GitCode
received and what the agent got back, on the simulator's seeded alice/demo (PR 1 feature->main with bob as its
reviewer; PR 2 docs->main with an unresolved diff discussion and the label `enhancement`)."""

from __future__ import annotations

from typing import Any

import pytest
from mcp_types import ToolAnnotations
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import User
from tests.conftest import Connect, call, demo, refused, sent, sim

pytestmark = pytest.mark.anyio

PR_1 = {"owner": "alice", "repo": "demo", "number": 1}
PR_2 = {**PR_1, "number": 2}
BOB = SecretStr("bob-token")
UNRESOLVED = "There are unresolved discussions, please resolve them before merging."
NO_MERGE_PERMISSION = "You are in project members list, but do not have MERGE permission, please check it."
TOO_FEW_APPROVALS = "The number of approved reviewers does not meet the requirement."


# --- merge -----------------------------------------------------------------------------------------------------


async def test_merge_applies_the_head_to_the_base_with_a_merge_commit(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    base_head, head_sha, head_files = repo.head_sha("main"), repo.head_sha("feature"), dict(repo.branches["feature"])
    merged = await call(connect, "merge_pull_request", PR_1)
    assert sent(sandbox) == ["GET repos/alice/demo/pulls/1", "PUT repos/alice/demo/pulls/1/merge"]
    assert sandbox.requests[1].body == {}  # nothing the agent left unset is sent: GitCode merges by `merge`
    commit = repo.log("main")[-1]
    assert merged == {"number": 1, "merged": True, "sha": commit.sha}
    assert repo.branches["main"] == head_files and "src/util.py" in repo.branches["main"]
    assert commit.parents == [base_head, head_sha] and commit.author.login == "alice"
    pr = await call(connect, "get_pull_request", PR_1)
    assert (pr["state"], pr["merged_by"]) == ("merged", "alice") and pr["merged_at"] == commit.created_at


async def test_squash_sends_gitcodes_method_title_and_description(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    base_head = repo.head_sha("main")
    args = {**PR_1, "method": "squash", "title": "Type hints (!1)", "message": "Adds a main()."}
    await call(connect, "merge_pull_request", args)
    assert sandbox.requests[-1].body == {
        "merge_method": "squash",
        "title": "Type hints (!1)",
        "description": "Adds a main().",
    }
    commit = repo.log("main")[-1]
    assert commit.parents == [base_head] and commit.message == "Type hints (!1)\n\nAdds a main()."


async def test_a_blocked_merge_is_not_sent_and_says_why_in_gitcodes_words(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "merge_pull_request", PR_2)
    assert f"resolve_discussion: {UNRESOLVED}" in message and "nothing was sent" in message
    assert sent(sandbox) == ["GET repos/alice/demo/pulls/2"]
    assert demo(sandbox).pulls[2].state == "open"
    # bob is a member without MERGE permission: GitCode's own sentence for that rule.
    assert NO_MERGE_PERMISSION in await refused(connect, "merge_pull_request", PR_1, token=BOB)
    assert all(r.method == "GET" for r in sandbox.requests)


async def test_the_simulator_refuses_a_blocked_merge_as_gitcode_does(sandbox: Sandbox) -> None:
    answer = await sim(sandbox, "PUT", "repos/alice/demo/pulls/2/merge", json={})
    assert answer.status_code == 400 and answer.json()["error_message"] == UNRESOLVED
    assert demo(sandbox).pulls[2].state == "open"
    bad = await sim(sandbox, "PUT", "repos/alice/demo/pulls/1/merge", json={"merge_method": "ff"})
    assert bad.status_code == 400 and "merge, squash, rebase" in bad.json()["error_message"]


async def test_merging_twice(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "merge_pull_request", PR_1)
    del sandbox.requests[:]
    again = await call(connect, "merge_pull_request", PR_1)
    assert again == {"number": 1, "merged": True, "merged_by": "alice", "note": "merged already"}
    assert sent(sandbox) == ["GET repos/alice/demo/pulls/1"]
    # GitCode itself refuses the second merge, and its "is it merged" read says merged.
    answer = await sim(sandbox, "PUT", "repos/alice/demo/pulls/1/merge", json={})
    assert answer.status_code == 400 and answer.json()["error_message"] == "Pull Request已经合并"
    assert (await sim(sandbox, "GET", "repos/alice/demo/pulls/1/merge")).json() == {"message": "Pull Request已经合并"}
    # ref: the not-merged answer is an error body, its status not shown: the simulator answers it with 200.
    unmerged = await sim(sandbox, "GET", "repos/alice/demo/pulls/2/merge")
    assert unmerged.status_code == 200 and unmerged.json() == {"error": "Pull Request不存在或未合并"}


async def test_a_merge_whose_answer_is_lost_is_settled_by_the_merged_check(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("PUT", r"pulls/1/merge$", status=502)  # GitCode never merged it
    message = await refused(connect, "merge_pull_request", PR_1)
    assert "GitCode reports it not merged: it is safe to try again" in message
    assert sent(sandbox)[-2:] == ["PUT repos/alice/demo/pulls/1/merge", "GET repos/alice/demo/pulls/1/merge"]
    # Merged meanwhile (the answer to our PUT was lost): read as open, then the PUT times out as far as we know.
    del sandbox.requests[:]
    open_pr = (await sim(sandbox, "GET", "repos/alice/demo/pulls/1")).json()
    demo(sandbox).pulls[1].state = "merged"
    sandbox.answer("GET", r"pulls/1$", status=200, body=open_pr)
    sandbox.fail("PUT", r"pulls/1/merge$", status=504)
    landed = await call(connect, "merge_pull_request", PR_1)
    assert landed == {"number": 1, "merged": True, "note": "GitCode's answer was lost, but it reports the PR merged"}


async def test_a_not_merged_check_answered_with_404_is_read_as_not_merged(connect: Connect, sandbox: Sandbox) -> None:
    # Gitee v5's form of the same answer.
    sandbox.fail("PUT", r"pulls/1/merge$", status=502)
    sandbox.fail("GET", r"pulls/1/merge$", status=404, body={"error": "Pull Request不存在或未合并"})
    message = await refused(connect, "merge_pull_request", PR_1)
    assert "GitCode reports it not merged: it is safe to try again" in message


async def test_a_gitcode_refusal_of_the_merge_is_not_second_guessed(connect: Connect, sandbox: Sandbox) -> None:
    body = {"error_code": 400, "error_code_name": "UN_KNOW", "error_message": "Merge conflicts appeared."}
    sandbox.fail("PUT", r"pulls/1/merge$", status=400, body=body)
    message = await refused(connect, "merge_pull_request", PR_1)
    assert "Merge conflicts appeared." in message and "get_pull_request" in message
    assert sent(sandbox)[-1] == "PUT repos/alice/demo/pulls/1/merge"  # no merged check after a clear no


# --- approvals -------------------------------------------------------------------------------------------------


async def test_an_approval_satisfies_a_required_approval(connect: Connect, sandbox: Sandbox) -> None:
    demo(sandbox).approvals_required = 1
    assert f"approval_reviewers_required: {TOO_FEW_APPROVALS}" in await refused(connect, "merge_pull_request", PR_1)
    approved = await call(connect, "approve_pull_request", PR_1, token=BOB)
    review = next(r for r in sandbox.requests if r.method == "POST")
    assert (review.path, review.body) == ("repos/alice/demo/pulls/1/review", {})
    assert approved == {"number": 1, "reviewers": ["bob"], "approved_by": ["bob"], "mergeable": False} | {
        "merge_blockers": {"merged_by_user": NO_MERGE_PERMISSION}  # bob sees the rule he fails himself
    }
    assert (await call(connect, "merge_pull_request", PR_1))["merged"] is True


async def test_only_reviewers_approve_unless_an_admin_forces_it(connect: Connect, sandbox: Sandbox) -> None:
    demo(sandbox).approvals_required = 1
    message = await refused(connect, "approve_pull_request", PR_1)  # alice is no reviewer
    assert "You are not a reviewer of this pull request." in message and "force" in message
    forced = await call(connect, "approve_pull_request", {**PR_1, "force": True})
    assert sandbox.requests[-2].body == {"force": True}
    assert forced["mergeable"] is True and "approved_by" not in forced  # passed by force, not by bob
    # bob has no admin rights: his force is an ordinary approval, as a reviewer.
    await call(connect, "set_pull_request_reviewers", {**PR_2, "action": "add", "users": ["bob"]})
    bob = await call(connect, "approve_pull_request", {**PR_2, "force": True}, token=BOB)
    assert bob["approved_by"] == ["bob"]


async def test_reset_withdraws_approvals(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "approve_pull_request", PR_1, token=BOB)
    reset = await call(connect, "reset_pull_request_approvals", PR_1)
    patch = sandbox.requests[-2]
    assert (patch.method, patch.path, patch.body) == (
        "PATCH",
        "repos/alice/demo/pulls/1/assignees",
        {"reset_all": True},
    )
    assert reset["reviewers"] == ["bob"] and "approved_by" not in reset


async def test_each_review_tool_sends_its_one_request(connect: Connect, sandbox: Sandbox) -> None:
    """Approving, testing, changing who reviews and withdrawing are tools of their own: each sends its own request,
    whatever else the agent might have meant, and answers the state it changed."""
    approved = await call(connect, "approve_pull_request", {**PR_1, "force": True})
    tested = await call(connect, "mark_pull_request_tested", {**PR_1, "force": True})
    await call(connect, "approve_pull_request", PR_1, token=BOB)
    withdrawn = await call(connect, "reset_pull_request_approvals", PR_1)
    testers = await call(
        connect, "set_pull_request_reviewers", {**PR_1, "action": "add", "users": ["bob"], "tester": True}
    )
    writes = [(r.method, r.path, r.query, r.body) for r in sandbox.requests if r.method != "GET"]
    assert writes == [
        ("POST", "repos/alice/demo/pulls/1/review", {}, {"force": True}),
        ("POST", "repos/alice/demo/pulls/1/test", {}, {"force": True}),
        ("POST", "repos/alice/demo/pulls/1/review", {}, {}),
        ("PATCH", "repos/alice/demo/pulls/1/assignees", {}, {"reset_all": True}),
        ("POST", "repos/alice/demo/pulls/1/testers", {}, {"testers": "bob", "add": True}),
    ]
    assert sent(sandbox).count("GET repos/alice/demo/pulls/1") == 5  # each reads the PR back
    assert approved == {"number": 1, "reviewers": ["bob"], "mergeable": True}
    assert tested == {"number": 1, "mergeable": True}
    assert withdrawn == {"number": 1, "reviewers": ["bob"], "mergeable": True}
    assert testers == {"number": 1, "testers": ["bob"], "mergeable": True}


async def test_the_review_tools_say_what_they_may_take_away(connect: Connect) -> None:
    async with connect(toolsets=("pulls", "reviews")) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    approve = tools["approve_pull_request"].annotations
    assert approve is not None and (approve.destructive_hint, approve.idempotent_hint) == (False, True)
    tested = tools["mark_pull_request_tested"].annotations
    assert tested is not None and tested.destructive_hint is False
    for name in (
        "set_pull_request_reviewers",
        "reset_pull_request_approvals",
    ):  # they remove: destructive (the default)
        assert tools[name].annotations == ToolAnnotations(idempotent_hint=True), name
    assert tools["list_reviewer_candidates"].annotations == ToolAnnotations(read_only_hint=True)
    assert "review_pull_request" not in tools  # no alias: its arguments meant a different request per action


# --- reviewers and testers -------------------------------------------------------------------------------------


async def test_reviewers_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    added = await call(connect, "set_pull_request_reviewers", {**PR_2, "action": "add", "users": ["bob"]})
    post = sandbox.requests[0]
    assert (post.method, post.path, post.body) == ("POST", "repos/alice/demo/pulls/2/assignees", {"assignees": "bob"})
    assert added["reviewers"] == ["bob"] and demo(sandbox).pulls[2].reviewers == {"bob": False}
    shown = await call(connect, "get_pull_request", PR_2)
    assert shown["reviewers"] == ["bob"]

    del sandbox.requests[:]
    removed = await call(connect, "set_pull_request_reviewers", {**PR_2, "action": "remove", "users": ["bob"]})
    delete = sandbox.requests[0]
    # The logins go in the query of this DELETE (Gitee v5, the GitCode CLI, Huawei's GitCode SDK).
    assert (delete.method, delete.query, delete.body) == ("DELETE", {"assignees": "bob"}, None)
    assert "reviewers" not in removed and demo(sandbox).pulls[2].reviewers == {}

    del sandbox.requests[:]
    replaced = await call(connect, "set_pull_request_reviewers", {**PR_2, "action": "replace", "users": ["bob"]})
    assert (sandbox.requests[0].path, sandbox.requests[0].body) == (
        "repos/alice/demo/pulls/2/reviewers",
        {"reviewers": "bob", "add": False},
    )
    assert replaced["reviewers"] == ["bob"]


async def test_adding_keeps_the_reviewers_there_and_their_approvals(connect: Connect, sandbox: Sandbox) -> None:
    carol = User("6916dca9c78473272b7d5799", "carol", "Carol")
    sandbox.world.users["carol"], demo(sandbox).members["carol"] = carol, False
    await call(connect, "approve_pull_request", PR_1, token=BOB)
    added = await call(connect, "set_pull_request_reviewers", {**PR_1, "action": "add", "users": ["carol"]})
    assert (added["reviewers"], added["approved_by"]) == (["bob", "carol"], ["bob"])
    replaced = await call(connect, "set_pull_request_reviewers", {**PR_1, "action": "replace", "users": ["bob"]})
    assert (replaced["reviewers"], replaced["approved_by"]) == (["bob"], ["bob"])
    candidates = await call(connect, "list_reviewer_candidates", PR_1)
    assert [c["login"] for c in candidates] == ["bob", "carol"]


async def test_replacing_reviewers_with_none_removes_those_there(connect: Connect, sandbox: Sandbox) -> None:
    cleared = await call(connect, "set_pull_request_reviewers", {**PR_1, "action": "replace", "users": []})
    assert sent(sandbox) == [
        "GET repos/alice/demo/pulls/1",
        "DELETE repos/alice/demo/pulls/1/reviewers",
        "GET repos/alice/demo/pulls/1",
    ]
    assert sandbox.requests[1].body == {"reviewers": "bob"}
    assert cleared == {"number": 1, "mergeable": True} and demo(sandbox).pulls[1].reviewers == {}
    del sandbox.requests[:]
    await call(connect, "set_pull_request_reviewers", {**PR_1, "action": "replace", "users": []})  # none left: no write
    assert sent(sandbox) == ["GET repos/alice/demo/pulls/1"]


async def test_the_author_and_strangers_are_no_reviewers(connect: Connect, sandbox: Sandbox) -> None:
    author = await refused(connect, "set_pull_request_reviewers", {**PR_1, "action": "add", "users": ["alice"]})
    assert "alice is the author of this pull request" in author
    stranger = await refused(connect, "set_pull_request_reviewers", {**PR_1, "action": "add", "users": ["carol"]})
    assert "carol is not a member of this project" in stranger and "list_reviewer_candidates" in stranger


@pytest.mark.parametrize(
    ("tool", "args", "argument"),
    [
        ("set_pull_request_reviewers", {"action": "add"}, "users"),
        ("set_pull_request_reviewers", {"action": "add", "users": []}, "users"),
        ("set_pull_request_reviewers", {"action": "remove", "users": [" "]}, "users"),
        ("reset_pull_request_approvals", {"users": ["bob"]}, "users"),
        ("approve_pull_request", {"users": ["bob"]}, "users"),
        ("set_pull_request_reviewers", {"action": "add", "users": ["bob,alice"]}, "users"),
        ("set_pull_request_reviewers", {"action": "add", "users": ["bob"], "force": True}, "force"),
        ("mark_pull_request_tested", {"tester": True}, "tester"),
    ],
)
async def test_review_arguments_are_checked_before_anything_is_sent(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict[str, Any], argument: str
) -> None:
    assert f"`{argument}`" in await refused(connect, tool, {**PR_1, **args})
    assert sandbox.requests == []


async def test_testers_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    tester = {**PR_1, "tester": True}
    added = await call(connect, "set_pull_request_reviewers", {**tester, "action": "add", "users": ["bob"]})
    post = sandbox.requests[0]
    assert (post.method, post.path, post.body) == (
        "POST",
        "repos/alice/demo/pulls/1/testers",
        {"testers": "bob", "add": True},
    )
    assert added["testers"] == ["bob"] and "reviewers" not in added
    passed = await call(connect, "mark_pull_request_tested", PR_1, token=BOB)
    assert sandbox.requests[-2].path == "repos/alice/demo/pulls/1/test"
    assert passed["tested_by"] == ["bob"]
    assert (await call(connect, "get_pull_request", PR_1))["tested_by"] == ["bob"]
    reset = await call(connect, "reset_pull_request_approvals", tester)
    assert sandbox.requests[-2].body == {"reset_all": True} and "tested_by" not in reset
    del sandbox.requests[:]
    removed = await call(connect, "set_pull_request_reviewers", {**tester, "action": "remove", "users": ["bob"]})
    delete = sandbox.requests[0]
    assert (delete.method, delete.path, delete.body) == (
        "DELETE",
        "repos/alice/demo/pulls/1/testers",
        {"testers": "bob"},
    )
    assert "testers" not in removed and demo(sandbox).pulls[1].testers == {}


async def test_candidates_for_reviewers_and_testers(connect: Connect, sandbox: Sandbox) -> None:
    reviewers = await call(connect, "list_reviewer_candidates", PR_1)
    testers = await call(connect, "list_reviewer_candidates", {**PR_1, "tester": True})
    assert sent(sandbox) == [
        "GET repos/alice/demo/pulls/1/option_reviewers",
        "GET repos/alice/demo/pulls/option_testers",
    ]
    assert reviewers == [{"login": "bob", "name": "Bob"}]  # PR 1's author is no candidate
    assert testers == [{"login": "alice", "name": "Alice"}, {"login": "bob", "name": "Bob"}]


# --- labels ----------------------------------------------------------------------------------------------------


async def test_labels_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    added = await call(connect, "set_pull_request_labels", {**PR_2, "action": "add", "labels": ["bug", "bug"]})
    post = sandbox.requests[0]
    assert (post.method, post.path, post.body) == ("POST", "repos/alice/demo/pulls/2/labels", ["bug"])  # a raw array
    assert added == {"number": 2, "labels": ["enhancement", "bug"]}
    replaced = await call(connect, "set_pull_request_labels", {**PR_2, "action": "replace", "labels": ["requirement"]})
    assert sandbox.requests[-2].method == "PUT" and replaced["labels"] == ["requirement"]
    del sandbox.requests[:]
    removed = await call(connect, "set_pull_request_labels", {**PR_2, "action": "remove", "labels": ["requirement"]})
    assert sent(sandbox) == [
        "DELETE repos/alice/demo/pulls/2/labels/requirement",
        "GET repos/alice/demo/pulls/2/labels",
    ]
    assert removed == {"number": 2, "labels": []} and demo(sandbox).pulls[2].labels == []
    assert "labels" not in await call(connect, "get_pull_request", PR_2)
    cleared = await call(connect, "set_pull_request_labels", {**PR_1, "action": "replace", "labels": []})
    assert sandbox.requests[-2].body == [] and cleared == {"number": 1, "labels": []}


async def test_a_label_the_repository_lacks_is_refused_by_gitcode(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "set_pull_request_labels", {**PR_1, "action": "add", "labels": ["needs review"]})
    assert "label needs review does not exist" in message and "create it" in message
    missing = await refused(connect, "set_pull_request_labels", {**PR_1, "action": "remove", "labels": ["bug"]})
    assert "'bug' is not on this pull request" in missing
    repo = demo(sandbox)
    repo.labels.add("需要 评审/UI")  # a label path segment is encoded whole
    await call(connect, "set_pull_request_labels", {**PR_1, "action": "add", "labels": ["需要 评审/UI"]})
    await call(connect, "set_pull_request_labels", {**PR_1, "action": "remove", "labels": ["需要 评审/UI"]})
    delete = next(r for r in sandbox.requests if r.method == "DELETE" and r.status == 204)
    assert delete.raw_path == "repos/alice/demo/pulls/1/labels/%E9%9C%80%E8%A6%81%20%E8%AF%84%E5%AE%A1%2FUI"
    assert repo.pulls[1].labels == []
