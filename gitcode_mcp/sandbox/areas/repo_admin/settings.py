"""Settings, one section per endpoint, read back as written: modules, review, push rules, repository and PR settings."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    REPO_MODULE_SETTINGS,
    REPO_PR_SETTINGS,
    REPO_PUSH_RULES,
    REPO_REVIEW_SETTINGS,
    REPO_SETTINGS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.repo_admin.checks import check_types, known_fields, need_role, section, user_ids
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, route
from gitcode_mcp.sandbox.state import Repo, now

MODULE_DEFAULTS: dict[str, Any] = {
    "has_wiki": True,
    "has_issue": True,
    "has_security": True,
    "has_merge_request": True,
    "has_fork": True,
    "has_analysis": True,
    "has_discussion": False,
}
PUSH_DEFAULTS: dict[str, Any] = {
    "reject_not_signed_by_gpg": False,
    "deny_force_push": False,
    "max_file_size": 100,
    "skip_rule_for_owner": False,
    "commit_message_regex": "",
}
REPO_SETTING_DEFAULTS: dict[str, Any] = {
    "disable_fork": False,
    "forbidden_developer_create_branch": False,
    "forbidden_developer_create_tag": False,
    "forbidden_committer_create_branch": False,
    "generate_pre_merge_ref": False,
    "forbidden_gitlab_access": True,  # answered (ref), not settable
    "rebase_disable_trigger_webhook": False,
    "include_lfs_objects": False,
    "open_gpg_verified": False,
    "branch_name_regex": "",
    "tag_name_regex": "",
}
REPO_SETTING_INPUTS = {*REPO_SETTING_DEFAULTS} - {"forbidden_gitlab_access"} | {
    "forbidden_developer_create_branch_user_ids"
}
PR_DEFAULTS: dict[str, Any] = {
    "disable_merge_by_self": False,
    "can_force_merge": False,
    "disable_squash_merge": False,
    "approval_required_approvers": 0,
    "add_notes_after_merged": False,
    "merged_commit_author": "merged_by",
    "mark_auto_merged_mr_as_closed": False,
    "delete_source_branch_when_merged": False,
    "auto_squash_merge": False,
    "squash_merge_with_no_merge_commit": False,
    "close_issue_when_mr_merged": False,
    "can_reopen": True,
    "is_check_cla": False,
    "approval_approver_ids": "",
    "approval_tester_ids": "",
    "approval_required_testers": 0,
    "is_allow_lite_merge_request": False,
    "lite_merge_request_prefix_title": "",
    "only_allow_merge_if_pipeline_succeeds": False,
    "merge_method": "merge",
}
# These two are the merge rules the pulls area checks: kept on the Repo itself, so a PR's merge_blockers follow them.
PR_ON_REPO = ("approval_required_reviewers", "only_allow_merge_if_all_discussions_are_resolved")
PR_INPUTS = {*PR_DEFAULTS, *PR_ON_REPO, "approval_required_reviewers_enable"}
PR_CHOICES = {"merge_method": ("merge", "rebase_merge", "ff"), "merged_commit_author": ("merged_by", "created_by")}
PR_IDS = ("approval_approver_ids", "approval_tester_ids")


@route("PUT", REPO_MODULE_SETTINGS)
async def set_modules(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    fields = known_fields(call.data(), MODULE_DEFAULTS)
    check_types(fields, MODULE_DEFAULTS)
    section(repo, "modules", MODULE_DEFAULTS).update(fields)
    return JSONResponse({"msg": "success", "code": 1})


@route("PUT", REPO_REVIEW_SETTINGS)
async def set_reviewer(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    defaults = {"assignees": "", "testers": "", "assignees_number": 0, "testers_number": 0}
    # ref: at least one of assignees, testers, assignees_number, testers_number
    fields = known_fields(call.data(), defaults)
    check_types(fields, defaults)
    for key in ("assignees", "testers"):
        if key in fields:
            logins = [s.strip() for s in fields[key].split(",") if s.strip()]
            if missing := [n for n in logins if n not in sb.world.users]:
                raise Refusal(404, f"Not Found User {missing[0]}")
            fields[key] = ",".join(logins)
    stored = section(repo, "reviewer", {**defaults, "id": sb.world.new_id(), "created_at": now()})
    stored.update(fields, updated_at=now())
    return JSONResponse({k: stored[k] for k in ("id", "created_at", "updated_at")})


def push_rules(repo: Repo) -> dict[str, Any]:
    rules = section(repo, "push_config", PUSH_DEFAULTS)
    # ref's answers carry no commit_message_regex; it is shown once one is set.
    return {k: v for k, v in rules.items() if k != "commit_message_regex" or v}


@route("GET", REPO_PUSH_RULES)
async def get_push_rules(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=False)
    return JSONResponse(push_rules(repo))


@route("PUT", REPO_PUSH_RULES)
async def set_push_rules(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    fields = known_fields(call.data(), PUSH_DEFAULTS)
    check_types(fields, PUSH_DEFAULTS)
    section(repo, "push_config", PUSH_DEFAULTS).update(fields)
    return JSONResponse(push_rules(repo))


def repo_settings(repo: Repo) -> dict[str, Any]:
    stored = section(repo, "repo_settings", REPO_SETTING_DEFAULTS)
    return {k: v for k, v in stored.items() if v != "" or k not in ("branch_name_regex", "tag_name_regex")}


@route("GET", REPO_SETTINGS)
async def get_repo_settings(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=False)
    return JSONResponse(repo_settings(repo))


@route("PUT", REPO_SETTINGS)
async def set_repo_settings(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    fields = known_fields(call.data(), REPO_SETTING_INPUTS)
    if "forbidden_developer_create_branch_user_ids" in fields:
        key = "forbidden_developer_create_branch_user_ids"
        fields[key] = user_ids(sb, key, fields[key])
    check_types(fields, {**REPO_SETTING_DEFAULTS, "forbidden_developer_create_branch_user_ids": ""})
    section(repo, "repo_settings", REPO_SETTING_DEFAULTS).update(fields)
    return JSONResponse(repo_settings(repo))


def pr_section(sb: Sandbox, repo: Repo) -> dict[str, Any]:
    if "pull_request_settings" not in repo.settings:
        repo.settings["pull_request_settings"] = {**PR_DEFAULTS, "id": sb.world.new_id(), "created_at": now()}
    return repo.settings["pull_request_settings"]


def pr_settings(sb: Sandbox, repo: Repo) -> dict[str, Any]:
    """The documented answer (#29): most settings nested in merge_request_setting, three at the top; approvers and
    testers as the users they are (their ids are what a PUT sends)."""
    stored = pr_section(sb, repo)
    by_id = {str(shapes.numeric_id(u)): u for u in sb.world.users.values()}

    def people(key: str) -> list[dict[str, Any]]:
        return [shapes.user(by_id[i]) for i in stored[key].split(",") if i in by_id]

    top = ("only_allow_merge_if_pipeline_succeeds", "merge_method")
    nested = {k: v for k, v in stored.items() if k not in (*top, *PR_IDS, "id", "created_at", "updated_at")}
    return {
        "merge_request_setting": {
            "id": stored["id"],
            "project_id": repo.id,
            **nested,
            "approval_required_reviewers": repo.approvals_required,
            "created_at": stored["created_at"],
            "updated_at": stored.get("updated_at", stored["created_at"]),
            "approval_approvers": people("approval_approver_ids"),
            "approval_testers": people("approval_tester_ids"),
        },
        "only_allow_merge_if_all_discussions_are_resolved": repo.discussions_must_be_resolved,
        **{k: stored[k] for k in top},
    }


@route("GET", REPO_PR_SETTINGS)
async def get_pr_settings(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=False)
    return JSONResponse(pr_settings(sb, repo))


@route("PUT", REPO_PR_SETTINGS)
async def set_pr_settings(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    fields = known_fields(call.data(), PR_INPUTS)
    check_types(
        fields,
        {
            **PR_DEFAULTS,
            "approval_required_reviewers": 0,
            "approval_required_reviewers_enable": False,
            "only_allow_merge_if_all_discussions_are_resolved": False,
        },
    )
    for key, choices in PR_CHOICES.items():
        if key in fields and fields[key] not in choices:
            raise Refusal(400, f"{key} must be one of {', '.join(choices)}")
    # ref: 1 to 5 reviewers, 0 turns the rule off
    if fields.get("approval_required_reviewers", 0) > 5:
        raise Refusal(400, "approval_required_reviewers must be between 0 and 5")
    for key in PR_IDS:
        if key in fields:
            fields[key] = user_ids(sb, key, fields[key])
    stored = pr_section(sb, repo)
    if "approval_required_reviewers" in fields:
        repo.approvals_required = fields.pop("approval_required_reviewers")
    if fields.pop("approval_required_reviewers_enable", True) is False:
        repo.approvals_required = 0
    if "only_allow_merge_if_all_discussions_are_resolved" in fields:
        repo.discussions_must_be_resolved = fields.pop("only_allow_merge_if_all_discussions_are_resolved")
    stored.update(fields, updated_at=now())
    return JSONResponse(pr_settings(sb, repo))
