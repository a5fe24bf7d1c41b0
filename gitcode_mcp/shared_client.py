"""SharedClient: the one GitCodeClient of a process, shared by every entry into the server's lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx2

from gitcode_mcp.audit import AuditLog
from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.ratelimit import RateLimits, parse_pace
from gitcode_mcp.settings import Settings


class SharedClient:
    """The one GitCodeClient (one connection pool) of a process, opened by its first user, closed by its last.

    The SDK enters the server's lifespan once per stdio run and per Streamable HTTP app, but once per SSE
    connection: every entry shares this client. The HTTP app holds it for its whole life, so SSE connections
    coming and going never reopen the pool.
    """

    def __init__(self, settings: Settings, http_transport: httpx2.AsyncBaseTransport | None = None) -> None:
        self._settings = settings
        self._transport = http_transport
        self._client: GitCodeClient | None = None
        self._audit: AuditLog | None = None
        self._users = 0
        self._lock = anyio.Lock()

    @asynccontextmanager
    async def use(self) -> AsyncIterator[GitCodeClient]:
        async with self._lock:
            if self._client is None:
                s = self._settings
                self._audit = AuditLog(s.audit_log, reads=s.audit_reads) if s.audit_log else None
                self._client = GitCodeClient(
                    s.api_url,
                    s.token,
                    timeout=s.timeout,
                    retries=s.retries,
                    max_retry_wait=s.max_retry_wait,
                    transport=self._transport,
                    limits=RateLimits(parse_pace(s.rate_limit) if s.rate_limit else None),
                    audit=self._audit,
                )
            self._users += 1
            client = self._client
        try:
            yield client
        finally:
            async with self._lock:
                self._users -= 1
                if self._users == 0 and self._client is not None:
                    await self._client.aclose()
                    self._client = None
                    if self._audit is not None:
                        self._audit.close()
