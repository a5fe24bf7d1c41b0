"""One comment by its id: a pull request's (a note: read, edited, deleted) and an issue's (edited, deleted), as
the reference's pages for them answer."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ISSUE_COMMENT,
    PR_COMMENT,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import may_moderate
from gitcode_mcp.sandbox.activity import edit_id, issue_versions, started
from gitcode_mcp.sandbox.areas.issues import find_comment, render_listed_comment
from gitcode_mcp.sandbox.areas.pulls.requests import locate
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route, text_field
from gitcode_mcp.sandbox.state import (
    Comment,
    Edit,
    Issue,
    IssueEdit,
    PullRequest,
    Repo,
    now,
)


def render_note(repo: Repo, pr: PullRequest, root: Comment, c: Comment) -> dict[str, Any]:
    """A single comment (ref): comment_type `DiscussionNote`, the PR as target.issue, and a diff discussion's
    anchor as `position` (GitLab's form: paths, the head-version line, the shas)."""
    out: dict[str, Any] = {
        "id": c.id,
        "body": c.body,
        "comment_type": "DiscussionNote",
        "created_at": c.created_at,
        "updated_at": c.updated_at or c.created_at,
        "discussion_id": c.discussion_id,
        "user": {**shapes.user(c.user), "type": "User"},
        "target": {"issue": {"id": pr.id, "number": str(pr.number), "title": pr.title}},
    }
    if root.is_diff:
        base = repo.head_sha(pr.base) if pr.base in repo.branches else None
        out["position"] = {
            "base_sha": base,
            "start_sha": base,
            "head_sha": root.commit_id,
            "old_path": root.path,
            "new_path": root.path,
            "old_line": None,
            "new_line": root.line,
            "start_old_line": None,
            "start_new_line": root.line,
            "position_type": "text",
        }
    return out


@route("GET", PR_COMMENT)
async def get_pr_comment(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_note(repo, *locate(repo, call.params["comment_id"])))


@route("PATCH", PR_COMMENT)
async def edit_pr_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    _, _, c = locate(repo, call.params["comment_id"])
    text = text_field(call.data(), "body")
    if c.user.login != user.login:
        raise Refusal(403, "Only the author of a comment can edit it")
    started(c.edits, c.body, c.user, c.created_at)
    c.body, c.updated_at = text, now()
    c.edits.append(Edit(text, user, c.updated_at))
    # Notes on the live API (2026-03) report 204 No Content for this edit; Gitee answers the comment.
    return Response(status_code=204)


@route("DELETE", PR_COMMENT)
async def delete_pr_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr, root, c = locate(repo, call.params["comment_id"])
    if not may_moderate(sb.world, repo, user, c.user):
        raise Refusal(403, "Only the author of a comment or the repository's owner can delete it")
    if c is not root:
        root.replies.remove(c)
    elif root.replies:
        # The discussion stays: its first reply takes the root's place and anchor (as GitLab keeps a thread).
        heir = root.replies.pop(0)
        heir.replies, heir.path, heir.line = root.replies, root.path, root.line
        heir.commit_id, heir.resolved = root.commit_id, root.resolved
        pr.comments[pr.comments.index(root)] = heir
    else:
        pr.comments.remove(root)
    return Response(status_code=204)


def render_one(repo: Repo, issue: Issue, c: Comment) -> dict[str, Any]:
    # ref (GET issues/comments/{id}): the single answer also names its type.
    return {**render_listed_comment(repo, issue, c), "comment_type": "DiscussionNote"}


@route("GET", ISSUE_COMMENT)
async def get_issue_comment(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    issue, c = find_comment(repo, call.params["comment_id"])
    return JSONResponse(render_one(repo, issue, c))


@route("PATCH", ISSUE_COMMENT)
async def edit_issue_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    _, c = find_comment(repo, call.params["comment_id"])
    text = text_field(call.data(), "body")
    if user.login != c.user.login:
        raise Refusal(403, "only the author of a comment may edit it")
    issue_versions(c.user, c.body, c.created_at, c.edits)
    c.body = text
    c.edits.append(IssueEdit(edit_id(c.id, len(c.edits) + 1), user, text, now()))
    return Response(status_code=204)  # ref: no answer body


@route("DELETE", ISSUE_COMMENT)
async def delete_issue_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    issue, c = find_comment(repo, call.params["comment_id"])
    if not may_moderate(sb.world, repo, user, c.user):
        raise Refusal(403, "only the author of a comment or the repository's owner may delete it")
    issue.comments.remove(c)
    return Response(status_code=204)
