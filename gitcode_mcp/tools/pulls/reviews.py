"""Reviews: approving a pull request, and who reviews and tests it (the rest of reviewing is the reviews toolset)."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    PR_ASSIGNEES,
    PR_REVIEW,
    PR_REVIEWERS,
    PR_TESTERS,
    PULL,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, comma_list, gitcode, payload
from gitcode_mcp.tools.pulls import PR_1, PR_2, pulls
from gitcode_mcp.tools.pulls.views import MERGE_STATE, REVIEWERS_STATE, TESTERS_STATE
from gitcode_mcp.views import Obj, logins, to_text

# Approving adds a pass; changing who reviews or tests can take away who is there: separate tools (as are testing and
# withdrawing approvals, in tools/reviews.py), so each one's annotation says what it does and each argument applies to
# every call of it.
_HINTS = {404: "a login is not a member of the repository: list_reviewer_candidates shows who may be one"}


@pulls.write(
    Example({**PR_1, "force": True}, f"POST {PR_REVIEW}", f"GET {PULL}"),
    idempotent=True,
)
async def approve_pull_request(owner: str, repo: str, number: Number, ctx: Context, force: bool | None = None) -> str:
    """Approve a pull request as its reviewer; force (admins) passes it whatever the rules."""
    return await pass_review(ctx, PR_REVIEW, {"owner": owner, "repo": repo, "number": number}, force, tester=False)


async def pass_review(ctx: Context, template: str, where: dict[str, Any], force: bool | None, *, tester: bool) -> str:
    """ref: POST .../review or .../test passes the PR for its reviewers (testers); `force` passes it whatever the
    rules, for admins."""
    client, role = gitcode(ctx), "tester" if tester else "reviewer"
    hint = f"only the PR's {role}s may pass it (or an admin with force); others need to be its author or a member"
    await client.request("POST", api_path(template, **where), json=payload(force=force), hints={403: hint})
    return review_state(where["number"], (await client.get(api_path(PULL, **where))).object(), tester)


@pulls.destructive(
    Example({**PR_2, "action": "add", "users": ["bob"]}, f"POST {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_1, "action": "remove", "users": ["bob"]}, f"DELETE {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_2, "action": "replace", "users": ["bob"]}, f"POST {PR_REVIEWERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "replace", "users": []}, f"GET {PULL}", f"DELETE {PR_REVIEWERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "add", "users": ["bob"], "tester": True}, f"POST {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "remove", "users": ["bob"], "tester": True}, f"DELETE {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "replace", "users": ["bob"], "tester": True}, f"POST {PR_TESTERS}", f"GET {PULL}"),
    idempotent=True,
    asks=lambda a: a.get("action") != "add",  # adding takes nothing away
)
async def set_pull_request_reviewers(
    owner: str,
    repo: str,
    number: Number,
    action: Literal["add", "remove", "replace"],
    users: list[str],
    ctx: Context,
    tester: bool | None = None,
) -> str:
    """Add, remove or replace a pull request's reviewers (tester=true: its testers); replace [] removes all."""
    where = {"owner": owner, "repo": repo, "number": number}
    chosen = comma_list("users", users)
    if not chosen and action != "replace":
        raise InvalidArgument("users", f"give the logins to {action}")
    client, step = gitcode(ctx), str(action)
    if not chosen:
        # POST with add=false replaces the list but needs at least one login (ref): an empty list is a removal of
        # everyone there now.
        pr = (await client.get(api_path(PULL, **where))).object()
        if not (chosen := ",".join(logins(pr.get("testers" if tester else "assignees")))):
            return review_state(number, pr, tester)
        step = "clear"
    method, template, params, body = _change_request(step, bool(tester), chosen)
    await client.request(method, api_path(template, **where), params=params, json=body, hints=_HINTS)
    return review_state(number, (await client.get(api_path(PULL, **where))).object(), tester)


def review_state(number: int, pr: Obj, tester: bool | None) -> str:
    return to_text({"number": number, **(TESTERS_STATE if tester else REVIEWERS_STATE)(pr), **MERGE_STATE(pr)})


def _change_request(action: str, tester: bool, names: str) -> tuple[str, str, Any, Any]:
    """The request that changes who reviews (tests) a PR. Reviewers are GitCode's `assignees`, whose `accept` flags
    are the approvals a PR shows (live, cann/ge!1647 lists the same people in `assignees` and
    `approval_reviewers`): added and removed there, replaced (add=false) and cleared through .../reviewers. Testers
    have one endpoint for all."""
    if tester:
        if action in ("remove", "clear"):
            return "DELETE", PR_TESTERS, None, {"testers": names}
        return "POST", PR_TESTERS, None, {"testers": names, "add": action == "add"}  # ref: add=false replaces
    if action == "add":
        return "POST", PR_ASSIGNEES, None, {"assignees": names}
    if action == "remove":
        # Gitee v5, the GitCode CLI and Huawei's GitCode SDK send the logins in the query of this DELETE.
        return "DELETE", PR_ASSIGNEES, {"assignees": names}, None
    if action == "clear":
        return "DELETE", PR_REVIEWERS, None, {"reviewers": names}
    return "POST", PR_REVIEWERS, None, {"reviewers": names, "add": False}
