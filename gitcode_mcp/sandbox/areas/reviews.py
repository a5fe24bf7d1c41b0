"""The reviews toolset's routes: testing a pull request, withdrawing approvals, who may become a reviewer or tester.
The people and their approvals are kept as areas/pulls/reviews.py keeps them; only the routes are here, beside the
toolset that reaches them."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import PR_ASSIGNEES, PR_REVIEWER_OPTIONS, PR_TEST, PR_TESTERS, REPO_TESTER_OPTIONS
from gitcode_mcp.sandbox.areas.pulls.requests import pull
from gitcode_mcp.sandbox.areas.pulls.reviews import REVIEWING, TESTING, candidates, option_user, pass_part, reset_part
from gitcode_mcp.sandbox.core import Call, Sandbox, route


@route("POST", PR_TEST)
async def test_pull(sb: Sandbox, call: Call) -> Response:
    return pass_part(sb, call, TESTING)


@route("PATCH", PR_ASSIGNEES)
async def reset_reviews(sb: Sandbox, call: Call) -> Response:
    return reset_part(sb, call, REVIEWING)


@route("PATCH", PR_TESTERS)
async def reset_tests(sb: Sandbox, call: Call) -> Response:
    return reset_part(sb, call, TESTING)


@route("GET", PR_REVIEWER_OPTIONS)
async def reviewer_options(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    pr = pull(repo, call)
    return JSONResponse([option_user(u) for u in candidates(sb, repo) if u.login != pr.user.login])


@route("GET", REPO_TESTER_OPTIONS)
async def tester_options(sb: Sandbox, call: Call) -> Response:
    return JSONResponse([option_user(u) for u in candidates(sb, sb.repo(call))])
