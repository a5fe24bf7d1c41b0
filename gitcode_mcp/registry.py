"""Toolsets and the tools attached to them, declared where they live.

An area module (tools/<area>.py) declares its toolset and attaches each tool with a decorator that says what
the tool may do:

    pulls = Toolset("pulls", "Read, open and review pull requests", default=True)

    @pulls.read(Example({"owner": "alice", "repo": "demo", "number": 1}, "GET repos/{owner}/{repo}/pulls/{number}"))
    async def get_pull_request(...): ...

The kind sets the MCP annotations and whether read-only mode lists the tool; the examples drive the
table-driven test, and say which kind is true: a tool whose examples send a DELETE, or a write that removes though it
is none (endpoints.REMOVING), is destructive, and only such a tool (tests/test_registry.py checks it). The registry
finds the area modules itself: nothing else lists tool names.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal, TypeVar

from mcp_types import ToolAnnotations

from gitcode_mcp.endpoints import REMOVING

Fn = TypeVar("Fn", bound=Callable[..., Any])
Kind = Literal["read", "write", "destructive"]


@dataclass(frozen=True)
class Example:
    """Arguments that work on the simulator's seeded world, and the requests ("METHOD template") they cause."""

    args: dict[str, Any]
    sends: tuple[str, ...]

    def __init__(self, args: dict[str, Any], *sends: str) -> None:
        object.__setattr__(self, "args", args)
        object.__setattr__(self, "sends", sends)


def removes(sent: str) -> bool:
    """Whether a request ("METHOD template") takes away what is there."""
    return sent.startswith("DELETE ") or sent in REMOVING


@dataclass(frozen=True)
class ToolDef:
    fn: Callable[..., Any]
    toolset: str
    kind: Kind
    idempotent: bool
    examples: tuple[Example, ...]
    # A destructive tool whose calls do not all remove (an edit that replaces labels only when labels are given):
    # which calls a person is asked to confirm. None: every call.
    asks: Callable[[Mapping[str, Any]], bool] | None = None

    @property
    def name(self) -> str:
        return self.fn.__name__

    @property
    def read_only(self) -> bool:
        return self.kind == "read"

    @property
    def destructive(self) -> bool:
        return self.kind == "destructive"

    @property
    def removes(self) -> bool:
        """Whether its examples send a DELETE, or a write that removes though it is no DELETE (endpoints.REMOVING):
        what its kind must then say (destructive), checked by tests/test_registry.py."""
        return any(removes(sent) for example in self.examples for sent in example.sends)

    @property
    def description(self) -> str:
        """What agents read in tools/list (and the README's table): the function's docstring."""
        return inspect.cleandoc(self.fn.__doc__ or "")

    @property
    def annotations(self) -> ToolAnnotations | None:
        """Only the hints that differ from the protocol's defaults (readOnly false, destructive true,
        idempotent false, openWorld true); the others would cost every agent bytes on every turn."""
        if self.kind == "read":
            return ToolAnnotations(read_only_hint=True)
        hints = ToolAnnotations(
            destructive_hint=False if self.kind == "write" else None,
            idempotent_hint=True if self.idempotent else None,
        )
        return hints if hints.model_dump(exclude_none=True) else None


@dataclass
class Toolset:
    name: str
    purpose: str
    default: bool = False
    tools: list[ToolDef] = field(default_factory=list)

    def read(self, *examples: Example) -> Callable[[Fn], Fn]:
        return self._attach("read", False, examples)

    def write(self, *examples: Example, idempotent: bool = False) -> Callable[[Fn], Fn]:
        return self._attach("write", idempotent, examples)

    def destructive(
        self, *examples: Example, idempotent: bool = False, asks: Callable[[Mapping[str, Any]], bool] | None = None
    ) -> Callable[[Fn], Fn]:
        """`asks`: for a tool only some of whose calls remove, which calls a person confirms (by their arguments)."""
        return self._attach("destructive", idempotent, examples, asks)

    def _attach(
        self,
        kind: Kind,
        idempotent: bool,
        examples: tuple[Example, ...],
        asks: Callable[[Mapping[str, Any]], bool] | None = None,
    ) -> Callable[[Fn], Fn]:
        def attach(fn: Fn) -> Fn:
            self.tools.append(ToolDef(fn, self.name, kind, idempotent, examples, asks))
            return fn

        return attach


class UnknownToolset(ValueError):
    pass


@cache
def toolsets() -> dict[str, Toolset]:
    """Every toolset, found in the modules and packages of gitcode_mcp.tools: the default ones first, then by name."""
    import gitcode_mcp.tools as package

    found: list[Toolset] = []
    for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
        loaded = importlib.import_module(module.name)
        found.extend(v for v in vars(loaded).values() if isinstance(v, Toolset))
    found.sort(key=lambda t: (not t.default, t.name))
    return {t.name: t for t in found}


def all_tools() -> list[ToolDef]:
    return [tool for toolset in toolsets().values() for tool in toolset.tools]


@cache
def tools_by_name() -> dict[str, ToolDef]:
    return {tool.name: tool for tool in all_tools()}


def default_toolsets() -> tuple[str, ...]:
    return tuple(name for name, t in toolsets().items() if t.default)


def resolve_toolsets(names: Iterable[str] | None) -> tuple[str, ...]:
    """The toolsets to enable: None or empty means the default set, 'all' means every one."""
    chosen = [n.strip() for n in names or () if n.strip()]
    if not chosen:
        return default_toolsets()
    if "all" in chosen:
        return tuple(toolsets())
    unknown = [n for n in chosen if n not in toolsets()]
    if unknown:
        raise UnknownToolset(f"unknown toolset {', '.join(unknown)}; choose from {', '.join(toolsets())}, or 'all'")
    return tuple(dict.fromkeys(chosen))


def select_tools(names: Iterable[str] | None, *, read_only: bool) -> list[ToolDef]:
    """The tools to list: those of the enabled toolsets, and in read-only mode only the read tools."""
    enabled = set(resolve_toolsets(names))
    return [t for t in all_tools() if t.toolset in enabled and (t.read_only or not read_only)]
