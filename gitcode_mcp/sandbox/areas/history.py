"""What happened to a pull request or an issue: its operation log, the versions of its text and of its comments'
(modify_history), and emoji reactions (user_reactions), in the reference's shapes for each; sandbox/activity.py
holds what both answer alike."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ISSUE_COMMENT_HISTORY,
    ISSUE_COMMENT_REACTIONS,
    ISSUE_HISTORY,
    ISSUE_OPERATION_LOGS,
    ISSUE_REACTIONS,
    PR_COMMENT_HISTORY,
    PR_COMMENT_REACTIONS,
    PR_HISTORY,
    PR_OPERATION_LOGS,
    PR_REACTIONS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.activity import EMOJI, edit_id, issue_versions, person, reactions, started, version
from gitcode_mcp.sandbox.areas import issues as issue_area
from gitcode_mcp.sandbox.areas.issues import find_comment, issue_of
from gitcode_mcp.sandbox.areas.pulls.requests import locate, pull
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, page, route
from gitcode_mcp.sandbox.state import (
    Edit,
    IssueEdit,
    IssueEvent,
    IssueReaction,
    Reaction,
    User,
    World,
    fake_sha,
    now,
)

UNKNOWN_PR_EMOJI = f"emoji_name must be one of [{', '.join(EMOJI)}]"


@route("GET", PR_OPERATION_LOGS)
async def pr_operate_logs(sb: Sandbox, call: Call) -> Response:
    """ref: newest first unless `sort` says asc. What this area's writes record (issue links, resolutions); the
    pulls area's own writes (open, edit, close, merge) are not logged here."""
    repo = sb.repo(call)
    pr = pull(repo, call)
    events = sorted(pr.events, key=lambda e: (e.created_at, e.id), reverse=call.query.get("sort", "desc") != "asc")
    return page(
        call,
        [
            {
                "id": e.id,
                "action": e.action,
                "action_type": e.action,
                "content": e.content,
                "created_at": e.created_at,
                "updated_at": e.created_at,
                "discussion_id": e.discussion_id,
                "merge_request_id": pr.id,
                "project": repo.full_name,
                "assignee": None,
                "proposer": None,
                "user": {**person(e.user), "avatar_path": None, "is_member": None, "tenant_name": None},
            }
            for e in events
        ],
    )


def render_pr_versions(edits: list[Edit], author: User, created_at: str) -> list[dict[str, Any]]:
    """modify_history (ref): one entry per version, the first marked `created`; newest first here."""
    out = [
        version(
            version_id=fake_sha("version", created_at, i, e.at)[:24],
            created_at=created_at,
            updated_at=e.at,
            content=e.content,
            author=person(author),
            editor=person(e.user),
            created=i == 0,
        )
        for i, e in enumerate(edits)
    ]
    return out[::-1]


@route("GET", PR_HISTORY)
async def pull_history(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    pr = pull(repo, call)
    edits = started(pr.edits, pr.body, pr.user, pr.created_at)
    if edits[-1].content != pr.body:
        # Edited through the pulls area, which keeps no versions: the editor is not known there; the author stands in.
        edits.append(Edit(pr.body, pr.user, pr.updated_at or now()))
    return JSONResponse(render_pr_versions(edits, pr.user, pr.created_at))


@route("GET", PR_COMMENT_HISTORY)
async def pr_comment_history(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    _, _, c = locate(repo, call.params["comment_id"])
    return JSONResponse(render_pr_versions(started(c.edits, c.body, c.user, c.created_at), c.user, c.created_at))


def pr_reactions_page(call: Call, found: list[Reaction]) -> Response:
    """A PR's or a comment's reactions, with ids made from who reacted, how and when."""
    rows = [(fake_sha("reaction", r.user.login, r.emoji_name, r.created_at)[:24], r.emoji_name, r.user) for r in found]
    return reactions(call, rows, UNKNOWN_PR_EMOJI)


@route("GET", PR_REACTIONS)
async def pull_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return pr_reactions_page(call, pull(repo, call).reactions)


@route("GET", PR_COMMENT_REACTIONS)
async def pr_comment_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return pr_reactions_page(call, locate(repo, call.params["comment_id"])[2].reactions)


UNKNOWN_ISSUE_EMOJI = f"emoji_name must be one of {', '.join(EMOJI)}"


def _reaction_id(owner_id: int, login: str) -> str:
    return fake_sha("reaction", owner_id, login)[:24]


@route("GET", ISSUE_OPERATION_LOGS)
async def issue_operate_logs(sb: Sandbox, call: Call) -> Response:
    # ref: owner-scoped, the repository as the required query parameter `repo`.
    if not call.query.get("repo"):
        raise Refusal(400, "repo is required")
    repo = sb.world.repo(call.params["owner"], call.query["repo"])
    if repo is None or not access(sb.world, repo, call.caller).read:
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


def render_issue_versions(author: User, edits: list[IssueEdit]) -> list[dict[str, Any]]:
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
    edits = issue_versions(issue.user, issue.body, issue.created_at, issue.edits, issue.updated_at)
    return JSONResponse(render_issue_versions(issue.user, edits))


@route("GET", ISSUE_COMMENT_HISTORY)
async def issue_comment_history(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    _, c = find_comment(repo, call.params["comment_id"])
    return JSONResponse(render_issue_versions(c.user, issue_versions(c.user, c.body, c.created_at, c.edits)))


def issue_reactions_page(call: Call, found: list[IssueReaction]) -> Response:
    return reactions(call, [(r.id, r.emoji_name, r.user) for r in found], UNKNOWN_ISSUE_EMOJI)


@route("GET", ISSUE_REACTIONS)
async def issue_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return issue_reactions_page(call, issue_of(repo, call).reactions)


@route("GET", ISSUE_COMMENT_REACTIONS)
async def issue_comment_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return issue_reactions_page(call, find_comment(repo, call.params["comment_id"])[1].reactions)


def seed(world: World) -> None:
    """What happened on alice/demo: issue 1's log (its milestone, its link to PR 1), its edited body and comment and
    their reactions; PR 2's discussion, edited once by its author, and reactions on it and on PR 2."""
    issue_area.seed(world)
    demo = world.repo("alice", "demo")
    if demo is None:
        return
    alice, bob = world.users["alice"], world.users["bob"]
    if 1 in demo.issues and not demo.issues[1].events:
        bug = demo.issues[1]
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
            IssueEdit(edit_id(bug.id, 1), bob, "greet('') prints 'hello '.", bug.created_at, created=True),
            IssueEdit(edit_id(bug.id, 2), bob, bug.body, "2026-11-19T15:10:00+08:00"),
        ]
        bug.reactions = [
            IssueReaction(_reaction_id(bug.id, "bob"), bob, "like"),
            IssueReaction(_reaction_id(bug.id, "alice"), alice, "eyes"),
        ]
        if bug.comments:
            note = bug.comments[0]
            note.edits = [
                IssueEdit(edit_id(note.id, 1), alice, "Confirmed.", note.created_at, created=True),
                IssueEdit(edit_id(note.id, 2), alice, note.body, "2026-11-19T16:05:00+08:00"),
            ]
            note.reactions = [IssueReaction(_reaction_id(note.id, "bob"), bob, "like")]
    second = demo.pulls.get(2)
    if second is not None and second.comments and not second.comments[0].edits:
        root = second.comments[0]
        root.updated_at = "2026-11-21T11:05:00+08:00"
        root.edits = [Edit("Is this needed?", root.user, root.created_at), Edit(root.body, root.user, root.updated_at)]
        root.reactions = [Reaction(alice, "eyes", "2026-11-21T11:20:00+08:00")]
        second.reactions = [Reaction(bob, "like", "2026-11-21T12:00:00+08:00")]
