"""The work of an enterprise's repositories: issues listed, read and searched, their statuses and fields, PRs."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

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
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.enterprise.members import member_enterprise, v8_enterprise
from gitcode_mcp.sandbox.areas.enterprise.state import repos_of
from gitcode_mcp.sandbox.areas.issues import render_comment, render_issue
from gitcode_mcp.sandbox.areas.pulls.render import list_item
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, page, route, string_list
from gitcode_mcp.sandbox.state import WEB, Enterprise, Issue, Repo


def render_enterprise_issue(ent: Enterprise, repo: Repo, issue: Issue) -> dict[str, Any]:
    return {
        **render_issue(repo, issue),
        "enterprise": {
            "id": ent.number,
            "path": ent.login,
            "html_url": f"{WEB}/{ent.login}",
            "type": "enterprise",
        },
        "program": None,
    }


def work(sb: Sandbox, call: Call) -> tuple[Enterprise, list[tuple[Repo, Issue]]]:
    ent, user = member_enterprise(sb, call)
    return ent, [(r, i) for r in repos_of(sb, ent, user) for i in r.issues.values()]


def find_issue(sb: Sandbox, call: Call) -> tuple[Enterprise, Repo, Issue]:
    ent, found = work(sb, call)
    if "number" in call.params:
        match = [(r, i) for r, i in found if i.number == call.params["number"]]
    else:
        match = [(r, i) for r, i in found if i.id == call.params["issue_id"]]
    if not match:
        raise Refusal(404, "Not Found Issue")
    return ent, *match[0]


@route("GET", ENTERPRISE_ISSUES)
async def list_issues(sb: Sandbox, call: Call) -> Response:
    ent, found = work(sb, call)
    q = call.query
    state = q.get("state", "open")
    if state not in ("open", "closed", "all"):
        raise Refusal(400, "state must be one of open, closed, all")
    labels = set(string_list(dict(q), "labels"))
    found = [
        (r, i)
        for r, i in found
        if state in ("all", i.state)
        and labels <= set(i.labels)
        and q.get("creator") in (None, i.user.login)
        and q.get("assignee") in (None, *(a.login for a in i.assignees))
        and (i.updated_at or i.created_at) >= q.get("since", "")
    ]
    found = sort_by(call, found, lambda ri: ri[1].created_at, lambda ri: ri[1].updated_at or ri[1].created_at)
    return page(call, [render_enterprise_issue(ent, r, i) for r, i in found])


def sort_by(call: Call, items: list[Any], created: Any, updated: Any) -> list[Any]:
    """Sorted by `sort` (created | updated, Gitee v5) in `direction` (asc | desc), newest first by default."""
    sort, direction = call.query.get("sort", "created"), call.query.get("direction", "desc")
    if sort not in ("created", "updated", "created_at", "updated_at"):
        raise Refusal(400, "sort must be one of created, updated")
    if direction not in ("asc", "desc"):
        raise Refusal(400, "direction must be one of asc, desc")
    return sorted(items, key=created if sort.startswith("created") else updated, reverse=direction == "desc")


@route("GET", ENTERPRISE_ISSUE)
async def get_issue(sb: Sandbox, call: Call) -> Response:
    ent, repo, issue = find_issue(sb, call)
    return JSONResponse(render_enterprise_issue(ent, repo, issue))


@route("GET", ENTERPRISE_ISSUE_COMMENTS)
async def issue_comments(sb: Sandbox, call: Call) -> Response:
    _, repo, issue = find_issue(sb, call)
    return page(call, [render_comment(repo, issue, c) for c in issue.comments])


@route("GET", ENTERPRISE_ISSUE_LABELS)
async def issue_labels(sb: Sandbox, call: Call) -> Response:
    _, repo, issue = find_issue(sb, call)
    return JSONResponse([shapes.label(repo, name) for name in issue.labels])


@route("GET", ENTERPRISE_ISSUE_PRS)
async def issue_pulls(sb: Sandbox, call: Call) -> Response:
    ent, _, issue = find_issue(sb, call)
    linked = [(sb.world.repos.get(full), n) for full, n in ent.links.get(issue.id, [])]
    return JSONResponse([list_item(sb, r, r.pulls[n]) for r, n in linked if r is not None and n in r.pulls])


@route("GET", ENTERPRISE_PRS)
async def list_pulls(sb: Sandbox, call: Call) -> Response:
    ent, user = member_enterprise(sb, call)
    q = call.query
    state = q.get("state", "open")
    if state not in ("open", "closed", "merged", "all"):
        raise Refusal(400, "state must be one of open, closed, merged, all")
    linked: set[tuple[str, int]] | None = None
    if (number := q.get("issue_number")) is not None:
        issues = [i for r in repos_of(sb, ent, user) for i in r.issues.values() if str(i.number) == number]
        linked = {link for i in issues for link in ent.links.get(i.id, [])}
    found = [
        (r, pr)
        for r in repos_of(sb, ent, user)  # no `repo` filter: the reference documents none (a sent one is ignored)
        for pr in r.pulls.values()
        if state in ("all", pr.state) and (linked is None or (r.full_name, pr.number) in linked)
    ]
    found = sort_by(call, found, lambda rp: rp[1].created_at, lambda rp: rp[1].updated_at or rp[1].created_at)
    return page(call, [list_item(sb, r, pr) for r, pr in found])


STATUSES = [("待办的", "Not started"), ("进行中", "In progress"), ("已完成", "Done"), ("已拒绝", "Rejected")]


@route("GET", ENTERPRISE_ISSUE_STATUSES)
async def issue_statuses(sb: Sandbox, call: Call) -> Response:
    v8_enterprise(sb, call)
    return JSONResponse([{"name": name, "desc": desc} for name, desc in STATUSES])


@route("GET", ENTERPRISE_ISSUE_FIELDS)
async def issue_fields(sb: Sandbox, call: Call) -> Response:
    v8_enterprise(sb, call)
    requirement = {"desc": "", "enabled": True, "id": 425, "kind": 0, "name": "requirement", "sort_num": 1}
    options = [
        {
            "created_time": "2026-10-01T09:00:00+08:00",
            "extend_field_id": 48,
            "field_value": v,
            "id": 51 + i,
            "sort_num": 9999,
        }
        for i, v in enumerate(("P0", "P1", "P2"))
    ]
    fields = [
        {
            "created_time": "2026-10-01T09:00:00+08:00",
            "description": "How urgent",
            "field_type": "select_single",
            "field_visibility": 1,
            "id": 48,
            "name": "Priority",
            "options": [{**o, "updated_time": o["created_time"]} for o in options],
            "types": [requirement],
            "updated_time": "2026-10-01T09:00:00+08:00",
        },
        {
            "created_time": "2026-10-02T09:00:00+08:00",
            "description": "",
            "field_type": "text_single",
            "field_visibility": 0,
            "id": 49,
            "name": "Customer",
            "types": [],
            "updated_time": "2026-10-02T09:00:00+08:00",
        },
    ]
    return page(call, fields)


def body_list(body: dict[str, Any], key: str) -> list[Any] | None:
    value = body.get(key)
    if value is not None and not isinstance(value, list):
        raise Refusal(400, f"{key} must be an array")
    return value


@route("POST", ENTERPRISE_ISSUE_SEARCH)
async def search_issues(sb: Sandbox, call: Call) -> Response:
    ent, user = v8_enterprise(sb, call)
    body = call.data()
    assignees, states = body_list(body, "assignees"), body_list(body, "issue_states")
    projects, milestones = body_list(body, "project_ids"), body_list(body, "milestone_ids")
    labels = {s for s in str(body.get("labels") or "").split(",") if s}
    words = str(body.get("search") or "").lower()
    found = [
        (r, i)
        for r in repos_of(sb, ent, user)
        if projects is None or r.id in projects
        for i in r.issues.values()
        if words in i.title.lower()
        and labels <= set(i.labels)
        and (assignees is None or any(a.login in assignees for a in i.assignees))
        and (states is None or ("待办的" if i.state == "open" else "已完成") in states)
        and not milestones  # no issue of the seeded repositories is on an enterprise milestone
    ]
    found.sort(key=lambda ri: ri[1].created_at, reverse=body.get("direction", "desc") == "desc")
    number, size = int(body.get("page") or 1), int(body.get("per_page") or 20)
    if number < 1 or not 1 <= size <= 100:
        raise Refusal(400, "page must be >= 1 and per_page between 1 and 100")
    shown = found[(number - 1) * size : number * size]
    headers = {"total_count": str(len(found)), "total_page": str(max(1, -(-len(found) // size)))}
    return JSONResponse([render_enterprise_issue(ent, r, i) for r, i in shown], headers=headers)
