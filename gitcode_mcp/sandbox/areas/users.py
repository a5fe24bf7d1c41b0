"""Users, in the documented profile shape (01-users.md): 24-hex string ids, API URLs beside the web one."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, route
from gitcode_mcp.sandbox.state import API


@route("GET", "users/{username}")
async def get_user(sb: Sandbox, call: Call) -> Response:
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    return JSONResponse(
        {
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
    )
