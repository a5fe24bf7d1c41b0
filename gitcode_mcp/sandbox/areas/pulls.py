"""Pull requests, in the shapes of the live answers recorded in docs/gitcode-behaviour.md (PR cann/ge!1647 and the
cann-gitcode-mcp fixtures): no counts on a single PR, `mergeable_state` with its rules and reasons, the PR files
`patch` object, sparse comment-create answers, and timeline vs diff comments decided by the fields sent. Lists
sort by `order_by` + `direction` and refuse `sort` without `direction` (probe); list items carry `added_lines`,
`removed_lines` and `notes` (live). A fork PR's head branch lives in the fork ({user}/{repo}), seeded as bob/demo.
Merges apply the head's files to the base and record the merge commit, refused while a merge rule fails; approvals,
reviewers, testers and labels change the PR they are on."""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
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
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.commits import ancestry, render_commit
from gitcode_mcp.sandbox.core import (
    Call,
    Refusal,
    Sandbox,
    need_header,
    need_token,
    page,
    route,
    string_list,
    text_field,
)
from gitcode_mcp.sandbox.state import Comment, Commit, Files, PullRequest, Repo, User, World, fake_sha, now

TOO_LARGE_LINES = 10_000  # above this GitCode sends `too_large: true` and no diff text
# GitCode's own sentence for a missing MERGE permission is live; the others are written in its style.
REASONS = {
    "merged_by_user_passed": "You are in project members list, but do not have MERGE permission, please check it.",
    "resolve_discussion_passed": "There are unresolved discussions, please resolve them before merging.",
    "approval_reviewers_required_passed": "The number of approved reviewers does not meet the requirement.",
    "work_in_progress_passed": "This pull request is a draft and cannot be merged.",
    "mr_state_passed": "This pull request is not open.",
    "conflict_passed": "There are merge conflicts, please resolve them before merging.",  # sim words
}


def pull(repo: Repo, call: Call) -> PullRequest:
    pr = repo.pulls.get(call.params["number"])
    if pr is None:
        raise Refusal(404, "Not Found PullRequest")
    return pr


def source(repo: Repo, pr: PullRequest) -> Repo:
    """The repository the PR's head branch lives in: a fork, or the PR's own repository."""
    return pr.head_repo or repo


def merge_base(repo: Repo, pr: PullRequest) -> Commit | None:
    """The newest commit both the base branch and the head branch descend from; None when they share no history
    (seeded branches, and forks, whose logs are their own)."""
    src = source(repo, pr)
    if src is not repo or pr.head not in repo.branches or pr.base not in repo.branches:
        return None
    base_head, head = repo.log(pr.base)[-1], repo.log(pr.head)[-1]
    if pr.state == "merged":  # the base as it was before the merge commit that brought the head in
        merge = next((c for c in ancestry(repo, base_head) if head.sha in c.parents[1:]), None)
        base_head = repo.commit(merge.parents[0]) if merge else base_head
        if base_head is None:
            return None
    ours = {c.sha for c in ancestry(repo, base_head)}
    return next((c for c in ancestry(repo, head) if c.sha in ours), None)


def _lines(raw: bytes | None) -> list[bytes]:
    return (raw or b"").splitlines(keepends=True)


def merge_file(base: bytes | None, ours: bytes | None, theirs: bytes | None) -> tuple[bytes | None, bool]:
    """One file merged three ways, line by line as `git merge` does: each side's changes to the merge base are both
    kept where they touch different lines; changes to the same lines that differ are a conflict (True)."""
    if ours == theirs or theirs == base:
        return ours, False
    if ours == base:
        return theirs, False
    if base is None or ours is None or theirs is None or b"\x00" in base + ours + theirs:
        return ours, True  # both added, or one deleted what the other changed, or a binary file
    old = _lines(base)
    edits = []
    for side in (_lines(ours), _lines(theirs)):
        matcher = difflib.SequenceMatcher(None, old, side, autojunk=False)
        edits += [(i1, i2, side[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
    edits = sorted(set((i1, i2, tuple(new)) for i1, i2, new in edits))
    # One side's edits are apart (an unchanged line between them); edits that overlap or touch come from both sides.
    if any(later[0] <= earlier[1] for earlier, later in itertools.pairwise(edits)):
        return ours, True
    merged = list(old)
    for i1, i2, new in reversed(edits):
        merged[i1:i2] = new
    return b"".join(merged), False


def merged_files(repo: Repo, pr: PullRequest) -> tuple[Files, list[str]]:
    """The base branch's files with the PR merged in, and the paths that conflict. Without a merge base (branches
    that share no history) the head's files are taken as they are."""
    src = source(repo, pr)
    ours, theirs = repo.branches[pr.base], src.branches[pr.head]
    common = merge_base(repo, pr)
    if common is None:
        return dict(theirs), []
    result: Files = {}
    conflicts = []
    for path in sorted(set(common.files) | set(ours) | set(theirs)):
        content, conflict = merge_file(common.files.get(path), ours.get(path), theirs.get(path))
        if conflict:
            conflicts.append(path)
        if content is not None:
            result[path] = content
    return result, conflicts


def changes(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    """The files a PR changes, head against its merge base with the base branch (the base branch itself when they
    share no history), in the live pulls/{n}/files shape. A file removed and added with the same content is a
    rename. `status` is null for renames and deletions (ref shows null statuses; the patch flags then tell), and a
    real word otherwise (live)."""
    src = source(repo, pr)
    common = merge_base(repo, pr)
    base, head = (common.files if common else repo.branches[pr.base]), src.branches[pr.head]
    added = {p for p in head if p not in base}
    removed = {p for p in base if p not in head}
    renames = {new: old for new in added for old in removed if head[new] == base[old]}
    sha = src.head_sha(pr.head)
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
                "source_project": shapes.project(src),
                "target_project": shapes.project(repo),
            }
        )
    return out


def merge_rules(repo: Repo, pr: PullRequest, caller: User | None) -> dict[str, bool]:
    approvals = sum(pr.reviewers.values())
    return {
        "conflict_passed": pr.state != "open" or not merged_files(repo, pr)[1],
        "branch_missing_passed": pr.head in source(repo, pr).branches and pr.base in repo.branches,
        "non_ff_passed": True,
        "mr_state_passed": pr.state == "open",
        "merged_by_user_passed": caller is not None and repo.may_merge(caller.login),
        "work_in_progress_passed": not pr.draft,
        "resolve_discussion_passed": not repo.discussions_must_be_resolved
        or all(c.resolved for c in pr.comments if c.is_diff),
        "ci_state_passed": True,
        "merge_by_self_passed": True,
        "approval_reviewers_required_passed": "review" in pr.forced or approvals >= repo.approvals_required,
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


@route("GET", PULL)
async def get_pull(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_pull(sb, repo, pull(repo, call), call.caller))


@route("GET", PR_FILES)
async def pull_files(sb: Sandbox, call: Call) -> Response:
    # seed: this endpoint answered `Invalid header parameter: private-token, required` without that header.
    need_header(call, "private-token", "Invalid header parameter: private-token, required")
    repo = sb.repo(call)
    return JSONResponse(changes(repo, pull(repo, call)))


@route("GET", PR_COMMENTS)
async def pull_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    comments = pull(repo, call).comments
    # ref: `comment_type` filters diff_comment / pr_comment
    if kind := call.query.get("comment_type"):
        if kind not in ("diff_comment", "pr_comment"):
            raise Refusal(400, "comment_type must be one of [diff_comment, pr_comment]")
        comments = [c for c in comments if c.is_diff == (kind == "diff_comment")]
    return page(call, [render_comment(c) for c in comments])


@route("POST", PR_COMMENTS)
async def comment_pull(sb: Sandbox, call: Call) -> Response:
    # probe: the v5 PR comment create expects the token as `Authorization: Bearer`.
    need_header(call, "authorization", "401 Unauthorized")
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    data = call.data()
    text = text_field(data, "body")
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
        src = source(repo, pr)
        count = len(src.branches[pr.head][path].splitlines())
        if not 1 <= line <= count:
            raise Refusal(422, f"line {line} does not exist in {path}")
        comment.path, comment.line, comment.commit_id = path, line, src.head_sha(pr.head)
    pr.comments.append(comment)
    pr.updated_at = comment.created_at
    return JSONResponse({"id": comment.discussion_id, "note_id": comment.id, "body": text}, status_code=201)


def seed(world: World) -> None:
    """A fork of alice/demo owned by bob, with a branch to open a cross-repository PR from; and a reply in the
    seeded discussion of PR 2, nested as live answers nest replies. Fixed ids: the shared counter is left alone,
    so the other areas' ids do not move."""
    demo = world.repo("alice", "demo")
    if demo is None:
        return
    if world.repo("bob", "demo") is None:
        main = dict(demo.branches[demo.default_branch])
        fix = {**main, "README.md": b"# demo\n\nA repository to try gitcode-mcp on, from a fork.\n"}
        fork = Repo(8_300_001, world.users["bob"], "demo", branches={"main": main, "fix-readme": fix}, parent=demo)
        world.repos[fork.full_name] = fork
    if 2 in demo.pulls and demo.pulls[2].comments:
        root = demo.pulls[2].comments[0]
        root.replies.append(
            Comment(
                8_300_002,
                root.discussion_id,
                world.users["alice"],
                "Yes: the docs use it.",
                "2026-11-21T11:30:00+08:00",
            )
        )


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


def ordered(call: Call, items: list[Any], created: Any, updated: Any) -> list[Any]:
    """Sorted by `order_by` (created_at | updated_at; probe) or `sort` (created | updated; ref) in `direction`
    (asc | desc); newest first by default."""
    sort = {"created": "created_at", "updated": "updated_at"}.get(call.query.get("sort", ""))
    order_by = call.query.get("order_by") or sort or "created_at"
    direction = call.query.get("direction", "desc")
    if order_by not in ("created_at", "updated_at"):
        raise Refusal(400, "order_by must be one of [created_at, updated_at]")
    if direction not in ("asc", "desc"):
        raise Refusal(400, "direction must be one of [asc, desc]")
    key = created if order_by == "created_at" else updated
    return sorted(items, key=key, reverse=direction == "desc")


PR_STATES = {"all", "open", "opened", "closed", "locked", "merged"}  # ref; `opened` in the seed's example


@route("GET", PULLS)
async def list_pulls(sb: Sandbox, call: Call) -> Response:
    # probe (urandon/gitcode-mcp, 2026-06-28): `sort=desc` answers 400 saying `direction` is required.
    if "sort" in call.query and "direction" not in call.query:
        raise Refusal(400, "Invalid query parameter: direction, required")
    repo = sb.repo(call)
    state = call.query.get("state", "all")
    if state not in PR_STATES:
        raise Refusal(400, f"state must be one of [{', '.join(sorted(PR_STATES))}]")
    labels = set(string_list(dict(call.query), "labels"))
    found = [
        pr
        for pr in repo.pulls.values()
        if state in ("all", pr.state, "opened" if pr.state == "open" else "")
        and call.query.get("base") in (None, pr.base)
        and call.query.get("author") in (None, pr.user.login)
        and labels <= set(pr.labels)
    ]
    found = ordered(call, found, lambda p: p.created_at, lambda p: p.updated_at or p.created_at)
    return page(call, [list_item(sb, repo, pr) for pr in found])


def _labels(repo: Repo, data: dict[str, Any]) -> list[str]:
    # An empty `labels` is refused as missing; a lone comma is the empty list that clears them (GitCode CLI,
    # api/queries_pr.go; docs/gitcode-behaviour.md, Pull requests).
    if data.get("labels") == "":
        raise Refusal(400, "Invalid body parameter: labels, required")
    labels = string_list(data, "labels")
    if missing := [n for n in labels if n not in repo.labels]:
        raise Refusal(422, f"label {missing[0]} does not exist")
    return labels


def _milestone(repo: Repo, data: dict[str, Any]) -> int | None:
    number = data.get("milestone_number")
    if number is not None and number not in repo.milestones:
        raise Refusal(422, f"milestone {number} does not exist")
    return number


def _title(data: dict[str, Any]) -> str:
    title = text_field(data, "title")
    if len(title) > 255:
        raise Refusal(422, "title is too long (maximum is 255 characters)")
    return title


@route("POST", PULLS)
async def create_pull(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    data = call.data()
    title = _title(data)
    head, base = data.get("head"), data.get("base")
    if not isinstance(head, str) or not head or not isinstance(base, str) or not base:
        raise Refusal(400, "head and base are required")
    # A fork's branch is `owner/repo:branch` (cli #495, live). `owner:branch` is no longer resolved (cli #495): it is
    # taken for a branch name. `fork_path` is resolved to the upstream's branch of that name, or refused when there is
    # none (cli #259: "upstream has no same-name branch -> HTTP 403"; sim words).
    src = repo
    if (source_repo := head.partition(":")[0]).count("/") == 1 and ":" in head:
        found = sb.world.repos.get(source_repo)
        if found is None:
            raise Refusal(404, "Not Found Project")
        src, head = found, head.split(":", 1)[1]
    elif data.get("fork_path") not in (None, "", repo.full_name) and head not in repo.branches:
        raise Refusal(403, "You do not have permission to create a pull request from this source")
    if head not in src.branches:
        raise Refusal(400, f"Source branch {head} does not exist")
    if base not in repo.branches:
        raise Refusal(400, f"Target branch {base} does not exist")
    if src is repo and head == base:
        raise Refusal(400, "Source branch and target branch cannot be the same")
    for pr in repo.pulls.values():
        if pr.state == "open" and pr.head == head and pr.base == base and source(repo, pr) is src:
            raise Refusal(409, f"Another open merge request already exists for this source branch: !{pr.number}")
    reviewers = string_list(data, "assignees")  # ref: `assignees` are the reviewers' logins, comma-separated
    if missing := [n for n in reviewers if n not in sb.world.users]:
        raise Refusal(422, f"assignee {missing[0]} does not exist")
    # ref: "当仓库代码审查设置中已设置【指派审查人员】则此选项无效": the repository's own reviewers win.
    if assigned := repo.settings.get("reviewer", {}).get("assignees"):
        reviewers = [n for n in assigned.split(",") if n]
    body = data.get("body")
    pr = PullRequest(
        sb.world.new_id(),
        max(repo.pulls, default=0) + 1,
        title,
        body if isinstance(body, str) else "",
        user,
        head=head,
        base=base,
        created_at=now(),
        draft=data.get("draft") is True,
        reviewers=dict.fromkeys(reviewers, False),
        labels=_labels(repo, data),
        head_repo=None if src is repo else src,
        milestone=_milestone(repo, data),
    )
    repo.pulls[pr.number] = pr
    return JSONResponse(render_pull(sb, repo, pr, user), status_code=201)


@route("PATCH", PULL)
async def update_pull(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    data = call.data()
    if "state" in data:
        # A PR is closed and reopened with the states it reads back, `closed` / `open` (GitCode CLI `pr close` and
        # `pr reopen`, run live), not the issue transitions `close` / `reopen` (docs/gitcode-behaviour.md).
        if data["state"] not in ("closed", "open"):
            raise Refusal(400, "state must be one of [open, closed]", "VALIDATION_ERROR")
        if pr.state == "merged":
            raise Refusal(400, "a merged pull request cannot be closed or reopened")
        pr.state = data["state"]
        pr.closed_at = now() if pr.state == "closed" else None
    if "title" in data:
        pr.title = _title(data)
    if isinstance(data.get("body"), str):
        pr.body = data["body"]
    if "labels" in data:
        pr.labels = _labels(repo, data)
    if "milestone_number" in data:
        pr.milestone = _milestone(repo, data)
    if isinstance(data.get("draft"), bool):
        pr.draft = data["draft"]
    pr.updated_at = now()
    # ref: the update answer is sparse (title, body, state, created_at, updated_at).
    return JSONResponse(
        {
            "title": pr.title,
            "body": pr.body,
            "state": pr.state,
            "created_at": pr.created_at,
            "updated_at": pr.updated_at,
        }
    )


def commits(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    """The head's commits that the base does not have, oldest first (ref shape). A head branch seeded without history
    (its files set, no commits recorded) reads as one commit per changed file, the last one at the head's sha."""
    src = source(repo, pr)
    base = {c.sha for c in ancestry(repo, repo.log(pr.base)[-1])}
    history = ancestry(src, src.log(pr.head)[-1])
    if any(c.sha in base for c in history):
        return [pr_commit(src, c) for c in reversed(history) if c.sha not in base]
    paths = [f["filename"] for f in changes(repo, pr)]
    parent = repo.head_sha(pr.base)
    out = []
    for i, path in enumerate(paths):
        sha = src.head_sha(pr.head) if i == len(paths) - 1 else fake_sha("commit", src.full_name, pr.head, path)
        person = {"name": pr.user.name, "email": f"{pr.user.login}@example.com", "date": pr.created_at}
        out.append(
            {
                "sha": sha,
                "html_url": f"{src.web_url}/commit/{sha}",
                "commit": {"author": person, "committer": person, "message": f"Update {path}\n"},
                "author": shapes.user(pr.user),
                "committer": shapes.user(pr.user),
                "parents": {"sha": parent, "shas": [parent]},
            }
        )
        parent = sha
    return out


def pr_commit(repo: Repo, commit: Commit) -> dict[str, Any]:
    """A commit as a PR's commit list carries it: `parents` is one object here (ref), a list in the commits API."""
    first = commit.parents[0] if commit.parents else None
    return render_commit(repo, commit) | {"parents": {"sha": first, "shas": commit.parents}}


@route("GET", PR_COMMITS)
async def pull_commits(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return page(call, commits(repo, pull(repo, call)))


# --- merge, reviews and tests, reviewers and testers, labels ---------------------------------------------------
# The GitCode reference (docs.gitcode.com, pull request pages) documents these; where it shows no answer or no
# status, Gitee v5 (which GitCode's v5 follows) decides, and the comments say so.

MERGE_METHODS = ("merge", "squash", "rebase")  # ref: merge (the default), squash, rebase
MERGED = "Pull Request已经合并"  # ref: GET .../merge of a merged PR; the same words refuse a second merge
NOT_MERGED = "Pull Request不存在或未合并"  # ref: GET .../merge of a PR that is not merged


def _rule_text(rule: str) -> str:
    return REASONS.get(rule, f"The merge rule {rule.removesuffix('_passed')} has not passed.")


def _open_pull(repo: Repo, call: Call) -> PullRequest:
    pr = pull(repo, call)
    if pr.state != "open":
        raise Refusal(400, REASONS["mr_state_passed"])
    return pr


def _open_write(sb: Sandbox, call: Call) -> tuple[User, Repo, PullRequest]:
    """The caller, the repository and its open PR, checked in that order (401, 404, 400): where every review, test,
    reviewer and tester write starts."""
    user = need_token(call)
    repo = sb.repo(call)
    return user, repo, _open_pull(repo, call)


@dataclass(frozen=True)
class Part:
    """One kind of approval a PR takes: its reviewers review it, its testers test it."""

    kind: str  # what POST .../review or .../test passes, and `force` marks as forced (PullRequest.forced)
    key: str  # the body field that names them: reviewers, testers
    role: str

    def of(self, pr: PullRequest) -> dict[str, bool]:
        """The PR's people in this part: login -> approved."""
        return pr.reviewers if self.kind == "review" else pr.testers


REVIEWING = Part("review", "reviewers", "reviewer")
TESTING = Part("test", "testers", "tester")


@route("GET", PR_MERGE)
async def is_merged(sb: Sandbox, call: Call) -> Response:
    # ref: {"message": ...} when merged, {"error": ...} otherwise, with no status shown: the error body is answered
    # with 200 here, the harder reading for a caller (Gitee v5 says 404; docs/gitcode-behaviour.md, Pull requests).
    repo = sb.repo(call)
    if pull(repo, call).state == "merged":
        return JSONResponse({"message": MERGED})
    return JSONResponse({"error": NOT_MERGED})


@route("PUT", PR_MERGE)
async def merge_pull(sb: Sandbox, call: Call) -> Response:
    """ref: body `merge_method` (merge | squash | rebase), `title` and `description` of the merge commit; the
    answer {sha, merged, message}. A PR a merge rule blocks is refused with GitCode's reasons, as the web page
    refuses it; the head's files become the base branch's, recorded as a merge commit (two parents) or, squashed
    or rebased, as one commit on the base."""
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    data = call.data()
    method = data.get("merge_method", "merge")
    if method not in MERGE_METHODS:
        raise Refusal(400, f"merge_method must be one of [{', '.join(MERGE_METHODS)}]")
    title, description = data.get("title"), data.get("description")
    if not isinstance(title, str | None) or not isinstance(description, str | None):
        raise Refusal(400, "title and description must be strings")
    if pr.state == "merged":
        raise Refusal(400, MERGED)
    if failed := [rule for rule, ok in merge_rules(repo, pr, user).items() if not ok]:
        raise Refusal(400, " ".join(_rule_text(rule) for rule in failed))
    src = source(repo, pr)
    base_head, head_sha = repo.head_sha(pr.base), src.head_sha(pr.head)  # before the base's files change
    repo.branches[pr.base] = merged_files(repo, pr)[0]
    message = (title or "").strip() or f"!{pr.number} {pr.title}"
    if description and description.strip():
        message += f"\n\n{description.strip()}"
    parents = [base_head, head_sha] if method == "merge" else [base_head]
    commit = repo.record(pr.base, user, message, parents=parents)
    pr.state, pr.merged_by, pr.merged_at = "merged", user, commit.created_at
    pr.updated_at = commit.created_at
    return JSONResponse({"sha": commit.sha, "merged": True, "message": "Pull Request 已成功合并"})


@route("POST", PR_REVIEW)
async def review_pull(sb: Sandbox, call: Call) -> Response:
    return _pass(sb, call, REVIEWING)


@route("POST", PR_TEST)
async def test_pull(sb: Sandbox, call: Call) -> Response:
    return _pass(sb, call, TESTING)


def _pass(sb: Sandbox, call: Call, part: Part) -> Response:
    """ref: POST .../review and .../test take `force` (pass it whatever the rules; for admins only) and answer 204.
    Anyone else must be one of the PR's reviewers (testers): their `accept` turns true."""
    user, repo, pr = _open_write(sb, call)
    who = part.of(pr)
    if call.data().get("force") is True and repo.may_merge(user.login):
        pr.forced.add(part.kind)
    elif user.login in who:
        who[user.login] = True
    else:
        raise Refusal(403, f"You are not a {part.role} of this pull request.")
    pr.updated_at = now()
    return Response(status_code=204)


def candidates(sb: Sandbox, repo: Repo) -> list[User]:
    """Who may review or test a repository's PRs: its owner (a user), members, and its organisation's members."""
    logins = [repo.owner.login, *repo.members, *(repo.org.members if repo.org else ())]
    return [sb.world.users[login] for login in dict.fromkeys(logins) if login in sb.world.users]


def option_user(u: User) -> dict[str, Any]:
    """An option list item: an integer `id` and the 24-hex `object_id` (ref, option_testers example)."""
    return {**shapes.user(u), "id": shapes.numeric_id(u), "object_id": u.id}


def _people(sb: Sandbox, repo: Repo, pr: PullRequest, user: User, data: dict[str, Any], key: str) -> list[str]:
    """The comma-separated logins in `key`, each someone who may take that part in this PR (not its author)."""
    _may_change(repo, pr, user)
    logins = string_list(data, key)
    if not logins:
        raise Refusal(400, f"{key} is required")
    allowed = {u.login for u in candidates(sb, repo)}
    for login in logins:
        if login == pr.user.login:
            raise Refusal(400, f"{login} is the author of this pull request and cannot take part in its review.")
        if login not in allowed:
            raise Refusal(404, f"{login} is not a member of this project.")
    return list(dict.fromkeys(logins))


def _render_people(sb: Sandbox, who: dict[str, bool]) -> list[dict[str, Any]]:
    return [{**shapes.user(sb.world.users[login]), "accept": ok} for login, ok in who.items()]


def _assign(who: dict[str, bool], logins: list[str], add: bool) -> None:
    """Add the logins (approvals kept), or make them the whole list (approvals kept for those who stay)."""
    kept = dict(who) if add else {login: ok for login, ok in who.items() if login in logins}
    who.clear()
    who.update(kept)
    who.update({login: who.get(login, False) for login in logins})


def _drop(pr: PullRequest, who: dict[str, bool], logins: list[str]) -> None:
    for login in logins:
        who.pop(login, None)
    pr.updated_at = now()


def _set(sb: Sandbox, call: Call, part: Part) -> Response:
    """ref: the logins in the part's field, comma-separated; `add` true adds them, false (the default) makes them
    the whole list. Answers the part's people."""
    user, repo, pr = _open_write(sb, call)
    data = call.data()
    _assign(part.of(pr), _people(sb, repo, pr, user, data, part.key), add=data.get("add") is True)
    pr.updated_at = now()
    return JSONResponse(_render_people(sb, part.of(pr)))


def _remove(sb: Sandbox, call: Call, part: Part) -> Response:
    """Answers the part's people who remain."""
    user, repo, pr = _open_write(sb, call)
    _drop(pr, part.of(pr), _people(sb, repo, pr, user, call.data(), part.key))
    return JSONResponse(_render_people(sb, part.of(pr)))


def _reset(sb: Sandbox, call: Call, part: Part) -> Response:
    """ref: PATCH resets approvals; `reset_all` (sent as true or "true") resets everyone's and is for admins only,
    otherwise the caller's own. Answers 204."""
    user, repo, pr = _open_write(sb, call)
    who = part.of(pr)
    if call.data().get("reset_all") in (True, "true") and repo.may_merge(user.login):
        who.update(dict.fromkeys(who, False))
        pr.forced.discard(part.kind)
    elif user.login in who:
        who[user.login] = False
    pr.updated_at = now()
    return Response(status_code=204)


@route("POST", PR_ASSIGNEES)
async def assign_reviewers(sb: Sandbox, call: Call) -> Response:
    # ref: `assignees` comma-separated; adds them; answers {"assignees_number"}.
    user, repo, pr = _open_write(sb, call)
    _assign(pr.reviewers, _people(sb, repo, pr, user, call.data(), "assignees"), add=True)
    pr.updated_at = now()
    return JSONResponse({"assignees_number": len(pr.reviewers)})


@route("DELETE", PR_ASSIGNEES)
async def unassign_reviewers(sb: Sandbox, call: Call) -> Response:
    # Gitee v5, the GitCode CLI and Huawei's GitCode SDK send `assignees` in the query (ref shows a form field).
    user, repo, pr = _open_write(sb, call)
    data = {"assignees": call.query.get("assignees", call.data().get("assignees", ""))}
    _drop(pr, pr.reviewers, _people(sb, repo, pr, user, data, "assignees"))
    return Response(status_code=204)


@route("PATCH", PR_ASSIGNEES)
async def reset_reviews(sb: Sandbox, call: Call) -> Response:
    return _reset(sb, call, REVIEWING)


@route("POST", PR_REVIEWERS)
async def set_reviewers(sb: Sandbox, call: Call) -> Response:
    return _set(sb, call, REVIEWING)


@route("DELETE", PR_REVIEWERS)
async def remove_reviewers(sb: Sandbox, call: Call) -> Response:
    return _remove(sb, call, REVIEWING)


@route("POST", PR_TESTERS)
async def set_testers(sb: Sandbox, call: Call) -> Response:
    return _set(sb, call, TESTING)


@route("DELETE", PR_TESTERS)
async def remove_testers(sb: Sandbox, call: Call) -> Response:
    # ref (the GitCode VS Code extension's copy): `testers` in a JSON body.
    return _remove(sb, call, TESTING)


@route("PATCH", PR_TESTERS)
async def reset_tests(sb: Sandbox, call: Call) -> Response:
    return _reset(sb, call, TESTING)


@route("GET", PR_REVIEWER_OPTIONS)
async def reviewer_options(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    pr = pull(repo, call)
    return JSONResponse([option_user(u) for u in candidates(sb, repo) if u.login != pr.user.login])


@route("GET", REPO_TESTER_OPTIONS)
async def tester_options(sb: Sandbox, call: Call) -> Response:
    return JSONResponse([option_user(u) for u in candidates(sb, sb.repo(call))])


def _label_names(repo: Repo, body: Any) -> list[str]:
    # ref: the body is a JSON array of label names (["feat", "bug"]), not an object; each must exist in the repo.
    if not isinstance(body, list) or not all(isinstance(n, str) for n in body):
        raise Refusal(400, 'the body must be a JSON array of label names, like ["bug"]')
    if missing := [n for n in body if n not in repo.labels]:
        raise Refusal(422, f"label {missing[0]} does not exist")
    return list(dict.fromkeys(body))


def _label_list(repo: Repo, pr: PullRequest) -> list[dict[str, Any]]:
    return [shapes.label(repo, name) for name in pr.labels]


def _may_change(repo: Repo, pr: PullRequest, user: User) -> None:
    """The PR's author, and the repository's owner and members, may change its reviewers, testers and labels."""
    if user.login != pr.user.login and not repo.may_merge(user.login) and user.login not in repo.members:
        raise Refusal(403, "You do not have permission to change this pull request.")


def _relabel(sb: Sandbox, call: Call) -> tuple[Repo, PullRequest]:
    """The repository and the PR whose labels the caller changes, checked in that order (404s), then the caller
    (401, 403)."""
    repo = sb.repo(call)
    pr = pull(repo, call)
    _may_change(repo, pr, need_token(call))
    return repo, pr


@route("GET", PR_LABELS)
async def pull_labels(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(_label_list(repo, pull(repo, call)))


@route("POST", PR_LABELS)
async def add_pull_labels(sb: Sandbox, call: Call) -> Response:
    # ref: answers 201 with labels.
    repo, pr = _relabel(sb, call)
    pr.labels = list(dict.fromkeys([*pr.labels, *_label_names(repo, call.body)]))
    pr.updated_at = now()
    return JSONResponse(_label_list(repo, pr), status_code=201)


@route("PUT", PR_LABELS)
async def replace_pull_labels(sb: Sandbox, call: Call) -> Response:
    # ref shows no answer body; the gitcode-api package reads the labels back from it, as here.
    repo, pr = _relabel(sb, call)
    pr.labels = _label_names(repo, call.body)
    pr.updated_at = now()
    return JSONResponse(_label_list(repo, pr))


@route("DELETE", PR_LABEL)
async def remove_pull_label(sb: Sandbox, call: Call) -> Response:
    _, pr = _relabel(sb, call)
    name = call.params["label"]
    if name not in pr.labels:
        raise Refusal(404, f"label {name} is not on this pull request")
    pr.labels.remove(name)
    pr.updated_at = now()
    return Response(status_code=204)
