"""Tasks that change code and open, review or release it."""

from __future__ import annotations

from typing import Any

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.pulls.render import merge_rules
from gitcode_mcp.sandbox.areas.releases import Releases
from tests.tasks import Agent, Task, kettle, numbered_lines


async def merged_since_v1(agent: Agent) -> list[dict[str, Any]]:
    """The pull requests merged after the v1.0 release, oldest first."""
    release = await agent.json("get_release", tag="v1.0")
    merged = await agent.json("list_pull_requests", state="merged", per_page=100)
    return sorted(
        (pr for pr in merged["items"] if pr["merged_at"] > release["created_at"]), key=lambda pr: pr["merged_at"]
    )


def entry(pr: dict[str, Any]) -> str:
    return f"- {pr['title']} (!{pr['number']}, @{pr['author']})"


async def write_changelog(agent: Agent) -> None:
    section = "\n".join(entry(pr) for pr in await merged_since_v1(agent))
    await agent.json(
        "edit_file",
        path="CHANGELOG.md",
        old_text="# Changelog\n\n",
        new_text=f"# Changelog\n\n## 1.1.0\n\n{section}\n\n",
        message="Changelog for 1.1.0",
    )


def wrote_changelog(sandbox: Sandbox, _: Any) -> None:
    text = kettle(sandbox).branches["main"]["CHANGELOG.md"].decode()
    assert text.startswith(
        "# Changelog\n\n## 1.1.0\n\n- Add a timeout option (!1, @bob)\n- Fix crash on an empty URL (!2, @alice)\n\n"
        "## 1.0.0\n"
    )


async def hotfix_from_issue(agent: Agent) -> int:
    issue = await agent.json("get_issue", number=6)
    assert "docs/usage.md" in issue["body"] and "8080" in issue["body"]
    wrong = numbered_lines(await agent.text("get_file_contents", path="docs/usage.md", match="8080"))
    await agent.json("create_branch", branch="fix-port", ref="main")
    for number, line in wrong:  # each line is its own edit, and so its own commit
        fixed = line.replace("localhost:8080", "localhost").replace("8080", "80")
        await agent.json(
            "edit_file",
            path="docs/usage.md",
            old_text=line,
            new_text=fixed,
            message=f"Docs: port 80 (line {number})",
            branch="fix-port",
        )
    pr = await agent.json(
        "create_pull_request",
        title="Docs: the server listens on port 80",
        head="fix-port",
        base="main",
        body="Fixes #6",
        labels=["bug"],
        reviewers=["bob"],
    )
    return pr["number"]


def fixed_from_issue(sandbox: Sandbox, number: Any) -> None:
    repo = kettle(sandbox)
    pr = repo.pulls[number]
    assert (pr.head, pr.state, pr.labels, list(pr.reviewers)) == ("fix-port", "open", ["bug"], ["bob"])
    assert "#6" in pr.body
    usage = repo.branches["fix-port"]["docs/usage.md"].decode()
    assert "8080" not in usage and "port 80" in usage and repo.branches["main"]["docs/usage.md"] != usage.encode()


async def release_with_notes(agent: Agent) -> None:
    notes = "\n".join(entry(pr) for pr in await merged_since_v1(agent))
    await agent.json("create_release", tag_name="v1.1", ref="main", name="kettle 1.1", body=f"What's new:\n\n{notes}")


def released_with_notes(sandbox: Sandbox, _: Any) -> None:
    repo = kettle(sandbox)
    assert repo.tags["v1.1"].sha == repo.head_sha("main")
    body = Releases.of(repo).releases["v1.1"].body
    assert "(!1, @bob)" in body and "(!2, @alice)" in body and "!4" not in body


async def bump_version(agent: Agent) -> None:
    # GitCode has no commit of several files: one commit each.
    await agent.json(
        "edit_file",
        path="kettle/__init__.py",
        old_text='__version__ = "1.0.0"',
        new_text='__version__ = "1.1.0"',
        message="Version 1.1.0",
    )
    await agent.json(
        "edit_file",
        path="pyproject.toml",
        old_text='version = "1.0.0"',
        new_text='version = "1.1.0"',
        message="Version 1.1.0",
    )


def bumped_version(sandbox: Sandbox, _: Any) -> None:
    files = kettle(sandbox).branches["main"]
    assert files["kettle/__init__.py"] == b'__version__ = "1.1.0"\n' and b'version = "1.1.0"' in files["pyproject.toml"]


async def fix_conflict(agent: Agent) -> int:
    pr = await agent.json("get_pull_request", number=4)
    assert "conflict" in pr["merge_blockers"]
    files = await agent.json("list_pull_request_files", number=4)
    assert "timeout=60" in files["files"][0]["patch"]  # the PR hard-codes the new default
    # main has since made the timeout a parameter: raise the default there instead, on a branch from main.
    found = numbered_lines(await agent.text("get_file_contents", path="kettle/client.py", match="DEFAULT_TIMEOUT ="))
    [(_, default)] = found
    await agent.json("create_branch", branch="timeout-60-on-main", ref="main")
    await agent.json(
        "edit_file",
        path="kettle/client.py",
        old_text=default,
        new_text="DEFAULT_TIMEOUT = 60",
        message="Wait 60 seconds by default",
        branch="timeout-60-on-main",
    )
    new = await agent.json(
        "create_pull_request",
        title=pr["title"],
        head="timeout-60-on-main",
        base="main",
        body=f"{pr['body']}\n\nReplaces !4, which conflicts with the timeout parameter main has now.",
    )
    await agent.json("create_pull_request_comment", number=4, body=f"Replaced by !{new['number']}, rebased on main.")
    await agent.json("update_pull_request", number=4, state="closed")
    return new["number"]


def fixed_conflict(sandbox: Sandbox, number: Any) -> None:
    repo = kettle(sandbox)
    new, old = repo.pulls[number], repo.pulls[4]
    assert all(merge_rules(sandbox.world, repo, new, sandbox.world.users["alice"]).values())
    client = repo.branches[new.head]["kettle/client.py"].decode()
    assert "DEFAULT_TIMEOUT = 60" in client and "timeout=timeout)" in client and "raise ValueError" in client
    assert old.state == "closed" and f"!{number}" in old.comments[-1].body


async def review_docs(agent: Agent) -> None:
    diff = await agent.json("get_pull_request_diff", number=3)
    [file] = diff["files"]
    for marker, remark in (
        ("TODO", "Please explain the refill before merging."),
        ("20 requests", "Is 20 the default?"),
    ):
        [line] = [int(text[1:].split(" ", 1)[0]) for text in file["lines"] if text.startswith("+") and marker in text]
        await agent.json("create_pull_request_comment", number=3, body=remark, path=file["path"], line=line)
    await agent.json("create_pull_request_comment", number=3, body="Two questions inline; otherwise good.")


def reviewed_docs(sandbox: Sandbox, _: Any) -> None:
    comments = kettle(sandbox).pulls[3].comments
    assert [(c.path, c.line) for c in comments] == [("docs/limits.md", 7), ("docs/limits.md", 5), (None, None)]


async def open_faq_pull_request(agent: Agent) -> int:
    pr = await agent.json(
        "create_pull_request",
        title="Add a FAQ",
        head="docs-faq",
        base="main",
        labels=["faq"],
        create_labels=True,
        reviewers=["bob"],
    )
    return pr["number"]


def opened_faq_pull_request(sandbox: Sandbox, number: Any) -> None:
    repo = kettle(sandbox)
    assert (
        "faq" in repo.labels and repo.pulls[number].labels == ["faq"] and list(repo.pulls[number].reviewers) == ["bob"]
    )


async def fix_readme(agent: Agent) -> None:
    [(_, line)] = numbered_lines(await agent.text("get_file_contents", path="README.md", match="pip install"))
    await agent.json(
        "edit_file",
        path="README.md",
        old_text=line,
        new_text=line.replace("kettle-http", "kettle"),
        message="README: the package is kettle",
    )


def fixed_readme(sandbox: Sandbox, _: Any) -> None:
    readme = kettle(sandbox).branches["main"]["README.md"]
    assert b"pip install kettle\n" in readme and b"kettle-http" not in readme


TASKS = [
    Task(
        "changelog-from-merged-prs",
        "changelog",
        "Add a 1.1.0 section to CHANGELOG.md listing the pull requests merged since 1.0: title, number and author.",
        write_changelog,
        wrote_changelog,
    ),
    Task(
        "hotfix-from-issue",
        "hotfix",
        "Issue #6 says the docs give the wrong port. Fix it on a branch and open a PR that fixes #6, labelled bug, "
        "with bob reviewing.",
        hotfix_from_issue,
        fixed_from_issue,
    ),
    Task(
        "release-with-notes",
        "release",
        "Tag v1.1 on main and publish a release whose notes list what was merged since v1.0.",
        release_with_notes,
        released_with_notes,
    ),
    Task(
        "bump-version",
        "release",
        "Bump the version to 1.1.0 in kettle/__init__.py and pyproject.toml.",
        bump_version,
        bumped_version,
    ),
    Task(
        "fix-conflict",
        "conflict fix",
        "PR !4 cannot be merged. Find out why and fix it.",
        fix_conflict,
        fixed_conflict,
    ),
    Task(
        "review-with-line-comments",
        "review",
        "Review PR !3: comment on the TODO line and on the burst size, then leave a short summary.",
        review_docs,
        reviewed_docs,
    ),
    Task(
        "faq-pull-request",
        "pull request",
        "Open a pull request from docs-faq titled 'Add a FAQ', labelled faq (a new label), with bob reviewing.",
        open_faq_pull_request,
        opened_faq_pull_request,
    ),
    Task(
        "fix-readme",
        "edit",
        "The README tells people to pip install kettle-http; the package is kettle. Fix it.",
        fix_readme,
        fixed_readme,
    ),
    Task(
        "three-files-one-commit",
        "edit",
        "Add LICENSE, NOTICE and AUTHORS in a single commit.",
        blocked="GitCode's API commits one file at a time: its v5 reference and AtomGit's index of the same operations "
        "have no multi-file commit, and the GitCode CLI has none; each file is its own commit",
    ),
]
