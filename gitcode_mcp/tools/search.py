"""Search: repositories, issues and users across GitCode, one tool (the three endpoints share q, sort, order and
paging; the filters each one takes are refused on the others).

Evidence: the GitCode reference's search page (docs.gitcode.com/docs/search): `q` required; per_page at most 50 and
page at most 100; sort fields last_push_at / stars_count / forks_count (repositories), created_at / last_push_at
(issues), joined_at (users); order asc/desc; repositories filter by owner, fork and language, issues by repo and
state. Best match is the default order.
"""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import SEARCH_ISSUES, SEARCH_REPOSITORIES, SEARCH_USERS
from gitcode_mcp.errors import InvalidArgument, preview
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Page, PerPage, Text, get_page, payload
from gitcode_mcp.views import View, as_int, at, login, names, state, sub

search = Toolset("search", "Search GitCode for repositories, issues and users", default=True)

PATHS = {"repositories": SEARCH_REPOSITORIES, "issues": SEARCH_ISSUES, "users": SEARCH_USERS}
REPO_ITEM = View(
    full_name="full_name",
    description="description",
    language="language",
    stars=at("stargazers_count", as_int),
    forks=at("forks_count", as_int),
    fork=lambda r: r.get("fork") or None,
    private=lambda r: r.get("private") or None,
    pushed_at=lambda r: r.get("pushed_at") or r.get("updated_at"),
    url="web_url",
)
ISSUE_ITEM = View(
    repo=lambda i: sub(i, "repository").get("full_name"),
    number=at("number", as_int),
    title="title",
    state=at("state", state),
    author=at("user", login),
    labels=at("labels", names),
    comments=at("comments", as_int),
    updated_at="updated_at",
    url="html_url",
)
USER_ITEM = View(login="login", name="name", url="html_url")
VIEWS = {"repositories": REPO_ITEM, "issues": ISSUE_ITEM, "users": USER_ITEM}
# GitCode's sort field for each of our words, by kind.
SORTS = {
    "repositories": {"updated": "last_push_at", "stars": "stars_count", "forks": "forks_count"},
    "issues": {"created": "created_at", "updated": "last_push_at"},
    "users": {"joined": "joined_at"},
}
# The kind each filter belongs to (ref).
FILTERS = {"owner": "repositories", "language": "repositories", "repo": "issues", "state": "issues"}
Kind = Literal["repositories", "issues", "users"]
Sort = Literal["updated", "created", "stars", "forks", "joined"]


@search.read(
    Example({"q": "demo", "kind": "repositories"}, f"GET {SEARCH_REPOSITORIES}"),
    Example(
        {"q": "demo", "kind": "repositories", "owner": "alice", "language": "Markdown", "sort": "stars"},
        f"GET {SEARCH_REPOSITORIES}",
    ),
    Example({"q": "crash", "kind": "issues", "repo": "alice/demo", "state": "open"}, f"GET {SEARCH_ISSUES}"),
    Example({"q": "bo", "kind": "users", "sort": "joined"}, f"GET {SEARCH_USERS}"),
)
async def search_gitcode(
    q: Text,
    kind: Kind,
    ctx: Context,
    owner: str | None = None,
    language: str | None = None,
    repo: str | None = None,
    state: Literal["open", "closed"] | None = None,
    sort: Sort | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """Search repositories (by owner, language), issues (by repo owner/name, state) or users."""
    query: dict[str, Any] = {"q": q.strip()}
    filters = {"owner": owner, "language": language, "repo": repo, "state": state}
    for name, value in filters.items():
        if value is not None and FILTERS[name] != kind:
            raise InvalidArgument(name, f"filters {FILTERS[name]} only; leave it out when searching {kind}")
    if repo is not None and "/" not in repo:  # each part is checked as a name before the call (arguments.py)
        raise InvalidArgument("repo", f"{preview(repo)}: give owner/name, like alice/demo")
    if sort is not None:
        if sort not in SORTS[kind]:
            raise InvalidArgument("sort", f"{kind} sort by {', '.join(SORTS[kind])}")
        query["sort"] = SORTS[kind][sort]
    # The reference caps search pages: at most 50 items a page and page 100.
    if per_page > 50:
        raise InvalidArgument("per_page", "search answers at most 50 a page")
    if page > 100:
        raise InvalidArgument("page", "search answers at most 100 pages; narrow q instead")
    query |= payload(owner=owner, language=language, repo=repo, state=state)
    return await get_page(ctx, PATHS[kind], VIEWS[kind], page, per_page, query)
