"""Issues: the documented create form (owner in the path, `repo` in the body) with the seed's repo-scoped path as
an alias, `number` answered as a string (probe), state writes as `close` / `reopen` (probe), and a title on every
owner-scoped edit (cli). Lists filter by
state and comma-separated labels and sort by `sort` (created | updated) and `direction` (ref, cli), or by `order_by`
with the direction in `sort` (probe);
comments are kept per issue."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import ISSUE, ISSUE_COMMENTS, ISSUES, OWNER_ISSUE, OWNER_ISSUES, REPO_ISSUE_COMMENTS
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route, string_list, text_field
from gitcode_mcp.sandbox.state import Comment, Issue, Repo, World, now


def seed(world: World) -> None:
    """alice/demo's issues: #1 open (a bug, assigned to alice, on milestone 1, with a comment) and #2 closed.
    Fixed ids: the shared counter is left alone, so the other areas' ids do not move."""
    demo = world.repo("alice", "demo")
    if demo is None or demo.issues:
        return
    alice, bob = world.users["alice"], world.users["bob"]
    bug = Issue(
        8_300_011,
        1,
        "Crash when the name is empty",
        "greet('') prints 'hello ' and then the program exits with an error.",
        bob,
        "2026-11-19T15:00:00+08:00",
        labels=["bug"],
        assignees=[alice],
        milestone=1,
        updated_at="2026-11-19T16:00:00+08:00",
    )
    bug.comments.append(
        Comment(8_300_013, "", alice, "Confirmed; fixing it in the feature branch.", "2026-11-19T16:00:00+08:00")
    )
    flag = Issue(
        8_300_012,
        2,
        "Add a --version flag",
        "",
        alice,
        "2026-11-18T10:00:00+08:00",
        labels=["enhancement"],
        state="closed",
        updated_at="2026-11-20T09:00:00+08:00",
        closed_at="2026-11-20T09:00:00+08:00",
    )
    demo.issues = {1: bug, 2: flag}


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
        "comments": len(issue.comments),
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
    if "repo" not in call.params and not (isinstance(data.get("title"), str) and data["title"].strip()):
        # The owner-scoped form fails on an empty title, so the GitCode CLI sends the current one with every state,
        # label or assignee change; the repo-scoped form took a state alone (docs/gitcode-behaviour.md, Issues).
        raise Refusal(400, "title is required")
    if "state" in data:
        # probe (2026-07): a write takes `close` or `reopen`; `closed` is refused with a validation error.
        if data["state"] not in ("close", "reopen"):
            raise Refusal(400, "state must be one of [reopen, close]", "VALIDATION_ERROR")
        issue.state = "closed" if data["state"] == "close" else "open"
        issue.closed_at = now() if issue.state == "closed" else None
    _fields(sb, repo, data, issue)
    issue.updated_at = now()
    return JSONResponse(render_issue(repo, issue))


route("POST", OWNER_ISSUES)(_create)
route("POST", ISSUES)(_create)  # the seed's form, kept as an alias
route("PATCH", OWNER_ISSUE)(_update)
route("PATCH", ISSUE)(_update)  # the seed's form, kept as an alias


@route("GET", ISSUE)
async def get_issue(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_issue(repo, issue_of(repo, call)))


ISSUE_STATES = ("open", "closed", "all")
ISSUE_ORDER = {"created_at": "created_at", "updated_at": "updated_at", "created": "created_at", "updated": "updated_at"}


@route("GET", ISSUES)
async def list_issues(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    state = call.query.get("state", "all")  # ref: open, closed or all; default all
    if state not in ISSUE_STATES:
        raise Refusal(400, "state must be one of [open, closed, all]")
    labels = set(string_list(dict(call.query), "labels"))
    # Two readings of the ordering fields: ref and cli `sort=created|updated` with `direction`; probe (2026-06)
    # `order_by=updated_at` with the direction in `sort`. Without `order_by`, `sort` is a field, never a direction.
    sort, order_by = call.query.get("sort"), call.query.get("order_by")
    if order_by is not None:
        field_name, direction = order_by, call.query.get("direction") or sort or "desc"
    else:
        field_name, direction = sort or "created", call.query.get("direction") or "desc"
    if field_name not in ISSUE_ORDER or direction not in ("asc", "desc"):
        raise Refusal(400, "sort must be one of [created, updated] and direction one of [asc, desc]")
    found = [i for i in repo.issues.values() if state in ("all", i.state) and labels <= set(i.labels)]
    key = ISSUE_ORDER[field_name]
    found.sort(key=lambda i: (getattr(i, key) or i.created_at, i.number), reverse=direction == "desc")
    return page(call, [render_issue(repo, i) for i in found])


def render_comment(repo: Repo, issue: Issue, c: Comment) -> dict[str, Any]:
    """An issue comment (ref): integer id, and the issue it belongs to under `target.issue` (probe: `number`)."""
    return {
        "id": c.id,
        "body": c.body,
        "user": shapes.user(c.user),
        "target": {"issue": {"id": issue.id, "title": issue.title, "number": issue.number}},
        "created_at": c.created_at,
        "updated_at": c.created_at,
    }


@route("POST", ISSUE_COMMENTS)
async def comment_issue(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    issue = issue_of(repo, call)
    text = text_field(call.data(), "body")
    comment = Comment(sb.world.new_id(), "", user, text, now())  # issue comments answer no discussion id
    issue.comments.append(comment)
    issue.updated_at = comment.created_at
    return JSONResponse(render_comment(repo, issue, comment), status_code=201)


@route("GET", ISSUE_COMMENTS)
async def issue_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    issue = issue_of(repo, call)
    return page(call, [render_comment(repo, issue, c) for c in issue.comments])


def render_listed_comment(repo: Repo, issue: Issue, c: Comment) -> dict[str, Any]:
    """An issue comment as the issues area renders it, with the time of its last edit as `updated_at`. (The issues
    area's per-issue list, which knows no edits, answers its creation time there.)"""
    return {**render_comment(repo, issue, c), "updated_at": c.edits[-1].created_at if c.edits else c.created_at}


@route("GET", REPO_ISSUE_COMMENTS)
async def repo_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    sort = call.query.get("sort", "created")
    direction = call.query.get("direction", "asc")
    if sort not in ("created", "updated") or direction not in ("asc", "desc"):
        raise Refusal(400, "sort must be created or updated, direction asc or desc")
    found = [(issue, c) for issue in repo.issues.values() for c in issue.comments]

    def key(ic: tuple[Issue, Comment]) -> tuple[str, int]:
        c = ic[1]
        return (c.edits[-1].created_at if sort == "updated" and c.edits else c.created_at, c.id)

    # ref: `direction` is ignored without `sort`.
    found.sort(key=key, reverse="sort" in call.query and direction == "desc")
    return page(call, [render_listed_comment(repo, issue, c) for issue, c in found])


def find_comment(repo: Repo, comment_id: int) -> tuple[Issue, Comment]:
    for issue in repo.issues.values():
        for c in issue.comments:
            if c.id == comment_id:
                return issue, c
    raise Refusal(404, "Not Found Note")
