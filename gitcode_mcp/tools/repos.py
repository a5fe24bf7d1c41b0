"""Repositories: read one, create one (personal or in an organisation), fork one, and who works on it.

Evidence: the reference's Users page (#6 create, #8 get) and Repositories page (section numbers in the comments);
docs/gitcode-behaviour.md says which pages those are.
REPOSITORY is the one full view of a repository; other areas' lists may use it or a shorter one of their own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from mcp.server.mcpserver import Context

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
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import FULL_PAGE, Page, PerPage, get_page, gitcode, payload
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, sub, to_text

repos = Toolset("repos", "Find, create and fork repositories; who works on them")


DEMO = {"owner": "alice", "repo": "demo"}


def web_url(r: Obj) -> Any:
    return r.get("html_url") or r.get("web_url")


def display_name(r: Obj) -> Any:
    """`name` only where it says more than the path (live names may differ from paths: ref, Users page #8)."""
    name = r.get("name")
    return name if name and name not in (r.get("path"), str(r.get("full_name", "")).rsplit("/", 1)[-1]) else None


def parent(r: Obj) -> Any:
    return sub(r, "parent").get("full_name") or r.get("parentfull_name")


def access(r: Obj) -> Any:
    """The caller's highest permission (`permission` {pull, push, admin}: ref, Users page #5)."""
    granted = sub(r, "permission")
    return next((level for level in ("admin", "push", "pull") if granted.get(level) is True), None)


def homepage(r: Obj) -> Any:
    # GitCode fills `homepage` with the web URL when none is set (ref, Users page #5): only a real one is shown.
    return r.get("homepage") if r.get("homepage") not in (None, "", web_url(r)) else None


REPOSITORY = View(
    id=at("id", as_int),
    full_name="full_name",
    name=display_name,
    description="description",
    private="private",
    parent=parent,
    default_branch="default_branch",
    stars=at("stargazers_count", as_int),
    forks=at("forks_count", as_int),
    watchers=at("watchers_count", as_int),
    open_issues=at("open_issues_count", as_int),
    license="license",
    homepage=homepage,
    permission=access,
    created_at="created_at",
    updated_at="updated_at",
    pushed_at="pushed_at",
    url=web_url,
)
FORK = View(
    full_name="full_name",
    owner=at("owner", login),
    description="description",
    private="private",
    stars=at("stargazers_count", as_int),
    created_at="created_at",
    pushed_at="pushed_at",
    url=web_url,
)
CONTRIBUTOR = View(name="name", email="email", commits=at("contributions", as_int))
WATCHER = View(login="login", name="name", watched_at="watch_at")
STARGAZER = View(login="login", name="name", starred_at="starred_at")
ROLE = View(
    id="role_id",
    name="role_name",
    description="role_description",
    access_level=at("access_level", as_int),
    members=at("member_count", as_int),
    type="role_type",
)


def _target(e: Obj) -> Obj | None:
    return drop_empty({"type": e.get("target_type"), "number": as_int(e.get("target_iid"))}) or None


EVENT = View(
    action="action_name",
    author=lambda e: e.get("author_username") or login(e.get("author")),
    created_at="created_at",
    target=_target,
    title="title",
    ref=lambda e: sub(e, "push_data").get("ref"),
    commits=lambda e: as_int(sub(e, "push_data").get("commit_count")),
    commit_title=lambda e: sub(e, "push_data").get("commit_title"),
)


def _contributor_totals(c: Obj) -> Obj:
    overview = sub(c, "overview")
    days = [str(d["date"]) for d in c.get("contributions") or [] if isinstance(d, dict) and d.get("date")]
    return drop_empty(
        {
            "name": c.get("name"),
            "email": c.get("email"),
            "commits": as_int(overview.get("commit_count")),
            "additions": as_int(overview.get("additions")),
            "deletions": as_int(overview.get("deletions")),
            "first_day": min(days, default=None),
            "last_day": max(days, default=None),
        }
    )


# --- read one, create, fork -----------------------------------------------------------------------------------


@repos.read(Example(DEMO, f"GET {REPO}"))
async def get_repository(owner: str, repo: str, ctx: Context) -> str:
    """Get a repository: visibility, default branch, counts, parent, your permission."""
    reply = await gitcode(ctx).get(api_path(REPO, owner=owner, repo=repo))
    return to_text(REPOSITORY(reply.object()))


async def _create(
    ctx: Context,
    where: str,
    name: str,
    description: str | None,
    private: bool,
    auto_init: bool,
    hints: dict[int, str] | None = None,
) -> str:
    # The name is sent as both `name` and `path` (as the reference's demo does: ref, Users page #6), so the repository
    # lives at <owner>/<name>. A write is never retried; a 409 means it exists.
    reply = await gitcode(ctx).request(
        "POST",
        where,
        json=payload(
            name=check_name("name", name),
            path=name,
            description=description,
            private=private,
            auto_init=auto_init,
        ),
        hints={
            409: "a repository with that name exists there already: read it with get_repository, or pick another",
            **(hints or {}),
        },
    )
    return to_text(REPOSITORY(reply.object()))


@repos.write(Example({"name": "notes", "description": "Scratch notes", "auto_init": True}, f"POST {MY_REPOS}"))
async def create_repository(
    name: str,
    ctx: Context,
    description: str | None = None,
    private: bool = True,
    auto_init: bool = False,
) -> str:
    """Create a repository in your own account."""
    return await _create(ctx, MY_REPOS, name, description, private, auto_init)


@repos.write(Example({"org": "gitcode-mcp", "name": "tools"}, f"POST {ORG_REPOS}"))
async def create_org_repository(
    org: str,
    name: str,
    ctx: Context,
    description: str | None = None,
    private: bool = True,
    auto_init: bool = False,
) -> str:
    """Create a repository in an organisation you are a member of."""
    return await _create(
        ctx,
        api_path(ORG_REPOS, org=org),
        name,
        description,
        private,
        auto_init,
        {
            404: "no organisation has that path (as in https://gitcode.com/<org>)",
            403: "only members of the organisation may create repositories in it",
        },
    )


@repos.write(
    Example({"owner": "gitcode-mcp", "repo": "handbook"}, f"POST {REPO_FORKS}"),
    Example({**DEMO, "organization": "gitcode-mcp", "name": "demo-fork"}, f"POST {REPO_FORKS}"),
)
async def fork_repository(
    owner: str,
    repo: str,
    ctx: Context,
    organization: str | None = None,
    name: str | None = None,
) -> str:
    """Fork a repository to your account or an organisation."""
    where = api_path(REPO_FORKS, owner=owner, repo=repo)
    # 02 #21 takes `organization`, `name` and `path`; `path` (where the fork lives) defaults to the source's, so
    # a new name is sent as both. (The gitcode-api SDK sends `namespace`; the reference says `organization`.)
    if name is not None:
        check_name("name", name)
    reply = await gitcode(ctx).request(
        "POST",
        where,
        json=payload(
            organization=check_name("organization", organization) if organization is not None else None,
            name=name,
            path=name,
        ),
        hints={
            409: "a repository with that path exists in the target already (perhaps an earlier fork): "
            "read it with get_repository, or pass name",
            403: "you may fork only into an organisation you are a member of",
            404: "the source repository is not there (or is private to you), or the organisation does not exist",
        },
    )
    fork = REPOSITORY(reply.object())
    # The answer is sparse (02 #21): id, full_name, namespace. Say where it came from.
    return to_text({**fork, "parent": f"{owner}/{repo}"})


# --- lists and statistics -------------------------------------------------------------------------------------


@repos.read(Example(DEMO, f"GET {REPO_FORKS}"))
async def list_forks(
    owner: str,
    repo: str,
    ctx: Context,
    page: Page = 1,
) -> str:
    """List a repository's forks, newest first."""
    return await get_page(ctx, REPO_FORKS, FORK, page, FULL_PAGE, owner=owner, repo=repo)


@repos.read(Example(DEMO, f"GET {REPO_LANGUAGES}"))
async def list_languages(owner: str, repo: str, ctx: Context) -> str:
    """A repository's languages, in percent."""
    reply = await gitcode(ctx).get(api_path(REPO_LANGUAGES, owner=owner, repo=repo))
    shares = {str(k): v for k, v in reply.object().items()}
    return to_text(dict(sorted(shares.items(), key=lambda kv: -kv[1] if isinstance(kv[1], int | float) else 0)))


# 02 #9 also takes type=committers|authors; the default answer is what an agent wants, so it is not offered.
@repos.read(Example(DEMO, f"GET {REPO_CONTRIBUTORS}"))
async def list_contributors(owner: str, repo: str, ctx: Context) -> str:
    """List a repository's committers and their commit counts."""
    reply = await gitcode(ctx).get(api_path(REPO_CONTRIBUTORS, owner=owner, repo=repo))
    return to_text(CONTRIBUTOR.many(reply.items()))


@repos.read(
    Example(DEMO, f"GET {REPO_CONTRIBUTOR_STATISTICS}"),
    Example({**DEMO, "author": "alice", "since": "2026-11-19"}, f"GET {REPO_CONTRIBUTOR_STATISTICS}"),
)
async def get_contributor_statistics(
    owner: str,
    repo: str,
    ctx: Context,
    author: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> str:
    """Commits and lines added/deleted per contributor."""
    query = {"author": author, "since": since and since.isoformat(), "until": until and until.isoformat()}
    reply = await gitcode(ctx).get(api_path(REPO_CONTRIBUTOR_STATISTICS, owner=owner, repo=repo), query)
    return to_text([_contributor_totals(c) for c in reply.items() if isinstance(c, dict)])


@repos.read(Example(DEMO, f"GET {REPO_EVENTS}"), Example({**DEMO, "per_page": 2}, f"GET {REPO_EVENTS}"))
async def list_repo_events(owner: str, repo: str, ctx: Context, page: Page = 1, per_page: PerPage = 20) -> str:
    """A repository's activity, newest first."""
    reply = await gitcode(ctx).get(api_path(REPO_EVENTS, owner=owner, repo=repo), {"page": page, "per_page": per_page})
    # 02 #38: the page is an object, {"events": [...], "has_next_page": bool}, not a list with total headers.
    if isinstance(reply.data, list):
        items, more = reply.data, None
    else:
        answer = reply.object()
        items, more = answer.get("events") or [], answer.get("has_next_page")
    if not isinstance(more, bool):
        more = reply.has_more(page, per_page, len(items))
    return to_text({"page": page, "has_more": more, "items": EVENT.many(items)})


@repos.read(Example(DEMO, f"GET {REPO_WATCHERS}"))
async def list_watchers(owner: str, repo: str, ctx: Context, page: Page = 1) -> str:
    """List who watches a repository."""
    return await get_page(ctx, REPO_WATCHERS, WATCHER, page, FULL_PAGE, owner=owner, repo=repo)


@repos.read(Example(DEMO, f"GET {REPO_STARGAZERS}"))
async def list_stargazers(owner: str, repo: str, ctx: Context, page: Page = 1) -> str:
    """List who starred a repository."""
    return await get_page(ctx, REPO_STARGAZERS, STARGAZER, page, FULL_PAGE, owner=owner, repo=repo)


@repos.read(
    Example(DEMO, f"GET {REPO_DOWNLOAD_STATISTICS}"),
    Example({**DEMO, "start_date": "2026-01-01", "end_date": "2026-01-31"}, f"GET {REPO_DOWNLOAD_STATISTICS}"),
)
async def get_download_statistics(
    owner: str, repo: str, ctx: Context, start_date: date | None = None, end_date: date | None = None
) -> str:
    """A repository's downloads per day, and all-time."""
    query = {"start_date": start_date and start_date.isoformat(), "end_date": end_date and end_date.isoformat()}
    answer = (await gitcode(ctx).get(api_path(REPO_DOWNLOAD_STATISTICS, owner=owner, repo=repo), query)).object()
    detail = [d for d in answer.get("download_statistics_detail") or [] if isinstance(d, dict) and d.get("pdate")]
    dates = sorted(str(d["pdate"]) for d in detail)
    # Each day carries its own count and a running total (02 #35): only the days with downloads are kept.
    days = {str(d["pdate"]): as_int(d.get("today_dl_cnt")) for d in detail if as_int(d.get("today_dl_cnt"))}
    return to_text(
        drop_empty(
            {
                "from": dates[0] if dates else None,
                "to": dates[-1] if dates else None,
                "downloads": as_int(answer.get("download_statistics_total")),
                "all_time": as_int(answer.get("download_statistics_history_total")),
                "days": dict(sorted(days.items())),
            }
        )
    )


@repos.read(Example(DEMO, f"GET {REPO_CUSTOM_ROLES}"))
async def list_custom_roles(owner: str, repo: str, ctx: Context) -> str:
    """List a repository's custom member roles."""
    reply = await gitcode(ctx).get(api_path(REPO_CUSTOM_ROLES, owner=owner, repo=repo))
    return to_text(ROLE.many(reply.items()))
