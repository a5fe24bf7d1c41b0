"""Repository administration: settings read back as written, members' roles, permission mode, push rules, and the
destructive three (transfer, archive, delete), in the documented shapes of the reference's Repositories page
(#10-#19, #27-#33).

Settings live in `Repo.settings`, one section per endpoint, so a PUT is what the next GET answers. Writes need an
administrator of the repository (its owner, an owner or admin of its organization, or a member given the admin
role); reads need a member; others get 403 and anonymous callers 401. Archiving and the organization form of
transfer take the caller's password: the simulator knows alice's (`sandbox-password`) and never echoes what it got.
"""

from __future__ import annotations

import hmac
import re
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ORG_REPO_STATUS,
    ORG_REPO_TRANSFER,
    REPO,
    REPO_MEMBER,
    REPO_MODULE_SETTINGS,
    REPO_PERMISSION_MODE,
    REPO_PR_SETTINGS,
    REPO_PUSH_RULES,
    REPO_REVIEW_SETTINGS,
    REPO_SETTINGS,
    REPO_TRANSFER,
)
from gitcode_mcp.paths import NAME_PATTERN
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import API, WEB, Files, Org, Repo, User, World, fake_sha, now

# The simulator's own accounts' passwords (GitCode's are the web login's). Only these are known; the password a
# request carries is compared, never stored or echoed.
PASSWORDS = {"alice": "sandbox-password"}
ADMIN_ROLES = ("owner", "admin")
SUCCESS = {"code": 1, "msg": "success"}  # ref: "success" means done, anything else failed

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


def seed(world: World) -> None:
    """Two organizations (another area may seed `gitcode-mcp` too: it is reused) with alice in both, and the
    organization repository gitcode-mcp/toolbox to archive or transfer."""
    alice = world.users["alice"]
    for login, name in (("gitcode-mcp", "gitcode-mcp"), ("gitcode-lab", "GitCode Lab")):
        org = world.orgs.get(login)
        if org is None:
            org = world.orgs[login] = Org(fake_sha("org", login)[:24], login, name, number=world.new_id())
        org.members.setdefault(alice.login, "owner")
    if world.repo("gitcode-mcp", "toolbox") is None:
        files: Files = {"README.md": b"# toolbox\n\nScripts the gitcode-mcp team shares.\n"}
        toolbox = Repo(world.new_id(), world.orgs["gitcode-mcp"], "toolbox", branches={"main": files})
        world.repos[toolbox.full_name] = toolbox


# -- who may do what ------------------------------------------------------------------------------------------------


def need_role(sb: Sandbox, call: Call, repo: Repo, *, admin: bool) -> User:
    user = need_token(call)
    found = sb.role(repo, user.login)
    if found is None or (admin and found != "admin"):
        raise Refusal(403, "You do not have permission to perform this operation on this project", "FORBIDDEN")
    return user


def need_password(call: Call, user: User) -> None:
    given = call.data().get("password")
    if not isinstance(given, str) or not given:
        raise Refusal(400, "password is required")
    known = PASSWORDS.get(user.login)
    # What GitCode answers to a wrong password is not documented; a 400 in its error shape is assumed.
    if known is None or not hmac.compare_digest(given.encode(), known.encode()):
        raise Refusal(400, "The password is incorrect")


def org_repo(sb: Sandbox, call: Call) -> tuple[Org, Repo]:
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Organization")
    repo = sb.world.repo(org.login, call.params["repo"])
    if repo is None:
        raise Refusal(404, "Not Found Project")
    return org, repo


# -- settings sections ----------------------------------------------------------------------------------------------


def section(repo: Repo, key: str, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    return repo.settings.setdefault(key, dict(defaults or {}))


def known_fields(data: dict[str, Any], allowed: set[str] | dict[str, Any]) -> dict[str, Any]:
    """The body's fields this endpoint reads; at least one, and each of the type its default has."""
    fields = {k: v for k, v in data.items() if k in allowed}
    if not fields:
        raise Refusal(400, f"set at least one of {', '.join(sorted(allowed))}")
    return fields


def check_types(fields: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, value in fields.items():
        wanted = type(defaults.get(key, value))
        if wanted is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise Refusal(400, f"{key} must be a non-negative integer")
        if wanted is not int and not isinstance(value, wanted):
            raise Refusal(400, f"{key} must be a {'boolean' if wanted is bool else 'string'}")


def user_ids(sb: Sandbox, key: str, value: Any) -> str:
    """A comma-separated list of user ids, each an existing user's numeric id (the reference says `user_id`; a 24-hex
    profile id names no user here: docs/gitcode-behaviour.md, Errors, ids and numbers)."""
    if not isinstance(value, str):
        raise Refusal(400, f"{key} must be a string of comma-separated user ids")
    ids = [s.strip() for s in value.split(",") if s.strip()]
    known = {str(shapes.numeric_id(u)) for u in sb.world.users.values()}
    if missing := [i for i in ids if i not in known]:
        raise Refusal(404, f"Not Found User {missing[0]}")
    return ",".join(ids)


# -- the repository itself ------------------------------------------------------------------------------------------


def render_repo(sb: Sandbox, repo: Repo, caller: User | None) -> dict[str, Any]:
    """A repository in the long shape of repository answers (ref: Users page list items, Repositories page #11's
    answer)."""
    profile = section(repo, "profile")
    org = sb.world.orgs.get(repo.owner.login)
    mine = sb.role(repo, caller.login) if caller else None
    return {
        "id": repo.id,
        "full_name": repo.full_name,
        "human_name": f"{repo.owner.name} / {profile.get('name', repo.name)}",
        "url": repo.api_url,
        "namespace": {
            "id": int(repo.owner.id[:6], 16),
            "type": "group" if org else "user",
            "name": repo.owner.name,
            "path": repo.owner.login,
            "html_url": f"{WEB}/{repo.owner.login}",
        },
        "path": repo.name,
        "name": profile.get("name", repo.name),
        "description": profile.get("description", ""),
        "status": shapes.repo_status(repo),
        "ssh_url_to_repo": f"git@gitcode.com:{repo.full_name}.git",
        "http_url_to_repo": f"{repo.web_url}.git",
        "web_url": repo.web_url,
        "html_url": repo.web_url,
        "homepage": profile.get("homepage", repo.web_url),
        "members": [repo.owner.login, *repo.members],
        "forks_count": 0,
        "stargazers_count": 0,
        "project_labels": [],
        "permission": {"pull": mine is not None, "push": mine in ("push", "admin"), "admin": mine == "admin"},
        "internal": False,
        "open_issues_count": sum(1 for i in repo.issues.values() if i.state == "open"),
        "has_issue": section(repo, "modules", MODULE_DEFAULTS)["has_issue"],
        "default_branch": repo.default_branch,
        "fork": False,
        "lfs_enabled": profile.get("lfs_enabled", False),
        "owner": {**shapes.user(repo.owner), "type": "Organization" if org else "User"},
        "private": repo.private,
        "public": not repo.private,
        "visibility": "private" if repo.private else "public",
    }


@route("PATCH", REPO)
async def update_repository(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    data = call.data()
    name = data.get("name")
    # ref (#11) and Gitee v5: `name` is required on this PATCH, even when only another field changes.
    if not isinstance(name, str) or not name.strip():
        raise Refusal(400, "name is required")
    check_types(
        {k: v for k, v in data.items() if k in ("private", "lfs_enabled")}, {"private": False, "lfs_enabled": False}
    )
    branch = data.get("default_branch")
    if branch is not None and branch not in repo.branches:
        raise Refusal(400, f"Branch {branch} does not exist")
    path = data.get("path")
    if path is not None and path != repo.name:
        if not isinstance(path, str) or re.fullmatch(NAME_PATTERN, path) is None:
            raise Refusal(400, "path may contain only letters, digits, '_', '-' and '.'")
        if sb.world.repo(repo.owner.login, path) is not None:
            raise Refusal(400, f"A project with path {path} already exists in this namespace")
        del sb.world.repos[repo.full_name]
        repo.name = path
        sb.world.repos[repo.full_name] = repo
    profile = section(repo, "profile")
    profile["name"] = name
    for key in ("description", "homepage", "lfs_enabled"):
        if key in data:
            profile[key] = data[key]
    if "private" in data:
        repo.private = data["private"]
    if branch is not None:
        repo.default_branch = branch
    return JSONResponse(render_repo(sb, repo, call.caller))


@route("DELETE", REPO)
async def delete_repository(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    del sb.world.repos[repo.full_name]
    return Response(status_code=204)  # probe (AndyKong2020, 2026-03): 204 with an empty body; ref shows 200 {}


# -- settings -------------------------------------------------------------------------------------------------------


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


@route("GET", REPO_PERMISSION_MODE)
async def get_transition(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=False)
    return JSONResponse({"memberMgntMode": section(repo, "transition", {"mode": 1})["mode"]})


@route("PUT", REPO_PERMISSION_MODE)
async def set_transition(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    mode = call.data().get("mode")
    if mode not in (1, 2) or isinstance(mode, bool):
        # ref: 1 inherit, 2 independent; the mixed mode cannot be set
        raise Refusal(400, "mode must be 1 (inherit) or 2 (independent)")
    section(repo, "transition", {"mode": 1})["mode"] = mode
    return JSONResponse({"msg": "success", "code": 1})


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


# -- members --------------------------------------------------------------------------------------------------------


@route("PUT", REPO_MEMBER)
async def set_member_role(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_role(sb, call, repo, admin=True)
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    if user.login == repo.owner.login:
        raise Refusal(400, "The project owner's role cannot be changed")
    if sb.role(repo, user.login) is None:
        raise Refusal(404, f"{user.login} is not a member of this project")
    data = call.data()
    permission = data.get("permission", "push")  # ref: push by default
    if permission not in ("pull", "push", "admin", "customized"):
        raise Refusal(400, "permission must be one of pull, push, admin, customized")
    if permission == "customized" and not (isinstance(data.get("role_id"), str) and data["role_id"]):
        raise Refusal(400, "role_id is required for a customized role")
    section(repo, "member_roles")[user.login] = permission
    repo.members[user.login] = permission == "admin"  # who may merge, as the pulls area reads it
    return JSONResponse(
        {
            **shapes.user(user),
            "followers_url": f"{API}/users/{user.login}/followers",
            "type": "User",
            "url": f"{API}/{user.login}",
            "permissions": {p: p == permission for p in ("admin", "push", "customized", "pull")},
        }
    )


# -- transfer, archive ----------------------------------------------------------------------------------------------


def move(sb: Sandbox, repo: Repo, owner: User, name: str) -> None:
    if sb.world.repo(owner.login, name) is not None:
        raise Refusal(400, f"A project named {name} already exists in {owner.login}")
    del sb.world.repos[repo.full_name]
    repo.owner, repo.name = owner, name
    sb.world.repos[repo.full_name] = repo


def target_org(sb: Sandbox, user: User, login: Any, key: str) -> Org:
    """The organization a repository moves to: the caller must own or administer it (ref: 目标组织)."""
    if not isinstance(login, str) or not login:
        raise Refusal(400, f"{key} is required")
    org = sb.world.orgs.get(login)
    if org is None:
        raise Refusal(404, f"Not Found Namespace {login}")
    if org.members.get(user.login) not in ADMIN_ROLES:
        raise Refusal(403, f"You cannot create projects in {login}", "FORBIDDEN")
    return org


@route("POST", REPO_TRANSFER)
async def transfer(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    user = need_role(sb, call, repo, admin=True)
    data = call.data()
    org = target_org(sb, user, data.get("new_owner"), "new_owner")
    name = data.get("new_name") or repo.name
    if not isinstance(name, str) or re.fullmatch(NAME_PATTERN, name) is None:
        raise Refusal(400, "new_name may contain only letters, digits, '_', '-' and '.'")
    move(sb, repo, org, name)
    return JSONResponse({"new_owner": org.login, "new_name": repo.name})


@route("POST", ORG_REPO_TRANSFER)
async def transfer_org_repo(sb: Sandbox, call: Call) -> Response:
    _, repo = org_repo(sb, call)
    user = need_role(sb, call, repo, admin=True)
    org = target_org(sb, user, call.data().get("transfer_to"), "transfer_to")
    need_password(call, user)
    move(sb, repo, org, repo.name)
    return JSONResponse(SUCCESS)


@route("PUT", ORG_REPO_STATUS)
async def set_status(sb: Sandbox, call: Call) -> Response:
    _, repo = org_repo(sb, call)
    user = need_role(sb, call, repo, admin=True)
    status = call.data().get("status")
    if status not in (0, 2) or isinstance(status, bool):
        raise Refusal(400, "status must be 0 (active) or 2 (archived)")  # ref: 0 开始, 2 关闭
    need_password(call, user)
    section(repo, "status")["status"] = status
    return JSONResponse(SUCCESS)
