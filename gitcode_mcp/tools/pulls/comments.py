"""A pull request's comments: listed, posted (generally or on a line, confirmed where it landed), and replies in a
review discussion and its resolution."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    CONTENTS,
    PR_COMMENTS,
    PR_DISCUSSION,
    PR_DISCUSSION_REPLIES,
    PULL,
)
from gitcode_mcp.errors import GitCodeError, InvalidArgument
from gitcode_mcp.paths import api_path, clean_file_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, get_page, gitcode, payload
from gitcode_mcp.tools.contents import decode_file, line_count, read_contents
from gitcode_mcp.tools.pulls import PR_1, PR_2, pulls
from gitcode_mcp.tools.pulls.views import PR_COMMENT, anchor_line, comment_path, repo_of
from gitcode_mcp.views import Obj, as_int, drop_empty, sub, to_text


@pulls.read(
    Example(PR_2, f"GET {PR_COMMENTS}"),
    Example({**PR_2, "per_page": 100}, f"GET {PR_COMMENTS}"),
    Example({**PR_2, "all_pages": True}, f"GET {PR_COMMENTS}"),
)
async def list_pull_request_comments(
    owner: str,
    repo: str,
    number: Number,
    ctx: Context,
    page: Page = 1,
    per_page: PerPage = 20,
    all_pages: bool | None = None,
) -> str:
    """List a PR's comments and replies (diff ones have path, line); all_pages: up to 1000."""
    where = {"owner": owner, "repo": repo, "number": number}
    return await get_page(ctx, PR_COMMENTS, PR_COMMENT, page, per_page, None, all_pages, **where)


@pulls.write(
    Example({**PR_1, "body": "Looks good."}, f"POST {PR_COMMENTS}"),
    Example(
        {**PR_1, "body": "Name this.", "path": "src/app.py", "line": 6},
        f"GET {PULL}",
        f"GET {CONTENTS}",
        f"POST {PR_COMMENTS}",
        f"GET {PR_COMMENTS}",
    ),
)
async def create_pull_request_comment(
    owner: str,
    repo: str,
    number: Number,
    body: Text,
    ctx: Context,
    path: str | None = None,
    line: Number | None = None,
) -> str:
    """Comment on a pull request, or on a line: path plus line, 1-based in the PR's head version (not a diff \
offset)."""
    if (path is None) != (line is None):
        missing = "line" if line is None else "path"
        raise InvalidArgument(missing, "a line comment needs both path and line; omit both for a general comment")
    where = {"owner": owner, "repo": repo, "number": number}
    if path is None or line is None:
        answer = await _post_comment(ctx, where, {"body": body})
        return to_text(_ids(answer))
    path = clean_file_path("path", path, file=True)
    await _check_line(ctx, where, path, line)
    # A diff comment needs the head line as all three of line, new_line and position; with fewer GitCode files
    # it as a general timeline comment (probe: urandon/gitcode-mcp; docs/gitcode-behaviour.md, Pull requests).
    answer = await _post_comment(
        ctx, where, {"body": body, "path": path, "line": line, "new_line": line, "position": line}
    )
    return to_text(await _confirm_anchor(ctx, where, _ids(answer), path, line))


async def _post_comment(ctx: Context, where: dict[str, Any], data: Obj) -> Obj:
    reply = await gitcode(ctx).request(
        "POST",
        api_path(PR_COMMENTS, **where),
        json=payload(**data),
        hints={
            422: "line must exist in the PR's head version of the file (1-based, not a diff offset)",
            404: "check owner, repo and number; for a line comment, path must be a file the PR changes",
        },
    )
    return reply.object()


async def _check_line(ctx: Context, where: dict[str, Any], path: str, line: int) -> None:
    """Refuse a line past the end of the head version of the file before anything is posted."""
    pr = (await gitcode(ctx).get(api_path(PULL, **where))).object()
    head = sub(pr, "head")
    sha = head.get("sha") or head.get("ref")
    # A fork PR's head commit is read in the fork (head.repo); for any other PR that is the PR's own repository.
    owner, repo = repo_of(head) or (where["owner"], where["repo"])
    reply = await read_contents(
        ctx,
        owner,
        repo,
        path,
        sha,
        hints={404: f"{path} is not a file in the PR's head version; nothing was posted"},
    )
    if isinstance(reply.data, list):
        raise InvalidArgument("path", f"{path!r} is a directory in the PR's head; give a file")
    text, _ = decode_file(reply.object())
    if text is None:
        raise InvalidArgument("path", f"{path!r} is a binary file; comment on the PR generally instead")
    if line > (lines := line_count(text)):
        raise InvalidArgument(
            "line",
            f"{path} has {lines} lines in the PR's head ({str(sha)[:12]}); line {line} is past its end. "
            "Nothing was posted.",
        )


def _ids(answer: Obj) -> Obj:
    """The comment's usable id: the create answer is sparse, `{id: <40-hex discussion id>, note_id, body}`, and the
    string `id` is refused where a comment id is wanted (probe); older answers carry an integer `id` (ref)."""
    note_id = answer.get("note_id")
    discussion_id = answer.get("discussion_id")
    if isinstance(answer.get("id"), int):
        note_id = note_id or answer["id"]
    elif isinstance(answer.get("id"), str):
        discussion_id = discussion_id or answer["id"]
    return drop_empty({"note_id": as_int(note_id), "discussion_id": discussion_id})


async def _confirm_anchor(ctx: Context, where: dict[str, Any], ids: Obj, path: str, line: int) -> Obj:
    """A success answer does not prove where a comment landed (probe): read the PR's comments back to see."""
    found = await _find_comment(ctx, where, ids)
    result = {**ids, "path": path, "line": line}
    if found is None:
        return {
            **result,
            "confirmed": False,
            "warning": "posted, but not found among the PR's comments to confirm its place; do not post it again",
        }
    placed_line = anchor_line(found)
    if found.get("comment_type") == "diff_comment" and comment_path(found) == path and placed_line in (None, line):
        return {**result, "confirmed": True}
    where_text = (
        f"on {comment_path(found)} line {placed_line}"
        if found.get("comment_type") == "diff_comment"
        else "as a general comment"
    )
    return {
        **result,
        "confirmed": False,
        "warning": f"GitCode placed it {where_text}, not on {path} line {line}. It is posted: do not post it again",
    }


async def _find_comment(ctx: Context, where: dict[str, Any], ids: Obj) -> Obj | None:
    client = gitcode(ctx)
    for page in range(1, 11):
        reply = await client.get(api_path(PR_COMMENTS, **where), {"page": page, "per_page": 100})
        items = [c for c in reply.items() if isinstance(c, dict)]
        for c in items:
            if (ids.get("note_id") and as_int(c.get("id")) == ids["note_id"]) or (
                ids.get("discussion_id") and c.get("discussion_id") == ids["discussion_id"]
            ):
                return c
        if not reply.has_more(page, 100, len(items)):
            return None
    return None


THREAD = {**PR_2, "discussion_id": "8089f4a68d822d24e1926501bed9accfac4a189b"}


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
    """Reply in a PR's review discussion, resolve it (resolved=false reopens), or both."""
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
