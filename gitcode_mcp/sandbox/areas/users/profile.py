"""A user's profile, read and changed (PATCH user), and the caller's emails."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ME,
    MY_EMAILS,
    USER_PROFILE,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import API, User, World


def seed(world: World) -> None:
    alice, bob = world.users["alice"], world.users["bob"]
    alice.emails = {"alice@example.com": "confirmed", "alice@work.example.com": "unconfirmed"}
    bob.emails = {"bob@example.com": "confirmed"}


# PATCH user's fields (ref), and where GET user shows each (ref, Users page #2): bio, blog, company, email; the nickname
# is the profile's `name`; location and github_account are kept but not shown there.
EDITABLE = ("nickname", "description", "company", "website", "location", "email", "github_account", "avatar")


SHOWN_AS = {"description": "bio", "website": "blog", "company": "company", "email": "email"}


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
