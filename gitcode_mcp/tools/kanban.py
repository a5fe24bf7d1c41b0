"""Kanban boards of an organization: list boards, a board's detail and its items, add and remove issues and pull
requests, open or close a board, put an issue or pull request on a board, and set an issue's board field values.

Evidence: GitCode's reference pages (docs.gitcode.com/en/docs/apis/..., read through AndyKong2020/gitcode-api-skill's
copies): get-api-v-5-org-owner-kanban-list (`status` 0 open / 1 closed, `sort` newest|oldest, `search`; answers
`{all_count, open_count, close_count, content}`), -kanban-id-detail, -kanban-kanban-id-item-list (`repo`,
`source_type` issue|merge_request, `source_status` opened|closed|merged, `title`), post-...-add-item and
delete-...-remove-item-new (`{repo, issue_iids, pr_iids}`; removal takes a JSON array of them),
put-...-kanban-kanban-id-state (`{"state": "open"|"closed"}`; AtomGit-MCP-Server sends archived/active, the page wins)
and put-...-kanban-repo-repo-type-iid-new (`{"kanban_id"}`). Board ids are strings. `issues/{number}/kanban_values`
is in AtomGit's index only: its body follows AtomGit-MCP-Server (`{kanban_id, values}`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp.endpoints import (
    ISSUE_KANBAN_VALUES,
    KANBAN_ADD_ITEMS,
    KANBAN_BOARD,
    KANBAN_BOARDS,
    KANBAN_ITEM_BOARD,
    KANBAN_ITEMS,
    KANBAN_REMOVE_ITEMS,
    KANBAN_STATE,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, PerPage, get_page, gitcode, key_values, payload
from gitcode_mcp.views import Obj, View, as_int, at, logins, names, sub, to_text

kanban = Toolset("kanban", "Organization kanban boards: boards, their items, and an issue's place on a board")


GUILD = {"owner": "gitcode-guild"}
SPRINT_BOARD = "66b1f0a2c3d4e5f60718293a"  # the simulator's seeded board "Sprint 12"
RELEASE_BOARD = "7c2e1d0b9a8f7e6d5c4b3a29"  # and "Release 1.2"

BoardId = Annotated[str, Field(description="From list_kanban_boards")]
Kind = Literal["issue", "merge_request"]


def _state(value: object) -> object:
    return {0: "open", 1: "closed"}.get(as_int(value), value)


BOARD = View(
    id="id",
    name="name",
    description="description",
    state=at("status", _state),
    private=at("visibility", lambda v: as_int(v) == 2 or None),
    updated_at="updated_at",
)


def _values(item: Obj) -> dict[str, object]:
    found = item.get("values")
    return (
        {str(v.get("field_name")): sub(v, "value").get("value") for v in found if isinstance(v, dict)}
        if isinstance(found, list)
        else {}
    )


ITEM = View(
    type="source_type",
    number=at("number", as_int),
    repo=lambda i: sub(i, "repo").get("full_name"),
    title="title",
    state="status",
    labels=at("labels", names),
    assignees=at("assignees", logins),
    values=_values,
    url="html_url",
)
NO_BOARD = {404: "no such board in this organization: list_kanban_boards gives ids"}


@kanban.read(
    Example(GUILD, f"GET {KANBAN_BOARDS}"),
    Example({**GUILD, "state": "open", "search": "sprint"}, f"GET {KANBAN_BOARDS}"),
    Example({**GUILD, "board_id": SPRINT_BOARD}, f"GET {KANBAN_BOARD}"),
)
async def list_kanban_boards(
    owner: str,
    ctx: Context,
    board_id: BoardId | None = None,
    state: Literal["open", "closed"] | None = None,
    search: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List an organization's kanban boards, newest first, or get one (board_id)."""
    client = gitcode(ctx)
    if board_id is not None:
        reply = await client.get(api_path(KANBAN_BOARD, owner=owner, kanban_id=board_id), hints=NO_BOARD)
        return to_text(BOARD(reply.object()))
    query = payload(status={"open": 0, "closed": 1}.get(state or ""), search=search, sort="newest")
    reply = await client.get(api_path(KANBAN_BOARDS, owner=owner), {**query, "page": page, "per_page": per_page})
    body = reply.object()
    boards = BOARD.many(body["content"]) if isinstance(body.get("content"), list) else []
    total = as_int(body.get({"open": "open_count", "closed": "close_count"}.get(state or "", "all_count")))
    more = page * per_page < total if isinstance(total, int) else len(boards) >= per_page
    return to_text({"page": page, "has_more": more, "items": boards})


@kanban.read(
    Example({**GUILD, "board_id": SPRINT_BOARD}, f"GET {KANBAN_ITEMS}"),
    Example(
        {**GUILD, "board_id": SPRINT_BOARD, "repo": "pipelines", "type": "issue", "state": "opened"},
        f"GET {KANBAN_ITEMS}",
    ),
)
async def list_kanban_items(
    owner: str,
    board_id: BoardId,
    ctx: Context,
    repo: str | None = None,
    type: Kind | None = None,
    state: Literal["opened", "closed", "merged"] | None = None,
    title: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List the issues and pull requests on a kanban board, with their board values."""
    query = payload(repo=repo, source_type=type, source_status=state, title=title)
    return await get_page(ctx, KANBAN_ITEMS, ITEM, page, per_page, query, owner=owner, kanban_id=board_id)


def _items(repo: str, issues: list[int] | None, pull_requests: list[int] | None) -> dict[str, object]:
    if not issues and not pull_requests:
        raise InvalidArgument("issues", "give at least one issue or pull request number")
    # All three are required by the reference pages, the empty list included.
    return {
        "repo": repo,
        "issue_iids": list(dict.fromkeys(issues or [])),
        "pr_iids": list(dict.fromkeys(pull_requests or [])),
    }


Numbers = list[Number]


@kanban.write(
    Example({**GUILD, "board_id": SPRINT_BOARD, "repo": "pipelines", "issues": [2]}, f"POST {KANBAN_ADD_ITEMS}"),
    idempotent=True,
)
async def add_kanban_items(
    owner: str,
    board_id: BoardId,
    repo: str,
    ctx: Context,
    issues: Numbers | None = None,
    pull_requests: Numbers | None = None,
) -> str:
    """Put a repository's issues or pull requests (by number) on a kanban board."""
    body = _items(repo, issues, pull_requests)
    await gitcode(ctx).request(
        "POST", api_path(KANBAN_ADD_ITEMS, owner=owner, kanban_id=board_id), json=body, hints=NO_BOARD
    )
    return to_text({"board_id": board_id, "added": body})


@kanban.destructive(
    Example({**GUILD, "board_id": SPRINT_BOARD, "repo": "pipelines", "issues": [1]}, f"DELETE {KANBAN_REMOVE_ITEMS}"),
    idempotent=True,
)
async def remove_kanban_items(
    owner: str,
    board_id: BoardId,
    repo: str,
    ctx: Context,
    issues: Numbers | None = None,
    pull_requests: Numbers | None = None,
) -> str:
    """Take issues or pull requests off a kanban board, with their board values; this cannot be undone."""
    body = _items(repo, issues, pull_requests)
    # The reference page's body is an array of these objects.
    await gitcode(ctx).request(
        "DELETE", api_path(KANBAN_REMOVE_ITEMS, owner=owner, kanban_id=board_id), json=[body], hints=NO_BOARD
    )
    return to_text({"board_id": board_id, "removed": body})


@kanban.write(Example({**GUILD, "board_id": RELEASE_BOARD, "state": "closed"}, f"PUT {KANBAN_STATE}"), idempotent=True)
async def set_kanban_board_state(
    owner: str,
    board_id: BoardId,
    state: Literal["open", "closed"],
    ctx: Context,
) -> str:
    """Close a kanban board, or reopen it."""
    await gitcode(ctx).request(
        "PUT", api_path(KANBAN_STATE, owner=owner, kanban_id=board_id), json={"state": state}, hints=NO_BOARD
    )
    return to_text({"board_id": board_id, "state": state})


@kanban.write(
    Example(
        {**GUILD, "repo": "pipelines", "type": "issue", "number": 1, "board_id": RELEASE_BOARD},
        f"PUT {KANBAN_ITEM_BOARD}",
    ),
    idempotent=True,
)
async def move_to_kanban_board(
    owner: str,
    repo: str,
    type: Kind,
    number: Number,
    board_id: BoardId,
    ctx: Context,
) -> str:
    """Put an issue or pull request on another kanban board of its organization."""
    await gitcode(ctx).request(
        "PUT",
        api_path(KANBAN_ITEM_BOARD, owner=owner, repo=repo, type=type, iid=number),
        json={"kanban_id": board_id},
        hints={404: "check the repository, the number and the board id"},
    )
    return to_text({"type": type, "number": number, "board_id": board_id})


@kanban.write(
    Example(
        {
            "owner": "gitcode-guild",
            "repo": "pipelines",
            "number": 1,
            "board_id": SPRINT_BOARD,
            "values": ["Status=Doing"],
        },
        f"PUT {ISSUE_KANBAN_VALUES}",
    ),
    idempotent=True,
)
async def set_issue_kanban_values(
    owner: str,
    repo: str,
    number: Number,
    board_id: BoardId,
    values: Annotated[list[str], Field(description="field=value, like Status=Doing")],
    ctx: Context,
) -> str:
    """Set an issue's field values on a kanban board (its column, priority, ...)."""
    fields = key_values("values", values)
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(ISSUE_KANBAN_VALUES, owner=owner, repo=repo, number=number),
        json={"kanban_id": board_id, "values": fields},
        hints={400: "a field or value the board does not have: list_kanban_items shows them", 404: "check the issue"},
    )
    answer = reply.data if isinstance(reply.data, dict) else {}
    return to_text({"number": number, "board_id": board_id, "values": _values(answer) or fields})
