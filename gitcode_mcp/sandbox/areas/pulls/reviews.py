"""Reviews and tests: approving a pull request, its reviewers and testers; what the reviews toolset reaches (testing,
resetting, who may become a reviewer or tester) is answered in areas/reviews.py with the helpers here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    PR_ASSIGNEES,
    PR_REVIEW,
    PR_REVIEWERS,
    PR_TESTERS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access, members
from gitcode_mcp.sandbox.areas.pulls.labels import may_relabel
from gitcode_mcp.sandbox.areas.pulls.requests import open_write
from gitcode_mcp.sandbox.core import (
    Call,
    Refusal,
    Sandbox,
    route,
    string_list,
)
from gitcode_mcp.sandbox.state import PullRequest, Repo, User, now


@dataclass(frozen=True)
class Part:
    """One kind of approval a PR takes: its reviewers review it, its testers test it."""

    kind: str  # what POST .../review or .../test passes, and `force` marks as forced (PullRequest.forced)
    key: str  # the body field that names them: reviewers, testers
    role: str

    def of(self, pr: PullRequest) -> dict[str, bool]:
        """The PR's people in this part: login -> approved."""
        return pr.reviewers if self.kind == "review" else pr.testers


REVIEWING = Part("review", "reviewers", "reviewer")
TESTING = Part("test", "testers", "tester")


@route("POST", PR_REVIEW)
async def review_pull(sb: Sandbox, call: Call) -> Response:
    return pass_part(sb, call, REVIEWING)


def pass_part(sb: Sandbox, call: Call, part: Part) -> Response:
    """ref: POST .../review and .../test take `force` (pass it whatever the rules; for admins only) and answer 204.
    Anyone else must be one of the PR's reviewers (testers): their `accept` turns true."""
    user, repo, pr = open_write(sb, call)
    who = part.of(pr)
    if call.data().get("force") is True and access(sb.world, repo, user).merge:
        pr.forced.add(part.kind)
    elif user.login in who:
        who[user.login] = True
    else:
        raise Refusal(403, f"You are not a {part.role} of this pull request.")
    pr.updated_at = now()
    return Response(status_code=204)


def candidates(sb: Sandbox, repo: Repo) -> list[User]:
    """Who may review or test a repository's PRs: everyone with a role on it."""
    return [sb.world.users[login] for login in members(sb.world, repo)]


def option_user(u: User) -> dict[str, Any]:
    """An option list item: an integer `id` and the 24-hex `object_id` (ref, option_testers example)."""
    return {**shapes.user(u), "id": shapes.numeric_id(u), "object_id": u.id}


def _people(sb: Sandbox, repo: Repo, pr: PullRequest, user: User, data: dict[str, Any], key: str) -> list[str]:
    """The comma-separated logins in `key`, each someone who may take that part in this PR (not its author)."""
    may_relabel(sb.world, repo, pr, user)
    logins = string_list(data, key)
    if not logins:
        raise Refusal(400, f"{key} is required")
    allowed = {u.login for u in candidates(sb, repo)}
    for login in logins:
        if login == pr.user.login:
            raise Refusal(400, f"{login} is the author of this pull request and cannot take part in its review.")
        if login not in allowed:
            raise Refusal(404, f"{login} is not a member of this project.")
    return list(dict.fromkeys(logins))


def _render_people(sb: Sandbox, who: dict[str, bool]) -> list[dict[str, Any]]:
    return [{**shapes.user(sb.world.users[login]), "accept": ok} for login, ok in who.items()]


def _assign(who: dict[str, bool], logins: list[str], add: bool) -> None:
    """Add the logins (approvals kept), or make them the whole list (approvals kept for those who stay)."""
    kept = dict(who) if add else {login: ok for login, ok in who.items() if login in logins}
    who.clear()
    who.update(kept)
    who.update({login: who.get(login, False) for login in logins})


def _drop(pr: PullRequest, who: dict[str, bool], logins: list[str]) -> None:
    for login in logins:
        who.pop(login, None)
    pr.updated_at = now()


def _set(sb: Sandbox, call: Call, part: Part) -> Response:
    """ref: the logins in the part's field, comma-separated; `add` true adds them, false (the default) makes them
    the whole list. Answers the part's people."""
    user, repo, pr = open_write(sb, call)
    data = call.data()
    _assign(part.of(pr), _people(sb, repo, pr, user, data, part.key), add=data.get("add") is True)
    pr.updated_at = now()
    return JSONResponse(_render_people(sb, part.of(pr)))


def _remove(sb: Sandbox, call: Call, part: Part) -> Response:
    """Answers the part's people who remain."""
    user, repo, pr = open_write(sb, call)
    _drop(pr, part.of(pr), _people(sb, repo, pr, user, call.data(), part.key))
    return JSONResponse(_render_people(sb, part.of(pr)))


def reset_part(sb: Sandbox, call: Call, part: Part) -> Response:
    """ref: PATCH resets approvals; `reset_all` (sent as true or "true") resets everyone's and is for admins only,
    otherwise the caller's own. Answers 204."""
    user, repo, pr = open_write(sb, call)
    who = part.of(pr)
    if call.data().get("reset_all") in (True, "true") and access(sb.world, repo, user).merge:
        who.update(dict.fromkeys(who, False))
        pr.forced.discard(part.kind)
    elif user.login in who:
        who[user.login] = False
    pr.updated_at = now()
    return Response(status_code=204)


@route("POST", PR_ASSIGNEES)
async def assign_reviewers(sb: Sandbox, call: Call) -> Response:
    # ref: `assignees` comma-separated; adds them; answers {"assignees_number"}.
    user, repo, pr = open_write(sb, call)
    _assign(pr.reviewers, _people(sb, repo, pr, user, call.data(), "assignees"), add=True)
    pr.updated_at = now()
    return JSONResponse({"assignees_number": len(pr.reviewers)})


@route("DELETE", PR_ASSIGNEES)
async def unassign_reviewers(sb: Sandbox, call: Call) -> Response:
    # Gitee v5, the GitCode CLI and Huawei's GitCode SDK send `assignees` in the query (ref shows a form field).
    user, repo, pr = open_write(sb, call)
    data = {"assignees": call.query.get("assignees", call.data().get("assignees", ""))}
    _drop(pr, pr.reviewers, _people(sb, repo, pr, user, data, "assignees"))
    return Response(status_code=204)


@route("POST", PR_REVIEWERS)
async def set_reviewers(sb: Sandbox, call: Call) -> Response:
    return _set(sb, call, REVIEWING)


@route("DELETE", PR_REVIEWERS)
async def remove_reviewers(sb: Sandbox, call: Call) -> Response:
    return _remove(sb, call, REVIEWING)


@route("POST", PR_TESTERS)
async def set_testers(sb: Sandbox, call: Call) -> Response:
    return _set(sb, call, TESTING)


@route("DELETE", PR_TESTERS)
async def remove_testers(sb: Sandbox, call: Call) -> Response:
    # ref (the GitCode VS Code extension's copy): `testers` in a JSON body.
    return _remove(sb, call, TESTING)
