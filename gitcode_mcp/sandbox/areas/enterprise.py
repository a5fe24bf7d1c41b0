"""An enterprise (the v5 enterprise operations): its members and their roles, and the issues and pull requests of its
repositories. GitCode's pages for these could not be read; the shapes follow Gitee v5 (whose enterprise API GitCode's
v5 copies) with fields as the gitcode-api package (1.3.4) models them: members `{id, login, name, role, user, ...}`,
roles `admin | developer | viewer`, issues and pull requests in the repository answers' shapes with their repository.

Seeded: gitcode-ent, alice its admin and bob a developer; its work is alice/demo's issues and pull requests (issue 1
linked to PR 1) and the mirrors area's gitcode-ent/infra repositories. An enterprise issue is found by the `number`
its repository gave it (the first of the enterprise's repositories that has it), its labels by its `id`.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ENTERPRISE_ISSUE,
    ENTERPRISE_ISSUE_COMMENTS,
    ENTERPRISE_ISSUE_LABELS,
    ENTERPRISE_ISSUE_PRS,
    ENTERPRISE_ISSUES,
    ENTERPRISE_MEMBER,
    ENTERPRISE_MEMBERS,
    ENTERPRISE_PRS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.issues import render_comment, render_issue
from gitcode_mcp.sandbox.areas.pulls import list_item
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route, string_list
from gitcode_mcp.sandbox.state import API, WEB, Enterprise, Issue, Repo, User, World, fake_sha

ENTERPRISE = "gitcode-ent"
ROLES = ("admin", "developer", "viewer")


def enterprise_of(world: World) -> Enterprise:
    """The seeded enterprise, created on first use (the mirrors area seeds its repositories into it)."""
    found = world.enterprises.get(ENTERPRISE)
    if found is None:
        found = Enterprise(fake_sha("enterprise", ENTERPRISE)[:24], ENTERPRISE, "GitCode Enterprise", number=8_710_001)
        found.members = {"alice": "admin", "bob": "developer"}
        world.enterprises[found.login] = found
    return found


def seed(world: World) -> None:
    ent = enterprise_of(world)
    if "alice/demo" not in ent.projects and world.repo("alice", "demo") is not None:
        ent.projects.insert(0, "alice/demo")
        ent.links[8_300_011] = [("alice/demo", 1)]  # alice/demo issue 1 (the issues area's fixed id) <-> PR 1


def enterprise(sb: Sandbox, call: Call) -> tuple[Enterprise, User]:
    """The enterprise of the path, for one of its members (others: 403; anonymous: 401)."""
    user = need_token(call)
    ent = sb.world.enterprises.get(call.params["enterprise"])
    if ent is None:
        raise Refusal(404, "Not Found Enterprise")
    if user.login not in ent.members:
        raise Refusal(403, "You are not a member of this enterprise", "FORBIDDEN")
    return ent, user


def repos_of(sb: Sandbox, ent: Enterprise, user: User) -> list[Repo]:
    found = (sb.world.repos.get(name) for name in ent.projects)
    return [r for r in found if r is not None and r.visible_to(user)]


def render_member(ent: Enterprise, user: User) -> dict[str, Any]:
    return {
        **shapes.user(user),
        "url": f"{API}/enterprises/{ent.login}/members/{user.login}",
        "role": ent.members[user.login],
        "active": True,
        "remark": "",
        "outsourced": False,
        "user": {**shapes.user(user), "type": "User"},
    }


def render_enterprise_issue(ent: Enterprise, repo: Repo, issue: Issue) -> dict[str, Any]:
    return {
        **render_issue(repo, issue),
        "enterprise": {"id": ent.number, "path": ent.login, "html_url": f"{WEB}/{ent.login}", "type": "enterprise"},
        "program": None,
    }


def member_of(ent: Enterprise, sb: Sandbox, call: Call) -> User:
    user = sb.world.users.get(call.params["username"])
    if user is None or user.login not in ent.members:
        raise Refusal(404, "Not Found Member")
    return user


@route("GET", ENTERPRISE_MEMBERS)
async def list_members(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
    wanted = call.query.get("role", "all")
    if wanted not in ("all", *ROLES):
        raise Refusal(400, f"role must be one of all, {', '.join(ROLES)}")
    people = [sb.world.users[login] for login, r in ent.members.items() if wanted in ("all", r)]
    return page(call, [render_member(ent, u) for u in people])


@route("GET", ENTERPRISE_MEMBER)
async def get_member(sb: Sandbox, call: Call) -> Response:
    ent, _ = enterprise(sb, call)
    return JSONResponse(render_member(ent, member_of(ent, sb, call)))


@route("PUT", ENTERPRISE_MEMBER)
async def set_member_role(sb: Sandbox, call: Call) -> Response:
    ent, me = enterprise(sb, call)
    if ent.members.get(me.login) != "admin":
        raise Refusal(403, "Only the enterprise's administrators may change roles", "FORBIDDEN")
    user = member_of(ent, sb, call)
    wanted = call.data().get("role")
    if not wanted:
        raise Refusal(400, "role must not be blank", "PARAMETER_ERROR")  # atomgit's answer to a PUT without it
    if wanted not in ROLES:
        raise Refusal(400, f"role must be one of {', '.join(ROLES)}", "PARAMETER_ERROR")
    if user.login == me.login and wanted != "admin" and list(ent.members.values()).count("admin") == 1:
        raise Refusal(400, "The enterprise's last administrator cannot give up the role")
    ent.members[user.login] = wanted
    return JSONResponse(render_member(ent, user))


def work(sb: Sandbox, call: Call) -> tuple[Enterprise, list[tuple[Repo, Issue]]]:
    ent, user = enterprise(sb, call)
    return ent, [(r, i) for r in repos_of(sb, ent, user) for i in r.issues.values()]


def find_issue(sb: Sandbox, call: Call) -> tuple[Enterprise, Repo, Issue]:
    ent, found = work(sb, call)
    if "number" in call.params:
        match = [(r, i) for r, i in found if i.number == call.params["number"]]
    else:
        match = [(r, i) for r, i in found if i.id == call.params["issue_id"]]
    if not match:
        raise Refusal(404, "Not Found Issue")
    return ent, *match[0]


@route("GET", ENTERPRISE_ISSUES)
async def list_issues(sb: Sandbox, call: Call) -> Response:
    ent, found = work(sb, call)
    q = call.query
    state = q.get("state", "open")
    if state not in ("open", "closed", "all"):
        raise Refusal(400, "state must be one of open, closed, all")
    labels = set(string_list(dict(q), "labels"))
    found = [
        (r, i)
        for r, i in found
        if state in ("all", i.state)
        and labels <= set(i.labels)
        and q.get("creator") in (None, i.user.login)
        and q.get("assignee") in (None, *(a.login for a in i.assignees))
        and (i.updated_at or i.created_at) >= q.get("since", "")
    ]
    found = sort_by(call, found, lambda ri: ri[1].created_at, lambda ri: ri[1].updated_at or ri[1].created_at)
    return page(call, [render_enterprise_issue(ent, r, i) for r, i in found])


def sort_by(call: Call, items: list[Any], created: Any, updated: Any) -> list[Any]:
    """Sorted by `sort` (created | updated, Gitee v5) in `direction` (asc | desc), newest first by default."""
    sort, direction = call.query.get("sort", "created"), call.query.get("direction", "desc")
    if sort not in ("created", "updated", "created_at", "updated_at"):
        raise Refusal(400, "sort must be one of created, updated")
    if direction not in ("asc", "desc"):
        raise Refusal(400, "direction must be one of asc, desc")
    return sorted(items, key=created if sort.startswith("created") else updated, reverse=direction == "desc")


@route("GET", ENTERPRISE_ISSUE)
async def get_issue(sb: Sandbox, call: Call) -> Response:
    ent, repo, issue = find_issue(sb, call)
    return JSONResponse(render_enterprise_issue(ent, repo, issue))


@route("GET", ENTERPRISE_ISSUE_COMMENTS)
async def issue_comments(sb: Sandbox, call: Call) -> Response:
    _, repo, issue = find_issue(sb, call)
    return page(call, [render_comment(repo, issue, c) for c in issue.comments])


@route("GET", ENTERPRISE_ISSUE_LABELS)
async def issue_labels(sb: Sandbox, call: Call) -> Response:
    _, repo, issue = find_issue(sb, call)
    return JSONResponse([shapes.label(repo, name) for name in issue.labels])


@route("GET", ENTERPRISE_ISSUE_PRS)
async def issue_pulls(sb: Sandbox, call: Call) -> Response:
    ent, _, issue = find_issue(sb, call)
    linked = [(sb.world.repos.get(full), n) for full, n in ent.links.get(issue.id, [])]
    return JSONResponse([list_item(sb, r, r.pulls[n]) for r, n in linked if r is not None and n in r.pulls])


@route("GET", ENTERPRISE_PRS)
async def list_pulls(sb: Sandbox, call: Call) -> Response:
    ent, user = enterprise(sb, call)
    q = call.query
    state = q.get("state", "open")
    if state not in ("open", "closed", "merged", "all"):
        raise Refusal(400, "state must be one of open, closed, merged, all")
    linked: set[tuple[str, int]] | None = None
    if (number := q.get("issue_number")) is not None:
        issues = [i for r in repos_of(sb, ent, user) for i in r.issues.values() if str(i.number) == number]
        linked = {link for i in issues for link in ent.links.get(i.id, [])}
    found = [
        (r, pr)
        for r in repos_of(sb, ent, user)  # no `repo` filter: the reference documents none (a sent one is ignored)
        for pr in r.pulls.values()
        if state in ("all", pr.state) and (linked is None or (r.full_name, pr.number) in linked)
    ]
    found = sort_by(call, found, lambda rp: rp[1].created_at, lambda rp: rp[1].updated_at or rp[1].created_at)
    return page(call, [list_item(sb, r, pr) for r, pr in found])
