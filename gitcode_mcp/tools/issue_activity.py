"""Issue activity: comments listed, per issue or across a repository (the `issues` toolset), edited and deleted
(`comments`); the pull requests and branches linked to an issue (`links`); the history and reactions of an issue or a
comment (`history`); and the caller's own issues across repositories or in one organization (`users`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp.endpoints import (
    ISSUE_BRANCHES,
    ISSUE_COMMENT,
    ISSUE_COMMENT_HISTORY,
    ISSUE_COMMENT_REACTIONS,
    ISSUE_COMMENTS,
    ISSUE_HISTORY,
    ISSUE_OPERATION_LOGS,
    ISSUE_PRS,
    ISSUE_REACTIONS,
    MY_ISSUES,
    ORG_ISSUES,
    REPO_ISSUE_COMMENTS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import MAX_SEGMENT, api_path, check_name
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, get_page, gitcode, page_of
from gitcode_mcp.tools.issues import DEMO, ISSUE_1, ISSUE_ITEM, issues
from gitcode_mcp.tools.pull_discussions import comments, history, links
from gitcode_mcp.tools.pulls import PR_ITEM

# Your issues and an organization's are listed with the users toolset (about a person; fewer default bytes).
from gitcode_mcp.tools.users import users
from gitcode_mcp.views import Obj, View, as_int, at, login, sub, to_text

NOTE = {**DEMO, "comment_id": 8_300_013}  # the seeded comment on alice/demo#1


def issue_number(c: Obj) -> Any:
    """The issue a comment belongs to: `target.issue.number` (probe; the ref's examples spell it `nubmer`)."""
    target = sub(sub(c, "target"), "issue")
    return as_int(target.get("number", target.get("nubmer")))


def edited_at(c: Obj) -> Any:
    return c.get("updated_at") if c.get("updated_at") not in (None, c.get("created_at")) else None


COMMENT_VIEW = View(
    id=at("id", as_int),
    issue=issue_number,
    author=at("user", login),
    body="body",
    created_at="created_at",
    updated_at=edited_at,
)


def repo_of(issue: Obj) -> Any:
    """owner/repo of an issue listed across repositories: `repository.full_name`, else its web URL's path."""
    name = sub(issue, "repository").get("full_name")
    if isinstance(name, str) and "/" in name:
        return name.replace(" ", "")  # the ref shows "owner / repo" in places
    parts = urlsplit(str(issue.get("html_url") or "")).path.strip("/").split("/")
    return "/".join(parts[:2]) if len(parts) >= 4 and parts[2] == "issues" else None


MY_ISSUE = View(repo=repo_of, **ISSUE_ITEM.fields)


# The description names the defaults (assigned to you, open ones): the schema need not repeat them on every turn.
def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


NO_DEFAULT = Field(json_schema_extra=_no_default)


@issues.read(Example(ISSUE_1, f"GET {ISSUE_COMMENTS}"), Example({**DEMO, "per_page": 50}, f"GET {REPO_ISSUE_COMMENTS}"))
async def list_issue_comments(
    owner: str, repo: str, ctx: Context, number: Number | None = None, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List an issue's comments; without number, the repo's newest issue comments."""
    if number is None:
        # Across a repository, recent comments are what an agent looks for: newest first. ref: this list orders by
        # `sort` (created | updated) and `direction`, which is ignored without `sort`.
        query = {"sort": "created", "direction": "desc"}
        return await get_page(ctx, REPO_ISSUE_COMMENTS, COMMENT_VIEW, page, per_page, query, owner=owner, repo=repo)
    # One issue's comments in the order of the conversation (ref: `order`, asc by default).
    reply = await gitcode(ctx).get(
        api_path(ISSUE_COMMENTS, owner=owner, repo=repo, number=number), {"page": page, "per_page": per_page}
    )
    items = [{k: v for k, v in COMMENT_VIEW(c).items() if k != "issue"} for c in reply.items()]
    return page_of(reply, items, page, per_page)


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


@links.read(Example(ISSUE_1, f"GET {ISSUE_PRS}", f"GET {ISSUE_BRANCHES}"))
async def list_issue_links(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """List the pull requests and branches linked to an issue."""
    client = gitcode(ctx)
    where = {"owner": owner, "repo": repo, "number": number}
    pulls = (await client.get(api_path(ISSUE_PRS, **where))).items()
    branches = (await client.get(api_path(ISSUE_BRANCHES, **where))).items()
    return to_text({"pull_requests": PR_ITEM.many(pulls), "branches": [b for b in branches if isinstance(b, str)]})


@links.write(Example({**ISSUE_1, "branches": ["feature", "docs"]}, f"PUT {ISSUE_BRANCHES}"), idempotent=True)
async def set_issue_branches(owner: str, repo: str, number: Number, branches: list[str], ctx: Context) -> str:
    """Link branches to an issue (replaces the list)."""
    names = list(dict.fromkeys(b.strip() for b in branches))
    if bad := [b for b in names if not b or len(b) > MAX_SEGMENT]:
        raise InvalidArgument("branches", f"{bad[0][:40]!r} is not a branch name")
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(ISSUE_BRANCHES, owner=owner, repo=repo, number=number),
        json={"branch_names": names},  # ref: a JSON array, not a comma string
        hints={404: "each branch must exist in the repository", 400: "each branch must exist in the repository"},
    )
    linked = reply.data if isinstance(reply.data, list) else names
    return to_text({"number": number, "branches": linked})


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


@users.read(
    Example({}, f"GET {MY_ISSUES}"),
    Example({"org": "gitcode-mcp", "filter": "all", "state": "closed"}, f"GET {ORG_ISSUES}"),
)
async def list_my_issues(
    ctx: Context,
    org: str | None = None,
    filter: Annotated[Literal["assigned", "created", "all"], NO_DEFAULT] = "assigned",
    # The reference's parameters for both lists name `open` and `closed` only (one demo sends `all`): an `all` GitCode
    # ignored would list the open ones as if they were all (docs/gitcode-behaviour.md, Issues).
    state: Annotated[Literal["open", "closed"], NO_DEFAULT] = "open",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List issues assigned to you (or, by filter, created by you) across repos, or in one org."""
    query = {"filter": filter, "state": state}
    if org is None:
        return await get_page(ctx, MY_ISSUES, MY_ISSUE, page, per_page, query)
    return await get_page(ctx, ORG_ISSUES, MY_ISSUE, page, per_page, query, org=org)
