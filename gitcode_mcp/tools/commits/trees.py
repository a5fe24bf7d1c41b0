"""A commit's tree, a page at a time, and a blob by its sha."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context
from mcp_types import TextContent

from gitcode_mcp.client import Reply
from gitcode_mcp.endpoints import (
    BLOB,
    TREE,
)
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Page, gitcode, page_of, settings, whole_list
from gitcode_mcp.tools.commits import DEMO, commits
from gitcode_mcp.tools.contents import README_SHA, decode_file, file_answer


def tree_entry(entry: Any) -> str:
    """An entry as `<sha> <path>`, as `git ls-tree` puts them, a tree's path ending in `/` (any other kind than blob
    and tree, a submodule's commit, named after it): half the bytes of an object per entry, which GitCode's entries
    triple with name, mode and md5."""
    if not isinstance(entry, dict):
        return ""
    kind = entry.get("type")
    mark = "/" if kind == "tree" else "" if kind in ("blob", None) else f" ({kind})"
    return f"{entry.get('sha')} {entry.get('path')}{mark}"


def tree_entries(raws: list[Any]) -> list[str]:
    return [e for e in map(tree_entry, raws) if e]


# GitCode pages trees (ref #1: page, per_page up to 100, default 20). Entries are small and a layout is wanted
# whole, so every page here is the largest one and only `page` is the agent's to choose (one argument fewer in the
# schema every agent reads on every turn). A subtree is read by its tree sha, which the entries carry.
TREE_PAGE = 100


@commits.read(
    Example({**DEMO, "sha": "feature", "recursive": True}, f"GET {TREE}"),
    Example({**DEMO, "sha": "main", "page": 2}, f"GET {TREE}"),
    Example({**DEMO, "sha": "main", "recursive": True, "all_pages": True}, f"GET {TREE}"),
)
async def get_tree(
    owner: str,
    repo: str,
    sha: str,
    ctx: Context,
    recursive: bool | None = None,
    page: Page = 1,
    all_pages: bool | None = None,
) -> str:
    """List a tree as 'sha path' items (a tree's path ends in /); sha is a branch, commit or tree sha; all_pages: \
up to 1000."""
    where, query = api_path(TREE, owner=owner, repo=repo, sha=sha), {"recursive": 1 if recursive else None}
    if all_pages:
        return await whole_list(ctx, where, query, page, tree_entries, _entries)
    reply = await gitcode(ctx).get(where, {**query, "page": page, "per_page": TREE_PAGE})
    return page_of(reply, tree_entries(_entries(reply)), page, TREE_PAGE)


def _entries(reply: Reply) -> list[Any]:
    entries = reply.object().get("tree")
    return entries if isinstance(entries, list) else []


@commits.read(Example({**DEMO, "sha": README_SHA}, f"GET {BLOB}"))
async def get_blob(owner: str, repo: str, sha: str, ctx: Context) -> list[TextContent]:
    """Read a file by its blob sha."""
    reply = await gitcode(ctx).get(api_path(BLOB, owner=owner, repo=repo, sha=sha))
    data = reply.object()
    text, size = decode_file(data)
    return file_answer({"sha": data.get("sha") or sha, "size": size}, text, settings(ctx).raw_content)
