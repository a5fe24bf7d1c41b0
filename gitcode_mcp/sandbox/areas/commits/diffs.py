"""What a commit changed, as GitCode's diff and patch answers carry it."""

from __future__ import annotations

import difflib
from datetime import datetime
from email.utils import format_datetime
from typing import Any

from gitcode_mcp.sandbox.areas.commits.graph import person
from gitcode_mcp.sandbox.areas.contents import blob_sha
from gitcode_mcp.sandbox.state import Commit, Files, Repo


def _text(raw: bytes | None) -> list[str] | None:
    """A file's lines for a diff, or None when it is binary."""
    if raw is None:
        return []
    if b"\x00" in raw:
        return None
    try:
        return raw.decode().splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def _hunks(old: list[str], new: list[str]) -> list[str]:
    out = []
    for line in list(difflib.unified_diff(old, new, n=3))[2:]:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return out


def changes(old: Files, new: Files) -> list[dict[str, Any]]:
    """What changed from `old` to `new`, file by file: status, counts and the hunks (as pulls.changes reads a PR).
    A file removed and added with the same content is a rename."""
    added = {p for p in new if p not in old}
    removed = {p for p in old if p not in new}
    renames = {path: was for path in sorted(added) for was in sorted(removed) if new[path] == old[was]}
    out = []
    for path in sorted((set(old) | set(new)) - set(renames.values())):
        was = renames.get(path, path)
        before, after = old.get(was), new.get(path)
        if before == after and path not in renames:
            continue
        old_lines, new_lines = _text(before), _text(after)
        binary = old_lines is None or new_lines is None
        hunks = [] if binary or old_lines is None or new_lines is None else _hunks(old_lines, new_lines)
        status = (
            "renamed" if path in renames else "added" if before is None else "removed" if after is None else "modified"
        )
        out.append(
            {
                "path": path,
                "old_path": was,
                "status": status,
                "old_sha": blob_sha(before) if before is not None else None,
                "sha": blob_sha(after) if after is not None else None,
                "additions": sum(1 for h in hunks if h.startswith("+")),
                "deletions": sum(1 for h in hunks if h.startswith("-")),
                "binary": binary,
                "hunks": "".join(hunks),
            }
        )
    return out


def git_diff(files: list[dict[str, Any]]) -> str:
    """The changes as `git diff` writes them."""
    out = []
    for f in files:
        a, b = f"a/{f['old_path']}", f"b/{f['path']}"
        out.append(f"diff --git {a} {b}\n")
        if f["status"] == "added":
            out.append("new file mode 100644\n")
        elif f["status"] == "removed":
            out.append("deleted file mode 100644\n")
        elif f["status"] == "renamed":
            out.append(f"similarity index 100%\nrename from {f['old_path']}\nrename to {f['path']}\n")
            continue
        old, new = (f["old_sha"] or "0" * 40)[:7], (f["sha"] or "0" * 40)[:7]
        out.append(f"index {old}..{new}" + (" 100644\n" if f["status"] == "modified" else "\n"))
        if f["binary"]:
            out.append(
                f"Binary files {a if f['old_sha'] else '/dev/null'} and {b if f['sha'] else '/dev/null'} differ\n"
            )
            continue
        out.append(f"--- {a if f['old_sha'] else '/dev/null'}\n+++ {b if f['sha'] else '/dev/null'}\n{f['hunks']}")
    return "".join(out)


def git_patch(commit: Commit, files: list[dict[str, Any]]) -> str:
    """The commit as `git format-patch` writes it: a mail header, the stat, the diff."""
    title, _, rest = commit.message.strip().partition("\n")
    when = format_datetime(datetime.fromisoformat(commit.created_at))
    stat = "".join(
        f" {f['path']} | {'Bin' if f['binary'] else f['additions'] + f['deletions']} "
        f"{'+' * f['additions']}{'-' * f['deletions']}\n"
        for f in files
    )
    plus, minus = sum(f["additions"] for f in files), sum(f["deletions"] for f in files)
    summary = (
        f" {len(files)} file{'s' if len(files) != 1 else ''} changed, {plus} insertions(+), {minus} deletions(-)\n"
    )
    body = f"\n{rest.strip()}\n" if rest.strip() else ""
    return (
        f"From {commit.sha} Mon Sep 17 00:00:00 2001\nFrom: {person(commit)['name']} <{person(commit)['email']}>\n"
        f"Date: {when}\nSubject: [PATCH] {title}\n{body}\n---\n{stat}{summary}\n{git_diff(files)}--\n2.39.0\n\n"
    )


def render_file(repo: Repo, commit: Commit, f: dict[str, Any]) -> dict[str, Any]:
    """A changed file of a comparison (ref, "Commits Comparison")."""
    return {
        "sha": f["sha"] or f["old_sha"],
        "filename": f["path"],
        "status": f["status"],
        "additions": f["additions"],
        "deletions": f["deletions"],
        "changes": f["additions"] + f["deletions"],
        "blob_url": f"{repo.web_url}/blob/{commit.sha}/{f['path']}",
        "raw_url": f"{repo.web_url}/raw/{commit.sha}/{f['path']}",
        "patch": f["hunks"],
        "truncated": False,
    }
