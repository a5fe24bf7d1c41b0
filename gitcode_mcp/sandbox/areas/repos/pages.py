"""What a repository's pages show: the repository, its forks, languages, contributors, events, watchers, stars,
downloads and custom roles."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
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
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.repos.create import fork_item
from gitcode_mcp.sandbox.areas.repos.render import LANGUAGE_OF, forks_of, render_repo, visible
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import (
    WEB,
    Contribution,
    Repo,
    User,
)


@route("GET", REPO)
async def get_repo(sb: Sandbox, call: Call) -> Response:
    return JSONResponse(render_repo(sb.world, visible(sb, call), call.caller))


@route("GET", REPO_FORKS)
async def list_forks(sb: Sandbox, call: Call) -> Response:
    repo = visible(sb, call)
    forks = [f for f in forks_of(sb.world, repo) if access(sb.world, f, call.caller).read]
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


def by_user(contributions: list[Contribution]) -> dict[str, list[Contribution]]:
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
            for login, cs in sorted(by_user(repo.contributions).items(), key=lambda kv: -len(kv[1]))
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
    for login, cs in by_user(picked).items():
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


def author_of(u: User) -> dict[str, Any]:
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
            "author": author_of(user),
            "author_id": author_of(user)["id"],
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


def people_shown(sb: Sandbox, when: dict[str, str], key: str) -> list[dict[str, Any]]:
    users = [(sb.world.users[login], at) for login, at in when.items() if login in sb.world.users]
    return [{**shapes.user(u), key: at} for u, at in sorted(users, key=lambda ua: ua[1], reverse=True)]


@route("GET", REPO_WATCHERS)
async def watchers(sb: Sandbox, call: Call) -> Response:
    return page(call, people_shown(sb, visible(sb, call).watchers, "watch_at"))


@route("GET", REPO_STARGAZERS)
async def stargazers(sb: Sandbox, call: Call) -> Response:
    return page(call, people_shown(sb, visible(sb, call).stargazers, "starred_at"))


def day_of(value: str | None, name: str) -> date | None:
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
    end = day_of(call.query.get("end_date"), "end_date") or date.today()
    start = day_of(call.query.get("start_date"), "start_date") or end - timedelta(days=29)
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
