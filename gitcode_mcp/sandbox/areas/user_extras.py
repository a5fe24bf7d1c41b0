"""More of the users area: PATCH user (the caller's profile), the caller's namespaces, and the repositories a user
starred (`Repo.stargazers`, and the users area's `User.starred`) or watches (`Repo.watchers`), in the shapes of
GitCode's reference pages (patch-api-v-5-user, get-api-v-5-user-namespaces, get-api-v-5-user-subscriptions,
get-api-v-5-user-username-subscriptions; users/{username}/starred as user/starred).

A profile edit is kept in `User.profile` (GitCode's request names) and `User.name`; the users area's GET user and
users/{username} show it through `shown_profile` below, which wraps that area's `profile` (that module is not edited
here: this is the one place the two meet).
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import ME, MY_NAMESPACES, MY_WATCHED, USER_STARRED, USER_WATCHED
from gitcode_mcp.sandbox.areas import users as users_area
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import WEB, Repo, User

# PATCH user's fields (ref), and where GET user shows each (ref, Users page #2): bio, blog, company, email; the nickname
# is the profile's `name`; location and github_account are kept but not shown there.
EDITABLE = ("nickname", "description", "company", "website", "location", "email", "github_account", "avatar")
SHOWN_AS = {"description": "bio", "website": "blog", "company": "company", "email": "email"}
SORTS = {"created": "created_at", "last_push": "pushed_at"}  # ref: created (default) or last_push

_plain_profile = users_area.profile


def shown_profile(user: User) -> dict[str, Any]:
    """The users area's profile, with what PATCH user changed."""
    out = _plain_profile(user)
    out.update({SHOWN_AS[k]: v for k, v in user.profile.items() if k in SHOWN_AS})
    return out


users_area.profile = shown_profile


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
    joined = [users_area.namespace_of(sb, me)] + [
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
                else users_area.namespace_of(sb, r.owner)
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
    shown = [r for r in repos if r.visible_to(call.caller)]
    shown = users_area.ordered(sb, call, shown, SORTS, "created")
    return page(call, [users_area.repository(sb, r, call.caller) for r in shown])


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
