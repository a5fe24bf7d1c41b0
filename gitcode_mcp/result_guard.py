"""What every tool's answer goes through before the agent reads it: lockdown (lockdown.py) while the authors' logins
are still as GitCode sent them, then content safety (content_safety.py) unless the operator asked for raw content."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from mcp.server.mcpserver import Context
from mcp_types import CallToolResult

from gitcode_mcp.content_safety import clean_text, sanitise_result
from gitcode_mcp.lockdown import withhold_untrusted
from gitcode_mcp.toolkit import access_cache, gitcode, reach, settings


async def guard_result(result: Any, arguments: Mapping[str, Any], ctx: Context) -> Any:
    if not isinstance(result, CallToolResult):
        return result  # e.g. an input request (the 2026-07-28 protocol) carries no GitCode text
    if reach(ctx).lockdown:  # the operator's --lockdown, or this request's X-MCP-Lockdown (narrowing.py)
        result = await withhold_untrusted(result, arguments, gitcode(ctx), access_cache(ctx))
    return result if settings(ctx).raw_content else sanitise_result(result)


def guard_error(text: str, ctx: Context) -> str:
    """A tool error's text: it may quote what GitCode or a user wrote (a branch's name), so every hidden character
    in it is shown."""
    return text if settings(ctx).raw_content else clean_text(text, "name")
