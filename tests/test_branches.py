"""Branch quirks: a name with '/' travels percent-encoded in its one path segment (and only so); a branch made from a
branch, tag or commit starts with that commit's files and history, takes commits, is compared and deleted; protection
rules are created, replaced and removed through their own paths, and a protected branch refuses deletion."""

from __future__ import annotations

import json

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import Tag
from tests.conftest import Connect, call, demo, refused, sent, sim, unfenced

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
BOB = SecretStr("bob-token")


async def test_a_branch_takes_a_commit_is_compared_and_deleted(connect: Connect, sandbox: Sandbox) -> None:
    main = demo(sandbox).head_sha("main")
    made = await call(connect, "create_branch", {**DEMO, "branch": "topic/notes", "ref": "main"})
    assert made["name"] == "topic/notes" and made["sha"] == main
    assert sandbox.requests[-1].body == {"branch_name": "topic/notes", "refs": "main"}

    written = await call(
        connect,
        "create_file",
        {**DEMO, "path": "notes.md", "content": "hello\nworld\n", "message": "Add notes", "branch": "topic/notes"},
    )
    listed = await call(connect, "list_commits", {**DEMO, "ref": "topic/notes"})
    assert sandbox.requests[-1].query == {"sha": "topic/notes", "page": "1", "per_page": "20"}
    assert [c["sha"] for c in listed["items"]] == [written["commit"], main]
    assert listed["items"][0]["message"] == "Add notes" and listed["items"][0]["author"]["login"] == "alice"

    diff = await call(connect, "get_commit", {**DEMO, "ref": written["commit"], "format": "diff"})
    assert sent(sandbox, "raw_path")[-1] == f"GET repos/alice/demo/commit/{written['commit']}/diff"
    assert unfenced(diff) == (
        "diff --git a/notes.md b/notes.md\nnew file mode 100644\n--- /dev/null\n+++ b/notes.md\n"
        "@@ -0,0 +1,2 @@\n+hello\n+world\n"
    )

    compared = await call(connect, "compare_commits", {**DEMO, "base": "main", "head": "topic/notes"})
    assert sent(sandbox, "raw_path")[-1] == "GET repos/alice/demo/compare/main...topic%2Fnotes"
    assert sandbox.requests[-1].template == "repos/{owner}/{repo}/compare/{base}...{head}"
    assert compared["merge_base"] == main
    assert [c["sha"] for c in compared["commits"]] == [written["commit"]]
    assert compared["files"] == [
        {
            "path": "notes.md",
            "status": "added",
            "additions": 2,
            "deletions": 0,
            "patch": "@@ -0,0 +1,2 @@\n+hello\n+world\n",
        }
    ]

    assert await call(connect, "delete_branch", {**DEMO, "branch": "topic/notes"}) == {"deleted": "topic/notes"}
    assert sent(sandbox, "raw_path")[-1] == "DELETE repos/alice/demo/branches/topic%2Fnotes"
    assert "topic/notes" not in demo(sandbox).branches and "topic/notes" not in demo(sandbox).logs
    gone = await refused(connect, "list_branches", {**DEMO, "branch": "topic/notes"})
    assert "GitCode 404" in gone
    names = [b["name"] for b in (await call(connect, "list_branches", DEMO))["items"]]
    assert names == ["docs", "feature", "main"]


async def test_a_branch_name_travels_encoded_in_one_segment_only(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "create_branch", {**DEMO, "branch": "release/1.0", "ref": "main"})
    one = await call(connect, "list_branches", {**DEMO, "branch": "release/1.0"})
    assert sent(sandbox, "raw_path")[-1] == "GET repos/alice/demo/branches/release%2F1.0"
    assert one["name"] == "release/1.0" and one["protected"] is True  # the seeded release/* rule
    assert (await sim(sandbox, "GET", "repos/alice/demo/branches/release%2F1.0", token=None)).status_code == 200
    # The reference declares the branch as one path parameter: a bare '/' makes two segments and reaches no route.
    assert (await sim(sandbox, "GET", "repos/alice/demo/branches/release/1.0", token=None)).status_code == 404


async def test_a_branch_starts_from_a_tag_or_a_commit_with_its_history(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    first = repo.head_sha("main")
    repo.tags["v0.1"] = Tag("v0.1", first, "", repo.owner, "2026-11-20T10:00:00+08:00")
    later = await call(
        connect, "create_file", {**DEMO, "path": "CHANGES.md", "content": "- notes\n", "message": "Start a changelog"}
    )
    tagged = await call(connect, "create_branch", {**DEMO, "branch": "from-tag", "ref": "v0.1"})
    assert tagged["sha"] == first
    assert "CHANGES.md" not in repo.branches["from-tag"] and [c.sha for c in repo.logs["from-tag"]] == [first]

    by_sha = await call(connect, "create_branch", {**DEMO, "branch": "from-sha", "ref": later["commit"][:10]})
    assert by_sha["sha"] == later["commit"]
    assert [c.sha for c in repo.logs["from-sha"]] == [first, later["commit"]]
    assert repo.branches["from-sha"]["CHANGES.md"] == b"- notes\n"

    unknown = await refused(connect, "create_branch", {**DEMO, "branch": "nowhere", "ref": "v9"})
    assert (
        "GitCode 400" in unknown and "Invalid reference name: v9" in unknown and "no branch, tag or commit" in unknown
    )
    twice = await refused(connect, "create_branch", {**DEMO, "branch": "feature", "ref": "main"})
    assert "already exists" in twice


async def test_protection_rules_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    rule = {**DEMO, "wildcard": "main", "push": ["admin"], "merge": ["admin", "maintainer"]}
    assert await call(connect, "set_branch_protection", rule) == {
        "wildcard": "main",
        "push": ["admin"],
        "merge": ["admin", "maintainer"],
        "created": True,
    }
    assert sent(sandbox, "raw_path")[-2:] == [
        "GET repos/alice/demo/protect_branches",
        "PUT repos/alice/demo/branches/setting/new",
    ]
    assert sandbox.requests[-1].body == {"wildcard": "main", "pusher": "admin", "merger": "admin;maintainer"}
    assert (await call(connect, "list_branches", {**DEMO, "branch": "main"}))["protected"] is True

    changed = await call(connect, "set_branch_protection", {**rule, "push": [], "merge": ["developer"]})
    assert changed["created"] is False
    assert sent(sandbox, "raw_path")[-1] == "PUT repos/alice/demo/branches/main/setting"
    assert sandbox.requests[-1].body == {"pusher": "", "merger": "develop"}  # GitCode's word for the role (cli)
    rules = await call(connect, "list_branch_protections", DEMO)
    assert rules[1] == {
        "wildcard": "main",
        "push": ["none"],
        "merge": ["developer"],
        "updated_at": rules[1]["updated_at"],
    }

    await call(connect, "create_branch", {**DEMO, "branch": "release/2.0", "ref": "main"})
    refusal = await refused(connect, "delete_branch", {**DEMO, "branch": "release/2.0"})
    assert "GitCode 400" in refusal and "protected" in refusal and "list_branch_protections" in refusal
    assert await call(connect, "delete_branch_protection", {**DEMO, "wildcard": "release/*"}) == {
        "deleted": "release/*"
    }
    assert sent(sandbox, "raw_path")[-1] == "DELETE repos/alice/demo/branches/release%2F%2A/setting"
    assert await call(connect, "delete_branch", {**DEMO, "branch": "release/2.0"}) == {"deleted": "release/2.0"}
    assert [r["wildcard"] for r in await call(connect, "list_branch_protections", DEMO)] == ["main"]
    missing = await refused(connect, "delete_branch_protection", {**DEMO, "wildcard": "release/*"})
    assert "GitCode 404" in missing and "no rule has this wildcard" in missing


async def test_a_word_that_is_no_role_is_read_as_a_login(sandbox: Sandbox) -> None:
    """GitCode's role words are admin, develop and maintainer (cli, ref demo); any other word names a user, so
    `developer` is a login that does not exist, and a real login is a user who may push."""
    new_rule = "repos/alice/demo/branches/setting/new"
    wrong = await sim(sandbox, "PUT", new_rule, json={"wildcard": "dev", "pusher": "developer", "merger": "admin"})
    assert wrong.status_code == 404 and wrong.json()["error_message"] == "Not Found User developer"
    right = await sim(sandbox, "PUT", new_rule, json={"wildcard": "dev", "pusher": "develop;bob", "merger": "admin"})
    assert right.status_code == 200
    rule = next(
        r for r in (await sim(sandbox, "GET", "repos/alice/demo/protect_branches")).json() if r["name"] == "dev"
    )
    assert rule["developers_can_push"] is True and [u["login"] for u in rule["push_users"]] == ["bob"]


async def test_the_default_branch_and_strangers_are_refused(connect: Connect, sandbox: Sandbox) -> None:
    assert "cannot be deleted" in await refused(connect, "delete_branch", {**DEMO, "branch": "main"})
    args = {**DEMO, "wildcard": "feature", "push": [], "merge": []}
    assert "needs admin rights" in await refused(connect, "set_branch_protection", args, token=BOB)
    assert set(demo(sandbox).branch_rules) == {"release/*"}


async def test_a_branch_answer_is_compact(connect: Connect, sandbox: Sandbox) -> None:
    one = await call(connect, "list_branches", {**DEMO, "branch": "main"})
    assert one == {
        "name": "main",
        "sha": demo(sandbox).head_sha("main"),
        "title": "Initial commit",
        "author": "Alice",
        "date": one["date"],
        "default": True,
        "can_push": True,
    }
    assert sandbox.requests[-1].response_size > 3 * len(json.dumps(one))
