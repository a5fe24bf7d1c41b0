"""Pull requests, continued: replying in a review discussion and resolving it and the diff with line numbers (the
`pulls` toolset); one comment by id, read, edited or deleted (`comments`); linked issues (`links`); the operation log,
edit history and reactions (`history`); and pull requests across repositories (yours, an organisation's)."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

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
from gitcode_mcp.errors import GitCodeError, InvalidArgument
from gitcode_mcp.paths import api_path, clean_file_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, get_page, gitcode

# Your pull requests and an organization's are listed with the users and orgs toolsets: they are about a person or
# an organization, and the pulls toolset, in the default set, has no bytes to spare.
from gitcode_mcp.tools.orgs import orgs
from gitcode_mcp.tools.pulls import DEMO, PR_1, PR_2, PR_ITEM, pulls
from gitcode_mcp.tools.users import users
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, state, sub, to_text

# What most agents rarely need has toolsets of its own, out of the default set (at most 16 KB of tools/list): editing
# comments, the links between issues, pull requests and branches, and the history of both. Issues' tools join them.
comments = Toolset("comments", "Read one comment by id; edit or delete comments on pull requests and issues")
links = Toolset("links", "The issues linked to a pull request; the pull requests and branches linked to an issue")
history = Toolset("history", "Operation logs, edit histories and reactions of pull requests and issues")


# The seeded review discussion of PR 2 (bob's diff comment), and alice's reply in it.
ROOT_NOTE = 8_458_004
REPLY_NOTE = 8_300_002
THREAD = {**PR_2, "discussion_id": "8089f4a68d822d24e1926501bed9accfac4a189b"}
States = Literal["open", "closed", "merged", "all"]


def _anchor(c: Obj) -> tuple[Any, Any]:
    """A diff comment's path and head-version line: `position` (ref, single comment), else the list's fields."""
    pos = sub(c, "position")
    path = pos.get("new_path") or c.get("path") or c.get("diff_file")
    line = next(
        (as_int(v) for v in (pos.get("new_line"), c.get("new_line"), c.get("line")) if isinstance(as_int(v), int)),
        None,
    )
    return path, line if path else None


COMMENT_VIEW = View(
    id=at("id", as_int),
    discussion_id="discussion_id",
    path=lambda c: _anchor(c)[0],
    line=lambda c: _anchor(c)[1],
    author=at("user", login),
    body="body",
    created_at="created_at",
    updated_at=lambda c: c.get("updated_at") if c.get("updated_at") != c.get("created_at") else None,
)


@comments.read(Example({**DEMO, "comment_id": ROOT_NOTE}, f"GET {PR_COMMENT}"))
async def get_pull_request_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Get one pull request comment or reply by its id (note_id)."""
    reply = await gitcode(ctx).get(api_path(PR_COMMENT, owner=owner, repo=repo, comment_id=comment_id))
    return to_text(COMMENT_VIEW(reply.object()))


@comments.write(
    Example({**DEMO, "comment_id": REPLY_NOTE, "body": "Yes: the manual links to it."}, f"PATCH {PR_COMMENT}"),
    idempotent=True,
)
async def edit_pull_request_comment(owner: str, repo: str, comment_id: Number, body: Text, ctx: Context) -> str:
    """Replace the text of a pull request comment or reply."""
    reply = await gitcode(ctx).request(
        "PATCH",
        api_path(PR_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        json={"body": body},
        hints={403: "only a comment's author can edit it", 404: "no comment with this id in the repository"},
    )
    # Live notes report 204 No Content; Gitee answers the comment: either way the edit is done.
    edited = COMMENT_VIEW(reply.data) if isinstance(reply.data, dict) else {}
    return to_text({"id": comment_id, "edited": True, **{k: v for k, v in edited.items() if k != "body"}})


@comments.destructive(Example({**DEMO, "comment_id": REPLY_NOTE}, f"DELETE {PR_COMMENT}"))
async def delete_pull_request_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Delete a pull request comment or reply; this cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(PR_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        hints={403: "only a comment's author or the repository's owner can delete it"},
    )
    return to_text({"id": comment_id, "deleted": True})


def _discussion(discussion_id: str) -> str:
    if discussion_id.strip().isdigit():
        raise InvalidArgument(
            "discussion_id", "give the 40-hex discussion_id from list_pull_request_comments, not a comment's number"
        )
    return discussion_id.strip()


@pulls.write(
    Example({**THREAD, "body": "Dropped it from the PR."}, f"POST {PR_DISCUSSION_REPLIES}"),
    Example({**THREAD, "body": "Done.", "resolved": True}, f"POST {PR_DISCUSSION_REPLIES}", f"PUT {PR_DISCUSSION}"),
    Example({**THREAD, "resolved": True}, f"PUT {PR_DISCUSSION}"),
)
async def reply_or_resolve_pull_request_discussion(
    owner: str,
    repo: str,
    number: Number,
    discussion_id: Text,
    ctx: Context,
    body: str | None = None,
    resolved: bool | None = None,
) -> str:
    """Reply in a pull request's review discussion, resolve it (resolved=false reopens), or both."""
    where = {"owner": owner, "repo": repo, "number": number, "discussion_id": _discussion(discussion_id)}
    hints = {404: "no such discussion in this pull request"}
    if body is not None and not body.strip():
        raise InvalidArgument("body", "must not be blank")
    result: Obj = {"discussion_id": where["discussion_id"]}
    if body:
        answer = (
            await gitcode(ctx).request(
                "POST", api_path(PR_DISCUSSION_REPLIES, **where), json={"body": body}, hints=hints
            )
        ).object()
        # probe: 201 {id: the discussion id, note_id, body}; the reference names the note id `noteId`.
        result["note_id"] = as_int(answer.get("note_id", answer.get("noteId")))
    if resolved is not None:
        # ref: PUT with the required body {"resolved": bool}, on the discussion's id (not a comment's).
        try:
            await gitcode(ctx).request(
                "PUT", api_path(PR_DISCUSSION, **where), json={"resolved": resolved}, hints=hints
            )
        except GitCodeError as error:
            if not body:
                raise
            # The reply is posted: say so, or the agent would post it again when it retries.
            return to_text({**result, "warning": f"the reply is posted; resolving failed: {error}"})
        result["resolved"] = resolved
    if body is None and resolved is None:
        result["note"] = "nothing was done: give body to reply, resolved to resolve (true) or reopen (false)"
    return to_text(drop_empty(result))


ISSUE_LINK = View(number=at("number", as_int), title="title", state=at("state", state), url="html_url")


@links.read(Example(PR_1, f"GET {PR_ISSUES}"))
async def list_pull_request_issues(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """List the issues linked to a pull request."""
    reply = await gitcode(ctx).get(api_path(PR_ISSUES, owner=owner, repo=repo, number=number))
    return to_text({"linked": ISSUE_LINK.many(reply.items())})


@links.write(
    Example({**PR_2, "issues": [1, 2]}, f"POST {PR_ISSUES}"),
    Example({**PR_1, "issues": [1], "action": "unlink"}, f"DELETE {PR_ISSUES}", f"GET {PR_ISSUES}"),
    idempotent=True,
)
async def link_pull_request_issues(
    owner: str,
    repo: str,
    number: Number,
    issues: list[Number],
    ctx: Context,
    action: Literal["link", "unlink"] = "link",
) -> str:
    """Link issues (by number) to a pull request, or unlink them."""
    if not issues:
        raise InvalidArgument("issues", "give at least one issue number")
    path = api_path(PR_ISSUES, owner=owner, repo=repo, number=number)
    # probe: the body is a raw JSON array of issue numbers (`[12]`), not an object; linking again is harmless.
    reply = await gitcode(ctx).request(
        "POST" if action == "link" else "DELETE",
        path,
        json=list(dict.fromkeys(issues)),
        hints={404: "an issue number does not exist in this repository (numbers, as in #12, not ids)"},
    )
    # The link answer is the linked issues (probe); what DELETE answers is not documented plainly: read them back.
    items = reply.data if action == "link" and isinstance(reply.data, list) else (await gitcode(ctx).get(path)).items()
    return to_text({"linked": ISSUE_LINK.many(items)})


LOG_ENTRY = View(
    action=lambda e: e.get("action") or e.get("action_type"),
    content="content",
    author=at("user", login),
    created_at="created_at",
)


@history.read(Example(PR_1, f"GET {PR_OPERATION_LOGS}"))
async def list_pull_request_operation_logs(owner: str, repo: str, number: Number, ctx: Context, page: Page = 1) -> str:
    """List a pull request's operation log, newest first."""
    return await get_page(ctx, PR_OPERATION_LOGS, LOG_ENTRY, page, 50, owner=owner, repo=repo, number=number)


VERSION = View(
    at=lambda v: v.get("updated_at") or v.get("created_at"),
    by=lambda v: login(v.get("updated_user")) or login(v.get("user")),
    created=lambda v: v.get("created") or None,
    deleted=lambda v: v.get("deleted") or None,
    content="content",
)


@history.read(
    Example(PR_1, f"GET {PR_HISTORY}"), Example({**PR_2, "comment_id": ROOT_NOTE}, f"GET {PR_COMMENT_HISTORY}")
)
async def get_pull_request_edit_history(
    owner: str, repo: str, number: Number, ctx: Context, comment_id: Number | None = None
) -> str:
    """Versions of a pull request's description, or of a comment's (comment_id)."""
    path = (
        api_path(PR_COMMENT_HISTORY, owner=owner, repo=repo, comment_id=comment_id)
        if comment_id
        else api_path(PR_HISTORY, owner=owner, repo=repo, number=number)
    )
    versions = VERSION.many((await gitcode(ctx).get(path)).items())
    return to_text({"versions": sorted(versions, key=lambda v: str(v.get("at") or ""))})


@history.read(
    Example(PR_2, f"GET {PR_REACTIONS}"), Example({**PR_2, "comment_id": ROOT_NOTE}, f"GET {PR_COMMENT_REACTIONS}")
)
async def list_pull_request_reactions(
    owner: str, repo: str, number: Number, ctx: Context, comment_id: Number | None = None
) -> str:
    """Who reacted with which emoji to a pull request, or to a comment (comment_id)."""
    path = (
        api_path(PR_COMMENT_REACTIONS, owner=owner, repo=repo, comment_id=comment_id)
        if comment_id
        else api_path(PR_REACTIONS, owner=owner, repo=repo, number=number)
    )
    # One page of GitCode's largest: more than 100 reactions on one thing is rare, and then said so.
    reply = await gitcode(ctx).get(path, {"page": 1, "per_page": 100})
    items = [r for r in reply.items() if isinstance(r, dict)]
    by: dict[str, list[str]] = {}
    for r in items:
        by.setdefault(str(r.get("emoji_name") or r.get("emoji")), []).append(login(r.get("user")) or "?")
    more = reply.has_more(1, 100, len(items))
    return to_text({"reactions": by, **({"note": "only the first 100 reactions are shown"} if more else {})})


def _line(item: Obj, marked: bool) -> str:
    """One diff line as `+<new> text`, `-<old> text`, ` <new> text` (context), or a hunk header as sent."""
    text, kind = str(item.get("line_content") or ""), item.get("type")
    new, old = sub(item, "new_line").get("line_num"), sub(item, "old_line").get("line_num")
    if kind == "new":
        return f"+{new} {text}"
    if kind == "old":
        return f"-{old} {text}"
    if kind == "match":
        return text
    return f" {new} {text[1:] if marked else text}"


def _diff_file(d: Obj) -> Obj:
    stat = sub(d, "statistic")
    new_path = stat.get("new_path") or stat.get("path")
    text = [t for t in sub(d, "content").get("text") or [] if isinstance(t, dict)]
    # The reference example's context lines keep the diff's leading space; old and new lines do not. Strip it only
    # where every context line has one (a blank context line is then " "), so real indentation is never cut.
    context = [str(t.get("line_content") or "") for t in text if t.get("type") not in ("new", "old", "match")]
    marked = bool(context) and all(c.startswith(" ") for c in context)
    additions, deletions = as_int(d.get("added_lines")), as_int(d.get("remove_lines"))
    return drop_empty(
        {
            "path": new_path,
            "old_path": stat.get("old_path") if stat.get("old_path") != new_path else None,
            "additions": additions,
            "deletions": deletions,
            "too_large": True if not text and (additions or deletions) else None,
            "lines": [_line(t, marked) for t in text],
        }
    )


MAX_DIFF_CHARS = 256 * 1024


@pulls.read(Example(PR_1, f"GET {PR_DIFF}"), Example({**PR_2, "path": "docs/manual zh.md"}, f"GET {PR_DIFF}"))
async def get_pull_request_diff(owner: str, repo: str, number: Number, ctx: Context, path: str | None = None) -> str:
    """A pull request's diff with line numbers (+new, -old); new ones anchor line comments."""
    wanted = clean_file_path("path", path) if path else None
    data = (await gitcode(ctx).get(api_path(PR_DIFF, owner=owner, repo=repo, number=number))).object()
    files = [_diff_file(d) for d in data.get("diffs") or [] if isinstance(d, dict)]
    if wanted:
        files = [f for f in files if wanted in (f.get("path"), f.get("old_path"))]
    budget, cut = MAX_DIFF_CHARS, 0
    for f in files:
        size = sum(len(line) for line in f.get("lines", []))
        if size > budget:
            f.pop("lines")
            cut += 1
        budget -= min(size, budget)
    result: Obj = {**drop_empty({"head_sha": sub(data, "diff_refs").get("head_sha")}), "files": files}
    if wanted and not files:
        result["note"] = f"the pull request does not change {wanted}"
    if cut:
        result["note"] = f"lines of {cut} files left out to keep this answer small; ask for one file with path"
    return to_text(result)


def _repo_name(p: Obj) -> Any:
    """owner/repo of a PR in a list across repositories: base.repo's full_name, or its namespace and path."""
    for side in ("base", "head"):
        r = sub(sub(p, side), "repo")
        space = sub(r, "namespace").get("path") or sub(r, "name_space").get("path")
        if name := r.get("full_name") or (space and r.get("path") and f"{space}/{r['path']}"):
            return name
    return None


ACROSS = View(repo=_repo_name, **PR_ITEM.fields)
# GitCode's scopes (ref): created by me (the default), assigned to me, waiting for my review or my approval.
SCOPES = {
    "created": "created_by_me",
    "assigned": "assigned_to_me",
    "review": "need_my_review",
    "approve": "need_my_approve",
}


@users.read(Example({}, f"GET {MY_PRS}"), Example({"scope": "review", "state": "all"}, f"GET {MY_PRS}"))
async def list_my_pull_requests(
    ctx: Context,
    scope: Literal["created", "assigned", "review", "approve"] | None = None,
    state: States = "open",
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List pull requests you opened, or by scope must review, across repositories."""
    query = {"scope": SCOPES.get(scope or ""), "state": state}
    return await get_page(ctx, MY_PRS, ACROSS, page, per_page, query)


@orgs.read(Example({"org": "gitcode-mcp"}, f"GET {ORG_PRS}"))
async def list_org_pull_requests(
    org: str, ctx: Context, state: States = "open", page: Page = 1, per_page: PerPage = 20
) -> str:
    """List pull requests across an organisation's repositories."""
    return await get_page(ctx, ORG_PRS, ACROSS, page, per_page, {"state": state}, org=org)
