"""Organizations: read, create and edit one; its members (add, remove, your own membership, leaving), repositories,
followers, issue types and custom roles; the pull requests across its repositories; the organizations you or another
user belong to.

Evidence: GitCode's reference for the organization endpoints (docs.gitcode.com/docs/orgs and the per-operation
pages, docs.gitcode.com/docs/apis/*-api-v-5-orgs-*); POST /orgs has no GitCode page: it follows Gitee v5 (create an
organization: `name`, `org` the path, `description`), as the AtomGit clients that call it do.
"""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    MY_ORG_MEMBERSHIP,
    MY_ORGS,
    ORG,
    ORG_CUSTOM_ROLES,
    ORG_FOLLOWERS,
    ORG_ISSUE_TYPES,
    ORG_MEMBER,
    ORG_MEMBERS,
    ORG_MEMBERSHIP,
    ORG_PRS,
    ORG_REPOS,
    ORGS,
    USER_ORGS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import FULL_PAGE, Page, PerPage, Text, get_page, gitcode, payload
from gitcode_mcp.tools.pulls.views import ACROSS
from gitcode_mcp.tools.users import REPOSITORY, States
from gitcode_mcp.views import View, as_int, at, login, sub, to_text

orgs = Toolset("orgs", "Organizations: profile, members, repositories")

MCP = {"org": "gitcode-mcp"}  # seeded by the repos and repo_admin areas, alice its owner
GUILD = {"org": "gitcode-guild"}  # seeded by this area's simulator: bob and alice its owners


def _flag(value: Any) -> bool:
    # Booleans in the ref's examples, integers in its schemas (`permissions`): read both.
    return value in (True, 1, "true", "1")


# The org answer (ref): id, login, name, description, enterprise, follow_count, and API URLs with no web page.
ORGANIZATION = View(
    id=at("id", as_int),
    path=lambda o: o.get("login") or o.get("path"),
    name="name",
    description="description",
    enterprise="enterprise",
    followers=at("follow_count", as_int),
)
# PATCH answers (ref) id, path, name, description, email and html_url (the website it was given); location too here.
ORG_UPDATED = View(
    id=at("id", as_int),
    path="path",
    name="name",
    description="description",
    email="email",
    location="location",
    website="html_url",
)
MEMBER_ITEM = View(login="login", name="name", role="member_role")
# members/{username} (ref): the org's id/path/name and the `user`; user/memberships adds role and active.
MEMBERSHIP_VIEW = View(
    org=lambda m: m.get("path") or sub(m, "organization").get("login"),
    login=at("user", login),
    role="role",
    active="active",
)
FOLLOWER = View(login="login", name="name", followed_at="watch_at")
STATUS = View(
    id=at("status_id", as_int), name="status_name", closed=lambda s: _flag(s.get("gitcode_issue_status")) or None
)
ISSUE_TYPE = View(
    id=at("type_id", as_int),
    name="type_name",
    description="type_desc",
    statuses=lambda t: STATUS.many(t["status"]) if isinstance(t.get("status"), list) else None,
)
ROLE = View(
    id="id",
    name="name",
    description="description",
    access_level=at("access_level", as_int),
    members=at("member_count", as_int),
)
# Org repository list items carry html_url with a `.git` suffix (ref): the web page is without it.
ORG_REPOSITORY = View(
    **{
        **REPOSITORY.fields,
        "url": lambda r: str(r.get("html_url") or r.get("web_url") or "").removesuffix(".git") or None,
    }
)


@orgs.read(Example(MCP, f"GET {ORG}"))
async def get_org(org: str, ctx: Context) -> str:
    """Get an organization's profile."""
    reply = await gitcode(ctx).get(api_path(ORG, org=org))
    return to_text(ORGANIZATION(reply.object()))


@orgs.write(
    Example({"name": "Tool Makers", "path": "tool-makers"}, f"POST {ORGS}"),
    Example({"name": "Docs Team", "path": "docs-team", "description": "Writes the docs."}, f"POST {ORGS}"),
)
async def create_org(name: Text, path: str, ctx: Context, description: str | None = None) -> str:
    """Create an organization you own; path is its URL (gitcode.com/<path>) and cannot change later."""
    check_name("path", path)
    reply = await gitcode(ctx).request(
        "POST",
        api_path(ORGS),
        json=payload(name=name.strip(), org=path, description=description),
        hints={400: "the path may be taken (by a user or an organization), or you reached your limit of organizations"},
    )
    return to_text(ORGANIZATION(reply.object()))


@orgs.write(
    Example({**MCP, "description": "Tools for agents on GitCode.", "location": "Shenzhen"}, f"PATCH {ORG}"),
    Example(
        {**MCP, "name": "GitCode MCP", "email": "team@example.com", "website": "https://example.com"}, f"PATCH {ORG}"
    ),
    idempotent=True,
)
async def update_org(
    org: str,
    ctx: Context,
    name: Text | None = None,
    description: str | None = None,
    email: str | None = None,
    location: str | None = None,
    website: str | None = None,
) -> str:
    """Edit an organization's profile."""
    fields = payload(name=name, description=description, email=email, location=location, html_url=website)
    if not fields:
        return to_text({"changed": False, "note": "nothing to change was given, so nothing was sent"})
    reply = await gitcode(ctx).request(
        "PATCH", api_path(ORG, org=org), json=fields, hints={403: "only its owners and admins may edit it"}
    )
    return to_text(ORG_UPDATED(reply.object()))


# One tool for the two lists (ref #1, #2): yours (with the admin filter) or another user's.
@orgs.read(
    Example({}, f"GET {MY_ORGS}"),
    Example({"admin": True}, f"GET {MY_ORGS}"),
    Example({"username": "bob"}, f"GET {USER_ORGS}"),
)
async def list_orgs(ctx: Context, username: str | None = None, admin: bool | None = None, page: Page = 1) -> str:
    """List your organizations or username's; admin: only those you administer."""
    if username is None:
        return await get_page(ctx, MY_ORGS, ORGANIZATION, page, FULL_PAGE, {"admin": admin})
    if admin is not None:
        raise InvalidArgument("admin", "filters your own organizations only; leave it out with username")
    return await get_page(ctx, USER_ORGS, ORGANIZATION, page, FULL_PAGE, username=username)


@orgs.read(Example(MCP, f"GET {ORG_MEMBERS}"), Example({**GUILD, "role": "admin", "page": 1}, f"GET {ORG_MEMBERS}"))
async def list_org_members(
    org: str,
    ctx: Context,
    role: Literal["admin", "member"] | None = None,
    page: Page = 1,
) -> str:
    """List an organization's members and roles."""
    return await get_page(ctx, ORG_MEMBERS, MEMBER_ITEM, page, FULL_PAGE, {"role": role}, org=org)


@orgs.read(Example(MCP, f"GET {MY_ORG_MEMBERSHIP}"), Example({**GUILD, "username": "bob"}, f"GET {ORG_MEMBER}"))
async def get_org_membership(org: str, ctx: Context, username: str | None = None) -> str:
    """Get your role in an organization, or whether username is a member (404: not one)."""
    client = gitcode(ctx)
    if username is None:
        reply = await client.get(api_path(MY_ORG_MEMBERSHIP, org=org), hints={404: "you are not a member of it"})
    else:
        path = api_path(ORG_MEMBER, org=org, username=username)
        reply = await client.get(path, hints={404: f"{username} is not a member of {org} (or {org} does not exist)"})
    return to_text(MEMBERSHIP_VIEW(reply.object()))


@orgs.write(
    Example({**MCP, "username": "bob"}, f"POST {ORG_MEMBERSHIP}"),
    Example({**MCP, "username": "bob", "permission": "admin"}, f"POST {ORG_MEMBERSHIP}"),
)
async def add_org_member(
    org: str,
    username: str,
    ctx: Context,
    permission: Literal["pull", "push", "admin", "customized"] | None = None,
    role_id: str | None = None,
) -> str:
    """Add a user to an organization (default permission push); customized needs role_id."""
    if (permission == "customized") != (role_id is not None):
        raise InvalidArgument(
            "role_id", "give role_id (from list_org_custom_roles) exactly when permission is customized"
        )
    reply = await gitcode(ctx).request(
        "POST",
        api_path(ORG_MEMBERSHIP, org=org, username=username),
        json=payload(permission=permission, role_id=role_id),
        hints={403: "only its owners and admins may add members", 404: "check the organization and the username"},
    )
    user = reply.object()
    granted = sub(user, "permissions")
    level = next((k for k in ("customized", "admin", "push", "pull") if _flag(granted.get(k))), None)
    return to_text({"org": org, "login": login(user) or username, "permission": level})


@orgs.destructive(Example({**GUILD, "username": "bob"}, f"DELETE {ORG_MEMBERSHIP}"))
async def remove_org_member(org: str, username: str, ctx: Context) -> str:
    """Remove a member from an organization and its repositories. Cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(ORG_MEMBERSHIP, org=org, username=username),
        hints={
            403: "only its owners and admins may remove members",
            404: f"{username} is not a member of {org}",
            400: "an organization keeps at least one owner",
        },
    )
    return to_text({"removed": username, "org": org})


@orgs.destructive(Example(GUILD, f"DELETE {MY_ORG_MEMBERSHIP}"))
async def leave_org(org: str, ctx: Context) -> str:
    """Leave an organization; only its owners can add you back. Cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(MY_ORG_MEMBERSHIP, org=org),
        hints={404: "you are not a member of it", 400: "its last owner cannot leave"},
    )
    return to_text({"left": org})


@orgs.read(Example(MCP, f"GET {ORG_REPOS}"), Example({**MCP, "type": "private", "per_page": 5}, f"GET {ORG_REPOS}"))
async def list_org_repos(
    org: str,
    ctx: Context,
    type: Literal["public", "private"] | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an organization's repositories."""
    return await get_page(ctx, ORG_REPOS, ORG_REPOSITORY, page, per_page, {"type": type}, org=org)


@orgs.read(Example(GUILD, f"GET {ORG_FOLLOWERS}"))
async def list_org_followers(org: str, ctx: Context, page: Page = 1) -> str:
    """List who follows an organization."""
    return await get_page(ctx, ORG_FOLLOWERS, FOLLOWER, page, FULL_PAGE, owner=org)


@orgs.read(Example(MCP, f"GET {ORG_ISSUE_TYPES}"))
async def list_org_issue_types(org: str, ctx: Context) -> str:
    """List an organization's issue types and each type's statuses (closed: the status closes the issue)."""
    reply = await gitcode(ctx).get(api_path(ORG_ISSUE_TYPES, org=org))
    return to_text(ISSUE_TYPE.many(reply.items()))


@orgs.read(Example(MCP, f"GET {ORG_CUSTOM_ROLES}"))
async def list_org_custom_roles(org: str, ctx: Context) -> str:
    """List an organization's custom member roles (their ids serve add_org_member)."""
    reply = await gitcode(ctx).get(api_path(ORG_CUSTOM_ROLES, org=org))
    return to_text(ROLE.many(reply.items()))


@orgs.read(Example({"org": "gitcode-mcp"}, f"GET {ORG_PRS}"))
async def list_org_pull_requests(
    org: str, ctx: Context, state: States = "open", page: Page = 1, per_page: PerPage = 20
) -> str:
    """List pull requests across an organisation's repositories."""
    return await get_page(ctx, ORG_PRS, ACROSS, page, per_page, {"state": state}, org=org)
