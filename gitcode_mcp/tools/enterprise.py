"""Enterprises (the v5 enterprise operations): members and their roles, and the issues and pull requests of the
enterprise's repositories, each with the repository it belongs to.

Each has a page in GitCode's reference (get-api-v-5-enterprises-enterprise-members and its siblings; the AtomGit MCP
server's docs/apis_url.json maps the same slugs, and that server calls them). The fields: member `role` (admin,
developer, viewer), issue lists by `state, labels, assignee`, pull request lists by `state`, newest first, as the
gitcode-api package (1.3.4) and AtomGit-MCP-Server send them (the rarely used sort orders and the `issue_number` and
role filters are left out: bytes every agent reads on every turn). The gitcode-api package also sends a `repo` filter
to the pull request list, Gitee v5's; AtomGit-MCP-Server, which follows the reference, sends none, so none is sent
(docs/gitcode-behaviour.md, Enterprises). An issue's comments and linked pull requests are read by its `number`, its
labels by its `id` (`.../issues/{issue_id}/labels`): get_enterprise_issue takes the number and finds the id itself."""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    ENTERPRISE_ISSUE,
    ENTERPRISE_ISSUE_COMMENTS,
    ENTERPRISE_ISSUE_LABELS,
    ENTERPRISE_ISSUE_PRS,
    ENTERPRISE_ISSUES,
    ENTERPRISE_MEMBER,
    ENTERPRISE_MEMBERS,
    ENTERPRISE_PRS,
)
from gitcode_mcp.errors import GitCodeError
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import FULL_PAGE, Number, Page, PerPage, comma_list, get_page, gitcode, payload
from gitcode_mcp.tools.issues import ISSUE_ITEM, ISSUE_VIEW
from gitcode_mcp.tools.pulls import PR_ITEM
from gitcode_mcp.views import Obj, View, as_int, at, login, sub, to_text

enterprises = Toolset("enterprise", "Enterprise members and roles; the enterprise's issues and pull requests")

ENT = {"enterprise": "gitcode-ent"}  # seeded by the simulator

Role = Literal["admin", "developer", "viewer"]


def repository(item: Obj) -> object:
    """The repository an enterprise issue or pull request belongs to, as owner/name."""
    repo = sub(item, "repository") or sub(sub(item, "base"), "repo") or sub(item, "project")
    return repo.get("full_name") or repo.get("path_with_namespace")


MEMBER_VIEW = View(login=login, name="name", role="role")
ENT_ISSUE = View(repo=repository, **ISSUE_VIEW.fields)
ENT_ISSUE_ITEM = View(repo=repository, **ISSUE_ITEM.fields)
ENT_PULL = View(repo=repository, **PR_ITEM.fields)
COMMENT = View(id=at("id", as_int), author=at("user", login), body="body", created_at="created_at")
LABEL = View(name="name", color="color")


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_MEMBERS}"), Example({**ENT, "username": "bob"}, f"GET {ENTERPRISE_MEMBER}")
)
async def list_enterprise_members(
    enterprise: str,
    ctx: Context,
    username: str | None = None,
    page: Page = 1,
) -> str:
    """List an enterprise's members and roles, or get one member."""
    if username is None:
        return await get_page(ctx, ENTERPRISE_MEMBERS, MEMBER_VIEW, page, FULL_PAGE, enterprise=enterprise)
    reply = await gitcode(ctx).get(
        api_path(ENTERPRISE_MEMBER, enterprise=enterprise, username=username),
        hints={404: f"{username} is not a member of {enterprise}, or there is no such enterprise"},
    )
    return to_text(MEMBER_VIEW(reply.object()))


@enterprises.write(Example({**ENT, "username": "bob", "role": "viewer"}, f"PUT {ENTERPRISE_MEMBER}"), idempotent=True)
async def set_enterprise_member_role(enterprise: str, username: str, role: Role, ctx: Context) -> str:
    """Change an enterprise member's role."""
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(ENTERPRISE_MEMBER, enterprise=enterprise, username=username),
        json={"role": role},
        hints={
            403: "only the enterprise's admins may change roles",
            404: f"{username} is not a member of {enterprise}, or there is no such enterprise",
        },
    )
    return to_text(MEMBER_VIEW(reply.object()))


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_ISSUES}"),
    Example({**ENT, "state": "all", "labels": ["bug"], "assignee": "alice"}, f"GET {ENTERPRISE_ISSUES}"),
)
async def list_enterprise_issues(
    enterprise: str,
    ctx: Context,
    state: Literal["open", "closed", "all"] = "open",
    labels: list[str] | None = None,
    assignee: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an enterprise's issues, newest first, without bodies."""
    query = payload(state=state, labels=comma_list("labels", labels), assignee=assignee)
    return await get_page(ctx, ENTERPRISE_ISSUES, ENT_ISSUE_ITEM, page, per_page, query, enterprise=enterprise)


@enterprises.read(
    Example({**ENT, "number": 1}, f"GET {ENTERPRISE_ISSUE}"),
    Example({**ENT, "number": 1, "part": "comments"}, f"GET {ENTERPRISE_ISSUE_COMMENTS}"),
    Example({**ENT, "number": 1, "part": "labels"}, f"GET {ENTERPRISE_ISSUE}", f"GET {ENTERPRISE_ISSUE_LABELS}"),
    Example({**ENT, "number": 1, "part": "pull_requests"}, f"GET {ENTERPRISE_ISSUE_PRS}"),
)
async def get_enterprise_issue(
    enterprise: str,
    number: Number,
    ctx: Context,
    part: Literal["issue", "comments", "labels", "pull_requests"] = "issue",
    page: Page = 1,
) -> str:
    """Get an enterprise issue, or its comments, labels or linked pull requests."""
    client = gitcode(ctx)
    if part == "comments":
        return await get_page(ctx, ENTERPRISE_ISSUE_COMMENTS, COMMENT, page, 50, enterprise=enterprise, number=number)
    if part == "pull_requests":
        reply = await client.get(api_path(ENTERPRISE_ISSUE_PRS, enterprise=enterprise, number=number))
        return to_text(ENT_PULL.many(reply.items()))
    issue = (await client.get(api_path(ENTERPRISE_ISSUE, enterprise=enterprise, number=number))).object()
    if part == "issue":
        return to_text(ENT_ISSUE(issue))
    # The labels endpoint takes the issue's id, not its number.
    issue_id = as_int(issue.get("id"))
    if not isinstance(issue_id, int):
        raise GitCodeError(None, f"GitCode's answer for issue {number} carries no id", "ask for part=issue instead")
    reply = await client.get(api_path(ENTERPRISE_ISSUE_LABELS, enterprise=enterprise, issue_id=issue_id))
    return to_text(LABEL.many(reply.items()))


@enterprises.read(
    Example(ENT, f"GET {ENTERPRISE_PRS}"),
    Example({**ENT, "state": "all"}, f"GET {ENTERPRISE_PRS}"),
)
async def list_enterprise_pull_requests(
    enterprise: str,
    ctx: Context,
    state: Literal["open", "closed", "merged", "all"] = "open",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an enterprise's pull requests, newest first, each with its repository."""
    return await get_page(ctx, ENTERPRISE_PRS, ENT_PULL, page, per_page, {"state": state}, enterprise=enterprise)
