"""A user's activity: pushes (seeded, kept beside this area) and what they wrote, grouped by day with a `next`
cursor."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    USER_EVENTS,
)
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import WEB, Kept, Repo, User, World, fake_sha


@dataclass
class Push:
    """A push event of a user's activity (users/{username}/events)."""

    repo: str  # full name
    ref: str
    commit_from: str
    commit_to: str
    title: str
    created_at: str
    commit_count: int = 1


@dataclass
class Pushes(Kept):
    """A user's push events (users/{username}/events; their other events come from what they wrote)."""

    pushes: list[Push] = field(default_factory=list)


EVENTS_PER_ANSWER = 20  # how many events one answer holds; the `next` cursor reaches older ones


def seed(world: World) -> None:
    alice = world.users["alice"]
    demo = world.repos["alice/demo"]
    Pushes.of(alice).pushes = [
        Push(
            "alice/demo",
            "feature",
            demo.head_sha("main"),
            demo.head_sha("feature"),
            "Type hints and a main()",
            "2026-11-20T09:40:00+08:00",
            2,
        ),
        Push(
            "alice/demo",
            "docs",
            demo.head_sha("main"),
            demo.head_sha("docs"),
            "Rename the guide; add sample data",
            "2026-11-21T09:10:00+08:00",
        ),
        Push(
            "alice/secret", "main", fake_sha("secret", 0), fake_sha("secret", 1), "Notes", "2026-11-22T08:00:00+08:00"
        ),
    ]


def _author(user: User) -> dict[str, Any]:
    return {
        "id": int(user.id[-6:], 16),  # events carry integer author ids (ref), unlike the 24-hex profile id
        "iam_id": fake_sha("iam", user.login)[:32],
        "username": user.login,
        "state": "active",
        "avatar_url": f"https://cdn-img.gitcode.com/{user.id}.png",
        "email": "",
        "name": user.name,
        "name_cn": user.name,
        "web_url": f"{WEB}/{user.login}",
    }


def _event(sb: Sandbox, user: User, repo: Repo, action: int, name: str, at: str, **extra: Any) -> dict[str, Any]:
    return {
        "action": action,
        "action_name": name,
        "author": _author(user),
        "author_id": int(user.id[-6:], 16),
        "author_username": user.login,
        "created_at": at,
        "project": {
            "main_repository_language": [None, None],
            "star_count": sum(repo.full_name in u.starred for u in sb.world.users.values()),
            "forks_count": 0,
            "develop_mode": "normal",
            "stared": False,
        },
        "project_id": repo.id,
        "project_name": repo.full_name,
        **extra,
        "_links": {"project": repo.web_url, "action_type": ""},
    }


def activity(sb: Sandbox, user: User, caller: User | None) -> list[dict[str, Any]]:
    """The user's pushes (seeded), and the PRs, issues and PR comments they wrote (live state, so what another area
    creates shows here), in repositories the caller can see, newest first. Pushes follow the ref example; the
    other kinds follow GitLab's event shape (target_type, target_iid, target_title, note), which the ref's
    GitLab-style fields suggest but does not show."""
    out: list[dict[str, Any]] = []
    for p in Pushes.of(user).pushes:
        repo = sb.world.repos.get(p.repo)
        if repo and access(sb.world, repo, caller).read:
            push = {
                "commit_count": p.commit_count,
                "action": "pushed",
                "ref_type": "branch",
                "commit_from": p.commit_from,
                "commit_to": p.commit_to,
                "ref": p.ref,
                "commit_title": p.title,
            }
            out.append(_event(sb, user, repo, 5, "pushed to", p.created_at, push_data=push))
    for repo in sb.world.repos.values():
        if not access(sb.world, repo, caller).read:
            continue
        for kind, items in (("MergeRequest", repo.pulls.values()), ("Issue", repo.issues.values())):
            for item in items:
                if item.user.login == user.login:
                    target = {"target_id": item.id, "target_iid": item.number, "target_type": kind}
                    out.append(_event(sb, user, repo, 1, "opened", item.created_at, **target, target_title=item.title))
        for pr in repo.pulls.values():
            for c in (c for top in pr.comments for c in (top, *top.replies)):
                if c.user.login == user.login:
                    note = {"body": c.body, "noteable_type": "MergeRequest", "noteable_iid": pr.number}
                    target = {"target_id": c.id, "target_type": "DiffNote" if c.is_diff else "Note"}
                    out.append(
                        _event(
                            sb, user, repo, 6, "commented on", c.created_at, **target, target_title=pr.title, note=note
                        )
                    )
    return sorted(out, key=lambda e: _when(e["created_at"]), reverse=True)


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@route("GET", USER_EVENTS)
async def events(sb: Sandbox, call: Call) -> Response:
    need_token(call)  # ref: access_token*
    user = sb.world.users.get(call.params["username"])
    if user is None:
        raise Refusal(404, "Not Found User")
    found = activity(sb, user, call.caller)
    if year := call.query.get("year"):
        if not year.isdigit():
            raise Refusal(400, "year must be a year such as 2024", "VALIDATION_ERROR")
        found = [e for e in found if _when(e["created_at"]).year == int(year)]
    if before := call.query.get("next"):
        try:
            end = _when(before)
        except ValueError:
            raise Refusal(400, "next must be a date-time", "VALIDATION_ERROR") from None
        found = [e for e in found if _when(e["created_at"]) < end]
    shown, rest = found[:EVENTS_PER_ANSWER], found[EVENTS_PER_ANSWER:]
    by_day: dict[str, list[dict[str, Any]]] = {}
    for e in shown:
        by_day.setdefault(e["created_at"][:10], []).append(e)
    # `next` is the end date to ask with for older events; none when nothing older is left.
    return JSONResponse({"events": by_day, "next": shown[-1]["created_at"] if rest else None})
