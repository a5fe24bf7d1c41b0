"""The `links` toolset: the issues linked to a pull request, linked or unlinked; the pull requests and branches linked
to an issue, and its branches set."""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    ISSUE_BRANCHES,
    ISSUE_PRS,
    PR_ISSUES,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import MAX_SEGMENT, api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, gitcode
from gitcode_mcp.tools.issues import ISSUE_1
from gitcode_mcp.tools.pulls import PR_1, PR_2
from gitcode_mcp.tools.pulls.views import PR_ITEM
from gitcode_mcp.views import View, as_int, at, state, to_text

links = Toolset("links", "The issues linked to a pull request; the pull requests and branches linked to an issue")

ISSUE_LINK = View(number=at("number", as_int), title="title", state=at("state", state), url="html_url")


@links.read(Example(PR_1, f"GET {PR_ISSUES}"))
async def list_pull_request_issues(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """List the issues linked to a pull request."""
    reply = await gitcode(ctx).get(api_path(PR_ISSUES, owner=owner, repo=repo, number=number))
    return to_text({"linked": ISSUE_LINK.many(reply.items())})


@links.destructive(
    Example({**PR_2, "issues": [1, 2]}, f"POST {PR_ISSUES}"),
    Example({**PR_1, "issues": [1], "action": "unlink"}, f"DELETE {PR_ISSUES}", f"GET {PR_ISSUES}"),
    idempotent=True,
    asks=lambda a: a.get("action") == "unlink",  # linking takes nothing away
)
async def link_pull_request_issues(
    owner: str,
    repo: str,
    number: Number,
    issues: list[Number],
    ctx: Context,
    action: Literal["link", "unlink"] = "link",
) -> str:
    """Link issues (by number) to a pull request, or unlink them."""
    if not issues:
        raise InvalidArgument("issues", "give at least one issue number")
    path = api_path(PR_ISSUES, owner=owner, repo=repo, number=number)
    # probe: the body is a raw JSON array of issue numbers (`[12]`), not an object; linking again is harmless.
    reply = await gitcode(ctx).request(
        "POST" if action == "link" else "DELETE",
        path,
        json=list(dict.fromkeys(issues)),
        hints={404: "an issue number does not exist in this repository (numbers, as in #12, not ids)"},
    )
    # The link answer is the linked issues (probe); what DELETE answers is not documented plainly: read them back.
    items = reply.data if action == "link" and isinstance(reply.data, list) else (await gitcode(ctx).get(path)).items()
    return to_text({"linked": ISSUE_LINK.many(items)})


@links.read(Example(ISSUE_1, f"GET {ISSUE_PRS}", f"GET {ISSUE_BRANCHES}"))
async def list_issue_links(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """List the pull requests and branches linked to an issue."""
    client = gitcode(ctx)
    where = {"owner": owner, "repo": repo, "number": number}
    pulls = (await client.get(api_path(ISSUE_PRS, **where))).items()
    branches = (await client.get(api_path(ISSUE_BRANCHES, **where))).items()
    return to_text({"pull_requests": PR_ITEM.many(pulls), "branches": [b for b in branches if isinstance(b, str)]})


@links.destructive(Example({**ISSUE_1, "branches": ["feature", "docs"]}, f"PUT {ISSUE_BRANCHES}"), idempotent=True)
async def set_issue_branches(owner: str, repo: str, number: Number, branches: list[str], ctx: Context) -> str:
    """Link branches to an issue (replaces the list)."""
    names = list(dict.fromkeys(b.strip() for b in branches))
    if bad := [b for b in names if not b or len(b) > MAX_SEGMENT]:
        raise InvalidArgument("branches", f"{bad[0][:40]!r} is not a branch name")
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(ISSUE_BRANCHES, owner=owner, repo=repo, number=number),
        json={"branch_names": names},  # ref: a JSON array, not a comma string
        hints={404: "each branch must exist in the repository", 400: "each branch must exist in the repository"},
    )
    linked = reply.data if isinstance(reply.data, list) else names
    return to_text({"number": number, "branches": linked})
