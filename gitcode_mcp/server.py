"""build_server(settings): an MCPServer with the enabled tools and one GitCodeClient for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from pydantic import ValidationError

from gitcode_mcp import __version__
from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.context import AppState
from gitcode_mcp.settings import Settings
from gitcode_mcp.tooldef import ToolDef
from gitcode_mcp.toolsets import select_tools

INSTRUCTIONS = (
    "Tools for GitCode (gitcode.com). Repositories are named by owner and repo as in "
    "https://gitcode.com/<owner>/<repo>. Results are compact JSON; list tools return has_more."
)


def compact_schema(schema: Any) -> Any:
    """The schema an agent reads on every turn, minus what carries no meaning: pydantic's generated titles,
    the `anyOf [T, null]` and `default: null` of optional arguments (absent already means unset)."""
    if isinstance(schema, list):
        return [compact_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key == "title" and isinstance(value, str):
            continue
        if key == "default" and value is None:
            continue
        out[key] = compact_schema(value) if key != "properties" else {k: compact_schema(v) for k, v in value.items()}
    options = out.get("anyOf")
    if isinstance(options, list):
        kept = [o for o in options if o != {"type": "null"}]
        if len(kept) == 1 and len(kept) < len(options):
            del out["anyOf"]
            out = {**kept[0], **out}
    return out


def describe_invalid(error: ValidationError) -> str:
    """Pydantic's report, rewritten for an agent: which argument, what is wrong (no error codes or URLs)."""
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]) or "arguments"
        if item["type"] == "missing":
            problems.append(f"Missing argument `{name}`")
        else:
            problems.append(f"Invalid argument `{name}`: {item['msg']}")
    return "; ".join(problems)


class GitCodeTool(Tool):
    """A Tool whose argument errors name the argument plainly, like the checks the tools make themselves."""

    async def run(self, arguments: dict[str, Any], context: Any, convert_result: bool = False) -> Any:
        try:
            return await super().run(arguments, context, convert_result)
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, ValidationError) and not isinstance(exc, UnexpectedToolError):
                raise ToolError(f"Error executing tool {self.name}: {describe_invalid(cause)}") from cause
            raise


def build_tool(spec: ToolDef) -> Tool:
    tool = GitCodeTool.from_function(
        spec.fn,
        description=spec.description,
        annotations=spec.annotations,
        structured_output=False,  # results are compact text; a structured copy would double the tokens
    )
    tool.parameters = compact_schema(tool.parameters)
    return tool


def build_server(settings: Settings, http_transport: httpx2.AsyncBaseTransport | None = None) -> MCPServer:
    """The MCP server for these settings. `http_transport` replaces the network (the sandbox, in tests)."""

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[AppState]:
        client = GitCodeClient(
            settings.api_url,
            settings.token,
            timeout=settings.timeout,
            retries=settings.retries,
            max_retry_wait=settings.max_retry_wait,
            transport=http_transport,
        )
        try:
            yield AppState(settings=settings, client=client)
        finally:
            await client.aclose()

    tools = [build_tool(spec) for spec in select_tools(settings.toolsets, read_only=settings.read_only)]
    return MCPServer(
        name="gitcode-mcp",
        title="GitCode",
        version=__version__,
        instructions=INSTRUCTIONS,
        website_url="https://github.com/gitcode-mcp/gitcode-mcp",
        tools=tools,
        lifespan=lifespan,
        log_level="WARNING",
    )
