"""Milestones: list, read, create, edit (close, reopen) and delete a repository's milestones.

Evidence: the GitCode reference's milestone page (docs.gitcode.com/docs/repos/milestone). Milestones are identified
by `number` (probe, docs/gitcode-behaviour.md, Issues: a nested milestone may carry `number` and no `id`); reads
answer the state `active` or `closed` (ref), writes take `open` or `closed` (ref).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import MILESTONE, MILESTONES
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import FULL_PAGE, Number, Page, Title, get_page, gitcode, payload
from gitcode_mcp.views import View, as_int, at, to_text

milestones = Toolset("milestones", "Plan with milestones: list, create, edit, close and delete them")

DEMO = {"owner": "alice", "repo": "demo"}
NOT_FOUND = {404: "no such milestone; list_milestones shows their numbers"}


def _state(value: Any) -> Any:
    return "open" if value in ("active", "opened") else value


MILESTONE_VIEW = View(
    number=at("number", as_int),
    title="title",
    state=at("state", _state),
    due_on="due_on",
    open_issues=at("open_issues", as_int),
    closed_issues=at("closed_issues", as_int),
    description="description",
    url="url",
)


@milestones.read(
    Example(DEMO, f"GET {MILESTONES}"),
    Example({**DEMO, "state": "all", "page": 1}, f"GET {MILESTONES}"),
    Example({**DEMO, "number": 1}, f"GET {MILESTONE}"),
)
async def list_milestones(
    owner: str,
    repo: str,
    ctx: Context,
    state: Literal["open", "closed", "all"] = "open",
    number: Number | None = None,
    page: Page = 1,
) -> str:
    """List a repository's milestones by due date, or get one by number."""
    if number is not None:
        reply = await gitcode(ctx).get(api_path(MILESTONE, owner=owner, repo=repo, number=number), hints=NOT_FOUND)
        return to_text(MILESTONE_VIEW(reply.object()))
    query = {"state": state, "sort": "due_on", "direction": "asc"}
    return await get_page(ctx, MILESTONES, MILESTONE_VIEW, page, FULL_PAGE, query, owner=owner, repo=repo)


@milestones.write(
    Example({**DEMO, "title": "v1.1", "due_on": "2027-03-31", "description": "Polish"}, f"POST {MILESTONES}")
)
async def create_milestone(
    owner: str, repo: str, title: Title, due_on: date, ctx: Context, description: str | None = None
) -> str:
    """Create a milestone; update_issue puts issues on it."""
    reply = await gitcode(ctx).request(
        "POST",
        api_path(MILESTONES, owner=owner, repo=repo),
        json=payload(title=title, due_on=due_on.isoformat(), description=description),
        hints={422: "check the title and due_on (YYYY-MM-DD)"},
    )
    return to_text(MILESTONE_VIEW(reply.object()))


@milestones.write(
    Example({**DEMO, "number": 1, "state": "closed"}, f"GET {MILESTONE}", f"PATCH {MILESTONE}"),
    Example({**DEMO, "number": 1, "title": "v1.0.1", "due_on": "2027-01-15"}, f"PATCH {MILESTONE}"),
    idempotent=True,
)
async def update_milestone(
    owner: str,
    repo: str,
    number: Number,
    ctx: Context,
    title: Title | None = None,
    due_on: date | None = None,
    description: str | None = None,
    state: Literal["open", "closed"] | None = None,
) -> str:
    """Edit, close or reopen a milestone."""
    where = {"owner": owner, "repo": repo, "number": number}
    client = gitcode(ctx)
    if title is None and due_on is None and description is None and state is None:
        reply = await client.get(api_path(MILESTONE, **where), hints=NOT_FOUND)
        return to_text({**MILESTONE_VIEW(reply.object()), "note": "nothing to change was given; this is it"})
    fields = payload(title=title, due_on=due_on.isoformat() if due_on else None, description=description, state=state)
    if title is None or due_on is None:
        # The reference marks title and due_on required on update too: the current ones are sent when not changed.
        current = (await client.get(api_path(MILESTONE, **where), hints=NOT_FOUND)).object()
        fields = {"title": current.get("title"), "due_on": current.get("due_on"), **fields}
    reply = await client.request(
        "PATCH", api_path(MILESTONE, **where), json=payload(**fields), hints={**NOT_FOUND, 422: "check the values"}
    )
    return to_text(MILESTONE_VIEW(reply.object()))


@milestones.destructive(Example({**DEMO, "number": 1}, f"DELETE {MILESTONE}"), idempotent=True)
async def delete_milestone(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """Delete a milestone; its issues lose it. This cannot be undone."""
    await gitcode(ctx).request("DELETE", api_path(MILESTONE, owner=owner, repo=repo, number=number), hints=NOT_FOUND)
    return to_text({"deleted": number})
