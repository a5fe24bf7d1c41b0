"""Collaborators (a repository's members): listed, checked, added with a permission, removed; a member's permission,
your own permission points (self-permission), and the repository's license.

Members are `Repo.members` (login -> may merge, as sandbox/access.py reads it) and their roles the repo_admin area's
`settings["member_roles"]` (login -> pull | push | admin | customized), so what one area writes the others read.
Shapes: the ref's PUT answer (docs.gitcode.com/docs/openapi/repos/member), the list items and the permission answer
as the gitcode-api package (1.3.4) models them, and self-permission's `role_info` + `resource_trees` as public
clients read it (permission points `scope:action`, granted when `selected`). `collaborators/self-permission` is
routed before `collaborators/{username}`: a literal segment wins over the placeholder.

Who may do what is sandbox/access.py's; `need_admin` and `need_member` word its refusals (the webhooks and mirrors
areas use them too).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    REPO_COLLABORATOR,
    REPO_COLLABORATOR_PERMISSION,
    REPO_COLLABORATORS,
    REPO_LICENSE,
    REPO_SELF_PERMISSION,
)
from gitcode_mcp.sandbox.access import MEMBER_LEVELS, Level, access
from gitcode_mcp.sandbox.areas.repo_admin.checks import section
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import API, Repo, User, fake_sha

ROLES = ("pull", "push", "admin")
# role -> (role_info name, cn_name, access_level); GitLab's levels, which GitCode's roles follow.
ROLE_INFO = {
    "owner": ("Owner", "所有者", 50),
    "admin": ("Maintainer", "管理员", 40),
    "push": ("Developer", "开发者", 30),
    "pull": ("Reporter", "报告者", 20),
    "customized": ("Customized", "自定义角色", 30),
}
# Permission points by scope, and the least permission that has each (pull < push < admin).
POINTS: dict[str, dict[str, str]] = {
    "repository": {"view": "pull", "update": "admin", "delete": "admin"},
    "code": {"pull": "pull", "push": "push"},
    "issue": {"create": "pull", "update": "push", "close": "push"},
    "pr": {"create": "push", "update": "push", "review": "push", "merge": "admin"},
    "note": {"create": "pull", "resolve": "push"},
    "member": {"view": "pull", "manage": "admin"},
    "branch": {"create": "push", "delete": "push", "protect": "admin"},
    "label": {"manage": "push"},
    "webhook": {"manage": "admin"},
}


def permission_of(sb: Sandbox, repo: Repo, login: str) -> str | None:
    """pull | push | admin | customized, or None for someone with no role on the repository (sandbox/access.py)."""
    user = sb.world.users.get(login)
    return access(sb.world, repo, user).role if user is not None else None


def need_admin(sb: Sandbox, call: Call, repo: Repo) -> User:
    user = need_token(call)
    if not access(sb.world, repo, user).admin:
        raise Refusal(403, "You do not have permission to perform this operation on this project", "FORBIDDEN")
    return user


def need_member(sb: Sandbox, call: Call, repo: Repo) -> User:
    user = need_token(call)
    if not access(sb.world, repo, user).member:
        raise Refusal(403, "You are not a member of this project", "FORBIDDEN")
    return user


def flags(permission: str | None) -> dict[str, bool]:
    level = MEMBER_LEVELS.get(permission or "", Level.NONE)
    return {"pull": level >= Level.READ, "push": level >= Level.PUSH, "admin": level == Level.ADMIN}


def member(sb: Sandbox, repo: Repo, call: Call) -> User:
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    if user.login != repo.owner.login and user.login not in repo.members:
        raise Refusal(404, f"{user.login} is not a member of this project", "NOT_FOUND")
    return user


def list_item(sb: Sandbox, repo: Repo, user: User) -> dict[str, Any]:
    """A collaborator as the list answers it (gitcode-api's RepoCollaborator: GitLab-style member fields)."""
    permission = permission_of(sb, repo, user.login)
    owner = user.login == repo.owner.login
    return {
        "id": user.id,
        "name": user.name,
        "username": user.login,
        "nick_name": user.name,
        "state": "active",
        "avatar": f"https://cdn-img.gitcode.com/{user.id}.png",
        "avatar_url": f"https://cdn-img.gitcode.com/{user.id}.png",
        "email": f"{user.login}@noreply.gitcode.com",
        "name_cn": user.name,
        "web_url": f"https://gitcode.com/{user.login}",
        "access_level": ROLE_INFO["owner" if owner else permission or "pull"][2],
        "expires_at": None,
        "limited": False,
        "type": "User",
        "join_way": "owner" if owner else "invite",
        "source_name": repo.full_name,
        "member_roles": [],
        "permissions": flags(permission),
    }


@route("GET", REPO_COLLABORATORS)
async def list_collaborators(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_member(sb, call, repo)
    people = [repo.owner, *(sb.world.users[login] for login in repo.members if login in sb.world.users)]
    return page(call, [list_item(sb, repo, u) for u in people if u.login in sb.world.users])


# Registered before REPO_COLLABORATOR: `self-permission` is a literal segment, not a username.
@route("GET", REPO_SELF_PERMISSION)
async def self_permission(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    mine = access(sb.world, repo, user)
    permission = mine.role
    kind = "owner" if user.login == repo.owner.login else permission
    info = ROLE_INFO.get(kind or "")
    role_info = None
    if info is not None:
        name, cn_name, level = info
        role_info = {
            "role_uuid": fake_sha("role", name)[:32],
            "name": name,
            "cn_name": cn_name,
            "roles_type": 0,
            "access_level": level,
        }
    rank = int(mine.level)  # anyone may view and pull a public repository, open issues and comment
    trees = [
        {
            "resource_id": i + 1,
            "name": scope,
            "cn_name": scope,
            "scope": scope,
            "actions": [
                {
                    "permission_id": (i + 1) * 100 + j,
                    "action": action,
                    "name": f"{scope}:{action}",
                    "cn_name": f"{scope}:{action}",
                    "selected": rank >= MEMBER_LEVELS[least],
                }
                for j, (action, least) in enumerate(actions.items())
            ],
        }
        for i, (scope, actions) in enumerate(POINTS.items())
    ]
    return JSONResponse({"role_info": role_info, "resource_trees": trees})


@route("GET", REPO_COLLABORATOR)
async def check_collaborator(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_member(sb, call, repo)
    member(sb, repo, call)
    return JSONResponse({"message": "success"})  # gitcode-api: the check answers {message}; a stranger 404


@route("GET", REPO_COLLABORATOR_PERMISSION)
async def collaborator_permission(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_member(sb, call, repo)
    user = member(sb, repo, call)
    permission = permission_of(sb, repo, user.login)
    return JSONResponse({"id": user.id, "login": user.login, "name": user.name, "permission": permission})


@route("PUT", REPO_COLLABORATOR)
async def add_collaborator(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    if user.login == repo.owner.login:
        raise Refusal(400, "The project owner's permission cannot be changed")
    permission = call.data().get("permission", "push")  # ref: push when not given
    custom = {r.name for r in repo.custom_roles}
    if not isinstance(permission, str) or permission not in (*ROLES, *custom):
        raise Refusal(400, "permission must be pull, push, admin or the name of a custom role")
    kind = permission if permission in ROLES else "customized"
    section(repo, "member_roles")[user.login] = kind
    repo.members[user.login] = kind == "admin"  # who may merge, as the pulls area reads it
    return JSONResponse(
        {
            "id": user.id,
            "login": user.login,
            "name": user.name,
            "avatar_url": None,
            "html_url": f"https://gitcode.com/{user.login}",
            "remark": "",
            "type": "User",
            "permissions": flags(kind),
        }
    )


@route("DELETE", REPO_COLLABORATOR)
async def remove_collaborator(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    user = member(sb, repo, call)
    if user.login == repo.owner.login:
        raise Refusal(400, "The project owner cannot be removed")
    repo.members.pop(user.login, None)
    section(repo, "member_roles").pop(user.login, None)
    return Response(status_code=204)


@route("GET", REPO_LICENSE)
async def license_of(sb: Sandbox, call: Call) -> Response:
    # atomgit lists this template; no answer is documented. Gitee v5's form is assumed: the license's name, null when
    # the repository has none (as repository answers carry `license`, ref, Users page).
    repo = sb.repo(call)
    return JSONResponse({"license": repo.license, "url": f"{API}/repos/{repo.full_name}/license"})
