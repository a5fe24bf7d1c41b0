"""Milestones, in the GitCode reference's shape (docs.gitcode.com/docs/repos/milestone): identified by `number`
(probe: docs/gitcode-behaviour.md, Issues), state read back as `active` or `closed`, `due_on` a date, open and closed
issue counts, the web URL under `url`. Lists filter by state (default open) and sort by due_on (default asc). Create and
update require title and due_on (ref marks both required on both); update takes state open or closed. Deleting one
takes it off its issues and PRs. Titles stay in Repo.milestones (the issues and pulls areas render them from there).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import MILESTONE, MILESTONES
from gitcode_mcp.sandbox.areas.labels import writable
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, page, route
from gitcode_mcp.sandbox.state import Kept, Repo, World, now


@dataclass
class MilestoneMeta:
    """A milestone's details (its title is in Repo.milestones)."""

    due_on: str  # YYYY-MM-DD
    description: str = ""
    state: str = "open"  # open | closed
    created_at: str = "2025-06-10T14:17:23+08:00"
    updated_at: str = ""


@dataclass
class MilestoneDetails(Kept):
    """A repository's milestones' details by number, made on first use for the seeded ones."""

    milestone_meta: dict[int, MilestoneMeta] = field(default_factory=dict)


def seed(world: World) -> None:
    """alice/demo's milestone 1 (v1.0, which issue 1 is on) gets its details."""
    demo = world.repo("alice", "demo")
    if demo is not None and 1 in demo.milestones:
        MilestoneDetails.of(demo).milestone_meta.setdefault(
            1, MilestoneMeta("2026-12-31", "The first release.", created_at="2026-11-18T09:30:00+08:00")
        )


def meta(repo: Repo, number: int) -> MilestoneMeta:
    """A milestone's details, made the first time one created elsewhere (without them) is seen."""
    return MilestoneDetails.of(repo).milestone_meta.setdefault(
        number, MilestoneMeta("2026-12-31", created_at=repo.created_at)
    )


def render(repo: Repo, number: int) -> dict[str, Any]:
    m = meta(repo, number)
    on_it = [i for i in repo.issues.values() if i.milestone == number]
    return {
        "closed_issues": sum(i.state == "closed" for i in on_it),
        "created_at": m.created_at,
        "description": m.description,
        "due_on": m.due_on,
        "number": number,
        "open_issues": sum(i.state == "open" for i in on_it),
        "repository_id": repo.id,
        "state": "active" if m.state == "open" else "closed",
        "title": repo.milestones[number],
        "updated_at": m.updated_at or m.created_at,
        "url": f"{repo.web_url}/milestones/{number}",
    }


def number_in(repo: Repo, call: Call) -> int:
    number = call.params["number"]
    if number not in repo.milestones:
        raise Refusal(404, "Not Found Milestone")
    return number


def fields(data: dict[str, Any]) -> tuple[str, str]:
    title, due_on = data.get("title"), data.get("due_on")
    if not isinstance(title, str) or not title.strip():
        raise Refusal(400, "title is required")
    if len(title) > 255:
        raise Refusal(422, "title is too long (maximum is 255 characters)")
    try:
        due = date.fromisoformat(str(due_on)[:10]).isoformat()
    except ValueError:
        raise Refusal(400, "due_on is required, as YYYY-MM-DD") from None
    if data.get("description") is not None and not isinstance(data["description"], str):
        raise Refusal(400, "description must be a string")
    return title, due


@route("GET", MILESTONES)
async def list_milestones(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    state = call.query.get("state", "open")
    direction = call.query.get("direction", "asc")
    if state not in ("open", "closed", "all") or direction not in ("asc", "desc"):
        raise Refusal(400, "state is open, closed or all; direction asc or desc")
    if call.query.get("sort", "due_on") != "due_on":
        raise Refusal(400, "sort must be due_on")
    found = [n for n in repo.milestones if state in ("all", meta(repo, n).state)]
    found.sort(key=lambda n: (meta(repo, n).due_on, n), reverse=direction == "desc")
    return page(call, [render(repo, n) for n in found])


@route("GET", MILESTONE)
async def get_milestone(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render(repo, number_in(repo, call)))


@route("POST", MILESTONES)
async def create_milestone(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    data = call.data()
    title, due_on = fields(data)
    number = max(repo.milestones, default=0) + 1
    repo.milestones[number] = title
    stamp = now()
    MilestoneDetails.of(repo).milestone_meta[number] = MilestoneMeta(
        due_on, data.get("description") or "", "open", stamp, stamp
    )
    return JSONResponse(render(repo, number), status_code=201)


@route("PATCH", MILESTONE)
async def update_milestone(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    number = number_in(repo, call)
    data = call.data()
    title, due_on = fields(data)
    state = data.get("state")
    if state is not None and state not in ("open", "closed"):
        raise Refusal(400, "state must be one of [open, closed]")
    m = meta(repo, number)
    repo.milestones[number] = title
    m.due_on, m.state, m.updated_at = due_on, state or m.state, now()
    if isinstance(data.get("description"), str):
        m.description = data["description"]
    return JSONResponse(render(repo, number))


@route("DELETE", MILESTONE)
async def delete_milestone(sb: Sandbox, call: Call) -> Response:
    repo = writable(sb, call)
    number = number_in(repo, call)
    del repo.milestones[number]
    MilestoneDetails.of(repo).milestone_meta.pop(number, None)
    for item in (*repo.issues.values(), *repo.pulls.values()):
        if item.milestone == number:
            item.milestone = None
    return Response(status_code=204)
