"""build_server(settings): an MCPServer with the enabled tools and one GitCodeClient for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.request_state import RequestStateSecurity
from mcp_types import Tool as MCPTool

from gitcode_mcp import __version__
from gitcode_mcp.calls import narrow_by_request
from gitcode_mcp.content_safety import GUIDANCE
from gitcode_mcp.lockdown import new_cache
from gitcode_mcp.narrowing import operator_reach, operator_tools
from gitcode_mcp.settings import Settings
from gitcode_mcp.shared_client import SharedClient
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
