"""Enterprises, the operations GitCode documents beside the v5 ones (most of them in API v8): members with their role
names and ids, adding and removing members, enterprise labels, issue statuses and extended fields, custom roles, the
enterprise's projects, issue search, milestones, and which enterprise an organization belongs to.

Evidence: GitCode's reference pages (docs.gitcode.com/en/docs/apis/..., read through AndyKong2020/gitcode-api-skill's
copies): get/put/delete-api-v-8-enterprises-enterprise-members(-username), post-...-memberships-username
(`permission` pull|push|admin|customized, `role_id`), put `role` viewer|tester|developer|maintainer|admin|customized,
the member list's `role` filter all|admin|member; get-api-v-5- and get-api-v-8-enterprises-enterprise-labels (v5: all
labels with dates, per_page up to 100; v8: `search`, `direction`); get-api-v-5-enterprises-enterprise-issue-statuses;
get-api-v-8-enterprises-enterprises-id-issue-extend-field; get-api-v-8-enterprise-enterprise-id-customized-roles;
get-api-v-8-enterprise-enterprise-id-groups-projects (`group_name`); the milestone pages (create `title`,
`description`, `due_date`/`start_date` as %Y-%m-%d, `projects` ids; edit also `state_event` active|closed);
get-api-v-8-org-org-enterprise. Label create, edit and delete and `POST .../issues` are in AtomGit's index only:
their bodies follow AtomGit-MCP-Server's EnterpriseService (`{name, color, description}`), and `POST .../issues` is,
by its AtomGit title and client ("获取企业Issue列表"), a search of the enterprise's issues with the filters in the body,
not a create. The v5 member tools (tools/enterprise.py) stay beside these.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

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
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, Title, get_page, gitcode, page_of, payload
from gitcode_mcp.tools.enterprise import ENT, ENT_ISSUE_ITEM, enterprises
from gitcode_mcp.tools.labels import Color, hex_color
from gitcode_mcp.views import Obj, View, as_int, at, login, sub, to_text

ENT_ID = {"enterprise_id": 8_710_001}  # the simulator's gitcode-ent
BUG_LABEL = 8_710_401  # its seeded "bug" label
ROADMAP = 8_710_501  # and its milestone "2027 H1"

EnterpriseId = Annotated[Number, Field(description="Numeric (get_org_enterprise)")]

MEMBER = View(
    login=lambda m: login(sub(m, "user")) or login(m),
    name=lambda m: sub(m, "user").get("name") or m.get("name"),
    role="role",
    role_name=lambda m: m.get("role_name_cn") or m.get("role_name"),
    role_id="role_id",
    email="enterprise_email",
    active=at("active", lambda v: None if v else False),
)
LABEL = View(id=at("id", as_int), name="name", color="color", description="description")
STATUS = View(name="name", description="desc")
FIELD = View(
    id=at("id", as_int),
    name="name",
    type="field_type",
    options=lambda f: [o.get("field_value") for o in f.get("options") or [] if isinstance(o, dict)],
    issue_types=lambda f: [t.get("name") for t in f.get("types") or [] if isinstance(t, dict)],
    description="description",
)
ROLE = View(
    id="id",
    name=lambda r: r.get("name_cn") or r.get("name"),
    access_level=at("access_level", as_int),
    members=at("member_count", as_int),
)
PROJECT = View(id=at("id", as_int), full_name="full_name", name="name")
MILESTONE = View(
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
NO_MEMBER = {404: "no such member or enterprise: get_enterprise_member lists the members"}
ADMINS_ONLY = {403: "only the enterprise's admins may do this"}


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_MEMBERS_V8}"),
    Example({**ENT, "role": "admin"}, f"GET {ENTERPRISE_MEMBERS_V8}"),
    Example({**ENT, "username": "bob"}, f"GET {ENTERPRISE_MEMBER_V8}"),
)
async def get_enterprise_member(
    enterprise: str,
    ctx: Context,
    username: str | None = None,
    role: Literal["all", "admin", "member"] = "all",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an enterprise's members with role names and ids (v8), or get one member with their enterprise email."""
    if username is not None:
        where = api_path(ENTERPRISE_MEMBER_V8, enterprise=enterprise, username=username)
        return to_text(MEMBER((await gitcode(ctx).get(where, hints=NO_MEMBER)).object()))
    return await get_page(ctx, ENTERPRISE_MEMBERS_V8, MEMBER, page, per_page, {"role": role}, enterprise=enterprise)


@enterprises.write(Example({**ENT, "username": "dana"}, f"POST {ENTERPRISE_MEMBERSHIP}"))
async def add_enterprise_member(
    enterprise: str,
    username: str,
    ctx: Context,
    permission: Literal["pull", "push", "admin", "customized"] = "push",
    role_id: Annotated[str, Field(description="With customized")] | None = None,
) -> str:
    """Invite a user into an enterprise with a permission (or a custom role)."""
    if (permission == "customized") != (role_id is not None):
        raise InvalidArgument(
            "role_id", "give role_id exactly when permission is customized (list_enterprise_custom_roles)"
        )
    reply = await gitcode(ctx).request(
        "POST",
        api_path(ENTERPRISE_MEMBERSHIP, enterprise=enterprise, username=username),
        json=payload(permission=permission, role_id=role_id),
        hints={**ADMINS_ONLY, 404: "no such user or enterprise", 409: "already a member"},
    )
    answer = reply.object()
    granted = [k for k, v in sub(answer, "permissions").items() if v]
    return to_text({"login": login(answer) or username, "name": answer.get("name"), "permissions": granted})


EnterpriseRole = Literal["viewer", "tester", "developer", "maintainer", "admin", "customized"]


@enterprises.write(
    Example({**ENT, "username": "bob", "role": "maintainer"}, f"PUT {ENTERPRISE_MEMBER_V8}"), idempotent=True
)
async def update_enterprise_member(
    enterprise: str,
    username: str,
    role: EnterpriseRole,
    ctx: Context,
    role_id: Annotated[str, Field(description="With customized")] | None = None,
) -> str:
    """Change an enterprise member's role, including tester, maintainer or a custom role (v8)."""
    if (role == "customized") != (role_id is not None):
        raise InvalidArgument("role_id", "give role_id exactly when role is customized (list_enterprise_custom_roles)")
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(ENTERPRISE_MEMBER_V8, enterprise=enterprise, username=username),
        json=payload(role=role, role_id=role_id),
        hints={**NO_MEMBER, **ADMINS_ONLY},
    )
    return to_text(MEMBER(reply.object()))


@enterprises.destructive(Example({**ENT, "username": "bob"}, f"DELETE {ENTERPRISE_MEMBER_V8}"))
async def remove_enterprise_member(enterprise: str, username: str, ctx: Context) -> str:
    """Remove a member from an enterprise and its repositories; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(ENTERPRISE_MEMBER_V8, enterprise=enterprise, username=username),
        hints={**NO_MEMBER, **ADMINS_ONLY},
    )
    return to_text({"removed": username, "enterprise": enterprise})


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
        return await get_page(ctx, ENTERPRISE_LABELS, LABEL, page, per_page, enterprise=enterprise)
    query = {"search": search, "direction": "asc"}
    return await get_page(ctx, ENTERPRISE_LABELS_V8, LABEL, page, per_page, query, enterprise=enterprise)


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
    return to_text(LABEL(reply.object()))


@enterprises.destructive(Example({**ENT_ID, "label_id": BUG_LABEL}, f"DELETE {ENTERPRISE_LABEL}"), idempotent=True)
async def delete_enterprise_label(enterprise_id: EnterpriseId, label_id: Number, ctx: Context) -> str:
    """Delete an enterprise label, also from its issues; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(ENTERPRISE_LABEL, enterprise_id=enterprise_id, label_id=label_id),
        hints={**ADMINS_ONLY, 404: "no such label: list_enterprise_labels gives ids"},
    )
    return to_text({"deleted": label_id})


@enterprises.read(Example(ENT, f"GET {ENTERPRISE_ISSUE_STATUSES}"))
async def list_enterprise_issue_statuses(enterprise: str, ctx: Context) -> str:
    """List the issue statuses an enterprise's issues move through."""
    reply = await gitcode(ctx).get(api_path(ENTERPRISE_ISSUE_STATUSES, enterprise=enterprise))
    return to_text(STATUS.many(reply.items()))


@enterprises.read(Example(ENT_ID, f"GET {ENTERPRISE_ISSUE_FIELDS}"))
async def list_enterprise_issue_fields(
    enterprise_id: EnterpriseId, ctx: Context, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List an enterprise's extended (custom) issue fields: type, options, issue types."""
    return await get_page(ctx, ENTERPRISE_ISSUE_FIELDS, FIELD, page, per_page, enterprise_id=enterprise_id)


@enterprises.read(Example(ENT_ID, f"GET {ENTERPRISE_CUSTOM_ROLES}"))
async def list_enterprise_custom_roles(enterprise_id: EnterpriseId, ctx: Context) -> str:
    """List an enterprise's custom roles, with the ids members are given them by."""
    reply = await gitcode(ctx).get(api_path(ENTERPRISE_CUSTOM_ROLES, enterprise_id=enterprise_id))
    return to_text(ROLE.many(reply.items()))


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
    Example(ENT_ID, f"POST {ENTERPRISE_ISSUE_SEARCH}"),
    Example(
        {**ENT_ID, "search": "crash", "labels": ["bug"], "assignees": ["alice"]}, f"POST {ENTERPRISE_ISSUE_SEARCH}"
    ),
)
async def search_enterprise_issues(
    enterprise_id: EnterpriseId,
    ctx: Context,
    search: str | None = None,
    labels: list[str] | None = None,
    assignees: list[str] | None = None,
    states: Annotated[list[str], Field(description="list_enterprise_issue_statuses names")] | None = None,
    project_ids: list[Number] | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """Search an enterprise's issues by title, labels, assignees, statuses or projects, newest first."""
    # The filters travel in a POST body (AtomGit-MCP-Server getEnterpriseIssuesV8); labels a comma string, the rest
    # arrays. It reads and changes nothing.
    body = payload(
        page=page,
        per_page=per_page,
        search=search,
        labels=",".join(labels) if labels else None,
        assignees=assignees,
        issue_states=states,
        project_ids=project_ids,
        sort="created_at",
        direction="desc",
    )
    reply = await gitcode(ctx).request(
        "POST", api_path(ENTERPRISE_ISSUE_SEARCH, enterprise_id=enterprise_id), json=body
    )
    # The answer's shape is not documented: a list of issues, or an object holding them under `data`.
    data = reply.data.get("data") if isinstance(reply.data, dict) else reply.data
    return page_of(reply, ENT_ISSUE_ITEM.many(data if isinstance(data, list) else []), page, per_page)


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
        return to_text(MILESTONE(reply.object()))
    query = payload(name=name, state=state, order_by="updated_at", sort="desc")
    return await get_page(ctx, ENTERPRISE_MILESTONES, MILESTONE, page, per_page, query, enterprise=enterprise)


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
    return to_text(MILESTONE(reply.object()))


@enterprises.destructive(Example({**ENT, "milestone_id": ROADMAP}, f"DELETE {ENTERPRISE_MILESTONE}"), idempotent=True)
async def delete_enterprise_milestone(enterprise: str, milestone_id: Number, ctx: Context) -> str:
    """Delete an enterprise milestone; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(ENTERPRISE_MILESTONE, enterprise=enterprise, milestone_id=milestone_id),
        hints={**ADMINS_ONLY, 404: "no such milestone: list_enterprise_milestones gives ids"},
    )
    return to_text({"deleted": milestone_id})


@enterprises.read(Example({"org": "gitcode-guild"}, f"GET {ORG_ENTERPRISE}"))
async def get_org_enterprise(org: str, ctx: Context) -> str:
    """The enterprise an organization belongs to: its numeric id and name."""
    reply = await gitcode(ctx).get(
        api_path(ORG_ENTERPRISE, org=org), hints={404: "no such organization, or it belongs to no enterprise"}
    )
    found = reply.object()
    return to_text({"enterprise_id": as_int(found.get("id")), "name": found.get("name")})
