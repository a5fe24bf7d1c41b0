"""The `reviews` toolset: the rest of reviewing a pull request, beside approving it and choosing its reviewers and
testers (pulls): passing its test, withdrawing approvals, and who may become a reviewer or tester."""

from __future__ import annotations

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import PR_ASSIGNEES, PR_REVIEWER_OPTIONS, PR_TEST, PR_TESTERS, PULL, REPO_TESTER_OPTIONS
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, gitcode
from gitcode_mcp.tools.pulls import PR_1
from gitcode_mcp.tools.pulls.reviews import pass_review, review_state
from gitcode_mcp.views import USER, to_text

reviews = Toolset("reviews", "Pass pull requests' tests, withdraw approvals, list who may review or test")


@reviews.write(
    Example({**PR_1, "force": True}, f"POST {PR_TEST}", f"GET {PULL}"),
    idempotent=True,
)
async def mark_pull_request_tested(
    owner: str, repo: str, number: Number, ctx: Context, force: bool | None = None
) -> str:
    """Pass a pull request's test as its tester; force (admins) passes it whatever the rules."""
    return await pass_review(ctx, PR_TEST, {"owner": owner, "repo": repo, "number": number}, force, tester=True)


@reviews.destructive(
    Example(PR_1, f"PATCH {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_1, "tester": True}, f"PATCH {PR_TESTERS}", f"GET {PULL}"),
    idempotent=True,
)
async def reset_pull_request_approvals(
    owner: str, repo: str, number: Number, ctx: Context, tester: bool | None = None
) -> str:
    """Withdraw a pull request's approvals (tester=true: its test passes); admins reset all, others their own."""
    where = {"owner": owner, "repo": repo, "number": number}
    client = gitcode(ctx)
    # ref: reset_all resets every approval (for admins; others reset their own)
    template = PR_TESTERS if tester else PR_ASSIGNEES
    await client.request("PATCH", api_path(template, **where), json={"reset_all": True})
    return review_state(number, (await client.get(api_path(PULL, **where))).object(), tester)


@reviews.read(
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
