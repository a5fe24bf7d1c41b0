"""An agent's whole change, played through an MCP client on the stateful simulator: issue, branch, commits, PR,
line review, reply, approval, merge, labels, tag, release and search.

Each step asserts the requests GitCode received (so their number: what the step cost) and the state after it, the way
the live service would hold it. One client speaks for alice (the repository's owner), one for bob (her reviewer).
`bench/workflow_cost.py` plays the same scenario and prints what each step cost in requests and bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from mcp import Client

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.releases import ReleaseFile, Releases
from gitcode_mcp.sandbox.state import now
from tests.conftest import Connect, demo, text, unfenced

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
GUIDE = "# Guide\n\nline two\nline three\n"
FIXED = "# Guide\n\nline 2\nline three\n"
TOKENS = {"alice": "sandbox-token", "bob": "bob-token"}  # the simulator's tokens


@dataclass
class Step:
    """What one tool call cost: GitCode's requests and answer bytes, and the bytes the agent read."""

    caller: str
    tool: str
    requests: int
    gitcode_bytes: int
    agent_bytes: int


class Agent:
    """One caller's MCP client, and what GitCode received for each of its calls (`steps`, shared by the callers)."""

    def __init__(self, name: str, client: Client, sandbox: Sandbox, steps: list[Step]) -> None:
        self.name, self.client, self.sandbox, self.steps = name, client, sandbox, steps
        self.last_text = ""

    async def run(self, tool: str, args: dict[str, Any], *sends: str, error: bool = False, scoped: bool = True) -> Any:
        """Call the tool (on alice/demo when `scoped`); assert it sent exactly `sends` ("METHOD path", in order);
        answer its JSON (or its text)."""
        before = len(self.sandbox.requests)
        result = await self.client.call_tool(tool, {**DEMO, **args} if scoped else args)
        assert result.is_error == error, text(result)
        received = self.sandbox.requests[before:]
        shown = sum(len(block.text.encode()) for block in result.content if block.type == "text")
        answered = sum(r.response_size for r in received)
        self.steps.append(Step(self.name, tool, len(received), answered, shown))
        assert [f"{r.method} {r.path}" for r in received] == list(sends)
        assert all(r.status < 400 for r in received), [(r.path, r.status) for r in received]
        token = TOKENS[self.name]  # each caller's own token, in both headers GitCode reads
        assert all(r.headers["private-token"] == token for r in received)
        assert all(r.headers["authorization"] == f"Bearer {token}" for r in received)
        answer = self.last_text = text(result)
        if error:
            return answer
        first = result.content[0].text if result.content[0].type == "text" else ""
        try:
            return json.loads(first)
        except ValueError:
            return answer


def body_of(sandbox: Sandbox, method: str) -> Any:
    """The body of the last request with this method: what GitCode was asked to write."""
    return next(r.body for r in reversed(sandbox.requests) if r.method == method)


@pytest.mark.parametrize("mode", ["auto", "legacy"])  # the 2026-07-28 protocol, and the initialize handshake
async def test_an_agent_ships_a_change_from_issue_to_release(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    steps: list[Step] = []
    async with connect(mode=mode) as alice_client, connect(mode=mode, token="bob-token") as bob_client:
        await play(Agent("alice", alice_client, sandbox, steps), Agent("bob", bob_client, sandbox, steps), sandbox)
    # The whole change cost this many GitCode requests (every step asserted its own), and nothing else was sent.
    assert len(steps) == 34
    assert sum(step.requests for step in steps) == len(sandbox.requests) == 42


async def play(alice: Agent, bob: Agent, sandbox: Sandbox) -> None:
    """The scenario, on a fresh simulator: alice owns alice/demo, bob reviews."""
    repo = demo(sandbox)
    # The repository asks for one approval before a merge (as its owner set it on GitCode).
    await alice.run(
        "set_pull_request_settings",
        {"changes": {"approval_required_reviewers": 1}},
        "PUT repos/alice/demo/pull_request_settings",
    )
    assert repo.approvals_required == 1

    issue = await alice.run(
        "create_issue",
        {"title": "Write a user guide", "body": "Nothing explains the basics."},
        "POST repos/alice/issues",
    )
    assert repo.issues[issue["number"]].title == "Write a user guide"

    # A branch to work on, from main.
    branch = await alice.run("create_branch", {"branch": "guide", "ref": "main"}, "POST repos/alice/demo/branches")
    assert body_of(sandbox, "POST") == {"branch_name": "guide", "refs": "main"}
    assert branch["sha"] == repo.head_sha("main") and repo.branches["guide"] == repo.branches["main"]

    # Commit a file to it, fix it with its sha, add and delete a scratch file.
    await alice.run(
        "create_file",
        {"path": "docs/guide.md", "content": GUIDE, "message": "Add the guide", "branch": "guide"},
        "POST repos/alice/demo/contents/docs/guide.md",
    )
    assert repo.branches["guide"]["docs/guide.md"] == GUIDE.encode()
    assert "docs/guide.md" not in repo.branches["main"]
    read = await alice.run(
        "get_file_contents",
        {"path": "docs/guide.md", "ref": "guide"},
        "GET repos/alice/demo/contents/docs/guide.md",
    )
    updated = await alice.run(
        "update_file",
        {"path": "docs/guide.md", "content": FIXED, "message": "Say 2", "branch": "guide", "sha": read["sha"]},
        "PUT repos/alice/demo/contents/docs/guide.md",
    )
    assert repo.branches["guide"]["docs/guide.md"] == FIXED.encode() and updated["sha"] != read["sha"]
    await alice.run(
        "create_file",
        {"path": "scratch.txt", "content": "notes", "message": "Scratch", "branch": "guide"},
        "POST repos/alice/demo/contents/scratch.txt",
    )
    scratch = await alice.run(
        "get_file_contents", {"path": "scratch.txt", "ref": "guide"}, "GET repos/alice/demo/contents/scratch.txt"
    )
    await alice.run(
        "delete_file",
        {"path": "scratch.txt", "message": "Drop scratch", "branch": "guide", "sha": scratch["sha"]},
        "DELETE repos/alice/demo/contents/scratch.txt",
    )
    assert "scratch.txt" not in repo.branches["guide"]
    assert [c.message for c in repo.log("guide")[-4:]] == ["Add the guide", "Say 2", "Scratch", "Drop scratch"]

    # Open the PR and link the issue it closes.
    pr = await alice.run(
        "create_pull_request",
        {"title": "Add a user guide", "head": "guide", "base": "main", "body": "The basics, in docs/guide.md."},
        "POST repos/alice/demo/pulls",
    )
    number = pr["number"]
    assert repo.pulls[number].state == "open" and pr["head"]["sha"] == repo.head_sha("guide")
    PR = {"number": number}
    await alice.run(
        "link_pull_request_issues",
        {**PR, "issues": [issue["number"]]},
        f"POST repos/alice/demo/pulls/{number}/issues",
    )
    assert body_of(sandbox, "POST") == [issue["number"]]  # probe: a raw JSON array of numbers

    # Read what it changes: files, commits, one commit's diff.
    files = await alice.run("list_pull_request_files", PR, f"GET repos/alice/demo/pulls/{number}/files")
    assert [(f["path"], f["status"], f["additions"]) for f in files["files"]] == [("docs/guide.md", "added", 4)]
    assert "+line 2\n" in files["files"][0]["patch"]
    commits = await alice.run("list_pull_request_commits", PR, f"GET repos/alice/demo/pulls/{number}/commits")
    assert [c["message"] for c in commits["items"]] == ["Add the guide", "Say 2", "Scratch", "Drop scratch"]
    say_2 = commits["items"][1]["sha"]
    diff = await alice.run("get_commit", {"ref": say_2, "format": "diff"}, f"GET repos/alice/demo/commit/{say_2}/diff")
    assert "-line two\n+line 2\n" in diff

    # Ask bob to review; he comments on line 3 and alice replies in the discussion.
    await alice.run(
        "set_pull_request_reviewers",
        {**PR, "action": "add", "users": ["bob"]},
        f"POST repos/alice/demo/pulls/{number}/assignees",
        f"GET repos/alice/demo/pulls/{number}",
    )
    assert repo.pulls[number].reviewers == {"bob": False}  # asked, not yet approved
    comment = await bob.run(
        "create_pull_request_comment",
        {**PR, "body": "Spell out 'two'?", "path": "docs/guide.md", "line": 3},
        f"GET repos/alice/demo/pulls/{number}",
        "GET repos/alice/demo/contents/docs/guide.md",
        f"POST repos/alice/demo/pulls/{number}/comments",
        f"GET repos/alice/demo/pulls/{number}/comments",
    )
    assert comment["confirmed"] is True and (comment["path"], comment["line"]) == ("docs/guide.md", 3)
    anchor = {key: body_of(sandbox, "POST")[key] for key in ("path", "line", "new_line", "position")}
    assert anchor == {"path": "docs/guide.md", "line": 3, "new_line": 3, "position": 3}  # probe: all three
    discussion = {**PR, "discussion_id": comment["discussion_id"]}
    posted = next(c for c in repo.pulls[number].comments if c.discussion_id == comment["discussion_id"])
    assert (posted.path, posted.line, posted.user.login) == ("docs/guide.md", 3, "bob")
    await alice.run(
        "reply_or_resolve_pull_request_discussion",
        {**discussion, "body": "Digits read better in a list."},
        f"POST repos/alice/demo/pulls/{number}/discussions/{comment['discussion_id']}/comments",
    )
    assert [r.body for r in posted.replies] == ["Digits read better in a list."]

    # The merge is refused with GitCode's reasons, and nothing is sent.
    blocked = await alice.run("merge_pull_request", PR, f"GET repos/alice/demo/pulls/{number}", error=True)
    assert "Not merged, nothing was sent" in blocked
    assert "unresolved discussions" in blocked and "approval_reviewers_required" in blocked
    assert repo.pulls[number].state == "open"

    # Resolve the discussion; bob approves.
    await bob.run(
        "reply_or_resolve_pull_request_discussion",
        {**discussion, "resolved": True},
        f"PUT repos/alice/demo/pulls/{number}/comments/{comment['discussion_id']}",
    )
    assert posted.resolved is True
    approved = await bob.run(
        "approve_pull_request",
        PR,
        f"POST repos/alice/demo/pulls/{number}/review",
        f"GET repos/alice/demo/pulls/{number}",
    )
    assert approved["approved_by"] == ["bob"]

    # Merged: main now has the guide, and the PR reads as merged.
    before = repo.head_sha("main")
    merged = await alice.run(
        "merge_pull_request",
        {**PR, "method": "squash", "title": "Add a user guide (#3)"},
        f"GET repos/alice/demo/pulls/{number}",
        f"PUT repos/alice/demo/pulls/{number}/merge",
    )
    assert body_of(sandbox, "PUT") == {"merge_method": "squash", "title": "Add a user guide (#3)"}
    assert merged["merged"] is True and merged["sha"] == repo.head_sha("main") != before
    assert repo.branches["main"]["docs/guide.md"] == FIXED.encode() and "scratch.txt" not in repo.branches["main"]
    assert repo.pulls[number].state == "merged"
    got = await alice.run("get_pull_request", PR, f"GET repos/alice/demo/pulls/{number}")
    assert (got["state"], got["merged_by"]) == ("merged", "alice")
    on_main = await alice.run(
        "get_file_contents", {"path": "docs/guide.md", "ref": "main"}, "GET repos/alice/demo/contents/docs/guide.md"
    )
    assert on_main["lines"] == 4
    await alice.run("delete_branch", {"branch": "guide"}, "DELETE repos/alice/demo/branches/guide")
    assert "guide" not in repo.branches

    # Labels: a new one, two added to the PR, one taken off.
    await alice.run("create_label", {"name": "documentation", "color": "#0075ca"}, "POST repos/alice/demo/labels")
    await alice.run(
        "set_pull_request_labels",
        {**PR, "action": "add", "labels": ["documentation", "enhancement"]},
        f"POST repos/alice/demo/pulls/{number}/labels",
        f"GET repos/alice/demo/pulls/{number}/labels",
    )
    await alice.run(
        "set_pull_request_labels",
        {**PR, "action": "remove", "labels": ["enhancement"]},
        f"DELETE repos/alice/demo/pulls/{number}/labels/enhancement",
        f"GET repos/alice/demo/pulls/{number}/labels",
    )
    assert repo.pulls[number].labels == ["documentation"]

    # A tag on the merge, a release on it, and a file attached to the release.
    tag = await alice.run(
        "create_tag", {"tag_name": "v1.1", "ref": "main", "message": "The guide"}, "POST repos/alice/demo/tags"
    )
    assert tag["sha"] == merged["sha"] == repo.tags["v1.1"].sha
    await alice.run(
        "create_release",
        {"tag_name": "v1.1", "name": "1.1", "body": "Adds a user guide."},
        "POST repos/alice/demo/releases",
    )
    assert Releases.of(repo).releases["v1.1"].body == "Adds a user guide."
    target = await alice.run(
        "get_release_file",
        {"tag": "v1.1", "file_name": "guide.pdf", "upload_url": True},
        "GET repos/alice/demo/releases/v1.1/upload_url",
    )
    # Live, GitCode puts the caller's token into the storage upload's headers, so the tool stops there (its
    # token never leaves for another host). The file arrives as the storage host's callback would attach it.
    assert target["headers"]["x-obs-callback"] == "***" and "blocked" in target
    owner = sandbox.world.users["alice"]
    Releases.of(repo).releases["v1.1"].files.append(
        ReleaseFile(901, "guide.txt", FIXED.encode(), "text/plain", owner, now())
    )
    release = await alice.run("get_release", {"tag": "v1.1"}, "GET repos/alice/demo/releases/tags/v1.1")
    assert [(f["name"], f["id"]) for f in release["files"]] == [("guide.txt", 901)]
    downloaded = await alice.run(
        "get_release_file",
        {"tag": "v1.1", "file_name": "guide.txt"},
        "GET repos/alice/demo/releases/v1.1/attach_files/guide.txt/download",
    )
    assert downloaded == {"name": "guide.txt", "size": len(FIXED), "type": "text/plain"}
    assert unfenced(alice.last_text.split("\n", 1)[1]) == FIXED

    # Search finds the issue the work started from, now linked to the merged PR.
    found = await bob.run("search_gitcode", {"q": "user guide", "kind": "issues"}, "GET search/issues", scoped=False)
    assert [(i["repo"], i["number"]) for i in found["items"]] == [("alice/demo", issue["number"])]
    links = await alice.run("list_pull_request_issues", PR, f"GET repos/alice/demo/pulls/{number}/issues")
    assert [i["number"] for i in links["linked"]] == [issue["number"]]
