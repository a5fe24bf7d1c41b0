"""Reviews: approving or testing a pull request, and who reviews and tests it."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    PR_ASSIGNEES,
    PR_REVIEW,
    PR_REVIEWER_OPTIONS,
    PR_REVIEWERS,
    PR_TEST,
    PR_TESTERS,
    PULL,
    REPO_TESTER_OPTIONS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, comma_list, gitcode, payload
from gitcode_mcp.tools.pulls import PR_1, PR_2, pulls
from gitcode_mcp.tools.pulls.views import MERGE_STATE, REVIEWERS_STATE, TESTERS_STATE
from gitcode_mcp.views import USER, Obj, logins, to_text


@pulls.write(
    Example({**PR_1, "action": "reset"}, f"PATCH {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_1, "action": "approve", "force": True}, f"POST {PR_REVIEW}", f"GET {PULL}"),
    Example({**PR_1, "action": "approve", "tester": True, "force": True}, f"POST {PR_TEST}", f"GET {PULL}"),
    Example({**PR_2, "action": "add", "users": ["bob"]}, f"POST {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_1, "action": "remove", "users": ["bob"]}, f"DELETE {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_2, "action": "replace", "users": ["bob"]}, f"POST {PR_REVIEWERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "replace", "users": []}, f"GET {PULL}", f"DELETE {PR_REVIEWERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "add", "users": ["bob"], "tester": True}, f"POST {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "remove", "users": ["bob"], "tester": True}, f"DELETE {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "replace", "users": ["bob"], "tester": True}, f"POST {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "reset", "tester": True}, f"PATCH {PR_TESTERS}", f"GET {PULL}"),
    idempotent=True,
)
async def review_pull_request(
    owner: str,
    repo: str,
    number: Number,
    action: Literal["approve", "add", "remove", "replace", "reset"],
    ctx: Context,
    users: list[str] | None = None,
    tester: bool | None = None,
    force: bool | None = None,
) -> str:
    """Approve a pull request, or add, remove or replace its reviewers (or testers); reset withdraws approvals."""
    where = {"owner": owner, "repo": repo, "number": number}
    chosen = comma_list("users", users)
    if action in ("approve", "reset"):
        if chosen:
            raise InvalidArgument("users", f"{action} takes no users")
    elif not chosen and action != "replace":
        raise InvalidArgument("users", f"give the logins to {action}")
    if force is not None and action != "approve":
        raise InvalidArgument("force", "only approve takes force")
    client, step = gitcode(ctx), str(action)
    if action == "replace" and not chosen:
        # POST with add=false replaces the list but needs at least one login (ref): an empty list is a removal of
        # everyone there now.
        pr = (await client.get(api_path(PULL, **where))).object()
        if not (chosen := ",".join(logins(pr.get("testers" if tester else "assignees")))):
            return _review_state(number, pr, tester)
        step = "clear"
    method, template, params, body = _review_request(step, bool(tester), chosen, force)
    role = "tester" if tester else "reviewer"
    await client.request(
        method,
        api_path(template, **where),
        params=params,
        json=body,
        hints={
            403: f"only the PR's {role}s may approve it (or an admin with force); others need to be its author or "
            "a repository member",
            404: "a login is not a member of the repository: list_reviewer_candidates shows who may be one",
        },
    )
    return _review_state(number, (await client.get(api_path(PULL, **where))).object(), tester)


def _review_state(number: int, pr: Obj, tester: bool | None) -> str:
    return to_text({"number": number, **(TESTERS_STATE if tester else REVIEWERS_STATE)(pr), **MERGE_STATE(pr)})


def _review_request(action: str, tester: bool, names: str | None, force: bool | None) -> tuple[str, str, Any, Any]:
    """The request for a review action. Approving is POST .../review, or .../test as a tester (ref: `force` passes it
    whatever the rules, for admins). Reviewers are GitCode's `assignees`, whose `accept` flags are the approvals a PR
    shows (live, cann/ge!1647 lists the same people in `assignees` and `approval_reviewers`): added, removed and reset
    there, replaced (add=false) and cleared through .../reviewers. Testers have one endpoint for all."""
    if action == "approve":
        return "POST", PR_TEST if tester else PR_REVIEW, None, payload(force=force)
    if action == "reset":  # ref: reset_all resets every approval (for admins; others reset their own)
        return "PATCH", PR_TESTERS if tester else PR_ASSIGNEES, None, {"reset_all": True}
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


@pulls.read(
    Example(PR_1, f"GET {PR_REVIEWER_OPTIONS}"), Example({**PR_1, "tester": True}, f"GET {REPO_TESTER_OPTIONS}")
)
async def list_reviewer_candidates(
    owner: str, repo: str, number: Number, ctx: Context, tester: bool | None = None
) -> str:
    """List who may become a pull request's reviewer (or tester)."""
    if tester:  # ref: testers are offered per repository
        path = api_path(REPO_TESTER_OPTIONS, owner=owner, repo=repo)
    else:
        path = api_path(PR_REVIEWER_OPTIONS, owner=owner, repo=repo, number=number)
    return to_text(USER.many((await gitcode(ctx).get(path)).items()))
