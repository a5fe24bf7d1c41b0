"""What a pull request changes and how it merges: its merge base, a three-way merge line by line, its files and
commits."""

from __future__ import annotations

import difflib
import itertools
from typing import Any

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.commits.graph import ancestry
from gitcode_mcp.sandbox.areas.commits.log import render_commit
from gitcode_mcp.sandbox.state import Commit, Files, PullRequest, Repo, fake_sha

TOO_LARGE_LINES = 10_000  # above this GitCode sends `too_large: true` and no diff text


def source(repo: Repo, pr: PullRequest) -> Repo:
    """The repository the PR's head branch lives in: a fork, or the PR's own repository."""
    return pr.head_repo or repo


def merge_base(repo: Repo, pr: PullRequest) -> Commit | None:
    """The newest commit both the base branch and the head branch descend from; None when they share no history
    (seeded branches, and forks, whose logs are their own)."""
    src = source(repo, pr)
    if src is not repo or pr.head not in repo.branches or pr.base not in repo.branches:
        return None
    base_head, head = repo.log(pr.base)[-1], repo.log(pr.head)[-1]
    if pr.state == "merged":  # the base as it was before the merge commit that brought the head in
        merge = next((c for c in ancestry(repo, base_head) if head.sha in c.parents[1:]), None)
        base_head = repo.commit(merge.parents[0]) if merge else base_head
        if base_head is None:
            return None
    ours = {c.sha for c in ancestry(repo, base_head)}
    return next((c for c in ancestry(repo, head) if c.sha in ours), None)


def _lines(raw: bytes | None) -> list[bytes]:
    return (raw or b"").splitlines(keepends=True)


def merge_file(base: bytes | None, ours: bytes | None, theirs: bytes | None) -> tuple[bytes | None, bool]:
    """One file merged three ways, line by line as `git merge` does: each side's changes to the merge base are both
    kept where they touch different lines; changes to the same lines that differ are a conflict (True)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    if base is None or ours is None or theirs is None or b"\x00" in base + ours + theirs:
        return ours, True  # both added, or one deleted what the other changed, or a binary file
    old = _lines(base)
    edits = []
    for side in (_lines(ours), _lines(theirs)):
        matcher = difflib.SequenceMatcher(None, old, side, autojunk=False)
        edits += [(i1, i2, side[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    edits = sorted(set((i1, i2, tuple(new)) for i1, i2, new in edits))
    # One side's edits are apart (an unchanged line between them); edits that overlap or touch come from both sides.
    if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(edits)):
        return ours, True
    merged = list(old)
    for i1, i2, new in reversed(edits):
        merged[i1:i2] = new
    return b"".join(merged), False


def merged_files(repo: Repo, pr: PullRequest) -> tuple[Files, list[str]]:
    """The base branch's files with the PR merged in, and the paths that conflict. Without a merge base (branches
    that share no history) the head's files are taken as they are."""
    src = source(repo, pr)
    ours, theirs = repo.branches[pr.base], src.branches[pr.head]
    common = merge_base(repo, pr)
    if common is None:
        return dict(theirs), []
    result: Files = {}
    conflicts = []
    for path in sorted(set(common.files) | set(ours) | set(theirs)):
        content, conflict = merge_file(common.files.get(path), ours.get(path), theirs.get(path))
        if conflict:
            conflicts.append(path)
        if content is not None:
            result[path] = content
    return result, conflicts


def changes(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    """The files a PR changes, head against its merge base with the base branch (the base branch itself when they
    share no history), in the live pulls/{n}/files shape. A file removed and added with the same content is a
    rename. `status` is null for renames and deletions (ref shows null statuses; the patch flags then tell), and a
    real word otherwise (live)."""
    src = source(repo, pr)
    common = merge_base(repo, pr)
    base, head = (common.files if common else repo.branches[pr.base]), src.branches[pr.head]
    added = {p for p in head if p not in base}
    removed = {p for p in base if p not in head}
    renames = {new: old for new in added for old in removed if head[new] == base[old]}
    sha = src.head_sha(pr.head)
    out = []
    for path in sorted((set(base) | set(head)) - set(renames.values())):
        old_path = renames.get(path, path)
        old, new = base.get(old_path), head.get(path)
        if old == new and path not in renames:
            continue
        old_lines = (old or b"").decode(errors="replace").splitlines(keepends=True)
        new_lines = (new or b"").decode(errors="replace").splitlines(keepends=True)
        diff = list(difflib.unified_diff(old_lines, new_lines, n=3))[2:]
        plus = sum(1 for d in diff if d.startswith("+"))
        minus = sum(1 for d in diff if d.startswith("-"))
        too_large = max(len(old_lines), len(new_lines)) > TOO_LARGE_LINES
        status = None if path in renames or new is None else "added" if old is None else "modified"
        out.append(
            {
                "sha": sha,
                "filename": path,
                "status": status,
                "additions": plus,
                "deletions": minus,
                "blob_id": fake_sha(path, new),
                "blob_url": f"{repo.web_url}/blob/{sha}/{path}",
                "raw_url": f"https://raw.gitcode.com/{repo.full_name}/raw/{sha}/{path}",
                "patch": {
                    "diff": "" if too_large else "".join(diff),
                    "old_path": old_path,
                    "new_path": path,
                    "a_mode": "0" if old is None else "100644",
                    "b_mode": "0" if new is None else "100644",
                    "new_file": old is None,
                    "renamed_file": path in renames,
                    "deleted_file": new is None,
                    "too_large": too_large,
                    "added_lines": plus,
                    "removed_lines": minus,
                },
                "target_branch": pr.base,
                "source_branch": pr.head,
                "source_project": shapes.project(src),
                "target_project": shapes.project(repo),
            }
        )
    return out


def commits(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    """The head's commits that the base does not have, oldest first (ref shape). A head branch seeded without history
    (its files set, no commits recorded) reads as one commit per changed file, the last one at the head's sha."""
    src = source(repo, pr)
    base = {c.sha for c in ancestry(repo, repo.log(pr.base)[-1])}
    history = ancestry(src, src.log(pr.head)[-1])
    if any(c.sha in base for c in history):
        return [pr_commit(src, c) for c in reversed(history) if c.sha not in base]
    paths = [f["filename"] for f in changes(repo, pr)]
    parent = repo.head_sha(pr.base)
    out = []
    for i, path in enumerate(paths):
        sha = src.head_sha(pr.head) if i == len(paths) - 1 else fake_sha("commit", src.full_name, pr.head, path)
        person = {"name": pr.user.name, "email": f"{pr.user.login}@example.com", "date": pr.created_at}
        out.append(
            {
                "sha": sha,
                "html_url": f"{src.web_url}/commit/{sha}",
                "commit": {"author": person, "committer": person, "message": f"Update {path}\n"},
                "author": shapes.user(pr.user),
                "committer": shapes.user(pr.user),
                "parents": {"sha": parent, "shas": [parent]},
            }
        )
        parent = sha
    return out


def pr_commit(repo: Repo, commit: Commit) -> dict[str, Any]:
    """A commit as a PR's commit list carries it: `parents` is one object here (ref), a list in the commits API."""
    first = commit.parents[0] if commit.parents else None
    return render_commit(repo, commit) | {"parents": {"sha": first, "shas": commit.parents}}
