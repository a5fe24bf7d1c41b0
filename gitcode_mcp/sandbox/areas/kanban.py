"""Kanban boards of organizations, in the shapes of GitCode's reference pages (get-api-v-5-org-owner-kanban-list:
`{all_count, open_count, close_count, content: [{id, iid, name, description, status, visibility, updated_at}]}`;
-kanban-id-detail; -kanban-kanban-id-item-list: items with `source_type`, `status`, `repo`, `labels`, `values`,
`assignees`). Writes as the pages give them: add_item `{repo, issue_iids, pr_iids}` (all three required), remove_item
a JSON array of those, state `{"state": "open"|"closed"}`, an item's board `{"kanban_id"}`; an issue's board values
`{kanban_id, values}` (AtomGit-MCP-Server; no page). An issue or pull request is on at most one board of its
organization. The refusals' words are the simulator's (GitCode's are not recorded).

Seeded on gitcode-guild: "Sprint 12" (open, public, fields Status and Priority) holding gitcode-guild/pipelines issue 1,
and "Release 1.2" (open, private). pipelines gets issues 1 and 2 here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

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
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import is_org_member, owning_org
from gitcode_mcp.sandbox.areas.actions.seed import seed as seed_actions
from gitcode_mcp.sandbox.areas.issues import render_issue
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, page_window, route
from gitcode_mcp.sandbox.state import WEB, Issue, Kept, Org, Repo, User, World

SPRINT_BOARD = "66b1f0a2c3d4e5f60718293a"  # gitcode-guild's seeded board "Sprint 12"
RELEASE_BOARD = "7c2e1d0b9a8f7e6d5c4b3a29"  # and "Release 1.2"

FIELDS = {"Status": ["Todo", "Doing", "Done"], "Priority": ["High", "Medium", "Low"]}
COLORS = {
    "Todo": "#8C92A4",
    "Doing": "#2865E0",
    "Done": "#21BA45",
    "High": "#E03529",
    "Medium": "#FFB800",
    "Low": "#8C92A4",
}
KINDS = ("issue", "merge_request")


@dataclass
class Item:
    repo: str  # full name
    kind: str  # issue | merge_request
    number: int
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Board:
    id: str
    iid: int
    org: str
    name: str
    description: str
    closed: bool = False
    public: bool = True
    updated_at: str = "2026-11-28T10:00:00+08:00"
    items: list[Item] = field(default_factory=list)


@dataclass
class Boards(Kept):
    """The world's kanban boards by their id."""

    by_id: dict[str, Board] = field(default_factory=dict)


def boards(world: World) -> dict[str, Board]:
    return Boards.of(world).by_id


def seed(world: World) -> None:
    """The boards of gitcode-guild, on the issues of its pipelines repository (the actions area's)."""
    seed_actions(world)
    found = boards(world)
    pipelines = world.repo("gitcode-guild", "pipelines")
    if found or pipelines is None:
        return
    bob = world.users["bob"]
    pipelines.issues[1] = Issue(
        8_720_201,
        1,
        "Capitalise the greeting",
        "greet('world') should say 'Hello, world!'.",
        bob,
        "2026-11-28T09:00:00+08:00",
    )
    pipelines.issues[2] = Issue(8_720_202, 2, "Add a farewell", "", bob, "2026-11-28T09:30:00+08:00")
    sprint = Board(SPRINT_BOARD, 12, "gitcode-guild", "Sprint 12", "What the guild does these two weeks.")
    sprint.items.append(Item(pipelines.full_name, "issue", 1, {"Status": "Todo", "Priority": "High"}))
    release = Board(RELEASE_BOARD, 13, "gitcode-guild", "Release 1.2", "Everything in 1.2.", public=False)
    found.update({b.id: b for b in (sprint, release)})


def render_board(b: Board, brief: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": b.id,
        "name": b.name,
        "description": b.description,
        "status": int(b.closed),
        "visibility": 1 if b.public else 2,
    }
    return {**out, "iid": b.iid, "updated_at": b.updated_at} if brief else out


def render_item(sb: Sandbox, item: Item) -> dict[str, Any]:
    repo = sb.world.repos[item.repo]
    issue = repo.issues.get(item.number) if item.kind == "issue" else None
    pull = repo.pulls.get(item.number) if item.kind == "merge_request" else None
    target: Any = issue or pull
    rendered = render_issue(repo, issue) if issue else {}
    state = {"open": "opened"}.get(target.state, target.state) if target else "opened"
    web = f"{repo.web_url}/{'issues' if issue else 'merge_requests'}/{item.number}"
    return {
        "id": target.id if target else 0,
        "number": item.number,
        "title": target.title if target else "",
        "source_type": item.kind,
        "status": state,
        "html_url": web,
        "url": f"{repo.api_url}/{'issues' if issue else 'pulls'}/{item.number}",
        "repo": {
            "id": repo.id,
            "full_name": repo.full_name,
            "human_name": repo.full_name,
            "url": repo.api_url,
            "name": repo.name,
        },
        "labels": rendered.get("labels", []),
        "values": [
            {
                "field_name": name,
                "field_type": "select_single",
                "value": {"color": COLORS.get(value, ""), "value": value, "position": FIELDS[name].index(value)},
            }
            for name, value in item.values.items()
        ],
        "assignees": [{**shapes.user(a), "url": f"{WEB}/{a.login}"} for a in (issue.assignees if issue else [])],
        "reviewers": [],
        "linked_pull_requests": [],
    }


def org_of(sb: Sandbox, call: Call) -> tuple[Org, User]:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["owner"])
    if org is None:
        raise Refusal(404, "Not Found Group")
    return org, user


def visible(org: Org, user: User, board: Board) -> bool:
    return board.public or is_org_member(org, user)


def board_of(sb: Sandbox, call: Call, write: bool = False) -> tuple[Org, Board]:
    org, user = org_of(sb, call)
    board = boards(sb.world).get(call.params["kanban_id"])
    if board is None or board.org != org.login or not visible(org, user, board):
        raise Refusal(404, "Kanban not found")
    if write and not is_org_member(org, user):
        raise Refusal(403, "Only the organization's members may change its boards", "FORBIDDEN")
    return org, board


@route("GET", KANBAN_BOARDS)
async def list_boards(sb: Sandbox, call: Call) -> Response:
    org, user = org_of(sb, call)
    q = call.query
    if q.get("status") not in (None, "0", "1"):
        raise Refusal(400, "status must be 0 (open) or 1 (closed)")
    if q.get("sort", "newest") not in ("newest", "oldest") or q.get("visibility") not in (None, "1", "2"):
        raise Refusal(400, "sort must be newest or oldest, visibility 1 or 2")
    mine = [b for b in boards(sb.world).values() if b.org == org.login and visible(org, user, b)]
    found = [
        b
        for b in mine
        if q.get("status") in (None, str(int(b.closed)))
        and q.get("visibility") in (None, "1" if b.public else "2")
        and q.get("search", "").lower() in b.name.lower()
    ]
    found.sort(key=lambda b: b.iid, reverse=q.get("sort", "newest") == "newest")
    number, size = page_window(call)
    body = {
        "all_count": len(mine),
        "open_count": sum(not b.closed for b in mine),
        "close_count": sum(b.closed for b in mine),
        "content": [render_board(b, brief=True) for b in found[(number - 1) * size : number * size]],
    }
    return JSONResponse(body)


@route("GET", KANBAN_BOARD)
async def board_detail(sb: Sandbox, call: Call) -> Response:
    return JSONResponse(render_board(board_of(sb, call)[1]))


@route("GET", KANBAN_ITEMS)
async def list_items(sb: Sandbox, call: Call) -> Response:
    _, board = board_of(sb, call)
    q = call.query
    if q.get("source_type") not in (None, *KINDS) or q.get("source_status") not in (None, "opened", "closed", "merged"):
        raise Refusal(400, "source_type must be issue or merge_request, source_status opened, closed or merged")
    rendered = [render_item(sb, i) for i in board.items if q.get("repo") in (None, i.repo.split("/", 1)[1], i.repo)]
    found = [
        r
        for r in rendered
        if q.get("source_type") in (None, r["source_type"])
        and q.get("source_status") in (None, r["status"])
        and q.get("title", "").lower() in r["title"].lower()
    ]
    return page(call, found)


def org_repo(sb: Sandbox, org: Org, name: Any) -> Repo:
    repo = sb.world.repo(org.login, name) if isinstance(name, str) else None
    if repo is None:
        raise Refusal(404, "Not Found Project")
    return repo


def wanted(sb: Sandbox, org: Org, body: Any) -> list[Item]:
    """The items a body of `{repo, issue_iids, pr_iids}` names, each checked to exist."""
    if not isinstance(body, dict):
        raise Refusal(400, "the body must be an object with repo, issue_iids and pr_iids")
    for key in ("repo", "issue_iids", "pr_iids"):
        if key not in body:
            raise Refusal(400, f"{key} is required")
    repo = org_repo(sb, org, body["repo"])
    items = []
    for key, kind, known in (("issue_iids", "issue", repo.issues), ("pr_iids", "merge_request", repo.pulls)):
        numbers = body[key]
        if not isinstance(numbers, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in numbers):
            raise Refusal(400, f"{key} must be a list of integers")
        for n in numbers:
            if n not in known:
                raise Refusal(404, f"{'Issue' if kind == 'issue' else 'Pull request'} {n} not found in {repo.name}")
            items.append(Item(repo.full_name, kind, n))
    return items


def take_off(sb: Sandbox, org: Org, item: Item) -> None:
    for board in boards(sb.world).values():
        if board.org == org.login:
            board.items = [i for i in board.items if (i.repo, i.kind, i.number) != (item.repo, item.kind, item.number)]


@route("POST", KANBAN_ADD_ITEMS)
async def add_items(sb: Sandbox, call: Call) -> Response:
    org, board = board_of(sb, call, write=True)
    for item in wanted(sb, org, call.body):
        if not any((i.repo, i.kind, i.number) == (item.repo, item.kind, item.number) for i in board.items):
            take_off(sb, org, item)
            board.items.append(item)
    return JSONResponse({})


@route("DELETE", KANBAN_REMOVE_ITEMS)
async def remove_items(sb: Sandbox, call: Call) -> Response:
    org, board = board_of(sb, call, write=True)
    if not isinstance(call.body, list):
        raise Refusal(400, "the body must be an array of {repo, issue_iids, pr_iids}")
    gone = {(i.repo, i.kind, i.number) for part in call.body for i in wanted(sb, org, part)}
    board.items = [i for i in board.items if (i.repo, i.kind, i.number) not in gone]
    return JSONResponse({})


@route("PUT", KANBAN_STATE)
async def set_state(sb: Sandbox, call: Call) -> Response:
    _, board = board_of(sb, call, write=True)
    state = call.data().get("state")
    if state not in ("open", "closed"):
        raise Refusal(400, "state must be open or closed")
    board.closed = state == "closed"
    return Response(status_code=200)


@route("PUT", KANBAN_ITEM_BOARD)
async def move_item(sb: Sandbox, call: Call) -> Response:
    org, user = org_of(sb, call)
    if not is_org_member(org, user):
        raise Refusal(403, "Only the organization's members may change its boards", "FORBIDDEN")
    kind = call.params["type"]
    if kind not in KINDS:
        raise Refusal(400, "type must be issue or merge_request")
    repo = org_repo(sb, org, call.params["repo"])
    if call.params["iid"] not in (repo.issues if kind == "issue" else repo.pulls):
        raise Refusal(404, f"{kind} {call.params['iid']} not found")
    target = boards(sb.world).get(str(call.data().get("kanban_id")))
    if target is None or target.org != org.login:
        raise Refusal(404, "Kanban not found")
    item = Item(repo.full_name, kind, call.params["iid"])
    take_off(sb, org, item)
    target.items.append(item)
    return JSONResponse({})


@route("PUT", ISSUE_KANBAN_VALUES)
async def set_values(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    user = need_token(call)
    org = owning_org(sb.world, repo)
    if org is None or not is_org_member(org, user):
        raise Refusal(403, "Only the organization's members may change its boards", "FORBIDDEN")
    number = call.params["number"]
    if number not in repo.issues:
        raise Refusal(404, "Not Found Issue")
    data = call.data()
    board = boards(sb.world).get(str(data.get("kanban_id")))
    if board is None or board.org != org.login:
        raise Refusal(404, "Kanban not found")
    item = next((i for i in board.items if (i.repo, i.kind, i.number) == (repo.full_name, "issue", number)), None)
    if item is None:
        raise Refusal(400, "The issue is not on this kanban")
    values = data.get("values")
    if not isinstance(values, dict) or not values:
        raise Refusal(400, "values must be an object of field names and values")
    for name, value in values.items():
        if name not in FIELDS:
            raise Refusal(400, f"Unknown kanban field: {name}")
        if value not in FIELDS[name]:
            raise Refusal(400, f"{value} is not an option of {name}: {', '.join(FIELDS[name])}")
    item.values.update(values)
    return JSONResponse(render_item(sb, item))
