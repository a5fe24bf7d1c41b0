"""Settings, one section per endpoint: modules, review, push rules, repository and pull request settings."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import Field, WithJsonSchema

from gitcode_mcp.endpoints import (
    REPO_MODULE_SETTINGS,
    REPO_PR_SETTINGS,
    REPO_PUSH_RULES,
    REPO_REVIEW_SETTINGS,
    REPO_SETTINGS,
    REPO_TESTER_OPTIONS,
)
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import gitcode, payload
from gitcode_mcp.tools.repo_admin import DEMO, repo_admin
from gitcode_mcp.tools.repo_admin.changes import (
    NOTHING,
    Count,
    Logins,
    changed,
    declared,
    fields,
    joined,
    shown,
    succeeded,
    user_ids,
)
from gitcode_mcp.views import Obj, login, sub, to_text

MODULE_FIELDS = fields(
    has_wiki=bool,
    has_issue=bool,
    has_merge_request=bool,
    has_fork=bool,
    has_discussion=bool,
    has_analysis=bool,
    has_security=bool,
)
ModuleChanges = Annotated[dict[str, Any], WithJsonSchema(declared(MODULE_FIELDS))]


@repo_admin.write(
    Example({**DEMO, "changes": {"has_discussion": True, "has_wiki": False}}, f"PUT {REPO_MODULE_SETTINGS}"),
    idempotent=True,
)
async def set_repository_modules(owner: str, repo: str, changes: ModuleChanges, ctx: Context) -> str:
    """Turn modules on or off, e.g. has_issue: false, has_merge_request: true."""
    # GitCode has no read of these (ref #10 only sets them); the answer is `{"msg": "success"}`, so what was set is
    # what is shown.
    body = changed(changes, MODULE_FIELDS)
    if not body:
        return NOTHING
    succeeded(await gitcode(ctx).request("PUT", api_path(REPO_MODULE_SETTINGS, owner=owner, repo=repo), json=body))
    return to_text(body)


REVIEW_FIELDS = fields(reviewers=Logins, testers=Logins, min_reviewers=Count, min_testers=Count)
ReviewChanges = Annotated[dict[str, Any], WithJsonSchema(declared(REVIEW_FIELDS))]


@repo_admin.destructive(
    Example({**DEMO, "changes": {"reviewers": ["bob"], "min_reviewers": 1}}, f"PUT {REPO_REVIEW_SETTINGS}"),
    idempotent=True,
)
async def set_review_settings(owner: str, repo: str, changes: ReviewChanges, ctx: Context) -> str:
    """Set reviewers, testers (logins), min_reviewers, min_testers of new PRs."""
    wanted = changed(changes, REVIEW_FIELDS)
    sent = payload(
        assignees=joined("changes.reviewers", wanted.get("reviewers")),  # GitCode's reviewers: assignees (live)
        testers=joined("changes.testers", wanted.get("testers")),
        assignees_number=wanted.get("min_reviewers"),
        testers_number=wanted.get("min_testers"),
    )
    if not sent:  # ref: at least one of the four
        return NOTHING
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(REPO_REVIEW_SETTINGS, owner=owner, repo=repo),
        json=sent,
        hints={404: "check owner and repo; every reviewer and tester must be a GitCode login"},
    )
    answer = reply.data if isinstance(reply.data, dict) else {}  # ref: {id, created_at, updated_at}; no read exists
    return to_text({**wanted, "updated_at": answer.get("updated_at")})


PUSH_FIELDS = fields(
    deny_force_push=bool,
    reject_not_signed_by_gpg=bool,
    skip_rule_for_owner=bool,
    commit_message_regex=str,
    max_file_size=Count,  # MB
)
PushChanges = Annotated[dict[str, Any], WithJsonSchema(declared(PUSH_FIELDS))]


@repo_admin.read(Example(DEMO, f"GET {REPO_PUSH_RULES}"))
async def get_push_rules(owner: str, repo: str, ctx: Context) -> str:
    """Get push rules (max_file_size in MB)."""
    reply = await gitcode(ctx).get(api_path(REPO_PUSH_RULES, owner=owner, repo=repo))
    return to_text(shown(reply.object(), PUSH_FIELDS))


@repo_admin.write(
    Example({**DEMO, "changes": {"deny_force_push": True, "max_file_size": 50}}, f"PUT {REPO_PUSH_RULES}"),
    idempotent=True,
)
async def set_push_rules(owner: str, repo: str, changes: PushChanges, ctx: Context) -> str:
    """Change push rules; max_file_size is in MB."""
    body = changed(changes, PUSH_FIELDS)
    if not body:
        return NOTHING
    reply = await gitcode(ctx).request("PUT", api_path(REPO_PUSH_RULES, owner=owner, repo=repo), json=body)
    return to_text(shown(reply.object(), PUSH_FIELDS))


# The answer's forbidden_gitlab_access (ref #27, #28) cannot be set, so it is not shown: what is read is writable.
# forbidden_developer_create_branch_user_ids can be set but is never answered; not offered (it takes user ids).
REPO_SETTING_FIELDS = fields(
    disable_fork=bool,
    forbidden_developer_create_branch=bool,
    forbidden_developer_create_tag=bool,
    forbidden_committer_create_branch=bool,
    generate_pre_merge_ref=bool,
    rebase_disable_trigger_webhook=bool,
    open_gpg_verified=bool,
    include_lfs_objects=bool,
    branch_name_regex=str,
    tag_name_regex=str,
)
RepositorySettingChanges = Annotated[dict[str, Any], WithJsonSchema(declared(REPO_SETTING_FIELDS))]


@repo_admin.read(Example(DEMO, f"GET {REPO_SETTINGS}"))
async def get_repository_settings(owner: str, repo: str, ctx: Context) -> str:
    """Get branch, tag and fork rules."""
    reply = await gitcode(ctx).get(api_path(REPO_SETTINGS, owner=owner, repo=repo))
    return to_text(shown(reply.object(), REPO_SETTING_FIELDS))


@repo_admin.write(
    Example(
        {**DEMO, "changes": {"disable_fork": True, "branch_name_regex": "^(main|feat/.+)$"}}, f"PUT {REPO_SETTINGS}"
    ),
    idempotent=True,
)
async def set_repository_settings(owner: str, repo: str, changes: RepositorySettingChanges, ctx: Context) -> str:
    """Change branch, tag and fork rules."""
    body = changed(changes, REPO_SETTING_FIELDS)
    if not body:
        return NOTHING
    reply = await gitcode(ctx).request("PUT", api_path(REPO_SETTINGS, owner=owner, repo=repo), json=body)
    return to_text(shown(reply.object(), REPO_SETTING_FIELDS))


PR_FIELDS = fields(
    merge_method=Literal["merge", "rebase_merge", "ff"],
    merged_commit_author=Literal["merged_by", "created_by"],
    approval_required_reviewers=Annotated[int, Field(ge=0, le=5)],  # ref: 1 to 5; 0 turns the rule off
    approval_required_approvers=Count,
    approval_required_testers=Count,
    approvers=Logins,
    testers=Logins,
    only_allow_merge_if_all_discussions_are_resolved=bool,
    only_allow_merge_if_pipeline_succeeds=bool,
    disable_merge_by_self=bool,
    can_force_merge=bool,
    can_reopen=bool,
    delete_source_branch_when_merged=bool,
    disable_squash_merge=bool,
    auto_squash_merge=bool,
    squash_merge_with_no_merge_commit=bool,
    add_notes_after_merged=bool,
    mark_auto_merged_mr_as_closed=bool,
    close_issue_when_mr_merged=bool,
    is_check_cla=bool,
    is_allow_lite_merge_request=bool,
    lite_merge_request_prefix_title=str,
)
PullRequestSettingChanges = Annotated[dict[str, Any], WithJsonSchema(declared(PR_FIELDS))]


def people(value: Any) -> list[Any]:
    """Approvers and testers: users (their logins) or, should GitCode send them so, their ids."""
    return [login(u) if isinstance(u, dict) else u for u in value] if isinstance(value, list) else []


def pull_request_settings(answer: Obj) -> Obj:
    """The answer (#29) nests most settings in merge_request_setting: one flat view of the fields
    set_pull_request_settings takes, approvers and testers as logins (GitCode takes their ids)."""
    flat = {**sub(answer, "merge_request_setting"), **{k: v for k, v in answer.items() if k != "merge_request_setting"}}
    users = {"approvers": people(flat.get("approval_approvers")), "testers": people(flat.get("approval_testers"))}
    return shown({**flat, **users}, PR_FIELDS)


@repo_admin.read(Example(DEMO, f"GET {REPO_PR_SETTINGS}"))
async def get_pull_request_settings(owner: str, repo: str, ctx: Context) -> str:
    """Get pull request rules: merging, approvals, squash..."""
    reply = await gitcode(ctx).get(api_path(REPO_PR_SETTINGS, owner=owner, repo=repo))
    return to_text(pull_request_settings(reply.object()))


@repo_admin.write(
    Example(
        {**DEMO, "changes": {"can_force_merge": True, "merge_method": "ff", "approval_required_reviewers": 1}},
        f"PUT {REPO_PR_SETTINGS}",
    ),
    Example({**DEMO, "changes": {"approvers": ["bob"]}}, f"GET {REPO_TESTER_OPTIONS}", f"PUT {REPO_PR_SETTINGS}"),
    idempotent=True,
)
async def set_pull_request_settings(owner: str, repo: str, changes: PullRequestSettingChanges, ctx: Context) -> str:
    """Change pull request rules: merging, approvals, squash..."""
    body = changed(changes, PR_FIELDS)
    if not body:
        return NOTHING
    approvers, testers = body.pop("approvers", None), body.pop("testers", None)
    if "approval_required_reviewers" in body:
        # ref: 0 reviewers cancels the rule, so its on/off switch follows the number.
        body["approval_required_reviewers_enable"] = body["approval_required_reviewers"] > 0
    body |= payload(
        approval_approver_ids=await user_ids(ctx, owner, repo, "changes.approvers", approvers),
        approval_tester_ids=await user_ids(ctx, owner, repo, "changes.testers", testers),
    )
    reply = await gitcode(ctx).request("PUT", api_path(REPO_PR_SETTINGS, owner=owner, repo=repo), json=body)
    return to_text(pull_request_settings(reply.object()))
