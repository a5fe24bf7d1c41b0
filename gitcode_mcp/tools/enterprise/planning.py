"""An enterprise's labels and milestones, and the projects (repositories) milestones are on."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp.endpoints import (
    ENTERPRISE_LABEL,
    ENTERPRISE_LABELS,
    ENTERPRISE_LABELS_V8,
    ENTERPRISE_MILESTONE,
    ENTERPRISE_MILESTONES,
    ENTERPRISE_NEW_LABEL,
    ENTERPRISE_PROJECTS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, Title, get_page, gitcode, payload
from gitcode_mcp.tools.enterprise import ADMINS_ONLY, BUG_LABEL, ENT, ENT_ID, ROADMAP, EnterpriseId, enterprises
from gitcode_mcp.tools.labels import Color, hex_color
from gitcode_mcp.views import Obj, View, as_int, at, to_text

ENT_LABEL = View(id=at("id", as_int), name="name", color="color", description="description")
PROJECT = View(id=at("id", as_int), full_name="full_name", name="name")
ENT_MILESTONE = View(
    id=at("id", as_int),
    title="title",
    state="state",
    start_date="start_date",
    due_date="due_date",
    projects=lambda m: [
        p.get("path_with_namespace") or p.get("name") if isinstance(p, dict) else p for p in m.get("projects") or []
    ],
    description="description",
)


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_LABELS}"),
    Example({**ENT, "search": "bug"}, f"GET {ENTERPRISE_LABELS_V8}"),
)
async def list_enterprise_labels(
    enterprise: str, ctx: Context, search: str | None = None, page: Page = 1, per_page: PerPage = 100
) -> str:
    """List an enterprise's issue labels, with ids for editing; search finds labels by name."""
    # All labels come from v5 (up to 100 a page, the reference's default); only v8 searches.
    if search is None:
        return await get_page(ctx, ENTERPRISE_LABELS, ENT_LABEL, page, per_page, enterprise=enterprise)
    query = {"search": search, "direction": "asc"}
    return await get_page(ctx, ENTERPRISE_LABELS_V8, ENT_LABEL, page, per_page, query, enterprise=enterprise)


@enterprises.write(
    Example({**ENT_ID, "name": "security", "color": "#e03529"}, f"POST {ENTERPRISE_NEW_LABEL}"),
    Example(
        {**ENT_ID, "label_id": BUG_LABEL, "name": "defect", "description": "Something is broken"},
        f"PUT {ENTERPRISE_LABEL}",
    ),
)
async def create_or_update_enterprise_label(
    enterprise_id: EnterpriseId,
    ctx: Context,
    label_id: Number | None = None,
    name: Text | None = None,
    color: Color | None = None,
    description: str | None = None,
) -> str:
    """Create an enterprise label (name and color), or edit one (label_id)."""
    fields = payload(name=name.strip() if name else None, color=hex_color(color), description=description)
    client = gitcode(ctx)
    if label_id is None:
        if "name" not in fields or "color" not in fields:
            raise InvalidArgument("name", "a new label needs a name and a color")
        reply = await client.request(
            "POST",
            api_path(ENTERPRISE_NEW_LABEL, enterprise_id=enterprise_id),
            json={"description": "", **fields},
            hints={**ADMINS_ONLY, 409: "a label with this name exists: list_enterprise_labels shows it"},
        )
    else:
        if not fields:
            raise InvalidArgument("name", "give a new name, color or description")
        reply = await client.request(
            "PUT",
            api_path(ENTERPRISE_LABEL, enterprise_id=enterprise_id, label_id=label_id),
            json=fields,
            hints={**ADMINS_ONLY, 404: "no such label: list_enterprise_labels gives ids"},
        )
    return to_text(ENT_LABEL(reply.object()))


@enterprises.destructive(Example({**ENT_ID, "label_id": BUG_LABEL}, f"DELETE {ENTERPRISE_LABEL}"), idempotent=True)
async def delete_enterprise_label(enterprise_id: EnterpriseId, label_id: Number, ctx: Context) -> str:
    """Delete an enterprise label, also from its issues; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(ENTERPRISE_LABEL, enterprise_id=enterprise_id, label_id=label_id),
        hints={**ADMINS_ONLY, 404: "no such label: list_enterprise_labels gives ids"},
    )
    return to_text({"deleted": label_id})


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_PROJECTS}"), Example({**ENT, "group": "gitcode-ent"}, f"GET {ENTERPRISE_PROJECTS}")
)
async def list_enterprise_projects(
    enterprise: str,
    ctx: Context,
    group: Annotated[str, Field(description="An organization")] | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an enterprise's repositories (its projects), with ids for milestones."""
    query = payload(group_name=group)
    return await get_page(ctx, ENTERPRISE_PROJECTS, PROJECT, page, per_page, query, enterprise=enterprise)


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_MILESTONES}"),
    Example({**ENT, "state": "active", "name": "2027"}, f"GET {ENTERPRISE_MILESTONES}"),
    Example({**ENT, "milestone_id": ROADMAP}, f"GET {ENTERPRISE_MILESTONE}"),
)
async def list_enterprise_milestones(
    enterprise: str,
    ctx: Context,
    milestone_id: Number | None = None,
    name: str | None = None,
    state: Literal["active", "closed"] | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an enterprise's milestones, recently updated first, or get one (milestone_id)."""
    if milestone_id is not None:
        where = api_path(ENTERPRISE_MILESTONE, enterprise=enterprise, milestone_id=milestone_id)
        reply = await gitcode(ctx).get(where, hints={404: "no such milestone: list_enterprise_milestones gives ids"})
        return to_text(ENT_MILESTONE(reply.object()))
    query = payload(name=name, state=state, order_by="updated_at", sort="desc")
    return await get_page(ctx, ENTERPRISE_MILESTONES, ENT_MILESTONE, page, per_page, query, enterprise=enterprise)


@enterprises.write(
    Example(
        {**ENT, "title": "2027 H2", "due_date": "2027-12-31", "projects": [8_710_101]}, f"POST {ENTERPRISE_MILESTONES}"
    ),
    Example({**ENT, "milestone_id": ROADMAP, "title": "2027 H1", "state": "closed"}, f"PUT {ENTERPRISE_MILESTONE}"),
)
async def create_or_update_enterprise_milestone(
    enterprise: str,
    title: Title,
    ctx: Context,
    milestone_id: Number | None = None,
    description: str | None = None,
    start_date: date | None = None,
    due_date: date | None = None,
    projects: Annotated[list[Number], Field(description="Ids (list_enterprise_projects)")] | None = None,
    state: Literal["active", "closed"] | None = None,
) -> str:
    """Create an enterprise milestone, or edit one (milestone_id; state closes or reopens it)."""
    if start_date and due_date and start_date > due_date:
        raise InvalidArgument("due_date", "is before start_date")
    fields: Obj = payload(
        title=title.strip(),
        description=description,
        start_date=start_date.isoformat() if start_date else None,
        due_date=due_date.isoformat() if due_date else None,
        projects=projects,
    )
    hints = {**ADMINS_ONLY, 404: "no such milestone or project: list_enterprise_milestones, list_enterprise_projects"}
    if milestone_id is None:
        if state is not None:
            raise InvalidArgument("state", "a new milestone is active; give state only when editing")
        reply = await gitcode(ctx).request(
            "POST", api_path(ENTERPRISE_MILESTONES, enterprise=enterprise), json=fields, hints=hints
        )
    else:
        # The edit takes the title always (required by the reference page) and the state as `state_event`.
        reply = await gitcode(ctx).request(
            "PUT",
            api_path(ENTERPRISE_MILESTONE, enterprise=enterprise, milestone_id=milestone_id),
            json=payload(**fields, state_event=state),
            hints=hints,
        )
    return to_text(ENT_MILESTONE(reply.object()))


@enterprises.destructive(Example({**ENT, "milestone_id": ROADMAP}, f"DELETE {ENTERPRISE_MILESTONE}"), idempotent=True)
async def delete_enterprise_milestone(enterprise: str, milestone_id: Number, ctx: Context) -> str:
    """Delete an enterprise milestone; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(ENTERPRISE_MILESTONE, enterprise=enterprise, milestone_id=milestone_id),
        hints={**ADMINS_ONLY, 404: "no such milestone: list_enterprise_milestones gives ids"},
    )
    return to_text({"deleted": milestone_id})
