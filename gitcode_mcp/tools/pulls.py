"""Pull requests: list, open, read and edit them, their files, commits and comments, and comment on them
(generally or on a line); approve and merge them, and choose their reviewers, testers and labels."""

from __future__ import annotations

import re
from typing import Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.endpoints import (
    CONTENTS,
    LABELS,
    PR_ASSIGNEES,
    PR_COMMENTS,
    PR_COMMITS,
    PR_FILES,
    PR_LABEL,
    PR_LABELS,
    PR_MERGE,
    PR_REVIEW,
    PR_REVIEWER_OPTIONS,
    PR_REVIEWERS,
    PR_TEST,
    PR_TESTERS,
    PULL,
    PULLS,
    REPO_TESTER_OPTIONS,
)
from gitcode_mcp.errors import GitCodeError, InvalidArgument, NotSent
from gitcode_mcp.paths import NAME_PATTERN, api_path, clean_file_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, Title, comma_list, get_page, gitcode, list_page, payload
from gitcode_mcp.tools.commits import LOG_ITEM
from gitcode_mcp.tools.contents import decode_file, line_count, read_contents
from gitcode_mcp.tools.labels import create_missing_labels
from gitcode_mcp.views import USER, Obj, View, as_int, at, drop_empty, login, logins, names, state, sub, to_text

pulls = Toolset(
    "pulls", "Read, open, edit, review and merge pull requests and their changes, and comment on them", default=True
)

DEMO = {"owner": "alice", "repo": "demo"}
PR_1 = {**DEMO, "number": 1}
PR_2 = {**DEMO, "number": 2}

# Our names for GitCode's merge rules (mergeable_state's `*_passed` flags), used when GitCode gives a failed
# rule no `reason` sentence of its own. Evidence: the live answer of PR cann/ge!1647 (docs/gitcode-behaviour.md,
# Pull requests).
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
_NAME = re.compile(NAME_PATTERN)


def head_label(pr: Obj) -> Any:
    """The head branch as create_pull_request takes it: `branch`, or `user:branch` when it is in a fork."""
    head = sub(pr, "head")
    ref = head.get("ref") or pr.get("source_branch")
    fork, own = _repo_of(head), _repo_of(sub(pr, "base"))
    return f"{fork[0]}:{ref}" if ref and fork and own and fork != own else ref


def listed_mergeable(pr: Obj) -> bool | None:
    """Whether a listed PR can merge, only where the list answer says so for certain: its merge rules when it
    carries them, or a `mergeable` false. Live list items carry `mergeable` alone, which stays true on a PR its rules
    block (cann/ge!1647), so a true proves nothing and is not shown (get_pull_request tells; docs/gitcode-behaviour.md,
    Pull requests)."""
    checks = pr.get("mergeable_state")
    if isinstance(checks, dict) and isinstance(checks.get("state"), bool):
        return checks["state"]
    return False if pr.get("mergeable") is False else None


# List items carry added_lines/removed_lines; their `notes` count system events too, so it is left out (live).
PR_ITEM = View(
    number=at("number", as_int),
    title="title",
    state=at("state", state),
    draft=lambda p: p.get("draft") or None,
    mergeable=listed_mergeable,
    merge_blockers=merge_blockers,
    author=at("user", login),
    head=head_label,
    base=lambda p: sub(p, "base").get("ref") or p.get("target_branch"),
    labels=at("labels", names),
    additions=at("added_lines", as_int),
    deletions=at("removed_lines", as_int),
    updated_at="updated_at",
    merged_at="merged_at",  # live list items carry merged_at and merged_by (cann-gitcode-mcp's list fixture)
    merged_by=at("merged_by", login),
    url="html_url",
)
# The update answer is sparse (ref: title, body, state, created_at, updated_at); a fuller one shows more.
PR_UPDATED = View(
    title="title",
    state=at("state", state),
    draft=lambda p: p.get("draft") or None,
    labels=at("labels", names),
    updated_at="updated_at",
    url="html_url",
)
Sort = Literal["created", "updated"]
Direction = Literal["asc", "desc"]


@pulls.read(
    Example(DEMO, f"GET {PULLS}"),
    Example(
        {**DEMO, "state": "all", "base": "main", "author": "alice", "sort": "updated", "direction": "asc"},
        f"GET {PULLS}",
    ),
    Example({**DEMO, "text": "type hints", "bodies": True}, f"GET {PULLS}"),
)
async def list_pull_requests(
    owner: str,
    repo: str,
    ctx: Context,
    state: Literal["open", "closed", "merged", "all"] = "open",
    base: str | None = None,
    author: str | None = None,
    sort: Sort | None = None,
    direction: Direction | None = None,
    text: str | None = None,
    bodies: bool | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List pull requests, newest first; text: only those with it in title or body (any case)."""
    query = payload(state=state, base=base, author=author)
    # PR lists sort by `order_by` + `direction`; `sort=desc` answers 400 "direction is required" (probe,
    # urandon/gitcode-mcp 2026-06-28; docs/gitcode-behaviour.md, Pull requests). `direction` goes with every order.
    if sort or direction:
        query |= {"order_by": f"{sort or 'created'}_at", "direction": direction or "desc"}
    return await list_page(ctx, PULLS, PR_ITEM, page, per_page, query, bodies, text, owner=owner, repo=repo)


@pulls.read(Example(PR_1, f"GET {PULL}"))
async def get_pull_request(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """Get a pull request: state, refs, reviewers, approvals, why it cannot merge."""
    reply = await gitcode(ctx).get(api_path(PULL, owner=owner, repo=repo, number=number))
    return to_text(PULL_REQUEST(reply.object()))


@pulls.write(
    Example({**DEMO, "title": "Fix the README", "head": "bob:fix-readme", "base": "main"}, f"POST {PULLS}"),
    Example(
        {
            **DEMO,
            "title": "Docs on the feature",
            "head": "docs",
            "base": "feature",
            "body": "Rebases the docs.",
            "draft": True,
        },
        f"POST {PULLS}",
    ),
    Example(
        {**DEMO, "title": "Docs", "head": "docs", "base": "feature", "labels": ["docs"], "reviewers": ["bob"]}
        | {"create_labels": True},
        f"GET {LABELS}",
        f"POST {LABELS}",
        f"POST {PULLS}",
    ),
)
async def create_pull_request(
    owner: str,
    repo: str,
    title: Title,
    head: Text,
    base: Text,
    ctx: Context,
    body: str | None = None,
    draft: bool | None = None,
    labels: list[str] | None = None,
    reviewers: list[str] | None = None,
    create_labels: bool | None = None,
) -> str:
    """Open a pull request; head is a branch, or user:branch from a fork."""
    if ":" in head:
        # A fork's branch goes as `owner/repo:branch`, no `fork_path`: GitCode resolves `fork_path` to the upstream's
        # branch of that name (or answers 403), and no longer resolves `owner:branch` (cli #259 and #495, which its
        # live runs found; docs/gitcode-behaviour.md, Pull requests). `user:branch` means the fork named like this one.
        source, branch = head.split(":", 1)
        user, _, fork = source.partition("/")
        if not _NAME.fullmatch(user) or (fork and not _NAME.fullmatch(fork)) or not branch.strip():
            raise InvalidArgument("head", f"{head[:60]!r}: give a branch, or user:branch for a branch in user's fork")
        head = branch if (user, fork or repo) == (owner, repo) else f"{user}/{fork or repo}:{branch}"
    made = await create_missing_labels(ctx, owner, repo, labels) if create_labels and labels else []
    reply = await gitcode(ctx).request(
        "POST",
        api_path(PULLS, owner=owner, repo=repo),
        # ref (create PR page): `labels` and the reviewers' logins as `assignees`, each one comma-separated string
        # (docs/gitcode-behaviour.md, Pull requests).
        json=payload(
            title=title,
            head=head,
            base=base,
            body=body,
            draft=draft,
            labels=comma_list("labels", labels),
            assignees=comma_list("reviewers", reviewers),
        ),
        hints={
            400: "head and base must be different existing branches (a fork's branch as user:branch)",
            404: "check owner and repo; user:branch needs user's fork named like this one (else user/fork:branch)",
            409: "a pull request from this head into this base is open already: find it with list_pull_requests",
            422: "a label or reviewer may not exist: create_labels=true makes missing labels",
        },
    )
    pr = PULL_REQUEST(reply.object())
    pr.pop("body", None)
    pr = drop_empty({**pr, "created_labels": made})
    # ref: the reviewers given are ignored where the repository's review settings assign reviewers themselves.
    if left_out := [n for n in reviewers or () if n.strip() and n.strip() not in pr.get("reviewers", [])]:
        pr["warning"] = (
            f"GitCode did not make {', '.join(left_out)} reviewers (the repository's review settings may choose "
            "them); review_pull_request action=add adds them"
        )
    return to_text(pr)


@pulls.write(
    Example({**PR_1, "title": "Type hints, and a main()", "state": "closed"}, f"PATCH {PULL}", f"GET {PULL}"),
    Example({**PR_2, "state": "closed"}, f"GET {PULL}", f"PATCH {PULL}", f"GET {PULL}"),
    Example({**PR_2, "body": "Renames the guide.", "labels": ["bug"], "draft": True}, f"PATCH {PULL}"),
    Example({**PR_2, "labels": []}, f"PATCH {PULL}"),
    idempotent=True,
)
async def update_pull_request(
    owner: str,
    repo: str,
    number: Number,
    ctx: Context,
    title: Title | None = None,
    body: str | None = None,
    state: Literal["open", "closed"] | None = None,
    labels: list[str] | None = None,
    draft: bool | None = None,
) -> str:
    """Edit, close or reopen a pull request; labels replace the old ones ([] clears)."""
    where = {"owner": owner, "repo": repo, "number": number}
    client = gitcode(ctx)
    fields = payload(
        title=title,
        body=body,
        state=state,  # `closed` / `open`, the states it reads back: see below
        # A lone comma is GitCode's empty list: an empty `labels` is refused as missing (cli api/queries_pr.go,
        # which its live `pr edit --replace-labels ""` runs; docs/gitcode-behaviour.md, Pull requests).
        labels="," if labels == [] else comma_list("labels", labels),
        draft=draft,
    )
    if not fields:
        pr = PR_UPDATED((await client.get(api_path(PULL, **where))).object())
        return to_text({"number": number, **pr, "note": "nothing to change was given; this is the pull request"})
    if state and title is None:
        # The GitCode CLI's `pr close` / `pr reopen` (run live) send the PR's current title with the state.
        current = (await client.get(api_path(PULL, **where))).object().get("title")
        if isinstance(current, str) and current.strip():
            fields = {"title": current, **fields}
    reply = await client.request(
        "PATCH",
        api_path(PULL, **where),
        json=fields,
        hints={
            400: "a merged pull request cannot be closed or reopened; otherwise check the values",
            422: "a label may not exist, or the title is too long; retry without it",
        },
    )
    result = {"number": number, **PR_UPDATED(reply.object())}
    if state:
        # Closing or reopening sends `state: "closed"` / `"open"` and reads the PR back to confirm, as the GitCode
        # CLI does (its live write suite closes every PR it opens); no source shows the issue words close/reopen
        # for a PR (docs/gitcode-behaviour.md, Pull requests).
        now = PR_UPDATED((await client.get(api_path(PULL, **where))).object()).get("state")
        result["state"] = now
        if now != state:
            result["warning"] = f"asked for {state}, GitCode reports {now}: the change did not take"
    return to_text(result)


# GitCode documents no page/per_page for this endpoint (ref; docs/gitcode-behaviour.md, Pull requests): the tool
# takes none and returns every file; patches past MAX_PATCH_CHARS in all are left out, with a note, rather than
# flooding the agent.
@pulls.read(Example(PR_1, f"GET {PR_FILES}"))
async def list_pull_request_files(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """List a pull request's changed files: status, renames, counts, diffs."""
    reply = await gitcode(ctx).get(api_path(PR_FILES, owner=owner, repo=repo, number=number))
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


def comment_type(c: Obj) -> Any:
    """`diff_comment` (on a line) or `pr_comment` (general), as GitCode names them (live)."""
    return c.get("comment_type") or ("diff_comment" if _comment_path(c) else None)


def _is_diff(c: Obj) -> bool:
    return comment_type(c) == "diff_comment"


REPLY = View(id=at("id", as_int), author=at("user", login), body="body", created_at="created_at")
# Replies nest in the root comment's `reply` array (live); a diff comment's anchor is the head version's line.
PR_COMMENT = View(
    id=at("id", as_int),
    discussion_id="discussion_id",
    type=comment_type,
    path=lambda c: _comment_path(c) if _is_diff(c) else None,
    line=lambda c: _anchor_line(c) if _is_diff(c) else None,
    resolved=lambda c: c.get("resolved") if _is_diff(c) else None,
    author=at("user", login),
    body="body",
    created_at="created_at",
    replies=lambda c: REPLY.many(c["reply"]) if isinstance(c.get("reply"), list) else None,
)


@pulls.read(Example(PR_1, f"GET {PR_COMMITS}"))
async def list_pull_request_commits(
    owner: str, repo: str, number: Number, ctx: Context, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List a pull request's commits."""
    # As list_commits shows commits: messages, parents, git's author and the login apart, dates with offsets.
    return await get_page(ctx, PR_COMMITS, LOG_ITEM, page, per_page, owner=owner, repo=repo, number=number)


@pulls.read(Example(PR_2, f"GET {PR_COMMENTS}"), Example({**PR_2, "per_page": 100}, f"GET {PR_COMMENTS}"))
async def list_pull_request_comments(
    owner: str, repo: str, number: Number, ctx: Context, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List a pull request's comments and replies; diff comments have path and line."""
    return await get_page(ctx, PR_COMMENTS, PR_COMMENT, page, per_page, owner=owner, repo=repo, number=number)


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
    """Comment on a pull request, or on a line: path plus line, the 1-based line number in the PR's head \
version of the file (not a diff offset)."""
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
    owner, repo = _repo_of(head) or (where["owner"], where["repo"])
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


def _repo_of(side: Obj) -> tuple[str, str] | None:
    """The owner and name of the repository a PR side (head or base) is in, when GitCode says so plainly."""
    parts = str(sub(side, "repo").get("full_name") or "").split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and all(_NAME.fullmatch(p) for p in parts) else None


def _anchor_line(c: Obj) -> Any:
    """A diff comment's line in the head version: `new_line` (probe, Gitee), `diff_position` (ref), else
    `line` or `position`."""
    for value in (c.get("new_line"), sub(c, "diff_position").get("start_new_line"), c.get("line"), c.get("position")):
        if isinstance(as_int(value), int):
            return as_int(value)
    return None


def _comment_path(c: Obj) -> Any:
    return c.get("path") or c.get("diff_file")


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
    if found.get("comment_type") == "diff_comment" and _comment_path(found) == path and placed_line in (None, line):
        return {**result, "confirmed": True}
    where_text = (
        f"on {_comment_path(found)} line {placed_line}"
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


# --- merge, approve and test, reviewers and testers, labels ----------------------------------------------------


@pulls.write(
    Example(PR_1, f"GET {PULL}", f"PUT {PR_MERGE}"),
    Example(
        {**PR_1, "method": "squash", "title": "Type hints (!1)", "message": "Adds a main()."},
        f"GET {PULL}",
        f"PUT {PR_MERGE}",
    ),
)
async def merge_pull_request(
    owner: str,
    repo: str,
    number: Number,
    ctx: Context,
    method: Literal["merge", "squash", "rebase"] | None = None,
    title: Title | None = None,
    message: str | None = None,
) -> str:
    """Merge a pull request; if its merge rules block it, GitCode's reasons come back instead."""
    where = {"owner": owner, "repo": repo, "number": number}
    client = gitcode(ctx)
    pr = (await client.get(api_path(PULL, **where))).object()
    if state(pr.get("state")) == "merged":
        by = login(pr.get("merged_by"))
        return to_text(drop_empty({"number": number, "merged": True, "merged_by": by, "note": "merged already"}))
    # Live (cann/ge!1647), `mergeable_state` holds one flag per merge rule and GitCode's sentence for each failed one:
    # GitCode refuses such a merge, so it is not sent, and the agent learns what to fix.
    if blockers := merge_blockers(pr):
        reasons = "; ".join(f"{rule}: {why.rstrip('.')}" for rule, why in blockers.items())
        raise ToolError(f"Not merged, nothing was sent: {reasons}.")
    body = payload(merge_method=method, title=title, description=message)  # ref: title and description
    try:
        reply = await client.request(
            "PUT", api_path(PR_MERGE, **where), json=body, hints={400: "get_pull_request tells why GitCode refuses it"}
        )
    except GitCodeError as error:
        # No answer, or a server error: whether it merged is unknown, and writes are never retried. GitCode's
        # "is it merged" read settles it, so the agent neither merges twice nor gives up on a merge that landed.
        if isinstance(error, NotSent) or (error.status is not None and error.status < 500):
            raise
        try:
            merged = await _is_merged(client, where)
        except GitCodeError:
            raise error from None  # still unknown: the first failure is the one to report
        if not merged:
            hint = "GitCode reports it not merged: it is safe to try again"
            raise GitCodeError(error.status, error.detail, hint) from None
        return to_text(
            {"number": number, "merged": True, "note": "GitCode's answer was lost, but it reports the PR merged"}
        )
    answer = reply.object() if isinstance(reply.data, dict) else {}
    return to_text(drop_empty({"number": number, "merged": answer.get("merged", True), "sha": answer.get("sha")}))


async def _is_merged(client: GitCodeClient, where: dict[str, Any]) -> bool:
    """GitCode's "is it merged" check. ref: `{"message": ...}` when merged, an error body `{"error": ...}` when not,
    with no status shown, so a 200 can say "not merged"; Gitee v5 answers 404. Any other failure leaves it unknown
    (docs/gitcode-behaviour.md, Pull requests)."""
    try:
        answer = (await client.get(api_path(PR_MERGE, **where))).data
    except GitCodeError as check:
        if check.status == 404:
            return False
        raise
    return not (isinstance(answer, dict) and any(k in answer for k in ("error", "error_code", "error_message")))


# After a review write GitCode answers 204 or a sparse body: the PR read back says where its approvals stand.
REVIEWERS_STATE = View(reviewers=at("assignees", logins), approved_by=at("assignees", accepted))
TESTERS_STATE = View(testers=at("testers", logins), tested_by=at("testers", accepted))
MERGE_STATE = View(mergeable=mergeable, merge_blockers=merge_blockers)


@pulls.write(
    Example({**PR_1, "action": "reset"}, f"PATCH {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_1, "action": "approve", "force": True}, f"POST {PR_REVIEW}", f"GET {PULL}"),
    Example({**PR_1, "action": "approve", "tester": True, "force": True}, f"POST {PR_TEST}", f"GET {PULL}"),
    Example({**PR_2, "action": "add", "users": ["bob"]}, f"POST {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_1, "action": "remove", "users": ["bob"]}, f"DELETE {PR_ASSIGNEES}", f"GET {PULL}"),
    Example({**PR_2, "action": "replace", "users": ["bob"]}, f"POST {PR_REVIEWERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "replace", "users": []}, f"GET {PULL}", f"DELETE {PR_REVIEWERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "add", "users": ["bob"], "tester": True}, f"POST {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "remove", "users": ["bob"], "tester": True}, f"DELETE {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "replace", "users": ["bob"], "tester": True}, f"POST {PR_TESTERS}", f"GET {PULL}"),
    Example({**PR_1, "action": "reset", "tester": True}, f"PATCH {PR_TESTERS}", f"GET {PULL}"),
    idempotent=True,
)
async def review_pull_request(
    owner: str,
    repo: str,
    number: Number,
    action: Literal["approve", "add", "remove", "replace", "reset"],
    ctx: Context,
    users: list[str] | None = None,
    tester: bool | None = None,
    force: bool | None = None,
) -> str:
    """Approve a pull request, or add, remove or replace its reviewers (or testers); reset withdraws approvals."""
    where = {"owner": owner, "repo": repo, "number": number}
    chosen = comma_list("users", users)
    if action in ("approve", "reset"):
        if chosen:
            raise InvalidArgument("users", f"{action} takes no users")
    elif not chosen and action != "replace":
        raise InvalidArgument("users", f"give the logins to {action}")
    if force is not None and action != "approve":
        raise InvalidArgument("force", "only approve takes force")
    client, step = gitcode(ctx), str(action)
    if action == "replace" and not chosen:
        # POST with add=false replaces the list but needs at least one login (ref): an empty list is a removal of
        # everyone there now.
        pr = (await client.get(api_path(PULL, **where))).object()
        if not (chosen := ",".join(logins(pr.get("testers" if tester else "assignees")))):
            return _review_state(number, pr, tester)
        step = "clear"
    method, template, params, body = _review_request(step, bool(tester), chosen, force)
    role = "tester" if tester else "reviewer"
    await client.request(
        method,
        api_path(template, **where),
        params=params,
        json=body,
        hints={
            403: f"only the PR's {role}s may approve it (or an admin with force); others need to be its author or "
            "a repository member",
            404: "a login is not a member of the repository: list_reviewer_candidates shows who may be one",
        },
    )
    return _review_state(number, (await client.get(api_path(PULL, **where))).object(), tester)


def _review_state(number: int, pr: Obj, tester: bool | None) -> str:
    return to_text({"number": number, **(TESTERS_STATE if tester else REVIEWERS_STATE)(pr), **MERGE_STATE(pr)})


def _review_request(action: str, tester: bool, names: str | None, force: bool | None) -> tuple[str, str, Any, Any]:
    """The request for a review action. Approving is POST .../review, or .../test as a tester (ref: `force` passes it
    whatever the rules, for admins). Reviewers are GitCode's `assignees`, whose `accept` flags are the approvals a PR
    shows (live, cann/ge!1647 lists the same people in `assignees` and `approval_reviewers`): added, removed and reset
    there, replaced (add=false) and cleared through .../reviewers. Testers have one endpoint for all."""
    if action == "approve":
        return "POST", PR_TEST if tester else PR_REVIEW, None, payload(force=force)
    if action == "reset":  # ref: reset_all resets every approval (for admins; others reset their own)
        return "PATCH", PR_TESTERS if tester else PR_ASSIGNEES, None, {"reset_all": True}
    if tester:
        if action in ("remove", "clear"):
            return "DELETE", PR_TESTERS, None, {"testers": names}
        return "POST", PR_TESTERS, None, {"testers": names, "add": action == "add"}  # ref: add=false replaces
    if action == "add":
        return "POST", PR_ASSIGNEES, None, {"assignees": names}
    if action == "remove":
        # Gitee v5, the GitCode CLI and Huawei's GitCode SDK send the logins in the query of this DELETE.
        return "DELETE", PR_ASSIGNEES, {"assignees": names}, None
    if action == "clear":
        return "DELETE", PR_REVIEWERS, None, {"reviewers": names}
    return "POST", PR_REVIEWERS, None, {"reviewers": names, "add": False}


@pulls.read(
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


@pulls.write(
    Example({**PR_1, "action": "add", "labels": ["bug"]}, f"POST {PR_LABELS}", f"GET {PR_LABELS}"),
    Example({**PR_2, "action": "remove", "labels": ["enhancement"]}, f"DELETE {PR_LABEL}", f"GET {PR_LABELS}"),
    Example({**PR_2, "action": "replace", "labels": ["bug", "requirement"]}, f"PUT {PR_LABELS}", f"GET {PR_LABELS}"),
    Example(
        {**PR_1, "action": "add", "labels": ["ready"], "create_labels": True},
        f"GET {LABELS}",
        f"POST {LABELS}",
        f"POST {PR_LABELS}",
        f"GET {PR_LABELS}",
    ),
    idempotent=True,
)
async def set_pull_request_labels(
    owner: str,
    repo: str,
    number: Number,
    action: Literal["add", "remove", "replace"],
    labels: list[str],
    ctx: Context,
    create_labels: bool | None = None,
) -> str:
    """Add, remove or replace a pull request's labels."""
    where = {"owner": owner, "repo": repo, "number": number}
    wanted = (comma_list("labels", labels) or "").split(",")
    wanted = list(dict.fromkeys(n for n in wanted if n))
    if not wanted and action != "replace":
        raise InvalidArgument("labels", f"give the labels to {action}")
    if create_labels and action == "remove":
        raise InvalidArgument("create_labels", "only add and replace apply labels")
    client = gitcode(ctx)
    made = await create_missing_labels(ctx, owner, repo, wanted) if create_labels and wanted else []
    hints = {422: "a label does not exist in the repository; create it or check its spelling"}
    if action == "remove":
        for name in wanted:  # ref: one label per DELETE (204)
            await client.request(
                "DELETE", api_path(PR_LABEL, **where, label=name), hints={404: f"{name!r} is not on this pull request"}
            )
    else:  # ref: the body is a JSON array of names, not an object; PUT replaces them all
        await client.request(
            "POST" if action == "add" else "PUT", api_path(PR_LABELS, **where), json=wanted, hints=hints
        )
    current = (await client.get(api_path(PR_LABELS, **where))).items()
    result = {"number": number, "labels": names(current)}
    return to_text({**result, "created_labels": made} if made else result)
