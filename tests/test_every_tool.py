"""One table-driven test walks every registered tool with the examples declared beside it, on the simulator.

For each example it asserts what GitCode received (the routes reached, in order; both auth headers; no token in
a URL; GET only from read tools) and what the agent got (no error; fewer bytes than GitCode sent). For each
argument it asserts that a value of the wrong type is refused before any request is sent.
"""

from __future__ import annotations

import json

import pytest

from gitcode_mcp.registry import ToolDef, all_tools
from gitcode_mcp.sandbox import Sandbox
from tests.conftest import TOKEN, Connect, refused, text

pytestmark = pytest.mark.anyio

CASES = [pytest.param(tool, i, id=f"{tool.name}-{i}") for tool in all_tools() for i in range(len(tool.examples))]
TOOLS = [pytest.param(tool, id=tool.name) for tool in all_tools()]
# A sparse GitCode answer (a 201 with three fields, a 204) may be smaller than any useful result, and a short file's
# text comes with its fence lines (about 70 bytes: content_safety.fenced).
SMALL_ANSWER = 300
# Reads GitCode takes as a POST: a workflow file checked (GitCode CLI ValidateActionsWorkflow) and an enterprise's
# issues searched with the filters in the body (AtomGit-MCP-Server getEnterpriseIssuesV8). Nothing changes.
READ_BY_POST = {"POST v8/repos/{owner}/{repo}/actions/workflows/validate", "POST v8/enterprises/{enterprise_id}/issues"}


def test_every_tool_has_examples() -> None:
    assert [t.name for t in all_tools() if not t.examples] == []


@pytest.mark.parametrize(("tool", "index"), CASES)
async def test_example(connect: Connect, sandbox: Sandbox, tool: ToolDef, index: int) -> None:
    example = tool.examples[index]
    async with connect(toolsets=("all",)) as client:
        result = await client.call_tool(tool.name, example.args)
    assert not result.is_error, text(result)
    assert [f"{r.method} {r.template}" for r in sandbox.requests] == list(example.sends)
    for request in sandbox.requests:
        assert request.status < 400, (request.method, request.path, request.status)
        if request.path.startswith("objects/"):  # object storage, reached by a pre-signed URL: never the token
            assert {"private-token", "authorization"}.isdisjoint(request.headers), request.path
            continue
        assert request.headers["private-token"] == TOKEN
        assert request.headers["authorization"] == f"Bearer {TOKEN}"
        assert TOKEN not in request.raw_path and TOKEN not in json.dumps(request.query)
        assert request.status < 400, (request.method, request.path, request.status)
    methods = {r.method for r in sandbox.requests if f"{r.method} {r.template}" not in READ_BY_POST}
    assert (methods <= {"GET"}) if tool.read_only else (methods - {"GET"}), methods
    answered = sum(r.response_size for r in sandbox.requests)
    shown = sum(len(block.text.encode()) for block in result.content if block.type == "text")
    assert shown < max(answered, SMALL_ANSWER), (shown, answered)
    assert TOKEN not in text(result)


@pytest.mark.parametrize("tool", TOOLS)
async def test_wrong_types_are_refused_before_any_request(connect: Connect, sandbox: Sandbox, tool: ToolDef) -> None:
    async with connect(toolsets=("all",)) as client:
        listed = {t.name: t for t in (await client.list_tools()).tools}[tool.name]
        for name in listed.input_schema["properties"]:
            args = {**tool.examples[0].args, name: {"wrong": "type"}}
            error = await refused(client, tool.name, args)
            assert f"`{name}`" in error, (name, error)
    assert sandbox.requests == []
