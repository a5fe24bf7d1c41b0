"""Commits an agent can read and history it can ask, on alice/kettle (sandbox/kettle.py): whole messages, parents,
git's author apart from the GitCode login, dates with their offsets, each commit's changed files (with progress
notifications), the commits that added or removed a text, and a file's lines at any ref."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp.types import CallToolResult

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.tools.commits.history import MAX_SCAN
from gitcode_mcp.tools.commits.log import MAX_FILE_READS
from tests.conftest import Connect, call, refused, text, unfenced

pytestmark = pytest.mark.anyio

KETTLE = {"owner": "alice", "repo": "kettle"}


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(kettle=True)


def shas(sandbox: Sandbox) -> dict[str, str]:
    """The seeded commits' shas by their titles."""
    repo = sandbox.world.repo("alice", "kettle")
    assert repo is not None
    return {c.message.split("\n", 1)[0]: c.sha for log in repo.logs.values() for c in log}


async def test_a_commit_list_carries_messages_parents_and_authors_apart(connect: Connect, sandbox: Sandbox) -> None:
    commits = await call(connect, "list_commits", {**KETTLE, "per_page": 9})
    by_title = {c["message"].split("\n", 1)[0]: c for c in commits["items"]}
    seeded = shas(sandbox)
    limiter = by_title["Add a rate limiter"]
    # Dana's email is no account's: a name and an email, no login; her time zone kept.
    assert limiter["author"] == {"name": "Dana Lee", "email": "dana@example.org"}
    assert limiter["date"] == "2026-09-03T09:00:00+02:00"
    # The whole message, trailers included.
    assert limiter["message"] == "Add a rate limiter\n\nCo-authored-by: Bob <bob@noreply.gitcode.com>"
    retries = by_title["Retry failed requests"]
    assert retries["author"] == {"name": "Bob", "email": "bob@noreply.gitcode.com", "login": "bob"}
    assert retries["message"].endswith("Co-authored-by: Dana Lee <dana@example.org>")
    merge = by_title["Merge pull request !2 from alice/fix-empty-url"]
    assert merge["parents"] == [seeded["Remove legacy_auth"], seeded["Refuse an empty URL"]]
    assert [c["sha"] for c in commits["items"]][:2] == [merge["sha"], seeded["Refuse an empty URL"]]
    assert sandbox.requests[-1].query == {"page": "1", "per_page": "9"}


async def test_the_login_is_read_apart_from_a_nickname_beside_it() -> None:
    from gitcode_mcp.tools.commits.log import account_login

    # ref's commit list example: "login": "dengmengmian(麻凡)"
    assert account_login({"login": "dengmengmian(麻凡)"}) == "dengmengmian"
    assert account_login({"login": "alice"}) == "alice" and account_login(None) is None


async def test_each_commits_files_are_fetched_with_progress(connect: Connect, sandbox: Sandbox) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async with connect() as client:
        result: CallToolResult = await client.call_tool(
            "list_commits", {**KETTLE, "per_page": 3, "files": True}, progress_callback=progress
        )
    assert not result.is_error
    answer: dict[str, Any] = json.loads(text(result))
    assert [c["files"] for c in answer["items"]] == [
        [{"path": "kettle/client.py"}],
        [{"path": "kettle/client.py"}],
        [{"path": "kettle/auth.py"}],
    ]
    assert [(r.path, r.query) for r in sandbox.requests[1:]] == [
        (f"repos/alice/kettle/commits/{c['sha']}", {"show_diff": "true"}) for c in answer["items"]
    ]
    assert [(done, total) for done, total, _ in seen] == [(1, 3), (2, 3), (3, 3)]


async def test_files_are_fetched_for_a_bounded_number_of_commits(connect: Connect, sandbox: Sandbox) -> None:
    repo = sandbox.world.repo("alice", "kettle")
    assert repo is not None
    for n in range(MAX_FILE_READS + 2):
        repo.branches["main"] = {**repo.branches["main"], f"notes/{n}.md": b"x\n"}
        repo.record("main", sandbox.world.users["alice"], f"Note {n}")
    answer = await call(connect, "list_commits", {**KETTLE, "per_page": MAX_FILE_READS + 2, "files": True})
    with_files = [c for c in answer["items"] if "files" in c]
    assert len(with_files) == MAX_FILE_READS and len(sandbox.requests) == 1 + MAX_FILE_READS
    assert f"files fetched for the first {MAX_FILE_READS} commits only" in answer["note"]


async def test_history_names_the_commit_that_added_a_line_and_the_one_that_removed_it(
    connect: Connect, sandbox: Sandbox
) -> None:
    seeded = shas(sandbox)
    added = await call(connect, "find_text_in_history", {**KETTLE, "text": "retries = 3", "path": "kettle/client.py"})
    [match] = added["matches"]
    assert match["sha"] == seeded["Retry failed requests"] and match["author"]["login"] == "bob"
    assert match["added"] == [{"path": "kettle/client.py", "line": 4, "text": "retries = 3"}]
    # GitCode narrows the commits to the path; each one's diff is read, merges skipped as `git log -S` skips them.
    listed = sandbox.requests[0]
    assert (listed.path, listed.query["path"], listed.query["per_page"]) == (
        "repos/alice/kettle/commits",
        "kettle/client.py",
        str(MAX_SCAN),
    )
    assert all(r.template == "repos/{owner}/{repo}/commit/{sha}/diff" for r in sandbox.requests[1:])
    assert "merges skipped" in added["searched"]
    gone = await call(connect, "find_text_in_history", {**KETTLE, "text": "def legacy_auth"})
    assert [(m["title"], "added" in m, "removed" in m) for m in gone["matches"]] == [
        ("Remove legacy_auth", False, True),
        ("Add legacy token auth", True, False),
    ]
    assert gone["matches"][0]["removed"] == [{"path": "kettle/auth.py", "line": 1, "text": "def legacy_auth(token):"}]
    nothing = await call(connect, "find_text_in_history", {**KETTLE, "text": "no such text", "ref": "v1.0"})
    assert nothing["matches"] == [] and "next_page" not in nothing


async def test_history_search_goes_on_by_pages(connect: Connect, sandbox: Sandbox) -> None:
    repo = sandbox.world.repo("alice", "kettle")
    assert repo is not None
    for n in range(MAX_SCAN):
        repo.branches["main"] = {**repo.branches["main"], "notes.md": f"note {n}\n".encode()}
        repo.record("main", sandbox.world.users["alice"], f"Note {n}")
    first = await call(connect, "find_text_in_history", {**KETTLE, "text": "retries = 3"})
    assert first["matches"] == [] and first["next_page"] == 2 and f"only {MAX_SCAN} commits" in first["note"]
    second = await call(connect, "find_text_in_history", {**KETTLE, "text": "retries = 3", "page": 2})
    assert [m["title"] for m in second["matches"]] == ["Retry failed requests"]
    assert "one line" in await refused(connect, "find_text_in_history", {**KETTLE, "text": "a\nb"})


async def test_a_removed_line_that_looks_like_a_header_is_still_a_line() -> None:
    from gitcode_mcp.tools.commits.history import text_changes

    diff = "diff --git a/x.md b/x.md\n--- a/x.md\n+++ b/x.md\n@@ -1,2 +1,1 @@\n--- the rule\n keep\n"
    assert text_changes(diff, "the rule", None) == ([], [{"path": "x.md", "line": 1, "text": "-- the rule"}])


async def test_a_file_is_read_by_lines_or_by_match_at_a_tag(connect: Connect, sandbox: Sandbox) -> None:
    args = {**KETTLE, "path": "kettle/client.py", "ref": "v1.0", "lines": "3-4"}
    answer = await call(connect, "get_file_contents", args, parse=False)
    facts, _, rest = answer.partition("\n")
    assert '"shown":"3-4"' in facts and '"lines":9' in facts
    assert unfenced(rest) == "3\tDEFAULT_TIMEOUT = 30\n4\tretries = 3\n"
    assert sandbox.requests[-1].query == {"ref": "v1.0"}
    usage = {**KETTLE, "path": "docs/usage.md", "match": "PORT"}
    matched = await call(connect, "get_file_contents", usage, parse=False)  # any case: "import" holds "port" too
    assert unfenced(matched.partition("\n")[2]) == (
        "3\tStart a server on port 8080 and call it:\n5\t    from kettle.client import fetch\n"
    )
    assert '"matched":2' in matched
    bad = await refused(connect, "get_file_contents", {**KETTLE, "path": "README.md", "lines": "9-3"})
    assert "`lines`" in bad and "12-40" in bad
    folder = await refused(connect, "get_file_contents", {**KETTLE, "path": "kettle", "match": "x"})
    assert "`match`" in folder and "is a directory" in folder
