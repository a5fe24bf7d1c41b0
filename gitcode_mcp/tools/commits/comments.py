"""Comments on commits: listed (a repository's, one commit's, one by id), posted, edited and deleted."""

from __future__ import annotations

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    COMMIT_COMMENT,
    COMMIT_COMMENTS,
    REPO_COMMIT_COMMENTS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, get_page, gitcode
from gitcode_mcp.tools.commits import DEMO, DOCS_SHA, MAIN_SHA, SEEDED_COMMENT, commits
from gitcode_mcp.views import View, as_int, at, login, to_text

COMMENT_VIEW = View(
    id=at("id", as_int),
    sha="commit_id",
    author=at("user", login),
    body="body",
    created_at="created_at",
)


@commits.read(
    Example(DEMO, f"GET {REPO_COMMIT_COMMENTS}"),
    Example({**DEMO, "sha": DOCS_SHA, "per_page": 5}, f"GET {COMMIT_COMMENTS}"),
    Example({**DEMO, "comment_id": SEEDED_COMMENT}, f"GET {COMMIT_COMMENT}"),
)
async def list_commit_comments(
    owner: str,
    repo: str,
    ctx: Context,
    sha: str | None = None,
    comment_id: Number | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List commit comments: all, one commit's (sha), or one by comment_id."""
    if comment_id is not None:
        if sha is not None:
            raise InvalidArgument("comment_id", "give sha or comment_id, not both")
        reply = await gitcode(ctx).get(api_path(COMMIT_COMMENT, owner=owner, repo=repo, comment_id=comment_id))
        return to_text(COMMENT_VIEW(reply.object()))
    if sha is not None:
        return await get_page(ctx, COMMIT_COMMENTS, COMMENT_VIEW, page, per_page, owner=owner, repo=repo, sha=sha)
    return await get_page(ctx, REPO_COMMIT_COMMENTS, COMMENT_VIEW, page, per_page, owner=owner, repo=repo)


@commits.write(
    Example({**DEMO, "sha": MAIN_SHA, "body": "Looks good."}, f"POST {COMMIT_COMMENTS}", f"GET {COMMIT_COMMENTS}")
)
async def create_commit_comment(owner: str, repo: str, sha: str, body: Text, ctx: Context) -> str:
    """Comment on a commit; answers the comment's id."""
    client = gitcode(ctx)
    reply = await client.request(
        "POST",
        api_path(COMMIT_COMMENTS, owner=owner, repo=repo, sha=sha),
        json={"body": body},
        hints={404: "check owner, repo and the commit sha"},
    )
    made = reply.object()
    # ref: the create answer's `id` is a string; update and delete take the integer id the commit's comments carry.
    if isinstance(made.get("id"), int):
        return to_text({"id": made["id"], "sha": sha})
    where = {"owner": owner, "repo": repo, "sha": sha}
    for number in range(1, 11):
        listed = await client.get(api_path(COMMIT_COMMENTS, **where), {"page": number, "per_page": 100})
        items = [c for c in listed.items() if isinstance(c, dict)]
        for c in reversed(items):
            if c.get("body") == body and c.get("created_at") == made.get("created_at", c.get("created_at")):
                return to_text({"id": as_int(c.get("id")), "sha": sha})
        if not listed.has_more(number, 100, len(items)):
            break
    return to_text({"sha": sha, "warning": "posted, but not found among the commit's comments; do not post it again"})


@commits.write(
    Example({**DEMO, "comment_id": SEEDED_COMMENT, "body": "Yes, add it."}, f"PATCH {COMMIT_COMMENT}"),
    idempotent=True,
)
async def update_commit_comment(owner: str, repo: str, comment_id: Number, body: Text, ctx: Context) -> str:
    """Edit a commit comment's text."""
    reply = await gitcode(ctx).request(
        "PATCH",
        api_path(COMMIT_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        json={"body": body},
        hints={403: "only its author or the repository's owner may edit it"},
    )
    return to_text(COMMENT_VIEW(reply.object()))


@commits.destructive(Example({**DEMO, "comment_id": SEEDED_COMMENT}, f"DELETE {COMMIT_COMMENT}"))
async def delete_commit_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Delete a commit comment; cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(COMMIT_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        hints={403: "only its author or the repository's owner may delete it"},
    )
    return to_text({"deleted": comment_id})
