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
from gitcode_mcp.views import View

TREE_ENTRY = View(path="path", type="type", sha="sha")
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
    """List a tree's paths and shas; sha is a branch, commit or tree sha; all_pages: up to 1000."""
    where, query = api_path(TREE, owner=owner, repo=repo, sha=sha), {"recursive": 1 if recursive else None}
    if all_pages:
        return await whole_list(ctx, where, query, page, TREE_ENTRY.many, _entries)
    reply = await gitcode(ctx).get(where, {**query, "page": page, "per_page": TREE_PAGE})
    return page_of(reply, TREE_ENTRY.many(_entries(reply)), page, TREE_PAGE)


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
