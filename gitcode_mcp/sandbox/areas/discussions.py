"""Discussions of repositories and organizations, with comments and replies, in the GitCode CLI's shapes
(api/queries_discussions.go: a discussion's string `id`, `number`, `title`, `md_content`, `author`, `is_lock`,
`is_pin`, `is_closed`, `is_answered`, `comment_total`, `category`, `labels`; a comment's string `id`, `content` (HTML)
and `md_content`, `reply_total`, `like_total`). Writes take `md_content` (CLI). Who may do what is GitCode's
forum rule as far as its pages describe it, here designed: anyone signed in comments on a public repository's or an
organization's discussion unless it is locked; only the author (or an admin) edits or deletes.

Seeded: alice/demo discussion 1 (bob's question, alice's comment with bob's reply) and gitcode-guild discussion 1
(the 2027 roadmap, in the Announcements category, with a comment).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ORG_DISCUSSION,
    ORG_DISCUSSION_COMMENT,
    ORG_DISCUSSION_COMMENTS,
    ORG_DISCUSSION_REPLIES,
    ORG_DISCUSSIONS,
    REPO_DISCUSSION,
    REPO_DISCUSSION_COMMENT,
    REPO_DISCUSSION_COMMENTS,
    REPO_DISCUSSION_REPLIES,
    REPO_DISCUSSIONS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import ADMIN_ROLES, access, members
from gitcode_mcp.sandbox.areas.orgs import seed as seed_orgs
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route, text_field
from gitcode_mcp.sandbox.state import Kept, User, World, fake_sha, now

# alice's seeded comments: on alice/demo's discussion 1 (bob replied) and on gitcode-guild's 1.
DEMO_COMMENT = "6a1f3c2e9b8d4f7a0c5e2d1b"
GUILD_COMMENT = "9e4b7d1a3c6f2e8b5d0a7c4f"


@dataclass
class Note:
    id: str
    author: User
    text: str
    created_at: str
    replies: list[Note] = field(default_factory=list)
    likes: int = 0


@dataclass
class Discussion:
    id: str
    number: int
    title: str
    text: str
    author: User
    created_at: str
    category: str = ""
    locked: bool = False
    closed: bool = False
    updated_at: str = ""
    comments: list[Note] = field(default_factory=list)


@dataclass
class Forum:
    """One namespace's discussions: by `owner/repo` for a repository, by the organization's path for one."""

    discussions: dict[int, Discussion] = field(default_factory=dict)


@dataclass
class Forums(Kept):
    """The world's forums: by `owner/repo` for a repository's, by the organization's path for one's."""

    by_place: dict[str, Forum] = field(default_factory=dict)


def forums(world: World) -> dict[str, Forum]:
    return Forums.of(world).by_place


def note_id(*parts: object) -> str:
    return fake_sha("discuss-note", *parts)[:24]


def seed(world: World) -> None:
    seed_orgs(world)
    found = forums(world)
    if found:
        return
    alice, bob = world.users["alice"], world.users["bob"]
    question = Discussion(
        fake_sha("discussion", "alice/demo", 1)[:24],
        1,
        "What should greet('') print?",
        "An empty name prints `hello ` today. Greet the world instead, or refuse?",
        bob,
        "2026-11-22T10:00:00+08:00",
    )
    comment = Note(DEMO_COMMENT, alice, "Refusing seems safer to me.", "2026-11-22T10:30:00+08:00", likes=1)
    comment.replies.append(Note(note_id("reply", 1), bob, "Agreed: a ValueError.", "2026-11-22T11:00:00+08:00"))
    question.comments.append(comment)
    found["alice/demo"] = Forum({1: question})
    roadmap = Discussion(
        fake_sha("discussion", "gitcode-guild", 1)[:24],
        1,
        "Roadmap 2027",
        "What the guild builds next year: CI for every repository, then kanban boards.",
        alice,
        "2026-11-25T09:00:00+08:00",
        category="Announcements",
    )
    roadmap.comments.append(Note(GUILD_COMMENT, alice, "CI first, then the boards.", "2026-11-25T12:00:00+08:00"))
    found["gitcode-guild"] = Forum({1: roadmap})


def render_note(n: Note) -> dict[str, Any]:
    return {
        "id": n.id,
        "created_at": n.created_at,
        "author": shapes.user(n.author),
        "content": f"<p>{html.escape(n.text)}</p>",
        "md_content": n.text,
        "is_hide": 0,
        "reply_total": len(n.replies),
        "like_total": n.likes,
        "is_like": False,
        "is_deleted": 0,
        "is_remark": 0,
    }


def render(space: str, d: Discussion, detail: bool = False) -> dict[str, Any]:
    out = {
        "id": d.id,
        "number": d.number,
        "title": d.title,
        "created_at": d.created_at,
        "updated_at": d.updated_at or d.created_at,
        "author": shapes.user(d.author),
        "is_lock": int(d.locked),
        "is_pin": 0,
        "is_category_pin": 0,
        "is_closed": int(d.closed),
        "is_answered": 0,
        "comment_total": len(d.comments) + sum(len(c.replies) for c in d.comments),
        "category": {"name": d.category} if d.category else None,
        "namespace": {"path": space},
        "labels": [],
    }
    if detail:
        out |= {"md_content": d.text, "vote": None, "vote_options": []}
    return out


@dataclass
class Place:
    space: str
    forum: Forum
    admins: set[str]
    members: set[str] | None  # who may post; None: anyone signed in


def place(sb: Sandbox, call: Call) -> Place:
    """The repository's or organization's forum (a private repository is a 404 to whoever may not see it)."""
    if "org" in call.params:
        org = sb.world.orgs.get(call.params["org"])
        if org is None:
            raise Refusal(404, "Not Found Group")
        admins = {m for m, r in org.members.items() if r in ADMIN_ROLES}
        return Place(org.login, forums(sb.world).setdefault(org.login, Forum()), admins, set(org.members))
    repo = sb.repo(call)
    admins = {m for m in members(sb.world, repo) if access(sb.world, repo, sb.world.users[m]).admin}
    return Place(repo.full_name, forums(sb.world).setdefault(repo.full_name, Forum()), admins, None)


def discussion_of(sb: Sandbox, call: Call) -> tuple[Place, Discussion]:
    where = place(sb, call)
    found = where.forum.discussions.get(call.params["number"])
    if found is None:
        raise Refusal(404, "Discussion not found")
    return where, found


def poster(call: Call, where: Place, d: Discussion | None = None) -> User:
    user = need_token(call)
    if where.members is not None and user.login not in where.members:
        raise Refusal(403, "Only members of the organization may take part in its discussions", "FORBIDDEN")
    if d is not None and d.locked and user.login not in where.admins:
        raise Refusal(403, "The discussion is locked", "FORBIDDEN")
    return user


def may_change(call: Call, where: Place, author: User, what: str) -> None:
    user = need_token(call)
    if user.login != author.login and user.login not in where.admins:
        raise Refusal(403, f"Only the author or an administrator may change this {what}", "FORBIDDEN")


def comment_of(d: Discussion, comment_id: str) -> tuple[list[Note], Note]:
    for c in d.comments:
        if c.id == comment_id:
            return d.comments, c
        for r in c.replies:
            if r.id == comment_id:
                return c.replies, r
    raise Refusal(404, "Comment not found")


async def list_discussions(sb: Sandbox, call: Call) -> Response:
    where = place(sb, call)
    q = call.query
    sort, direction = q.get("sort", "created"), q.get("direction", "desc")
    if sort not in ("created", "comment_size") or direction not in ("asc", "desc"):
        raise Refusal(400, "sort must be created or comment_size, direction asc or desc")
    words = q.get("search", "").lower()
    found = [d for d in where.forum.discussions.values() if words in (d.title + " " + d.text).lower()]
    key = (lambda d: len(d.comments)) if sort == "comment_size" else (lambda d: (d.created_at, d.number))
    found.sort(key=key, reverse=direction == "desc")
    return page(call, [render(where.space, d) for d in found])


async def create_discussion(sb: Sandbox, call: Call) -> Response:
    where = place(sb, call)
    user = poster(call, where)
    data = call.data()
    title, text = text_field(data, "title"), data.get("md_content") or ""
    category = data.get("category_name") or ""
    if category and "org" not in call.params:
        raise Refusal(400, "category_name is only for organization discussions")
    number = max(where.forum.discussions, default=0) + 1
    d = Discussion(fake_sha("discussion", where.space, number)[:24], number, title, text, user, now(), category)
    where.forum.discussions[number] = d
    return JSONResponse(render(where.space, d, detail=True), status_code=201)


async def get_discussion(sb: Sandbox, call: Call) -> Response:
    where, d = discussion_of(sb, call)
    return JSONResponse(render(where.space, d, detail=True))


async def update_discussion(sb: Sandbox, call: Call) -> Response:
    where, d = discussion_of(sb, call)
    may_change(call, where, d.author, "discussion")
    data = call.data()
    if "title" in data:
        d.title = text_field(data, "title")
    if isinstance(data.get("md_content"), str):
        d.text = data["md_content"]
    if isinstance(data.get("category_name"), str) and "org" in call.params:
        d.category = data["category_name"]
    d.updated_at = now()
    return JSONResponse(render(where.space, d, detail=True))


async def delete_discussion(sb: Sandbox, call: Call) -> Response:
    where, d = discussion_of(sb, call)
    may_change(call, where, d.author, "discussion")
    del where.forum.discussions[d.number]
    return Response(status_code=204)


def comment_order(call: Call, notes: list[Note]) -> list[Note]:
    order = call.query.get("order", "time_asc")
    if order not in ("time_asc", "time_desc", "hot_desc"):
        raise Refusal(400, "order must be one of time_asc, time_desc, hot_desc")
    if order == "hot_desc":
        return sorted(notes, key=lambda n: (n.likes, len(n.replies)), reverse=True)
    return list(reversed(notes)) if order == "time_desc" else notes


async def list_comments(sb: Sandbox, call: Call) -> Response:
    _, d = discussion_of(sb, call)
    return page(call, [render_note(n) for n in comment_order(call, d.comments)])


async def create_comment(sb: Sandbox, call: Call) -> Response:
    where, d = discussion_of(sb, call)
    user = poster(call, where, d)
    note = Note(
        note_id(where.space, d.number, len(d.comments), now()), user, text_field(call.data(), "md_content"), now()
    )
    d.comments.append(note)
    return JSONResponse(render_note(note), status_code=201)


async def edit_comment(sb: Sandbox, call: Call) -> Response:
    _, d = discussion_of(sb, call)
    _, note = comment_of(d, call.params["discussion_comment_id"])
    if need_token(call).login != note.author.login:
        raise Refusal(403, "You can only edit your own comments", "FORBIDDEN")
    note.text = text_field(call.data(), "md_content")
    return JSONResponse(render_note(note))


async def delete_comment(sb: Sandbox, call: Call) -> Response:
    where, d = discussion_of(sb, call)
    siblings, note = comment_of(d, call.params["discussion_comment_id"])
    may_change(call, where, note.author, "comment")
    siblings.remove(note)
    return Response(status_code=204)


async def list_replies(sb: Sandbox, call: Call) -> Response:
    _, d = discussion_of(sb, call)
    _, note = comment_of(d, call.params["discussion_comment_id"])
    if "order" in call.query:
        raise Refusal(400, "order is not a parameter of replies")
    return page(call, [render_note(n) for n in note.replies])


async def create_reply(sb: Sandbox, call: Call) -> Response:
    where, d = discussion_of(sb, call)
    user = poster(call, where, d)
    siblings, note = comment_of(d, call.params["discussion_comment_id"])
    if siblings is not d.comments:
        raise Refusal(400, "Replies are to comments, not to other replies")
    reply = Note(note_id(note.id, len(note.replies), now()), user, text_field(call.data(), "md_content"), now())
    note.replies.append(reply)
    return JSONResponse(render_note(reply), status_code=201)


# The organization's routes and the repository's share their handlers; the organization edits a discussion by PUT, a
# repository by PATCH (GitCode CLI), so each answers only its own method.
for method, org_template, repo_template, handler in (
    ("GET", ORG_DISCUSSIONS, REPO_DISCUSSIONS, list_discussions),
    ("POST", ORG_DISCUSSIONS, REPO_DISCUSSIONS, create_discussion),
    ("GET", ORG_DISCUSSION, REPO_DISCUSSION, get_discussion),
    ("DELETE", ORG_DISCUSSION, REPO_DISCUSSION, delete_discussion),
    ("GET", ORG_DISCUSSION_COMMENTS, REPO_DISCUSSION_COMMENTS, list_comments),
    ("POST", ORG_DISCUSSION_COMMENTS, REPO_DISCUSSION_COMMENTS, create_comment),
    ("PATCH", ORG_DISCUSSION_COMMENT, REPO_DISCUSSION_COMMENT, edit_comment),
    ("DELETE", ORG_DISCUSSION_COMMENT, REPO_DISCUSSION_COMMENT, delete_comment),
    ("GET", ORG_DISCUSSION_REPLIES, REPO_DISCUSSION_REPLIES, list_replies),
    ("POST", ORG_DISCUSSION_REPLIES, REPO_DISCUSSION_REPLIES, create_reply),
):
    route(method, org_template)(handler)
    route(method, repo_template)(handler)
route("PUT", ORG_DISCUSSION)(update_discussion)
route("PATCH", REPO_DISCUSSION)(update_discussion)
