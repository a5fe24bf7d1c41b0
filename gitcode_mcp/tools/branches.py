"""Branches: list, read, create (from a branch, tag or commit) and delete them (their protection rules are the
`branch_protection` toolset's).

A branch name may contain '/' (`release/1.0`): api_path sends it percent-encoded in its one path segment, as GitCode's
reference declares `branch`, `name` and `wildcard`: single path parameters (a third-party Chinese summary of the API
adds that the wildcard must be URL-encoded, `quote(wildcard, safe='')`; no live answer is recorded).
"""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import BRANCH, BRANCHES
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Page, PerPage, Text, get_page, gitcode
from gitcode_mcp.views import Obj, View, sub, to_text

branches = Toolset("branches", "Create, read and delete branches", default=True)

DEMO = {"owner": "alice", "repo": "demo"}


def is_set(value: Any) -> bool:
    return value is True or value == 1


def _protected(b: Obj) -> Any:
    return True if is_set(b.get("protected")) else None


BRANCH_ITEM = View(
    name="name",
    sha=lambda b: sub(b, "commit").get("sha"),
    protected=_protected,
    updated_at=lambda b: sub(sub(sub(b, "commit"), "commit"), "committer").get("date"),
)
BRANCH_VIEW = View(
    name="name",
    sha=lambda b: sub(b, "commit").get("id") or sub(b, "commit").get("sha"),
    title=lambda b: sub(b, "commit").get("title"),
    author=lambda b: sub(b, "commit").get("author_name"),
    date=lambda b: sub(b, "commit").get("committed_date"),
    parents=lambda b: sub(b, "commit").get("parent_ids"),
    default=lambda b: True if is_set(b.get("default")) else None,
    protected=_protected,
    merged=lambda b: True if is_set(b.get("merged")) else None,
    can_push=lambda b: is_set(b.get("can_push")),
)


@branches.read(
    Example(DEMO, f"GET {BRANCHES}"),
    Example({**DEMO, "per_page": 2}, f"GET {BRANCHES}"),
    Example({**DEMO, "branch": "feature"}, f"GET {BRANCH}"),
)
async def list_branches(
    owner: str, repo: str, ctx: Context, branch: str | None = None, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List branches, or get one (branch): head commit, protected, default, merged."""
    if branch is not None:
        reply = await gitcode(ctx).get(api_path(BRANCH, owner=owner, repo=repo, branch=branch))
        return to_text(BRANCH_VIEW(reply.object()))
    # ref: `sort` (name/updated) and `direction` are left out: each item carries its head's date.
    return await get_page(ctx, BRANCHES, BRANCH_ITEM, page, per_page, owner=owner, repo=repo)


@branches.write(
    Example({**DEMO, "branch": "release/1.0", "ref": "main"}, f"POST {BRANCHES}"),
    Example({**DEMO, "branch": "hotfix", "ref": "feature"}, f"POST {BRANCHES}"),
)
async def create_branch(owner: str, repo: str, branch: Text, ref: str, ctx: Context) -> str:
    """Create a branch from a branch, tag or commit."""
    # ref and the gitcode-api package: the new name as `branch_name`, the start point as `refs`.
    reply = await gitcode(ctx).request(
        "POST",
        api_path(BRANCHES, owner=owner, repo=repo),
        json={"branch_name": branch, "refs": ref},
        hints={400: "the branch may exist already, its name may be invalid, or ref names no branch, tag or commit"},
    )
    return to_text(BRANCH_ITEM(reply.object()))


@branches.destructive(Example({**DEMO, "branch": "docs"}, f"DELETE {BRANCH}"))
async def delete_branch(owner: str, repo: str, branch: str, ctx: Context) -> str:
    """Delete a branch; cannot be undone. Protected ones are refused."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(BRANCH, owner=owner, repo=repo, branch=branch),
        hints={400: "a protected or default branch cannot be deleted; see list_branch_protections"},
    )
    return to_text({"deleted": branch})
