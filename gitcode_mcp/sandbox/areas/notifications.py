"""A repository's notifications for the caller: listed (newest first, `unread`, `participating`, `type` event or
referer, `since`/`before`, paged) and marked read (`ids` comma-separated, none: all).

No GitCode page with these two operations' parameters was found: they follow Gitee v5 ("列出一个仓库里的通知",
"标记一个仓库里的通知为已读"), which reads `ids` from the form; the query is read too. The list answers as AtomGit
documents its notification list, `{"total", "list": [...]}` with items `{id (string), content, type, unread,
updated_at, url, html_url, actor, namespace, subject, repository}`; marking answers 205 with no body (Gitee).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import REPO_NOTIFICATIONS
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page_window, route
from gitcode_mcp.sandbox.state import API, Kept, Repo, User, World


@dataclass
class Notification:
    """A notification to `recipient` about a repository: an @mention (referer) or an event on an issue or PR."""

    id: str
    recipient: str  # login
    actor: User
    type: str  # event | referer
    content: str
    subject_title: str
    subject_type: str  # Issue | PullRequest
    subject_number: int
    updated_at: str
    unread: bool = True


@dataclass
class Notifications(Kept):
    """A repository's notifications, for all users: each has its recipient."""

    notifications: list[Notification] = field(default_factory=list)


def seed(world: World) -> None:
    """Three notifications about alice/demo: two to alice (bob's @mention on issue 1, unread; PR 2's review
    request, read) and one to bob. Fixed ids: the shared counter is left alone."""
    demo = world.repo("alice", "demo")
    if demo is None or Notifications.of(demo).notifications:
        return
    alice, bob = world.users["alice"], world.users["bob"]
    Notifications.of(demo).notifications = [
        Notification(
            "5400001",
            "alice",
            bob,
            "referer",
            "@alice can you look at the empty-name crash?",
            "Crash when the name is empty",
            "Issue",
            1,
            "2026-11-19T15:05:00+08:00",
        ),
        Notification(
            "5400002",
            "alice",
            bob,
            "event",
            "bob commented on the pull request",
            "Rename the guide; add sample data",
            "PullRequest",
            2,
            "2026-11-21T11:00:00+08:00",
            unread=False,
        ),
        Notification(
            "5400003",
            "bob",
            alice,
            "event",
            "alice assigned the pull request to you",
            "Type hints and a main()",
            "PullRequest",
            1,
            "2026-11-20T10:00:00+08:00",
        ),
    ]


def render(repo: Repo, n: Notification) -> dict[str, Any]:
    kind = "issues" if n.subject_type == "Issue" else "pulls"
    web = f"{repo.web_url}/{'issues' if kind == 'issues' else 'merge_requests'}/{n.subject_number}"
    return {
        "id": n.id,
        "content": n.content,
        "type": n.type,
        "unread": n.unread,
        "mute": False,
        "updated_at": n.updated_at,
        "url": f"{API}/notifications/threads/{n.id}",
        "html_url": web,
        "actor": {**shapes.user(n.actor), "url": f"{API}/users/{n.actor.login}", "type": "User", "site_admin": False},
        "namespace": {"id": str(repo.id), "name": repo.name, "path": repo.full_name, "type": "project"},
        "repository": {"id": repo.id, "full_name": repo.full_name, "human_name": f"{repo.owner.login} / {repo.name}"},
        "subject": {
            "title": n.subject_title,
            "url": f"{repo.api_url}/{kind}/{n.subject_number}",
            "latest_comment_url": "",
            "type": n.subject_type,
        },
    }


def flag(call: Call, name: str) -> bool | None:
    value = call.query.get(name)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise Refusal(400, f"{name} must be true or false")
    return value == "true"


@route("GET", REPO_NOTIFICATIONS)
async def list_notifications(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    unread, kind = flag(call, "unread"), call.query.get("type", "all")
    since, before = call.query.get("since"), call.query.get("before")
    if kind not in ("all", "event", "referer"):
        raise Refusal(400, "type must be one of [all, event, referer]")
    found = [
        n
        for n in Notifications.of(repo).notifications
        if n.recipient == user.login
        and (unread is None or n.unread == unread)
        and kind in ("all", n.type)
        and (since is None or n.updated_at >= since)
        and (before is None or n.updated_at < before)
    ]
    found.sort(key=lambda n: n.updated_at, reverse=True)
    number, size = page_window(call)
    shown = found[(number - 1) * size : number * size]
    return JSONResponse({"total": len(found), "list": [render(repo, n) for n in shown]})


@route("PUT", REPO_NOTIFICATIONS)
async def mark_read(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    raw = call.data().get("ids") or call.query.get("ids") or ""
    if not isinstance(raw, str):
        raise Refusal(400, "ids must be a string; separate several with commas")
    ids = {i.strip() for i in raw.split(",") if i.strip()}
    mine = [n for n in Notifications.of(repo).notifications if n.recipient == user.login]
    if unknown := ids - {n.id for n in mine}:
        raise Refusal(404, f"Not Found Notification {sorted(unknown)[0]}")
    for n in mine:
        if not ids or n.id in ids:
            n.unread = False
    return Response(status_code=205)
