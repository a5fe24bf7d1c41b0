"""Pull requests, in the shapes of the live answers recorded in 11-live-behaviour.md (PR cann/ge!1647 and the
cann-gitcode-mcp fixtures): no counts on a single PR, `mergeable_state` with its rules and reasons, the PR files
`patch` object, sparse comment-create answers, and timeline vs diff comments decided by the fields sent."""

from __future__ import annotations

import difflib
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_header, need_token, page, route
from gitcode_mcp.sandbox.state import Comment, PullRequest, Repo, User, fake_sha, now

PULL = "repos/{owner}/{repo}/pulls/{number}"
FILES = "repos/{owner}/{repo}/pulls/{number}/files"
COMMENTS = "repos/{owner}/{repo}/pulls/{number}/comments"

TOO_LARGE_LINES = 10_000  # above this GitCode sends `too_large: true` and no diff text
# GitCode's own sentence for a missing MERGE permission is live; the others are written in its style.
REASONS = {
    "merged_by_user_passed": "You are in project members list, but do not have MERGE permission, please check it.",
    "resolve_discussion_passed": "There are unresolved discussions, please resolve them before merging.",
    "approval_reviewers_required_passed": "The number of approved reviewers does not meet the requirement.",
    "work_in_progress_passed": "This pull request is a draft and cannot be merged.",
    "mr_state_passed": "This pull request is not open.",
}


def pull(repo: Repo, call: Call) -> PullRequest:
    pr = repo.pulls.get(call.params["number"])
    if pr is None:
        raise Refusal(404, "Not Found PullRequest")
    return pr


def changes(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    """The files a PR changes, head against base, in the live pulls/{n}/files shape. A file removed and added
    with the same content is a rename. `status` is null for renames and deletions (ref shows null statuses;
    the patch flags then tell), and a real word otherwise (live)."""
    base, head = repo.branches[pr.base], repo.branches[pr.head]
    added = {p for p in head if p not in base}
    removed = {p for p in base if p not in head}
    renames = {new: old for new in added for old in removed if head[new] == base[old]}
    sha = repo.head_sha(pr.head)
    out = []
    for path in sorted((set(base) | set(head)) - set(renames.values())):
        old_path = renames.get(path, path)
        old, new = base.get(old_path), head.get(path)
        if old == new and path not in renames:
            continue
        old_lines = (old or b"").decode(errors="replace").splitlines(keepends=True)
        new_lines = (new or b"").decode(errors="replace").splitlines(keepends=True)
        diff = list(difflib.unified_diff(old_lines, new_lines, n=3))[2:]
        plus = sum(1 for d in diff if d.startswith("+"))
        minus = sum(1 for d in diff if d.startswith("-"))
        too_large = max(len(old_lines), len(new_lines)) > TOO_LARGE_LINES
        status = None if path in renames or new is None else "added" if old is None else "modified"
        out.append(
            {
                "sha": sha,
                "filename": path,
                "status": status,
                "additions": plus,
                "deletions": minus,
                "blob_id": fake_sha(path, new),
                "blob_url": f"{repo.web_url}/blob/{sha}/{path}",
                "raw_url": f"https://raw.gitcode.com/{repo.full_name}/raw/{sha}/{path}",
                "patch": {
                    "diff": "" if too_large else "".join(diff),
                    "old_path": old_path,
                    "new_path": path,
                    "a_mode": "0" if old is None else "100644",
                    "b_mode": "0" if new is None else "100644",
                    "new_file": old is None,
                    "renamed_file": path in renames,
                    "deleted_file": new is None,
                    "too_large": too_large,
                    "added_lines": plus,
                    "removed_lines": minus,
                },
                "target_branch": pr.base,
                "source_branch": pr.head,
                "source_project": shapes.project(repo),
                "target_project": shapes.project(repo),
            }
        )
    return out


def merge_rules(repo: Repo, pr: PullRequest, caller: User | None) -> dict[str, bool]:
    approvals = sum(pr.reviewers.values())
    return {
        "conflict_passed": True,
        "branch_missing_passed": pr.head in repo.branches and pr.base in repo.branches,
        "non_ff_passed": True,
        "mr_state_passed": pr.state == "open",
        "merged_by_user_passed": caller is not None and repo.may_merge(caller.login),
        "work_in_progress_passed": not pr.draft,
        "resolve_discussion_passed": not repo.discussions_must_be_resolved
        or all(c.resolved for c in pr.comments if c.is_diff),
        "ci_state_passed": True,
        "merge_by_self_passed": True,
        "approval_reviewers_required_passed": approvals >= repo.approvals_required,
        "approval_approvers_required_passed": True,
        "approval_testers_required_passed": True,
    }


def mergeable_state(repo: Repo, pr: PullRequest, caller: User | None) -> dict[str, Any]:
    rules = merge_rules(repo, pr, caller)
    return {
        "merge_request_id": pr.id,
        "state": all(rules.values()),
        "status_without_user_auth": True,
        **rules,
        "can_force_merge": False,
        "merge_request_switch": {
            "review_mode": "approval",
            "merge_method": "merge",
            "only_allow_merge_if_all_discussions_are_resolved": repo.discussions_must_be_resolved,
            "disable_merge_by_self": False,
            "only_allow_merge_if_pipeline_succeeds": False,
            "disable_squash_merge": False,
            "squash_merge_with_no_merge_commit": False,
            "approval_required_reviewers_count": repo.approvals_required,
            "approval_required_reviewers_branch": "*",
            "add_notes_after_merged": False,
            "mark_auto_merged_mr_as_closed": False,
            "can_force_merge": False,
            "can_reopen": True,
        },
        "reason": {k: REASONS[k] for k, ok in rules.items() if not ok and k in REASONS},
        "check_tasks_num": 0,
        "all_depend_merge_request_merged_passed": True,
        "approval_approvers_result": 2,
        "approval_testers_result": 2,
    }


def render_pull(sb: Sandbox, repo: Repo, pr: PullRequest, caller: User | None) -> dict[str, Any]:
    def people(who: dict[str, bool]) -> list[dict[str, Any]]:
        return [
            {**shapes.user(sb.world.users[login]), "assignee": True, "code_owner": False, "accept": ok}
            for login, ok in who.items()
        ]

    def ref(branch: str, with_user: bool) -> dict[str, Any]:
        out = {
            "ref": branch,
            "sha": repo.head_sha(branch) if branch in repo.branches else None,
            "label": branch,
            "repo": shapes.nested_repo(repo),
        }
        return {**out, "user": shapes.user(pr.user)} if with_user else out

    return {
        "id": pr.id,
        "html_url": f"{repo.web_url}/merge_requests/{pr.number}",
        "number": pr.number,
        "state": pr.state,
        "title": pr.title,
        "url": f"{repo.api_url}/pulls/{pr.number}",
        "issue_url": f"{repo.api_url}/pulls/{pr.number}/issues",
        "body": pr.body,
        "assignees_number": len(pr.reviewers),
        "assignees": people(pr.reviewers),
        "testers": people(pr.testers),
        "approval_reviewers": [],
        "labels": [shapes.label(repo, name) for name in pr.labels],
        "created_at": pr.created_at,
        "updated_at": pr.merged_at or pr.closed_at or pr.created_at,
        "closed_at": pr.closed_at,
        "merged_at": pr.merged_at,
        "merged_by": shapes.user(pr.merged_by) if pr.merged_by else None,
        "draft": pr.draft,
        "can_merge_check": True,
        "prune_branch": False,
        "mergeable": True,  # live: true even while mergeable_state.state is false
        "user": shapes.user(pr.user),
        "head": ref(pr.head, True),
        "base": ref(pr.base, False),
        "mergeable_state": mergeable_state(repo, pr, caller),
        "visibility_reason": "private" if repo.private else "public",
    }


def render_comment(c: Comment) -> dict[str, Any]:
    """A comment list item (live): integer id, discussion_id, comment_type; replies nest in `reply`. A diff
    comment also carries its anchor (path, and the head line as position/new_line), as Gitee's v5 does."""
    out: dict[str, Any] = {
        "id": c.id,
        "discussion_id": c.discussion_id,
        "body": c.body,
        "created_at": c.created_at,
        "updated_at": c.created_at,
        "user": shapes.user(c.user),
        "comment_type": "diff_comment" if c.is_diff else "pr_comment",
    }
    if c.is_diff:
        out |= {
            "path": c.path,
            "position": c.line,
            "new_line": c.line,
            "commit_id": c.commit_id,
            "resolved": c.resolved,
        }
    if c.replies:
        out["reply"] = [render_comment(r) for r in c.replies]
    return out


@route("GET", PULL)
async def get_pull(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_pull(sb, repo, pull(repo, call), call.caller))


@route("GET", FILES)
async def pull_files(sb: Sandbox, call: Call) -> Response:
    # seed: this endpoint answered `Invalid header parameter: private-token, required` without that header.
    need_header(call, "private-token", "Invalid header parameter: private-token, required")
    repo = sb.repo(call)
    return JSONResponse(changes(repo, pull(repo, call)))


@route("GET", COMMENTS)
async def pull_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return page(call, [render_comment(c) for c in pull(repo, call).comments])


@route("POST", COMMENTS)
async def comment_pull(sb: Sandbox, call: Call) -> Response:
    # probe: the v5 PR comment create expects the token as `Authorization: Bearer`.
    need_header(call, "authorization", "401 Unauthorized")
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    data = call.data()
    text = data.get("body")
    if not isinstance(text, str) or not text.strip():
        raise Refusal(400, "body is required")
    path = data.get("path")
    anchor = [
        a for k in ("line", "new_line", "position") if isinstance(a := data.get(k), int) and not isinstance(a, bool)
    ]
    comment = Comment(sb.world.new_id(), sb.world.discussion_id(), user, text, now())
    # probe: only path plus the head line as all of line, new_line and position makes a diff comment; a body
    # alone, or path with only `line`, lands as a general timeline comment.
    if isinstance(path, str) and len(anchor) == 3:
        changed = {c["filename"] for c in changes(repo, pr)}
        if path not in changed:
            raise Refusal(404, f"file {path} is not changed by this pull request")
        line = anchor[1]  # new_line: the line in the head version
        count = len(repo.branches[pr.head][path].splitlines())
        if not 1 <= line <= count:
            raise Refusal(422, f"line {line} does not exist in {path}")
        comment.path, comment.line, comment.commit_id = path, line, repo.head_sha(pr.head)
    pr.comments.append(comment)
    return JSONResponse({"id": comment.discussion_id, "note_id": comment.id, "body": text}, status_code=201)
