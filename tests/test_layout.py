"""The package's import structure, as docs/architecture.md draws it: no circle, the simulator beside the tools (it
imports only the ground floor), and no module of the layers below the tools reaching up into them. What a layer finds
by name (the registry its tools, the simulator's core its areas and the kettle project, with importlib) is discovery,
not an import: the found modules import the finder, never the other way round."""

from __future__ import annotations

import ast
from functools import cache
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gitcode_mcp"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def imports() -> dict[str, set[str]]:
    """Every module of the package -> the package's modules it imports, wherever the import stands (a lazy import in a
    function is an import all the same)."""
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(
                        package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                    )
                targets.add(base)
                targets |= {f"{base}.{alias.name}" for alias in node.names}
        found[name] = {t for t in targets if t in modules and t != name}
    return found


def test_no_import_circle() -> None:
    graph = imports()
    # A package's __init__ that hands its modules' names on is not a circle with them.
    graph = {m: {t for t in ts if not m.startswith(t + ".")} for m, ts in graph.items()}
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as circle:
        raise AssertionError(f"an import circle: {' -> '.join(circle.args[1])}") from None


def test_the_simulator_imports_only_the_ground_floor() -> None:
    ground = {"gitcode_mcp", "gitcode_mcp.endpoints", "gitcode_mcp.paths", "gitcode_mcp.settings"}
    reached = {
        (m, t)
        for m, ts in imports().items()
        if m.startswith("gitcode_mcp.sandbox")
        for t in ts
        if not t.startswith("gitcode_mcp.sandbox") and t not in ground
    }
    assert not reached, f"the simulator reaches above the ground floor: {sorted(reached)}"


def test_nothing_below_the_tools_imports_them() -> None:
    """Only the layers above the tools may import tools/; and the registry, whose discovery walks the package."""
    above = {
        "gitcode_mcp.server",
        "gitcode_mcp.tool_build",
        "gitcode_mcp.calls",
        "gitcode_mcp.cli",
        "gitcode_mcp.http_app",
    }
    reached = {
        (m, t)
        for m, ts in imports().items()
        if not m.startswith("gitcode_mcp.tools") and m not in above | {"gitcode_mcp.registry"}
        for t in ts
        if t.startswith("gitcode_mcp.tools")
    }
    assert not reached, f"modules below the tools import them: {sorted(reached)}"
    assert not any(
        t.startswith("gitcode_mcp.sandbox")
        for m, ts in imports().items()
        if m.startswith("gitcode_mcp.tools")
        for t in ts
    )
