"""Shapes several areas answer with: users, repositories as nested in other objects, labels (live forms)."""

from __future__ import annotations

from typing import Any

from gitcode_mcp.sandbox.state import WEB, Repo, User


def user(u: User) -> dict[str, Any]:
    return {
        "id": u.id,
        "login": u.login,
        "name": u.name,
        "avatar_url": f"https://cdn-img.gitcode.com/{u.id}.png",
        "html_url": f"{WEB}/{u.login}",
    }


def numeric_id(u: User) -> int:
    """A user's numeric id, beside the 24-hex `id`: what option lists answer as `id` (ref, option_testers example)
    and what settings taking "user_id"s want (docs/gitcode-behaviour.md, Errors, ids and numbers)."""
    return int(u.id[:7], 16)


def brief_user(u: User) -> dict[str, Any]:
    """A user as modify_history and user_reactions carry one (ref): login, name, avatar_url, object_id."""
    return {"login": u.login, "name": u.name, "avatar_url": user(u)["avatar_url"], "object_id": u.id}


def nested_repo(repo: Repo) -> dict[str, Any]:
    """A repository inside a PR's head/base (live: with `.git` on html_url)."""
    return {
        "path": repo.name,
        "name": repo.name,
        "namespace": {"path": repo.owner.login},
        "full_name": repo.full_name,
        "html_url": f"{repo.web_url}.git",
    }


def project(repo: Repo) -> dict[str, Any]:
    """A repository inside a PR file (live: source_project / target_project)."""
    return {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{repo.owner.login} / {repo.name}",
        "path": repo.name,
    }


def label(repo: Repo, name: str) -> dict[str, Any]:
    return {
        "id": 3000 + sorted(repo.labels).index(name) if name in repo.labels else 0,
        "color": "#21BA45",
        "name": name,
        "repository_id": repo.id,
        "created_at": "2025-06-10T14:17:23+08:00",
        "updated_at": "2025-06-10T14:17:23+08:00",
    }


def repo_status(repo: Repo) -> str:
    """A repository's `status` as repository answers carry it (ref, Users page; docs/gitcode-behaviour.md,
    Repositories): 开始 (active) or 关闭 (archived by PUT org/{org}/repo/{repo}/status with status 2; the repo_admin
    area keeps it in settings["status"])."""
    return "关闭" if repo.settings.get("status", {}).get("status") == 2 else "开始"
