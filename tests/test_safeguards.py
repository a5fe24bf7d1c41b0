"""Rate limits respected per token (GitCode's 429 holds that token back; an optional pace spaces its requests; one
caller never slows another), and the audit trail of a team deployment (a JSON line per write, never the token)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from gitcode_mcp.cli import main
from gitcode_mcp.http_app import build_http_app
from gitcode_mcp.ratelimit import fingerprint
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.settings import SANDBOX_API_URL, Settings
from tests.conftest import TOKEN, Connect, call, refused, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
ISSUE = {**DEMO, "title": "t", "body": "b"}
LIMITED = {"status": 429, "headers": {"Retry-After": "60"}, "body": {"message": "429 Too Many Requests"}}


# --- GitCode's 429 holds the token back ------------------------------------------------------------------------


async def test_after_a_429_the_same_token_fails_fast_and_sends_nothing(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/branches$", **LIMITED)
    async with connect() as client:
        first = await client.call_tool("list_branches", DEMO)
        assert first.is_error and "429" in text(first) and "retry after 60 s" in text(first)
        again = await client.call_tool("get_issue", {**DEMO, "number": 1})
        write = await client.call_tool("create_issue", ISSUE)
    assert len(sandbox.requests) == 1  # only the first reached GitCode
    for result in (again, write):
        assert result.is_error and "rate limited: GitCode refused this token moments ago" in text(result)
        assert "nothing was sent; try again in 60 s" in text(result)


async def test_a_short_hold_is_waited_out_by_a_read(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("POST", r"/issues$", status=429, headers={"Retry-After": "0.2"})
    async with connect() as client:
        write = await client.call_tool("create_issue", ISSUE)  # a write is never retried
        read = await client.call_tool("get_issue", {**DEMO, "number": 1})  # waits 0.2 s, then is sent
    assert write.is_error and not read.is_error
    assert [r.method for r in sandbox.requests] == ["POST", "GET"]


async def test_a_write_is_not_sent_into_a_hold_even_a_short_one(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/branches$", status=429, headers={"Retry-After": "5"}, times=3)
    async with connect(retries=0) as client:
        await client.call_tool("list_branches", DEMO)
        write = await client.call_tool("create_issue", ISSUE)
    assert write.is_error and "nothing was sent" in text(write)
    assert [r.method for r in sandbox.requests] == ["GET"]


async def test_the_pace_spaces_a_tokens_requests(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(rate_limit="2/min", max_retry_wait=0) as client:
        assert not (await client.call_tool("list_branches", DEMO)).is_error
        assert not (await client.call_tool("list_branches", DEMO)).is_error
        third = await client.call_tool("create_issue", ISSUE)
    assert third.is_error and "at most 2 requests per 60 s for a token" in text(third)
    assert "nothing was sent" in text(third) and len(sandbox.requests) == 2


async def test_one_caller_over_http_never_slows_another() -> None:
    sandbox = Sandbox()
    sandbox.fail("GET", r"/branches$", **LIMITED)
    settings = Settings(api_url=SANDBOX_API_URL, transport="streamable-http", toolsets=("all",), rate_limit="2/min")
    app = build_http_app(settings, httpx2.ASGITransport(app=sandbox.app))

    def caller(token: str) -> Client:
        http = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app),
            base_url="http://127.0.0.1:8000",
            headers={"X-GitCode-Token": token},
        )
        return Client(streamable_http_client("http://127.0.0.1:8000/mcp", http_client=http))

    async with app.router.lifespan_context(app), caller(TOKEN) as alice, caller("bob-token") as bob:
        assert (await alice.call_tool("list_branches", DEMO)).is_error  # GitCode's 429, for alice's token
        assert "nothing was sent" in text(await alice.call_tool("list_branches", DEMO))
        for _ in range(2):  # bob's own pace is untouched by alice's hold and by her requests
            assert not (await bob.call_tool("list_branches", DEMO)).is_error
    assert [r.headers["private-token"] for r in sandbox.requests] == [TOKEN, "bob-token", "bob-token"]


# --- the audit trail -----------------------------------------------------------------------------------------


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


async def test_every_write_sent_is_one_line_with_no_token(connect: Connect, sandbox: Sandbox, tmp_path: Path) -> None:
    log = tmp_path / "audit.jsonl"
    sandbox.fail("DELETE", r"/branches/docs$", status=502)
    async with connect(audit_log=str(log)) as client:
        await call(client, "create_issue", ISSUE)
        await call(client, "list_branches", DEMO)  # a read: not recorded
        await refused(client, "delete_branch", {**DEMO, "branch": "docs"})
        await refused(client, "create_issue", {**ISSUE, "body": f"token {TOKEN}"})  # refused before sending
    written = lines(log)
    assert [(w["tool"], w["method"], w["path"], w["outcome"]) for w in written] == [
        ("create_issue", "POST", "repos/alice/issues", 201),
        ("delete_branch", "DELETE", "repos/alice/demo/branches/docs", 502),
    ]
    assert {w["caller"] for w in written} == {fingerprint(TOKEN)}
    assert TOKEN not in log.read_text() and all(w["time"].endswith("+00:00") for w in written)


async def test_a_lost_answer_is_recorded_as_unknown_and_reads_on_request(
    connect: Connect, sandbox: Sandbox, tmp_path: Path
) -> None:
    log = tmp_path / "audit.jsonl"
    sandbox.fail("POST", r"/issues$", delay=5.0)
    async with connect(audit_log=str(log), audit_reads=True, timeout=0.5) as client:
        await call(client, "get_issue", {**DEMO, "number": 1})
        await refused(client, "create_issue", ISSUE)
    assert [(w["method"], w["outcome"]) for w in lines(log)] == [("GET", 200), ("POST", "may or may not have happened")]


def test_audit_and_pace_settings_are_checked_at_start(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["--rate-limit", "fast"]) == 2
    assert "is not a rate like 50/min" in capsys.readouterr().err
    assert main(["--audit-log", str(tmp_path / "no" / "such" / "dir" / "a.jsonl")]) == 2
    assert "cannot be written" in capsys.readouterr().err
