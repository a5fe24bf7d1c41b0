"""Organizations, in the shapes of GitCode's reference (docs.gitcode.com/docs/orgs and the per-operation pages): integer
org ids (`Org.number`), member lists with `member_role`, an invitation answered with the user and its `permissions`,
removals answered `{}`, org repository items with a `.git` html_url, followers with `watch_at`, the issue types
with their statuses, custom roles. POST orgs has no GitCode page: it follows Gitee v5 (`name`, `org`, `description`).

State lives in `World.orgs` (gitcode-mcp and gitcode-lab are seeded by the repos and repo_admin areas; this area
seeds gitcode-guild), so an organization created here is what the other areas see, and theirs are seen here.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import JSONResponse, Response

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
from gitcode_mcp.paths import NAME_PATTERN
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import ADMIN_ROLES, CUSTOM_ORG_ROLES, access, is_org_admin
from gitcode_mcp.sandbox.areas.pulls.render import across
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import API, WEB, Org, Repo, User, World, fake_sha, now

# What an invitation's `permission` makes a member (its `member_role` in lists); `customized` takes the role's name.
ROLE_OF = {"admin": "admin", "push": "developer", "pull": "viewer"}
MAX_OWNED = 5  # AtomGit's help: a user may create (administer) at most 5 organizations
_PATH = re.compile(NAME_PATTERN)

# The organization-wide custom roles (ref fields) are sandbox/access.py's, which says what each lets a member do.
CUSTOM_ROLES = CUSTOM_ORG_ROLES
# The issue types and their statuses (ref example); gitcode_issue_status 1: the status closes the issue.
ISSUE_SETTINGS = (
    (
        4,
        "需求",
        "定义和描述产品或项目中需要实现的新功能或改进",
        ((11, "未提单", 0), (12, "实现中", 0), (14, "已完成", 1)),
    ),
    (5, "缺陷", "产品中与预期不符的问题", ((21, "待修复", 0), (20, "修复中", 0), (23, "已关闭", 1))),
)


def seed(world: World) -> None:
    """The organizations: gitcode-guild, bob and alice its owners, both following it; gitcode-mcp (its handbook and
    toolbox repositories are the repos and repo_admin areas') and gitcode-lab (where a repository is transferred to),
    alice the owner of both."""
    if "gitcode-guild" not in world.orgs:
        guild = Org(
            fake_sha("org", "gitcode-guild")[:24],
            "gitcode-guild",
            "GitCode Guild",
            members={"bob": "owner", "alice": "owner"},
            number=138_200,
            description="Friends of gitcode-mcp.",
            followers={"alice": "2026-11-18T10:00:00+08:00", "bob": "2026-11-19T11:30:00+08:00"},
        )
        world.orgs[guild.login] = guild
    for login, name, number in (("gitcode-mcp", "gitcode-mcp", 8_458_007), ("gitcode-lab", "GitCode Lab", 8_458_008)):
        if login not in world.orgs:
            world.orgs[login] = Org(fake_sha("org", login)[:24], login, name, members={"alice": "owner"}, number=number)


# --- shapes ---------------------------------------------------------------------------------------------------------


def summary(org: Org) -> dict[str, Any]:
    """An organization as lists show it (ref #1, #2: null URLs in lists)."""
    return {
        "id": org.number,
        "login": org.login,
        "path": org.login,
        "name": org.name,
        "avatar_url": None,
        "repos_url": None,
        "events_url": None,
        "members_url": None,
        "description": org.description,
        "follow_count": len(org.followers),
    }


def organization(org: Org) -> dict[str, Any]:
    """GET orgs/{org} (ref #4)."""
    return {
        "id": org.number,
        "login": org.login,
        "name": org.name,
        "avatar_url": "",
        "repos_url": f"https://api.gitcode.com/{org.login}/repos",
        "events_url": f"https://api.gitcode.com/{org.login}/events",
        "members_url": f"https://api.gitcode.com/{org.login}/members{{/member}}",
        "description": org.description,
        "enterprise": org.login,
        "follow_count": len(org.followers),
        "gitee": {"follows": len(org.followers)},
    }


def member(user: User, role: str) -> dict[str, Any]:
    """A member list item (ref #9)."""
    return {
        **shapes.user(user),
        "followers_url": f"{API}users/{user.login}/followers",  # sic: the ref's URL lacks the slash
        "member_role": role,
        "type": "User",
        "url": f"{API}/{user.login}",
    }


def org_repo(sb: Sandbox, repo: Repo, org: Org) -> dict[str, Any]:
    """An organization's repository as its list shows it (ref #5)."""
    return {
        "id": repo.id,
        "full_name": repo.full_name,
        "namespace": {
            "id": org.number,
            "type": "group",
            "name": org.name,
            "path": org.login,
            "html_url": f"{WEB}/{org.login}",
        },
        "path": repo.name,
        "name": repo.name,
        "description": repo.description,
        "private": repo.private,
        "public": not repo.private,
        "internal": False,
        "fork": repo.parent is not None,
        "html_url": f"{repo.web_url}.git",
        "forks_count": sum(r.parent is repo for r in sb.world.repos.values()),
        "stargazers_count": len(repo.stargazers),
        "watchers_count": len(repo.watchers),
        "default_branch": repo.default_branch,
        "open_issues_count": sum(i.state == "open" for i in repo.issues.values()),
        "license": repo.license,
        "project_creator": (repo.creator or repo.owner).login,
        "pushed_at": repo.updated_at or repo.created_at,
        "created_at": repo.created_at,
        "updated_at": repo.updated_at or repo.created_at,
        "status": shapes.repo_status(repo),
    }


# --- who may do what ------------------------------------------------------------------------------------------------


def find_org(sb: Sandbox, path: str) -> Org:
    org = sb.world.orgs.get(path)
    if org is None:
        raise Refusal(404, "Not Found Organization")
    return org


def need_admin(call: Call, org: Org) -> User:
    user = need_token(call)
    if not is_org_admin(org, user):
        raise Refusal(403, "You do not have permission to manage this organization", "FORBIDDEN")
    return user


def keep_an_owner(org: Org, login: str) -> None:
    owners = [m for m, r in org.members.items() if r == "owner"]
    if owners == [login]:
        raise Refusal(400, "The organization must keep at least one owner")


def text_fields(call: Call, names: tuple[str, ...]) -> dict[str, str]:
    data = call.data()
    for name in names:
        if name in data and not isinstance(data[name], str):
            raise Refusal(400, f"{name} must be a string", "VALIDATION_ERROR")
    return {name: data[name] for name in names if name in data}


# --- organizations --------------------------------------------------------------------------------------------------


@route("POST", ORGS)
async def create_org(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    fields = text_fields(call, ("name", "org", "description"))
    name, path = fields.get("name", "").strip(), fields.get("org", "")
    if not name or not path:
        raise Refusal(400, "name and org are required", "VALIDATION_ERROR")
    if not _PATH.fullmatch(path):
        raise Refusal(400, "org may contain letters, digits, '_', '-' and '.' only", "VALIDATION_ERROR")
    if path in sb.world.orgs or path in sb.world.users:
        raise Refusal(400, f"The path {path} is already taken")
    owned = sum(o.members.get(user.login) in ADMIN_ROLES for o in sb.world.orgs.values())
    if owned >= MAX_OWNED:
        raise Refusal(400, f"You may create at most {MAX_OWNED} organizations")
    org = Org(
        fake_sha("org", path)[:24],
        path,
        name,
        members={user.login: "owner"},
        number=sb.world.new_id(),
        description=fields.get("description", ""),
        created_at=now(),
    )
    sb.world.orgs[path] = org
    return JSONResponse(summary(org), status_code=201)


@route("GET", ORG)
async def get_org(sb: Sandbox, call: Call) -> Response:
    need_token(call)  # ref: access_token*
    return JSONResponse(organization(find_org(sb, call.params["org"])))


@route("PATCH", ORG)
async def update_org(sb: Sandbox, call: Call) -> Response:
    org = find_org(sb, call.params["org"])
    need_admin(call, org)
    fields = text_fields(call, ("name", "description", "email", "location", "html_url"))
    if "name" in fields:
        if not fields["name"].strip():
            raise Refusal(400, "name must not be blank", "VALIDATION_ERROR")
        org.name = fields["name"].strip()
    org.description = fields.get("description", org.description)
    org.email = fields.get("email", org.email)
    org.location = fields.get("location", org.location)
    org.website = fields.get("html_url", org.website)
    return JSONResponse(
        {
            "id": org.number,
            "path": org.login,
            "name": org.name,
            "description": org.description,
            "email": org.email,
            "location": org.location,
            "html_url": org.website,
        }
    )


@route("GET", ORG_ISSUE_TYPES)
async def issue_types(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    find_org(sb, call.params["org"])
    return JSONResponse(
        [
            {
                "type_name": name,
                "type_id": type_id,
                "type_desc": desc,
                "status": [
                    {"status_name": s, "status_id": sid, "status_desc": f"{name}: {s}", "gitcode_issue_status": done}
                    for sid, s, done in statuses
                ],
            }
            for type_id, name, desc, statuses in ISSUE_SETTINGS
        ]
    )


@route("GET", ORG_CUSTOM_ROLES)
async def custom_roles(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    org = find_org(sb, call.params["org"])
    return JSONResponse(
        [
            {
                "id": role_id,
                "name": name,
                "name_cn": name_cn,
                "product_id": fake_sha("product", org.login)[:32],
                "access_level": level,
                "created_at": org.created_at,
                "role_type": "customized",
                "updated_at": org.created_at,
                "description": desc,
                "member_count": sum(r == name for r in org.members.values()),
                "role_from": "organization",
                "mgnt_mode": 0,
            }
            for role_id, name, name_cn, level, desc in CUSTOM_ROLES
        ]
    )


# --- members --------------------------------------------------------------------------------------------------------


@route("GET", ORG_MEMBERS)
async def members(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    org = find_org(sb, call.params["org"])
    wanted = call.query.get("role") or "all"
    if wanted not in ("all", "admin", "member"):
        raise Refusal(400, "role must be one of [all, admin, member]", "VALIDATION_ERROR")
    found = [
        member(sb.world.users[login], role)
        for login, role in org.members.items()
        if login in sb.world.users and (wanted == "all" or (role in ADMIN_ROLES) == (wanted == "admin"))
    ]
    return page(call, found)


@route("GET", ORG_MEMBER)
async def get_member(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    org = find_org(sb, call.params["org"])
    user = sb.world.users.get(call.params["username"])
    if user is None or user.login not in org.members:
        raise Refusal(404, "Not Found Member")
    # ref #3: the organization's id/path, empty name and url, and the user
    return JSONResponse(
        {"id": org.number, "path": org.login, "name": "", "url": "", "avatar_url": None, "user": shapes.user(user)}
    )


@route("POST", ORG_MEMBERSHIP)
async def add_member(sb: Sandbox, call: Call) -> Response:
    org = find_org(sb, call.params["org"])
    need_admin(call, org)
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    fields = text_fields(call, ("permission", "role_id"))
    permission = fields.get("permission") or "push"
    if permission == "customized":
        role = next((r for r in CUSTOM_ROLES if r[0] == fields.get("role_id")), None)
        if role is None:
            raise Refusal(400, "role_id must be one of the organization's custom roles", "VALIDATION_ERROR")
        new_role = role[1]
    elif permission in ROLE_OF:
        new_role = ROLE_OF[permission]
    else:
        raise Refusal(400, "permission must be one of [pull, push, admin, customized]", "VALIDATION_ERROR")
    if org.members.get(user.login) == "owner" and new_role != "owner":
        keep_an_owner(org, user.login)
    org.members[user.login] = new_role
    return JSONResponse(render_invited(user, permission))


def render_invited(user: User, permission: str) -> dict[str, Any]:
    """The user a membership was given to, with its permission flags, as the membership answers show it (ref; the
    enterprise's `memberships/{username}` answers the same)."""
    granted = {
        "admin": permission == "admin",
        "customized": permission == "customized",
        "push": permission in ("admin", "push", "customized"),
        "pull": True,
    }
    return {
        "followers_url": f"{API}/users/{user.login}/followers",
        "html_url": f"{WEB}/{user.login}",
        "id": user.id,
        "login": user.login,
        "name": user.name,
        "type": "User",
        "url": f"{API}/{user.login}",
        "permissions": granted,
    }


@route("DELETE", ORG_MEMBERSHIP)
async def remove_member(sb: Sandbox, call: Call) -> Response:
    org = find_org(sb, call.params["org"])
    need_admin(call, org)
    login = call.params["username"]
    if login not in org.members:
        raise Refusal(404, "Not Found Member")
    keep_an_owner(org, login)
    del org.members[login]
    return JSONResponse({})  # ref #11


@route("GET", MY_ORG_MEMBERSHIP)
async def my_membership(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    org = find_org(sb, call.params["org"])
    role = org.members.get(user.login)
    if role is None:
        raise Refusal(404, "Not Found Member")
    return JSONResponse(
        {
            "id": org.number,
            "path": org.login,
            "name": org.name,
            "url": f"{WEB}/{org.login}",
            "avatar_url": f"https://cdn-img.gitcode.com/{org.id}.png",
            "user": shapes.user(user),
            "active": True,
            "role": role,
            "organization": {"id": org.number, "login": org.login, "name": org.name},
        }
    )


@route("DELETE", MY_ORG_MEMBERSHIP)
async def leave(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    org = find_org(sb, call.params["org"])
    if user.login not in org.members:
        raise Refusal(404, "Not Found Member")
    keep_an_owner(org, user.login)
    del org.members[user.login]
    return Response(status_code=204)  # ref #17: no body


@route("GET", ORG_FOLLOWERS)
async def followers(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    org = find_org(sb, call.params["owner"])
    found = sorted(org.followers.items(), key=lambda item: item[1], reverse=True)
    return page(
        call,
        [
            {
                "id": u.id,
                "login": u.login,
                "name": u.name,
                "avatar_url": f"https://cdn-img.gitcode.com/{u.id}.png",
                "watch_at": since,
            }
            for login, since in found
            if (u := sb.world.users.get(login))
        ],
    )


@route("GET", ORG_REPOS)
async def org_repos(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    org = find_org(sb, call.params["org"])
    kind = call.query.get("type") or "all"
    if kind not in ("all", "public", "private"):
        raise Refusal(400, "type must be one of [all, public, private]", "VALIDATION_ERROR")
    repos = [
        r
        for r in sb.world.repos.values()
        if r.owner.login == org.login
        and access(sb.world, r, call.caller).read
        and (kind == "all" or r.private == (kind == "private"))
    ]
    repos.sort(key=lambda r: r.created_at, reverse=True)
    return page(call, [org_repo(sb, r, org) for r in repos])


# --- whose organizations --------------------------------------------------------------------------------------------


@route("GET", MY_ORGS)
async def my_orgs(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    admin = call.query.get("admin")
    if admin not in (None, "true", "false"):
        raise Refusal(400, "admin must be true or false", "VALIDATION_ERROR")
    found = [
        o
        for o in sb.world.orgs.values()
        if user.login in o.members and (admin != "true" or o.members[user.login] in ADMIN_ROLES)
    ]
    return page(call, [summary(o) for o in found])


@route("GET", USER_ORGS)
async def user_orgs(sb: Sandbox, call: Call) -> Response:
    need_token(call)  # ref: access_token*
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    found = [summary(o) for o in sb.world.orgs.values() if user.login in o.members]
    for item in found:
        del item["path"]  # ref #1: no `path` in this list
    return page(call, found)


@route("GET", ORG_PRS)
async def org_pulls(sb: Sandbox, call: Call) -> Response:
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Group")
    found = [
        (r, pr)
        for r in sb.world.repos.values()
        if r.owner.login == org.login and access(sb.world, r, call.caller).read
        for pr in r.pulls.values()
    ]
    return across(sb, call, found)
