"""Pull requests, continued: one comment by its note id (read, edit, delete), replies in a review discussion and
resolving it, linked issues, the operation log, modification history, reactions, the diff with line numbers
(files.json), and pull requests across repositories (the caller's, an organisation's).

Evidence: the GitCode reference pages of these operations (docs.gitcode.com, their OpenAPI texts), the live probes
in docs/gitcode-behaviour.md (reply answer, linked-issue array body), and a public GitCode skill's notes on the live API
(2026-03: resolve needs `{"resolved": bool}` and the discussion_id; a comment edit answers 204). Resolving sets the
discussion's root Comment.resolved, which the pulls area's merge rules read.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    MY_PRS,
    ORG_PRS,
    PR_COMMENT,
    PR_COMMENT_HISTORY,
    PR_COMMENT_REACTIONS,
    PR_DIFF,
    PR_DISCUSSION,
    PR_DISCUSSION_REPLIES,
    PR_HISTORY,
    PR_ISSUES,
    PR_OPERATION_LOGS,
    PR_REACTIONS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.activity import EMOJI, reactions, version
from gitcode_mcp.sandbox.areas.issues import render_issue
from gitcode_mcp.sandbox.areas.pulls import changes, list_item, pull, source
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route, text_field
from gitcode_mcp.sandbox.state import (
    Comment,
    Edit,
    PullEvent,
    PullRequest,
    Reaction,
    Repo,
    User,
    World,
    fake_sha,
    now,
)

UNKNOWN_EMOJI = f"emoji_name must be one of [{', '.join(EMOJI)}]"
SCOPES = ("created_by_me", "assigned_to_me", "need_my_review", "need_my_approve")  # ref: user/pulls
PR_STATES = ("all", "open", "opened", "closed", "locked", "merged")


def seed(world: World) -> None:
    """PR 1 linked to issue 1 (with its operation log entry); the seeded discussion of PR 2 edited once by its
    author, with a reaction, and a reaction on PR 2. Fixed ids: the shared counter is left alone."""
    demo = world.repo("alice", "demo")
    if demo is None:
        return
    alice, bob = world.users["alice"], world.users["bob"]
    first, second = demo.pulls.get(1), demo.pulls.get(2)
    if first is not None and 1 in demo.issues and not first.linked_issues:
        first.linked_issues.append(1)
        first.events.append(
            PullEvent(
                8_300_101,
                "add_mr_issue_link",
                f"Create mr issue link: **{demo.issues[1].title}** #1",
                alice,
                "2026-11-20T10:05:00+08:00",
                fake_sha("event", 8_300_101),
            )
        )
    if second is not None and second.comments and not second.comments[0].edits:
        root = second.comments[0]
        root.updated_at = "2026-11-21T11:05:00+08:00"
        root.edits = [Edit("Is this needed?", root.user, root.created_at), Edit(root.body, root.user, root.updated_at)]
        root.reactions = [Reaction(alice, "eyes", "2026-11-21T11:20:00+08:00")]
        second.reactions = [Reaction(bob, "like", "2026-11-21T12:00:00+08:00")]


# -- finding things, and who may change them ---------------------------------------------------------------------


def locate(repo: Repo, note_id: int) -> tuple[PullRequest, Comment, Comment]:
    """The PR, the discussion's root comment and the comment (root or reply) with this note id."""
    for pr in repo.pulls.values():
        for root in pr.comments:
            for c in (root, *root.replies):
                if c.id == note_id:
                    return pr, root, c
    raise Refusal(404, "Not Found Note")


def discussion(pr: PullRequest, discussion_id: str) -> Comment:
    for root in pr.comments:
        if root.discussion_id == discussion_id:
            return root
    raise Refusal(404, "Not Found Discussion")


def takes_part(repo: Repo, pr: PullRequest, user: User) -> bool:
    """The repository's owner, its members and its organisation's members, and the PR's author."""
    return (
        user.login in (repo.owner.login, pr.user.login)
        or user.login in repo.members
        or (repo.org is not None and user.login in repo.org.members)
    )


def person(u: User) -> dict[str, Any]:
    """A user as the operation log and modify_history answers carry one (ref); reactions carry shapes.brief_user."""
    return {
        **shapes.user(u),
        "object_id": u.id,
        "email": f"{u.login}@noreply.gitcode.com",
        "name_cn": u.name,
        "nick_name": u.name,
        "state": "active",
        "web_url": f"https://gitcode.com/{u.login}",
    }


def log(sb: Sandbox, pr: PullRequest, user: User, action: str, content: str, discussion_id: str = "") -> None:
    event_id = sb.world.new_id()
    pr.events.append(PullEvent(event_id, action, content, user, now(), discussion_id or fake_sha("event", event_id)))


# -- one comment by its note id ----------------------------------------------------------------------------------


def render_note(repo: Repo, pr: PullRequest, root: Comment, c: Comment) -> dict[str, Any]:
    """A single comment (ref): comment_type `DiscussionNote`, the PR as target.issue, and a diff discussion's
    anchor as `position` (GitLab's form: paths, the head-version line, the shas)."""
    out: dict[str, Any] = {
        "id": c.id,
        "body": c.body,
        "comment_type": "DiscussionNote",
        "created_at": c.created_at,
        "updated_at": c.updated_at or c.created_at,
        "discussion_id": c.discussion_id,
        "user": {**shapes.user(c.user), "type": "User"},
        "target": {"issue": {"id": pr.id, "number": str(pr.number), "title": pr.title}},
    }
    if root.is_diff:
        base = repo.head_sha(pr.base) if pr.base in repo.branches else None
        out["position"] = {
            "base_sha": base,
            "start_sha": base,
            "head_sha": root.commit_id,
            "old_path": root.path,
            "new_path": root.path,
            "old_line": None,
            "new_line": root.line,
            "start_old_line": None,
            "start_new_line": root.line,
            "position_type": "text",
        }
    return out


@route("GET", PR_COMMENT)
async def get_comment(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_note(repo, *locate(repo, call.params["comment_id"])))


def started(edits: list[Edit], body: str, author: User, created_at: str) -> list[Edit]:
    """A text's versions; one never edited has its first version only, made on first need (as Repo.log does)."""
    if not edits:
        edits.append(Edit(body, author, created_at))
    return edits


@route("PATCH", PR_COMMENT)
async def edit_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    _, _, c = locate(repo, call.params["comment_id"])
    text = text_field(call.data(), "body")
    if c.user.login != user.login:
        raise Refusal(403, "Only the author of a comment can edit it")
    started(c.edits, c.body, c.user, c.created_at)
    c.body, c.updated_at = text, now()
    c.edits.append(Edit(text, user, c.updated_at))
    # Notes on the live API (2026-03) report 204 No Content for this edit; Gitee answers the comment.
    return Response(status_code=204)


@route("DELETE", PR_COMMENT)
async def delete_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr, root, c = locate(repo, call.params["comment_id"])
    if user.login not in (c.user.login, repo.owner.login):
        raise Refusal(403, "Only the author of a comment or the repository's owner can delete it")
    if c is not root:
        root.replies.remove(c)
    elif root.replies:
        # The discussion stays: its first reply takes the root's place and anchor (as GitLab keeps a thread).
        heir = root.replies.pop(0)
        heir.replies, heir.path, heir.line = root.replies, root.path, root.line
        heir.commit_id, heir.resolved = root.commit_id, root.resolved
        pr.comments[pr.comments.index(root)] = heir
    else:
        pr.comments.remove(root)
    return Response(status_code=204)


# -- review discussions: reply, resolve --------------------------------------------------------------------------


@route("POST", PR_DISCUSSION_REPLIES)
async def reply(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    root = discussion(pr, call.params["discussion_id"])
    note = Comment(sb.world.new_id(), root.discussion_id, user, text_field(call.data(), "body"), now())
    root.replies.append(note)
    pr.updated_at = note.created_at
    # probe: 201 {id: the discussion id, note_id, body} (the reference names it noteId and says 200).
    return JSONResponse({"id": root.discussion_id, "note_id": note.id, "body": note.body}, status_code=201)


@route("PUT", PR_DISCUSSION)
async def resolve(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    root = discussion(pr, call.params["discussion_id"])
    resolved = call.data().get("resolved")
    if not isinstance(resolved, bool):
        # ref: `resolved` is required; live notes report PARAMETER_ERROR without it.
        raise Refusal(400, "resolved is required and must be true or false", "PARAMETER_ERROR")
    if not takes_part(repo, pr, user) and user.login != root.user.login:
        raise Refusal(403, "You do not have permission to resolve this discussion")
    if root.resolved != resolved:
        root.resolved = resolved
        what = "Resolved" if resolved else "Unresolved"
        log(
            sb,
            pr,
            user,
            "resolve_discussion" if resolved else "unresolve_discussion",
            f"{what} a discussion",
            root.discussion_id,
        )
    return Response(status_code=200)  # ref: 200, no body documented


# -- linked issues -----------------------------------------------------------------------------------------------


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


# -- operation log, modification history, reactions ---------------------------------------------------------------


@route("GET", PR_OPERATION_LOGS)
async def operate_logs(sb: Sandbox, call: Call) -> Response:
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


def render_versions(edits: list[Edit], author: User, created_at: str) -> list[dict[str, Any]]:
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
    return JSONResponse(render_versions(edits, pr.user, pr.created_at))


@route("GET", PR_COMMENT_HISTORY)
async def comment_history(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    _, _, c = locate(repo, call.params["comment_id"])
    return JSONResponse(render_versions(started(c.edits, c.body, c.user, c.created_at), c.user, c.created_at))


def _reactions(call: Call, found: list[Reaction]) -> Response:
    """A PR's or a comment's reactions, with ids made from who reacted, how and when."""
    rows = [(fake_sha("reaction", r.user.login, r.emoji_name, r.created_at)[:24], r.emoji_name, r.user) for r in found]
    return reactions(call, rows, UNKNOWN_EMOJI)


@route("GET", PR_REACTIONS)
async def pull_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return _reactions(call, pull(repo, call).reactions)


@route("GET", PR_COMMENT_REACTIONS)
async def comment_reactions(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return _reactions(call, locate(repo, call.params["comment_id"])[2].reactions)


# -- the diff with line numbers ----------------------------------------------------------------------------------

_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def diff_lines(path: str, diff: str) -> list[dict[str, Any]]:
    """A unified diff as files.json's `content.text` (ref example): each line with its old and new numbers as
    strings ("" on the side it is not on), `type` old / new (none for context, whose line_content keeps the diff's
    leading space), line_code `<sha1 of the path>_<old>_<new>` of the running counters, and a `match` line for
    each hunk header except one at the top of the file (GitLab's parser, which GitCode's answer follows)."""
    key = hashlib.sha1(path.encode()).hexdigest()
    out: list[dict[str, Any]] = []
    old = new = 0

    def line(content: str, old_num: str, new_num: str, kind: str | None) -> None:
        code = f"{key}_{old}_{new}"
        item: dict[str, Any] = {
            "line_content": content,
            "new_line": {"line_code": code, "line_num": new_num},
            "old_line": {"line_code": code, "line_num": old_num},
        }
        out.append(item | ({"type": kind} if kind else {}))

    for raw in diff.splitlines():
        if hunk := _HUNK.match(raw):
            old, new = int(hunk[1]), int(hunk[2])
            if old > 1 or new > 1:
                line(raw, "", "", "match")
        elif raw.startswith("-"):
            line(raw[1:], str(old), "", "old")
            old += 1
        elif raw.startswith("+"):
            line(raw[1:], "", str(new), "new")
            new += 1
        elif raw.startswith(" "):
            line(raw, str(old), str(new), None)
            old, new = old + 1, new + 1
    return out


@route("GET", PR_DIFF)
async def diff_json(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    pr = pull(repo, call)
    src = source(repo, pr)
    files = changes(repo, pr)
    base = repo.head_sha(pr.base)
    diffs = [
        {
            "added_lines": f["additions"],
            "remove_lines": f["deletions"],
            # A too-large file's diff is not sent (as in pulls/{n}/files); its counts are.
            "content": {"text": [] if f["patch"]["too_large"] else diff_lines(f["filename"], f["patch"]["diff"])},
            "head": {"commit_id": f["sha"], "url": f["raw_url"]},
            "new_blob_id": f["blob_id"],
            "statistic": {
                "new_path": f["patch"]["new_path"],
                "old_path": f["patch"]["old_path"],
                "path": f["filename"],
                "type": "text_type",
                "view": False,
            },
        }
        for f in files
    ]
    return JSONResponse(
        {
            "added_lines": sum(f["additions"] for f in files),
            "remove_lines": sum(f["deletions"] for f in files),
            "code": 0,
            "count": len(diffs),
            "diff_refs": {"base_sha": base, "head_sha": src.head_sha(pr.head), "start_sha": base},
            "diffs": diffs,
        }
    )


# -- pull requests across repositories ---------------------------------------------------------------------------


def across(sb: Sandbox, call: Call, found: list[tuple[Repo, PullRequest]]) -> Response:
    """Filtered by `state` (all by default, ref), sorted by `sort` (created | updated | merged_at) in `direction`."""
    state = call.query.get("state", "all")
    if state not in PR_STATES:
        raise Refusal(400, f"state must be one of [{', '.join(PR_STATES)}]")
    key = {"created": "created_at", "updated": "updated_at", "merged_at": "merged_at"}.get(
        call.query.get("sort", "created")
    )
    direction = call.query.get("direction", "desc")
    if key is None or direction not in ("asc", "desc"):
        raise Refusal(400, "sort must be created, updated or merged_at, and direction asc or desc")
    kept = [
        (repo, pr)
        for repo, pr in found
        if state in ("all", pr.state, "opened" if pr.state == "open" else "")
        and call.query.get("base") in (None, pr.base)
        and call.query.get("author") in (None, pr.user.login)
    ]
    kept.sort(key=lambda rp: str(getattr(rp[1], key) or rp[1].created_at), reverse=direction == "desc")
    return page(call, [list_item(sb, repo, pr) for repo, pr in kept])


@route("GET", MY_PRS)
async def my_pulls(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    scope = call.query.get("scope", "created_by_me")  # ref: created by me unless a scope says otherwise
    if scope not in SCOPES:
        raise Refusal(400, f"scope must be one of [{', '.join(SCOPES)}]")

    def mine(pr: PullRequest) -> bool:
        if scope == "created_by_me":
            return pr.user.login == user.login
        if scope == "assigned_to_me":
            return user.login in pr.reviewers
        return pr.state == "open" and pr.reviewers.get(user.login) is False  # waiting for my review or approval

    found = [(r, pr) for r in sb.world.repos.values() if r.visible_to(user) for pr in r.pulls.values() if mine(pr)]
    return across(sb, call, found)


@route("GET", ORG_PRS)
async def org_pulls(sb: Sandbox, call: Call) -> Response:
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Group")
    found = [
        (r, pr)
        for r in sb.world.repos.values()
        if (r.org is org or r.owner.login == org.login) and r.visible_to(call.caller)
        for pr in r.pulls.values()
    ]
    return across(sb, call, found)
