"""Search over the world as it is: what other tools created is found. The GitCode reference's search page
(docs.gitcode.com/docs/search): `q` required, per_page at most 50, page at most 100, best match first unless `sort`
(repositories: last_push_at, stars_count, forks_count; issues: created_at, last_push_at; users: joined_at) with
`order` (default desc); repositories filter by owner, language and fork (forks left out unless fork=true), issues
by repo (owner/name) and state. Answers are bare lists of the full objects (repositories as the repos area renders
them, issues with their repository nested), with the total_count / total_page headers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.responses import Response

from gitcode_mcp.endpoints import SEARCH_ISSUES, SEARCH_REPOSITORIES, SEARCH_USERS
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.issues import render_issue
from gitcode_mcp.sandbox.areas.repos.render import LANGUAGE_OF, render_repo
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import Issue, Repo, User

JOINED = "2025-06-01T00:00:00+08:00"


def terms(call: Call) -> list[str]:
    """The words of `q`, which the reference marks required; per_page and page within the search limits."""
    need_token(call)  # ref: access_token is required on every search endpoint
    q = call.query.get("q", "").strip().lower()
    if not q:
        raise Refusal(400, "q is required")
    try:
        too_far = int(call.query.get("per_page", "20")) > 50 or int(call.query.get("page", "1")) > 100
    except ValueError:
        raise Refusal(400, "page and per_page must be integers") from None
    if too_far:
        raise Refusal(400, "per_page must be at most 50 and page at most 100")
    return q.split()


def matches(words: list[str], *texts: str | None) -> int:
    """How well the texts match: 0 unless every word is in one of them; more for matches in the first text."""
    hay = [t.lower() for t in texts if t]
    if not all(any(w in t for t in hay) for w in words):
        return 0
    return 1 + sum(w in hay[0] for w in words) if hay else 0


def ordered(call: Call, found: list[tuple[int, Any]], sorts: dict[str, Callable[[Any], Any]]) -> list[Any]:
    """Best match first; or by a sort field (the reference's names), newest / largest first unless order=asc."""
    sort, order = call.query.get("sort"), call.query.get("order", "desc")
    if order not in ("asc", "desc"):
        raise Refusal(400, "order must be asc or desc")
    if sort is None:
        return [item for _, item in sorted(found, key=lambda f: -f[0])]
    if sort not in sorts:
        raise Refusal(400, f"sort must be one of [{', '.join(sorts)}]")
    return sorted((item for _, item in found), key=sorts[sort], reverse=order == "desc")


def language(repo: Repo) -> str | None:
    """The language of most bytes on the default branch, as the repos area's languages route counts them."""
    sizes: dict[str, int] = {}
    for path, raw in repo.branches.get(repo.default_branch, {}).items():
        if found := LANGUAGE_OF.get("." + path.rsplit(".", 1)[-1] if "." in path else ""):
            sizes[found] = sizes.get(found, 0) + len(raw)
    return max(sizes, key=lambda k: sizes[k]) if sizes else None


@route("GET", SEARCH_REPOSITORIES)
async def search_repositories(sb: Sandbox, call: Call) -> Response:
    words = terms(call)
    owner, lang = call.query.get("owner"), call.query.get("language")
    with_forks = call.query.get("fork", "false").lower() == "true"
    found = []
    for repo in sb.world.repos.values():
        if not access(sb.world, repo, call.caller).read or (repo.parent is not None and not with_forks):
            continue
        if (owner and repo.owner.login.lower() != owner.lower()) or (lang and language(repo) != lang):
            continue
        if score := matches(words, repo.name, repo.full_name, repo.description):
            found.append((score, repo))
    pushed: Callable[[Repo], Any] = lambda r: r.updated_at or r.created_at  # noqa: E731
    repos = ordered(
        call,
        found,
        {
            "last_push_at": pushed,
            "stars_count": lambda r: len(r.stargazers),
            "forks_count": lambda r: sum(x.parent is r for x in sb.world.repos.values()),
        },
    )
    return page(call, [render_repo(sb.world, r, call.caller) for r in repos])


@route("GET", SEARCH_ISSUES)
async def search_issues(sb: Sandbox, call: Call) -> Response:
    words = terms(call)
    scope, state = call.query.get("repo"), call.query.get("state")
    if state not in (None, "open", "closed"):
        raise Refusal(400, "state must be open or closed")
    found: list[tuple[int, tuple[Repo, Issue]]] = []
    for repo in sb.world.repos.values():
        if not access(sb.world, repo, call.caller).read or (
            scope and scope.lower() not in (repo.full_name.lower(), repo.name)
        ):
            continue
        for issue in repo.issues.values():
            if state and issue.state != state:
                continue
            if score := matches(words, issue.title, issue.body):
                found.append((score, (repo, issue)))
    hits = ordered(
        call,
        found,
        {
            "created_at": lambda ri: ri[1].created_at,
            "last_push_at": lambda ri: ri[1].updated_at or ri[1].created_at,
        },
    )
    return page(call, [search_issue(repo, issue) for repo, issue in hits])


def search_issue(repo: Repo, issue: Issue) -> dict[str, Any]:
    """An issue as search answers it (ref): its repository nested with the owner, `priority`, `parent_id`."""
    out = render_issue(repo, issue)
    out["repository"] = {
        **out["repository"],
        "human_name": f"{repo.owner.login} / {repo.name}",
        "url": repo.web_url,
        "owner": {**shapes.user(repo.owner), "type": "User"},
    }
    return {**out, "priority": 0, "parent_id": 0}


@route("GET", SEARCH_USERS)
async def search_users(sb: Sandbox, call: Call) -> Response:
    words = terms(call)
    found: list[tuple[int, User]] = [
        (score, u) for u in sb.world.users.values() if (score := matches(words, u.login, u.name))
    ]
    users = ordered(call, found, {"joined_at": lambda u: (JOINED, list(sb.world.users).index(u.login))})
    return page(call, [{**shapes.user(u), "created_at": JOINED} for u in users])
