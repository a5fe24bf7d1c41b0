"""A repository in GitCode's long shape, with its namespace and the caller's permission."""

from __future__ import annotations

import re
from typing import Any

from gitcode_mcp.paths import NAME_PATTERN
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox
from gitcode_mcp.sandbox.state import (
    WEB,
    Repo,
    User,
    World,
)

PATH_PATTERN = re.compile(NAME_PATTERN)
LANGUAGE_OF = {".py": "Python", ".md": "Markdown", ".js": "JavaScript", ".ts": "TypeScript", ".go": "Go"}
LANGUAGE_OF |= {".c": "C", ".h": "C", ".cpp": "C++", ".java": "Java", ".rs": "Rust", ".sh": "Shell", ".csv": "CSV"}


def namespace(world: World, repo: Repo) -> dict[str, Any]:
    org = repo.org or world.orgs.get(repo.owner.login)
    return {
        "id": org.number if org else int(repo.owner.id[-6:], 16),
        "type": "group" if org else "user",
        "name": org.name if org else repo.owner.login,
        "path": repo.owner.login,
        "html_url": f"{WEB}/{repo.owner.login}",
    }


def person(u: User) -> dict[str, Any]:
    """A user as a repository answer nests it (ref: `owner`, `assigner`)."""
    return {"id": u.id, "login": u.login, "name": u.name, "type": "User"}


def forks_of(world: World, repo: Repo) -> list[Repo]:
    return [r for r in world.repos.values() if r.parent is repo]


def render_repo(world: World, repo: Repo, caller: User | None) -> dict[str, Any]:
    """The full repository (ref, Users page #8), with `fork`/`parent` (Users page #14) and `permission` (#5)."""
    creator = repo.creator or repo.owner
    granted = access(world, repo, caller).flags()
    out: dict[str, Any] = {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{repo.owner.login} / {repo.name}",
        "url": repo.api_url,
        "namespace": namespace(world, repo),
        "path": repo.name,
        "name": repo.name,
        "description": repo.description,
        "status": "开始",
        "ssh_url_to_repo": f"git@gitcode.com:{repo.full_name}.git",
        "http_url_to_repo": f"{repo.web_url}.git",
        "web_url": repo.web_url,
        "readme_url": f"{repo.web_url}/blob/{repo.default_branch}/README.md",
        "created_at": repo.created_at,
        "updated_at": repo.updated_at or repo.created_at,
        "pushed_at": repo.updated_at or repo.created_at,
        "creator": {
            "id": creator.id,
            "username": creator.login,
            "nickname": creator.name,
            "email": f"{creator.login}@noreply.gitcode.com",
            "photo": f"https://cdn-img.gitcode.com/{creator.id}.png",
        },
        "members": sorted({creator.login, *repo.members}),
        "forks_count": len(forks_of(world, repo)),
        "stargazers_count": len(repo.stargazers),
        "project_labels": [],
        "license": repo.license,
        "internal": False,
        "open_issues_count": sum(1 for i in repo.issues.values() if i.state == "open"),
        "watchers_count": len(repo.watchers),
        "assignees_number": 0,
        "enterprise": {**{k: namespace(world, repo)[k] for k in ("id", "path", "html_url")}, "type": "user"},
        "default_branch": repo.default_branch,
        "fork": repo.parent is not None,
        "owner": person(repo.owner),
        "assigner": person(creator),
        "issue_template_source": "project",
        "relation": "master" if granted["admin"] else "developer" if granted["push"] else "",
        "permission": granted,
        "private": repo.private,
        "public": not repo.private,
    }
    if repo.parent is not None:
        out["parentfull_name"] = repo.parent.full_name
        out["parent"] = {
            "id": repo.parent.id,
            "full_name": repo.parent.full_name,
            "human_name": f"{repo.parent.owner.login} / {repo.parent.name}",
            "url": repo.parent.api_url,
            "namespace": namespace(world, repo.parent),
        }
    return out


def visible(sb: Sandbox, call: Call) -> Repo:
    """The repository in the path; a private one is 404 to whoever may not see it (live: 404, not 403)."""
    repo = sb.world.repo(call.params["owner"], call.params["repo"])
    if repo is None or not access(sb.world, repo, call.caller).read:
        raise Refusal(404, "Not Found Project")
    return repo


def flag(data: dict[str, Any], key: str, default: bool) -> bool:
    """A boolean body field; the reference's demos send booleans and the strings "true"/"false" alike."""
    value = data.get(key, default)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise Refusal(400, f"{key} must be true or false")
    return value
