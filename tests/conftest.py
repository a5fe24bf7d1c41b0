"""Fixtures: an MCP client connected in-process to a server wired to a fresh simulator; and the helpers every test
module shares: `call` and `refused` (one tool call that must work or must fail), `sim` (a request straight to the
simulator) and `sent` (what the simulator received)."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any, Literal

import httpx2
import pytest
import uvicorn
from mcp import Client
from mcp.types import CallToolResult
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import Repo
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import SANDBOX_API_URL, Settings

TOKEN = "sandbox-token"  # the simulator's token for alice

Connect = Callable[..., AbstractAsyncContextManager[Client]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox()


@asynccontextmanager
async def server_on(
    sandbox: Sandbox, mode: str = "auto", network: bool = False, extensions: Any = None, **overrides: Any
) -> AsyncIterator[Client]:
    """The server over the SDK's in-process client, on `sandbox`; network=True sends over real sockets to `api_url`
    (loopback only) instead. Every toolset unless a test asks for another selection (toolsets=None is the default
    set)."""
    values: dict[str, Any] = {
        "api_url": SANDBOX_API_URL,
        "token": SecretStr(TOKEN),
        "retries": 2,
        "toolsets": ("all",),
    }
    values.update(overrides)
    transport = None if network else httpx2.ASGITransport(app=sandbox.app)
    server = build_server(Settings(**values), transport)
    async with Client(server, mode=mode, extensions=extensions) as client:
        yield client


@pytest.fixture
def connect(sandbox: Sandbox) -> Connect:
    """`async with connect(**settings) as client`: the server over the SDK's in-process client, on the test's
    simulator.

    mode="legacy" speaks the initialize handshake of older clients; the default negotiates 2026-07-28.
    """

    def open_client(
        mode: str = "auto", network: bool = False, extensions: Any = None, **overrides: Any
    ) -> AbstractAsyncContextManager[Client]:
        """extensions: the client's (mcp.client.extension.ClientExtension)."""
        return server_on(sandbox, mode, network, extensions, **overrides)

    return open_client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def gitcode_double() -> Iterator[tuple[Sandbox, str]]:
    """A GitCode double on loopback: a fresh Sandbox served by uvicorn in a background thread."""
    sandbox = Sandbox()
    port = free_port()
    # interface given: uvicorn's auto-detection takes the bound `Sandbox.app` method for an ASGI2 app.
    config = uvicorn.Config(
        sandbox.app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", interface="asgi3"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="gitcode-double", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20.0
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            pytest.fail("the GitCode double (uvicorn) did not start")
        time.sleep(0.02)
    try:
        yield sandbox, f"http://127.0.0.1:{port}/api/v5"
    finally:
        server.should_exit = True
        thread.join(10.0)
        assert not thread.is_alive(), "the GitCode double did not stop"


FENCE = re.compile(r"-----BEGIN (FILE|DIFF|LOG) ([0-9a-f]{12})-----\n(.*\n)-----END \1 \2-----", re.DOTALL)


def unfenced(answer: str) -> str:
    """The text between a file's or a diff's fence lines (content_safety.fenced), asserting that the fence is whole
    and ends the answer. A text that does not end with a line break gets one before the END line."""
    match = FENCE.search(answer)
    assert match is not None and match.end() == len(answer), answer[:200]
    return match.group(3)


def text(result: Any) -> str:
    """All text blocks of a tool result, joined."""
    return "\n".join(block.text for block in result.content if block.type == "text")


async def _result(via: Connect | Client, tool: str, args: dict[str, Any], settings: dict[str, Any]) -> CallToolResult:
    if isinstance(via, Client):
        assert not settings, "an open client has its settings already"
        return await via.call_tool(tool, args)
    async with via(**settings) as client:
        return await client.call_tool(tool, args)


async def call(via: Connect | Client, tool: str, args: dict[str, Any], *, parse: bool = True, **settings: Any) -> Any:
    """Call `tool` and assert it did not fail: on an open client, or on a fresh server, `connect(**settings)`
    (so token=... is the caller's token setting, toolsets=... what it lists).

    The answer: the text parsed as JSON when the whole text (all blocks joined) parses, else the text as it is.
    Every compact-JSON answer parses to an object or array, so an assertion on keys or equality still fails if a
    tool ever answered text instead; a diff, a patch, or a JSON head and a file's text in two blocks stay text.
    parse=False always gives the text (for assertions about the exact wording or serialisation).
    """
    result = await _result(via, tool, args, settings)
    answer = text(result)
    assert not result.is_error, answer
    if parse:
        try:
            return json.loads(answer)
        except ValueError:
            pass
    return answer


async def refused(via: Connect | Client, tool: str, args: dict[str, Any], **settings: Any) -> str:
    """Call `tool` as `call` does, assert it failed, and give its text."""
    result = await _result(via, tool, args, settings)
    assert result.is_error, text(result)
    return text(result)


async def sim(sandbox: Sandbox, method: str, path: str, token: str | None = TOKEN, **kw: Any) -> httpx2.Response:
    """A request straight to the simulator, as GitCode receives it: `path` under /api/v5/, `token` as PRIVATE-TOKEN
    (None: no token), `kw` as httpx2's `request` takes them (headers given are added to the token's)."""
    headers = {"PRIVATE-TOKEN": token} if token else {}
    async with httpx2.AsyncClient(
        transport=httpx2.ASGITransport(app=sandbox.app), base_url=f"{SANDBOX_API_URL}/"
    ) as http:
        return await http.request(method, path, headers={**headers, **kw.pop("headers", {})}, **kw)


def sent(sandbox: Sandbox, part: Literal["path", "raw_path", "template"] = "path") -> list[str]:
    """The requests the simulator received, each as "METHOD path": the decoded path under /api/v5/, or raw_path
    (as sent, percent-encoding kept), or template (the route it reached)."""
    return [f"{r.method} {getattr(r, part)}" for r in sandbox.requests]


def demo(sandbox: Sandbox) -> Repo:
    """The seeded alice/demo repository, as the simulator holds it now."""
    repo = sandbox.world.repo("alice", "demo")
    assert repo is not None
    return repo


def without_pulls_seed(sandbox: Sandbox) -> None:
    """The world before the pulls and issues areas seeded a fork (bob/demo), issues on alice/demo and a reply on PR 2:
    for tests that count what a user owns or did."""
    sandbox.world.repos.pop("bob/demo", None)
    demo(sandbox).issues.clear()
    for comment in demo(sandbox).pulls[2].comments:
        comment.replies.clear()
