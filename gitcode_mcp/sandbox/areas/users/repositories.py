"""Repository lists (a user's public ones, the caller's own, stars and watches) and the caller's namespaces."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    MY_NAMESPACE,
    MY_NAMESPACES,
    MY_REPOS,
    MY_STARRED,
    MY_WATCHED,
    USER_REPOS,
    USER_STARRED,
    USER_WATCHED,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.users.activity import Pushes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import WEB, Repo, User, World

NAMESPACE_IDS = 199_940  # + the user's place in the world: namespace ids are integers (ref)
# Repositories carry no times in the simulator's state: each gets fixed ones, an hour apart in creation order.
EPOCH = datetime.fromisoformat("2025-06-10T14:17:23+08:00")


def seed(world: World) -> None:
    alice, bob = world.users["alice"], world.users["bob"]
    alice.starred = ["alice/demo"]
    bob.starred = ["alice/demo", "alice/secret"]  # alice/secret is private: bob cannot see it, so it is not listed


# --- repositories -------------------------------------------------------------------------------------------


def times(sb: Sandbox, repo: Repo) -> dict[str, str]:
    order = sorted(r.id for r in sb.world.repos.values()).index(repo.id)
    created = (EPOCH + timedelta(hours=order)).isoformat(timespec="milliseconds")
    pushes = [p.created_at for u in sb.world.users.values() for p in Pushes.of(u).pushes if p.repo == repo.full_name]
    pushed = max(pushes, default=created)
    return {"created_at": created, "updated_at": pushed, "pushed_at": pushed}


def namespace_of(sb: Sandbox, user: User) -> dict[str, Any]:
    return {
        "id": NAMESPACE_IDS + list(sb.world.users).index(user.login),
        "type": "user",
        "name": user.login,
        "path": user.login,
        "html_url": f"{WEB}/{user.login}",
    }


def repository(sb: Sandbox, repo: Repo, caller: User | None) -> dict[str, Any]:
    """A repository as user/repos, users/{username}/repos and user/starred list it (ref, Users page): full of URLs,
    nested owner/namespace/enterprise copies, and the caller's relation and permission."""
    owner = shapes.user(repo.owner)
    short_owner = {k: owner[k] for k in ("id", "login", "name")} | {"type": "User"}
    mine = access(sb.world, repo, caller)
    namespace = namespace_of(sb, repo.owner)
    return {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{repo.owner.login} / {repo.name}",
        "url": repo.api_url,
        "namespace": namespace,
        "path": repo.name,
        "name": repo.name,
        "description": "",
        "status": "开始",
        "ssh_url_to_repo": f"git@gitcode.com:{repo.full_name}.git",
        "http_url_to_repo": f"{repo.web_url}.git",
        "web_url": repo.web_url,
        "homepage": repo.web_url,
        **times(sb, repo),
        "members": [repo.owner.login, *repo.members],
        "assignee": [{**owner, "type": "User"}],
        "forks_count": 0,
        "stargazers_count": sum(repo.full_name in u.starred for u in sb.world.users.values()),
        "project_labels": [],
        "relation": "master" if mine.admin else "developer" if mine.member else "",
        "permission": mine.flags(),
        "internal": False,
        "open_issues_count": sum(i.state == "open" for i in repo.issues.values()),
        "has_issue": True,
        "watched": False,
        "watchers_count": 0,
        "assignees_number": 1,
        "enterprise": {k: namespace[k] for k in ("id", "path", "html_url", "type")},
        "default_branch": repo.default_branch,
        "fork": False,
        "owner": short_owner,
        "assigner": short_owner,
        "issue_template_source": "project",
        "private": repo.private,
        "public": not repo.private,
    }


def ordered(sb: Sandbox, call: Call, repos: list[Repo], sorts: dict[str, str], default: str) -> list[Repo]:
    """Sort as asked: `full_name` ascending by default, times descending (ref)."""
    sort = call.query.get("sort") or default
    if sort not in sorts:
        raise Refusal(400, f"sort must be one of [{', '.join(sorts)}]", "VALIDATION_ERROR")
    direction = call.query.get("direction") or ("asc" if sort == "full_name" else "desc")
    if direction not in ("asc", "desc"):
        raise Refusal(400, "direction must be one of [asc, desc]", "VALIDATION_ERROR")
    field = sorts[sort]
    key = (lambda r: r.full_name.lower()) if field == "full_name" else (lambda r: times(sb, r)[field])
    return sorted(repos, key=key, reverse=direction == "desc")


REPO_SORTS = {"created": "created_at", "updated": "updated_at", "pushed": "pushed_at", "full_name": "full_name"}


def choice(call: Call, name: str, allowed: tuple[str, ...]) -> str | None:
    value = call.query.get(name)
    if value is not None and value not in allowed:
        raise Refusal(400, f"{name} must be one of [{', '.join(allowed)}]", "VALIDATION_ERROR")
    return value


@route("GET", USER_REPOS)
async def user_repos(sb: Sandbox, call: Call) -> Response:
    need_token(call)  # ref: access_token*
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    kind = choice(call, "type", ("all", "owner", "personal", "member")) or "all"
    # A user's *public* repositories (ref title): never a private one, whoever asks.
    repos = [r for r in sb.world.repos.values() if not r.private]
    owned = [r for r in repos if r.owner.login == user.login]
    member = [r for r in repos if user.login in r.members]
    chosen = owned if kind in ("owner", "personal") else member if kind == "member" else owned + member
    chosen = ordered(sb, call, chosen, REPO_SORTS, "full_name")
    return page(call, [repository(sb, r, call.caller) for r in chosen])


@route("GET", MY_REPOS)
async def my_repos(sb: Sandbox, call: Call) -> Response:
    me = need_token(call)
    visibility = choice(call, "visibility", ("public", "private", "all")) or "all"
    affiliations = [a.strip() for a in (call.query.get("affiliation") or "").split(",") if a.strip()]
    known = ("owner", "collaborator", "organization_member", "enterprise_member", "admin")
    if bad := [a for a in affiliations if a not in known]:
        raise Refusal(400, f"affiliation {bad[0]} is not one of [{', '.join(known)}]", "VALIDATION_ERROR")
    kind = choice(call, "type", ("owner", "personal", "member", "public", "private"))
    if kind and affiliations:
        raise Refusal(422, "type and affiliation cannot be used together")  # ref: 422
    repos = [r for r in sb.world.repos.values() if r.owner.login == me.login or me.login in r.members]
    if affiliations:
        # No organisations or enterprises in the simulator: those affiliations add nothing.
        repos = [
            r
            for r in repos
            if (r.owner.login == me.login and {"owner", "admin"} & set(affiliations))
            or (me.login in r.members and "collaborator" in affiliations)
        ]
    if kind in ("owner", "personal"):
        repos = [r for r in repos if r.owner.login == me.login]
    elif kind == "member":
        repos = [r for r in repos if me.login in r.members]
    elif kind in ("public", "private"):
        repos = [r for r in repos if r.private == (kind == "private")]
    if visibility != "all":  # visibility wins over type (ref)
        repos = [r for r in repos if r.private == (visibility == "private")]
    if q := (call.query.get("q") or "").strip().lower():
        repos = [r for r in repos if q in r.full_name.lower()]
    repos = ordered(sb, call, repos, REPO_SORTS, "full_name")
    return page(call, [repository(sb, r, me) for r in repos])


@route("GET", MY_STARRED)
async def starred(sb: Sandbox, call: Call) -> Response:
    me = need_token(call)
    repos = [r for name in me.starred if (r := sb.world.repos.get(name)) and access(sb.world, r, me).read]
    # ref: sort `created` (default) or `last_push`; direction defaults to descending.
    repos = ordered(sb, call, repos, {"created": "created_at", "last_push": "pushed_at"}, "created")
    return page(call, [repository(sb, r, me) for r in repos])


@route("GET", MY_NAMESPACE)
async def namespace(sb: Sandbox, call: Call) -> Response:
    me = need_token(call)
    path = call.query.get("path")
    if not path:
        raise Refusal(400, "path is required", "VALIDATION_ERROR")
    # Only the caller's own namespaces (Gitee v5's reading of "a namespace of the authorized user"); the simulator
    # has no organisations, so that is the caller's user namespace.
    if path != me.login:
        raise Refusal(404, "Namespace Not Found")
    return JSONResponse(namespace_of(sb, me))


SORTS = {"created": "created_at", "last_push": "pushed_at"}  # ref: created (default) or last_push


@route("GET", MY_NAMESPACES)
async def namespaces(sb: Sandbox, call: Call) -> Response:
    me = need_token(call)
    mode = call.query.get("mode") or "intrant"
    if mode not in ("project", "intrant", "all"):
        raise Refusal(400, "mode must be one of [project, intrant, all]", "VALIDATION_ERROR")
    joined = [namespace_of(sb, me)] + [
        {"id": o.number, "path": o.login, "name": o.name, "html_url": f"{WEB}/{o.login}", "type": "group"}
        for o in sb.world.orgs.values()
        if me.login in o.members
    ]
    # `project`: the namespaces of the repositories the caller is a member of
    of_repos: list[dict[str, Any]] = []
    for r in sb.world.repos.values():
        if me.login in r.members and r.owner.login not in {n["path"] for n in joined + of_repos}:
            org = sb.world.orgs.get(r.owner.login)
            of_repos.append(
                {
                    "id": org.number,
                    "path": org.login,
                    "name": org.name,
                    "html_url": f"{WEB}/{org.login}",
                    "type": "group",
                }
                if org
                else namespace_of(sb, r.owner)
            )
    found = {"intrant": joined, "project": of_repos, "all": joined + of_repos}[mode]
    # ref: the page size is `perPage` (per_page elsewhere)
    try:
        number, size = int(call.query.get("page") or 1), int(call.query.get("perPage") or 20)
    except ValueError:
        raise Refusal(400, "page and perPage must be integers") from None
    if number < 1 or not 1 <= size <= 100:
        raise Refusal(400, "page must be >= 1 and perPage between 1 and 100")
    headers = {"total_count": str(len(found)), "total_page": str(max(1, -(-len(found) // size)))}
    return JSONResponse(found[(number - 1) * size : number * size], headers=headers)


def _listed(sb: Sandbox, call: Call, repos: list[Repo]) -> Response:
    shown = [r for r in repos if access(sb.world, r, call.caller).read]
    shown = ordered(sb, call, shown, SORTS, "created")
    return page(call, [repository(sb, r, call.caller) for r in shown])


def _user(sb: Sandbox, call: Call) -> User:
    need_token(call)  # ref: access_token (the live service answers lists to a token)
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    return user


def starred_by(sb: Sandbox, user: User) -> list[Repo]:
    return [r for r in sb.world.repos.values() if user.login in r.stargazers or r.full_name in user.starred]


def watched_by(sb: Sandbox, user: User) -> list[Repo]:
    return [r for r in sb.world.repos.values() if user.login in r.watchers]


@route("GET", MY_WATCHED)
async def my_watched(sb: Sandbox, call: Call) -> Response:
    return _listed(sb, call, watched_by(sb, need_token(call)))


@route("GET", USER_STARRED)
async def user_starred(sb: Sandbox, call: Call) -> Response:
    return _listed(sb, call, starred_by(sb, _user(sb, call)))


@route("GET", USER_WATCHED)
async def user_watched(sb: Sandbox, call: Call) -> Response:
    return _listed(sb, call, watched_by(sb, _user(sb, call)))
