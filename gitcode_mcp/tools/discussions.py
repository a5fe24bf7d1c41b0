"""Discussions: a repository's, or an organization's (the same tools without `repo`): list, read, start, edit and
delete them; their comments and the replies to a comment.

Evidence: the GitCode CLI's api/queries_discussions.go (reads: `sort` created|comment_size, `direction`, `search`;
comments `order` time_asc|time_desc|hot_desc, replies no order; the answer shapes: a discussion's `number`, `title`,
`md_content`, `author`, `comment_total`, `is_closed`; a comment's string `id`, `md_content`, `reply_total`), and
its later write operations (the same file, gitcode-cli/cli at a04937b's successor): create `{title, md_content}`
(an organization's also `category_name`), edit an organization's discussion by PUT and a repository's by PATCH,
comments and replies `{md_content}`. The 12th reference document lists PATCH for editing both kinds of comment;
AtomGit's index (docs/apis_url.json) has the reads.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

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
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, Title, get_page, gitcode, payload
from gitcode_mcp.views import Obj, View, as_int, at, login, names, sub, to_text

discussions = Toolset("discussions", "Repository and organization discussions, their comments and replies")


DEMO = {"owner": "alice", "repo": "demo"}
GUILD = {"owner": "gitcode-guild"}
# The simulator's seeded comments, alice's: on alice/demo discussion 1 (bob replied) and on gitcode-guild's 1.
DEMO_COMMENT = "6a1f3c2e9b8d4f7a0c5e2d1b"
GUILD_COMMENT = "9e4b7d1a3c6f2e8b5d0a7c4f"

Owner = Annotated[str, Field(description="Or the organization, without repo")]
CommentId = Annotated[str, Field(description="From list_discussion_comments")]


def where(owner: str, repo: str | None, **more: Any) -> dict[str, Any]:
    return {"owner": owner, "repo": repo, **more} if repo is not None else {"org": owner, **more}


def path(org_template: str, repo_template: str, owner: str, repo: str | None, **more: Any) -> str:
    return api_path(repo_template if repo is not None else org_template, **where(owner, repo, **more))


def comment_path(owner: str, repo: str | None, number: int, comment_id: str) -> str:
    return path(
        ORG_DISCUSSION_COMMENT, REPO_DISCUSSION_COMMENT, owner, repo, number=number, discussion_comment_id=comment_id
    )


def _state(d: Obj) -> str:
    return "closed" if d.get("is_closed") else "open"


DISCUSSION_ITEM = View(
    number=at("number", as_int),
    title="title",
    author=at("author", login),
    state=_state,
    answered=at("is_answered", lambda v: bool(v) or None),
    pinned=at("is_pin", lambda v: bool(v) or None),
    comments=at("comment_total", as_int),
    category=lambda d: sub(d, "category").get("name"),
    labels=at("labels", names),
    created_at="created_at",
    updated_at="updated_at",
)
DISCUSSION = View(**DISCUSSION_ITEM.fields, locked=at("is_lock", lambda v: bool(v) or None), body="md_content")
COMMENT = View(
    id="id",
    author=at("author", login),
    body=lambda c: c.get("md_content") or c.get("content"),
    replies=at("reply_total", as_int),
    likes=at("like_total", as_int),
    created_at="created_at",
)
NOT_FOUND = {404: "no such discussion: list_discussions gives numbers"}
NO_COMMENT = {404: "no such comment on that discussion: list_discussion_comments gives ids"}


@discussions.read(
    Example(DEMO, f"GET {REPO_DISCUSSIONS}"),
    Example({**GUILD, "search": "roadmap", "sort": "comment_size"}, f"GET {ORG_DISCUSSIONS}"),
)
async def list_discussions(
    owner: Owner,
    ctx: Context,
    repo: str | None = None,
    search: str | None = None,
    sort: Literal["created", "comment_size"] = "created",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List a repository's discussions, or an organization's (no repo), newest first."""
    template = REPO_DISCUSSIONS if repo is not None else ORG_DISCUSSIONS
    query = payload(search=search, sort=sort, direction="desc")
    return await get_page(ctx, template, DISCUSSION_ITEM, page, per_page, query, **where(owner, repo))


@discussions.read(
    Example({**DEMO, "number": 1}, f"GET {REPO_DISCUSSION}"), Example({**GUILD, "number": 1}, f"GET {ORG_DISCUSSION}")
)
async def get_discussion(owner: Owner, number: Number, ctx: Context, repo: str | None = None) -> str:
    """Get a discussion with its text."""
    reply = await gitcode(ctx).get(path(ORG_DISCUSSION, REPO_DISCUSSION, owner, repo, number=number), hints=NOT_FOUND)
    return to_text(DISCUSSION(reply.object()))


@discussions.write(
    Example(
        {**DEMO, "title": "Support more languages?", "body": "Should greet take a language?"},
        f"POST {REPO_DISCUSSIONS}",
    ),
    Example({**GUILD, "title": "Meetup", "body": "Who is coming?", "category": "General"}, f"POST {ORG_DISCUSSIONS}"),
)
async def create_discussion(
    owner: Owner,
    title: Title,
    body: Text,
    ctx: Context,
    repo: str | None = None,
    category: Annotated[str, Field(description="Organizations' only")] | None = None,
) -> str:
    """Start a discussion in a repository, or in an organization (no repo)."""
    if category is not None and repo is not None:
        raise InvalidArgument("category", "only an organization's discussions have categories; leave it out")
    reply = await gitcode(ctx).request(
        "POST",
        path(ORG_DISCUSSIONS, REPO_DISCUSSIONS, owner, repo),
        json=payload(title=title.strip(), md_content=body, category_name=category),
        hints={403: "only members may start discussions here", 404: "no such repository or organization"},
    )
    return to_text(DISCUSSION(reply.object()))


@discussions.write(
    Example({**DEMO, "number": 1, "title": "Empty names: print what?"}, f"PATCH {REPO_DISCUSSION}"),
    Example({**GUILD, "number": 1, "body": "Updated plan."}, f"PUT {ORG_DISCUSSION}"),
    idempotent=True,
)
async def update_discussion(
    owner: Owner,
    number: Number,
    ctx: Context,
    repo: str | None = None,
    title: Title | None = None,
    body: Text | None = None,
) -> str:
    """Edit a discussion's title or text."""
    fields = payload(title=title.strip() if title else None, md_content=body)
    if not fields:
        raise InvalidArgument("title", "give a new title or body")
    # An organization's discussion is edited by PUT, a repository's by PATCH (GitCode CLI UpdateOrgDiscussion,
    # UpdateRepoDiscussion).
    reply = await gitcode(ctx).request(
        "PATCH" if repo is not None else "PUT",
        path(ORG_DISCUSSION, REPO_DISCUSSION, owner, repo, number=number),
        json=fields,
        hints={**NOT_FOUND, 403: "only its author or an admin may edit a discussion"},
    )
    return to_text(DISCUSSION(reply.object()))


@discussions.destructive(
    Example({**DEMO, "number": 1}, f"DELETE {REPO_DISCUSSION}"),
    Example({**GUILD, "number": 1}, f"DELETE {ORG_DISCUSSION}"),
)
async def delete_discussion(owner: Owner, number: Number, ctx: Context, repo: str | None = None) -> str:
    """Delete a discussion with its comments; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        path(ORG_DISCUSSION, REPO_DISCUSSION, owner, repo, number=number),
        hints={**NOT_FOUND, 403: "only its author or an admin may delete a discussion"},
    )
    return to_text({"deleted": number})


@discussions.read(
    Example({**DEMO, "number": 1}, f"GET {REPO_DISCUSSION_COMMENTS}"),
    Example({**DEMO, "number": 1, "comment_id": DEMO_COMMENT}, f"GET {REPO_DISCUSSION_REPLIES}"),
    Example({**GUILD, "number": 1, "order": "hot_desc"}, f"GET {ORG_DISCUSSION_COMMENTS}"),
    Example({**GUILD, "number": 1, "comment_id": GUILD_COMMENT}, f"GET {ORG_DISCUSSION_REPLIES}"),
)
async def list_discussion_comments(
    owner: Owner,
    number: Number,
    ctx: Context,
    repo: str | None = None,
    comment_id: CommentId | None = None,
    order: Literal["time_asc", "time_desc", "hot_desc"] = "time_asc",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List a discussion's comments, or the replies to one comment (comment_id)."""
    if comment_id is None:
        template = REPO_DISCUSSION_COMMENTS if repo is not None else ORG_DISCUSSION_COMMENTS
        return await get_page(
            ctx, template, COMMENT, page, per_page, {"order": order}, **where(owner, repo, number=number)
        )
    # Replies take no order (GitCode CLI appendDiscussionCommentParams).
    template = REPO_DISCUSSION_REPLIES if repo is not None else ORG_DISCUSSION_REPLIES
    args = where(owner, repo, number=number, discussion_comment_id=comment_id)
    return await get_page(ctx, template, COMMENT, page, per_page, **args)


@discussions.write(
    Example({**DEMO, "number": 1, "body": "An empty name could greet the world."}, f"POST {REPO_DISCUSSION_COMMENTS}"),
    Example({**DEMO, "number": 1, "body": "Agreed.", "reply_to": DEMO_COMMENT}, f"POST {REPO_DISCUSSION_REPLIES}"),
    Example({**GUILD, "number": 1, "body": "Count me in."}, f"POST {ORG_DISCUSSION_COMMENTS}"),
    Example({**GUILD, "number": 1, "body": "Thanks!", "reply_to": GUILD_COMMENT}, f"POST {ORG_DISCUSSION_REPLIES}"),
)
async def create_discussion_comment(
    owner: Owner,
    number: Number,
    body: Text,
    ctx: Context,
    repo: str | None = None,
    reply_to: CommentId | None = None,
) -> str:
    """Comment on a discussion, or reply to one of its comments (reply_to)."""
    if reply_to is None:
        where_to = path(ORG_DISCUSSION_COMMENTS, REPO_DISCUSSION_COMMENTS, owner, repo, number=number)
    else:
        where_to = path(
            ORG_DISCUSSION_REPLIES, REPO_DISCUSSION_REPLIES, owner, repo, number=number, discussion_comment_id=reply_to
        )
    reply = await gitcode(ctx).request(
        "POST", where_to, json={"md_content": body}, hints={**NO_COMMENT, 403: "the discussion is locked"}
    )
    return to_text(COMMENT(reply.object()))


@discussions.write(
    Example({**DEMO, "number": 1, "comment_id": DEMO_COMMENT, "body": "Edited."}, f"PATCH {REPO_DISCUSSION_COMMENT}"),
    Example({**GUILD, "number": 1, "comment_id": GUILD_COMMENT, "body": "Edited."}, f"PATCH {ORG_DISCUSSION_COMMENT}"),
    idempotent=True,
)
async def edit_discussion_comment(
    owner: Owner, number: Number, comment_id: CommentId, body: Text, ctx: Context, repo: str | None = None
) -> str:
    """Replace the text of a discussion comment or reply."""
    reply = await gitcode(ctx).request(
        "PATCH",
        comment_path(owner, repo, number, comment_id),
        json={"md_content": body},
        hints={**NO_COMMENT, 403: "only its author may edit a comment"},
    )
    return to_text(COMMENT(reply.object()))


@discussions.destructive(
    Example({**DEMO, "number": 1, "comment_id": DEMO_COMMENT}, f"DELETE {REPO_DISCUSSION_COMMENT}"),
    Example({**GUILD, "number": 1, "comment_id": GUILD_COMMENT}, f"DELETE {ORG_DISCUSSION_COMMENT}"),
)
async def delete_discussion_comment(
    owner: Owner, number: Number, comment_id: CommentId, ctx: Context, repo: str | None = None
) -> str:
    """Delete a discussion comment with its replies; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        comment_path(owner, repo, number, comment_id),
        hints={**NO_COMMENT, 403: "only its author or an admin may delete a comment"},
    )
    return to_text({"deleted": comment_id})
