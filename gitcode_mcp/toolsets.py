"""The registry: which tools exist, which toolset each belongs to, and what each may do.

Adding a tool is one function in tools/<area>.py and one line in that module's TOOLS list.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import ModuleType

from gitcode_mcp.tooldef import ToolDef
from gitcode_mcp.tools import contents, issues, pulls

_MODULES: tuple[ModuleType, ...] = (contents, pulls, issues)

TOOLSETS: dict[str, str] = {m.TOOLSET: m.PURPOSE for m in _MODULES}
DEFAULT_TOOLSETS: tuple[str, ...] = ("contents", "pulls", "issues")
ALL_TOOLS: tuple[ToolDef, ...] = tuple(replace(t, toolset=m.TOOLSET) for m in _MODULES for t in m.TOOLS)


class UnknownToolset(ValueError):
    pass


def resolve_toolsets(names: Iterable[str] | None) -> tuple[str, ...]:
    """The toolsets to enable: None or empty means the default set, 'all' means every one."""
    chosen = [n.strip() for n in names or () if n.strip()]
    if not chosen:
        return DEFAULT_TOOLSETS
    if "all" in chosen:
        return tuple(TOOLSETS)
    unknown = [n for n in chosen if n not in TOOLSETS]
    if unknown:
        raise UnknownToolset(
            f"unknown toolset {', '.join(unknown)}; choose from {', '.join(TOOLSETS)}, or 'all'"
        )
    return tuple(dict.fromkeys(chosen))


def select_tools(toolsets: Iterable[str] | None, *, read_only: bool) -> list[ToolDef]:
    """The tools to list: those of the enabled toolsets, and in read-only mode only the read tools."""
    enabled = set(resolve_toolsets(toolsets))
    return [t for t in ALL_TOOLS if t.toolset in enabled and (t.read_only or not read_only)]
