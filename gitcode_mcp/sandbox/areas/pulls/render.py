"""Pull requests in GitCode's shapes: one PR with its merge rules, a list item, a comment, lists across repositories."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.pulls.merging import changes, merged_files, source
from gitcode_mcp.sandbox.core import (
    Call,
    Refusal,
    Sandbox,
    page,
)
from gitcode_mcp.sandbox.state import Comment, PullRequest, Repo, User, World

# GitCode's own sentence for a missing MERGE permission is live; the others are written in its style.
REASONS = {
    "merged_by_user_passed": "You are in project members list, but do not have MERGE permission, please check it.",
    "resolve_discussion_passed": "There are unresolved discussions, please resolve them before merging.",
    "approval_reviewers_required_passed": "The number of approved reviewers does not meet the requirement.",
    "work_in_progress_passed": "This pull request is a draft and cannot be merged.",
    "mr_state_passed": "This pull request is not open.",
    "conflict_passed": "There are merge conflicts, please resolve them before merging.",  # sim words
}


def merge_rules(world: World, repo: Repo, pr: PullRequest, caller: User | None) -> dict[str, bool]:
    approvals = sum(pr.reviewers.values())
    return {
        "conflict_passed": pr.state != "open" or not merged_files(repo, pr)[1],
        "branch_missing_passed": pr.head in source(repo, pr).branches and pr.base in repo.branches,
        "non_ff_passed": True,
        "mr_state_passed": pr.state == "open",
        "merged_by_user_passed": caller is not None and access(world, repo, caller).merge,
        "work_in_progress_passed": not pr.draft,
        "resolve_discussion_passed": not repo.discussions_must_be_resolved
        or all(c.resolved for c in pr.comments if c.is_diff),
        "ci_state_passed": True,
        "merge_by_self_passed": True,
        "approval_reviewers_required_passed": "review" in pr.forced or approvals >= repo.approvals_required,
        "approval_approvers_required_passed": True,
        "approval_testers_required_passed": True,
    }


def mergeable_state(world: World, repo: Repo, pr: PullRequest, caller: User | None) -> dict[str, Any]:
    rules = merge_rules(world, repo, pr, caller)
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

    def ref(branch: str, where: Repo, with_user: bool) -> dict[str, Any]:
        out = {
            "ref": branch,
            "sha": where.head_sha(branch) if branch in where.branches else None,
            "label": branch,
            "repo": shapes.nested_repo(where),
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
        # live (cann/ge!1647, review_mode "approval"): the same people, in the same order, as `assignees`.
        "approval_reviewers": people(pr.reviewers),
        "labels": [shapes.label(repo, name) for name in pr.labels],
        "milestone": {"number": pr.milestone, "title": repo.milestones[pr.milestone]} if pr.milestone else None,
        "created_at": pr.created_at,
        "updated_at": pr.updated_at or pr.merged_at or pr.closed_at or pr.created_at,
        "closed_at": pr.closed_at,
        "merged_at": pr.merged_at,
        "merged_by": shapes.user(pr.merged_by) if pr.merged_by else None,
        "draft": pr.draft,
        "can_merge_check": True,
        "prune_branch": False,
        "mergeable": True,  # live: true even while mergeable_state.state is false
        "user": shapes.user(pr.user),
        "head": ref(pr.head, source(repo, pr), True),
        "base": ref(pr.base, repo, False),
        "mergeable_state": mergeable_state(sb.world, repo, pr, caller),
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
            # ref: the anchor as `diff_file` and a `diff_position` line range
            "diff_file": c.path,
            "diff_position": {
                "start_new_line": c.line,
                "end_new_line": c.line,
                "start_old_line": None,
                "end_old_line": None,
            },
        }
    if c.replies:
        out["reply"] = [render_comment(r) for r in c.replies]
    return out


def list_item(sb: Sandbox, repo: Repo, pr: PullRequest) -> dict[str, Any]:
    """A PR as list items carry it (live, cann-gitcode-mcp list fixture): no mergeable_state; `iid`, line
    counts and `notes` (comments and system events together, so not a comment count)."""
    item = render_pull(sb, repo, pr, None)
    del item["mergeable_state"]
    src = source(repo, pr)
    files = changes(repo, pr) if pr.head in src.branches and pr.base in repo.branches else []
    return {
        **item,
        "iid": pr.number,
        "project_id": repo.id,
        "target_branch": pr.base,
        "source_branch": pr.head,
        "source_project_id": src.id,
        "web_url": item["html_url"],
        "added_lines": sum(f["additions"] for f in files),
        "removed_lines": sum(f["deletions"] for f in files),
        "diff_refs": {
            "base_sha": item["base"]["sha"],
            "head_sha": item["head"]["sha"],
            "start_sha": item["base"]["sha"],
        },
        "notes": 1 + sum(1 + len(c.replies) for c in pr.comments),  # +1: the creation event
        "source_git_url": f"git@gitcode.com:{src.full_name}.git",
        "locked": False,
    }


PR_SCOPES = ("created_by_me", "assigned_to_me", "need_my_review", "need_my_approve")  # ref: user/pulls
LISTED_PR_STATES = ("all", "open", "opened", "closed", "locked", "merged")


def across(sb: Sandbox, call: Call, found: list[tuple[Repo, PullRequest]]) -> Response:
    """Filtered by `state` (all by default, ref), sorted by `sort` (created | updated | merged_at) in `direction`."""
    state = call.query.get("state", "all")
    if state not in LISTED_PR_STATES:
        raise Refusal(400, f"state must be one of [{', '.join(LISTED_PR_STATES)}]")
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
