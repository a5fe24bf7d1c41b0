"""Issues: the documented create form (owner in the path, `repo` in the body) with the seed's repo-scoped path as
an alias, `number` answered as a string (probe), and state writes as `close` / `reopen` (probe)."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route, string_list
from gitcode_mcp.sandbox.state import Issue, Repo, now


def render_issue(repo: Repo, issue: Issue) -> dict[str, Any]:
    return {
        "id": issue.id,
        "html_url": f"{repo.web_url}/issues/{issue.number}",
        "number": str(issue.number),
        "state": issue.state,
        "issue_state": "待办的" if issue.state == "open" else "已完成",
        "title": issue.title,
        "body": issue.body,
        "url": f"{repo.api_url}/issues/{issue.number}",
        "user": shapes.user(issue.user),
        "assignee": shapes.user(issue.assignees[0]) if issue.assignees else None,
        "assignees": [shapes.user(a) for a in issue.assignees],
        "labels": [shapes.label(repo, n) for n in issue.labels],
        "milestone": {"number": issue.milestone, "title": repo.milestones[issue.milestone]}
        if issue.milestone
        else None,
        "comments": 0,
        "repository": {
            "id": repo.id,
            "full_name": repo.full_name,
            "path": repo.name,
            "name": repo.name,
            "namespace": {"path": repo.owner.login},
            "html_url": repo.web_url,
        },
        "created_at": issue.created_at,
        "updated_at": issue.updated_at or issue.created_at,
        "finished_at": issue.closed_at,
    }


def issue_of(repo: Repo, call: Call) -> Issue:
    issue = repo.issues.get(call.params["number"])
    if issue is None:
        raise Refusal(404, "Not Found Issue")
    return issue


def _fields(sb: Sandbox, repo: Repo, data: dict[str, Any], issue: Issue) -> None:
    """Apply title, body, labels, assignee and milestone as GitCode reads them (lists as comma strings)."""
    if "title" in data:
        title = data["title"]
        if not isinstance(title, str) or not title.strip():
            raise Refusal(400, "title is required")
        if len(title) > 255:
            raise Refusal(422, "title is too long (maximum is 255 characters)")
        issue.title = title
    if "body" in data:
        if not isinstance(data["body"], str):
            raise Refusal(400, "body must be a string")
        issue.body = data["body"]
    if "labels" in data:
        labels = string_list(data, "labels")
        if missing := [n for n in labels if n not in repo.labels]:
            raise Refusal(422, f"label {missing[0]} does not exist")
        issue.labels = labels
    # GitCode reads `assignee` (ref); an `assignees` field is not read at all.
    if "assignee" in data:
        logins = string_list(data, "assignee")
        if missing := [n for n in logins if n not in sb.world.users]:
            raise Refusal(422, f"assignee {missing[0]} does not exist")
        issue.assignees = [sb.world.users[n] for n in logins]
    if data.get("milestone") is not None:
        if data["milestone"] not in repo.milestones:
            raise Refusal(422, f"milestone {data['milestone']} does not exist")
        issue.milestone = data["milestone"]


async def _create(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    data = call.data()
    if not isinstance(data.get("title"), str):
        raise Refusal(400, "title is required")
    issue = Issue(sb.world.new_id(), max(repo.issues, default=0) + 1, "", "", user, now())
    _fields(sb, repo, data, issue)
    repo.issues[issue.number] = issue
    return JSONResponse(render_issue(repo, issue), status_code=201)


async def _update(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    repo = sb.repo(call)
    issue = issue_of(repo, call)
    data = call.data()
    if "state" in data:
        # probe (2026-07): a write takes `close` or `reopen`; `closed` is refused with a validation error.
        if data["state"] not in ("close", "reopen"):
            raise Refusal(400, "state must be one of [reopen, close]", "VALIDATION_ERROR")
        issue.state = "closed" if data["state"] == "close" else "open"
        issue.closed_at = now() if issue.state == "closed" else None
    _fields(sb, repo, data, issue)
    issue.updated_at = now()
    return JSONResponse(render_issue(repo, issue))


route("POST", "repos/{owner}/issues")(_create)
route("POST", "repos/{owner}/{repo}/issues")(_create)  # the seed's form, kept as an alias
route("PATCH", "repos/{owner}/issues/{number}")(_update)
route("PATCH", "repos/{owner}/{repo}/issues/{number}")(_update)


@route("GET", "repos/{owner}/{repo}/issues/{number}")
async def get_issue(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_issue(repo, issue_of(repo, call)))
