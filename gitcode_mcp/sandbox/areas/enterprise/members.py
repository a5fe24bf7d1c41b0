"""An enterprise's members (v5 and v8): listed, read, their roles set, invited, removed; its custom roles; an
organization's enterprise."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ENTERPRISE_CUSTOM_ROLES,
    ENTERPRISE_MEMBER,
    ENTERPRISE_MEMBER_V8,
    ENTERPRISE_MEMBERS,
    ENTERPRISE_MEMBERS_V8,
    ENTERPRISE_MEMBERSHIP,
    ORG_ENTERPRISE,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.enterprise.state import (
    ORG_ENTERPRISES,
    PERMISSION_ROLES,
    REVIEWER_ROLE,
    ROLE_NAMES,
    ROLES,
    extras,
    member_of,
)
from gitcode_mcp.sandbox.areas.orgs import render_invited
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import API, Enterprise, User, fake_sha


def member_enterprise(sb: Sandbox, call: Call) -> tuple[Enterprise, User]:
    """The enterprise of the path, for one of its members (others: 403; anonymous: 401)."""
    user = need_token(call)
    ent = sb.world.enterprises.get(call.params["enterprise"])
    if ent is None:
        raise Refusal(404, "Not Found Enterprise")
    if user.login not in ent.members:
        raise Refusal(403, "You are not a member of this enterprise", "FORBIDDEN")
    return ent, user


def render_member(ent: Enterprise, user: User) -> dict[str, Any]:
    return {
        **shapes.user(user),
        "url": f"{API}/enterprises/{ent.login}/members/{user.login}",
        "role": ent.members[user.login],
        "active": True,
        "remark": "",
        "outsourced": False,
        "user": {**shapes.user(user), "type": "User"},
    }


@route("GET", ENTERPRISE_MEMBERS)
async def list_members(sb: Sandbox, call: Call) -> Response:
    ent, _ = member_enterprise(sb, call)
    wanted = call.query.get("role", "all")
    if wanted not in ("all", *ROLES):
        raise Refusal(400, f"role must be one of all, {', '.join(ROLES)}")
    people = [sb.world.users[login] for login, r in ent.members.items() if wanted in ("all", r)]
    return page(call, [render_member(ent, u) for u in people])


@route("GET", ENTERPRISE_MEMBER)
async def get_member(sb: Sandbox, call: Call) -> Response:
    ent, _ = member_enterprise(sb, call)
    return JSONResponse(render_member(ent, member_of(ent, sb, call)))


@route("PUT", ENTERPRISE_MEMBER)
async def set_member_role(sb: Sandbox, call: Call) -> Response:
    ent, me = member_enterprise(sb, call)
    if ent.members.get(me.login) != "admin":
        raise Refusal(403, "Only the enterprise's administrators may change roles", "FORBIDDEN")
    user = member_of(ent, sb, call)
    wanted = call.data().get("role")
    if not wanted:
        raise Refusal(400, "role must not be blank", "PARAMETER_ERROR")  # atomgit's answer to a PUT without it
    if wanted not in ROLES:
        raise Refusal(400, f"role must be one of {', '.join(ROLES)}", "PARAMETER_ERROR")
    if user.login == me.login and wanted != "admin" and list(ent.members.values()).count("admin") == 1:
        raise Refusal(400, "The enterprise's last administrator cannot give up the role")
    ent.members[user.login] = wanted
    return JSONResponse(render_member(ent, user))


def v8_enterprise(sb: Sandbox, call: Call, admin: bool = False) -> tuple[Enterprise, User]:
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


def render_member_v8(sb: Sandbox, ent: Enterprise, user: User) -> dict[str, Any]:
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
async def list_members_v8(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call)
    wanted = call.query.get("role", "all")
    if wanted not in ("all", "admin", "member"):
        raise Refusal(400, "role must be one of all, admin, member")
    people = [
        sb.world.users[m] for m, r in ent.members.items() if wanted == "all" or (r == "admin") == (wanted == "admin")
    ]
    return page(call, [render_member_v8(sb, ent, u) for u in people])


@route("GET", ENTERPRISE_MEMBER_V8)
async def get_member_v8(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call)
    return JSONResponse(render_member_v8(sb, ent, member_of(ent, sb, call)))


@route("PUT", ENTERPRISE_MEMBER_V8)
async def update_member(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call, admin=True)
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
    return JSONResponse(render_member_v8(sb, ent, user))


@route("DELETE", ENTERPRISE_MEMBER_V8)
async def remove_member(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call, admin=True)
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
    ent, _ = v8_enterprise(sb, call, admin=True)
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


@route("GET", ENTERPRISE_CUSTOM_ROLES)
async def custom_roles(sb: Sandbox, call: Call) -> Response:
    ent, _ = v8_enterprise(sb, call)
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
