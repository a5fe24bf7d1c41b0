"""Comments on commits, and bob's seeded one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    COMMIT_COMMENT,
    COMMIT_COMMENTS,
    REPO_COMMIT_COMMENTS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import may_moderate
from gitcode_mcp.sandbox.areas.commits.log import _commit_by_sha, commit_of
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import Kept, Repo, User, World, fake_sha, now


@dataclass
class CommitComment:
    id: int
    discussion_id: str  # the string id the create answer carries (ref)
    commit_id: str
    user: User
    body: str
    created_at: str
    updated_at: str


@dataclass
class CommitComments(Kept):
    """The comments on a repository's commits."""

    commit_comments: list[CommitComment] = field(default_factory=list)


SEEDED_COMMENT = 8_700_001


def render_comment(c: CommitComment) -> dict[str, Any]:
    """A commit comment as lists and reads carry it (ref): integer id, `target`, the user with `type`; the commit it
    is on as `commit_id` (as the gitcode-api package's model reads it)."""
    return {
        "id": c.id,
        "body": c.body,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "user": {**shapes.user(c.user), "type": "User"},
        "target": {},
        "commit_id": c.commit_id,
        "noteable_type": "Commit",
    }


def _ordered(call: Call, found: list[CommitComment]) -> list[CommitComment]:
    order = call.query.get("order", "asc")
    if order not in ("asc", "desc"):
        raise Refusal(400, "order must be one of [asc, desc]")
    return list(reversed(found)) if order == "desc" else found


@route("GET", REPO_COMMIT_COMMENTS)
async def list_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return page(call, [render_comment(c) for c in _ordered(call, CommitComments.of(repo).commit_comments)])


@route("GET", COMMIT_COMMENTS)
async def list_commit_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    commit = commit_of(repo, call.params["sha"])
    return page(call, [render_comment(c) for c in CommitComments.of(repo).commit_comments if c.commit_id == commit.sha])


def _comment(repo: Repo, call: Call) -> CommitComment:
    for c in CommitComments.of(repo).commit_comments:
        if c.id == call.params["comment_id"]:
            return c
    raise Refusal(404, "Not Found Note")


def _body(call: Call) -> str:
    body = call.data().get("body")
    if not isinstance(body, str) or not body.strip():
        raise Refusal(400, "Invalid body parameter: body, required")
    return body


def _may_change(sb: Sandbox, repo: Repo, user: User, comment: CommitComment) -> None:
    if not may_moderate(sb.world, repo, user, comment.user):
        raise Refusal(403, "You do not have permission to change this comment")


@route("GET", COMMIT_COMMENT)
async def get_comment(sb: Sandbox, call: Call) -> Response:
    return JSONResponse(render_comment(_comment(sb.repo(call), call)))


@route("POST", COMMIT_COMMENTS)
async def create_comment(sb: Sandbox, call: Call) -> Response:
    """The create answer is sparse and its `id` a string (ref: `"id": "12312sadsa"`); the integer id the other
    comment operations take is in the commit's comment list."""
    user = need_token(call)
    repo = sb.repo(call)
    commit = _commit_by_sha(repo, call)
    body = _body(call)
    at = now()
    made = CommitComment(sb.world.new_id(), sb.world.discussion_id(), commit.sha, user, body, at, at)
    CommitComments.of(repo).commit_comments.append(made)
    return JSONResponse(
        {"body": body, "created_at": made.created_at, "id": made.discussion_id, "updated_at": made.updated_at}
    )


@route("PATCH", COMMIT_COMMENT)
async def update_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    comment = _comment(repo, call)
    _may_change(sb, repo, user, comment)
    comment.body, comment.updated_at = _body(call), now()
    return JSONResponse(render_comment(comment))


@route("DELETE", COMMIT_COMMENT)
async def delete_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    comment = _comment(repo, call)
    _may_change(sb, repo, user, comment)
    CommitComments.of(repo).commit_comments.remove(comment)
    return JSONResponse({})


def seed(world: World) -> None:
    """A comment by bob on the head commit of alice/demo's docs branch, with a fixed id (the shared counter is left
    alone, so the other areas' ids do not move)."""
    demo = world.repo("alice", "demo")
    if (
        demo is None
        or "docs" not in demo.branches
        or any(c.id == SEEDED_COMMENT for c in CommitComments.of(demo).commit_comments)
    ):
        return
    at = "2026-11-21T10:00:00+08:00"
    CommitComments.of(demo).commit_comments.append(
        CommitComment(
            SEEDED_COMMENT,
            fake_sha("commit comment", SEEDED_COMMENT),
            demo.head_sha("docs"),
            world.users["bob"],
            "Does data/big.csv need to be in the repository?",
            at,
            at,
        )
    )
