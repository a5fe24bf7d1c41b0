"""The enterprise operations documented beside the v5 ones (most in API v8), on the seeded gitcode-ent: members with
role names and ids, invitations and removals, labels, issue statuses, extended issue fields, custom roles, projects,
issue search, milestones, and the enterprise an organization belongs to.

Shapes are those of GitCode's reference pages (see tools/enterprise_v8.py): a v8 member `{user: {..., object_id,
user_id}, active, role, role_name, role_name_cn, role_id, enterprise_email}`; an invitation answers the user with
`permissions`; v5 labels carry dates, v8 ones `{id, name, color}`; milestones list their projects as objects and a
single milestone as names; the organization's enterprise `{id, name}`. `{enterprise}` is the enterprise's path or its
numeric id (the pages call it both), `{enterprise_id}` the number. Refusal sentences are the simulator's.

Seeded: the labels bug and feature, four issue statuses, two extended fields, the custom role "reviewer", the
milestone "2027 H1" on gitcode-ent/infra, gitcode-guild in the enterprise, and dana, a user outside it to invite.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from weakref import WeakKeyDictionary

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ENTERPRISE_CUSTOM_ROLES,
    ENTERPRISE_ISSUE_FIELDS,
    ENTERPRISE_ISSUE_SEARCH,
    ENTERPRISE_ISSUE_STATUSES,
    ENTERPRISE_LABEL,
    ENTERPRISE_LABELS,
    ENTERPRISE_LABELS_V8,
    ENTERPRISE_MEMBER_V8,
    ENTERPRISE_MEMBERS_V8,
    ENTERPRISE_MEMBERSHIP,
    ENTERPRISE_MILESTONE,
    ENTERPRISE_MILESTONES,
    ENTERPRISE_NEW_LABEL,
    ENTERPRISE_PROJECTS,
    ORG_ENTERPRISE,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.enterprise import enterprise_of, member_of, render_enterprise_issue, repos_of
from gitcode_mcp.sandbox.areas.orgs import render_invited
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route, text_field
from gitcode_mcp.sandbox.state import API, Enterprise, Repo, User, World, fake_sha, now

BUG_LABEL = 8_710_401  # gitcode-ent's seeded "bug" label
ROADMAP = 8_710_501  # and its milestone "2027 H1"

ROLE_NAMES = {
    "admin": ("Administrator", "管理员"),
    "maintainer": ("Maintainer", "维护者"),
    "developer": ("Developer", "开发者"),
    "tester": ("Tester", "测试者"),
    "viewer": ("Viewer", "观察者"),
}
PERMISSION_ROLES = {"pull": "viewer", "push": "developer", "admin": "admin"}
STATUSES = [("待办的", "Not started"), ("进行中", "In progress"), ("已完成", "Done"), ("已拒绝", "Rejected")]
REVIEWER_ROLE = fake_sha("enterprise-role", "reviewer")[:32]
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}")


@dataclass
class EntLabel:
    id: int
    name: str
    color: str
    description: str = ""
    created_at: str = "2026-10-01T09:00:00+08:00"
    updated_at: str = "2026-10-01T09:00:00+08:00"


@dataclass
class EntMilestone:
    id: int
    title: str
    description: str
    projects: list[str]  # repository full names
    start_date: str = ""
    due_date: str = ""
    state: str = "active"
    created_at: str = "2026-10-01T09:00:00+08:00"
    updated_at: str = "2026-10-01T09:00:00+08:00"


@dataclass
class Extras:
    """What the v8 pages show of an enterprise beyond its v5 members: custom roles held, labels, milestones."""

    custom: dict[str, str] = field(default_factory=dict)  # login -> custom role id
    labels: list[EntLabel] = field(default_factory=list)
    milestones: list[EntMilestone] = field(default_factory=list)
    next_id: int = 8_710_600


_EXTRAS: WeakKeyDictionary[World, dict[str, Extras]] = WeakKeyDictionary()
ORG_ENTERPRISES = {"gitcode-guild": "gitcode-ent"}


def extras(world: World, ent: Enterprise) -> Extras:
    return _EXTRAS.setdefault(world, {}).setdefault(ent.login, Extras())


def seed(world: World) -> None:
    ent = enterprise_of(world)
    found = extras(world, ent)
    if found.labels:
        return
    found.labels += [EntLabel(BUG_LABEL, "bug", "#e03529"), EntLabel(BUG_LABEL + 1, "feature", "#2865E0")]
    found.milestones.append(
        EntMilestone(
            ROADMAP, "2027 H1", "Deployments without downtime.", ["gitcode-ent/infra"], "2027-01-01", "2027-06-30"
        )
    )
    world.users.setdefault("dana", User(fake_sha("user", "dana")[:24], "dana", "Dana"))


def enterprise(sb: Sandbox, call: Call, admin: bool = False) -> tuple[Enterprise, User]:
    """The enterprise of the path (its path or numeric id), for one of its members; admins only with `admin`."""
    user = need_token(call)
    key = str(call.params.get("enterprise", call.params.get("enterprise_id")))
    ent = next((e for e in sb.world.enterprises.values() if key in (e.login, str(e.number))), None)
    if ent is None:
        raise Refusal(404, "Not Found Enterprise")
    if user.login not in ent.members:
        raise Refusal(403, "You are not a member of this enterprise", "FORBIDDEN")
    if admin and ent.members[user.login] != "admin":
        raise Refusal(403, "Only the enterprise's administrators may do this", "FORBIDDEN")
    return ent, user


def render_member(sb: Sandbox, ent: Enterprise, user: User) -> dict[str, Any]:
    role = ent.members[user.login]
    custom = extras(sb.world, ent).custom.get(user.login)
    names = ("reviewer", "评审员") if role == "customized" else ROLE_NAMES.get(role, (role, role))
    return {
        "user": {
            **shapes.user(user),
            "url": f"{API}/{user.login}",
            "object_id": user.id,
            "user_id": int(user.id[:6], 16),
        },
        "active": True,
        "role": role,
        "role_name": names[0],
        "role_name_cn": names[1],
        "role_id": custom or fake_sha("enterprise-role", role)[:32],
        "enterprise_email": f"{user.login}@{ent.login}.example",
    }


def keep_an_admin(ent: Enterprise, login: str, role: str | None) -> None:
    admins = [m for m, r in ent.members.items() if r == "admin"]
    if admins == [login] and role != "admin":
        raise Refusal(400, "The enterprise's last administrator cannot give up the role")


def custom_role(data: dict[str, Any]) -> str:
    if data.get("role_id") != REVIEWER_ROLE:
        raise Refusal(400, "role_id must be the id of one of the enterprise's customized roles")
    return REVIEWER_ROLE


@route("GET", ENTERPRISE_MEMBERS_V8)
async def list_members(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
    wanted = call.query.get("role", "all")
    if wanted not in ("all", "admin", "member"):
        raise Refusal(400, "role must be one of all, admin, member")
    people = [
        sb.world.users[m] for m, r in ent.members.items() if wanted == "all" or (r == "admin") == (wanted == "admin")
    ]
    return page(call, [render_member(sb, ent, u) for u in people])


@route("GET", ENTERPRISE_MEMBER_V8)
async def get_member(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
    return JSONResponse(render_member(sb, ent, member_of(ent, sb, call)))


@route("PUT", ENTERPRISE_MEMBER_V8)
async def update_member(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call, admin=True)
    user = member_of(ent, sb, call)
    data = call.data()
    role = data.get("role")
    if role not in (*ROLE_NAMES, "customized"):
        raise Refusal(400, f"role must be one of {', '.join(ROLE_NAMES)}, customized")
    keep_an_admin(ent, user.login, role)
    if role == "customized":
        extras(sb.world, ent).custom[user.login] = custom_role(data)
    else:
        extras(sb.world, ent).custom.pop(user.login, None)
    ent.members[user.login] = role
    return JSONResponse(render_member(sb, ent, user))


@route("DELETE", ENTERPRISE_MEMBER_V8)
async def remove_member(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call, admin=True)
    user = member_of(ent, sb, call)
    keep_an_admin(ent, user.login, None)
    answer = {
        "active": True,
        "role": ent.members.pop(user.login),
        "url": f"{API}/enterprises/{ent.login}/members/{user.login}",
    }
    return JSONResponse({**answer, "user": {**shapes.user(user), "url": f"{API}/{user.login}"}})


@route("POST", ENTERPRISE_MEMBERSHIP)
async def invite(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call, admin=True)
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    if user.login in ent.members:
        raise Refusal(409, "The user is already a member of the enterprise")
    data = call.data()
    permission = data.get("permission", "push")
    if permission not in (*PERMISSION_ROLES, "customized"):
        raise Refusal(400, "permission must be one of pull, push, admin, customized")
    if permission == "customized":
        extras(sb.world, ent).custom[user.login] = custom_role(data)
    ent.members[user.login] = PERMISSION_ROLES.get(permission, "customized")
    return JSONResponse(render_invited(user, permission))


def render_label(label: EntLabel, dates: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"color": label.color, "id": label.id, "name": label.name}
    return {**out, "created_at": label.created_at, "updated_at": label.updated_at} if dates else out


@route("GET", ENTERPRISE_LABELS)
async def labels_v5(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
    return page(call, [render_label(label, True) for label in extras(sb.world, ent).labels])


@route("GET", ENTERPRISE_LABELS_V8)
async def labels_v8(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
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
    ent, _ = enterprise(sb, call, admin=True)
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
    ent, _ = enterprise(sb, call, admin=True)
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
    ent, _ = enterprise(sb, call, admin=True)
    extras(sb.world, ent).labels.remove(label_of(sb, ent, call))
    return Response(status_code=204)


@route("GET", ENTERPRISE_ISSUE_STATUSES)
async def issue_statuses(sb: Sandbox, call: Call) -> Response:
    enterprise(sb, call)
    return JSONResponse([{"name": name, "desc": desc} for name, desc in STATUSES])


@route("GET", ENTERPRISE_ISSUE_FIELDS)
async def issue_fields(sb: Sandbox, call: Call) -> Response:
    enterprise(sb, call)
    requirement = {"desc": "", "enabled": True, "id": 425, "kind": 0, "name": "requirement", "sort_num": 1}
    options = [
        {
            "created_time": "2026-10-01T09:00:00+08:00",
            "extend_field_id": 48,
            "field_value": v,
            "id": 51 + i,
            "sort_num": 9999,
        }
        for i, v in enumerate(("P0", "P1", "P2"))
    ]
    fields = [
        {
            "created_time": "2026-10-01T09:00:00+08:00",
            "description": "How urgent",
            "field_type": "select_single",
            "field_visibility": 1,
            "id": 48,
            "name": "Priority",
            "options": [{**o, "updated_time": o["created_time"]} for o in options],
            "types": [requirement],
            "updated_time": "2026-10-01T09:00:00+08:00",
        },
        {
            "created_time": "2026-10-02T09:00:00+08:00",
            "description": "",
            "field_type": "text_single",
            "field_visibility": 0,
            "id": 49,
            "name": "Customer",
            "types": [],
            "updated_time": "2026-10-02T09:00:00+08:00",
        },
    ]
    return page(call, fields)


@route("GET", ENTERPRISE_CUSTOM_ROLES)
async def custom_roles(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
    held = sum(1 for r in extras(sb.world, ent).custom.values() if r == REVIEWER_ROLE)
    role = {
        "access_level": 25,
        "created_at": "2026-10-01T09:00:00+08:00",
        "description": "Reviews merge requests, pushes nothing",
        "id": REVIEWER_ROLE,
        "member_count": held,
        "mgnt_mode": 0,
        "name": "reviewer",
        "name_cn": "评审员",
        "product_id": "",
        "role_type": "customized",
        "updated_at": "2026-10-01T09:00:00+08:00",
    }
    return JSONResponse([role])


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
    ent, user = enterprise(sb, call)
    group = call.query.get("group_name")
    return page(call, [render_project(r) for r in repos_of(sb, ent, user) if group in (None, r.owner.login)])


def string_list(body: dict[str, Any], key: str) -> list[Any] | None:
    value = body.get(key)
    if value is not None and not isinstance(value, list):
        raise Refusal(400, f"{key} must be an array")
    return value


@route("POST", ENTERPRISE_ISSUE_SEARCH)
async def search_issues(sb: Sandbox, call: Call) -> Response:
    ent, user = enterprise(sb, call)
    body = call.data()
    assignees, states = string_list(body, "assignees"), string_list(body, "issue_states")
    projects, milestones = string_list(body, "project_ids"), string_list(body, "milestone_ids")
    labels = {s for s in str(body.get("labels") or "").split(",") if s}
    words = str(body.get("search") or "").lower()
    found = [
        (r, i)
        for r in repos_of(sb, ent, user)
        if projects is None or r.id in projects
        for i in r.issues.values()
        if words in i.title.lower()
        and labels <= set(i.labels)
        and (assignees is None or any(a.login in assignees for a in i.assignees))
        and (states is None or ("待办的" if i.state == "open" else "已完成") in states)
        and not milestones  # no issue of the seeded repositories is on an enterprise milestone
    ]
    found.sort(key=lambda ri: ri[1].created_at, reverse=body.get("direction", "desc") == "desc")
    number, size = int(body.get("page") or 1), int(body.get("per_page") or 20)
    if number < 1 or not 1 <= size <= 100:
        raise Refusal(400, "page must be >= 1 and per_page between 1 and 100")
    shown = found[(number - 1) * size : number * size]
    headers = {"total_count": str(len(found)), "total_page": str(max(1, -(-len(found) // size)))}
    return JSONResponse([render_enterprise_issue(ent, r, i) for r, i in shown], headers=headers)


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
    ent, _ = enterprise(sb, call)
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
    ent, user = enterprise(sb, call, admin=True)
    mine = extras(sb.world, ent)
    mine.next_id += 1
    m = EntMilestone(mine.next_id, "", "", [], created_at=now())
    milestone_fields(sb, ent, user, call.data(), m)
    mine.milestones.append(m)
    return JSONResponse(render_milestone(sb, m, False), status_code=201)


@route("GET", ENTERPRISE_MILESTONE)
async def get_milestone(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
    return JSONResponse(render_milestone(sb, milestone_of(sb, ent, call), False))


@route("PUT", ENTERPRISE_MILESTONE)
async def update_milestone(sb: Sandbox, call: Call) -> Response:
    ent, user = enterprise(sb, call, admin=True)
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
    ent, _ = enterprise(sb, call, admin=True)
    extras(sb.world, ent).milestones.remove(milestone_of(sb, ent, call))
    return JSONResponse({})


@route("GET", ORG_ENTERPRISE)
async def org_enterprise(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    ent = sb.world.enterprises.get(ORG_ENTERPRISES.get(call.params["org"], ""))
    if org is None:
        raise Refusal(404, "Not Found Group")
    if ent is None:
        raise Refusal(404, "The organization belongs to no enterprise")
    return JSONResponse({"id": ent.number, "name": ent.name})
