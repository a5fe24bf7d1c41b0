"""Members' roles, and the permission mode."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    REPO_MEMBER,
    REPO_PERMISSION_MODE,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.repo_admin.checks import need_role, section
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, route
from gitcode_mcp.sandbox.state import API


@route("GET", REPO_PERMISSION_MODE)
async def get_transition(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=False)
    return JSONResponse({"memberMgntMode": section(repo, "transition", {"mode": 1})["mode"]})


@route("PUT", REPO_PERMISSION_MODE)
async def set_transition(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    mode = call.data().get("mode")
    if mode not in (1, 2) or isinstance(mode, bool):
        # ref: 1 inherit, 2 independent; the mixed mode cannot be set
        raise Refusal(400, "mode must be 1 (inherit) or 2 (independent)")
    section(repo, "transition", {"mode": 1})["mode"] = mode
    return JSONResponse({"msg": "success", "code": 1})


@route("PUT", REPO_MEMBER)
async def set_member_role(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    if user.login == repo.owner.login:
        raise Refusal(400, "The project owner's role cannot be changed")
    if not access(sb.world, repo, user).member:
        raise Refusal(404, f"{user.login} is not a member of this project")
    data = call.data()
    permission = data.get("permission", "push")  # ref: push by default
    if permission not in ("pull", "push", "admin", "customized"):
        raise Refusal(400, "permission must be one of pull, push, admin, customized")
    if permission == "customized" and not (isinstance(data.get("role_id"), str) and data["role_id"]):
        raise Refusal(400, "role_id is required for a customized role")
    section(repo, "member_roles")[user.login] = permission
    repo.members[user.login] = permission == "admin"  # who may merge, as the pulls area reads it
    return JSONResponse(
        {
            **shapes.user(user),
            "followers_url": f"{API}/users/{user.login}/followers",
            "type": "User",
            "url": f"{API}/{user.login}",
            "permissions": {p: p == permission for p in ("admin", "push", "customized", "pull")},
        }
    )
