"""Issue activity: comments read, edited and deleted by id and listed across a repository, the pull requests and
branches linked to an issue, its operation log, the edit history of an issue or a comment, emoji reactions, and the
issues of the caller (everywhere, or in one organization).

Shapes follow the reference pages (docs.gitcode.com, Issues) and docs/gitcode-behaviour.md (Issues): repository-wide
comments are paged with total_count / total_page and carry `target.issue.number` (probe); the operation log is
owner-scoped with `repo` as a query parameter (ref); modify_history and user_reactions ids are strings, their users
carry `object_id` (ref); a comment edit and a comment delete answer no body (ref: "无")."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ISSUE_BRANCHES,
    ISSUE_COMMENT,
    ISSUE_COMMENT_HISTORY,
    ISSUE_COMMENT_REACTIONS,
    ISSUE_HISTORY,
    ISSUE_OPERATION_LOGS,
    ISSUE_PRS,
    ISSUE_REACTIONS,
    MY_ISSUES,
    ORG_ISSUES,
    REPO_ISSUE_COMMENTS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.activity import EMOJI, reactions, version
from gitcode_mcp.sandbox.areas import issues as issue_area
from gitcode_mcp.sandbox.areas.issues import issue_of, render_comment, render_issue
from gitcode_mcp.sandbox.areas.pulls import render_pull
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route, text_field
from gitcode_mcp.sandbox.state import (
    Comment,
    Issue,
    IssueEdit,
    IssueEvent,
    IssueReaction,
    Repo,
    User,
    World,
    fake_sha,
    now,
)

UNKNOWN_EMOJI = f"emoji_name must be one of {', '.join(EMOJI)}"


def seed(world: World) -> None:
    """Activity on alice/demo's issue 1: PR 1 (from `feature`) and the branch `feature` linked to it, two log
    entries, an edited body and an edited comment, and reactions. Counts of issues and comments are left as the
    issues area seeds them; fixed ids, so the shared counter does not move."""
    issue_area.seed(world)  # the issues area's seed runs after this one (module order); it is idempotent
    demo = world.repo("alice", "demo")
    if demo is None or 1 not in demo.issues or demo.issues[1].events:
        return
    alice, bob = world.users["alice"], world.users["bob"]
    bug = demo.issues[1]
    if 1 in demo.pulls and 1 not in demo.pulls[1].linked_issues:
        demo.pulls[1].linked_issues.append(1)
    bug.branches = ["feature"]
    bug.events = [
        IssueEvent(8_300_101, alice, "milestone", "changed milestone to v1.0", "2026-11-19T15:30:00+08:00"),
        IssueEvent(
            8_300_102,
            alice,
            "add_issue_mr_link",
            "Create issue mr links: **Type hints and a main()** #1",
            "2026-11-20T10:05:00+08:00",
            pull=1,
        ),
    ]
    bug.edits = [
        IssueEdit(_edit_id(bug.id, 1), bob, "greet('') prints 'hello '.", bug.created_at, created=True),
        IssueEdit(_edit_id(bug.id, 2), bob, bug.body, "2026-11-19T15:10:00+08:00"),
    ]
    bug.reactions = [
        IssueReaction(_reaction_id(bug.id, "bob"), bob, "like"),
        IssueReaction(_reaction_id(bug.id, "alice"), alice, "eyes"),
    ]
    if bug.comments:
        note = bug.comments[0]
        note.edits = [
            IssueEdit(_edit_id(note.id, 1), alice, "Confirmed.", note.created_at, created=True),
            IssueEdit(_edit_id(note.id, 2), alice, note.body, "2026-11-19T16:05:00+08:00"),
        ]
        note.reactions = [IssueReaction(_reaction_id(note.id, "bob"), bob, "like")]


def _edit_id(owner_id: int, n: int) -> str:
    return fake_sha("edit", owner_id, n)[:24]


def _reaction_id(owner_id: int, login: str) -> str:
    return fake_sha("reaction", owner_id, login)[:24]


# -- comments by id, and across the repository ----------------------------------------------------------------------


def find_comment(repo: Repo, comment_id: int) -> tuple[Issue, Comment]:
    for issue in repo.issues.values():
        for c in issue.comments:
            if c.id == comment_id:
                return issue, c
    raise Refusal(404, "Not Found Note")


def render(repo: Repo, issue: Issue, c: Comment) -> dict[str, Any]:
    """An issue comment as the issues area renders it, with the time of its last edit as `updated_at`. (The issues
    area's per-issue list, which knows no edits, answers its creation time there.)"""
    return {**render_comment(repo, issue, c), "updated_at": c.edits[-1].created_at if c.edits else c.created_at}


def render_one(repo: Repo, issue: Issue, c: Comment) -> dict[str, Any]:
    # ref (GET issues/comments/{id}): the single answer also names its type.
    return {**render(repo, issue, c), "comment_type": "DiscussionNote"}


@route("GET", REPO_ISSUE_COMMENTS)
async def repo_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    sort = call.query.get("sort", "created")
    direction = call.query.get("direction", "asc")
    if sort not in ("created", "updated") or direction not in ("asc", "desc"):
        raise Refusal(400, "sort must be created or updated, direction asc or desc")
    found = [(issue, c) for issue in repo.issues.values() for c in issue.comments]

    def key(ic: tuple[Issue, Comment]) -> tuple[str, int]:
        c = ic[1]
        return (c.edits[-1].created_at if sort == "updated" and c.edits else c.created_at, c.id)

    # ref: `direction` is ignored without `sort`.
    found.sort(key=key, reverse="sort" in call.query and direction == "desc")
    return page(call, [render(repo, issue, c) for issue, c in found])


@route("GET", ISSUE_COMMENT)
async def get_comment(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    issue, c = find_comment(repo, call.params["comment_id"])
    return JSONResponse(render_one(repo, issue, c))


@route("PATCH", ISSUE_COMMENT)
async def edit_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    _, c = find_comment(repo, call.params["comment_id"])
    text = text_field(call.data(), "body")
    if user.login != c.user.login:
        raise Refusal(403, "only the author of a comment may edit it")
    _versions(c.user, c.body, c.created_at, c.edits)
    c.body = text
    c.edits.append(IssueEdit(_edit_id(c.id, len(c.edits) + 1), user, text, now()))
    return Response(status_code=204)  # ref: no answer body


@route("DELETE", ISSUE_COMMENT)
async def delete_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    issue, c = find_comment(repo, call.params["comment_id"])
    if user.login not in (c.user.login, repo.owner.login):
        raise Refusal(403, "only the author of a comment or the repository's owner may delete it")
    issue.comments.remove(c)
    return Response(status_code=204)


# -- what is linked to an issue -------------------------------------------------------------------------------------


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


# -- history --------------------------------------------------------------------------------------------------------


@route("GET", ISSUE_OPERATION_LOGS)
async def operate_logs(sb: Sandbox, call: Call) -> Response:
    # ref: owner-scoped, the repository as the required query parameter `repo`.
    if not call.query.get("repo"):
        raise Refusal(400, "repo is required")
    repo = sb.world.repo(call.params["owner"], call.query["repo"])
    if repo is None or not repo.visible_to(call.caller):
        raise Refusal(404, "Not Found Project")
    issue = issue_of(repo, call)
    answer = []
    for e in reversed(issue.events):  # ref: newest first
        pr = repo.pulls.get(e.pull) if e.pull else None
        answer.append(
            {
                "id": e.id,
                "user": shapes.user(e.user),
                "content": e.content,
                "created_at": e.created_at,
                "action_type": e.action_type,
                "update_at": e.created_at,  # sic (ref)
                "title": pr.title if pr else None,
                "body": pr.body if pr else None,
                "head": {"ref": pr.head, "sha": repo.head_sha(pr.head) if pr.head in repo.branches else None}
                if pr
                else None,
                "base": {"ref": pr.base, "sha": repo.head_sha(pr.base) if pr.base in repo.branches else None}
                if pr
                else None,
                "issue_id": str(issue.id),
            }
        )
    return JSONResponse(answer)


def _versions(
    author: User, text: str, created_at: str, edits: list[IssueEdit], changed_at: str = ""
) -> list[IssueEdit]:
    """The versions of a text, oldest first. A text never edited through this area (or changed by another area,
    e.g. the issue update route) gets its versions here: the first, and the current one where it differs. The
    simulator does not know who made such a change: it is attributed to the author."""
    if not edits:
        edits.append(IssueEdit(fake_sha("edit", author.id, created_at)[:24], author, text, created_at, created=True))
    if edits[-1].content != text:
        edits.append(IssueEdit(fake_sha("edit", created_at, len(edits))[:24], author, text, changed_at or now()))
    return edits


def render_versions(author: User, edits: list[IssueEdit]) -> list[dict[str, Any]]:
    """Oldest first, each version with the id and time it was made with (ref); the users in brief."""
    return [
        version(
            version_id=e.id,
            created_at=e.created_at,
            updated_at=e.created_at,
            content=e.content,
            author=shapes.brief_user(author),
            editor=shapes.brief_user(e.user),
            created=e.created,
            deleted=e.deleted,
        )
        for e in edits
    ]


@route("GET", ISSUE_HISTORY)
async def issue_history(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    issue = issue_of(repo, call)
    edits = _versions(issue.user, issue.body, issue.created_at, issue.edits, issue.updated_at)
    return JSONResponse(render_versions(issue.user, edits))


@route("GET", ISSUE_COMMENT_HISTORY)
async def comment_history(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    _, c = find_comment(repo, call.params["comment_id"])
    return JSONResponse(render_versions(c.user, _versions(c.user, c.body, c.created_at, c.edits)))


# -- reactions ------------------------------------------------------------------------------------------------------


def _reactions(call: Call, found: list[IssueReaction]) -> Response:
    return reactions(call, [(r.id, r.emoji_name, r.user) for r in found], UNKNOWN_EMOJI)


@route("GET", ISSUE_REACTIONS)
async def issue_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return _reactions(call, issue_of(repo, call).reactions)


@route("GET", ISSUE_COMMENT_REACTIONS)
async def comment_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return _reactions(call, find_comment(repo, call.params["comment_id"])[1].reactions)


# -- the caller's issues --------------------------------------------------------------------------------------------

FILTERS = ("assigned", "created", "all")


def _mine(call: Call, user: User, repos: list[Repo], states: tuple[str, ...]) -> Response:
    who = call.query.get("filter", "assigned")  # ref: assigned (default), created, all
    state = call.query.get("state", "open")  # ref: open (default), closed
    if who not in FILTERS or state not in states:
        raise Refusal(400, f"filter must be assigned, created or all; state one of {', '.join(states)}")

    def matches(issue: Issue) -> bool:
        assigned = any(a.login == user.login for a in issue.assignees)
        created = issue.user.login == user.login
        chosen = {"assigned": assigned, "created": created, "all": assigned or created}[who]
        return chosen and state in ("all", issue.state)

    found = [(r, i) for r in repos if r.visible_to(user) for i in r.issues.values() if matches(i)]
    found.sort(key=lambda ri: (ri[1].created_at, ri[1].id), reverse=call.query.get("direction", "desc") == "desc")
    return page(call, [render_issue(r, i) for r, i in found])


@route("GET", MY_ISSUES)
async def user_issues(sb: Sandbox, call: Call) -> Response:
    # The reference's parameters name open and closed only: `all` is refused (docs/gitcode-behaviour.md, Issues).
    return _mine(call, need_token(call), list(sb.world.repos.values()), ("open", "closed"))


@route("GET", ORG_ISSUES)
async def org_issues(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Namespace")
    # open and closed (ref parameters); `all`, which the reference's demo of this one sends, is answered too.
    return _mine(
        call, user, [r for r in sb.world.repos.values() if r.owner.login == org.login], ("open", "closed", "all")
    )
