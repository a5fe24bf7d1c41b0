"""The enterprise operations beside v5: members with role names, invitations, roles and removal; labels by v5 and v8;
issue statuses, fields and custom roles; projects; issue search by POST; milestones; an organization's enterprise."""

from __future__ import annotations

import pytest

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.tools.enterprise import BUG_LABEL, ENT_ID, ROADMAP
from tests.conftest import Connect, call, refused, sent

pytestmark = pytest.mark.anyio

ENT = {"enterprise": "gitcode-ent"}


async def test_members_with_role_names_and_one_with_email(connect: Connect, sandbox: Sandbox) -> None:
    admins = await call(connect, "get_enterprise_member", {**ENT, "role": "admin"})
    assert sent(sandbox) == ["GET v8/enterprises/gitcode-ent/members"] and sandbox.requests[0].query["role"] == "admin"
    assert [(m["login"], m["role"], m["role_name"]) for m in admins["items"]] == [("alice", "admin", "管理员")]
    bob = await call(connect, "get_enterprise_member", {**ENT, "username": "bob"})
    assert bob["email"] == "bob@gitcode-ent.example" and bob["role"] == "developer" and bob["role_id"]
    by_number = await call(connect, "get_enterprise_member", {"enterprise": "8710001", "username": "bob"})
    assert by_number["login"] == "bob"  # the pages call {enterprise} the enterprise's id too


async def test_invite_change_role_and_remove(connect: Connect, sandbox: Sandbox) -> None:
    invited = await call(connect, "add_enterprise_member", {**ENT, "username": "dana"})
    assert sandbox.requests[-1].body == {"permission": "push"} and sorted(invited["permissions"]) == ["pull", "push"]
    assert "409" in await refused(connect, "add_enterprise_member", {**ENT, "username": "dana"})
    assert "`role_id`" in await refused(
        connect, "add_enterprise_member", {**ENT, "username": "x", "permission": "customized"}
    )
    roles = await call(connect, "list_enterprise_custom_roles", ENT_ID)
    assert [r["name"] for r in roles] == ["评审员"]
    changed = await call(
        connect,
        "update_enterprise_member",
        {**ENT, "username": "dana", "role": "customized", "role_id": roles[0]["id"]},
    )
    assert changed["role"] == "customized" and changed["role_id"] == roles[0]["id"]
    assert (await call(connect, "list_enterprise_custom_roles", ENT_ID))[0]["members"] == 1
    await call(connect, "update_enterprise_member", {**ENT, "username": "bob", "role": "maintainer"})
    assert sandbox.requests[-1].body == {"role": "maintainer"}
    assert await call(connect, "remove_enterprise_member", {**ENT, "username": "dana"}) == {
        "removed": "dana",
        "enterprise": "gitcode-ent",
    }
    assert "last administrator" in await refused(connect, "remove_enterprise_member", {**ENT, "username": "alice"})
    bob_says = await refused(connect, "remove_enterprise_member", {**ENT, "username": "alice"}, token="bob-token")
    assert "403" in bob_says


async def test_labels_list_by_v5_search_by_v8_and_change_by_numeric_id(connect: Connect, sandbox: Sandbox) -> None:
    everything = await call(connect, "list_enterprise_labels", ENT)
    found = await call(connect, "list_enterprise_labels", {**ENT, "search": "feat"})
    assert sent(sandbox) == ["GET enterprises/gitcode-ent/labels", "GET v8/enterprises/gitcode-ent/labels"]
    assert sandbox.requests[0].query["per_page"] == "100" and sandbox.requests[1].query["search"] == "feat"
    assert [x["name"] for x in everything["items"]] == ["bug", "feature"] and [x["name"] for x in found["items"]] == [
        "feature"
    ]
    made = await call(connect, "create_or_update_enterprise_label", {**ENT_ID, "name": "security", "color": "e03529"})
    assert sent(sandbox)[-1] == "POST v8/enterprises/8710001/label"
    assert sandbox.requests[-1].body == {"description": "", "name": "security", "color": "#e03529"}
    assert "409" in await refused(
        connect, "create_or_update_enterprise_label", {**ENT_ID, "name": "bug", "color": "#fff"}
    )
    assert "`name`" in await refused(connect, "create_or_update_enterprise_label", {**ENT_ID, "name": "x"})
    edited = await call(connect, "create_or_update_enterprise_label", {**ENT_ID, "label_id": made["id"], "name": "sec"})
    assert sent(sandbox)[-1] == f"PUT v8/enterprises/8710001/label/{made['id']}" and edited["name"] == "sec"
    await call(connect, "delete_enterprise_label", {**ENT_ID, "label_id": BUG_LABEL})
    assert "404" in await refused(connect, "delete_enterprise_label", {**ENT_ID, "label_id": BUG_LABEL})


async def test_issue_settings_projects_and_the_organizations_enterprise(connect: Connect, sandbox: Sandbox) -> None:
    statuses = await call(connect, "list_enterprise_issue_statuses", ENT)
    assert statuses[0] == {"name": "待办的", "description": "Not started"}
    fields = await call(connect, "list_enterprise_issue_fields", ENT_ID)
    assert fields["items"][0] == {
        "id": 48,
        "name": "Priority",
        "type": "select_single",
        "options": ["P0", "P1", "P2"],
        "issue_types": ["requirement"],
        "description": "How urgent",
    }
    projects = await call(connect, "list_enterprise_projects", {**ENT, "group": "gitcode-ent"})
    assert sandbox.requests[-1].query["group_name"] == "gitcode-ent"
    assert [p["full_name"] for p in projects["items"]] == ["gitcode-ent/infra", "gitcode-ent/infra-mirror"]
    assert await call(connect, "get_org_enterprise", {"org": "gitcode-guild"}) == {
        "enterprise_id": 8_710_001,
        "name": "GitCode Enterprise",
    }
    assert "404" in await refused(connect, "get_org_enterprise", {"org": "alice"})  # a user, not an organization


async def test_issue_search_posts_its_filters(connect: Connect, sandbox: Sandbox) -> None:
    found = await call(
        connect, "search_enterprise_issues", {**ENT_ID, "search": "crash", "labels": ["bug"], "assignees": ["alice"]}
    )
    request = sandbox.requests[-1]
    assert (request.method, request.path) == ("POST", "v8/enterprises/8710001/issues")
    assert request.body == {
        "page": 1,
        "per_page": 20,
        "search": "crash",
        "labels": "bug",
        "assignees": ["alice"],
        "sort": "created_at",
        "direction": "desc",
    }
    assert [(i["repo"], i["number"]) for i in found["items"]] == [("alice/demo", 1)]
    none = await call(connect, "search_enterprise_issues", {**ENT_ID, "states": ["已完成"], "search": "crash"})
    assert none["items"] == []


async def test_milestones(connect: Connect, sandbox: Sandbox) -> None:
    listed = await call(connect, "list_enterprise_milestones", {**ENT, "state": "active"})
    assert sandbox.requests[-1].query == {
        "state": "active",
        "order_by": "updated_at",
        "sort": "desc",
        "page": "1",
        "per_page": "20",
    }
    assert listed["items"][0]["projects"] == ["gitcode-ent/infra"]
    made = await call(
        connect,
        "create_or_update_enterprise_milestone",
        {**ENT, "title": "2027 H2", "start_date": "2027-07-01", "due_date": "2027-12-31", "projects": [8_710_101]},
    )
    assert sandbox.requests[-1].body == {
        "title": "2027 H2",
        "start_date": "2027-07-01",
        "due_date": "2027-12-31",
        "projects": [8_710_101],
    }
    assert made["state"] == "active" and made["projects"] == ["gitcode-ent/infra"]
    early = {**ENT, "title": "x", "start_date": "2027-02-01", "due_date": "2027-01-01"}
    assert "`due_date`" in await refused(connect, "create_or_update_enterprise_milestone", early)
    closed = await call(
        connect,
        "create_or_update_enterprise_milestone",
        {**ENT, "milestone_id": ROADMAP, "title": "2027 H1", "state": "closed"},
    )
    assert sandbox.requests[-1].body == {"title": "2027 H1", "state_event": "closed"} and closed["state"] == "closed"
    assert "404" in await refused(
        connect, "create_or_update_enterprise_milestone", {**ENT, "title": "x", "projects": [1]}
    )
    await call(connect, "delete_enterprise_milestone", {**ENT, "milestone_id": ROADMAP})
    assert "404" in await refused(connect, "list_enterprise_milestones", {**ENT, "milestone_id": ROADMAP})
