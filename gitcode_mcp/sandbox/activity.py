"""What the issue and pull request activity areas (issue_activity, pull_discussions) answer alike: emoji reactions
(user_reactions) and versions of an edited text (modify_history), in the shapes of GitCode's reference pages for
both. The areas keep their own records (IssueReaction / Reaction, IssueEdit / Edit) and say how each becomes one
of these: their ids, times and users differ."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.responses import Response

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, page
from gitcode_mcp.sandbox.state import Edit, IssueEdit, PullEvent, PullRequest, User, fake_sha, now

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


def person(u: User) -> dict[str, Any]:
    """A user as the operation log and modify_history answers carry one (ref); reactions carry shapes.brief_user."""
    return {
        **shapes.user(u),
        "object_id": u.id,
        "email": f"{u.login}@noreply.gitcode.com",
        "name_cn": u.name,
        "nick_name": u.name,
        "state": "active",
        "web_url": f"https://gitcode.com/{u.login}",
    }


def log(sb: Sandbox, pr: PullRequest, user: User, action: str, content: str, discussion_id: str = "") -> None:
    event_id = sb.world.new_id()
    pr.events.append(PullEvent(event_id, action, content, user, now(), discussion_id or fake_sha("event", event_id)))


def started(edits: list[Edit], body: str, author: User, created_at: str) -> list[Edit]:
    """A text's versions; one never edited has its first version only, made on first need (as Repo.log does)."""
    if not edits:
        edits.append(Edit(body, author, created_at))
    return edits


def edit_id(owner_id: int, n: int) -> str:
    return fake_sha("edit", owner_id, n)[:24]


def issue_versions(
    author: User, text: str, created_at: str, edits: list[IssueEdit], changed_at: str = ""
) -> list[IssueEdit]:
    """The versions of a text, oldest first. A text never edited through this area (or changed by another area,
    e.g. the issue update route) gets its versions here: the first, and the current one where it differs. The
    simulator does not know who made such a change: it is attributed to the author."""
    if not edits:
        edits.append(IssueEdit(fake_sha("edit", author.id, created_at)[:24], author, text, created_at, created=True))
    if edits[-1].content != text:
        edits.append(IssueEdit(fake_sha("edit", created_at, len(edits))[:24], author, text, changed_at or now()))
    return edits
