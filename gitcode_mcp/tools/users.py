"""Users: who someone is on GitCode."""

from __future__ import annotations

from mcp.server.mcpserver import Context

from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import gitcode
from gitcode_mcp.views import View, to_text

users = Toolset("users", "Look up users", default=True)

USER = "users/{username}"
PROFILE = View(
    login="login",
    name="name",
    bio="bio",
    company="company",
    blog="blog",
    email="email",
    followers="followers",
    following="following",
    top_languages="top_languages",
    url="html_url",
)


@users.read(Example({"username": "alice"}, f"GET {USER}"))
async def get_user(username: str, ctx: Context) -> str:
    """Get a user's public profile."""
    reply = await gitcode(ctx).get(api_path(USER, username=username))
    return to_text(PROFILE(reply.object()))
