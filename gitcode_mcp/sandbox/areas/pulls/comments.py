"""A pull request's comments: listed and posted (a diff comment on the head's line), replies in a discussion,
resolving it."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    PR_COMMENTS,
    PR_DISCUSSION,
    PR_DISCUSSION_REPLIES,
)
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.activity import log
from gitcode_mcp.sandbox.areas.pulls.merging import changes, source
from gitcode_mcp.sandbox.areas.pulls.render import render_comment
from gitcode_mcp.sandbox.areas.pulls.requests import pull
from gitcode_mcp.sandbox.core import (
    Call,
    Refusal,
    Sandbox,
    need_header,
    need_token,
    page,
    route,
    text_field,
)
from gitcode_mcp.sandbox.state import Comment, PullRequest, Repo, User, now


@route("GET", PR_COMMENTS)
async def pull_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    comments = pull(repo, call).comments
    # ref: `comment_type` filters diff_comment / pr_comment
    if kind := call.query.get("comment_type"):
        if kind not in ("diff_comment", "pr_comment"):
            raise Refusal(400, "comment_type must be one of [diff_comment, pr_comment]")
        comments = [c for c in comments if c.is_diff == (kind == "diff_comment")]
    return page(call, [render_comment(c) for c in comments])


@route("POST", PR_COMMENTS)
async def comment_pull(sb: Sandbox, call: Call) -> Response:
    # probe: the v5 PR comment create expects the token as `Authorization: Bearer`.
    need_header(call, "authorization", "401 Unauthorized")
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    data = call.data()
    text = text_field(data, "body")
    path = data.get("path")
    anchor = [
        a for k in ("line", "new_line", "position") if isinstance(a := data.get(k), int) and not isinstance(a, bool)
    ]
    comment = Comment(sb.world.new_id(), sb.world.discussion_id(), user, text, now())
    # probe: only path plus the head line as all of line, new_line and position makes a diff comment; a body
    # alone, or path with only `line`, lands as a general timeline comment.
    if isinstance(path, str) and len(anchor) == 3:
        changed = {c["filename"] for c in changes(repo, pr)}
        if path not in changed:
            raise Refusal(404, f"file {path} is not changed by this pull request")
        line = anchor[1]  # new_line: the line in the head version
        src = source(repo, pr)
        count = len(src.branches[pr.head][path].splitlines())
        if not 1 <= line <= count:
            raise Refusal(422, f"line {line} does not exist in {path}")
        comment.path, comment.line, comment.commit_id = path, line, src.head_sha(pr.head)
    pr.comments.append(comment)
    pr.updated_at = comment.created_at
    return JSONResponse({"id": comment.discussion_id, "note_id": comment.id, "body": text}, status_code=201)


def discussion(pr: PullRequest, discussion_id: str) -> Comment:
    for root in pr.comments:
        if root.discussion_id == discussion_id:
            return root
    raise Refusal(404, "Not Found Discussion")


def may_resolve(sb: Sandbox, repo: Repo, pr: PullRequest, root: Comment, user: User) -> bool:
    """The PR's and the discussion's authors, and those who push to the repository (GitLab: developers resolve)."""
    return user.login in (pr.user.login, root.user.login) or access(sb.world, repo, user).push


@route("POST", PR_DISCUSSION_REPLIES)
async def reply(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    root = discussion(pr, call.params["discussion_id"])
    note = Comment(sb.world.new_id(), root.discussion_id, user, text_field(call.data(), "body"), now())
    root.replies.append(note)
    pr.updated_at = note.created_at
    # probe: 201 {id: the discussion id, note_id, body} (the reference names it noteId and says 200).
    return JSONResponse({"id": root.discussion_id, "note_id": note.id, "body": note.body}, status_code=201)


@route("PUT", PR_DISCUSSION)
async def resolve(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    root = discussion(pr, call.params["discussion_id"])
    resolved = call.data().get("resolved")
    if not isinstance(resolved, bool):
        # ref: `resolved` is required; live notes report PARAMETER_ERROR without it.
        raise Refusal(400, "resolved is required and must be true or false", "PARAMETER_ERROR")
    if not may_resolve(sb, repo, pr, root, user):
        raise Refusal(403, "You do not have permission to resolve this discussion")
    if root.resolved != resolved:
        root.resolved = resolved
        what = "Resolved" if resolved else "Unresolved"
        log(
            sb,
            pr,
            user,
            "resolve_discussion" if resolved else "unresolve_discussion",
            f"{what} a discussion",
            root.discussion_id,
        )
    return Response(status_code=200)  # ref: 200, no body documented
