"""Contents quirks: base64 decoded to text, binary described, directories listed, each path segment encoded."""

from __future__ import annotations

import json

import pytest

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import Connect, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_get_file_contents_decodes_text(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    async with connect(mode=mode) as client:
        result = await client.call_tool("get_file_contents", {**DEMO, "path": "docs/guide zh.md", "ref": "feature"})
    [request] = sandbox.requests
    assert request.method == "GET" and request.raw_path == "repos/alice/demo/contents/docs/guide%20zh.md"
    assert request.query == {"ref": "feature"}
    meta, body = text(result).split("\n", 1)
    assert body == "# 指南\n\n第一步：安装。\n"
    info = json.loads(meta)
    assert info["path"] == "docs/guide zh.md" and info["ref"] == "feature" and info["lines"] == 3
    assert info["size"] == len(body.encode()) and info["sha"]


async def test_get_file_contents_percent_encodes_each_segment(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("get_file_contents", {**DEMO, "path": "src/a?b#c%d.py"})
    assert sandbox.requests[0].raw_path == "repos/alice/demo/contents/src/a%3Fb%23c%25d.py"
    assert result.is_error and "404" in text(result)


async def test_get_file_contents_reports_binary_without_dumping_it(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("get_file_contents", {**DEMO, "path": "assets/logo.png"})
    assert len(result.content) == 1
    info = json.loads(text(result))
    assert info["binary"] is True and info["size"] == 80 and "content" not in info
    assert "PNG" not in text(result)


async def test_get_file_contents_lists_a_directory(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("get_file_contents", {**DEMO, "path": "src/"})
    listing = json.loads(text(result))
    assert listing == {"path": "src", "entries": [{"path": "src/app.py", "type": "file", "size": 68}]}


async def test_works_without_a_token_on_public_data(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(token=None) as client:
        result = await client.call_tool("get_file_contents", {**DEMO, "path": "README.md"})
    assert not result.is_error
    assert "private-token" not in sandbox.requests[0].headers and "authorization" not in sandbox.requests[0].headers
