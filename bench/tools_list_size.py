"""Bytes of the tools/list result an agent reads on every turn: default set vs all, total and per tool.

    python bench/tools_list_size.py

Budgets (issue 15): the default set at most 16 KB in all; every toolset (`all`) at most 400 bytes per tool on
average. Tokens are estimated as bytes / 4.
"""

from __future__ import annotations

import anyio
from mcp import Client
from mcp.types import ListToolsResult

from gitcode_mcp.registry import toolsets
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import Settings

BUDGET_PER_TOOL = 400
BUDGET_DEFAULT = 16 * 1024


async def listed_bytes(settings: Settings) -> tuple[int, ListToolsResult]:
    async with Client(build_server(settings)) as client:
        result = await client.list_tools()
    return len(result.model_dump_json(by_alias=True, exclude_none=True).encode()), result


async def measure(label: str, settings: Settings, budget: str) -> None:
    total, result = await listed_bytes(settings)
    sizes = {t.name: len(t.model_dump_json(by_alias=True, exclude_none=True).encode()) for t in result.tools}
    average = total / len(sizes)
    if budget == "total":
        verdict = f"{'within' if total <= BUDGET_DEFAULT else 'OVER'} the {BUDGET_DEFAULT}-byte budget"
    elif budget == "average":
        verdict = f"{'within' if average <= BUDGET_PER_TOOL else 'OVER'} the {BUDGET_PER_TOOL}-byte average budget"
    else:
        verdict = "no budget of its own"
    print(
        f"{label}: {len(sizes)} tools, {total} bytes (~{total // 4} tokens), "
        f"{average:.0f} bytes/tool average ({verdict})"
    )
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {size:5d}  {name}")


async def main() -> None:
    await measure("default set", Settings(), "total")
    await measure("all toolsets", Settings(toolsets=("all",)), "average")
    await measure("all, read-only", Settings(toolsets=("all",), read_only=True), "")
    print("each toolset alone (what adding it to GITCODE_TOOLSETS costs, within a few bytes):")
    for name, toolset in toolsets().items():
        total, _ = await listed_bytes(Settings(toolsets=(name,)))
        count = len(toolset.tools)
        print(f"  {total:6d}  {name}{' (default)' if toolset.default else ''}: {count} tool{'s' * (count != 1)}")


if __name__ == "__main__":
    anyio.run(main)
