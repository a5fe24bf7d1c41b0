"""Repositories created (yours, an organization's) and forked, answered as sparsely as GitCode answers them."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    MY_REPOS,
    ORG_REPOS,
    REPO_FORKS,
)
from gitcode_mcp.sandbox.access import is_org_member
from gitcode_mcp.sandbox.areas.repos.render import PATH_PATTERN, flag, namespace, person, visible
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import (
    Contribution,
    Org,
    Repo,
    User,
    World,
    now,
)


def created(world: World, repo: Repo) -> dict[str, Any]:
    """The sparse answer to a create (02 #20, #31) or a fork (02 #21)."""
    ns = namespace(world, repo)
    return {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{ns['name']} / {repo.name}",
        "url": repo.api_url,
        "namespace": {
            "id": ns["id"],
            "name": ns["name"],
            "path": ns["path"],
            "develop_mode": "normal",
            "kind": ns["type"],
            "full_path": ns["path"],
            "full_name": ns["name"],
            "visibility_level": 20,
            "enable_file_control": False,
        },
        "path": repo.name,
        "name": repo.name,
        "description": repo.description,
        "private": repo.private,
        "public": not repo.private,
        "visibility": "private" if repo.private else "public",
    }


def fork_item(world: World, repo: Repo) -> dict[str, Any]:
    """A forks list item (02 #22): the fork with its parent nested, no web URL."""
    assert repo.parent is not None
    return {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{repo.owner.login} / {repo.name}",
        "url": repo.api_url,
        "namespace": namespace(world, repo),
        "description": repo.description,
        "status": "",
        "created_at": repo.created_at,
        "updated_at": repo.updated_at or repo.created_at,
        "owner": person(repo.owner),
        "pushed_at": repo.updated_at or repo.created_at,
        "parent": {
            "id": repo.parent.id,
            "full_name": repo.parent.full_name,
            "human_name": f"{repo.parent.owner.login} / {repo.parent.name}",
            "url": repo.parent.api_url,
            "namespace": namespace(world, repo.parent),
        },
        "private": repo.private,
        "public": not repo.private,
    }


def new_path(data: dict[str, Any], default: str | None = None) -> str:
    path = data.get("path") or data.get("name") or default
    if not isinstance(path, str) or not path.strip():
        raise Refusal(400, "name is required")
    if not PATH_PATTERN.fullmatch(path) or set(path) == {"."}:
        raise Refusal(400, f"path {path} may contain only letters, digits, '_', '-' and '.'")
    return path


def make_repo(sb: Sandbox, call: Call, owner: User, org: Org | None) -> Response:
    user = need_token(call)
    data = call.data()
    path = new_path(data)
    if sb.world.repo(owner.login, path) is not None:
        # 409 is the documented status of a conflict (errors.py); GitCode's sentence for it is not recorded.
        raise Refusal(409, f"Repository {owner.login}/{path} already exists")
    description = data.get("description") or ""
    if not isinstance(description, str):
        raise Refusal(400, "description must be a string")
    branch = data.get("default_branch") or "main"
    repo = Repo(
        sb.world.new_id(),
        owner,
        path,
        private=flag(data, "private", False),
        default_branch=branch,
        description=description,
        org=org,
        creator=user if org else None,
        created_at=now(),
    )
    if flag(data, "auto_init", False):
        repo.branches[branch] = {"README.md": f"# {path}\n\n{description}\n".encode()}
        repo.contributions.append(Contribution(user, now()[:10], 3, 0, "Initial commit"))
    sb.world.repos[repo.full_name] = repo
    return JSONResponse(created(sb.world, repo), status_code=201)


@route("POST", MY_REPOS)
async def create_user_repo(sb: Sandbox, call: Call) -> Response:
    return make_repo(sb, call, need_token(call), None)


@route("POST", ORG_REPOS)
async def create_org_repo(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Namespace")
    if not is_org_member(org, user):
        raise Refusal(403, "You are not a member of this organization")
    return make_repo(sb, call, org.namespace, org)


@route("POST", REPO_FORKS)
async def fork_repo(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    source = visible(sb, call)
    data = call.data()
    org: Org | None = None
    if target := data.get("organization"):
        org = sb.world.orgs.get(str(target))
        if org is None:
            raise Refusal(404, "Not Found Namespace")
        if not is_org_member(org, user):
            raise Refusal(403, "You are not a member of this organization")
    owner = org.namespace if org else user
    # 02 #21: `path` defaults to the source's path; `name` alone does not change where the fork lives.
    path = new_path({"path": data.get("path")}, source.name)
    if sb.world.repo(owner.login, path) is not None:
        raise Refusal(409, f"Repository {owner.login}/{path} already exists")
    fork = Repo(
        sb.world.new_id(),
        owner,
        path,
        private=source.private,
        default_branch=source.default_branch,
        branches={name: dict(files) for name, files in source.branches.items()},
        description=source.description,
        parent=source,
        org=org,
        creator=user if org else None,
        created_at=now(),
        contributions=list(source.contributions),
        license=source.license,
    )
    sb.world.repos[fork.full_name] = fork
    answer = created(sb.world, fork)
    return JSONResponse({k: answer[k] for k in ("id", "full_name", "human_name", "url", "namespace")}, 201)
