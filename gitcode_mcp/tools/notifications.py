"""Notifications: the caller's notifications about one repository, listed and marked as read.

Evidence: GitCode's reference has a page for each, get- and put-api-v-5-repos-owner-repo-notifications ("列出一个仓库
里的通知", "标记一个仓库里的通知为已读"; the AtomGit MCP server's docs/apis_url.json maps the same slugs), but no copy
of their parameters could be read, so those follow Gitee v5: `unread`, `page`, `per_page` on the list,
comma-separated `ids` on the mark (none: all of them). The answer shape is AtomGit's documented notification list,
`{"total", "list": [{id, content, type, unread, updated_at, html_url, actor, ...}]}` (docs.atomgit.com, user
notifications); Gitee's `total_count` and a bare list are read too (docs/gitcode-behaviour.md, Notifications)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import REPO_NOTIFICATIONS
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Page, PerPage, comma_list, gitcode, payload
from gitcode_mcp.views import View, at, login, sub, to_text

notifications = Toolset("notifications", "Read and mark your notifications about a repository")

DEMO = {"owner": "alice", "repo": "demo"}

NOTIFICATION = View(
    id=lambda n: str(n["id"]) if n.get("id") is not None else None,  # ids go back to the mark tool as given
    type="type",
    unread="unread",
    title=lambda n: sub(n, "subject").get("title"),
    content="content",
    actor=at("actor", login),
    updated_at="updated_at",
    url="html_url",
)


@notifications.read(
    Example(DEMO, f"GET {REPO_NOTIFICATIONS}"), Example({**DEMO, "unread": True}, f"GET {REPO_NOTIFICATIONS}")
)
async def list_repo_notifications(
    owner: str, repo: str, ctx: Context, unread: bool | None = None, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List your notifications about a repository, newest first."""
    query = payload(unread=None if unread is None else str(unread).lower(), page=page, per_page=per_page)
    reply = await gitcode(ctx).get(api_path(REPO_NOTIFICATIONS, owner=owner, repo=repo), query)
    data: Any = reply.data
    items = data.get("list") if isinstance(data, dict) else data
    items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    total = data.get("total", data.get("total_count")) if isinstance(data, dict) else None
    more = page * per_page < total if isinstance(total, int) else reply.has_more(page, per_page, len(items))
    return to_text({"page": page, "has_more": more, "items": NOTIFICATION.many(items)})


@notifications.write(
    Example({**DEMO, "all": True}, f"PUT {REPO_NOTIFICATIONS}"),
    Example({**DEMO, "ids": ["5400001"]}, f"PUT {REPO_NOTIFICATIONS}"),
    idempotent=True,
)
async def mark_repo_notifications_read(
    owner: str, repo: str, ctx: Context, ids: list[str] | None = None, all: bool | None = None
) -> str:
    """Mark your notifications about a repository read: the ids given, or all=true for every one."""
    # GitCode marks every notification when no ids are sent, so "all" is said, never inferred from nothing.
    if bool(ids) == bool(all):
        raise InvalidArgument("ids", "give the ids to mark read, or all=true (not both) to mark every one")
    chosen = comma_list("ids", ids)
    # Gitee reads `ids` from the form and the AtomGit MCP server sends it in the query: it goes in both.
    await gitcode(ctx).request(
        "PUT",
        api_path(REPO_NOTIFICATIONS, owner=owner, repo=repo),
        params=payload(ids=chosen),
        json=payload(ids=chosen) or None,
    )
    return to_text({"marked_read": chosen.split(",") if chosen else "all"})
