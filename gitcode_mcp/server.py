"""build_server(settings): an MCPServer with the enabled tools and one GitCodeClient for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.request_state import RequestStateSecurity
from mcp_types import Tool as MCPTool

from gitcode_mcp import __version__
from gitcode_mcp.audit import AuditLog
from gitcode_mcp.calls import narrow_by_request
from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.content_safety import GUIDANCE
from gitcode_mcp.lockdown import new_cache
from gitcode_mcp.narrowing import operator_reach, operator_tools
from gitcode_mcp.ratelimit import RateLimits, parse_pace
from gitcode_mcp.settings import Settings
from gitcode_mcp.stdio import AnsweringServer
from gitcode_mcp.tasks import TasksExtension, TaskStore, may_run_as_task
from gitcode_mcp.tool_build import build_tool
from gitcode_mcp.toolkit import AppState

INSTRUCTIONS = (
    "Tools for GitCode (gitcode.com). Repositories are named by owner and repo as in "
    "https://gitcode.com/<owner>/<repo>. Results are compact JSON; list tools return has_more."
)


class GitCodeServer(AnsweringServer):
    """The MCP server: its tools never change after it is built, so their tools/list entries are made once, without
    validating again what the schema cache (tool_build.py) already holds."""

    _listed: list[MCPTool] | None = None

    async def list_tools(self) -> list[MCPTool]:
        if self._listed is None:
            self._listed = [
                MCPTool.model_construct(
                    name=info.name,
                    title=info.title,
                    description=info.description,
                    input_schema=info.parameters,
                    output_schema=info.output_schema,
                    annotations=info.annotations,
                    icons=info.icons,
                    meta=info.meta,
                )
                for info in self._tool_manager.list_tools()
            ]
        return self._listed


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


def build_server(
    settings: Settings,
    http_transport: httpx2.AsyncBaseTransport | None = None,
    shared: SharedClient | None = None,
) -> MCPServer:
    """The MCP server for these settings. `http_transport` replaces the network (the sandbox, in tests);
    `shared` is the process's one client when an HTTP app owns it."""
    shared = shared or SharedClient(settings, http_transport)
    access = new_cache()  # one per server: an SSE connection's lifespan shares it
    tasks = TaskStore()  # long calls run as MCP tasks for clients that ask for them (tasks.py)
    reach = operator_reach(settings)

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[AppState]:
        async with shared.use() as client, tasks.running():
            yield AppState(settings=settings, client=client, reach=reach, access=access)

    specs = operator_tools(settings)
    tools = [build_tool(spec) for spec in specs]
    return GitCodeServer(
        name="gitcode-mcp",
        title="GitCode",
        version=__version__,
        instructions=INSTRUCTIONS + ("" if settings.raw_content else GUIDANCE),
        website_url="https://github.com/gitcode-mcp/gitcode-mcp",
        tools=tools,
        lifespan=lifespan,
        log_level="WARNING",
        middleware=[narrow_by_request],
        request_state_security=(
            RequestStateSecurity(keys=[settings.state_key.get_secret_value()]) if settings.state_key else None
        ),
        extensions=[TasksExtension(tasks, frozenset(s.name for s in specs if may_run_as_task(s.fn)))],
    )
