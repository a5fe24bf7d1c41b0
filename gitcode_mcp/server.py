"""build_server(settings): an MCPServer with the enabled tools and one GitCodeClient for its whole life."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import anyio
import httpx2
from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.tools import Tool
from mcp.server.request_state import RequestStateSecurity

from gitcode_mcp import __version__
from gitcode_mcp.audit import AuditLog
from gitcode_mcp.calls import GitCodeTool, narrow_by_request
from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.content_safety import GUIDANCE
from gitcode_mcp.lockdown import new_cache
from gitcode_mcp.narrowing import operator_reach, operator_tools
from gitcode_mcp.ratelimit import RateLimits, parse_pace
from gitcode_mcp.registry import ToolDef
from gitcode_mcp.settings import Settings
from gitcode_mcp.toolkit import AppState

INSTRUCTIONS = (
    "Tools for GitCode (gitcode.com). Repositories are named by owner and repo as in "
    "https://gitcode.com/<owner>/<repo>. Results are compact JSON; list tools return has_more."
)


# What pydantic writes for a SecretStr (`writeOnly`, `format: password`): google-genai's `types.Schema` refuses
# `writeOnly` (fast-agent's Gemini provider builds one from each tool), OpenAI's strict mode knows no such format, and
# the argument's description already says it is sensitive.
SECRET_MARKS = {"writeOnly": True, "format": "password"}


def compact_schema(schema: Any) -> Any:
    """The schema an agent reads on every turn, minus what carries no meaning for it or breaks a client: pydantic's
    generated titles, `default: null` and its secret marks."""
    if isinstance(schema, list):
        return [compact_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if (key == "title" and isinstance(value, str)) or (key == "default" and value is None):
            continue
        if key in SECRET_MARKS and value == SECRET_MARKS[key]:
            continue
        out[key] = compact_schema(value) if key != "properties" else {k: compact_schema(v) for k, v in value.items()}
    return out


NULL = {"type": "null"}
# What stays beside an `anyOf`: words for the model, not constraints on the value.
ANNOTATIONS = ("description", "default", "examples")


def nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """`prop`, also admitting null, in the one form every client reads: `anyOf [T, {"type": "null"}]`.

    Not `type: [T, "null"]`: google-genai's `types.Schema` (and fast-agent's Gemini provider, built on it) take
    `type` as one string and fail on a list; the MCP Inspector's `--strict` warns about it for that reason."""
    options = prop.get("anyOf")
    if options is None:
        value = {k: v for k, v in prop.items() if k not in ANNOTATIONS}
        return {"anyOf": [value, NULL], **{k: v for k, v in prop.items() if k in ANNOTATIONS}}
    kept = [o for o in options if o != NULL]
    if len(kept) == 1:  # pydantic writes `Annotated[T, Field(description=...)] | None`'s description in T's branch
        words = {k: v for k, v in kept[0].items() if k in ANNOTATIONS}
        kept = [{k: v for k, v in kept[0].items() if k not in ANNOTATIONS}]
        prop = {**words, **prop}
    return {**prop, "anyOf": [*kept, NULL]}


def nullable_optionals(schema: dict[str, Any]) -> dict[str, Any]:
    """Every optional argument, at any depth, also admits null, which the tool reads as "not given".

    Strict-mode converters (openai-agents' `ensure_strict_json_schema`, pydantic-ai's and langchain's) mark every
    property required; an optional argument that admits null stays optional in meaning, one that does not becomes
    a value the model must invent (a general PR comment could not be expressed).
    """
    required = set(schema.get("required", ()))
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        if prop.get("type") == "object" and "properties" in prop:
            prop = nullable_optionals(prop)
        properties[name] = prop if name in required else nullable(prop)
    return schema


_BUILT: dict[Any, Tool] = {}


def build_tool(spec: ToolDef) -> Tool:
    """The MCP tool for a definition, built once per process (its schema and validator do not depend on settings;
    building 159 of them for every server made each in-process server cost most of a second)."""
    if (built := _BUILT.get(spec.fn)) is not None:
        return built
    tool = cast(
        GitCodeTool,
        GitCodeTool.from_function(
            spec.fn,
            description=spec.description,
            annotations=spec.annotations,
            structured_output=False,  # results are compact text; a structured copy would double the tokens
        ),
    )
    tool.parameters = nullable_optionals(compact_schema(tool.parameters))
    tool.destructive = spec.destructive
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

    reach = operator_reach(settings)

    @asynccontextmanager
    async def lifespan(_: MCPServer) -> AsyncIterator[AppState]:
        async with shared.use() as client:
            yield AppState(settings=settings, client=client, reach=reach, access=access)

    tools = [build_tool(spec) for spec in operator_tools(settings)]
    return MCPServer(
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
    )
