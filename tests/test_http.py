"""The HTTP deployment in-process (the app on an ASGI transport, no sockets): per-caller tokens and their isolation
under concurrency, the fallback and its refusal, health probes, and the Host allow-list."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from pydantic import SecretStr
from starlette.applications import Starlette

from gitcode_mcp import __version__
from gitcode_mcp.http_app import build_http_app
from gitcode_mcp.identity import NEEDS_CALLER_TOKEN
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import User
from gitcode_mcp.settings import SANDBOX_API_URL, Settings
from tests.conftest import text

pytestmark = pytest.mark.anyio
BASE = "http://127.0.0.1:8000"
CALLERS = 16
CALLS_EACH = 125  # 2,000 calls in all, in the main case


def add_users(sandbox: Sandbox, count: int) -> None:
    """Users user0..userN-1 with tokens tok-0..tok-N-1, each able to read only what the others can."""
    for i in range(count):
        user = User(f"{i:024x}", f"user{i}", f"User {i}")
        sandbox.world.users[user.login] = user
        sandbox.world.tokens[f"tok-{i}"] = user


@asynccontextmanager
async def http_app(sandbox: Sandbox, **overrides: Any) -> AsyncIterator[Starlette]:
    values: dict[str, Any] = {
        "api_url": SANDBOX_API_URL,
        "token": SecretStr("sandbox-token"),
        "transport": "streamable-http",
        "toolsets": ("all",),
    }
    app = build_http_app(Settings(**(values | overrides)), httpx2.ASGITransport(app=sandbox.app))
    async with app.router.lifespan_context(app):
        yield app


Caller = Callable[..., AbstractAsyncContextManager[Client]]


def caller(app: Starlette) -> Caller:
    @asynccontextmanager
    async def connect(headers: dict[str, str] | None = None, mode: str = "auto") -> AsyncIterator[Client]:
        http = httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=BASE, headers=headers)
        async with http, Client(streamable_http_client(f"{BASE}/mcp", http_client=http), mode=mode) as client:
            yield client

    return connect


@pytest.mark.parametrize(
    ("stateless", "mode", "calls_each"), [(True, "auto", CALLS_EACH), (False, "legacy", 20), (True, "legacy", 20)]
)
async def test_every_request_carries_its_own_callers_token(stateless: bool, mode: str, calls_each: int) -> None:
    sandbox = Sandbox()
    add_users(sandbox, CALLERS)

    async def one_caller(connect: Caller, i: int) -> None:
        # Half send Authorization, half X-GitCode-Token beside a gateway's own Authorization (which must lose).
        headers = (
            {"Authorization": f"Bearer tok-{i}"}
            if i % 2
            else {"X-GitCode-Token": f"tok-{i}", "Authorization": "Bearer gateway-credential"}
        )
        async with connect(headers, mode) as client:
            for _ in range(calls_each):
                result = await client.call_tool("get_user", {"username": f"user{i}"})
                assert not result.is_error, text(result)
                assert json.loads(text(result))["login"] == f"user{i}"

    async with http_app(sandbox, stateless=stateless) as app, anyio.create_task_group() as group:
        for i in range(CALLERS):
            group.start_soon(one_caller, caller(app), i)

    assert len(sandbox.requests) == CALLERS * calls_each
    for request in sandbox.requests:
        owner = request.path.removeprefix("users/user")
        assert request.headers["private-token"] == f"tok-{owner}", request.path
        assert request.headers["authorization"] == f"Bearer tok-{owner}", request.path
    assert not any("sandbox-token" in r.headers.values() for r in sandbox.requests)


async def test_a_caller_without_a_token_falls_back_to_the_servers() -> None:
    sandbox = Sandbox()
    async with http_app(sandbox) as app, caller(app)() as client:
        result = await client.call_tool("get_user", {"username": "bob"})
    assert not result.is_error and sandbox.requests[0].headers["private-token"] == "sandbox-token"


async def test_required_caller_token_refuses_a_tokenless_call_and_never_uses_the_servers() -> None:
    sandbox = Sandbox()
    async with http_app(sandbox, require_caller_token=True) as app, caller(app)() as client:
        refused = await client.call_tool("get_user", {"username": "bob"})
        listed = await client.list_tools()
    assert refused.is_error and NEEDS_CALLER_TOKEN in text(refused)
    assert sandbox.requests == [] and listed.tools  # listing needs no GitCode call


async def test_a_rejected_caller_token_is_gitcodes_401_named_as_such() -> None:
    sandbox = Sandbox()
    async with http_app(sandbox) as app, caller(app)({"Authorization": "Bearer not-a-real-token"}) as client:
        result = await client.call_tool("get_user", {"username": "bob"})
    assert result.is_error and "GitCode 401 Unauthorized" in text(result) and "rejected the token" in text(result)
    # The fix is the caller's: the header it sends, not the server's GITCODE_TOKEN it cannot reach.
    assert "X-GitCode-Token" in text(result) and "GITCODE_TOKEN" not in text(result)
    assert "not-a-real-token" not in text(result)
    assert [r.headers["private-token"] for r in sandbox.requests] == ["not-a-real-token"]


async def test_health_and_readiness() -> None:
    sandbox = Sandbox()
    async with (
        http_app(sandbox) as app,
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=BASE) as http,
    ):
        health = await http.get("/healthz")
        ready = [await http.get("/readyz") for _ in range(3)]
    assert health.status_code == 200 and health.json()["version"] == __version__
    assert [r.status_code for r in ready] == [200, 200, 200]
    # Liveness makes no GitCode call; readiness one, reused for its TTL, with no token.
    assert len(sandbox.requests) == 1 and "private-token" not in sandbox.requests[0].headers


async def test_not_ready_when_gitcode_is_unreachable() -> None:
    settings = Settings(api_url="http://127.0.0.1:9/api/v5", transport="streamable-http")
    app = build_http_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=BASE) as http,
    ):
        answer = await http.get("/readyz")
    assert answer.status_code == 503 and answer.json()["gitcode"] == "unreachable"


@pytest.mark.parametrize(
    ("host", "allowed", "status"),
    [
        ("evil.example.com", (), 421),
        ("mcp.example.com", (), 421),
        ("mcp.example.com", ("mcp.example.com",), 200),
        ("localhost:8000", (), 200),
    ],
)
async def test_the_host_allow_list(host: str, allowed: tuple[str, ...], status: int) -> None:
    sandbox = Sandbox()
    body = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
    }
    async with (
        http_app(sandbox, host="0.0.0.0", allowed_hosts=allowed) as app,
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=BASE) as http,
    ):
        answer = await http.post(
            "/mcp",
            json=body,
            headers={"Host": host, "Accept": "application/json, text/event-stream", "Content-Type": "application/json"},
        )
    assert answer.status_code == status, answer.text
