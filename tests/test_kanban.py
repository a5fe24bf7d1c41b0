"""Kanban boards: the bodies GitCode's pages give (removal as an array, all three item fields, state open/closed, a
board by kanban_id), board values, and what the simulator refuses."""

from __future__ import annotations

import pytest

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.tools.kanban import RELEASE_BOARD, SPRINT_BOARD
from tests.conftest import Connect, call, refused, sent, sim

pytestmark = pytest.mark.anyio

GUILD = {"owner": "gitcode-guild"}
SPRINT = {**GUILD, "board_id": SPRINT_BOARD}


async def test_boards_by_state_and_one_board(connect: Connect, sandbox: Sandbox) -> None:
    boards = await call(connect, "list_kanban_boards", {**GUILD, "state": "open"})
    assert sandbox.requests[-1].query == {"status": "0", "sort": "newest", "page": "1", "per_page": "20"}
    assert [(b["name"], b.get("private")) for b in boards["items"]] == [("Release 1.2", True), ("Sprint 12", None)]
    one = await call(connect, "list_kanban_boards", SPRINT)
    assert one == {
        "id": SPRINT_BOARD,
        "name": "Sprint 12",
        "description": "What the guild does these two weeks.",
        "state": "open",
    }
    assert (await sim(sandbox, "GET", "org/gitcode-guild/kanban/list", token=None)).status_code == 401


async def test_items_with_their_board_values(connect: Connect, sandbox: Sandbox) -> None:
    items = await call(
        connect, "list_kanban_items", {**SPRINT, "type": "issue", "state": "opened", "repo": "pipelines"}
    )
    assert sandbox.requests[-1].query == {
        "repo": "pipelines",
        "source_type": "issue",
        "source_status": "opened",
        "page": "1",
        "per_page": "20",
    }
    assert items["items"] == [
        {
            "type": "issue",
            "number": 1,
            "repo": "gitcode-guild/pipelines",
            "title": "Capitalise the greeting",
            "state": "opened",
            "values": {"Status": "Todo", "Priority": "High"},
            "url": "https://gitcode.com/gitcode-guild/pipelines/issues/1",
        }
    ]


async def test_adding_sends_all_three_fields_and_removing_an_array(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "add_kanban_items", {**SPRINT, "repo": "pipelines", "issues": [2, 2]})
    assert sandbox.requests[-1].body == {"repo": "pipelines", "issue_iids": [2], "pr_iids": []}
    await call(connect, "remove_kanban_items", {**SPRINT, "repo": "pipelines", "issues": [1]})
    assert sandbox.requests[-1].body == [{"repo": "pipelines", "issue_iids": [1], "pr_iids": []}]
    left = await call(connect, "list_kanban_items", SPRINT)
    assert [i["number"] for i in left["items"]] == [2]
    assert "`issues`" in await refused(connect, "add_kanban_items", {**SPRINT, "repo": "pipelines"})
    assert "Issue 9 not found" in await refused(
        connect, "add_kanban_items", {**SPRINT, "repo": "pipelines", "issues": [9]}
    )
    flat = await sim(
        sandbox, "DELETE", f"org/gitcode-guild/kanban/{SPRINT_BOARD}/remove_item", json={"repo": "pipelines"}
    )
    assert flat.status_code == 400 and "array" in flat.json()["error_message"]


async def test_a_board_closes_with_the_pages_words_only(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "set_kanban_board_state", {**GUILD, "board_id": RELEASE_BOARD, "state": "closed"})
    assert sandbox.requests[-1].body == {"state": "closed"}
    closed = await call(connect, "list_kanban_boards", {**GUILD, "state": "closed"})
    assert [b["name"] for b in closed["items"]] == ["Release 1.2"]
    archived = await sim(sandbox, "PUT", f"org/gitcode-guild/kanban/{RELEASE_BOARD}/state", json={"state": "archived"})
    assert archived.status_code == 400  # AtomGit-MCP-Server's archived/active are not GitCode's words


async def test_an_issue_moves_to_another_board_and_takes_values(connect: Connect, sandbox: Sandbox) -> None:
    args = {**GUILD, "repo": "pipelines", "type": "issue", "number": 1, "board_id": RELEASE_BOARD}
    await call(connect, "move_to_kanban_board", args)
    assert sent(sandbox)[-1] == "PUT org/gitcode-guild/kanban/repo/pipelines/issue/1"
    assert sandbox.requests[-1].body == {"kanban_id": RELEASE_BOARD}
    assert (await call(connect, "list_kanban_items", SPRINT))["items"] == []
    values = {"owner": "gitcode-guild", "repo": "pipelines", "number": 1, "board_id": RELEASE_BOARD}
    done = await call(connect, "set_issue_kanban_values", {**values, "values": ["Status=Doing"]})
    assert sandbox.requests[-1].body == {"kanban_id": RELEASE_BOARD, "values": {"Status": "Doing"}}
    assert done["values"] == {"Status": "Doing"}
    assert "not an option of Status" in await refused(
        connect, "set_issue_kanban_values", {**values, "values": ["Status=Later"]}
    )
    assert "not key=value" in await refused(connect, "set_issue_kanban_values", {**values, "values": ["Status"]})
    off = await refused(
        connect, "set_issue_kanban_values", {**values, "board_id": SPRINT_BOARD, "values": ["Status=Done"]}
    )
    assert "not on this kanban" in off
