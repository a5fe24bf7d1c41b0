"""Narrowing only narrows: the operator's --no-destructive, --tools, --exclude-tools and --repos, and over HTTP a
request's X-MCP-* headers, which may take away and never give back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from pydantic import SecretStr

from gitcode_mcp.cli import main, parse_args, settings_from
from gitcode_mcp.http_app import build_http_app
from gitcode_mcp.narrowing import Reach, operator_reach
from gitcode_mcp.registry import all_tools
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.settings import SANDBOX_API_URL, Settings
from tests.conftest import TOKEN, Connect, call, refused, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
INFRA = {"owner": "gitcode-ent", "repo": "infra"}
DESTRUCTIVE = {t.name for t in all_tools() if t.destructive}
WRITES = {t.name for t in all_tools() if not t.read_only}


async def listed(connect: Connect, **settings: Any) -> set[str]:
    async with connect(**settings) as client:
        return {t.name for t in (await client.list_tools()).tools}


# --- the operator's narrowing ------------------------------------------------------------------------------------


async def test_no_destructive_lists_no_destructive_tool_whatever_the_toolsets(connect: Connect) -> None:
    names = await listed(connect, toolsets=("all",), no_destructive=True, tools=("delete_branch",))
    assert names and not names & DESTRUCTIVE
    assert "create_branch" in names  # writes that destroy nothing stay


async def test_single_tools_join_the_toolsets_and_narrowing_wins(connect: Connect) -> None:
    names = await listed(connect, toolsets=None, tools=("get_repository", "create_label"))
    assert {"get_repository", "create_label", "get_pull_request"} <= names
    assert "list_labels" not in names  # one tool, not its toolset
    read_only = await listed(connect, toolsets=None, tools=("create_label",), read_only=True)
    assert "create_label" not in read_only and not read_only & WRITES


async def test_excluded_tools_are_gone_by_their_whole_name(connect: Connect) -> None:
    names = await listed(connect, toolsets=("all",), exclude_tools="delete_.*|transfer_repository")
    assert not {n for n in names if n.startswith("delete_")} and "transfer_repository" not in names
    assert "remove_collaborator" in names and "list_branches" in names  # 'delete' alone matches no whole name


async def test_a_repository_outside_the_list_is_refused_before_any_request(connect: Connect, sandbox: Sandbox) -> None:
    repos = ("alice/demo",)
    assert (await call(connect, "get_repository", DEMO, repos=repos))["full_name"] == "alice/demo"
    sandbox.requests.clear()
    for tool, args in [
        ("get_repository", INFRA),
        ("list_branches", {"owner": "alice", "repo": "secret"}),
        ("create_issue", {**INFRA, "title": "t", "body": "b"}),
        # named inside other arguments: a fork's branch, a transfer's target, a fork's target, search's filter
        ("create_pull_request", {**DEMO, "title": "t", "head": "bob:feature", "base": "main"}),
        ("transfer_repository", {**DEMO, "new_owner": "gitcode-ent"}),
        ("fork_repository", {**DEMO, "organization": "gitcode-mcp"}),
        ("search_gitcode", {"q": "x", "kind": "issues", "repo": "gitcode-ent/infra"}),
    ]:
        error = await refused(connect, tool, args, repos=repos)
        assert "is outside the repositories this server may reach" in error, (tool, error)
    # a target the server cannot name (your own account) is refused rather than guessed
    assert "--repos" in await refused(connect, "create_repository", {"name": "x"}, repos=repos)
    assert "--repos" in await refused(connect, "fork_repository", DEMO, repos=repos)
    assert sandbox.requests == []


async def test_owner_wildcards_and_case(connect: Connect) -> None:
    await call(connect, "get_repository", DEMO, repos=("Alice/*",))
    await call(connect, "get_repository", {"owner": "alice", "repo": "secret"}, repos=("alice/*",))
    await refused(connect, "get_repository", INFRA, repos=("alice/*",))


async def test_lists_across_repositories_leave_out_those_outside(connect: Connect) -> None:
    everything = await call(connect, "list_my_repos", {})
    assert {r["full_name"] for r in everything["items"]} == {"alice/demo", "alice/secret"}
    narrowed = await call(connect, "list_my_repos", {}, repos=("alice/demo",))
    assert [r["full_name"] for r in narrowed["items"]] == ["alice/demo"]
    assert narrowed["withheld"] == "1 outside the repositories this server may reach"
    events = await call(connect, "list_user_events", {"username": "alice"}, repos=("alice/demo",))
    assert events["events"] and {e["repo"] for e in events["events"]} == {"alice/demo"}
    found = await call(connect, "search_gitcode", {"q": "demo", "kind": "repositories"}, repos=("bob/*",))
    assert found["items"] == [] and "withheld" in found


# --- a request's headers over HTTP -------------------------------------------------------------------------------


@asynccontextmanager
async def over_http(sandbox: Sandbox, headers: dict[str, str], **settings: Any) -> AsyncIterator[Client]:
    values: dict[str, Any] = {
        "api_url": SANDBOX_API_URL,
        "token": SecretStr(TOKEN),
        "transport": "streamable-http",
        "toolsets": ("all",),
    }
    app = build_http_app(Settings(**(values | settings)), httpx2.ASGITransport(app=sandbox.app))
    async with app.router.lifespan_context(app):
        http = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1:8000", headers=headers
        )
        async with http, Client(streamable_http_client("http://127.0.0.1:8000/mcp", http_client=http)) as client:
            yield client


async def names_and_call(client: Client, tool: str, args: dict[str, Any]) -> tuple[set[str], Any]:
    return {t.name for t in (await client.list_tools()).tools}, await client.call_tool(tool, args)


async def test_headers_narrow_the_tools_listed_and_callable() -> None:
    sandbox = Sandbox()
    async with over_http(sandbox, {"X-MCP-Toolsets": "branches", "X-MCP-Tools": "get_issue"}) as client:
        names, result = await names_and_call(client, "create_issue", {**DEMO, "title": "t", "body": "b"})
    assert names == {t.name for t in all_tools() if t.toolset == "branches"} | {"get_issue"}
    assert result.is_error and "Unknown tool: create_issue" in text(result)
    assert sandbox.requests == []


@pytest.mark.parametrize(
    "headers",
    [
        {"X-MCP-Read-Only": "0", "X-MCP-Tools": "create_issue"},
        {"X-MCP-Toolsets": "all", "X-MCP-Read-Only": "false"},
        {"X-MCP-Toolsets": "issues,nope"},
    ],
)
async def test_a_header_never_turns_a_write_tool_back_on(headers: dict[str, str]) -> None:
    sandbox = Sandbox()
    async with over_http(sandbox, headers, read_only=True) as client:
        names, result = await names_and_call(client, "create_issue", {**DEMO, "title": "t", "body": "b"})
    assert not names & WRITES
    assert result.is_error and sandbox.requests == []


async def test_read_only_by_header_hides_and_refuses_writes() -> None:
    sandbox = Sandbox()
    async with over_http(sandbox, {"X-MCP-Read-Only": "1"}) as client:
        names, result = await names_and_call(client, "delete_branch", {**DEMO, "branch": "docs"})
        assert not (await client.call_tool("list_branches", DEMO)).is_error
    assert names and not names & WRITES
    assert result.is_error and [r.method for r in sandbox.requests] == ["GET"]


async def test_a_header_cannot_reach_a_repository_outside_the_operators_list() -> None:
    sandbox = Sandbox()
    async with over_http(sandbox, {"X-MCP-Repos": "gitcode-ent/infra,alice/demo"}, repos=("alice/demo",)) as client:
        outside = await client.call_tool("get_repository", INFRA)
        inside = await client.call_tool("get_repository", DEMO)
    assert outside.is_error and "outside the repositories" in text(outside)
    assert not inside.is_error
    assert [r.path for r in sandbox.requests] == ["repos/alice/demo"]


async def test_a_header_narrows_the_repositories_further() -> None:
    sandbox = Sandbox()
    async with over_http(sandbox, {"X-MCP-Repos": "alice/secret"}, repos=("alice/*",)) as client:
        assert (await client.call_tool("get_repository", DEMO)).is_error
        assert not (await client.call_tool("get_repository", {"owner": "alice", "repo": "secret"})).is_error
    async with over_http(Sandbox(), {"X-MCP-Repos": "not a pattern"}) as client:
        assert (await client.call_tool("get_repository", DEMO)).is_error  # an unreadable list allows nothing


def test_lockdown_by_header_only_turns_on() -> None:
    by_name = {t.name: t for t in all_tools()}
    on = operator_reach(Settings(lockdown=True, toolsets=("all",)))
    off = operator_reach(Settings(toolsets=("all",)))
    assert on.narrowed({"x-mcp-lockdown": "0"}, by_name).lockdown is True
    assert off.narrowed({"x-mcp-lockdown": "1"}, by_name).lockdown is True
    assert off.narrowed({"x-mcp-lockdown": "no"}, by_name).lockdown is False
    assert Reach(frozenset()).narrowed(None, by_name) == Reach(frozenset())


# --- the command line --------------------------------------------------------------------------------------------


def test_narrowing_flags_and_variables() -> None:
    env = {"GITCODE_TOOLS": "get_repository", "GITCODE_NO_DESTRUCTIVE": "1", "GITCODE_REPOS": "Alice/Demo, bob/*"}
    s = settings_from(parse_args([]), env)
    assert (s.tools, s.no_destructive, s.repos) == (("get_repository",), True, ("alice/demo", "bob/*"))
    s = settings_from(parse_args(["--tools", "create_label", "--exclude-tools", "delete_.*", "--repos", "a/b"]), env)
    assert (s.tools, s.exclude_tools, s.repos) == (("create_label",), "delete_.*", ("a/b",))


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--tools", "get_repo"], "unknown tool get_repo"),
        (["--exclude-tools", "delete_("], "is not a regular expression"),
        (["--repos", "alice"], "'alice' is not owner/repo or owner/*"),
        (["--repos", "*/demo"], "is not owner/repo or owner/*"),
    ],
)
def test_a_narrowing_that_cannot_be_read_fails_at_start(
    argv: list[str], says: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(argv) == 2
    assert says in capsys.readouterr().err
