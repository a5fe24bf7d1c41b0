"""What is linked: a pull request's issues (listed, linked, unlinked: each change in the PR's operation log),
and an issue's pull requests and branches."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ISSUE_BRANCHES,
    ISSUE_PRS,
    PR_ISSUES,
)
from gitcode_mcp.sandbox.activity import log
from gitcode_mcp.sandbox.areas import issues as issue_area
from gitcode_mcp.sandbox.areas.issues import issue_of, render_issue
from gitcode_mcp.sandbox.areas.pulls.render import render_pull
from gitcode_mcp.sandbox.areas.pulls.requests import pull
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import (
    PullRequest,
    Repo,
    World,
)


def issue_numbers(call: Call) -> list[int]:
    """probe: the body is a raw JSON array of issue numbers (`[12]`), not an object."""
    body = call.body
    if not isinstance(body, list) or not body or not all(isinstance(n, int) and not isinstance(n, bool) for n in body):
        raise Refusal(400, "the body must be a JSON array of issue numbers, like [12]")
    return list(dict.fromkeys(body))


def linked(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    return [render_issue(repo, repo.issues[n]) for n in pr.linked_issues if n in repo.issues]


@route("GET", PR_ISSUES)
async def linked_issues(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(linked(repo, pull(repo, call)))


@route("POST", PR_ISSUES)
async def link_issues(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    numbers = issue_numbers(call)
    if missing := [n for n in numbers if n not in repo.issues]:
        raise Refusal(404, f"Not Found Issue #{missing[0]}")
    for n in numbers:
        if n not in pr.linked_issues:  # probe: linking again is harmless
            pr.linked_issues.append(n)
            log(sb, pr, user, "add_mr_issue_link", f"Create mr issue link: **{repo.issues[n].title}** #{n}")
    return JSONResponse(linked(repo, pr))  # probe: answers the linked issues


@route("DELETE", PR_ISSUES)
async def unlink_issues(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    for n in issue_numbers(call):
        if n in pr.linked_issues:
            pr.linked_issues.remove(n)
            title = repo.issues[n].title if n in repo.issues else ""
            log(sb, pr, user, "delete_mr_issue_link", f"Delete mr issue link: **{title}** #{n}")
    # ref: 200 with a list of issues ({id, number, title}); read here as those still linked.
    return JSONResponse(linked(repo, pr))


@route("GET", ISSUE_PRS)
async def linked_pulls(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    issue = issue_of(repo, call)
    linked = [pr for pr in repo.pulls.values() if issue.number in pr.linked_issues]
    answer = []
    for pr in linked:
        item = render_pull(sb, repo, pr, call.caller)
        del item["mergeable_state"]  # ref: only with mode=1 (enhanced)
        answer.append(item)
    return JSONResponse(answer)


@route("GET", ISSUE_BRANCHES)
async def linked_branches(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(list(issue_of(repo, call).branches))  # ref: an array of branch names


@route("PUT", ISSUE_BRANCHES)
async def link_branches(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    repo = sb.repo(call)
    issue = issue_of(repo, call)
    names = call.data().get("branch_names")  # ref: required, a JSON array of names
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise Refusal(400, "branch_names must be an array of branch names")
    if missing := [n for n in names if n not in repo.branches]:
        raise Refusal(404, f"branch {missing[0]} not found")
    issue.branches = list(dict.fromkeys(names))
    return JSONResponse(list(issue.branches))


def seed(world: World) -> None:
    """alice/demo's PR 1 (from `feature`) and issue 1 linked both ways, and the branch `feature` linked to the issue.
    The link is in the issue's log (the history area's seed), not in the PR's: as the seeded world has always been."""
    issue_area.seed(world)
    demo = world.repo("alice", "demo")
    if demo is None or 1 not in demo.issues or 1 not in demo.pulls or demo.pulls[1].linked_issues:
        return
    demo.pulls[1].linked_issues.append(1)
    demo.issues[1].branches = ["feature"]
