"""The repository itself: edited (and renamed), deleted, transferred, archived; and gitcode-mcp/toolbox, seeded to
try them on."""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ORG_REPO_STATUS,
    ORG_REPO_TRANSFER,
    REPO,
    REPO_TRANSFER,
)
from gitcode_mcp.paths import NAME_PATTERN
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access, is_org_admin
from gitcode_mcp.sandbox.areas import orgs
from gitcode_mcp.sandbox.areas.repo_admin.checks import (
    SUCCESS,
    check_types,
    need_password,
    need_role,
    org_repo,
    section,
)
from gitcode_mcp.sandbox.areas.repo_admin.settings import MODULE_DEFAULTS
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, route
from gitcode_mcp.sandbox.state import WEB, Files, Org, Repo, User, World


def seed(world: World) -> None:
    """gitcode-mcp/toolbox, an organization's repository to archive or transfer."""
    orgs.seed(world)
    if world.repo("gitcode-mcp", "toolbox") is None:
        files: Files = {"README.md": b"# toolbox\n\nScripts the gitcode-mcp team shares.\n"}
        toolbox = Repo(8_458_009, world.orgs["gitcode-mcp"], "toolbox", branches={"main": files})
        world.repos[toolbox.full_name] = toolbox


def render_repo(sb: Sandbox, repo: Repo, caller: User | None) -> dict[str, Any]:
    """A repository in the long shape of repository answers (ref: Users page list items, Repositories page #11's
    answer)."""
    profile = section(repo, "profile")
    org = sb.world.orgs.get(repo.owner.login)
    mine = access(sb.world, repo, caller)
    return {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{repo.owner.name} / {profile.get('name', repo.name)}",
        "url": repo.api_url,
        "namespace": {
            "id": int(repo.owner.id[:6], 16),
            "type": "group" if org else "user",
            "name": repo.owner.name,
            "path": repo.owner.login,
            "html_url": f"{WEB}/{repo.owner.login}",
        },
        "path": repo.name,
        "name": profile.get("name", repo.name),
        "description": profile.get("description", ""),
        "status": shapes.repo_status(repo),
        "ssh_url_to_repo": f"git@gitcode.com:{repo.full_name}.git",
        "http_url_to_repo": f"{repo.web_url}.git",
        "web_url": repo.web_url,
        "html_url": repo.web_url,
        "homepage": profile.get("homepage", repo.web_url),
        "members": [repo.owner.login, *repo.members],
        "forks_count": 0,
        "stargazers_count": 0,
        "project_labels": [],
        "permission": mine.flags(),
        "internal": False,
        "open_issues_count": sum(1 for i in repo.issues.values() if i.state == "open"),
        "has_issue": section(repo, "modules", MODULE_DEFAULTS)["has_issue"],
        "default_branch": repo.default_branch,
        "fork": False,
        "lfs_enabled": profile.get("lfs_enabled", False),
        "owner": {**shapes.user(repo.owner), "type": "Organization" if org else "User"},
        "private": repo.private,
        "public": not repo.private,
        "visibility": "private" if repo.private else "public",
    }


@route("PATCH", REPO)
async def update_repository(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    data = call.data()
    name = data.get("name")
    # ref (#11) and Gitee v5: `name` is required on this PATCH, even when only another field changes.
    if not isinstance(name, str) or not name.strip():
        raise Refusal(400, "name is required")
    check_types(
        {k: v for k, v in data.items() if k in ("private", "lfs_enabled")}, {"private": False, "lfs_enabled": False}
    )
    branch = data.get("default_branch")
    if branch is not None and branch not in repo.branches:
        raise Refusal(400, f"Branch {branch} does not exist")
    path = data.get("path")
    if path is not None and path != repo.name:
        if not isinstance(path, str) or re.fullmatch(NAME_PATTERN, path) is None:
            raise Refusal(400, "path may contain only letters, digits, '_', '-' and '.'")
        if sb.world.repo(repo.owner.login, path) is not None:
            raise Refusal(400, f"A project with path {path} already exists in this namespace")
        del sb.world.repos[repo.full_name]
        repo.name = path
        sb.world.repos[repo.full_name] = repo
    profile = section(repo, "profile")
    profile["name"] = name
    for key in ("description", "homepage", "lfs_enabled"):
        if key in data:
            profile[key] = data[key]
    if "private" in data:
        repo.private = data["private"]
    if branch is not None:
        repo.default_branch = branch
    return JSONResponse(render_repo(sb, repo, call.caller))


@route("DELETE", REPO)
async def delete_repository(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    del sb.world.repos[repo.full_name]
    return Response(status_code=204)  # probe (AndyKong2020, 2026-03): 204 with an empty body; ref shows 200 {}


def move(sb: Sandbox, repo: Repo, owner: User, name: str) -> None:
    if sb.world.repo(owner.login, name) is not None:
        raise Refusal(400, f"A project named {name} already exists in {owner.login}")
    del sb.world.repos[repo.full_name]
    repo.owner, repo.name = owner, name
    sb.world.repos[repo.full_name] = repo


def target_org(sb: Sandbox, user: User, login: Any, key: str) -> Org:
    """The organization a repository moves to: the caller must own or administer it (ref: 目标组织)."""
    if not isinstance(login, str) or not login:
        raise Refusal(400, f"{key} is required")
    org = sb.world.orgs.get(login)
    if org is None:
        raise Refusal(404, f"Not Found Namespace {login}")
    if not is_org_admin(org, user):
        raise Refusal(403, f"You cannot create projects in {login}", "FORBIDDEN")
    return org


@route("POST", REPO_TRANSFER)
async def transfer(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    user = need_role(sb, call, repo, admin=True)
    data = call.data()
    org = target_org(sb, user, data.get("new_owner"), "new_owner")
    name = data.get("new_name") or repo.name
    if not isinstance(name, str) or re.fullmatch(NAME_PATTERN, name) is None:
        raise Refusal(400, "new_name may contain only letters, digits, '_', '-' and '.'")
    move(sb, repo, org, name)
    return JSONResponse({"new_owner": org.login, "new_name": repo.name})


@route("POST", ORG_REPO_TRANSFER)
async def transfer_org_repo(sb: Sandbox, call: Call) -> Response:
    _, repo = org_repo(sb, call)
    user = need_role(sb, call, repo, admin=True)
    org = target_org(sb, user, call.data().get("transfer_to"), "transfer_to")
    need_password(call, user)
    move(sb, repo, org, repo.name)
    return JSONResponse(SUCCESS)


@route("PUT", ORG_REPO_STATUS)
async def set_status(sb: Sandbox, call: Call) -> Response:
    _, repo = org_repo(sb, call)
    user = need_role(sb, call, repo, admin=True)
    status = call.data().get("status")
    if status not in (0, 2) or isinstance(status, bool):
        raise Refusal(400, "status must be 0 (active) or 2 (archived)")  # ref: 0 开始, 2 关闭
    need_password(call, user)
    section(repo, "status")["status"] = status
    return JSONResponse(SUCCESS)
