"""A pull request's labels: listed, added, replaced, removed."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    PR_LABEL,
    PR_LABELS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.pulls.requests import pull
from gitcode_mcp.sandbox.core import (
    Call,
    Refusal,
    Sandbox,
    need_token,
    route,
)
from gitcode_mcp.sandbox.state import PullRequest, Repo, User, World, now


def _label_names(repo: Repo, body: Any) -> list[str]:
    # ref: the body is a JSON array of label names (["feat", "bug"]), not an object; each must exist in the repo.
    if not isinstance(body, list) or not all(isinstance(n, str) for n in body):
        raise Refusal(400, 'the body must be a JSON array of label names, like ["bug"]')
    if missing := [n for n in body if n not in repo.labels]:
        raise Refusal(422, f"label {missing[0]} does not exist")
    return list(dict.fromkeys(body))


def _label_list(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    return [shapes.label(repo, name) for name in pr.labels]


def may_relabel(world: World, repo: Repo, pr: PullRequest, user: User) -> None:
    """The PR's author and those who push to the repository may change its reviewers, testers and labels."""
    if user.login != pr.user.login and not access(world, repo, user).push:
        raise Refusal(403, "You do not have permission to change this pull request.")


def _relabel(sb: Sandbox, call: Call) -> tuple[Repo, PullRequest]:
    """The repository and the PR whose labels the caller changes, checked in that order (404s), then the caller
    (401, 403)."""
    repo = sb.repo(call)
    pr = pull(repo, call)
    may_relabel(sb.world, repo, pr, need_token(call))
    return repo, pr


@route("GET", PR_LABELS)
async def pull_labels(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(_label_list(repo, pull(repo, call)))


@route("POST", PR_LABELS)
async def add_pull_labels(sb: Sandbox, call: Call) -> Response:
    # ref: answers 201 with labels.
    repo, pr = _relabel(sb, call)
    pr.labels = list(dict.fromkeys([*pr.labels, *_label_names(repo, call.body)]))
    pr.updated_at = now()
    return JSONResponse(_label_list(repo, pr), status_code=201)


@route("PUT", PR_LABELS)
async def replace_pull_labels(sb: Sandbox, call: Call) -> Response:
    # ref shows no answer body; the gitcode-api package reads the labels back from it, as here.
    repo, pr = _relabel(sb, call)
    pr.labels = _label_names(repo, call.body)
    pr.updated_at = now()
    return JSONResponse(_label_list(repo, pr))


@route("DELETE", PR_LABEL)
async def remove_pull_label(sb: Sandbox, call: Call) -> Response:
    _, pr = _relabel(sb, call)
    name = call.params["label"]
    if name not in pr.labels:
        raise Refusal(404, f"label {name} is not on this pull request")
    pr.labels.remove(name)
    pr.updated_at = now()
    return Response(status_code=204)
