"""Pull requests: read one, its changed files, and comment on it (generally or on a line)."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import Context

from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path, clean_file_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Text, gitcode, payload
from gitcode_mcp.tools.contents import CONTENTS, decode_file, line_count, read_contents
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, logins, names, state, sub, to_text

pulls = Toolset("pulls", "Read pull requests and their changes, and comment on them", default=True)

PULL = "repos/{owner}/{repo}/pulls/{number}"
FILES = "repos/{owner}/{repo}/pulls/{number}/files"
COMMENTS = "repos/{owner}/{repo}/pulls/{number}/comments"
PR_1 = {"owner": "alice", "repo": "demo", "number": 1}

# Our names for GitCode's merge rules (mergeable_state's `*_passed` flags), used when GitCode gives a failed
# rule no `reason` sentence of its own. Evidence: the live answer of PR cann/ge!1647 (11-live-behaviour.md).
RULES = {
    "conflict": "it has merge conflicts",
    "branch_missing": "its source or target branch is missing",
    "non_ff": "it cannot be fast-forwarded",
    "mr_state": "it is not open",
    "merged_by_user": "you lack MERGE permission",
    "work_in_progress": "it is a draft",
    "resolve_discussion": "discussions are unresolved",
    "ci_state": "CI has not passed",
    "merge_by_self": "its author may not merge it",
    "approval_reviewers_required": "reviewer approvals are missing",
    "approval_approvers_required": "approver approvals are missing",
    "approval_testers_required": "tester approvals are missing",
    "all_depend_merge_request_merged": "it depends on pull requests not yet merged",
}


def merge_blockers(pr: Obj) -> dict[str, str] | None:
    """Why the PR cannot be merged (by this caller), in GitCode's own words where it gives them."""
    checks = sub(pr, "mergeable_state")
    if not checks:
        return None
    reasons = sub(checks, "reason")
    failed = [k for k, v in checks.items() if k.endswith("_passed") and v is False]
    failed += [k for k in reasons if k not in failed]
    return {
        k.removesuffix("_passed"): str(reasons.get(k) or RULES.get(k.removesuffix("_passed"), "failed")) for k in failed
    }


def mergeable(pr: Obj) -> Any:
    # Live, `mergeable` can be true while mergeable_state.state is false: the rules are what decide.
    checks = pr.get("mergeable_state")
    if isinstance(checks, dict) and isinstance(checks.get("state"), bool):
        return checks["state"]
    return pr.get("mergeable")


def side(value: Any) -> Obj | None:
    if not isinstance(value, dict):
        return None
    return drop_empty({"ref": value.get("ref"), "sha": value.get("sha"), "repo": sub(value, "repo").get("full_name")})


def accepted(users: Any) -> list[str]:
    return (
        [u["login"] for u in users if isinstance(u, dict) and u.get("accept") and u.get("login")]
        if isinstance(users, list)
        else []
    )


# The single-PR answer carries no commit/line/file/comment counts (live); list items carry added_lines and
# removed_lines. Counts are shown only where GitCode gives them, never invented.
PULL_REQUEST = View(
    number=at("number", as_int),
    title="title",
    state=at("state", state),
    draft=lambda p: p.get("draft") or None,
    mergeable=mergeable,
    merge_blockers=merge_blockers,
    author=at("user", login),
    head=at("head", side),
    base=at("base", side),
    labels=at("labels", names),
    reviewers=at("assignees", logins),
    approved_by=at("assignees", accepted),
    testers=at("testers", logins),
    tested_by=at("testers", accepted),
    merged_by=at("merged_by", login),
    commits=at("commits", as_int),
    additions=lambda p: as_int(p.get("additions", p.get("added_lines"))),
    deletions=lambda p: as_int(p.get("deletions", p.get("removed_lines"))),
    changed_files=at("changed_files", as_int),
    created_at="created_at",
    updated_at="updated_at",
    merged_at="merged_at",
    closed_at="closed_at",
    url="html_url",
    body="body",
)


def file_status(f: Obj) -> Any:
    """`status` may be null (ref); the patch object's flags then tell (live)."""
    if f.get("status"):
        return f["status"]
    patch = sub(f, "patch")
    for flag, status in (("new_file", "added"), ("deleted_file", "removed"), ("renamed_file", "renamed")):
        if patch.get(flag):
            return status
    return "modified"


def _patch(f: Obj) -> Obj:
    return f["patch"] if isinstance(f.get("patch"), dict) else {"diff": f.get("patch")}


def old_path(f: Obj) -> Any:
    previous = f.get("previous_filename") or _patch(f).get("old_path")
    return previous if previous and previous != f.get("filename") else None


PR_FILE = View(
    path="filename",
    status=file_status,
    old_path=old_path,
    additions=lambda f: as_int(f.get("additions", _patch(f).get("added_lines"))),
    deletions=lambda f: as_int(f.get("deletions", _patch(f).get("removed_lines"))),
    too_large=lambda f: _patch(f).get("too_large") or None,
    patch=lambda f: _patch(f).get("diff"),
)
MAX_PATCH_CHARS = 256 * 1024


@pulls.read(Example(PR_1, f"GET {PULL}"))
async def get_pull_request(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """Get a pull request: state, refs, reviewers, approvals, and why it cannot be merged."""
    reply = await gitcode(ctx).get(api_path(PULL, owner=owner, repo=repo, number=number))
    return to_text(PULL_REQUEST(reply.object()))


# GitCode documents no page/per_page for this endpoint (ref, 11-live-behaviour.md): the tool takes none and
# returns every file; patches past MAX_PATCH_CHARS in all are left out, with a note, rather than flooding the agent.
@pulls.read(Example(PR_1, f"GET {FILES}"))
async def list_pull_request_files(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """List a pull request's changed files: status, renames, line counts, diffs."""
    reply = await gitcode(ctx).get(api_path(FILES, owner=owner, repo=repo, number=number))
    files = PR_FILE.many(reply.items())
    budget, cut = MAX_PATCH_CHARS, 0
    for f in files:
        size = len(f.get("patch", ""))
        if size > budget:
            f.pop("patch")
            cut += 1
        budget -= min(size, budget)
    result: Obj = {"count": len(files), "files": files}
    if cut:
        result["note"] = f"{cut} patches left out to keep this answer small; read those files at the head ref"
    return to_text(result)


@pulls.write(
    Example({**PR_1, "body": "Looks good."}, f"POST {COMMENTS}"),
    Example(
        {**PR_1, "body": "Name this.", "path": "src/app.py", "line": 6},
        f"GET {PULL}",
        f"GET {CONTENTS}",
        f"POST {COMMENTS}",
        f"GET {COMMENTS}",
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
    """Comment on a pull request, or on a line: path plus line, the 1-based line number in the PR's head \
version of the file (not a diff offset)."""
    if (path is None) != (line is None):
        missing = "line" if line is None else "path"
        raise InvalidArgument(missing, "a line comment needs both path and line; omit both for a general comment")
    where = {"owner": owner, "repo": repo, "number": number}
    if path is None or line is None:
        answer = await _post_comment(ctx, where, {"body": body})
        return to_text(_ids(answer))
    path = clean_file_path("path", path)
    await _check_line(ctx, where, path, line)
    # A diff comment needs the head line as all three of line, new_line and position; with fewer GitCode files
    # it as a general timeline comment (probe: urandon/gitcode-mcp, 11-live-behaviour.md).
    answer = await _post_comment(
        ctx, where, {"body": body, "path": path, "line": line, "new_line": line, "position": line}
    )
    return to_text(await _confirm_anchor(ctx, where, _ids(answer), path, line))


async def _post_comment(ctx: Context, where: dict[str, Any], data: Obj) -> Obj:
    reply = await gitcode(ctx).request(
        "POST",
        api_path(COMMENTS, **where),
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
    reply = await read_contents(
        ctx,
        where["owner"],
        where["repo"],
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


def _anchor_line(c: Obj) -> Any:
    for key in ("new_line", "line", "position"):
        if isinstance(as_int(c.get(key)), int):
            return as_int(c[key])
    return None


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
    placed_line = _anchor_line(found)
    if found.get("comment_type") == "diff_comment" and found.get("path") == path and placed_line in (None, line):
        return {**result, "confirmed": True}
    where_text = (
        f"on {found.get('path')} line {placed_line}"
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
        reply = await client.get(api_path(COMMENTS, **where), {"page": page, "per_page": 100})
        items = [c for c in reply.items() if isinstance(c, dict)]
        for c in items:
            if (ids.get("note_id") and as_int(c.get("id")) == ids["note_id"]) or (
                ids.get("discussion_id") and c.get("discussion_id") == ids["discussion_id"]
            ):
                return c
        if not reply.has_more(page, 100, len(items)):
            return None
    return None
