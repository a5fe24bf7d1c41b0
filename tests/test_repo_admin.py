"""Repository administration quirks: the password never leaves the one request that needs it, settings read back as
written, a deleted repository is gone, a transferred one lives under its new owner, an archived one says so, and
GitCode's permission and validation refusals reach the agent."""

from __future__ import annotations

import json
import logging
import re
from typing import Any

import pytest
from pydantic import SecretStr

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.shapes import numeric_id
from tests.conftest import Connect, call, demo, refused, sent, sim

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
TOOLBOX = {"owner": "gitcode-mcp", "repo": "toolbox"}
PASSWORD = "sandbox-password"
BOB = SecretStr("bob-token")


def test_the_toolset_is_not_default_and_names_its_purpose() -> None:
    admin = toolsets()["repo_admin"]
    assert not admin.default and "transfer, archive or delete" in admin.purpose
    kinds = {t.name: t.kind for t in admin.tools}
    assert {n for n, k in kinds.items() if k == "destructive"} == {
        "delete_repository",
        "transfer_repository",
        "archive_repository",
        "set_review_settings",  # reviewers and testers given replace the default ones (endpoints.REMOVING)
    }
    assert {n for n, k in kinds.items() if k == "read"} == {
        "get_permission_mode",
        "get_push_rules",
        "get_repository_settings",
        "get_pull_request_settings",
    }
    # Setting writes (a PUT or PATCH of values) may be repeated: they say so.
    assert all(t.idempotent for t in admin.tools if t.kind == "write")


async def test_destructive_descriptions_say_what_cannot_be_undone(connect: Connect) -> None:
    async with connect(toolsets=("repo_admin",)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    assert "Cannot be undone." in (tools["delete_repository"].description or "")
    assert "cannot be undone here" in (tools["transfer_repository"].description or "")
    # Archiving is undone by the same operation (ref: status 0 reopens), and says how.
    assert "archived=false reopens it" in (tools["archive_repository"].description or "")
    for name in ("delete_repository", "transfer_repository", "archive_repository"):
        hints = tools[name].annotations
        assert hints is None or (hints.destructive_hint is not False and not hints.read_only_hint), name


# -- the password ---------------------------------------------------------------------------------------------------


async def test_password_is_described_as_sensitive(connect: Connect) -> None:
    # In words, not in pydantic's `writeOnly` / `format: password`, which google-genai's types.Schema refuses.
    async with connect(toolsets=("repo_admin",)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
    for name in ("archive_repository", "transfer_repository"):
        prop = tools[name].input_schema["properties"]["password"]
        assert "sensitive" in prop["description"] and "writeOnly" not in json.dumps(prop), name
    assert "password" in tools["archive_repository"].input_schema["required"]


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("archive_repository", {"org": "gitcode-mcp", "repo": "toolbox"}),
        ("transfer_repository", {**TOOLBOX, "new_owner": "gitcode-lab"}),
    ],
)
async def test_password_reaches_gitcode_once_and_appears_in_no_result_or_log(
    connect: Connect, sandbox: Sandbox, caplog: pytest.LogCaptureFixture, tool: str, args: dict[str, Any]
) -> None:
    caplog.set_level(logging.DEBUG)
    secret = PASSWORD
    answer = await call(connect, tool, {**args, "password": secret}, parse=False)
    [request] = sandbox.requests
    assert request.body["password"] == secret  # in the body of the one request that needs it
    assert secret not in request.raw_path and secret not in json.dumps(request.query)
    assert secret not in json.dumps(request.headers)
    assert secret not in answer
    assert caplog.records and not [r for r in caplog.records if secret in r.getMessage()]


async def test_a_wrong_password_is_refused_without_echoing_it(
    connect: Connect, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    wrong = "hunter2-not-it"
    message = await refused(connect, "archive_repository", {"org": "gitcode-mcp", "repo": "toolbox", "password": wrong})
    assert "GitCode 400" in message and "The password is incorrect" in message and "wrong password" in message
    assert wrong not in message and not [r for r in caplog.records if wrong in r.getMessage()]
    toolbox = sandbox.world.repo("gitcode-mcp", "toolbox")
    assert toolbox is not None and "status" not in toolbox.settings


@pytest.mark.parametrize(
    ("tool", "route", "args"),
    [
        ("archive_repository", ("PUT", r"/status$"), {"org": "gitcode-mcp", "repo": "toolbox"}),
        ("transfer_repository", ("POST", r"/transfer$"), {**TOOLBOX, "new_owner": "gitcode-lab"}),
    ],
)
async def test_a_password_gitcode_quotes_back_is_scrubbed_from_the_error(
    connect: Connect, sandbox: Sandbox, tool: str, route: tuple[str, str], args: dict[str, Any]
) -> None:
    secret = "s3cret-Pa55word!"
    method, path = route
    quoted = f"bad request: password={secret}"
    sandbox.fail(method, path, status=422, body={"error_code": 422, "error_message": quoted})
    message = await refused(connect, tool, {**args, "password": secret})
    assert "password=***" in message and secret not in message
    # A 200 that reports failure (ref: anything but "success") is an error too, and scrubbed the same way.
    sandbox.answer(method, path, status=200, body={"code": 0, "msg": f"failed for {secret}"})
    message = await refused(connect, tool, {**args, "password": secret})
    assert "answered 200 but reported a failure: failed for ***" in message and secret not in message


async def test_a_password_of_the_wrong_type_is_refused_without_echoing_it(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(
        connect, "archive_repository", {"org": "gitcode-mcp", "repo": "toolbox", "password": ["sandbox-password"]}
    )
    assert "`password`" in message and "sandbox-password" not in message and sandbox.requests == []


# -- settings read back ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("setter", "args", "getter", "expected"),
    [
        (
            "set_push_rules",
            {"changes": {"deny_force_push": True, "reject_not_signed_by_gpg": True, "commit_message_regex": "^fix: "}},
            "get_push_rules",
            {
                "reject_not_signed_by_gpg": True,
                "deny_force_push": True,
                "max_file_size": 100,
                "skip_rule_for_owner": False,
                "commit_message_regex": "^fix: ",
            },
        ),
        (
            "set_repository_settings",
            {"changes": {"disable_fork": True, "forbidden_developer_create_tag": True, "tag_name_regex": "^v\\d+"}},
            "get_repository_settings",
            {
                "disable_fork": True,
                "forbidden_developer_create_branch": False,
                "forbidden_developer_create_tag": True,
                "forbidden_committer_create_branch": False,
                "generate_pre_merge_ref": False,
                # GitCode's forbidden_gitlab_access cannot be set, so it is not shown: what is read can be written.
                "rebase_disable_trigger_webhook": False,
                "include_lfs_objects": False,
                "open_gpg_verified": False,
                "tag_name_regex": "^v\\d+",
            },
        ),
        ("set_permission_mode", {"mode": "independent"}, "get_permission_mode", {"mode": "independent"}),
    ],
)
async def test_a_setting_written_is_read_back(
    connect: Connect, sandbox: Sandbox, setter: str, args: dict[str, Any], getter: str, expected: dict[str, Any]
) -> None:
    written = await call(connect, setter, {**DEMO, **args})
    read = await call(connect, getter, DEMO)
    assert read == expected
    if setter != "set_permission_mode":
        assert written == read
    put, get = sandbox.requests
    assert (put.method, get.method) == ("PUT", "GET") and put.path == get.path
    if "changes" in args:
        assert put.body == args["changes"]  # GitCode's own names, sent as given
    # Repeating the write changes nothing more (idempotent).
    assert await call(connect, setter, {**DEMO, **args}) == written
    assert await call(connect, getter, DEMO) == expected


@pytest.mark.parametrize(
    ("getter", "setter", "edit"),
    [
        ("get_push_rules", "set_push_rules", {"deny_force_push": True, "max_file_size": 20}),
        ("get_repository_settings", "set_repository_settings", {"disable_fork": True, "branch_name_regex": "^f/"}),
        ("get_pull_request_settings", "set_pull_request_settings", {"can_reopen": False, "approvers": ["bob"]}),
    ],
)
async def test_what_a_get_answers_can_be_edited_and_written_back_whole(
    connect: Connect, sandbox: Sandbox, getter: str, setter: str, edit: dict[str, Any]
) -> None:
    read = await call(connect, getter, DEMO)
    # The names the agent edits are the read's (a regex is shown once one is set).
    assert set(edit) - set(read) <= {"branch_name_regex"}
    written = await call(connect, setter, {**DEMO, "changes": {**read, **edit}})
    assert written == {**read, **edit} == await call(connect, getter, DEMO)
    # Writing the answer back unedited changes nothing.
    assert await call(connect, setter, {**DEMO, "changes": written}) == written


async def test_a_read_shows_only_writable_fields_and_numbers_as_integers(connect: Connect, sandbox: Sandbox) -> None:
    # Numbers may come as strings (docs/gitcode-behaviour.md); a regex of digits stays a string, as the write takes it.
    answer = {"max_file_size": "10", "commit_message_regex": "2024", "deny_force_push": False, "id": 7}
    sandbox.answer("GET", r"push_config$", status=200, body=answer)
    read = await call(connect, "get_push_rules", DEMO)
    assert read == {"max_file_size": 10, "commit_message_regex": "2024", "deny_force_push": False}
    await call(connect, "set_push_rules", {**DEMO, "changes": read})
    assert sandbox.requests[-1].body == read


async def test_pull_request_settings_read_back_and_rule_the_pull_requests(connect: Connect, sandbox: Sandbox) -> None:
    before = await call(connect, "get_pull_request", {**DEMO, "number": 1})
    assert "merge_blockers" not in before
    changes = {
        "disable_squash_merge": True,
        "can_reopen": False,
        "only_allow_merge_if_all_discussions_are_resolved": False,
        "merge_method": "rebase_merge",
        "approval_required_reviewers": 1,
        "approvers": ["bob", "alice"],
    }
    written = await call(connect, "set_pull_request_settings", {**DEMO, "changes": changes})
    read = await call(connect, "get_pull_request_settings", DEMO)
    assert written == read and {k: read[k] for k in changes} == changes
    assert read["testers"] == [] and read["merged_commit_author"] == "merged_by"
    assert not {"id", "project_id", "created_at", "updated_at", "merge_request_setting", "approval_approvers"} & set(
        read
    )
    put = next(r for r in sandbox.requests if r.method == "PUT")
    users = sandbox.world.users
    # ref: the approvers go as comma-separated user ids, the numeric ones the repository's option list carries (not
    # the 24-hex profile id); the enable switch follows the number of reviewers.
    ids = f"{numeric_id(users['bob'])},{numeric_id(users['alice'])}"
    assert put.body["approval_approver_ids"] == ids and "approvers" not in put.body
    assert "GET repos/alice/demo/pulls/option_testers" in sent(sandbox)
    assert put.body["approval_required_reviewers_enable"] is True
    # The pulls area reads the same rules: PR 1 now waits for an approval.
    after = await call(connect, "get_pull_request", {**DEMO, "number": 1})
    assert after["merge_blockers"] == {
        "approval_reviewers_required": "The number of approved reviewers does not meet the requirement."
    }
    # 0 turns the rule off again, and says so with the enable switch; an empty list clears the approvers.
    cleared = await call(
        connect, "set_pull_request_settings", {**DEMO, "changes": {"approval_required_reviewers": 0, "approvers": []}}
    )
    assert sandbox.requests[-1].body == {
        "approval_required_reviewers": 0,
        "approval_required_reviewers_enable": False,
        "approval_approver_ids": "",
    }
    assert cleared["approvers"] == [] and cleared["approval_required_reviewers"] == 0
    assert "merge_blockers" not in await call(connect, "get_pull_request", {**DEMO, "number": 1})


async def test_an_unknown_approver_is_refused_before_any_setting_is_sent(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "set_pull_request_settings", {**DEMO, "changes": {"approvers": ["nobody-here"]}})
    assert "Invalid argument `changes.approvers`" in message and "'nobody-here' is not a member" in message
    assert [r.method for r in sandbox.requests] == ["GET"]


async def test_simulator_refuses_a_profile_id_where_a_user_id_is_wanted(sandbox: Sandbox) -> None:
    bob = sandbox.world.users["bob"]
    hex_id = await sim(sandbox, "PUT", "repos/alice/demo/pull_request_settings", json={"approval_approver_ids": bob.id})
    assert hex_id.status_code == 404 and hex_id.json()["error_message"] == f"Not Found User {bob.id}"
    numeric = await sim(
        sandbox, "PUT", "repos/alice/demo/pull_request_settings", json={"approval_approver_ids": str(numeric_id(bob))}
    )
    assert numeric.status_code == 200


async def test_modules_and_review_settings_echo_what_was_set(connect: Connect, sandbox: Sandbox) -> None:
    changes = {"has_discussion": True, "has_fork": False}
    assert await call(connect, "set_repository_modules", {**DEMO, "changes": changes}) == changes
    assert sandbox.requests[-1].body == changes
    assert demo(sandbox).settings["modules"]["has_fork"] is False and demo(sandbox).settings["modules"]["has_wiki"]
    review = await call(
        connect,
        "set_review_settings",
        {**DEMO, "changes": {"reviewers": ["bob", "alice"], "testers": ["bob"], "min_testers": 0}},
    )
    # GitCode's reviewers are its assignees, as one comma-separated string.
    assert sandbox.requests[-1].body == {"assignees": "bob,alice", "testers": "bob", "testers_number": 0}
    assert review["reviewers"] == ["bob", "alice"] and review["min_testers"] == 0 and review["updated_at"]
    # An empty list means no one: it is sent, as GitCode's empty string.
    await call(connect, "set_review_settings", {**DEMO, "changes": {"testers": []}})
    assert sandbox.requests[-1].body == {"testers": ""}


async def test_a_200_that_reports_failure_is_an_error(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer("PUT", r"module/setting$", status=200, body={"msg": "module is locked", "code": 0})
    message = await refused(connect, "set_repository_modules", {**DEMO, "changes": {"has_wiki": True}})
    assert message.endswith(
        "GitCode: answered 200 but reported a failure: module is locked. Hint: read the setting back before retrying."
    )


# The tools that take `changes`, each with one of its fields.
SETTERS = {
    "update_repository": "name",
    "set_repository_modules": "has_wiki",
    "set_review_settings": "testers",
    "set_push_rules": "deny_force_push",
    "set_repository_settings": "disable_fork",
    "set_pull_request_settings": "approvers",
}


@pytest.mark.parametrize("tool", list(SETTERS))
async def test_an_unknown_field_is_refused_naming_it_and_the_known_ones(
    connect: Connect, sandbox: Sandbox, tool: str
) -> None:
    # has_issues is create_repository's name for what the modules call has_issue: the refusal says which exists.
    message = await refused(connect, tool, {**DEMO, "changes": {"has_issues": False}})
    assert "Invalid argument `changes`: unknown field 'has_issues'; the fields are " in message
    known = message.split("the fields are ")[1].split(", ")
    assert len(known) >= 4 and all(re.fullmatch(r"[a-z_]+", name) for name in known), known
    assert sandbox.requests == []


@pytest.mark.parametrize(
    ("tool", "changes", "problem"),
    [
        ("set_push_rules", {"deny_force_push": "true"}, "`changes.deny_force_push`: Input should be a valid boolean"),
        ("set_push_rules", {"max_file_size": True}, "`changes.max_file_size`: "),
        (
            "set_push_rules",
            {"max_file_size": -1},
            "`changes.max_file_size`: Input should be greater than or equal to 0",
        ),
        ("set_repository_settings", {"tag_name_regex": 1}, "`changes.tag_name_regex`: Input should be a valid string"),
        ("set_pull_request_settings", {"merge_method": "squash"}, "`changes.merge_method`: Input should be 'merge'"),
        ("set_pull_request_settings", {"approval_required_reviewers": 6}, "less than or equal to 5"),
        ("set_pull_request_settings", {"approvers": "bob"}, "`changes.approvers`: Input should be a valid list"),
        (
            "set_pull_request_settings",
            {"approvers": ["bob,alice"]},
            "`changes.approvers`: 'bob,alice' contains a comma",
        ),
        ("set_review_settings", {"min_reviewers": 1.5}, "`changes.min_reviewers`: Input should be a valid integer"),
        ("set_repository_modules", {"has_wiki": 0}, "`changes.has_wiki`: Input should be a valid boolean"),
        ("update_repository", {"name": "  "}, "`changes.name`: must not be blank"),
        ("update_repository", {"path": "../x"}, "`changes.path`: '../x' is not a GitCode path;"),
    ],
)
async def test_a_value_of_the_wrong_type_is_refused_naming_its_field(
    connect: Connect, sandbox: Sandbox, tool: str, changes: dict[str, Any], problem: str
) -> None:
    message = await refused(connect, tool, {**DEMO, "changes": changes})
    assert problem in message, message
    assert sandbox.requests == []


@pytest.mark.parametrize("tool", list(SETTERS))
async def test_a_write_given_nothing_sends_nothing(connect: Connect, sandbox: Sandbox, tool: str) -> None:
    # Nothing, or only nulls: a null field is left as it is, as a null argument is "not given".
    for changes in ({}, {SETTERS[tool]: None}):
        answer = await call(connect, tool, {**DEMO, "changes": changes})
        assert answer == {"changed": False, "note": "no setting was given, so nothing was sent"}, changes
    assert sandbox.requests == []


async def test_changes_declares_every_field_the_tool_takes_each_optional(connect: Connect) -> None:
    # Not an open object (google-genai's MCP adapter fails on `additionalProperties`, openai-agents serves such a tool
    # non-strict): the fields are declared, none required, each admitting null (left as it is). The declared names
    # are those the refusal of an unknown one lists.
    async with connect(toolsets=("repo_admin",)) as client:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        for name in SETTERS:
            schema = tools[name].input_schema
            changes = schema["properties"]["changes"]
            assert "changes" in schema["required"] and changes["type"] == "object", name
            assert "required" not in changes and "additionalProperties" not in changes, name
            assert all({"type": "null"} in field["anyOf"] for field in changes["properties"].values()), name
            message = await refused(client, name, {**DEMO, "changes": {"nothing": 1}})
            assert message.split("the fields are ")[1].split(", ") == list(changes["properties"]), name


# -- update_repository ----------------------------------------------------------------------------------------------


async def test_update_keeps_the_current_name_gitcode_requires(connect: Connect, sandbox: Sandbox) -> None:
    # A display name that is not the path: what GitCode answers for the repository is what is sent back.
    current = {"full_name": "alice/demo", "path": "demo", "name": "Demo Project", "status": "开始"}
    sandbox.answer("GET", r"^repos/alice/demo$", status=200, body=current)
    repo = await call(
        connect, "update_repository", {**DEMO, "changes": {"description": "Now with docs.", "homepage": "https://x.io"}}
    )
    get, patch = sandbox.requests
    assert (get.method, get.path, patch.method) == ("GET", "repos/alice/demo", "PATCH")
    assert patch.body == {"name": "Demo Project", "description": "Now with docs.", "homepage": "https://x.io"}
    assert repo == {
        "full_name": "alice/demo",
        "name": "Demo Project",
        "path": "demo",
        "description": "Now with docs.",
        "homepage": "https://x.io",
        "private": False,
        "default_branch": "main",
        "url": "https://gitcode.com/alice/demo",
    }
    # Given a name, it is sent as is and nothing is read first.
    await call(connect, "update_repository", {**DEMO, "changes": {"name": "Demo"}})
    assert [r.method for r in sandbox.requests[2:]] == ["PATCH"] and sandbox.requests[-1].body == {"name": "Demo"}


async def test_simulator_requires_name_on_the_patch(sandbox: Sandbox) -> None:
    # ref #11 (and Gitee v5): `name` is required, which is why update_repository always sends one.
    answer = await sim(sandbox, "PATCH", "repos/alice/demo", json={"description": "x"})
    assert answer.status_code == 400 and answer.json()["error_message"] == "name is required"


async def test_a_new_path_moves_the_repository_and_a_missing_branch_is_refused(
    connect: Connect, sandbox: Sandbox
) -> None:
    repo = await call(connect, "update_repository", {**DEMO, "changes": {"name": "demo", "path": "demo-2"}})
    assert repo["full_name"] == "alice/demo-2" and repo["url"] == "https://gitcode.com/alice/demo-2"
    assert sandbox.world.repo("alice", "demo") is None and sandbox.world.repo("alice", "demo-2") is not None
    moved = {"owner": "alice", "repo": "demo-2"}
    message = await refused(connect, "update_repository", {**moved, "changes": {"default_branch": "nope"}})
    assert "GitCode 400" in message and "Branch nope does not exist" in message and "default_branch must be" in message


# -- delete, transfer, archive --------------------------------------------------------------------------------------


async def test_a_deleted_repository_answers_404_afterwards(connect: Connect, sandbox: Sandbox) -> None:
    assert await call(connect, "delete_repository", DEMO) == {"deleted": "alice/demo"}
    assert sandbox.requests[0].status == 204  # probe: 204 with an empty body
    assert sandbox.world.repo("alice", "demo") is None
    for tool, args in (
        ("get_push_rules", DEMO),
        ("get_pull_request", {**DEMO, "number": 1}),
        ("get_file_contents", {**DEMO, "path": "README.md"}),
        ("delete_repository", DEMO),
    ):
        message = await refused(connect, tool, args)
        assert "GitCode 404" in message and "Not Found Project" in message, tool


async def test_delete_accepts_the_documented_200_answer_too(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer("DELETE", r"repos/alice/demo$", status=200, body={})  # ref: 200 with an empty object
    assert await call(connect, "delete_repository", DEMO) == {"deleted": "alice/demo"}


async def test_a_member_without_admin_rights_is_refused_and_nothing_changes(connect: Connect, sandbox: Sandbox) -> None:
    for tool, args in (
        ("delete_repository", DEMO),
        ("set_push_rules", {**DEMO, "changes": {"deny_force_push": True}}),
        ("transfer_repository", {**DEMO, "new_owner": "gitcode-lab"}),
    ):
        message = await refused(connect, tool, args, token=BOB)
        assert "GitCode 403 Forbidden" in message and "permission" in message, tool
    assert demo(sandbox).settings.get("push_config") is None and sandbox.world.repo("alice", "demo") is not None
    # A member may read the settings.
    assert (await call(connect, "get_push_rules", DEMO, token=BOB))["deny_force_push"] is False


async def test_anonymous_writes_are_401(connect: Connect) -> None:
    message = await refused(connect, "delete_repository", DEMO, token=None)
    assert "GitCode 401" in message and "GITCODE_TOKEN" in message


async def test_a_transferred_repository_lives_under_its_new_owner(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "set_push_rules", {**DEMO, "changes": {"deny_force_push": True}})
    moved = await call(connect, "transfer_repository", {**DEMO, "new_owner": "gitcode-lab", "new_name": "demo-moved"})
    assert moved == {"full_name": "gitcode-lab/demo-moved"}
    assert sandbox.requests[-1].body == {"new_owner": "gitcode-lab", "new_name": "demo-moved"}
    new = {"owner": "gitcode-lab", "repo": "demo-moved"}
    assert (await call(connect, "get_push_rules", new))["deny_force_push"] is True  # its settings moved with it
    assert (await call(connect, "get_pull_request", {**new, "number": 1}))["number"] == 1
    assert "Not Found Project" in await refused(connect, "get_push_rules", DEMO)


async def test_a_transfer_whose_answer_does_not_confirm_the_new_name_says_so(
    connect: Connect, sandbox: Sandbox
) -> None:
    # ref: `new_name` is in the demo and the answer, not the parameter table; an answer without it is no rename.
    sandbox.answer("POST", r"/transfer$", status=200, body={"new_owner": "gitcode-lab"})
    moved = await call(connect, "transfer_repository", {**DEMO, "new_owner": "gitcode-lab", "new_name": "demo-moved"})
    assert moved["full_name"] == "gitcode-lab/demo" and "update_repository" in moved["warning"]


async def test_org_transfer_needs_an_organization_and_cannot_rename(connect: Connect, sandbox: Sandbox) -> None:
    args = {**TOOLBOX, "new_owner": "gitcode-lab", "password": PASSWORD}
    message = await refused(connect, "transfer_repository", {**args, "new_name": "tools"})
    assert "`new_name`" in message and sandbox.requests == []
    message = await refused(connect, "transfer_repository", {**DEMO, "new_owner": "gitcode-lab", "password": PASSWORD})
    assert (
        "GitCode 404" in message and "Not Found Organization" in message and "owner must be the organization" in message
    )
    assert await call(connect, "transfer_repository", args) == {"full_name": "gitcode-lab/toolbox"}
    assert (
        sandbox.world.repo("gitcode-lab", "toolbox") is not None
        and sandbox.world.repo("gitcode-mcp", "toolbox") is None
    )


async def test_transfer_to_a_namespace_you_do_not_administer_is_refused(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "transfer_repository", {**DEMO, "new_owner": "nowhere"})
    assert "GitCode 404" in message and "Not Found Namespace nowhere" in message
    assert sandbox.world.repo("alice", "demo") is not None


async def test_an_archived_repository_reports_it_and_can_be_reopened(connect: Connect, sandbox: Sandbox) -> None:
    archived = await call(
        connect, "archive_repository", {"org": "gitcode-mcp", "repo": "toolbox", "password": PASSWORD}
    )
    assert archived == {"full_name": "gitcode-mcp/toolbox", "archived": True}
    assert sandbox.requests[-1].body == {"status": 2, "password": PASSWORD}
    repo = await call(connect, "update_repository", {**TOOLBOX, "changes": {"description": "Kept for reference."}})
    assert repo["archived"] is True  # GitCode answers status 关闭
    reopened = await call(
        connect,
        "archive_repository",
        {"org": "gitcode-mcp", "repo": "toolbox", "password": PASSWORD, "archived": False},
    )
    assert reopened == {"full_name": "gitcode-mcp/toolbox", "archived": False}
    assert sandbox.requests[-1].body == {"status": 0, "password": PASSWORD}
    again = await call(connect, "update_repository", {**TOOLBOX, "changes": {"description": "Active again."}})
    assert "archived" not in again


async def test_a_personal_repository_is_not_archived_through_the_org_form(connect: Connect) -> None:
    message = await refused(connect, "archive_repository", {"org": "alice", "repo": "demo", "password": PASSWORD})
    assert "GitCode 404" in message and "a personal repository cannot be archived this way" in message


# -- members --------------------------------------------------------------------------------------------------------


async def test_member_role_changes_who_may_merge(connect: Connect, sandbox: Sandbox) -> None:
    blocked = await call(connect, "get_pull_request", {**DEMO, "number": 1}, token=BOB)
    assert "merged_by_user" in blocked["merge_blockers"]
    member = await call(connect, "set_member_role", {**DEMO, "username": "bob", "permission": "admin"})
    assert member == {"login": "bob", "name": "Bob", "permission": "admin"}
    assert sandbox.requests[-1].body == {"permission": "admin"}
    assert "merge_blockers" not in await call(connect, "get_pull_request", {**DEMO, "number": 1}, token=BOB)
    # As an admin now, bob may change settings.
    assert await call(connect, "set_permission_mode", {**DEMO, "mode": "inherit"}, token=BOB) == {"mode": "inherit"}


async def test_member_role_arguments(connect: Connect, sandbox: Sandbox) -> None:
    base = {**DEMO, "username": "bob"}
    assert "`role_id`" in await refused(connect, "set_member_role", {**base, "permission": "customized"})
    assert "`role_id`" in await refused(connect, "set_member_role", {**base, "permission": "push", "role_id": "r1"})
    assert "`permission`" in await refused(connect, "set_member_role", {**base, "permission": "owner"})
    assert sandbox.requests == []
    member = await call(connect, "set_member_role", {**base, "permission": "customized", "role_id": "e6cd76d6"})
    assert member["permission"] == "customized" and sandbox.requests[-1].body == {
        "permission": "customized",
        "role_id": "e6cd76d6",
    }
    message = await refused(connect, "set_member_role", {**DEMO, "username": "alice", "permission": "pull"})
    assert "GitCode 400" in message and "owner's role cannot be changed" in message
