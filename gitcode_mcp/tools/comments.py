"""The `comments` toolset: one pull request comment read, edited or deleted by its id, and an issue comment edited or
deleted."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    ISSUE_COMMENT,
    PR_COMMENT,
)
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Text, gitcode
from gitcode_mcp.tools.issues import DEMO, issue_number
from gitcode_mcp.views import Obj, View, as_int, at, login, sub, to_text

comments = Toolset("comments", "Read one comment by id; edit or delete comments on pull requests and issues")

# The seeded review discussion of PR 2 (bob's diff comment), and alice's reply in it.
ROOT_NOTE = 8_458_004
REPLY_NOTE = 8_300_002


def _comment_anchor(c: Obj) -> tuple[Any, Any]:
    """A diff comment's path and head-version line: `position` (ref, single comment), else the list's fields."""
    pos = sub(c, "position")
    path = pos.get("new_path") or c.get("path") or c.get("diff_file")
    line = next(
        (as_int(v) for v in (pos.get("new_line"), c.get("new_line"), c.get("line")) if isinstance(as_int(v), int)),
        None,
    )
    return path, line if path else None


PR_COMMENT_VIEW = View(
    id=at("id", as_int),
    discussion_id="discussion_id",
    path=lambda c: _comment_anchor(c)[0],
    line=lambda c: _comment_anchor(c)[1],
    author=at("user", login),
    body="body",
    created_at="created_at",
    updated_at=lambda c: c.get("updated_at") if c.get("updated_at") != c.get("created_at") else None,
)


@comments.read(Example({**DEMO, "comment_id": ROOT_NOTE}, f"GET {PR_COMMENT}"))
async def get_pull_request_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Get one pull request comment or reply by its id (note_id)."""
    reply = await gitcode(ctx).get(api_path(PR_COMMENT, owner=owner, repo=repo, comment_id=comment_id))
    return to_text(PR_COMMENT_VIEW(reply.object()))


@comments.write(
    Example({**DEMO, "comment_id": REPLY_NOTE, "body": "Yes: the manual links to it."}, f"PATCH {PR_COMMENT}"),
    idempotent=True,
)
async def edit_pull_request_comment(owner: str, repo: str, comment_id: Number, body: Text, ctx: Context) -> str:
    """Replace the text of a pull request comment or reply."""
    reply = await gitcode(ctx).request(
        "PATCH",
        api_path(PR_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        json={"body": body},
        hints={403: "only a comment's author can edit it", 404: "no comment with this id in the repository"},
    )
    # Live notes report 204 No Content; Gitee answers the comment: either way the edit is done.
    edited = PR_COMMENT_VIEW(reply.data) if isinstance(reply.data, dict) else {}
    return to_text({"id": comment_id, "edited": True, **{k: v for k, v in edited.items() if k != "body"}})


@comments.destructive(Example({**DEMO, "comment_id": REPLY_NOTE}, f"DELETE {PR_COMMENT}"))
async def delete_pull_request_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Delete a pull request comment or reply; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(PR_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        hints={403: "only a comment's author or the repository's owner can delete it"},
    )
    return to_text({"id": comment_id, "deleted": True})


NOTE = {**DEMO, "comment_id": 8_300_013}  # the seeded comment on alice/demo#1
EDITED = View(id=at("id", as_int), issue=issue_number, updated_at="updated_at", body="body")
COMMENT_HINTS = {
    403: "only a comment's author may edit it (and its author or the repository's owner delete it)",
    404: "no such comment in this repository: list_issue_comments shows their ids",
}


@comments.write(
    Example({**NOTE, "body": "Fixed in PR 1."}, f"PATCH {ISSUE_COMMENT}", f"GET {ISSUE_COMMENT}"), idempotent=True
)
async def update_issue_comment(owner: str, repo: str, comment_id: Number, body: Text, ctx: Context) -> str:
    """Edit an issue comment's text."""
    where = api_path(ISSUE_COMMENT, owner=owner, repo=repo, comment_id=comment_id)
    client = gitcode(ctx)
    answer = (await client.request("PATCH", where, json={"body": body}, hints=COMMENT_HINTS)).data
    if not (isinstance(answer, dict) and "body" in answer):
        # ref: the edit answers nothing; the comment is read back to show it stored.
        answer = (await client.get(where, hints=COMMENT_HINTS)).object()
    comment = EDITED(answer)
    if comment.get("body") == body:
        del comment["body"]  # the agent has it; a body GitCode changed is shown
    return to_text(comment)


@comments.destructive(Example(NOTE, f"DELETE {ISSUE_COMMENT}"), idempotent=True)
async def delete_issue_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Delete an issue comment. This cannot be undone."""
    await gitcode(ctx).request(
        "DELETE", api_path(ISSUE_COMMENT, owner=owner, repo=repo, comment_id=comment_id), hints=COMMENT_HINTS
    )
    return to_text({"deleted": comment_id})
