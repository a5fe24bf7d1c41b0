"""Repository administration: settings (read back as they are), members' roles, the permission mode, push rules; and
the destructive three: transfer, archive, delete. Operations #10-#19 and #27-#33 of the reference's Repositories page.

Settings are flat objects of GitCode's own field names: a get_* tool answers them, and its set_* tool takes any of
them in one `changes` object (fields left out, or null, stay as they are), so an agent reads, edits and writes back.
The schema declares each field (every one optional); a name or value that does not fit is refused before anything
is sent, and the refusal lists the names.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from mcp.server.mcpserver import Context
from pydantic import AfterValidator, BeforeValidator, Field, SecretStr, TypeAdapter, ValidationError, WithJsonSchema

from gitcode_mcp.client import Reply
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
    REPO_TESTER_OPTIONS,
    REPO_TRANSFER,
)
from gitcode_mcp.errors import GitCodeError, InvalidArgument, preview
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Text, Title, comma_list, gitcode, payload
from gitcode_mcp.views import Obj, View, as_int, login, sub, to_text

repo_admin = Toolset(
    "repo_admin", "Change repository settings and members' roles; transfer, archive or delete a repository"
)


DEMO = {"owner": "alice", "repo": "demo"}
TOOLBOX = {"owner": "gitcode-mcp", "repo": "toolbox"}  # an organization's repository (seeded by the simulator)
SANDBOX_PASSWORD = "sandbox-password"  # alice's, in the simulator only


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("must be an integer, not true or false")
    return value


def _at_most_1000(value: int | None) -> int | None:
    if value is not None and value > 1000:
        raise ValueError("must be at most 1000")
    return value


def _a_name(value: str) -> str:
    try:
        return check_name("path", value)
    except InvalidArgument as error:  # reported as changes.path, by changed()
        raise ValueError(str(error).partition(": ")[2]) from None


def _not_empty(value: SecretStr) -> SecretStr:
    if not value.get_secret_value():
        raise ValueError("must not be empty")
    return value


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


# As the toolkit's Number: the bound that only guards against nonsense is checked, not written into the schema.
Count = Annotated[int, Field(ge=0), BeforeValidator(_not_bool), AfterValidator(_at_most_1000)]
# Sent to GitCode in the one request body that needs it; never logged, returned, kept, or quoted in an error.
# (Its non-emptiness is checked, not written into the schema.)
Password = Annotated[SecretStr, AfterValidator(_not_empty), Field(description="Your GitCode password (sensitive)")]
# archive_repository archives unless told archived=false, as its name and description say: no default in the schema.
Archived = Annotated[bool, Field(json_schema_extra=_no_default)]
Logins = list[str]
Fields = dict[str, TypeAdapter[Any]]


def fields(**types: Any) -> Fields:
    """A settings endpoint's fields: each name (GitCode's, as its get_* tool answers it) with its type."""
    return {name: TypeAdapter(kind) for name, kind in types.items()}


def declared(known: Fields) -> dict[str, Any]:
    """The schema of a set_* tool's `changes`: one required object that declares every field, each optional (the
    server makes them nullable too, so strict-mode converters keep them optional). Not an open object: google-genai's
    MCP adapter fails on `additionalProperties: true`, and openai-agents serves such a tool non-strict. The value is
    checked by changed(), which names a wrong field and lists the right ones."""
    return {"type": "object", "properties": {name: kind.json_schema() for name, kind in known.items()}}


def changed(changes: dict[str, Any], known: Fields) -> Obj:
    """The fields to change, checked before anything is sent: an unknown name or a value of the wrong type is
    refused, naming it (and, for a name, listing the known ones); a null value leaves its field as it is."""
    if unknown := [k for k in changes if k not in known]:
        raise InvalidArgument("changes", f"unknown field {preview(unknown[0])}; the fields are {', '.join(known)}")
    checked: Obj = {}
    for name, value in changes.items():
        if value is None:
            continue
        try:
            checked[name] = known[name].validate_python(value, strict=True)  # JSON true is not "true" nor 1
        except ValidationError as error:
            problem = error.errors()[0]["msg"].removeprefix("Value error, ")
            raise InvalidArgument(f"changes.{name}", problem) from None
    return checked


def shown(answer: Obj, known: Fields) -> Obj:
    """A settings answer for an agent: exactly the fields its set_* tool takes, so what is read can be written back
    (a number GitCode sends as a string, as an integer where the field is one)."""
    numbers = {k for k, kind in known.items() if kind.json_schema().get("type") == "integer"}
    return {k: as_int(v) if k in numbers else v for k, v in answer.items() if k in known and v is not None}


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


def joined(name: str, logins: list[str] | None) -> str | None:
    """Logins as GitCode's one comma-separated string; an empty list as "" (no one), which clears the setting."""
    return None if logins is None else comma_list(name, logins) or ""


async def user_ids(ctx: Context, owner: str, repo: str, name: str, logins: list[str] | None) -> str | None:
    """Logins as the comma-separated numeric user ids GitCode's PR settings take. The reference calls them `user_id`;
    a person's profile `id` is 24-hex, and the repository's option list carries the numeric one as `id` (ref,
    option_testers example; a `user_id` field is read first where an answer has one). Unverified live
    (docs/gitcode-behaviour.md, Errors, ids and numbers)."""
    names = joined(name, logins)
    if not names:
        return names
    options = (await gitcode(ctx).get(api_path(REPO_TESTER_OPTIONS, owner=owner, repo=repo))).items()
    numeric = {}
    for person in options:
        if isinstance(person, dict) and isinstance(who := login(person), str):
            found = person.get("user_id", person.get("id"))
            if isinstance(found, int) or (isinstance(found, str) and found.isdigit()):
                numeric[who] = str(found)
    if missing := [each for each in dict.fromkeys(names.split(",")) if each not in numeric]:
        raise InvalidArgument(
            name, f"{missing[0]!r} is not a member who may review or test in {owner}/{repo} (GitCode gave no user id)"
        )
    return ",".join(numeric[each] for each in dict.fromkeys(names.split(",")))


# -- the repository -------------------------------------------------------------------------------------------------

REPOSITORY = View(
    full_name="full_name",
    name="name",
    path="path",
    description="description",
    homepage=lambda r: r.get("homepage") if r.get("homepage") not in (r.get("html_url"), r.get("web_url")) else None,
    private="private",
    default_branch="default_branch",
    # Repository answers carry `status`: 开始 (active) or 关闭 (archived) (ref, Users page;
    # docs/gitcode-behaviour.md, Repositories).
    archived=lambda r: True if r.get("status") == "关闭" else None,
    url=lambda r: r.get("html_url") or r.get("web_url"),
)


REPOSITORY_FIELDS = fields(
    name=Title,
    description=str,
    homepage=str,
    private=bool,
    default_branch=Text,
    path=Annotated[str, AfterValidator(_a_name)],
    lfs_enabled=bool,
)
RepositoryChanges = Annotated[dict[str, Any], WithJsonSchema(declared(REPOSITORY_FIELDS))]


@repo_admin.write(
    Example({**DEMO, "changes": {"description": "A demo.", "private": True}}, f"GET {REPO}", f"PATCH {REPO}"),
    Example({**DEMO, "changes": {"name": "Demo", "default_branch": "feature"}}, f"PATCH {REPO}"),
    idempotent=True,
)
async def update_repository(owner: str, repo: str, changes: RepositoryChanges, ctx: Context) -> str:
    """Set any of name, description, homepage, private, default_branch, lfs_enabled, path (the URL)."""
    body = changed(changes, REPOSITORY_FIELDS)
    if not body:
        return NOTHING
    client = gitcode(ctx)
    where = api_path(REPO, owner=owner, repo=repo)
    if "name" not in body:
        # GitCode requires `name` on this PATCH (ref #11, as Gitee v5): send the current one so it stays.
        current = (await client.get(where)).object().get("name")
        if not isinstance(current, str) or not current:
            raise GitCodeError(None, "GitCode's answer gave no repository name", "give name to keep or change it")
        body = {"name": current, **body}
    reply = await client.request(
        "PATCH",
        where,
        json=body,
        hints={400: "default_branch must be an existing branch; path must be free in this namespace"},
    )
    return to_text(REPOSITORY(reply.object()))


@repo_admin.destructive(Example(DEMO, f"DELETE {REPO}"))
async def delete_repository(owner: str, repo: str, ctx: Context) -> str:
    """Delete a repository and all it holds. Cannot be undone."""
    await gitcode(ctx).request("DELETE", api_path(REPO, owner=owner, repo=repo))
    return to_text({"deleted": f"{owner}/{repo}"})


# One tool for both documented forms (#33 and #14): both move a repository to another namespace, and only the
# organization form takes a password, so a given password is what selects it. The agent picks no endpoint.
@repo_admin.destructive(
    Example({**DEMO, "new_owner": "gitcode-lab"}, f"POST {REPO_TRANSFER}"),
    Example({**TOOLBOX, "new_owner": "gitcode-lab", "password": SANDBOX_PASSWORD}, f"POST {ORG_REPO_TRANSFER}"),
)
async def transfer_repository(
    owner: str,
    repo: str,
    new_owner: str,
    ctx: Context,
    new_name: str | None = None,
    password: Password | None = None,
) -> str:
    """Move a repository to an organization; cannot be undone here. A password selects the org-to-org form."""
    check_name("new_owner", new_owner)
    if password is None:
        reply = await gitcode(ctx).request(
            "POST",
            api_path(REPO_TRANSFER, owner=owner, repo=repo),
            json=payload(new_owner=new_owner, new_name=check_name("new_name", new_name) if new_name else None),
            hints={404: "check owner, repo and new_owner (an organization)"},
        )
        # `new_name` is in the reference's demo and answer, not its parameter table: it is sent only when asked for,
        # and the answer's `new_name` says whether GitCode took it (docs/gitcode-behaviour.md, Repositories).
        moved = reply.data if isinstance(reply.data, dict) else {}  # ref: {new_owner, new_name}
        name = moved.get("new_name") if isinstance(moved.get("new_name"), str) and moved.get("new_name") else None
        result = {"full_name": f"{moved.get('new_owner') or new_owner}/{name or repo}"}
        if new_name is not None and name != new_name:
            result["warning"] = (
                f"GitCode's answer does not confirm the new name {new_name!r}: check get_repository under "
                f"{new_owner}, and rename with update_repository if it kept {repo!r}"
            )
        return to_text(result)
    if new_name is not None:
        raise InvalidArgument("new_name", "the organization form cannot rename; rename with update_repository after")
    await _with_password(
        ctx,
        "POST",
        api_path(ORG_REPO_TRANSFER, org=owner, repo=repo),
        {"transfer_to": new_owner},
        password,
        {404: "owner must be the organization that owns repo, and new_owner an organization"},
    )
    return to_text({"full_name": f"{new_owner}/{repo}"})


@repo_admin.destructive(
    Example({"org": "gitcode-mcp", "repo": "toolbox", "password": SANDBOX_PASSWORD}, f"PUT {ORG_REPO_STATUS}"),
    idempotent=True,
)
async def archive_repository(org: str, repo: str, password: Password, ctx: Context, archived: Archived = True) -> str:
    """Make an org's repository read-only; archived=false reopens it."""
    await _with_password(
        ctx,
        "PUT",
        api_path(ORG_REPO_STATUS, org=org, repo=repo),
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


@repo_admin.write(Example({**DEMO, "username": "bob", "permission": "admin"}, f"PUT {REPO_MEMBER}"), idempotent=True)
async def set_member_role(
    owner: str,
    repo: str,
    username: str,
    permission: Literal["pull", "push", "admin", "customized"],
    ctx: Context,
    role_id: str | None = None,
) -> str:
    """Change a member's role; customized needs role_id."""
    if (permission == "customized") != (role_id is not None):
        raise InvalidArgument("role_id", "give role_id exactly when permission is customized")
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(REPO_MEMBER, owner=owner, repo=repo, username=username),
        json=payload(permission=permission, role_id=role_id),
        hints={404: "username must already be a member of the repository"},
    )
    return to_text(MEMBER_VIEW(reply.object()))


MODES = {1: "inherit", 2: "independent"}  # ref: memberMgntMode 1 inherit, 2 independent


@repo_admin.read(Example(DEMO, f"GET {REPO_PERMISSION_MODE}"))
async def get_permission_mode(owner: str, repo: str, ctx: Context) -> str:
    """Whether a repository inherits its organization's members."""
    reply = await gitcode(ctx).get(api_path(REPO_PERMISSION_MODE, owner=owner, repo=repo))
    mode = reply.object().get("memberMgntMode")
    return to_text({"mode": MODES.get(mode, mode) if isinstance(mode, int) else mode})


@repo_admin.write(Example({**DEMO, "mode": "independent"}, f"PUT {REPO_PERMISSION_MODE}"), idempotent=True)
async def set_permission_mode(owner: str, repo: str, mode: Literal["inherit", "independent"], ctx: Context) -> str:
    """Inherit the organization's members, or manage the repository's own."""
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(REPO_PERMISSION_MODE, owner=owner, repo=repo),
        json={"mode": 1 if mode == "inherit" else 2},
    )
    succeeded(reply)
    return to_text({"mode": mode})


# -- settings -------------------------------------------------------------------------------------------------------

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


@repo_admin.write(
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
