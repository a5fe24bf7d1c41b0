"""The README's tool list is the registry's: a tool added without its line fails here."""

from __future__ import annotations

from pathlib import Path

from gitcode_mcp.registry import toolsets

README = Path(__file__).resolve().parent.parent / "README.md"


def tool_table() -> str:
    lines = ["| toolset | tool | kind | what it does |", "|---|---|---|---|"]
    for toolset in toolsets().values():
        default = " (default)" if toolset.default else ""
        lines.append(f"| **{toolset.name}**{default} | | | {toolset.purpose} |")
        for tool in toolset.tools:
            lines.append(f"| | `{tool.name}` | {tool.kind} | {tool.description} |")
    return "\n".join(lines)


def test_readme_lists_every_tool() -> None:
    expected = tool_table()
    assert expected in README.read_text(encoding="utf-8"), "README tool table is stale; replace it with:\n" + expected


def test_readme_test_command_is_what_ci_runs() -> None:
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert f"\n{ci}\n" in README.read_text(encoding="utf-8")
