"""The `history` toolset: what happened to a pull request or an issue: the operation log, the versions of its text and
of its comments', and who reacted how."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    ISSUE_COMMENT_HISTORY,
    ISSUE_COMMENT_REACTIONS,
    ISSUE_HISTORY,
    ISSUE_OPERATION_LOGS,
    ISSUE_REACTIONS,
    PR_COMMENT_HISTORY,
    PR_COMMENT_REACTIONS,
    PR_HISTORY,
    PR_OPERATION_LOGS,
    PR_REACTIONS,
)
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, get_page, gitcode
from gitcode_mcp.tools.comments import NOTE, ROOT_NOTE
from gitcode_mcp.tools.issues import ISSUE_1
from gitcode_mcp.tools.pulls import PR_1, PR_2
from gitcode_mcp.views import View, at, login, to_text

history = Toolset("history", "Operation logs, edit histories and reactions of pull requests and issues")

LOG_ENTRY = View(
    action=lambda e: e.get("action") or e.get("action_type"),
    content="content",
    author=at("user", login),
    created_at="created_at",
)


@history.read(Example(PR_1, f"GET {PR_OPERATION_LOGS}"))
async def list_pull_request_operation_logs(owner: str, repo: str, number: Number, ctx: Context, page: Page = 1) -> str:
    """List a pull request's operation log, newest first."""
    return await get_page(ctx, PR_OPERATION_LOGS, LOG_ENTRY, page, 50, owner=owner, repo=repo, number=number)


VERSION = View(
    at=lambda v: v.get("updated_at") or v.get("created_at"),
    by=lambda v: login(v.get("updated_user")) or login(v.get("user")),
    created=lambda v: v.get("created") or None,
    deleted=lambda v: v.get("deleted") or None,
    content="content",
)


@history.read(
    Example(PR_1, f"GET {PR_HISTORY}"), Example({**PR_2, "comment_id": ROOT_NOTE}, f"GET {PR_COMMENT_HISTORY}")
)
async def get_pull_request_edit_history(
    owner: str, repo: str, number: Number, ctx: Context, comment_id: Number | None = None
) -> str:
    """Versions of a pull request's description, or of a comment's (comment_id)."""
    path = (
        api_path(PR_COMMENT_HISTORY, owner=owner, repo=repo, comment_id=comment_id)
        if comment_id
        else api_path(PR_HISTORY, owner=owner, repo=repo, number=number)
    )
    versions = VERSION.many((await gitcode(ctx).get(path)).items())
    return to_text({"versions": sorted(versions, key=lambda v: str(v.get("at") or ""))})


@history.read(
    Example(PR_2, f"GET {PR_REACTIONS}"), Example({**PR_2, "comment_id": ROOT_NOTE}, f"GET {PR_COMMENT_REACTIONS}")
)
async def list_pull_request_reactions(
    owner: str, repo: str, number: Number, ctx: Context, comment_id: Number | None = None
) -> str:
    """Who reacted with which emoji to a pull request, or to a comment (comment_id)."""
    path = (
        api_path(PR_COMMENT_REACTIONS, owner=owner, repo=repo, comment_id=comment_id)
        if comment_id
        else api_path(PR_REACTIONS, owner=owner, repo=repo, number=number)
    )
    # One page of GitCode's largest: more than 100 reactions on one thing is rare, and then said so.
    reply = await gitcode(ctx).get(path, {"page": 1, "per_page": 100})
    items = [r for r in reply.items() if isinstance(r, dict)]
    by: dict[str, list[str]] = {}
    for r in items:
        by.setdefault(str(r.get("emoji_name") or r.get("emoji")), []).append(login(r.get("user")) or "?")
    more = reply.has_more(1, 100, len(items))
    return to_text({"reactions": by, **({"note": "only the first 100 reactions are shown"} if more else {})})


EVENT = View(action="action_type", by=at("user", login), content="content", at="created_at")
# modify_history: `user` is the author, `updated_user` who wrote this version (ref); `created` marks the first.
EDIT = View(
    by=lambda e: login(e.get("updated_user")) or login(e.get("user")),
    at=lambda e: e.get("updated_at") or e.get("created_at"),
    first=lambda e: e.get("created") or None,
    deleted=lambda e: e.get("deleted") or None,
    content="content",
)
MAX_REACTION_PAGES = 10


async def reactions(ctx: Context, path: str) -> dict[str, Any]:
    """Who reacted with which emoji: {"like": ["alice"]}. The list is paged (ref) but rarely long, so every page is
    read, up to MAX_REACTION_PAGES of 100, and the tally is whole (or says where it stopped)."""
    grouped: dict[str, Any] = {}
    for page in range(1, MAX_REACTION_PAGES + 1):
        reply = await gitcode(ctx).get(path, {"page": page, "per_page": 100})
        items = [r for r in reply.items() if isinstance(r, dict)]
        for r in items:
            grouped.setdefault(str(r.get("emoji_name") or r.get("emoji")), []).append(login(r.get("user")) or "?")
        if not reply.has_more(page, 100, len(items)):
            return grouped
    return {**grouped, "note": f"only the first {MAX_REACTION_PAGES * 100} reactions were read"}


@history.read(
    Example(ISSUE_1, f"GET {ISSUE_OPERATION_LOGS}", f"GET {ISSUE_HISTORY}", f"GET {ISSUE_REACTIONS}"),
    Example({**NOTE, "number": 1}, f"GET {ISSUE_COMMENT_HISTORY}", f"GET {ISSUE_COMMENT_REACTIONS}"),
)
async def get_issue_activity(
    owner: str, repo: str, number: Number, ctx: Context, comment_id: Number | None = None
) -> str:
    """An issue's log, edits and reactions; with comment_id, those of one of its comments."""
    # The comment's endpoints are repository-scoped: `number` only says which issue the comment is on.
    client = gitcode(ctx)
    if comment_id is not None:
        where = {"owner": owner, "repo": repo, "comment_id": comment_id}
        edits = await client.get(api_path(ISSUE_COMMENT_HISTORY, **where))
        return to_text(
            {
                "edits": EDIT.many(edits.items()),
                "reactions": await reactions(ctx, api_path(ISSUE_COMMENT_REACTIONS, **where)),
            }
        )
    events = await client.get(
        api_path(ISSUE_OPERATION_LOGS, owner=owner, number=number), {"repo": check_name("repo", repo)}
    )
    where = {"owner": owner, "repo": repo, "number": number}
    edits = await client.get(api_path(ISSUE_HISTORY, **where))
    return to_text(
        {
            "events": EVENT.many(events.items()),
            "edits": EDIT.many(edits.items()),
            "reactions": await reactions(ctx, api_path(ISSUE_REACTIONS, **where)),
        }
    )
