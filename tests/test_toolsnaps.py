"""Layer 3: what agents see of every tool (name, description, input schema, annotations) is a reviewed file.

A change to a tool's schema fails here until its snapshot is regenerated and the diff read:
    UPDATE_TOOLSNAPS=1 python -m pytest tests/test_toolsnaps.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import Connect

pytestmark = pytest.mark.anyio

SNAPS = Path(__file__).parent / "toolsnaps"


async def test_tool_schemas_match_snapshots(connect: Connect) -> None:
    async with connect(toolsets=("all",)) as client:
        tools = (await client.list_tools()).tools
    update = os.environ.get("UPDATE_TOOLSNAPS") == "1"
    SNAPS.mkdir(exist_ok=True)
    seen = set()
    for tool in tools:
        seen.add(f"{tool.name}.json")
        current = (
            json.dumps(tool.model_dump(mode="json", by_alias=True, exclude_none=True), indent=2, ensure_ascii=False)
            + "\n"
        )
        snap = SNAPS / f"{tool.name}.json"
        if update:
            snap.write_text(current, encoding="utf-8")
        assert snap.exists(), f"no snapshot for {tool.name}: run with UPDATE_TOOLSNAPS=1 and review it"
        assert snap.read_text(encoding="utf-8") == current, f"{tool.name} changed: review, then UPDATE_TOOLSNAPS=1"
    stale = {p.name for p in SNAPS.glob("*.json")} - seen
    if update:
        for name in stale:
            (SNAPS / name).unlink()
    assert update or not stale, f"snapshots of tools that no longer exist: {sorted(stale)}"
