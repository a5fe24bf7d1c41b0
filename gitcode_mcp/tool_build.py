"""The MCP tool of each definition, cheap to list and complete when called.

Building a tool's argument model and schema costs pydantic a few milliseconds, paid at every start for every tool
listed: most of a server's start-up with every toolset on. So the schemas tools/list shows are read from
`tool_schemas.json`, written from the very models the validators use (`python -m gitcode_mcp.tool_build` rewrites
it; tests/test_tool_build.py fails when it differs from what the models give), and a tool's validator is built on
its first call. A tool missing from the file (one just added) is built in full at start-up, so nothing is wrong,
only slower, until the file is rewritten.
"""

from __future__ import annotations

import inspect
import json
import sys
from functools import cache
from pathlib import Path
from typing import Any, cast

from mcp.server.mcpserver.tools import Tool

from gitcode_mcp.calls import GitCodeTool
from gitcode_mcp.registry import ToolDef, all_tools
from gitcode_mcp.schemas import compact_schema, nullable_optionals

SCHEMAS = Path(__file__).with_name("tool_schemas.json")
_BUILT: dict[Any, GitCodeTool] = {}


def full_tool(spec: ToolDef) -> GitCodeTool:
    """The tool with its validator: what the SDK builds from the function, in our schema dialect."""
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
    tool.asks = spec.asks
    return tool


@cache
def cached_schemas() -> dict[str, Any]:
    try:
        return json.loads(SCHEMAS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def build_tool(spec: ToolDef) -> Tool:
    """The MCP tool for a definition, once per process (it does not depend on settings)."""
    if (built := _BUILT.get(spec.fn)) is not None:
        return built
    schema = cached_schemas().get(spec.name)
    if schema is None:
        tool = full_tool(spec)
    else:
        tool = GitCodeTool.model_construct(
            fn=spec.fn,
            name=spec.name,
            title=None,
            description=spec.description,
            parameters=schema,
            fn_metadata=None,  # built on the first call (GitCodeTool.complete)
            is_async=True,
            context_kwarg=context_parameter(spec.fn),
            resolved_params={},
            resolver_plans={},
            annotations=spec.annotations,
            icons=None,
            meta=None,
            destructive=spec.destructive,
            asks=spec.asks,
            completion=lambda: full_tool(spec),
        )
    _BUILT[spec.fn] = tool
    return tool


def context_parameter(fn: Any) -> str | None:
    """Where the tool takes the call's Context: every tool here names it `ctx` (the SDK's own search evaluates every
    annotation, a cost paid at start-up; the full build, which uses it, agrees: tests/test_tool_build.py)."""
    return "ctx" if "ctx" in inspect.signature(fn).parameters else None


def schemas_now() -> dict[str, Any]:
    """Every tool's listed schema, from the models its validator is built on."""
    return {spec.name: full_tool(spec).parameters for spec in all_tools()}


def write_schemas() -> None:
    SCHEMAS.write_text(json.dumps(schemas_now(), indent=1, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    write_schemas()
    print(f"wrote {SCHEMAS} ({len(cached_schemas.__wrapped__())} tools)", file=sys.stderr)
