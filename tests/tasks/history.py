"""Questions about history, and reading files as they were."""

from __future__ import annotations

import re
from typing import Any

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.commits.diffs import changes
from gitcode_mcp.sandbox.areas.commits.graph import parent_files
from tests.tasks import Agent, Task, kettle


async def who_added_retries(agent: Agent) -> dict[str, Any]:
    found = await agent.json("find_text_in_history", text="retries = 3", path="kettle/client.py")
    [added] = [m for m in found["matches"] if m.get("added")]
    return {"sha": added["sha"], "who": added["author"].get("login") or added["author"]["name"]}


def named_who_added_retries(sandbox: Sandbox, answer: Any) -> None:
    [commit] = [c for c in kettle(sandbox).logs["main"] if b"retries = 3" in c.files.get("kettle/client.py", b"")][:1]
    assert answer == {"sha": commit.sha, "who": "bob"}


async def rate_limiter_authors(agent: Agent) -> dict[str, Any]:
    listed = await agent.json("list_commits", path="kettle/limits.py")
    first = listed["items"][-1]  # newest first: the oldest one brought the file
    co_authors = re.findall(r"^Co-authored-by: (.+?) <", first["message"], re.MULTILINE)
    return {"author": first["author"]["name"], "login": first["author"].get("login"), "co_authors": co_authors}


def named_rate_limiter_authors(sandbox: Sandbox, answer: Any) -> None:
    # Dana's email is no GitCode account's: a name, no login.
    assert answer == {"author": "Dana Lee", "login": None, "co_authors": ["Bob"]}


async def when_legacy_auth_went(agent: Agent) -> dict[str, Any]:
    found = await agent.json("find_text_in_history", text="def legacy_auth")
    [removal] = [m for m in found["matches"] if m.get("removed")]
    return {"date": removal["date"], "who": removal["author"].get("login"), "sha": removal["sha"]}


def named_when_legacy_auth_went(sandbox: Sandbox, answer: Any) -> None:
    [gone] = [c for c in kettle(sandbox).logs["main"] if c.message.startswith("Remove legacy_auth")]
    assert answer == {"date": gone.created_at, "who": "bob", "sha": gone.sha}


async def files_of_recent_commits(agent: Agent) -> dict[str, list[str]]:
    listed = await agent.json("list_commits", per_page=5, files=True)
    return {c["sha"]: [f["path"] for f in c["files"]] for c in listed["items"]}


def listed_files_of_recent_commits(sandbox: Sandbox, answer: Any) -> None:
    repo = kettle(sandbox)
    newest = sorted(repo.logs["main"], key=lambda c: c.created_at)[-5:]
    by_sha = {c.sha: c for log in repo.logs.values() for c in log}
    assert set(answer) <= set(by_sha) and len(answer) == 5
    for sha, paths in answer.items():
        commit = by_sha[sha]
        assert paths == [f["path"] for f in changes(parent_files(repo, commit), commit.files)]
    assert {c.sha for c in newest} & set(answer)


async def issues_fixed_by_commits(agent: Agent) -> list[int]:
    listed = await agent.json("list_commits", per_page=100)
    fixed = {int(n) for c in listed["items"] for n in re.findall(r"\b[Ff]ixes #(\d+)", c["message"])}
    return sorted(fixed)


def named_issues_fixed_by_commits(sandbox: Sandbox, answer: Any) -> None:
    assert answer == [1, 2]


async def client_at_v1(agent: Agent) -> str:
    answer = await agent.text("get_file_contents", path="kettle/client.py", ref="v1.0", lines="1-5")
    return answer.split("\n", 1)[1]


def showed_client_at_v1(sandbox: Sandbox, answer: Any) -> None:
    repo = kettle(sandbox)
    lines = repo.commit(repo.tags["v1.0"].sha).files["kettle/client.py"].decode().splitlines()[:5]  # type: ignore[union-attr]
    assert all(f"{n}\t{line}\n" in answer for n, line in enumerate(lines, 1))


TASKS = [
    Task(
        "who-added-retries",
        "history",
        "Which commit added `retries = 3` to kettle/client.py, and who wrote it?",
        who_added_retries,
        named_who_added_retries,
    ),
    Task(
        "rate-limiter-authors",
        "history",
        "Who wrote the rate limiter, and who co-authored it?",
        rate_limiter_authors,
        named_rate_limiter_authors,
    ),
    Task(
        "legacy-auth-removed",
        "history",
        "When was legacy_auth removed, and by whom?",
        when_legacy_auth_went,
        named_when_legacy_auth_went,
    ),
    Task(
        "files-of-recent-commits",
        "history",
        "Which files did each of the last five commits on main change?",
        files_of_recent_commits,
        listed_files_of_recent_commits,
    ),
    Task(
        "issues-fixed-by-commits",
        "history",
        "Which issues do the commits on main say they fix?",
        issues_fixed_by_commits,
        named_issues_fixed_by_commits,
    ),
    Task(
        "client-at-v1",
        "read",
        "Show me the first five lines of kettle/client.py as it was at v1.0.",
        client_at_v1,
        showed_client_at_v1,
    ),
]
