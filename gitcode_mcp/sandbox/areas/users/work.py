"""The caller's pull requests and issues, and an organisation's issues."""

from __future__ import annotations

from starlette.responses import Response

from gitcode_mcp.endpoints import (
    MY_ISSUES,
    MY_PRS,
    ORG_ISSUES,
)
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.issues import render_issue
from gitcode_mcp.sandbox.areas.pulls.render import PR_SCOPES, across
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import Issue, PullRequest, Repo, User


@route("GET", MY_PRS)
async def my_pulls(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    scope = call.query.get("scope", "created_by_me")  # ref: created by me unless a scope says otherwise
    if scope not in PR_SCOPES:
        raise Refusal(400, f"scope must be one of [{', '.join(PR_SCOPES)}]")

    def mine(pr: PullRequest) -> bool:
        if scope == "created_by_me":
            return pr.user.login == user.login
        if scope == "assigned_to_me":
            return user.login in pr.reviewers
        return pr.state == "open" and pr.reviewers.get(user.login) is False  # waiting for my review or approval

    found = [
        (r, pr)
        for r in sb.world.repos.values()
        if access(sb.world, r, user).read
        for pr in r.pulls.values()
        if mine(pr)
    ]
    return across(sb, call, found)


FILTERS = ("assigned", "created", "all")


def _mine(sb: Sandbox, call: Call, user: User, repos: list[Repo], states: tuple[str, ...]) -> Response:
    who = call.query.get("filter", "assigned")  # ref: assigned (default), created, all
    state = call.query.get("state", "open")  # ref: open (default), closed
    if who not in FILTERS or state not in states:
        raise Refusal(400, f"filter must be assigned, created or all; state one of {', '.join(states)}")

    def matches(issue: Issue) -> bool:
        assigned = any(a.login == user.login for a in issue.assignees)
        created = issue.user.login == user.login
        chosen = {"assigned": assigned, "created": created, "all": assigned or created}[who]
        return chosen and state in ("all", issue.state)

    found = [(r, i) for r in repos if access(sb.world, r, user).read for i in r.issues.values() if matches(i)]
    found.sort(key=lambda ri: (ri[1].created_at, ri[1].id), reverse=call.query.get("direction", "desc") == "desc")
    return page(call, [render_issue(r, i) for r, i in found])


@route("GET", MY_ISSUES)
async def user_issues(sb: Sandbox, call: Call) -> Response:
    # The reference's parameters name open and closed only: `all` is refused (docs/gitcode-behaviour.md, Issues).
    return _mine(sb, call, need_token(call), list(sb.world.repos.values()), ("open", "closed"))


@route("GET", ORG_ISSUES)
async def org_issues(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Namespace")
    # open and closed (ref parameters); `all`, which the reference's demo of this one sends, is answered too.
    return _mine(
        sb, call, user, [r for r in sb.world.repos.values() if r.owner.login == org.login], ("open", "closed", "all")
    )
