"""What a tool may do, declared beside it: a read, a write, or a destructive write.

The kind decides the MCP annotations an agent sees and whether read-only mode lists the tool.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcp_types import ToolAnnotations


@dataclass(frozen=True)
class ToolDef:
    fn: Callable[..., Any]
    read_only: bool
    destructive: bool = False
    idempotent: bool = False
    toolset: str = ""

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def description(self) -> str:
        """What agents read in tools/list (and the README's table): the function's docstring."""
        return inspect.cleandoc(self.fn.__doc__ or "")

    @property
    def annotations(self) -> ToolAnnotations:
        return ToolAnnotations(
            read_only_hint=self.read_only,
            destructive_hint=self.destructive,
            idempotent_hint=self.idempotent,
            open_world_hint=True,
        )


def read(fn: Callable[..., Any]) -> ToolDef:
    return ToolDef(fn, read_only=True, idempotent=True)


def write(fn: Callable[..., Any], *, idempotent: bool = False) -> ToolDef:
    return ToolDef(fn, read_only=False, idempotent=idempotent)


def destructive(fn: Callable[..., Any]) -> ToolDef:
    return ToolDef(fn, read_only=False, destructive=True)
