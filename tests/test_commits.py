"""Commit quirks: lists newest first with GitCode's filters (the time format it takes), one commit read with
`show_diff` for its files, diffs and patches as text (a branch resolved to its sha first), comparisons whose two refs
share one path segment, comments whose create answer carries a string id (the integer one is read back), and code
contribution at the one path without `repos/`."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.commits.comments import CommitComments
from gitcode_mcp.tools.commits import DOCS_SHA, MAIN_SHA, SEEDED_COMMENT
from gitcode_mcp.tools.contents import README_SHA
from tests.conftest import Connect, call, demo, refused, sent, sim, unfenced

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
BOB = SecretStr("bob-token")


async def write(connect: Connect, path: str, content: str, message: str, **settings: Any) -> str:
    args = {**DEMO, "path": path, "content": content, "message": message, "branch": "main"}
    return (await call(connect, "create_file", args, **settings))["commit"]


def test_the_examples_name_the_seeded_commits(sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    assert (repo.head_sha("main"), repo.head_sha("docs")) == (MAIN_SHA, DOCS_SHA)
    assert [c.id for c in CommitComments.of(repo).commit_comments] == [SEEDED_COMMENT]


async def test_list_commits_filters_as_gitcode_does(connect: Connect, sandbox: Sandbox) -> None:
    mine = await write(connect, "src/a.py", "a = 1\n", "Add a")
    bobs = await write(connect, "docs/b.md", "b\n", "Add b", token=BOB)
    everything = await call(connect, "list_commits", DEMO)
    assert [c["sha"] for c in everything["items"]] == [bobs, mine, MAIN_SHA]
    by_bob = await call(connect, "list_commits", {**DEMO, "author": "bob"})
    assert [c["sha"] for c in by_bob["items"]] == [bobs]
    in_src = await call(connect, "list_commits", {**DEMO, "path": "src"})
    assert [c["sha"] for c in in_src["items"]] == [mine, MAIN_SHA]
    # ref: times as 2024-11-08T16:25:44Z; a time with another zone is sent in UTC.
    later = await call(connect, "list_commits", {**DEMO, "since": "2099-01-01T08:00:00+08:00", "until": "2099-12-31"})
    assert later["items"] == [] and later["has_more"] is False
    assert sandbox.requests[-1].query == {
        "since": "2099-01-01T00:00:00Z",
        "until": "2099-12-31T00:00:00Z",
        "page": "1",
        "per_page": "20",
    }
    paged = await call(connect, "list_commits", {**DEMO, "per_page": 2})
    assert len(paged["items"]) == 2 and paged["has_more"] is True


async def test_get_commit_asks_for_its_files(connect: Connect, sandbox: Sandbox) -> None:
    sha = await write(connect, "src/app.py.bak", "x\ny\n", "Back up the app\n\nJust in case.")
    got = await call(connect, "get_commit", {**DEMO, "ref": "main"})
    assert sandbox.requests[-1].raw_path == "repos/alice/demo/commits/main"
    assert sandbox.requests[-1].query == {"show_diff": "true"}
    assert got == {
        "sha": sha,
        "message": "Back up the app\n\nJust in case.",
        "author": {"name": "Alice", "email": "alice@noreply.gitcode.com", "login": "alice"},
        "date": got["date"],
        "parents": [MAIN_SHA],
        "additions": 2,
        "deletions": 0,
        "files": ["src/app.py.bak"],
        "url": f"https://gitcode.com/alice/demo/commit/{sha}",
    }


async def test_a_branch_is_resolved_before_its_patch_is_read(connect: Connect, sandbox: Sandbox) -> None:
    readme = demo(sandbox).branches["main"]["README.md"].decode()
    args = {**DEMO, "path": "README.md", "content": readme + "Install: pip install demo\n", "message": "Say how"}
    args["sha"] = README_SHA
    sha = (await call(connect, "update_file", args))["commit"]
    sandbox.requests.clear()
    patch = unfenced(await call(connect, "get_commit", {**DEMO, "ref": "main", "format": "patch"}))
    assert sent(sandbox, "raw_path") == [
        "GET repos/alice/demo/commits/main",
        f"GET repos/alice/demo/commit/{sha}/patch",
    ]
    assert sandbox.requests[0].query == {}  # no show_diff: only the sha is wanted
    assert patch.startswith(f"From {sha} Mon Sep 17 00:00:00 2001\nFrom: Alice <alice@noreply.gitcode.com>\n")
    assert "Subject: [PATCH] Say how\n" in patch and " README.md | 1 +\n" in patch
    assert patch.endswith(
        "@@ -1,3 +1,4 @@\n # demo\n \n A repository to try gitcode-mcp on.\n+Install: pip install demo\n"
    )
    # What an agent cannot use is left out: blob index lines and the trailing Git version.
    assert "\nindex " not in patch and "2.39.0" not in patch
    diff = unfenced(await call(connect, "get_commit", {**DEMO, "ref": sha, "format": "diff"}))
    assert sandbox.requests[-1].raw_path == f"repos/alice/demo/commit/{sha}/diff"  # a sha is read directly
    assert diff.startswith("diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n")


async def test_compare_puts_both_refs_in_one_segment(connect: Connect, sandbox: Sandbox) -> None:
    compared = await call(connect, "compare_commits", {**DEMO, "base": "main", "head": "feature"})
    request = sandbox.requests[-1]
    assert request.raw_path == "repos/alice/demo/compare/main...feature"
    assert request.template == "repos/{owner}/{repo}/compare/{base}...{head}"
    # The seeded branches share no history: no merge base, feature's own commit, the files compared directly.
    assert "merge_base" not in compared
    assert [c["sha"] for c in compared["commits"]] == [demo(sandbox).head_sha("feature")]
    assert {(f["path"], f["status"]) for f in compared["files"]} == {
        ("src/app.py", "modified"),
        ("src/util.py", "added"),
    }
    docs = await call(connect, "compare_commits", {**DEMO, "base": "main", "head": "docs"})
    by_path = {f["path"]: f for f in docs["files"]}
    assert by_path["docs/manual zh.md"]["status"] == "renamed"
    # big.csv's 30,000 added lines are past the patch budget: counted, its patch left out and said so.
    assert by_path["data/big.csv"]["additions"] == 30_000 and "patch" not in by_path["data/big.csv"]
    assert "1 patches left out" in docs["note"]


async def test_commit_comments_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    made = await call(connect, "create_commit_comment", {**DEMO, "sha": MAIN_SHA, "body": "Nice start."})
    create, read_back = sandbox.requests[-2:]
    assert create.raw_path == f"repos/alice/demo/commits/{MAIN_SHA}/comments" and create.body == {"body": "Nice start."}
    # ref: the create answer's id is a string; the integer id the other operations take is read back.
    raw = (await sim(sandbox, "POST", f"repos/alice/demo/commits/{MAIN_SHA}/comments", json={"body": "raw"})).json()
    assert set(raw) == {"id", "body", "created_at", "updated_at"} and isinstance(raw["id"], str)
    assert read_back.raw_path == f"repos/alice/demo/commits/{MAIN_SHA}/comments"
    assert isinstance(made["id"], int) and made["sha"] == MAIN_SHA

    one = await call(connect, "list_commit_comments", {**DEMO, "comment_id": made["id"]})
    assert one == {
        "id": made["id"],
        "sha": MAIN_SHA,
        "author": "alice",
        "body": "Nice start.",
        "created_at": one["created_at"],
    }
    on_main = await call(connect, "list_commit_comments", {**DEMO, "sha": MAIN_SHA})
    assert [c["body"] for c in on_main["items"]] == ["Nice start.", "raw"]
    everything = await call(connect, "list_commit_comments", DEMO)
    assert [c["body"] for c in everything["items"]] == [
        "Does data/big.csv need to be in the repository?",
        "Nice start.",
        "raw",
    ]

    edited = await call(connect, "update_commit_comment", {**DEMO, "comment_id": made["id"], "body": "Nicer."})
    assert edited["body"] == "Nicer." and sandbox.requests[-1].method == "PATCH"
    bob_edits = await refused(
        connect, "update_commit_comment", {**DEMO, "comment_id": made["id"], "body": "x"}, token=BOB
    )
    assert "GitCode 403" in bob_edits and "only its author" in bob_edits
    assert await call(connect, "delete_commit_comment", {**DEMO, "comment_id": made["id"]}) == {"deleted": made["id"]}
    assert "GitCode 404" in await refused(connect, "list_commit_comments", {**DEMO, "comment_id": made["id"]})

    both = await refused(connect, "list_commit_comments", {**DEMO, "sha": MAIN_SHA, "comment_id": SEEDED_COMMENT})
    assert "comment_id" in both and "not both" in both


async def test_commit_statistics_has_no_repos_prefix(connect: Connect, sandbox: Sandbox) -> None:
    await write(connect, "docs/b.md", "one\ntwo\n", "Add b", token=BOB)
    rows = await call(connect, "get_commit_statistics", {**DEMO, "branch": "main", "since": "2020-01-01"})
    request = sandbox.requests[-1]
    assert request.raw_path == "alice/demo/repository/commit_statistics"
    assert request.template == "{owner}/{repo}/repository/commit_statistics"
    assert request.query == {"branch_name": "main", "since": "2020-01-01"}
    assert {r["author"]: (r["commits"], r["additions"], r["deletions"]) for r in rows} == {
        "alice": (1, 11, 0),
        "bob": (1, 2, 0),
    }
    missing = await refused(connect, "get_commit_statistics", {**DEMO, "branch": "nope"})
    assert "GitCode 404" in missing
