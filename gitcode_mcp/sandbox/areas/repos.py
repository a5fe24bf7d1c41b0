"""Repositories: read one, create one (personal or in an organisation), fork one, and who works on it.

Shapes follow the reference examples in the reference's Users page (#6, #8) and Repositories page (#8, #9, #20,
#21, #22, #25, #26, #34, #35, #37, #38): integer repository ids (live), creates and forks answered sparsely, the
events list wrapped in `{"events", "has_next_page"}`, download statistics as a daily series with totals.
What is created here is in the world, so every other area sees it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    MY_REPOS,
    ORG_REPOS,
    REPO,
    REPO_CONTRIBUTOR_STATISTICS,
    REPO_CONTRIBUTORS,
    REPO_CUSTOM_ROLES,
    REPO_DOWNLOAD_STATISTICS,
    REPO_EVENTS,
    REPO_FORKS,
    REPO_LANGUAGES,
    REPO_STARGAZERS,
    REPO_WATCHERS,
)
from gitcode_mcp.paths import NAME_PATTERN
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import (
    WEB,
    Contribution,
    CustomRole,
    Org,
    Repo,
    User,
    World,
    now,
)

_PATH = re.compile(NAME_PATTERN)
LANGUAGE_OF = {".py": "Python", ".md": "Markdown", ".js": "JavaScript", ".ts": "TypeScript", ".go": "Go"}
LANGUAGE_OF |= {".c": "C", ".h": "C", ".cpp": "C++", ".java": "Java", ".rs": "Rust", ".sh": "Shell", ".csv": "CSV"}


def seed(world: World) -> None:
    """The organisation `gitcode-mcp` (alice a member) with its public repository gitcode-mcp/handbook, and what
    alice/demo's pages show: stars, watchers, commits, a custom role, downloads. Fixed ids: the shared counter is
    left alone, so the other areas' ids do not move."""
    alice, bob = world.users["alice"], world.users["bob"]
    org = world.orgs.get("gitcode-mcp") or Org(f"{138108:024x}", "gitcode-mcp", "GitCode MCP", number=138108)
    org.members.setdefault("alice", "owner")
    world.orgs[org.login] = org
    handbook = Repo(
        8_400_001,
        org.namespace,
        "handbook",
        branches={"main": {"README.md": b"# handbook\n\nHow we work.\n"}},
        description="How the gitcode-mcp team works.",
        org=org,
        creator=alice,
        created_at="2025-09-01T09:00:00+08:00",
        contributions=[Contribution(alice, "2025-09-01", 3, 0, "Initial commit")],
    )
    world.repos[handbook.full_name] = handbook

    demo = world.repo("alice", "demo")
    if demo is not None:
        demo.description = "A repository to try gitcode-mcp on."
        demo.license = "MIT"
        demo.created_at = "2026-11-18T09:00:00+08:00"
        demo.stargazers = {"bob": "2026-11-20T12:00:00+08:00"}
        demo.watchers = {"alice": "2026-11-18T09:00:00+08:00", "bob": "2026-11-20T12:01:00+08:00"}
        demo.contributions = [
            Contribution(alice, "2026-11-18", 48, 0, "Initial commit"),
            Contribution(alice, "2026-11-19", 4, 1, "Add the guide"),
            Contribution(bob, "2026-11-19", 2, 2, "Fix a typo in the README"),
        ]
        demo.custom_roles = [
            CustomRole("e6cd76d6c82f46c78c71fd7f67eaf3bf", "Triager", "Labels and closes issues", 15, 1)
        ]
        today = date.today()
        demo.downloads = {str(today - timedelta(days=5)): 3, str(today - timedelta(days=1)): 2}
    secret = world.repo("alice", "secret")
    if secret is not None:
        secret.contributions = [Contribution(alice, "2026-11-17", 1, 0, "Notes")]


# --- shapes -------------------------------------------------------------------------------------------------


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


def permission(repo: Repo, caller: User | None) -> dict[str, bool]:
    login = caller.login if caller else None
    admin = login is not None and (
        login == repo.owner.login or (repo.creator is not None and login == repo.creator.login)
    )
    admin = admin or (repo.org is not None and login in repo.org.members)
    push = admin or (login is not None and login in repo.members)
    return {"pull": repo.visible_to(caller), "push": push, "admin": admin}


def render_repo(world: World, repo: Repo, caller: User | None) -> dict[str, Any]:
    """The full repository (ref, Users page #8), with `fork`/`parent` (Users page #14) and `permission` (#5)."""
    creator = repo.creator or repo.owner
    granted = permission(repo, caller)
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


# --- reads and writes ---------------------------------------------------------------------------------------


def visible(sb: Sandbox, call: Call) -> Repo:
    """The repository in the path; a private one is 404 to whoever may not see it (live: 404, not 403)."""
    repo = sb.world.repo(call.params["owner"], call.params["repo"])
    if repo is None or not repo.visible_to(call.caller):
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


def new_path(data: dict[str, Any], default: str | None = None) -> str:
    path = data.get("path") or data.get("name") or default
    if not isinstance(path, str) or not path.strip():
        raise Refusal(400, "name is required")
    if not _PATH.fullmatch(path) or set(path) == {"."}:
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


@route("GET", REPO)
async def get_repo(sb: Sandbox, call: Call) -> Response:
    return JSONResponse(render_repo(sb.world, visible(sb, call), call.caller))


@route("POST", MY_REPOS)
async def create_user_repo(sb: Sandbox, call: Call) -> Response:
    return make_repo(sb, call, need_token(call), None)


@route("POST", ORG_REPOS)
async def create_org_repo(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Namespace")
    if user.login not in org.members:
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
        if user.login not in org.members:
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


@route("GET", REPO_FORKS)
async def list_forks(sb: Sandbox, call: Call) -> Response:
    repo = visible(sb, call)
    forks = [f for f in forks_of(sb.world, repo) if f.visible_to(call.caller)]
    sort = call.query.get("sort") or "newest"
    if sort == "stargazers":
        forks.sort(key=lambda f: len(f.stargazers), reverse=True)
    else:
        forks.sort(key=lambda f: (f.created_at, f.id), reverse=sort != "oldest")
    return page(call, [fork_item(sb.world, f) for f in forks])


@route("GET", REPO_LANGUAGES)
async def languages(sb: Sandbox, call: Call) -> Response:
    """Map<language, percent> (02 #8), from the default branch's file sizes."""
    repo = visible(sb, call)
    sizes: dict[str, int] = {}
    for path, raw in repo.branches.get(repo.default_branch, {}).items():
        if language := LANGUAGE_OF.get("." + path.rsplit(".", 1)[-1] if "." in path else ""):
            sizes[language] = sizes.get(language, 0) + len(raw)
    total = sum(sizes.values())
    return JSONResponse({k: round(100 * v / total, 2) for k, v in sizes.items()} if total else {})


def _by_user(contributions: list[Contribution]) -> dict[str, list[Contribution]]:
    out: dict[str, list[Contribution]] = {}
    for c in contributions:
        out.setdefault(c.user.login, []).append(c)
    return out


@route("GET", REPO_CONTRIBUTORS)
async def contributors(sb: Sandbox, call: Call) -> Response:
    """[{name, contributions, email}] (02 #9); committers and authors are the same people here."""
    repo = visible(sb, call)
    if call.query.get("type") not in (None, "committers", "authors"):
        raise Refusal(400, "type must be committers or authors")
    return JSONResponse(
        [
            {"name": login, "contributions": len(cs), "email": f"{login}@example.com"}
            for login, cs in sorted(_by_user(repo.contributions).items(), key=lambda kv: -len(kv[1]))
        ]
    )


@route("GET", REPO_CONTRIBUTOR_STATISTICS)
async def contributor_statistics(sb: Sandbox, call: Call) -> Response:
    """Per contributor an overview and a per-day series (02 #37), filtered by author, since, until."""
    repo = visible(sb, call)
    query = call.query
    since, until = (query.get("since") or "")[:10], (query.get("until") or "")[:10]
    author = query.get("author")
    if query.get("current_user") == "true":
        author = need_token(call).login
    picked = [
        c
        for c in repo.contributions
        if (not author or c.user.login == author) and (not since or c.date >= since) and (not until or c.date <= until)
    ]
    out = []
    for login, cs in _by_user(picked).items():
        days: dict[str, dict[str, int]] = {}
        for c in cs:
            day = days.setdefault(c.date, {"additions": 0, "deletions": 0, "total_changes": 0, "commit_count": 0})
            day["additions"] += c.additions
            day["deletions"] += c.deletions
            day["total_changes"] += c.additions + c.deletions
            day["commit_count"] += 1
        add, delete = sum(c.additions for c in cs), sum(c.deletions for c in cs)
        out.append(
            {
                "name": login,
                "email": f"{login}@example.com",
                "overview": {
                    "additions": add,
                    "deletions": delete,
                    "total_changes": add + delete,
                    "commit_count": len(cs),
                },
                "contributions": [{"date": d, **v} for d, v in sorted(days.items())],
            }
        )
    return JSONResponse(out)


def _author(u: User) -> dict[str, Any]:
    """An event's author (02 #38): GitLab-style, with an integer id and `username`."""
    return {
        "id": int(u.id[-6:], 16),
        "iam_id": u.id.ljust(32, "0"),
        "username": u.login,
        "state": "active",
        "email": "",
        "name": u.name,
        "name_cn": "",
        "web_url": f"{WEB}/{u.login}",
    }


def events_of(repo: Repo) -> list[dict[str, Any]]:
    """The repository's activity, newest first, derived from its state: its creation, pushes, pull requests (and
    their comments) and issues. Each is (filter it falls under, when, who, fields)."""
    found: list[tuple[str, str, User, dict[str, Any]]] = [
        ("project", repo.created_at, repo.creator or repo.owner, {"action": 1, "action_name": "created"})
    ]
    for c in repo.contributions:
        push = {"commit_count": 1, "action": "pushed", "ref_type": "branch", "ref": repo.default_branch}
        found.append(
            (
                "push",
                f"{c.date}T10:00:00+08:00",
                c.user,
                {"action": 5, "action_name": "pushed to", "push_data": {**push, "commit_title": c.message}},
            )
        )
    for pr in repo.pulls.values():
        target = {"target_type": "MergeRequest", "target_iid": pr.number, "target_title": pr.title}
        found.append(("merged", pr.created_at, pr.user, {"action": 1, "action_name": "opened", **target}))
        if pr.merged_at and pr.merged_by:
            found.append(("merged", pr.merged_at, pr.merged_by, {"action": 7, "action_name": "accepted", **target}))
        for note in pr.comments:
            found.append(
                ("comments", note.created_at, note.user, {"action": 6, "action_name": "commented on", **target})
            )
    for issue in repo.issues.values():
        target = {"target_type": "Issue", "target_iid": issue.number, "target_title": issue.title}
        found.append(("issue", issue.created_at, issue.user, {"action": 1, "action_name": "opened", **target}))
        if issue.closed_at:
            found.append(("issue", issue.closed_at, issue.user, {"action": 3, "action_name": "closed", **target}))
    return [
        {
            "filter": kind,
            "author": _author(user),
            "author_id": _author(user)["id"],
            "author_username": user.login,
            "created_at": at,
            "project_id": repo.id,
            "title": fields.get("target_title") or (repo.full_name if kind == "project" else None),
            **fields,
        }
        for kind, at, user, fields in sorted(found, key=lambda e: e[1], reverse=True)
    ]


@route("GET", REPO_EVENTS)
async def repo_events(sb: Sandbox, call: Call) -> Response:
    """`{"events": [...], "has_next_page": bool}` (02 #38): paged in the body, no total headers."""
    repo = visible(sb, call)
    query = call.query
    kind = query.get("filter") or "all"
    if kind not in ("all", "push", "merged", "issue", "comments", "team", "project"):
        raise Refusal(400, "filter must be one of all, push, merged, issue, comments, team, project")
    events = [
        e
        for e in events_of(repo)
        if kind in ("all", e["filter"]) and (not query.get("author") or e["author_username"] == query["author"])
    ]
    before, after = query.get("before"), query.get("after")
    events = [
        e
        for e in events
        if (not after or e["created_at"][:10] <= after) and (not before or e["created_at"][:10] >= before)
    ]
    try:
        number, size = int(query.get("page", "1")), int(query.get("per_page", "20"))
    except ValueError:
        raise Refusal(400, "page and per_page must be integers") from None
    if number < 1 or not 1 <= size <= 100:
        raise Refusal(400, "page must be >= 1 and per_page between 1 and 100")
    start = (number - 1) * size
    shown = [{k: v for k, v in e.items() if k != "filter"} for e in events[start : start + size]]
    return JSONResponse({"events": shown, "has_next_page": start + size < len(events)})


def _people(sb: Sandbox, when: dict[str, str], key: str) -> list[dict[str, Any]]:
    users = [(sb.world.users[login], at) for login, at in when.items() if login in sb.world.users]
    return [{**shapes.user(u), key: at} for u, at in sorted(users, key=lambda ua: ua[1], reverse=True)]


@route("GET", REPO_WATCHERS)
async def watchers(sb: Sandbox, call: Call) -> Response:
    return page(call, _people(sb, visible(sb, call).watchers, "watch_at"))


@route("GET", REPO_STARGAZERS)
async def stargazers(sb: Sandbox, call: Call) -> Response:
    return page(call, _people(sb, visible(sb, call).stargazers, "starred_at"))


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refusal(400, f"{name} must be a date like 2024-01-06") from None


@route("GET", REPO_DOWNLOAD_STATISTICS)
async def download_statistics(sb: Sandbox, call: Call) -> Response:
    """A daily series over [start_date, end_date] with the running total, and the totals (02 #35). The range
    GitCode picks when none is given is not documented: here the 30 days up to today."""
    repo = visible(sb, call)
    end = _day(call.query.get("end_date"), "end_date") or date.today()
    start = _day(call.query.get("start_date"), "start_date") or end - timedelta(days=29)
    if start > end:
        raise Refusal(400, "start_date must not be after end_date")
    running = sum(n for d, n in repo.downloads.items() if d < str(start))
    detail = []
    day = start
    while day <= end:
        today = repo.downloads.get(str(day), 0)
        running += today
        detail.append({"pdate": str(day), "repo_id": str(repo.id), "today_dl_cnt": today, "total_dl_cnt": running})
        day += timedelta(days=1)
    if call.query.get("direction", "desc") == "desc":
        detail.reverse()
    return JSONResponse(
        {
            "download_statistics_detail": detail,
            "download_statistics_total": sum(d["today_dl_cnt"] for d in detail),
            "download_statistics_history_total": running,
        }
    )


@route("GET", REPO_CUSTOM_ROLES)
async def custom_roles(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    repo = visible(sb, call)
    return JSONResponse(
        [
            {
                "role_id": r.role_id,
                "access_level": r.access_level,
                "role_name": r.name,
                "role_chinese_name": r.name,
                "role_description": r.description,
                "role_type": "project-customized",
                "member_count": r.member_count,
                "created_at": r.created_at,
                "updated_at": r.created_at,
            }
            for r in repo.custom_roles
        ]
    )
