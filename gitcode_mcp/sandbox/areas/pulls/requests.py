"""Pull requests found, listed, opened and edited."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    PULL,
    PULLS,
)
from gitcode_mcp.sandbox.areas.pulls.merging import source
from gitcode_mcp.sandbox.areas.pulls.render import REASONS, list_item, render_pull
from gitcode_mcp.sandbox.core import (
    Call,
    Refusal,
    Sandbox,
    need_token,
    page,
    route,
    string_list,
    text_field,
)
from gitcode_mcp.sandbox.state import Comment, PullRequest, Repo, User, now


def pull(repo: Repo, call: Call) -> PullRequest:
    pr = repo.pulls.get(call.params["number"])
    if pr is None:
        raise Refusal(404, "Not Found PullRequest")
    return pr


@route("GET", PULL)
async def get_pull(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_pull(sb, repo, pull(repo, call), call.caller))


def ordered(call: Call, items: list[Any], created: Any, updated: Any) -> list[Any]:
    """Sorted by `order_by` (created_at | updated_at; probe) or `sort` (created | updated; ref) in `direction`
    (asc | desc); newest first by default."""
    sort = {"created": "created_at", "updated": "updated_at"}.get(call.query.get("sort", ""))
    order_by = call.query.get("order_by") or sort or "created_at"
    direction = call.query.get("direction", "desc")
    if order_by not in ("created_at", "updated_at"):
        raise Refusal(400, "order_by must be one of [created_at, updated_at]")
    if direction not in ("asc", "desc"):
        raise Refusal(400, "direction must be one of [asc, desc]")
    key = created if order_by == "created_at" else updated
    return sorted(items, key=key, reverse=direction == "desc")


PR_STATES = {"all", "open", "opened", "closed", "locked", "merged"}  # ref; `opened` in the seed's example


@route("GET", PULLS)
async def list_pulls(sb: Sandbox, call: Call) -> Response:
    # probe (urandon/gitcode-mcp, 2026-06-28): `sort=desc` answers 400 saying `direction` is required.
    if "sort" in call.query and "direction" not in call.query:
        raise Refusal(400, "Invalid query parameter: direction, required")
    repo = sb.repo(call)
    state = call.query.get("state", "all")
    if state not in PR_STATES:
        raise Refusal(400, f"state must be one of [{', '.join(sorted(PR_STATES))}]")
    labels = set(string_list(dict(call.query), "labels"))
    found = [
        pr
        for pr in repo.pulls.values()
        if state in ("all", pr.state, "opened" if pr.state == "open" else "")
        and call.query.get("base") in (None, pr.base)
        and call.query.get("author") in (None, pr.user.login)
        and labels <= set(pr.labels)
    ]
    found = ordered(call, found, lambda p: p.created_at, lambda p: p.updated_at or p.created_at)
    return page(call, [list_item(sb, repo, pr) for pr in found])


def labels_given(repo: Repo, data: dict[str, Any]) -> list[str]:
    # An empty `labels` is refused as missing; a lone comma is the empty list that clears them (GitCode CLI,
    # api/queries_pr.go; docs/gitcode-behaviour.md, Pull requests).
    if data.get("labels") == "":
        raise Refusal(400, "Invalid body parameter: labels, required")
    labels = string_list(data, "labels")
    if missing := [n for n in labels if n not in repo.labels]:
        raise Refusal(422, f"label {missing[0]} does not exist")
    return labels


def milestone_given(repo: Repo, data: dict[str, Any]) -> int | None:
    number = data.get("milestone_number")
    if number is not None and number not in repo.milestones:
        raise Refusal(422, f"milestone {number} does not exist")
    return number


def title_given(data: dict[str, Any]) -> str:
    title = text_field(data, "title")
    if len(title) > 255:
        raise Refusal(422, "title is too long (maximum is 255 characters)")
    return title


@route("POST", PULLS)
async def create_pull(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    data = call.data()
    title = title_given(data)
    head, base = data.get("head"), data.get("base")
    if not isinstance(head, str) or not head or not isinstance(base, str) or not base:
        raise Refusal(400, "head and base are required")
    # A fork's branch is `owner/repo:branch` (cli #495, live). `owner:branch` is no longer resolved (cli #495): it is
    # taken for a branch name. `fork_path` is resolved to the upstream's branch of that name, or refused when there is
    # none (cli #259: "upstream has no same-name branch -> HTTP 403"; sim words).
    src = repo
    if (source_repo := head.partition(":")[0]).count("/") == 1 and ":" in head:
        found = sb.world.repos.get(source_repo)
        if found is None:
            raise Refusal(404, "Not Found Project")
        src, head = found, head.split(":", 1)[1]
    elif data.get("fork_path") not in (None, "", repo.full_name) and head not in repo.branches:
        raise Refusal(403, "You do not have permission to create a pull request from this source")
    if head not in src.branches:
        raise Refusal(400, f"Source branch {head} does not exist")
    if base not in repo.branches:
        raise Refusal(400, f"Target branch {base} does not exist")
    if src is repo and head == base:
        raise Refusal(400, "Source branch and target branch cannot be the same")
    for pr in repo.pulls.values():
        if pr.state == "open" and pr.head == head and pr.base == base and source(repo, pr) is src:
            raise Refusal(409, f"Another open merge request already exists for this source branch: !{pr.number}")
    reviewers = string_list(data, "assignees")  # ref: `assignees` are the reviewers' logins, comma-separated
    if missing := [n for n in reviewers if n not in sb.world.users]:
        raise Refusal(422, f"assignee {missing[0]} does not exist")
    # ref: "当仓库代码审查设置中已设置【指派审查人员】则此选项无效": the repository's own reviewers win.
    if assigned := repo.settings.get("reviewer", {}).get("assignees"):
        reviewers = [n for n in assigned.split(",") if n]
    body = data.get("body")
    pr = PullRequest(
        sb.world.new_id(),
        max(repo.pulls, default=0) + 1,
        title,
        body if isinstance(body, str) else "",
        user,
        head=head,
        base=base,
        created_at=now(),
        draft=data.get("draft") is True,
        reviewers=dict.fromkeys(reviewers, False),
        labels=labels_given(repo, data),
        head_repo=None if src is repo else src,
        milestone=milestone_given(repo, data),
    )
    repo.pulls[pr.number] = pr
    return JSONResponse(render_pull(sb, repo, pr, user), status_code=201)


@route("PATCH", PULL)
async def update_pull(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    data = call.data()
    if "state" in data:
        # A PR is closed and reopened with the states it reads back, `closed` / `open` (GitCode CLI `pr close` and
        # `pr reopen`, run live), not the issue transitions `close` / `reopen` (docs/gitcode-behaviour.md).
        if data["state"] not in ("closed", "open"):
            raise Refusal(400, "state must be one of [open, closed]", "VALIDATION_ERROR")
        if pr.state == "merged":
            raise Refusal(400, "a merged pull request cannot be closed or reopened")
        pr.state = data["state"]
        pr.closed_at = now() if pr.state == "closed" else None
    if "title" in data:
        pr.title = title_given(data)
    if isinstance(data.get("body"), str):
        pr.body = data["body"]
    if "labels" in data:
        pr.labels = labels_given(repo, data)
    if "milestone_number" in data:
        pr.milestone = milestone_given(repo, data)
    if isinstance(data.get("draft"), bool):
        pr.draft = data["draft"]
    pr.updated_at = now()
    # ref: the update answer is sparse (title, body, state, created_at, updated_at).
    return JSONResponse(
        {
            "title": pr.title,
            "body": pr.body,
            "state": pr.state,
            "created_at": pr.created_at,
            "updated_at": pr.updated_at,
        }
    )


def open_pull(repo: Repo, call: Call) -> PullRequest:
    pr = pull(repo, call)
    if pr.state != "open":
        raise Refusal(400, REASONS["mr_state_passed"])
    return pr


def open_write(sb: Sandbox, call: Call) -> tuple[User, Repo, PullRequest]:
    """The caller, the repository and its open PR, checked in that order (401, 404, 400): where every review, test,
    reviewer and tester write starts."""
    user = need_token(call)
    repo = sb.repo(call)
    return user, repo, open_pull(repo, call)


def locate(repo: Repo, note_id: int) -> tuple[PullRequest, Comment, Comment]:
    """The PR, the discussion's root comment and the comment (root or reply) with this note id."""
    for pr in repo.pulls.values():
        for root in pr.comments:
            for c in (root, *root.replies):
                if c.id == note_id:
                    return pr, root, c
    raise Refusal(404, "Not Found Note")
