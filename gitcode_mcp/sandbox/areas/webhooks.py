"""Repository webhooks (docs.gitcode.com/v1-docs/docs/openapi/repos/webhooks): listed, read, created, updated,
tested and deleted by the repository's administrators. Answers carry the hook's `password` in plain text, as the ref's
example does: the tools mask it, not the simulator. A PATCH takes `url` like the create (the gitcode-api package
sends it on every update); a test delivery is recorded as the hook's last `result` / `result_code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import HOOK, HOOK_TESTS, HOOKS
from gitcode_mcp.sandbox.areas.collaborators import need_admin
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, page, route
from gitcode_mcp.sandbox.state import Kept, Repo, World, now


@dataclass
class Hook:
    """A repository webhook (areas/webhooks.py). GitCode answers its password in plain text (ref)."""

    id: int
    url: str
    password: str
    encryption_type: int  # 0: the password is sent as it is; 1: it is a signing key (ref)
    events: dict[str, bool]  # push_events, tag_push_events, issues_events, note_events, merge_requests_events
    created_at: str
    result: str = ""  # the last delivery's outcome, as the ref's list shows it
    result_code: int | None = None


@dataclass
class Hooks(Kept):
    """A repository's webhooks."""

    hooks: list[Hook] = field(default_factory=list)


EVENTS = ("push_events", "tag_push_events", "issues_events", "note_events", "merge_requests_events")
SEEDED_HOOK = 8_710_201
SEEDED_SECRET = "ci-hook-secret-7f3a"  # the seeded hook's password: it must never reach an agent


def seed(world: World) -> None:
    """A CI hook on alice/demo with a password (fixed id: the shared counter is left alone)."""
    demo = world.repo("alice", "demo")
    if demo is None or Hooks.of(demo).hooks:
        return
    Hooks.of(demo).hooks.append(
        Hook(
            SEEDED_HOOK,
            "https://ci.example.com/gitcode/hook?token=ci-url-token-91c2",
            SEEDED_SECRET,
            0,
            {"push_events": True, "tag_push_events": False, "issues_events": False, "note_events": False}
            | {"merge_requests_events": True},
            "2026-11-18T09:30:00+08:00",
            result="ok",
            result_code=200,
        )
    )


def render(repo: Repo, hook: Hook) -> dict[str, Any]:
    return {
        "id": hook.id,
        "url": hook.url,
        "password": hook.password,
        "encryption_type": hook.encryption_type,
        "result": hook.result,
        "project_id": repo.id,
        "result_code": hook.result_code,
        **{e: hook.events.get(e, False) for e in EVENTS},
        "created_at": hook.created_at,
    }


def hook_of(repo: Repo, call: Call) -> Hook:
    found = next((h for h in Hooks.of(repo).hooks if h.id == call.params["hook_id"]), None)
    if found is None:
        raise Refusal(404, "Not Found Hook")
    return found


def apply(hook: Hook, data: dict[str, Any]) -> None:
    url = data.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise Refusal(400, "url is required and must be an http(s) URL")
    kind = data.get("encryption_type", hook.encryption_type)
    if kind not in (0, 1) or isinstance(kind, bool):
        raise Refusal(400, "encryption_type must be 0 (password) or 1 (signature key)")
    password = data.get("password", hook.password)
    if not isinstance(password, str) or len(password) > 100:
        raise Refusal(400, "password must be a string of at most 100 characters")
    for event in EVENTS:
        if event in data and not isinstance(data[event], bool):
            raise Refusal(400, f"{event} must be a boolean")
    hook.url, hook.encryption_type, hook.password = url, kind, password
    hook.events |= {e: data[e] for e in EVENTS if e in data}


@route("GET", HOOKS)
async def list_hooks(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    return page(call, [render(repo, h) for h in Hooks.of(repo).hooks])


@route("POST", HOOKS)
async def create_hook(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    hook = Hook(sb.world.new_id(), "", "", 0, {"push_events": True}, now())  # GitCode's default: push events
    apply(hook, call.data())
    Hooks.of(repo).hooks.append(hook)
    return JSONResponse(render(repo, hook), status_code=201)


@route("GET", HOOK)
async def get_hook(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    return JSONResponse(render(repo, hook_of(repo, call)))


@route("PATCH", HOOK)
async def update_hook(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    hook = hook_of(repo, call)
    apply(hook, call.data())
    return JSONResponse(render(repo, hook))


@route("DELETE", HOOK)
async def delete_hook(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    Hooks.of(repo).hooks.remove(hook_of(repo, call))
    return Response(status_code=204)


@route("POST", HOOK_TESTS)
async def test_hook(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    hook = hook_of(repo, call)
    # No network here: a host under example.com answers as a receiver would, any other cannot be reached.
    reachable = hook.url.split("/")[2].split("@")[-1].split(":")[0].endswith("example.com")
    hook.result, hook.result_code = ("ok", 200) if reachable else ("connection refused", None)
    return Response(status_code=204)
