"""Users, in the documented shapes (ref, Users page): profiles with 24-hex string ids and API URLs beside the web one,
the caller's emails, activity grouped by day with a `next` cursor, repository lists (a user's public ones, the
caller's own, the caller's stars) and the caller's namespaces. Everything here but a profile needs a token (ref:
`access_token*`)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ME,
    MY_EMAILS,
    MY_ISSUES,
    MY_NAMESPACE,
    MY_NAMESPACES,
    MY_PRS,
    MY_REPOS,
    MY_STARRED,
    MY_WATCHED,
    ORG_ISSUES,
    USER_EVENTS,
    USER_PROFILE,
    USER_REPOS,
    USER_STARRED,
    USER_WATCHED,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.issues import render_issue
from gitcode_mcp.sandbox.areas.pulls.render import PR_SCOPES, across
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import API, WEB, Issue, PullRequest, Push, Repo, User, World, fake_sha

EVENTS_PER_ANSWER = 20  # how many events one answer holds; the `next` cursor reaches older ones
NAMESPACE_IDS = 199_940  # + the user's place in the world: namespace ids are integers (ref)
# Repositories carry no times in the simulator's state: each gets fixed ones, an hour apart in creation order.
EPOCH = datetime.fromisoformat("2025-06-10T14:17:23+08:00")


def seed(world: World) -> None:
    alice, bob = world.users["alice"], world.users["bob"]
    alice.emails = {"alice@example.com": "confirmed", "alice@work.example.com": "unconfirmed"}
    bob.emails = {"bob@example.com": "confirmed"}
    alice.starred = ["alice/demo"]
    bob.starred = ["alice/demo", "alice/secret"]  # alice/secret is private: bob cannot see it, so it is not listed
    demo = world.repos["alice/demo"]
    alice.pushes = [
        Push(
            "alice/demo",
            "feature",
            demo.head_sha("main"),
            demo.head_sha("feature"),
            "Type hints and a main()",
            "2026-11-20T09:40:00+08:00",
            2,
        ),
        Push(
            "alice/demo",
            "docs",
            demo.head_sha("main"),
            demo.head_sha("docs"),
            "Rename the guide; add sample data",
            "2026-11-21T09:10:00+08:00",
        ),
        Push(
            "alice/secret", "main", fake_sha("secret", 0), fake_sha("secret", 1), "Notes", "2026-11-22T08:00:00+08:00"
        ),
    ]


def profile(user: User) -> dict[str, Any]:
    """A user's profile, with what PATCH user changed (kept in `User.profile` by GitCode's request names)."""
    out = {
        **shapes.user(user),
        "followers_url": f"{API}/users/{user.login}/followers",
        "type": "User",
        "url": f"{API}/{user.login}",
        "bio": f"{user.name} writes code.",
        "blog": "",
        "company": "",
        "email": f"{user.login}@example.com",
        "followers": 0,
        "following": 1,
        "top_languages": ["Python"],
    }
    out.update({SHOWN_AS[k]: v for k, v in user.profile.items() if k in SHOWN_AS})
    return out


@route("GET", USER_PROFILE)
async def get_user(sb: Sandbox, call: Call) -> Response:
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    return JSONResponse(profile(user))


@route("GET", ME)
async def get_me(sb: Sandbox, call: Call) -> Response:
    return JSONResponse(profile(need_token(call)))


@route("GET", MY_EMAILS)
async def emails(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    return JSONResponse([{"email": email, "state": state} for email, state in user.emails.items()])


# --- repositories -------------------------------------------------------------------------------------------


def times(sb: Sandbox, repo: Repo) -> dict[str, str]:
    order = sorted(r.id for r in sb.world.repos.values()).index(repo.id)
    created = (EPOCH + timedelta(hours=order)).isoformat(timespec="milliseconds")
    pushes = [p.created_at for u in sb.world.users.values() for p in u.pushes if p.repo == repo.full_name]
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


# --- activity -----------------------------------------------------------------------------------------------


def _author(user: User) -> dict[str, Any]:
    return {
        "id": int(user.id[-6:], 16),  # events carry integer author ids (ref), unlike the 24-hex profile id
        "iam_id": fake_sha("iam", user.login)[:32],
        "username": user.login,
        "state": "active",
        "avatar_url": f"https://cdn-img.gitcode.com/{user.id}.png",
        "email": "",
        "name": user.name,
        "name_cn": user.name,
        "web_url": f"{WEB}/{user.login}",
    }


def _event(sb: Sandbox, user: User, repo: Repo, action: int, name: str, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "action": action,
        "action_name": name,
        "author": _author(user),
        "author_id": int(user.id[-6:], 16),
        "author_username": user.login,
        "created_at": at,
        "project": {
            "main_repository_language": [None, None],
            "star_count": sum(repo.full_name in u.starred for u in sb.world.users.values()),
            "forks_count": 0,
            "develop_mode": "normal",
            "stared": False,
        },
        "project_id": repo.id,
        "project_name": repo.full_name,
        **extra,
        "_links": {"project": repo.web_url, "action_type": ""},
    }


def activity(sb: Sandbox, user: User, caller: User | None) -> list[dict[str, Any]]:
    """The user's pushes (seeded), and the PRs, issues and PR comments they wrote (live state, so what another area
    creates shows here), in repositories the caller can see, newest first. Pushes follow the ref example; the
    other kinds follow GitLab's event shape (target_type, target_iid, target_title, note), which the ref's
    GitLab-style fields suggest but does not show."""
    out: list[dict[str, Any]] = []
    for p in user.pushes:
        repo = sb.world.repos.get(p.repo)
        if repo and access(sb.world, repo, caller).read:
            push = {
                "commit_count": p.commit_count,
                "action": "pushed",
                "ref_type": "branch",
                "commit_from": p.commit_from,
                "commit_to": p.commit_to,
                "ref": p.ref,
                "commit_title": p.title,
            }
            out.append(_event(sb, user, repo, 5, "pushed to", p.created_at, push_data=push))
    for repo in sb.world.repos.values():
        if not access(sb.world, repo, caller).read:
            continue
        for kind, items in (("MergeRequest", repo.pulls.values()), ("Issue", repo.issues.values())):
            for item in items:
                if item.user.login == user.login:
                    target = {"target_id": item.id, "target_iid": item.number, "target_type": kind}
                    out.append(_event(sb, user, repo, 1, "opened", item.created_at, **target, target_title=item.title))
        for pr in repo.pulls.values():
            for c in (c for top in pr.comments for c in (top, *top.replies)):
                if c.user.login == user.login:
                    note = {"body": c.body, "noteable_type": "MergeRequest", "noteable_iid": pr.number}
                    target = {"target_id": c.id, "target_type": "DiffNote" if c.is_diff else "Note"}
                    out.append(
                        _event(
                            sb, user, repo, 6, "commented on", c.created_at, **target, target_title=pr.title, note=note
                        )
                    )
    return sorted(out, key=lambda e: _when(e["created_at"]), reverse=True)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@route("GET", USER_EVENTS)
async def events(sb: Sandbox, call: Call) -> Response:
    need_token(call)  # ref: access_token*
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    found = activity(sb, user, call.caller)
    if year := call.query.get("year"):
        if not year.isdigit():
            raise Refusal(400, "year must be a year such as 2024", "VALIDATION_ERROR")
        found = [e for e in found if _when(e["created_at"]).year == int(year)]
    if before := call.query.get("next"):
        try:
            end = _when(before)
        except ValueError:
            raise Refusal(400, "next must be a date-time", "VALIDATION_ERROR") from None
        found = [e for e in found if _when(e["created_at"]) < end]
    shown, rest = found[:EVENTS_PER_ANSWER], found[EVENTS_PER_ANSWER:]
    by_day: dict[str, list[dict[str, Any]]] = {}
    for e in shown:
        by_day.setdefault(e["created_at"][:10], []).append(e)
    # `next` is the end date to ask with for older events; none when nothing older is left.
    return JSONResponse({"events": by_day, "next": shown[-1]["created_at"] if rest else None})


@route("GET", MY_PRS)
async def my_pulls(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    scope = call.query.get("scope", "created_by_me")  # ref: created by me unless a scope says otherwise
    if scope not in PR_SCOPES:
        raise Refusal(400, f"scope must be one of [{', '.join(PR_SCOPES)}]")

    def mine(pr: PullRequest) -> bool:
        if scope == "created_by_me":
            return pr.user.login == user.login
        if scope == "assigned_to_me":
            return user.login in pr.reviewers
        return pr.state == "open" and pr.reviewers.get(user.login) is False  # waiting for my review or approval

    found = [
        (r, pr)
        for r in sb.world.repos.values()
        if access(sb.world, r, user).read
        for pr in r.pulls.values()
        if mine(pr)
    ]
    return across(sb, call, found)


FILTERS = ("assigned", "created", "all")


def _mine(sb: Sandbox, call: Call, user: User, repos: list[Repo], states: tuple[str, ...]) -> Response:
    who = call.query.get("filter", "assigned")  # ref: assigned (default), created, all
    state = call.query.get("state", "open")  # ref: open (default), closed
    if who not in FILTERS or state not in states:
        raise Refusal(400, f"filter must be assigned, created or all; state one of {', '.join(states)}")

    def matches(issue: Issue) -> bool:
        assigned = any(a.login == user.login for a in issue.assignees)
        created = issue.user.login == user.login
        chosen = {"assigned": assigned, "created": created, "all": assigned or created}[who]
        return chosen and state in ("all", issue.state)

    found = [(r, i) for r in repos if access(sb.world, r, user).read for i in r.issues.values() if matches(i)]
    found.sort(key=lambda ri: (ri[1].created_at, ri[1].id), reverse=call.query.get("direction", "desc") == "desc")
    return page(call, [render_issue(r, i) for r, i in found])


@route("GET", MY_ISSUES)
async def user_issues(sb: Sandbox, call: Call) -> Response:
    # The reference's parameters name open and closed only: `all` is refused (docs/gitcode-behaviour.md, Issues).
    return _mine(sb, call, need_token(call), list(sb.world.repos.values()), ("open", "closed"))


@route("GET", ORG_ISSUES)
async def org_issues(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Namespace")
    # open and closed (ref parameters); `all`, which the reference's demo of this one sends, is answered too.
    return _mine(
        sb, call, user, [r for r in sb.world.repos.values() if r.owner.login == org.login], ("open", "closed", "all")
    )


# PATCH user's fields (ref), and where GET user shows each (ref, Users page #2): bio, blog, company, email; the nickname
# is the profile's `name`; location and github_account are kept but not shown there.
EDITABLE = ("nickname", "description", "company", "website", "location", "email", "github_account", "avatar")


SHOWN_AS = {"description": "bio", "website": "blog", "company": "company", "email": "email"}


SORTS = {"created": "created_at", "last_push": "pushed_at"}  # ref: created (default) or last_push


@route("PATCH", ME)
async def update_me(sb: Sandbox, call: Call) -> Response:
    me = need_token(call)
    data = call.data()
    for name, value in data.items():
        if name in EDITABLE and not isinstance(value, str):
            raise Refusal(400, f"{name} must be a string", "VALIDATION_ERROR")
    if "nickname" in data:
        if not data["nickname"].strip():
            raise Refusal(400, "nickname must not be blank", "VALIDATION_ERROR")
        me.name = data["nickname"].strip()
    me.profile.update({k: v for k, v in data.items() if k in EDITABLE and k != "nickname"})
    # ref: every field, the unchanged ones too
    return JSONResponse(
        {
            "avatar": me.profile.get("avatar", f"https://cdn-img.gitcode.com/{me.id}.png"),
            "nickname": me.name,
            "company": me.profile.get("company", ""),
            "description": me.profile.get("description", ""),
            "email": me.profile.get("email", ""),
            "github_account": me.profile.get("github_account", ""),
            "website": me.profile.get("website", ""),
            "location": me.profile.get("location", ""),
            "id": me.id,
            "login": me.login,
        }
    )


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
