"""Merging: refused while a merge rule fails, the head's files applied to the base with a merge commit; the merged
check."""

from __future__ import annotations

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    PR_MERGE,
)
from gitcode_mcp.sandbox.areas.pulls.merging import merged_files, source
from gitcode_mcp.sandbox.areas.pulls.render import REASONS, merge_rules
from gitcode_mcp.sandbox.areas.pulls.requests import pull
from gitcode_mcp.sandbox.core import (
    Call,
    Refusal,
    Sandbox,
    need_token,
    route,
)

MERGE_METHODS = ("merge", "squash", "rebase")  # ref: merge (the default), squash, rebase
MERGED = "Pull Request已经合并"  # ref: GET .../merge of a merged PR; the same words refuse a second merge
NOT_MERGED = "Pull Request不存在或未合并"  # ref: GET .../merge of a PR that is not merged


def _rule_text(rule: str) -> str:
    return REASONS.get(rule, f"The merge rule {rule.removesuffix('_passed')} has not passed.")


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
    if failed := [rule for rule, ok in merge_rules(sb.world, repo, pr, user).items() if not ok]:
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
