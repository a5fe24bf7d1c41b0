"""The work of an enterprise's repositories: its issues (listed, read, searched), their statuses and extended
fields, and its pull requests."""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp.endpoints import (
    ENTERPRISE_ISSUE,
    ENTERPRISE_ISSUE_COMMENTS,
    ENTERPRISE_ISSUE_FIELDS,
    ENTERPRISE_ISSUE_LABELS,
    ENTERPRISE_ISSUE_PRS,
    ENTERPRISE_ISSUE_SEARCH,
    ENTERPRISE_ISSUE_STATUSES,
    ENTERPRISE_ISSUES,
    ENTERPRISE_PRS,
)
from gitcode_mcp.errors import GitCodeError
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, comma_list, get_page, gitcode, page_of, payload
from gitcode_mcp.tools.enterprise import ENT, ENT_ID, EnterpriseId, enterprises
from gitcode_mcp.tools.issues import ISSUE_ITEM, ISSUE_VIEW
from gitcode_mcp.tools.pulls.views import PR_ITEM
from gitcode_mcp.views import Obj, View, as_int, at, login, sub, to_text


def repository(item: Obj) -> object:
    """The repository an enterprise issue or pull request belongs to, as owner/name."""
    repo = sub(item, "repository") or sub(sub(item, "base"), "repo") or sub(item, "project")
    return repo.get("full_name") or repo.get("path_with_namespace")


ENT_ISSUE = View(repo=repository, **ISSUE_VIEW.fields)
ENT_ISSUE_ITEM = View(repo=repository, **ISSUE_ITEM.fields)
ENT_PULL = View(repo=repository, **PR_ITEM.fields)
COMMENT = View(id=at("id", as_int), author=at("user", login), body="body", created_at="created_at")
LABEL_ITEM = View(name="name", color="color")


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
    return to_text(LABEL_ITEM.many(reply.items()))


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


ISSUE_STATUS = View(name="name", description="desc")
FIELD = View(
    id=at("id", as_int),
    name="name",
    type="field_type",
    options=lambda f: [o.get("field_value") for o in f.get("options") or [] if isinstance(o, dict)],
    issue_types=lambda f: [t.get("name") for t in f.get("types") or [] if isinstance(t, dict)],
    description="description",
)


@enterprises.read(Example(ENT, f"GET {ENTERPRISE_ISSUE_STATUSES}"))
async def list_enterprise_issue_statuses(enterprise: str, ctx: Context) -> str:
    """List the issue statuses an enterprise's issues move through."""
    reply = await gitcode(ctx).get(api_path(ENTERPRISE_ISSUE_STATUSES, enterprise=enterprise))
    return to_text(ISSUE_STATUS.many(reply.items()))


@enterprises.read(Example(ENT_ID, f"GET {ENTERPRISE_ISSUE_FIELDS}"))
async def list_enterprise_issue_fields(
    enterprise_id: EnterpriseId, ctx: Context, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List an enterprise's extended (custom) issue fields: type, options, issue types."""
    return await get_page(ctx, ENTERPRISE_ISSUE_FIELDS, FIELD, page, per_page, enterprise_id=enterprise_id)


@enterprises.read(
    Example(ENT_ID, f"POST {ENTERPRISE_ISSUE_SEARCH}"),
    Example(
        {**ENT_ID, "search": "crash", "labels": ["bug"], "assignees": ["alice"]}, f"POST {ENTERPRISE_ISSUE_SEARCH}"
    ),
)
async def search_enterprise_issues(
    enterprise_id: EnterpriseId,
    ctx: Context,
    search: str | None = None,
    labels: list[str] | None = None,
    assignees: list[str] | None = None,
    states: Annotated[list[str], Field(description="list_enterprise_issue_statuses names")] | None = None,
    project_ids: list[Number] | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """Search an enterprise's issues by title, labels, assignees, statuses or projects, newest first."""
    # The filters travel in a POST body (AtomGit-MCP-Server getEnterpriseIssuesV8); labels a comma string, the rest
    # arrays. It reads and changes nothing.
    body = payload(
        page=page,
        per_page=per_page,
        search=search,
        labels=",".join(labels) if labels else None,
        assignees=assignees,
        issue_states=states,
        project_ids=project_ids,
        sort="created_at",
        direction="desc",
    )
    reply = await gitcode(ctx).request(
        "POST", api_path(ENTERPRISE_ISSUE_SEARCH, enterprise_id=enterprise_id), json=body
    )
    # The answer's shape is not documented: a list of issues, or an object holding them under `data`.
    data = reply.data.get("data") if isinstance(reply.data, dict) else reply.data
    return page_of(reply, ENT_ISSUE_ITEM.many(data if isinstance(data, list) else []), page, per_page)
