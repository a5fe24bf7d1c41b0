"""Pull requests as agents read them: one PR, a list item, its files and comments, why it cannot merge, where its
approvals stand. Shared by the pulls tools and by the lists of other toolsets (an issue's links, yours, an
organisation's, an enterprise's)."""

from __future__ import annotations

import re
from typing import Any

from gitcode_mcp.paths import NAME_PATTERN
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, logins, names, state, sub

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
NAME = re.compile(NAME_PATTERN)


def head_label(pr: Obj) -> Any:
    """The head branch as create_pull_request takes it: `branch`, or `user:branch` when it is in a fork."""
    head = sub(pr, "head")
    ref = head.get("ref") or pr.get("source_branch")
    fork, own = repo_of(head), repo_of(sub(pr, "base"))
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


def comment_type(c: Obj) -> Any:
    """`diff_comment` (on a line) or `pr_comment` (general), as GitCode names them (live)."""
    return c.get("comment_type") or ("diff_comment" if comment_path(c) else None)


def _is_diff(c: Obj) -> bool:
    return comment_type(c) == "diff_comment"


REPLY = View(id=at("id", as_int), author=at("user", login), body="body", created_at="created_at")
# Replies nest in the root comment's `reply` array (live); a diff comment's anchor is the head version's line.
PR_COMMENT = View(
    id=at("id", as_int),
    discussion_id="discussion_id",
    type=comment_type,
    path=lambda c: comment_path(c) if _is_diff(c) else None,
    line=lambda c: anchor_line(c) if _is_diff(c) else None,
    resolved=lambda c: c.get("resolved") if _is_diff(c) else None,
    author=at("user", login),
    body="body",
    created_at="created_at",
    replies=lambda c: REPLY.many(c["reply"]) if isinstance(c.get("reply"), list) else None,
)


def repo_of(side: Obj) -> tuple[str, str] | None:
    """The owner and name of the repository a PR side (head or base) is in, when GitCode says so plainly."""
    parts = str(sub(side, "repo").get("full_name") or "").split("/")
    return (parts[0], parts[1]) if len(parts) == 2 and all(NAME.fullmatch(p) for p in parts) else None


def anchor_line(c: Obj) -> Any:
    """A diff comment's line in the head version: `new_line` (probe, Gitee), `diff_position` (ref), else
    `line` or `position`."""
    for value in (c.get("new_line"), sub(c, "diff_position").get("start_new_line"), c.get("line"), c.get("position")):
        if isinstance(as_int(value), int):
            return as_int(value)
    return None


def comment_path(c: Obj) -> Any:
    return c.get("path") or c.get("diff_file")


# After a review write GitCode answers 204 or a sparse body: the PR read back says where its approvals stand.
REVIEWERS_STATE = View(reviewers=at("assignees", logins), approved_by=at("assignees", accepted))
TESTERS_STATE = View(testers=at("testers", logins), tested_by=at("testers", accepted))
MERGE_STATE = View(mergeable=mergeable, merge_blockers=merge_blockers)


def _repo_name(p: Obj) -> Any:
    """owner/repo of a PR in a list across repositories: base.repo's full_name, or its namespace and path."""
    for side in ("base", "head"):
        r = sub(sub(p, side), "repo")
        space = sub(r, "namespace").get("path") or sub(r, "name_space").get("path")
        if name := r.get("full_name") or (space and r.get("path") and f"{space}/{r['path']}"):
            return name
    return None


ACROSS = View(repo=_repo_name, **PR_ITEM.fields)
