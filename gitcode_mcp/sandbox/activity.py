"""What the issue and pull request activity areas (issue_activity, pull_discussions) answer alike: emoji reactions
(user_reactions) and versions of an edited text (modify_history), in the shapes of GitCode's reference pages for
both. The areas keep their own records (IssueReaction / Reaction, IssueEdit / Edit) and say how each becomes one
of these: their ids, times and users differ."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.responses import Response

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, page
from gitcode_mcp.sandbox.state import User

# ref: the emoji names user_reactions filters by (emoji_name), and the emoji each stands for.
EMOJI = {
    "like": "👍",
    "dislike": "👎",
    "smile": "😄",
    "confused": "😕",
    "love": "❤️",
    "rocket": "🚀",
    "eyes": "👀",
    "party": "🎉",
}


def reactions(call: Call, found: Iterable[tuple[str, str, User]], unknown: str) -> Response:
    """A user_reactions answer (ref): each (id, emoji_name, user) as a string id, the emoji and its name, and the
    user in brief; filtered by the query's `emoji_name`, refused with `unknown` when that is not in EMOJI; paged."""
    name = call.query.get("emoji_name")
    if name is not None and name not in EMOJI:
        raise Refusal(400, unknown)
    chosen = [(rid, emoji_name, u) for rid, emoji_name, u in found if name in (None, emoji_name)]
    return page(
        call,
        [
            {"id": rid, "emoji": EMOJI[emoji_name], "emoji_name": emoji_name, "user": shapes.brief_user(u)}
            for rid, emoji_name, u in chosen
        ],
    )


def version(
    *,
    version_id: str,
    created_at: str,
    updated_at: str,
    content: str,
    author: dict[str, Any],
    editor: dict[str, Any],
    created: bool,
    deleted: bool = False,
) -> dict[str, Any]:
    """One modify_history entry (ref): a version of a text, `created` on the first; `user` is who wrote the text,
    `updated_user` who wrote this version, each in the shape its area's reference page shows."""
    return {
        "id": version_id,
        "created_at": created_at,
        "updated_at": updated_at,
        "deleted": deleted,
        "created": created,
        "content": content,
        "user": author,
        "updated_user": editor,
    }
