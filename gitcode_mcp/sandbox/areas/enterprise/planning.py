"""An enterprise's labels, milestones and projects."""

from __future__ import annotations

from datetime import date
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ENTERPRISE_LABEL,
    ENTERPRISE_LABELS,
    ENTERPRISE_LABELS_V8,
    ENTERPRISE_MILESTONE,
    ENTERPRISE_MILESTONES,
    ENTERPRISE_NEW_LABEL,
    ENTERPRISE_PROJECTS,
)
from gitcode_mcp.sandbox.areas.enterprise.members import v8_enterprise
from gitcode_mcp.sandbox.areas.enterprise.state import _COLOR, EntLabel, EntMilestone, extras, repos_of
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, page, route, text_field
from gitcode_mcp.sandbox.state import Enterprise, Repo, User, now


def render_label(label: EntLabel, dates: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"color": label.color, "id": label.id, "name": label.name}
    return {**out, "created_at": label.created_at, "updated_at": label.updated_at} if dates else out


@route("GET", ENTERPRISE_LABELS)
async def labels_v5(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call)
    return page(call, [render_label(label, True) for label in extras(sb.world, ent).labels])


@route("GET", ENTERPRISE_LABELS_V8)
async def labels_v8(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call)
    direction = call.query.get("direction", "asc")
    if direction not in ("asc", "desc"):
        raise Refusal(400, "direction must be asc or desc")
    word = call.query.get("search", "").lower()
    found = sorted((x for x in extras(sb.world, ent).labels if word in x.name.lower()), key=lambda x: x.name)
    return page(call, [render_label(x, False) for x in (reversed(found) if direction == "desc" else found)])


def label_fields(data: dict[str, Any], label: EntLabel | None, taken: list[EntLabel]) -> EntLabel:
    name = text_field(data, "name") if label is None or "name" in data else label.name
    color = data.get("color", label.color if label else None)
    if not isinstance(color, str) or not _COLOR.fullmatch(color):
        raise Refusal(400, "color must be a hex color like #e03529")
    if any(x.name == name and x is not label for x in taken):
        raise Refusal(409, "Label name already exists")
    description = data.get("description", label.description if label else "")
    return EntLabel(label.id if label else 0, name, color, str(description or ""))


@route("POST", ENTERPRISE_NEW_LABEL)
async def create_label(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call, admin=True)
    mine = extras(sb.world, ent)
    label = label_fields(call.data(), None, mine.labels)
    mine.next_id += 1
    label.id, label.created_at, label.updated_at = mine.next_id, now(), now()
    mine.labels.append(label)
    return JSONResponse({**render_label(label, True), "description": label.description}, status_code=201)


def label_of(sb: Sandbox, ent: Enterprise, call: Call) -> EntLabel:
    found = next((x for x in extras(sb.world, ent).labels if x.id == call.params["label_id"]), None)
    if found is None:
        raise Refusal(404, "Label not found")
    return found


@route("PUT", ENTERPRISE_LABEL)
async def update_label(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call, admin=True)
    label = label_of(sb, ent, call)
    changed = label_fields(call.data(), label, extras(sb.world, ent).labels)
    label.name, label.color, label.description, label.updated_at = (
        changed.name,
        changed.color,
        changed.description,
        now(),
    )
    return JSONResponse({**render_label(label, True), "description": label.description})


@route("DELETE", ENTERPRISE_LABEL)
async def delete_label(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call, admin=True)
    extras(sb.world, ent).labels.remove(label_of(sb, ent, call))
    return Response(status_code=204)


def render_project(repo: Repo, full: bool = False) -> dict[str, Any]:
    out = {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{repo.owner.login} / {repo.name}",
        "path": repo.name,
        "name": repo.name,
        "created_at": repo.created_at,
        "updated_at": repo.updated_at or repo.created_at,
    }
    if full:
        out |= {
            "description": repo.description,
            "name_with_namespace": out["human_name"],
            "path_with_namespace": repo.full_name,
            "archived": False,
        }
    return out


@route("GET", ENTERPRISE_PROJECTS)
async def projects(sb: Sandbox, call: Call) -> Response:
    ent, user = v8_enterprise(sb, call)
    group = call.query.get("group_name")
    return page(call, [render_project(r) for r in repos_of(sb, ent, user) if group in (None, r.owner.login)])


def render_milestone(sb: Sandbox, m: EntMilestone, listed: bool) -> dict[str, Any]:
    repos = [r for name in m.projects if (r := sb.world.repos.get(name)) is not None]
    return {
        "id": m.id,
        "title": m.title,
        "description": m.description,
        "state": m.state,
        "start_date": m.start_date,
        "due_date": m.due_date,
        "created_at": m.created_at,
        "updated_at": m.updated_at,
        "projects": [render_project(r, full=True) for r in repos] if listed else [r.full_name for r in repos],
    }


@route("GET", ENTERPRISE_MILESTONES)
async def milestones(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call)
    q = call.query
    if q.get("state") not in (None, "active", "closed") or q.get("sort", "desc") not in ("asc", "desc"):
        raise Refusal(400, "state must be active or closed, sort asc or desc")
    found = [
        m
        for m in extras(sb.world, ent).milestones
        if q.get("state") in (None, m.state) and q.get("name", "").lower() in m.title.lower()
    ]
    found.sort(key=lambda m: m.updated_at, reverse=q.get("sort", "desc") == "desc")
    return page(call, [render_milestone(sb, m, True) for m in found])


def milestone_of(sb: Sandbox, ent: Enterprise, call: Call) -> EntMilestone:
    found = next((m for m in extras(sb.world, ent).milestones if m.id == call.params["milestone_id"]), None)
    if found is None:
        raise Refusal(404, "Milestone not found")
    return found


def milestone_fields(sb: Sandbox, ent: Enterprise, user: User, data: dict[str, Any], m: EntMilestone) -> None:
    m.title = text_field(data, "title")
    for key in ("start_date", "due_date"):
        if key in data:
            try:
                date.fromisoformat(str(data[key]))
            except ValueError:
                raise Refusal(400, f"{key} must be a date like 2027-06-30") from None
            setattr(m, key, str(data[key]))
    if m.start_date and m.due_date and m.start_date > m.due_date:
        raise Refusal(400, "due_date must not be before start_date")
    if "description" in data:
        m.description = str(data["description"] or "")
    if (ids := data.get("projects")) is not None:
        by_id = {r.id: r.full_name for r in repos_of(sb, ent, user)}
        if not isinstance(ids, list):
            raise Refusal(400, "projects must be an array of project ids")
        if missing := [i for i in ids if i not in by_id]:
            raise Refusal(404, f"Project {missing[0]} not found in the enterprise")
        m.projects = [by_id[i] for i in ids]
    m.updated_at = now()


@route("POST", ENTERPRISE_MILESTONES)
async def create_milestone(sb: Sandbox, call: Call) -> Response:
    ent, user = v8_enterprise(sb, call, admin=True)
    mine = extras(sb.world, ent)
    mine.next_id += 1
    m = EntMilestone(mine.next_id, "", "", [], created_at=now())
    milestone_fields(sb, ent, user, call.data(), m)
    mine.milestones.append(m)
    return JSONResponse(render_milestone(sb, m, False), status_code=201)


@route("GET", ENTERPRISE_MILESTONE)
async def get_milestone(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call)
    return JSONResponse(render_milestone(sb, milestone_of(sb, ent, call), False))


@route("PUT", ENTERPRISE_MILESTONE)
async def update_milestone(sb: Sandbox, call: Call) -> Response:
    ent, user = v8_enterprise(sb, call, admin=True)
    m = milestone_of(sb, ent, call)
    data = call.data()
    if (state := data.get("state_event")) is not None:
        if state not in ("active", "closed"):
            raise Refusal(400, "state_event must be active or closed")
        m.state = state
    milestone_fields(sb, ent, user, data, m)
    return JSONResponse(render_milestone(sb, m, False))


@route("DELETE", ENTERPRISE_MILESTONE)
async def delete_milestone(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call, admin=True)
    extras(sb.world, ent).milestones.remove(milestone_of(sb, ent, call))
    return JSONResponse({})
