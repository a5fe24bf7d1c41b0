"""What a pull request changes: its files with their patches, its commits, and its diff with line numbers."""

from __future__ import annotations

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    PR_COMMITS,
    PR_DIFF,
    PR_FILES,
)
from gitcode_mcp.paths import api_path, clean_file_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, get_page, gitcode
from gitcode_mcp.tools.commits.log import LOG_ITEM
from gitcode_mcp.tools.pulls import PR_1, PR_2, pulls
from gitcode_mcp.tools.pulls.views import PR_FILE
from gitcode_mcp.views import Obj, as_int, drop_empty, sub, to_text

MAX_PATCH_CHARS = 256 * 1024


# GitCode documents no page/per_page for this endpoint (ref; docs/gitcode-behaviour.md, Pull requests): the tool
# takes none and returns every file; patches past MAX_PATCH_CHARS in all are left out, with a note, rather than
# flooding the agent.
@pulls.read(Example(PR_1, f"GET {PR_FILES}"))
async def list_pull_request_files(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """List a PR's changed files: status, renames, counts, diffs."""
    reply = await gitcode(ctx).get(api_path(PR_FILES, owner=owner, repo=repo, number=number))
    files = PR_FILE.many(reply.items())
    budget, cut = MAX_PATCH_CHARS, 0
    for f in files:
        size = len(f.get("patch", ""))
        if size > budget:
            f.pop("patch")
            cut += 1
        budget -= min(size, budget)
    result: Obj = {"count": len(files), "files": files}
    if cut:
        result["note"] = f"{cut} patches left out to keep this answer small; read those files at the head ref"
    return to_text(result)


@pulls.read(Example(PR_1, f"GET {PR_COMMITS}"))
async def list_pull_request_commits(
    owner: str, repo: str, number: Number, ctx: Context, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List a PR's commits."""
    # As list_commits shows commits: messages, parents, git's author and the login apart, dates with offsets.
    return await get_page(ctx, PR_COMMITS, LOG_ITEM, page, per_page, owner=owner, repo=repo, number=number)


def _line(item: Obj, marked: bool) -> str:
    """One diff line as `+<new> text`, `-<old> text`, ` <new> text` (context), or a hunk header as sent."""
    text, kind = str(item.get("line_content") or ""), item.get("type")
    new, old = sub(item, "new_line").get("line_num"), sub(item, "old_line").get("line_num")
    if kind == "new":
        return f"+{new} {text}"
    if kind == "old":
        return f"-{old} {text}"
    if kind == "match":
        return text
    return f" {new} {text[1:] if marked else text}"


def _diff_file(d: Obj) -> Obj:
    stat = sub(d, "statistic")
    new_path = stat.get("new_path") or stat.get("path")
    text = [t for t in sub(d, "content").get("text") or [] if isinstance(t, dict)]
    # The reference example's context lines keep the diff's leading space; old and new lines do not. Strip it only
    # where every context line has one (a blank context line is then " "), so real indentation is never cut.
    context = [str(t.get("line_content") or "") for t in text if t.get("type") not in ("new", "old", "match")]
    marked = bool(context) and all(c.startswith(" ") for c in context)
    additions, deletions = as_int(d.get("added_lines")), as_int(d.get("remove_lines"))
    return drop_empty(
        {
            "path": new_path,
            "old_path": stat.get("old_path") if stat.get("old_path") != new_path else None,
            "additions": additions,
            "deletions": deletions,
            "too_large": True if not text and (additions or deletions) else None,
            "lines": [_line(t, marked) for t in text],
        }
    )


MAX_DIFF_CHARS = 256 * 1024


@pulls.read(Example(PR_1, f"GET {PR_DIFF}"), Example({**PR_2, "path": "docs/manual zh.md"}, f"GET {PR_DIFF}"))
async def get_pull_request_diff(owner: str, repo: str, number: Number, ctx: Context, path: str | None = None) -> str:
    """A PR's diff with line numbers (+new, -old); new ones anchor line comments."""
    wanted = clean_file_path("path", path) if path else None
    data = (await gitcode(ctx).get(api_path(PR_DIFF, owner=owner, repo=repo, number=number))).object()
    files = [_diff_file(d) for d in data.get("diffs") or [] if isinstance(d, dict)]
    if wanted:
        files = [f for f in files if wanted in (f.get("path"), f.get("old_path"))]
    budget, cut = MAX_DIFF_CHARS, 0
    for f in files:
        size = sum(len(line) for line in f.get("lines", []))
        if size > budget:
            f.pop("lines")
            cut += 1
        budget -= min(size, budget)
    result: Obj = {**drop_empty({"head_sha": sub(data, "diff_refs").get("head_sha")}), "files": files}
    if wanted and not files:
        result["note"] = f"the pull request does not change {wanted}"
    if cut:
        result["note"] = f"lines of {cut} files left out to keep this answer small; ask for one file with path"
    return to_text(result)
