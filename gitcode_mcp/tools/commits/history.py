"""The commits that added or removed a text: their diffs read a page of commits at a time."""

from __future__ import annotations

import re

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    COMMIT_DIFF,
    COMMITS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Page, Text, gitcode
from gitcode_mcp.tools.commits import DEMO, commits
from gitcode_mcp.tools.commits.log import commit_title, git_author, parent_shas
from gitcode_mcp.views import Obj, drop_empty, sub, to_text

# Commits find_text_in_history reads a diff of, each call: GitCode has no search over history (its reference
# searches repositories, issues and users only; blame is a web page), so each commit's diff is read
# (docs/gitcode-behaviour.md, Commits).
MAX_SCAN = 50
MAX_LINES_SHOWN = 10
_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def _diff_path(line: str) -> str | None:
    name = line[4:].rstrip("\t\n")
    return None if name == "/dev/null" else name[2:] if name[:2] in ("a/", "b/") else name


def text_changes(diff: str, text: str, path: str | None) -> tuple[list[Obj], list[Obj]]:
    """The lines of a unified diff that add and that remove `text`, each with its file and its line number (in the
    new version for an added line, the old one for a removed line); only files at or under `path` when given."""
    added: list[Obj] = []
    removed: list[Obj] = []
    old_path = new_path = None
    old_no = new_no = 0
    in_hunk = False  # a removed line "-- x" inside a hunk is no "--- " header
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            old_path = new_path = None
            in_hunk = False
        elif not in_hunk and line.startswith("--- "):
            old_path = _diff_path(line)
        elif not in_hunk and line.startswith("+++ "):
            new_path = _diff_path(line)
        elif match := _HUNK.match(line):
            old_no, new_no = int(match.group(1)), int(match.group(2))
            in_hunk = True
        elif in_hunk and line[:1] in ("+", "-", " "):
            file = new_path or old_path or ""
            inside = path is None or file == path or file.startswith(path.rstrip("/") + "/")
            if line[0] == "+" and inside and text in line[1:]:
                added.append({"path": file, "line": new_no, "text": line[1:201]})
            elif line[0] == "-" and inside and text in line[1:]:
                removed.append({"path": old_path or file, "line": old_no, "text": line[1:201]})
            old_no += line[0] != "+"
            new_no += line[0] != "-"
    return added, removed


def _shown(lines: list[Obj]) -> list[Obj]:
    return lines[:MAX_LINES_SHOWN] + ([{"more": len(lines) - MAX_LINES_SHOWN}] if len(lines) > MAX_LINES_SHOWN else [])


@commits.read(
    Example({**DEMO, "text": "def main", "ref": "feature"}, f"GET {COMMITS}", f"GET {COMMIT_DIFF}"),
    Example({**DEMO, "text": "hello", "path": "src/app.py", "page": 1}, f"GET {COMMITS}", f"GET {COMMIT_DIFF}"),
)
async def find_text_in_history(
    owner: str, repo: str, text: Text, ctx: Context, path: str | None = None, ref: str | None = None, page: Page = 1
) -> str:
    """Find the commits adding or removing a line with text, newest first (50 a page)."""
    if "\n" in text:
        raise InvalidArgument("text", "give one line of text; commits are searched line by line")
    where = {"owner": owner, "repo": repo}
    client = gitcode(ctx)
    query = {"sha": ref, "path": path and path.strip("/"), "page": page, "per_page": MAX_SCAN}
    reply = await client.get(api_path(COMMITS, **where), query)
    listed = [c for c in reply.items() if isinstance(c, dict) and c.get("sha")]
    matches, merges = [], 0
    for done, commit in enumerate(listed):
        await ctx.report_progress(done, len(listed), f"reading {str(commit['sha'])[:12]}")
        if len(parent_shas(commit)) > 1:
            merges += 1  # as `git log -S`: a merge's changes are those of the commits it brings in
            continue
        diff = await client.get(api_path(COMMIT_DIFF, sha=str(commit["sha"]), **where), raw=True)
        raw = diff.data if isinstance(diff.data, bytes) else b""
        added, removed = text_changes(raw.decode("utf-8", errors="replace"), text, query["path"])
        if added or removed:
            found = {"sha": commit["sha"], "title": commit_title(commit), "author": git_author(commit)}
            found["date"] = sub(sub(commit, "commit"), "author").get("date")
            matches.append(drop_empty({**found, "added": _shown(added), "removed": _shown(removed)}))
    await ctx.report_progress(len(listed), len(listed), "done")
    result: Obj = {"searched": f"{len(listed)} commits" + (f" ({merges} merges skipped)" if merges else "")}
    result["matches"] = matches
    if reply.has_more(page, MAX_SCAN, len(reply.items())):
        result["next_page"] = page + 1
        result["note"] = f"only {MAX_SCAN} commits a page are searched; older ones with page={page + 1}"
    return to_text(result)
