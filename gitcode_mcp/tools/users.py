"""The `users` toolset: who someone is on GitCode (you included), what they did lately, their repositories, the ones
they starred or watch; your profile edited, your namespaces, and your pull requests and issues across repositories.

Evidence for the profile, namespaces and starred or watched repositories: GitCode's reference pages
(docs.gitcode.com/docs/apis/): patch-api-v-5-user, get-api-v-5-user-namespaces, get-api-v-5-user-subscriptions
(AtomGit's copy), get-api-v-5-users-username-starred (listed; parameters as user/starred),
get-api-v-5-user-username-subscriptions.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from mcp.server.mcpserver import Context
from pydantic import Field

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
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, get_page, gitcode, payload
from gitcode_mcp.tools.issues import ISSUE_ITEM
from gitcode_mcp.tools.pulls.views import ACROSS
from gitcode_mcp.views import Obj, View, as_int, at, sub, to_text

users = Toolset("users", "Look up users, their repositories and activity")

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
)  # not the profile URL: it is https://gitcode.com/<login>


def _flag(value: Any) -> bool:
    # Booleans in the ref's examples, integers in its schemas (`private`, `fork`): read both.
    return value in (True, 1, "true", "1")


# A repository as the lists show it. The `repos` toolset may declare a fuller view of one repository; this is the
# list item, kept to what tells repositories apart. List items have web_url and no html_url (ref).
REPOSITORY = View(
    full_name="full_name",
    description="description",
    private=at("private", _flag),
    fork=lambda r: _flag(r.get("fork")) or None,
    default_branch="default_branch",
    stars=at("stargazers_count", as_int),
    forks=at("forks_count", as_int),
    updated_at="updated_at",
    url=lambda r: r.get("html_url") or r.get("web_url"),
)
Sort = Literal["created", "updated", "pushed", "full_name"]


# One tool for anyone's profile and your own: a tool without arguments cannot be both strict in openai-agents (an
# object with no properties must say `additionalProperties: false`) and read by google-genai's MCP adapter (which
# fails on that boolean), so "who am I" and "my email addresses" are get_user without a username.
@users.read(
    Example({"username": "alice"}, f"GET {USER_PROFILE}"),
    Example({}, f"GET {ME}"),
    Example({"emails": True}, f"GET {ME}", f"GET {MY_EMAILS}"),
)
async def get_user(ctx: Context, username: str | None = None, emails: bool = False) -> str:
    """Get a user's profile; without username, yours (the token's), and with emails=true your email addresses."""
    client = gitcode(ctx)
    if username is not None:
        if emails:
            raise InvalidArgument("emails", "only your own email addresses can be listed: leave out username")
        return to_text(PROFILE((await client.get(api_path(USER_PROFILE, username=username))).object()))
    profile = PROFILE((await client.get(api_path(ME))).object())
    if emails:
        profile["emails"] = View(email="email", state="state").many((await client.get(api_path(MY_EMAILS))).items())
    return to_text(profile)


def _target(e: Obj) -> Any:
    note = sub(e, "note")
    return as_int(e.get("target_iid") or note.get("noteable_iid"))


EVENT = View(
    at="created_at",
    action="action_name",
    repo="project_name",
    ref=lambda e: sub(e, "push_data").get("ref"),
    commits=lambda e: as_int(sub(e, "push_data").get("commit_count")),
    head=lambda e: sub(e, "push_data").get("commit_to"),
    target=lambda e: sub(e, "note").get("noteable_type") or e.get("target_type"),
    number=_target,
    title=lambda e: sub(e, "push_data").get("commit_title") or e.get("target_title"),
    body=lambda e: sub(e, "note").get("body"),
)


# GitCode pages a user's activity by a cursor, not by page numbers (ref): `year` picks a year, `next` (the end
# date the previous answer gave) reaches older events. Events come grouped by day; the agent gets one list.
@users.read(
    Example({"username": "alice"}, f"GET {USER_EVENTS}"),
    Example({"username": "bob", "year": 2026}, f"GET {USER_EVENTS}"),
)
async def list_user_events(
    username: str,
    ctx: Context,
    year: Number | None = None,
    next: Annotated[Text, Field(description="From the last answer, for older events")] | None = None,
) -> str:
    """List a user's activity (pushes, PRs, issues, comments), newest first."""
    if year is not None and not 2000 <= year <= 2100:
        raise InvalidArgument("year", f"{year} is not a year such as 2024")
    query = {"year": year, "next": next.strip() if next else None}
    reply = await gitcode(ctx).get(api_path(USER_EVENTS, username=username), query)
    data = reply.object()
    days = data.get("events")
    found = [e for day in days.values() if isinstance(day, list) for e in day] if isinstance(days, dict) else []
    found.sort(key=lambda e: str(e.get("created_at", "")) if isinstance(e, dict) else "", reverse=True)
    cursor = data.get("next") if found else None
    more = {"next": cursor} if cursor else {}
    return to_text({"has_more": bool(cursor), **more, "events": EVENT.many(found)})


# Sorting is newest-first by the chosen field; GitCode's `direction`, `type` and `affiliation` filters are left out
# of these lists to keep the default set's schemas small (visibility and search cover what agents ask for).
@users.read(
    Example({"username": "alice"}, f"GET {USER_REPOS}"),
    Example({"username": "bob", "sort": "updated", "per_page": 5}, f"GET {USER_REPOS}"),
)
async def list_user_repos(
    username: str, ctx: Context, sort: Sort | None = None, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List a user's public repositories."""
    return await get_page(ctx, USER_REPOS, REPOSITORY, page, per_page, {"sort": sort}, username=username)


@users.read(
    Example({}, f"GET {MY_REPOS}"),
    Example({"visibility": "private", "search": "sec", "sort": "created"}, f"GET {MY_REPOS}"),
)
async def list_my_repos(
    ctx: Context,
    visibility: Literal["all", "public", "private"] | None = None,
    search: str | None = None,
    sort: Sort | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List repositories you can access, private ones included."""
    q = search.strip() if search else None
    query = {"visibility": visibility, "q": q or None, "sort": sort}
    return await get_page(ctx, MY_REPOS, REPOSITORY, page, per_page, query)


@users.read(Example({}, f"GET {MY_STARRED}"))
async def list_starred_repos(ctx: Context, page: Page = 1, per_page: PerPage = 20) -> str:
    """List the repositories you starred."""
    return await get_page(ctx, MY_STARRED, REPOSITORY, page, per_page)


States = Literal["open", "closed", "merged", "all"]
# GitCode's scopes (ref): created by me (the default), assigned to me, waiting for my review or my approval.
SCOPES = {
    "created": "created_by_me",
    "assigned": "assigned_to_me",
    "review": "need_my_review",
    "approve": "need_my_approve",
}


@users.read(Example({}, f"GET {MY_PRS}"), Example({"scope": "review", "state": "all"}, f"GET {MY_PRS}"))
async def list_my_pull_requests(
    ctx: Context,
    scope: Literal["created", "assigned", "review", "approve"] | None = None,
    state: States = "open",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List pull requests you opened, or by scope must review, across repositories."""
    query = {"scope": SCOPES.get(scope or ""), "state": state}
    return await get_page(ctx, MY_PRS, ACROSS, page, per_page, query)


def repo_of(issue: Obj) -> Any:
    """owner/repo of an issue listed across repositories: `repository.full_name`, else its web URL's path."""
    name = sub(issue, "repository").get("full_name")
    if isinstance(name, str) and "/" in name:
        return name.replace(" ", "")  # the ref shows "owner / repo" in places
    parts = urlsplit(str(issue.get("html_url") or "")).path.strip("/").split("/")
    return "/".join(parts[:2]) if len(parts) >= 4 and parts[2] == "issues" else None


MY_ISSUE = View(repo=repo_of, **ISSUE_ITEM.fields)


# The description names the defaults (assigned to you, open ones): the schema need not repeat them on every turn.
def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


NO_DEFAULT = Field(json_schema_extra=_no_default)


@users.read(
    Example({}, f"GET {MY_ISSUES}"),
    Example({"org": "gitcode-mcp", "filter": "all", "state": "closed"}, f"GET {ORG_ISSUES}"),
)
async def list_my_issues(
    ctx: Context,
    org: str | None = None,
    filter: Annotated[Literal["assigned", "created", "all"], NO_DEFAULT] = "assigned",
    # The reference's parameters for both lists name `open` and `closed` only (one demo sends `all`): an `all` GitCode
    # ignored would list the open ones as if they were all (docs/gitcode-behaviour.md, Issues).
    state: Annotated[Literal["open", "closed"], NO_DEFAULT] = "open",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List issues assigned to you (or, by filter, created by you) across repos, or in one org."""
    query = {"filter": filter, "state": state}
    if org is None:
        return await get_page(ctx, MY_ISSUES, MY_ISSUE, page, per_page, query)
    return await get_page(ctx, ORG_ISSUES, MY_ISSUE, page, per_page, query, org=org)


# The PATCH answer names fields as the request does (ref): nickname, description, website; shown as get_user names
# them (name, bio, blog), so what is read can be written back.
UPDATED = View(
    login="login",
    name="nickname",
    bio="description",
    company="company",
    blog="website",
)
# Its web page is https://gitcode.com/<path>, and a name that only repeats the path says nothing.
NAMESPACE_VIEW = View(
    id=at("id", as_int),
    path="path",
    name=lambda n: n.get("name") if n.get("name") != n.get("path") else None,
    type="type",
)
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
