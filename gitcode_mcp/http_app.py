"""The HTTP deployment: the SDK's Streamable HTTP (`/mcp`) or SSE (`/sse` + `/messages/`) app, behind the probes
`/healthz` and `/readyz`, with one GitCode client for the whole app and DNS-rebinding protection always on."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager, nullcontext
from urllib.parse import urlsplit

import anyio
import httpx2
from mcp.server.transport_security import TransportSecuritySettings
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from gitcode_mcp import __version__
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import Settings
from gitcode_mcp.shared_client import SharedClient

LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
ANY_ADDRESS = ("0.0.0.0", "::", "")
READY_TTL = 10.0  # seconds a readiness answer is reused: a probe every second costs GitCode one request per 10 s


def is_loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def transport_security(settings: Settings) -> TransportSecuritySettings:
    """Host and Origin allow-lists (the SDK's DNS-rebinding protection), on whatever address the server binds:
    loopback names, the bound address when it is a concrete one, and the names given with --allowed-hosts."""
    hosts = [f"{h}:*" for h in LOOPBACK]
    if settings.host not in ANY_ADDRESS and not is_loopback(settings.host):
        hosts.append(f"[{settings.host}]:*" if ":" in settings.host else f"{settings.host}:*")
    hosts += settings.allowed_hosts
    origins = [f"http://{h}:*" for h in LOOPBACK] + list(settings.allowed_origins)
    if settings.oauth and settings.public_url:  # the name the sign-in sends clients to is one they may use
        public = urlsplit(settings.public_url)
        hosts.append(public.netloc)
        origins.append(f"{public.scheme}://{public.netloc}")
    return TransportSecuritySettings(enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins)


class Readiness:
    """Whether GitCode's API URL answers, from one cheap request at most every READY_TTL seconds."""

    def __init__(self, shared: SharedClient) -> None:
        self._shared = shared
        self._checked_at = -READY_TTL
        self._ready = False
        self._lock = anyio.Lock()

    async def __call__(self) -> bool:
        async with self._lock:
            if time.monotonic() - self._checked_at >= READY_TTL:
                async with self._shared.use() as client:
                    self._ready = await client.reachable()
                self._checked_at = time.monotonic()
            return self._ready


def build_http_app(settings: Settings, http_transport: httpx2.AsyncBaseTransport | None = None) -> Starlette:
    shared = SharedClient(settings, http_transport)
    server = build_server(settings, http_transport, shared)
    security = transport_security(settings)
    if settings.transport == "sse":
        mcp_app = server.sse_app(transport_security=security, host=settings.host)
    else:
        mcp_app = server.streamable_http_app(
            stateless_http=settings.stateless, transport_security=security, host=settings.host
        )
    ready = Readiness(shared)
    routes: list[Route] = []
    signing_in: AbstractAsyncContextManager[None] = nullcontext()
    if settings.oauth:
        from gitcode_mcp.oauth.app import SignIn

        sign_in = SignIn(settings, shared, http_transport)
        routes, mcp_endpoint, signing_in = sign_in.routes(), sign_in.guard(mcp_app), sign_in.running()
    else:
        mcp_endpoint = mcp_app

    async def healthz(_: Request) -> JSONResponse:
        # `worker` tells replicas and --workers processes apart; it gives nothing away about GitCode.
        return JSONResponse({"status": "ok", "version": __version__, "worker": os.getpid()})

    async def readyz(_: Request) -> JSONResponse:
        if await ready():
            return JSONResponse({"status": "ready", "gitcode": "reachable"})
        return JSONResponse({"status": "not ready", "gitcode": "unreachable"}, status_code=503)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # The app holds the one client for its whole life; the MCP app's own lifespan runs inside.
        async with shared.use(), signing_in, mcp_app.router.lifespan_context(mcp_app):
            yield

    return Starlette(
        routes=[Route("/healthz", healthz), Route("/readyz", readyz), *routes, Mount("/", app=mcp_endpoint)],
        lifespan=lifespan,
    )
