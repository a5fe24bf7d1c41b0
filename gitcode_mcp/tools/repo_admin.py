"""Repository administration: settings (read back as they are), members' roles, the permission mode, push rules; and
the destructive three: transfer, archive, delete. Operations of 02-repositories.md #10-#19 and #27-#33.

Settings speak in flags: a read answers `on` and `off` lists of flag names (plus the settings that are not flags),
and a write takes `on` and `off` lists of the same names; flags left out stay as they are.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, BeforeValidator, Field, SecretStr

from gitcode_mcp.client import Reply
from gitcode_mcp.errors import GitCodeError, InvalidArgument
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Text, Title, comma_list, gitcode, payload
from gitcode_mcp.tools.users import USER
from gitcode_mcp.views import Obj, View, as_int, drop_empty, login, sub, to_text

repo_admin = Toolset(
    "repo_admin", "Change repository settings and members' roles; transfer, archive or delete a repository"
)

REPO = "repos/{owner}/{repo}"
MODULES = "repos/{owner}/{repo}/module/setting"
REVIEWER = "repos/{owner}/{repo}/reviewer"
TRANSITION = "repos/{owner}/{repo}/transition"
PUSH_RULES = "repos/{owner}/{repo}/push_config"
REPO_SETTINGS = "repos/{owner}/{repo}/repo_settings"
PR_SETTINGS = "repos/{owner}/{repo}/pull_request_settings"
MEMBER = "repos/{owner}/{repo}/members/{username}"
TRANSFER = "repos/{owner}/{repo}/transfer"
ORG_TRANSFER = "org/{org}/projects/{repo}/transfer"
ARCHIVE = "org/{org}/repo/{repo}/status"

DEMO = {"owner": "alice", "repo": "demo"}
TOOLBOX = {"owner": "gitcode-mcp", "repo": "toolbox"}  # an organization's repository (seeded by the simulator)
SANDBOX_PASSWORD = "sandbox-password"  # alice's, in the simulator only

# Flag names are GitCode's body fields, so what a read lists is what a write takes. Each enum is "Flag" in its
# tool's schema: the name is repeated in every $ref an agent reads.
ModuleFlag = StrEnum(
    "Flag",
    ["has_wiki", "has_issue", "has_merge_request", "has_fork", "has_discussion", "has_analysis", "has_security"],
)
PushFlag = StrEnum("Flag", ["deny_force_push", "reject_not_signed_by_gpg", "skip_rule_for_owner"])
RepoFlag = StrEnum(
    "Flag",
    [
        "disable_fork",
        "forbidden_developer_create_branch",
        "forbidden_developer_create_tag",
        "forbidden_committer_create_branch",
        "generate_pre_merge_ref",
        "rebase_disable_trigger_webhook",
        "open_gpg_verified",
        "include_lfs_objects",
    ],
)
PullRequestFlag = StrEnum(
    "Flag",
    [
        "only_allow_merge_if_all_discussions_are_resolved",
        "only_allow_merge_if_pipeline_succeeds",
        "disable_merge_by_self",
        "can_force_merge",
        "can_reopen",
        "delete_source_branch_when_merged",
        "disable_squash_merge",
        "auto_squash_merge",
        "squash_merge_with_no_merge_commit",
        "add_notes_after_merged",
        "mark_auto_merged_mr_as_closed",
        "close_issue_when_mr_merged",
        "is_check_cla",
        "is_allow_lite_merge_request",
    ],
)


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


def _at_most_1000(value: int | None) -> int | None:
    if value is not None and value > 1000:
        raise ValueError("must be at most 1000")
    return value


# As the toolkit's Number: the bound that only guards against nonsense is checked, not written into the schema.
Count = Annotated[int, Field(ge=0), BeforeValidator(_not_bool), AfterValidator(_at_most_1000)]
# Sent to GitCode in the one request body that needs it; never logged, returned, kept, or quoted in an error.
Password = Annotated[SecretStr, Field(min_length=1, description="Your GitCode password (sensitive)")]


def flags(on: list[Any] | None, off: list[Any] | None) -> dict[str, bool]:
    """The body fields for flags turned on and off; a flag in both lists is refused."""
    if both := sorted(set(on or ()) & set(off or ())):
        raise InvalidArgument("off", f"{both[0]} is also in on; list each flag once")
    return {str(f): True for f in on or ()} | {str(f): False for f in off or ()}


def on_off(settings: Obj, leave_out: tuple[str, ...] = ()) -> Obj:
    """A settings answer for an agent: `on` and `off` lists of the flags, then the settings that are not flags."""
    kept = {k: v for k, v in settings.items() if k not in leave_out}
    return drop_empty(
        {
            "on": [k for k, v in kept.items() if v is True],
            "off": [k for k, v in kept.items() if v is False],
            **{k: v for k, v in kept.items() if not isinstance(v, bool)},
        }
    )


def succeeded(reply: Reply) -> None:
    """Some writes answer 200 with `{"code": 1, "msg": "success"}`; ref: anything else means it failed."""
    data = reply.data
    if not isinstance(data, dict) or "code" not in data:
        return
    if as_int(data.get("code")) != 1 or data.get("msg", "success") != "success":
        said = str(data.get("msg") or data.get("code"))[:200]
        raise GitCodeError(
            None, f"answered 200 but reported a failure: {said}", "read the setting back before retrying"
        )


# A write given nothing to change sends nothing: a strict-mode model sends null for every optional argument it
# leaves out, and such a call is answered, not refused (tests/test_schemas.py).
NOTHING = to_text({"changed": False, "note": "no setting was given, so nothing was sent"})


async def user_ids(ctx: Context, name: str, logins: list[str] | None) -> str | None:
    """Logins as the comma-separated user ids GitCode's settings take: each user's profile `id` (24-hex, live).
    ref calls them user_id and shows no example; unverified live which id that is."""
    names = comma_list(name, logins)
    if names is None:
        return None
    ids = []
    for each in dict.fromkeys(names.split(",")):
        profile = await gitcode(ctx).get(
            api_path(USER, username=check_name(name, each)), hints={404: f"there is no GitCode user {each!r}"}
        )
        found = profile.object().get("id")
        if not found:
            raise GitCodeError(None, f"GitCode's profile of {each!r} has no id", "try again later")
        ids.append(str(found))
    return ",".join(ids)


# -- the repository -------------------------------------------------------------------------------------------------

REPOSITORY = View(
    full_name="full_name",
    name="name",
    path="path",
    description="description",
    homepage=lambda r: r.get("homepage") if r.get("homepage") not in (r.get("html_url"), r.get("web_url")) else None,
    private="private",
    default_branch="default_branch",
    # Repository answers carry `status`: 开始 (active) or 关闭 (archived) (01-users.md).
    archived=lambda r: True if r.get("status") == "关闭" else None,
    url=lambda r: r.get("html_url") or r.get("web_url"),
)


@repo_admin.write(
    Example({**DEMO, "description": "A demo.", "private": True}, f"GET {REPO}", f"PATCH {REPO}"),
    Example({**DEMO, "name": "Demo", "default_branch": "feature"}, f"PATCH {REPO}"),
    idempotent=True,
)
async def update_repository(
    owner: str,
    repo: str,
    ctx: Context,
    name: Title | None = None,
    description: str | None = None,
    homepage: str | None = None,
    private: bool | None = None,
    default_branch: Text | None = None,
    path: Annotated[str | None, Field(description="New URL path (renames the URL)")] = None,
    lfs_enabled: bool | None = None,
) -> str:
    """Change a repository's name, description, homepage, visibility, default branch or URL path."""
    changes = payload(
        description=description,
        homepage=homepage,
        private=private,
        default_branch=default_branch,
        path=check_name("path", path) if path is not None else None,
        lfs_enabled=lfs_enabled,
    )
    if name is None and not changes:
        return NOTHING
    client = gitcode(ctx)
    where = api_path(REPO, owner=owner, repo=repo)
    if name is None:
        # GitCode requires `name` on this PATCH (ref #11, as Gitee v5): send the current one so it stays.
        current = (await client.get(where)).object().get("name")
        if not isinstance(current, str) or not current:
            raise GitCodeError(None, "GitCode's answer gave no repository name", "pass name to keep or change it")
        name = current
    reply = await client.request(
        "PATCH",
        where,
        json={"name": name, **changes},
        hints={400: "default_branch must be an existing branch; path must be free in this namespace"},
    )
    return to_text(REPOSITORY(reply.object()))


@repo_admin.destructive(Example(DEMO, f"DELETE {REPO}"))
async def delete_repository(owner: str, repo: str, ctx: Context) -> str:
    """Delete a repository with its code, issues and pull requests. Cannot be undone."""
    await gitcode(ctx).request("DELETE", api_path(REPO, owner=owner, repo=repo))
    return to_text({"deleted": f"{owner}/{repo}"})


# One tool for both documented forms (#33 and #14): both move a repository to another namespace, and only the
# organization form takes a password, so a given password is what selects it. The agent picks no endpoint.
@repo_admin.destructive(
    Example({**DEMO, "new_owner": "gitcode-lab"}, f"POST {TRANSFER}"),
    Example({**TOOLBOX, "new_owner": "gitcode-lab", "password": SANDBOX_PASSWORD}, f"POST {ORG_TRANSFER}"),
)
async def transfer_repository(
    owner: str,
    repo: str,
    new_owner: str,
    ctx: Context,
    new_name: str | None = None,
    password: Password | None = None,
) -> str:
    """Move a repository to an organization you administer; cannot be undone here, only the new owner can move it \
back. A password selects GitCode's org-to-org form."""
    check_name("new_owner", new_owner)
    if password is None:
        reply = await gitcode(ctx).request(
            "POST",
            api_path(TRANSFER, owner=owner, repo=repo),
            json=payload(new_owner=new_owner, new_name=check_name("new_name", new_name) if new_name else None),
            hints={404: "check owner, repo and new_owner (an organization)"},
        )
        moved = reply.data if isinstance(reply.data, dict) else {}  # ref: {new_owner, new_name}
        return to_text(
            {"full_name": f"{moved.get('new_owner') or new_owner}/{moved.get('new_name') or new_name or repo}"}
        )
    if new_name is not None:
        raise InvalidArgument("new_name", "the organization form cannot rename; rename with update_repository after")
    await _with_password(
        ctx,
        "POST",
        api_path(ORG_TRANSFER, org=owner, repo=repo),
        {"transfer_to": new_owner},
        password,
        {404: "owner must be the organization that owns repo, and new_owner an organization"},
    )
    return to_text({"full_name": f"{new_owner}/{repo}"})


@repo_admin.destructive(
    Example({"org": "gitcode-mcp", "repo": "toolbox", "password": SANDBOX_PASSWORD}, f"PUT {ARCHIVE}"), idempotent=True
)
async def archive_repository(org: str, repo: str, password: Password, ctx: Context, archived: bool = True) -> str:
    """Archive an organization's repository: read-only for everyone (archived=false reopens it)."""
    await _with_password(
        ctx,
        "PUT",
        api_path(ARCHIVE, org=org, repo=repo),
        {"status": 2 if archived else 0},  # ref: 0 开始 (active), 2 关闭 (closed)
        password,
        {404: "org must be the organization that owns repo; a personal repository cannot be archived this way"},
    )
    return to_text({"full_name": f"{org}/{repo}", "archived": archived})


async def _with_password(
    ctx: Context, method: str, path: str, body: Obj, password: SecretStr, hints: dict[int, str]
) -> None:
    """Send a write that takes the user's password. The password goes into this one request body only; it is
    scrubbed from any error (GitCode's message may quote the request) and never logged, returned or kept."""
    secret = password.get_secret_value()
    hints = {400: "GitCode refused the values; a wrong password is refused this way too", **hints}
    try:
        succeeded(await gitcode(ctx).request(method, path, json={**body, "password": secret}, hints=hints))
    except GitCodeError as error:
        scrub = lambda text: text.replace(secret, "***")  # noqa: E731
        raise GitCodeError(error.status, scrub(error.detail), scrub(error.hint)) from None


# -- members and the permission mode --------------------------------------------------------------------------------


def permission(member: Obj) -> Any:
    granted = sub(member, "permissions")
    return next((p for p in ("admin", "push", "pull", "customized") if granted.get(p)), None)


MEMBER_VIEW = View(login=login, name="name", permission=permission)


@repo_admin.write(Example({**DEMO, "username": "bob", "permission": "admin"}, f"PUT {MEMBER}"), idempotent=True)
async def set_member_role(
    owner: str,
    repo: str,
    username: str,
    permission: Literal["pull", "push", "admin", "customized"],
    ctx: Context,
    role_id: str | None = None,
) -> str:
    """Change a member's role in a repository; customized needs role_id."""
    if (permission == "customized") != (role_id is not None):
        raise InvalidArgument("role_id", "give role_id exactly when permission is customized")
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(MEMBER, owner=owner, repo=repo, username=username),
        json=payload(permission=permission, role_id=role_id),
        hints={404: "username must already be a member of the repository"},
    )
    return to_text(MEMBER_VIEW(reply.object()))


MODES = {1: "inherit", 2: "independent"}  # ref: memberMgntMode 1 inherit, 2 independent


@repo_admin.read(Example(DEMO, f"GET {TRANSITION}"))
async def get_permission_mode(owner: str, repo: str, ctx: Context) -> str:
    """Whether a repository inherits its members from its organization or manages its own."""
    reply = await gitcode(ctx).get(api_path(TRANSITION, owner=owner, repo=repo))
    mode = reply.object().get("memberMgntMode")
    return to_text({"mode": MODES.get(mode, mode) if isinstance(mode, int) else mode})


@repo_admin.write(Example({**DEMO, "mode": "independent"}, f"PUT {TRANSITION}"), idempotent=True)
async def set_permission_mode(owner: str, repo: str, mode: Literal["inherit", "independent"], ctx: Context) -> str:
    """Make a repository inherit its members from its organization, or manage its own."""
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(TRANSITION, owner=owner, repo=repo),
        json={"mode": 1 if mode == "inherit" else 2},
    )
    succeeded(reply)
    return to_text({"mode": mode})


# -- settings -------------------------------------------------------------------------------------------------------


@repo_admin.write(Example({**DEMO, "on": ["has_discussion"], "off": ["has_wiki"]}, f"PUT {MODULES}"), idempotent=True)
async def set_repository_modules(
    owner: str, repo: str, ctx: Context, on: list[ModuleFlag] | None = None, off: list[ModuleFlag] | None = None
) -> str:
    """Turn repository modules (wiki, issues, PRs, forks...) on or off; others stay unchanged."""
    body = flags(on, off)
    if not body:
        return NOTHING
    succeeded(await gitcode(ctx).request("PUT", api_path(MODULES, owner=owner, repo=repo), json=body))
    return to_text(on_off(body))


@repo_admin.write(Example({**DEMO, "reviewers": ["bob"], "min_reviewers": 1}, f"PUT {REVIEWER}"), idempotent=True)
async def set_review_settings(
    owner: str,
    repo: str,
    ctx: Context,
    reviewers: list[str] | None = None,
    testers: list[str] | None = None,
    min_reviewers: Count | None = None,
    min_testers: Count | None = None,
) -> str:
    """Set who reviews and tests new pull requests (logins), and how many of each are needed."""
    sent = payload(
        assignees=comma_list("reviewers", reviewers),  # GitCode's reviewers are its assignees (live)
        testers=comma_list("testers", testers),
        assignees_number=min_reviewers,
        testers_number=min_testers,
    )
    if not sent:  # ref: at least one of the four
        return NOTHING
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(REVIEWER, owner=owner, repo=repo),
        json=sent,
        hints={404: "check owner and repo; every reviewer and tester must be a GitCode login"},
    )
    shown = {"reviewers": reviewers, "testers": testers, "min_reviewers": min_reviewers, "min_testers": min_testers}
    answer = reply.data if isinstance(reply.data, dict) else {}  # ref: {id, created_at, updated_at}
    return to_text({**payload(**shown), "updated_at": answer.get("updated_at")})


@repo_admin.read(Example(DEMO, f"GET {PUSH_RULES}"))
async def get_push_rules(owner: str, repo: str, ctx: Context) -> str:
    """Get a repository's push rules (max_file_size in MB)."""
    reply = await gitcode(ctx).get(api_path(PUSH_RULES, owner=owner, repo=repo))
    return to_text(on_off(reply.object()))


@repo_admin.write(
    Example({**DEMO, "on": ["deny_force_push"], "max_file_size": 50}, f"PUT {PUSH_RULES}"), idempotent=True
)
async def set_push_rules(
    owner: str,
    repo: str,
    ctx: Context,
    on: list[PushFlag] | None = None,
    off: list[PushFlag] | None = None,
    commit_message_regex: str | None = None,
    max_file_size: Annotated[Count | None, Field(description="MB")] = None,
) -> str:
    """Change a repository's push rules; others stay unchanged."""
    body = {**flags(on, off), **payload(commit_message_regex=commit_message_regex, max_file_size=max_file_size)}
    if not body:
        return NOTHING
    reply = await gitcode(ctx).request("PUT", api_path(PUSH_RULES, owner=owner, repo=repo), json=body)
    return to_text(on_off(reply.object()))


@repo_admin.read(Example(DEMO, f"GET {REPO_SETTINGS}"))
async def get_repository_settings(owner: str, repo: str, ctx: Context) -> str:
    """Get a repository's branch, tag and fork settings."""
    reply = await gitcode(ctx).get(api_path(REPO_SETTINGS, owner=owner, repo=repo))
    return to_text(on_off(reply.object()))


@repo_admin.write(
    Example({**DEMO, "on": ["disable_fork"], "branch_name_regex": "^(main|feat/.+)$"}, f"PUT {REPO_SETTINGS}"),
    idempotent=True,
)
async def set_repository_settings(
    owner: str,
    repo: str,
    ctx: Context,
    on: list[RepoFlag] | None = None,
    off: list[RepoFlag] | None = None,
    branch_name_regex: str | None = None,
    tag_name_regex: str | None = None,
) -> str:
    """Change a repository's branch, tag and fork settings; others stay unchanged."""
    body = {**flags(on, off), **payload(branch_name_regex=branch_name_regex, tag_name_regex=tag_name_regex)}
    if not body:
        return NOTHING
    reply = await gitcode(ctx).request("PUT", api_path(REPO_SETTINGS, owner=owner, repo=repo), json=body)
    return to_text(on_off(reply.object()))


def people(value: Any) -> list[Any]:
    """Approvers and testers: users (their logins) or, should GitCode send them so, their ids."""
    return [login(u) if isinstance(u, dict) else u for u in value] if isinstance(value, list) else []


def pull_request_settings(answer: Obj) -> Obj:
    """The answer (#29) nests most settings in merge_request_setting: one flat view, ids and timestamps left out."""
    flat = {**sub(answer, "merge_request_setting"), **{k: v for k, v in answer.items() if k != "merge_request_setting"}}
    shown = on_off(flat, ("id", "project_id", "created_at", "updated_at", "approval_approvers", "approval_testers"))
    return drop_empty(
        {**shown, "approvers": people(flat.get("approval_approvers")), "testers": people(flat.get("approval_testers"))}
    )


@repo_admin.read(Example(DEMO, f"GET {PR_SETTINGS}"))
async def get_pull_request_settings(owner: str, repo: str, ctx: Context) -> str:
    """Get a repository's pull request rules: merge method, approvals, squash, ..."""
    reply = await gitcode(ctx).get(api_path(PR_SETTINGS, owner=owner, repo=repo))
    return to_text(pull_request_settings(reply.object()))


@repo_admin.write(
    Example(
        {**DEMO, "on": ["can_force_merge"], "merge_method": "ff", "approval_required_reviewers": 1},
        f"PUT {PR_SETTINGS}",
    ),
    Example({**DEMO, "approvers": ["bob"]}, f"GET {USER}", f"PUT {PR_SETTINGS}"),
    idempotent=True,
)
async def set_pull_request_settings(
    owner: str,
    repo: str,
    ctx: Context,
    on: list[PullRequestFlag] | None = None,
    off: list[PullRequestFlag] | None = None,
    merge_method: Literal["merge", "rebase_merge", "ff"] | None = None,
    merged_commit_author: Literal["merged_by", "created_by"] | None = None,
    approval_required_reviewers: Annotated[int | None, Field(ge=0, le=5, description="0 turns it off")] = None,
    approval_required_approvers: Count | None = None,
    approval_required_testers: Count | None = None,
    approvers: list[str] | None = None,
    testers: list[str] | None = None,
    lite_merge_request_prefix_title: str | None = None,
) -> str:
    """Change a repository's pull request rules; others stay unchanged. approvers, testers: logins."""
    values = payload(
        merge_method=merge_method,
        merged_commit_author=merged_commit_author,
        approval_required_reviewers=approval_required_reviewers,
        approval_required_approvers=approval_required_approvers,
        approval_required_testers=approval_required_testers,
        lite_merge_request_prefix_title=lite_merge_request_prefix_title,
    )
    if not (on or off or approvers or testers or values):
        return NOTHING
    body = {**flags(on, off), **values}
    if approval_required_reviewers is not None:
        # ref: 0 reviewers cancels the rule, so its on/off switch follows the number.
        body["approval_required_reviewers_enable"] = approval_required_reviewers > 0
    body |= payload(
        approval_approver_ids=await user_ids(ctx, "approvers", approvers),
        approval_tester_ids=await user_ids(ctx, "testers", testers),
    )
    reply = await gitcode(ctx).request("PUT", api_path(PR_SETTINGS, owner=owner, repo=repo), json=body)
    return to_text(pull_request_settings(reply.object()))
