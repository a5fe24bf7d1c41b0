"""all_pages: a whole list in one call, GitCode's largest page at a time up to ALL_PAGES_CAP items, with progress
notifications and a note naming the next page when the cap cuts the list."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import Comment, Issue, PullRequest
from gitcode_mcp.toolkit import ALL_PAGES_CAP
from tests.conftest import Connect, call, demo, refused, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
Seen = list[tuple[float, float | None, str | None]]


def add_issue_comments(sandbox: Sandbox, count: int) -> None:
    issue, alice = demo(sandbox).issues[1], sandbox.world.users["alice"]
    for n in range(count):
        issue.comments.append(Comment(9_000_000 + n, "", alice, f"note {n}", "2026-11-21T10:00:00+08:00"))


def pages_asked(sandbox: Sandbox) -> list[tuple[str, str]]:
    return [(r.query["page"], r.query["per_page"]) for r in sandbox.requests]


async def progress_of(connect: Connect, tool: str, args: dict[str, Any]) -> tuple[dict[str, Any], Seen]:
    seen: Seen = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async with connect() as client:
        result = await client.call_tool(tool, args, progress_callback=progress)
    assert not result.is_error, text(result)
    return json.loads(text(result)), seen


async def test_an_issues_comments_come_whole_with_progress(connect: Connect, sandbox: Sandbox) -> None:
    add_issue_comments(sandbox, 249)  # 250 with the seeded one
    answer, seen = await progress_of(connect, "list_issue_comments", {**DEMO, "number": 1, "all_pages": True})
    assert [r.path for r in sandbox.requests] == ["repos/alice/demo/issues/1/comments"] * 3
    assert pages_asked(sandbox) == [("1", "100"), ("2", "100"), ("3", "100")]
    assert answer["pages"] == "1-3" and answer["has_more"] is False and "note" not in answer
    assert [c["body"] for c in answer["items"]] == ["Confirmed; fixing it in the feature branch."] + [
        f"note {n}" for n in range(249)
    ]
    assert [(done, total) for done, total, _ in seen] == [(100, 250), (200, 250), (250, 250)]
    assert seen[-1][2] == "page 3: 250 items"


async def test_the_cap_cuts_the_list_and_names_the_page_to_go_on(connect: Connect, sandbox: Sandbox) -> None:
    add_issue_comments(sandbox, ALL_PAGES_CAP + 49)  # 1050 in all
    answer, seen = await progress_of(connect, "list_issue_comments", {**DEMO, "number": 1, "all_pages": True})
    assert pages_asked(sandbox) == [(str(n), "100") for n in range(1, 11)]
    assert len(answer["items"]) == ALL_PAGES_CAP and answer["items"][-1]["body"] == f"note {ALL_PAGES_CAP - 2}"
    assert answer["has_more"] is True and answer["pages"] == "1-10"
    assert answer["note"] == "cut at 1000 items; page=11 with all_pages reads on"
    assert [done for done, _, _ in seen] == [100 * n for n in range(1, 11)] and {t for _, t, _ in seen} == {1000}
    sandbox.requests.clear()
    rest = await call(connect, "list_issue_comments", {**DEMO, "number": 1, "all_pages": True, "page": 11})
    assert pages_asked(sandbox) == [("11", "100")]
    assert [c["body"] for c in rest["items"]] == [f"note {n}" for n in range(999, 1049)]
    assert rest["has_more"] is False and rest["pages"] == "11-11"


async def test_all_issues_matching_a_filter(connect: Connect, sandbox: Sandbox) -> None:
    repo, bob = demo(sandbox), sandbox.world.users["bob"]
    for number in range(3, 153):
        labels = ["bug"] if number % 3 == 0 else []
        repo.issues[number] = Issue(
            9_100_000 + number,
            number,
            f"Issue {number}",
            "",
            bob,
            f"2026-11-22T{number // 60:02d}:{number % 60:02d}:00+08:00",
            labels=labels,
        )
    answer = await call(connect, "list_issues", {**DEMO, "labels": ["bug"], "all_pages": True})
    assert [(r.path, r.query) for r in sandbox.requests] == [
        ("repos/alice/demo/issues", {"state": "open", "labels": "bug", "page": "1", "per_page": "100"})
    ]
    assert [i["number"] for i in answer["items"]] == [n for n in range(152, 2, -1) if n % 3 == 0] + [1]
    sandbox.requests.clear()
    everything = await call(connect, "list_issues", {**DEMO, "state": "all", "all_pages": True, "per_page": 5})
    assert pages_asked(sandbox) == [("1", "100"), ("2", "100")]  # all_pages reads pages of 100, whatever per_page
    assert len(everything["items"]) == 152 and everything["has_more"] is False


async def test_a_text_filter_with_all_pages_searches_pages_of_100(connect: Connect, sandbox: Sandbox) -> None:
    repo, bob = demo(sandbox), sandbox.world.users["bob"]
    for number in range(3, 203):
        title = "Crash on start" if number == 50 else f"Issue {number}"
        repo.issues[number] = Issue(9_200_000 + number, number, title, "", bob, "2026-11-22T10:00:00+08:00")
    answer = await call(connect, "list_issues", {**DEMO, "text": "crash", "all_pages": True})
    assert pages_asked(sandbox) == [("1", "100"), ("2", "100"), ("3", "100")]
    assert [i["number"] for i in answer["items"]] == [50, 1]
    assert answer["searched"] == "pages 1-3: 201 items, all there are"


async def test_every_pull_request_matching_a_filter_comes_whole(connect: Connect, sandbox: Sandbox) -> None:
    repo, bob = demo(sandbox), sandbox.world.users["bob"]
    for number in range(3, 153):
        made = f"2026-11-22T{number // 60:02d}:{number % 60:02d}:00+08:00"
        repo.pulls[number] = PullRequest(9_400_000 + number, number, f"PR {number}", "", bob, "docs", "main", made)
    answer = await call(connect, "list_pull_requests", {**DEMO, "author": "bob", "all_pages": True})
    asked = {"state": "open", "author": "bob", "per_page": "100"}
    assert [(r.path, r.query) for r in sandbox.requests] == [
        ("repos/alice/demo/pulls", {**asked, "page": str(n)}) for n in (1, 2)
    ]
    assert [p["number"] for p in answer["items"]] == list(range(152, 2, -1))
    assert answer["has_more"] is False and "note" not in answer


async def test_a_pull_requests_comments_come_whole(connect: Connect, sandbox: Sandbox) -> None:
    pull, alice = demo(sandbox).pulls[2], sandbox.world.users["alice"]
    before = len(pull.comments)
    for n in range(150):
        pull.comments.append(Comment(9_300_000 + n, f"{n:040x}", alice, f"remark {n}", "2026-11-21T10:00:00+08:00"))
    answer = await call(connect, "list_pull_request_comments", {**DEMO, "number": 2, "all_pages": True})
    assert [r.path for r in sandbox.requests] == ["repos/alice/demo/pulls/2/comments"] * 2
    assert pages_asked(sandbox) == [("1", "100"), ("2", "100")]
    assert len(answer["items"]) == before + 150 and answer["items"][-1]["body"] == "remark 149"


async def test_a_whole_tree_without_paging_headers(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    repo.branches["main"] = {**repo.branches["main"], **{f"notes/{n:03d}.md": b"x\n" for n in range(230)}}
    repo.record("main", sandbox.world.users["alice"], "Notes")
    answer = await call(connect, "get_tree", {**DEMO, "sha": "main", "recursive": True, "all_pages": True})
    # GitCode's tree answer carries no paging headers: a short page is the last.
    assert pages_asked(sandbox) == [("1", "100"), ("2", "100"), ("3", "100")]
    assert all(r.query["recursive"] == "1" for r in sandbox.requests)
    paths = [e.split(" ", 1)[1] for e in answer["items"]]
    assert {f"notes/{n:03d}.md" for n in range(230)} <= set(paths) and len(paths) == len(set(paths))
    assert answer["has_more"] is False and answer["pages"] == "1-3"


async def test_all_commits(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    for n in range(120):
        repo.branches["main"] = {**repo.branches["main"], f"log/{n}.md": b"x\n"}
        repo.record("main", sandbox.world.users["alice"], f"Log {n}")
    answer = await call(connect, "list_commits", {**DEMO, "ref": "main", "all_pages": True})
    assert pages_asked(sandbox) == [("1", "100"), ("2", "100")]
    assert all(r.query["sha"] == "main" for r in sandbox.requests)
    messages = [c["message"] for c in answer["items"]]
    assert messages[:2] == ["Log 119", "Log 118"] and len(messages) == len(repo.logs["main"])


async def test_all_commits_with_their_files_is_refused_before_any_request(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "list_commits", {**DEMO, "all_pages": True, "files": True})
    assert "Invalid argument `files`" in error and "drop all_pages or files" in error
    assert sandbox.requests == []
