"""Fixtures: an MCP client connected in-process to a server wired to a fresh simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client
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


@pytest.fixture
def connect(sandbox: Sandbox) -> Connect:
    """`async with connect(**settings) as client`: the server over the SDK's in-process client.

    mode="legacy" speaks the initialize handshake of older clients; the default negotiates 2026-07-28.
    """

    @asynccontextmanager
    async def open_client(mode: str = "auto", network: bool = False, **overrides: Any) -> AsyncIterator[Client]:
        """network=True sends over real sockets to `api_url` (loopback only) instead of the simulator."""
        values: dict[str, Any] = {"api_url": SANDBOX_API_URL, "token": SecretStr(TOKEN), "retries": 2}
        values.update(overrides)
        transport = None if network else httpx2.ASGITransport(app=sandbox.app)
        server = build_server(Settings(**values), transport)
        async with Client(server, mode=mode) as client:
            yield client

    return open_client


def text(result: Any) -> str:
    """All text blocks of a tool result, joined."""
    return "\n".join(block.text for block in result.content if block.type == "text")


def demo(sandbox: Sandbox) -> Repo:
    """The seeded alice/demo repository, as the simulator holds it now."""
    repo = sandbox.world.repo("alice", "demo")
    assert repo is not None
    return repo
