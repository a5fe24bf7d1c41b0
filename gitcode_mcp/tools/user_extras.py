"""More of the `users` toolset: edit your profile, list your namespaces or get one, and the repositories a user starred
or watches: three small tools serve six operations.

Evidence: GitCode's reference pages (docs.gitcode.com/docs/apis/): patch-api-v-5-user, get-api-v-5-user-namespaces,
get-api-v-5-user-subscriptions (AtomGit's copy), get-api-v-5-users-username-starred (listed; parameters as
user/starred), get-api-v-5-user-username-subscriptions.
"""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import ME, MY_NAMESPACE, MY_NAMESPACES, MY_STARRED, MY_WATCHED, USER_STARRED, USER_WATCHED
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Page, PerPage, Text, get_page, gitcode, payload
from gitcode_mcp.tools.users import REPOSITORY, users
from gitcode_mcp.views import View, as_int, at, to_text

# The PATCH answer names fields as the request does (ref): nickname, description, website; shown as get_user names
# them (name, bio, blog), so what is read can be written back.
UPDATED = View(
    login="login",
    name="nickname",
    bio="description",
    company="company",
    blog="website",
)
NAMESPACE_VIEW = View(id=at("id", as_int), path="path", name="name", type="type", url="html_url")
NAMESPACE_PAGE = 100  # the ref names the size `perPage` (every other list: per_page); one full page is asked for


@users.write(
    Example({"bio": "Builds MCP servers.", "company": "GitCode MCP"}, f"PATCH {ME}"),
    Example({"name": "Alice L.", "blog": "https://alice.example.com"}, f"PATCH {ME}"),
    idempotent=True,
)
async def update_my_profile(
    ctx: Context,
    name: Text | None = None,
    bio: str | None = None,
    company: str | None = None,
    blog: str | None = None,
) -> str:
    """Edit your profile."""
    fields = payload(nickname=name, description=bio, company=company, website=blog)
    if not fields:
        return to_text({"changed": False, "note": "nothing to change was given, so nothing was sent"})
    reply = await gitcode(ctx).request("PATCH", api_path(ME), json=fields)
    return to_text(UPDATED(reply.object()))


@users.read(Example({}, f"GET {MY_NAMESPACES}"), Example({"path": "alice"}, f"GET {MY_NAMESPACE}"))
async def list_my_namespaces(ctx: Context, path: Text | None = None) -> str:
    """List your namespaces (you and your organizations), or get one by path."""
    if path is not None:
        reply = await gitcode(ctx).get(
            api_path(MY_NAMESPACE),
            {"path": path.strip()},
            hints={404: "not one of your namespaces: give your login or a group you belong to"},
        )
        return to_text(NAMESPACE_VIEW(reply.object()))
    query = {"page": 1, "perPage": NAMESPACE_PAGE, "per_page": NAMESPACE_PAGE}
    reply = await gitcode(ctx).get(api_path(MY_NAMESPACES), query)
    return to_text(NAMESPACE_VIEW.many(reply.items()))


# One tool for four lists: starred or watched, by you or by username (your own stars: GitCode's user/starred).
@users.read(
    Example({"kind": "watched"}, f"GET {MY_WATCHED}"),
    Example({"kind": "starred", "username": "bob"}, f"GET {USER_STARRED}"),
    Example({"kind": "watched", "username": "bob", "per_page": 5}, f"GET {USER_WATCHED}"),
    Example({"kind": "starred"}, f"GET {MY_STARRED}"),
)
async def list_followed_repos(
    kind: Literal["starred", "watched"],
    ctx: Context,
    username: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List repos a user (default: you) starred or watches."""
    if username is None:
        return await get_page(ctx, MY_STARRED if kind == "starred" else MY_WATCHED, REPOSITORY, page, per_page)
    template = USER_STARRED if kind == "starred" else USER_WATCHED
    return await get_page(ctx, template, REPOSITORY, page, per_page, username=username)
