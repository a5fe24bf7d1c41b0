"""An enterprise's members: listed, their roles set, added, changed and removed; its custom roles, and which
enterprise an organization belongs to."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp.endpoints import (
    ENTERPRISE_CUSTOM_ROLES,
    ENTERPRISE_MEMBER,
    ENTERPRISE_MEMBER_V8,
    ENTERPRISE_MEMBERS,
    ENTERPRISE_MEMBERS_V8,
    ENTERPRISE_MEMBERSHIP,
    ORG_ENTERPRISE,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import FULL_PAGE, Page, PerPage, get_page, gitcode, payload
from gitcode_mcp.tools.enterprise import ADMINS_ONLY, ENT, ENT_ID, NO_MEMBER, EnterpriseId, Role, enterprises
from gitcode_mcp.views import View, as_int, at, login, sub, to_text

MEMBER_VIEW = View(login=login, name="name", role="role")


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_MEMBERS}"), Example({**ENT, "username": "bob"}, f"GET {ENTERPRISE_MEMBER}")
)
async def list_enterprise_members(
    enterprise: str,
    ctx: Context,
    username: str | None = None,
    page: Page = 1,
) -> str:
    """List an enterprise's members and roles, or get one member."""
    if username is None:
        return await get_page(ctx, ENTERPRISE_MEMBERS, MEMBER_VIEW, page, FULL_PAGE, enterprise=enterprise)
    reply = await gitcode(ctx).get(
        api_path(ENTERPRISE_MEMBER, enterprise=enterprise, username=username),
        hints={404: f"{username} is not a member of {enterprise}, or there is no such enterprise"},
    )
    return to_text(MEMBER_VIEW(reply.object()))


@enterprises.write(Example({**ENT, "username": "bob", "role": "viewer"}, f"PUT {ENTERPRISE_MEMBER}"), idempotent=True)
async def set_enterprise_member_role(enterprise: str, username: str, role: Role, ctx: Context) -> str:
    """Change an enterprise member's role."""
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(ENTERPRISE_MEMBER, enterprise=enterprise, username=username),
        json={"role": role},
        hints={
            403: "only the enterprise's admins may change roles",
            404: f"{username} is not a member of {enterprise}, or there is no such enterprise",
        },
    )
    return to_text(MEMBER_VIEW(reply.object()))


MEMBER_V8 = View(
    login=lambda m: login(sub(m, "user")) or login(m),
    name=lambda m: sub(m, "user").get("name") or m.get("name"),
    role="role",
    role_name=lambda m: m.get("role_name_cn") or m.get("role_name"),
    role_id="role_id",
    email="enterprise_email",
    active=at("active", lambda v: None if v else False),
)
CUSTOM_ROLE = View(
    id="id",
    name=lambda r: r.get("name_cn") or r.get("name"),
    access_level=at("access_level", as_int),
    members=at("member_count", as_int),
)


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
        return to_text(MEMBER_V8((await gitcode(ctx).get(where, hints=NO_MEMBER)).object()))
    return await get_page(ctx, ENTERPRISE_MEMBERS_V8, MEMBER_V8, page, per_page, {"role": role}, enterprise=enterprise)


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
    return to_text(MEMBER_V8(reply.object()))


@enterprises.destructive(Example({**ENT, "username": "bob"}, f"DELETE {ENTERPRISE_MEMBER_V8}"))
async def remove_enterprise_member(enterprise: str, username: str, ctx: Context) -> str:
    """Remove a member from an enterprise and its repositories; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(ENTERPRISE_MEMBER_V8, enterprise=enterprise, username=username),
        hints={**NO_MEMBER, **ADMINS_ONLY},
    )
    return to_text({"removed": username, "enterprise": enterprise})


@enterprises.read(Example(ENT_ID, f"GET {ENTERPRISE_CUSTOM_ROLES}"))
async def list_enterprise_custom_roles(enterprise_id: EnterpriseId, ctx: Context) -> str:
    """List an enterprise's custom roles, with the ids members are given them by."""
    reply = await gitcode(ctx).get(api_path(ENTERPRISE_CUSTOM_ROLES, enterprise_id=enterprise_id))
    return to_text(CUSTOM_ROLE.many(reply.items()))


@enterprises.read(Example({"org": "gitcode-guild"}, f"GET {ORG_ENTERPRISE}"))
async def get_org_enterprise(org: str, ctx: Context) -> str:
    """The enterprise an organization belongs to: its numeric id and name."""
    reply = await gitcode(ctx).get(
        api_path(ORG_ENTERPRISE, org=org), hints={404: "no such organization, or it belongs to no enterprise"}
    )
    found = reply.object()
    return to_text({"enterprise_id": as_int(found.get("id")), "name": found.get("name")})
