"""build_server(settings): an MCPServer with the enabled tools and one GitCodeClient for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp_types import CallToolResult, TextContent
from pydantic import ValidationError

from gitcode_mcp import __version__
from gitcode_mcp.arguments import check_arguments
from gitcode_mcp.bounds import bounded, describe_invalid, trim_echoes
from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.registry import ToolDef, select_tools
from gitcode_mcp.settings import Settings
from gitcode_mcp.tasks import TasksExtension, TaskStore, may_run_as_task
from gitcode_mcp.toolkit import AppState

INSTRUCTIONS = (
    "Tools for GitCode (gitcode.com). Repositories are named by owner and repo as in "
    "https://gitcode.com/<owner>/<repo>. Results are compact JSON; list tools return has_more."
)


def compact_schema(schema: Any) -> Any:
    """The schema an agent reads on every turn, minus what carries no meaning (pydantic's generated titles,
    `default: null`), with `anyOf [T, null]` folded into the shorter `type: [T, "null"]`."""
    if isinstance(schema, list):
        return [compact_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if (key == "title" and isinstance(value, str)) or (key == "default" and value is None):
            continue
        out[key] = compact_schema(value) if key != "properties" else {k: compact_schema(v) for k, v in value.items()}
    options = out.get("anyOf")
    if isinstance(options, list) and {"type": "null"} in options:
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) == 1 and isinstance(kept[0].get("type"), str):
            del out["anyOf"]
            out = {**kept[0], **out, "type": [kept[0]["type"], "null"]}
    return out


def nullable_optionals(schema: dict[str, Any]) -> dict[str, Any]:
    """Every optional argument also admits null, which the tool reads as "not given".

    Strict-mode converters (openai-agents' `convert_schemas_to_strict`, and those of langchain and pydantic-ai)
    mark every property required; an optional argument that admits null stays optional in meaning, one that
    does not becomes a value the model must invent (a general PR comment could not be expressed).
    """
    required = set(schema.get("required", ()))
    for name, prop in schema.get("properties", {}).items():
        if name in required:
            continue
        kind = prop.get("type")
        if isinstance(kind, str):
            prop["type"] = [kind, "null"]
        elif "anyOf" in prop and {"type": "null"} not in prop["anyOf"]:
            prop["anyOf"].append({"type": "null"})
        if isinstance(prop.get("enum"), list) and None not in prop["enum"]:
            prop["enum"].append(None)  # else a validator that checks the enum refuses the null the type admits
    return schema


class GitCodeTool(Tool):
    """A Tool whose argument errors name the argument plainly, like the checks the tools make themselves, and whose
    answers stay bounded (bounds.py)."""

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        try:
            result = await self._run(arguments, context, convert_result)
        except UnexpectedToolError:
            raise  # its text is the SDK's generic one
        except ToolError as exc:
            raise ToolError(bounded(trim_echoes(str(exc), arguments))) from exc
        if isinstance(result, CallToolResult):
            content = [
                block.model_copy(update={"text": trim_echoes(block.text, arguments)})
                if isinstance(block, TextContent)
                else block
                for block in result.content
            ]
            result = result.model_copy(update={"content": content})
        return result

    async def _run(self, arguments: dict[str, Any], context: Any, convert_result: bool) -> Any:
        # An argument the tool does not take would be dropped silently, and with it what the agent meant
        # (`assignee` for `assignees`): refuse it, naming the ones that exist.
        if unknown := sorted(set(arguments) - set(self.parameters.get("properties", {}))):
            known = ", ".join(self.parameters.get("properties", {}))
            raise ToolError(
                f"Error executing tool {self.name}: Unknown argument `{unknown[0][:40]}`; this tool takes {known}"
            )
        # null means "not given": the argument's default applies (see nullable_optionals).
        arguments = {k: v for k, v in arguments.items() if v is not None}
        try:
            check_arguments(arguments)
        except ToolError as exc:
            raise ToolError(f"Error executing tool {self.name}: {exc}") from exc
        try:
            return await super().run(arguments, context, convert_result)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError) and not isinstance(exc, UnexpectedToolError):
                raise ToolError(f"Error executing tool {self.name}: {describe_invalid(cause)}") from cause
            raise


_BUILT: dict[Any, Tool] = {}


def build_tool(spec: ToolDef) -> Tool:
    """The MCP tool for a definition, built once per process (its schema and validator do not depend on settings;
    building 159 of them for every server made each in-process server cost most of a second)."""
    if (built := _BUILT.get(spec.fn)) is not None:
        return built
    tool = GitCodeTool.from_function(
        spec.fn,
        description=spec.description,
        annotations=spec.annotations,
        structured_output=False,  # results are compact text; a structured copy would double the tokens
    )
    tool.parameters = nullable_optionals(compact_schema(tool.parameters))
    _BUILT[spec.fn] = tool
    return tool


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
        self._users = 0
        self._lock = anyio.Lock()

    @asynccontextmanager
    async def use(self) -> AsyncIterator[GitCodeClient]:
        async with self._lock:
            if self._client is None:
                s = self._settings
                self._client = GitCodeClient(
                    s.api_url,
                    s.token,
                    timeout=s.timeout,
                    retries=s.retries,
                    max_retry_wait=s.max_retry_wait,
                    transport=self._transport,
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


def build_server(
    settings: Settings,
    http_transport: httpx2.AsyncBaseTransport | None = None,
    shared: SharedClient | None = None,
) -> MCPServer:
    """The MCP server for these settings. `http_transport` replaces the network (the sandbox, in tests);
    `shared` is the process's one client when an HTTP app owns it."""
    shared = shared or SharedClient(settings, http_transport)
    tasks = TaskStore()  # long calls run as MCP tasks for clients that ask for them (tasks.py)

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[AppState]:
        async with shared.use() as client, tasks.running():
            yield AppState(settings=settings, client=client)

    specs = select_tools(settings.toolsets, read_only=settings.read_only)
    tools = [build_tool(spec) for spec in specs]
    return MCPServer(
        name="gitcode-mcp",
        title="GitCode",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://github.com/gitcode-mcp/gitcode-mcp",
        tools=tools,
        lifespan=lifespan,
        log_level="WARNING",
        extensions=[TasksExtension(tasks, frozenset(s.name for s in specs if may_run_as_task(s.fn)))],
    )
