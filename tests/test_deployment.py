"""The team deployment end to end: `gitcode-mcp` over Streamable HTTP and SSE as a subprocess on a loopback port,
eight callers with their own tokens at once, the probes, a foreign Host, two stateless workers, and the sign-in
with GitCode (--oauth) across two replicas."""

from __future__ import annotations

import json
import secrets
from contextlib import ExitStack
from pathlib import Path

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from gitcode_mcp import __version__
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import User
from tests.conftest import free_port
from tests.oauth_client import browser_for, signed_in
from tests.test_transports import READ_TIMEOUT, TEST_DEADLINE, result_text, serving

pytestmark = pytest.mark.anyio
CALLERS = 8


def add_users(sandbox: Sandbox) -> None:
    for i in range(CALLERS):
        user = User(f"{i:024x}", f"user{i}", f"User {i}")
        sandbox.world.users[user.login] = user
        sandbox.world.tokens[f"caller-token-{i}"] = user


def assert_each_request_carried_its_callers_token(sandbox: Sandbox, calls: int) -> None:
    assert len(sandbox.requests) == calls
    for request in sandbox.requests:
        owner = request.path.removeprefix("users/user")
        assert request.headers["private-token"] == f"caller-token-{owner}"
        assert request.headers["authorization"] == f"Bearer caller-token-{owner}"


@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
async def test_eight_callers_at_once_each_with_their_own_token(
    transport: str, gitcode_double: tuple[Sandbox, str], tmp_path: Path
) -> None:
    sandbox = gitcode_double[0]
    add_users(sandbox)
    with serving(transport, gitcode_double, tmp_path) as (_, port, log), anyio.fail_after(TEST_DEADLINE):

        async def one(i: int) -> None:
            headers = {"Authorization": f"Bearer caller-token-{i}"}
            if transport == "sse":
                streams = sse_client(f"http://127.0.0.1:{port}/sse", headers=headers)
            else:
                http = httpx2.AsyncClient(headers=headers, timeout=READ_TIMEOUT)
                streams = streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http)
            async with Client(streams, read_timeout_seconds=READ_TIMEOUT) as client:
                for _ in range(5):
                    result = await client.call_tool("get_user", {"username": f"user{i}"})
                    assert not result.is_error, result_text(result)
                    assert json.loads(result_text(result))["login"] == f"user{i}"

        async with anyio.create_task_group() as group:
            for i in range(CALLERS):
                group.start_soon(one, i)
        server_log = log.read_text(errors="replace")
    assert_each_request_carried_its_callers_token(sandbox, CALLERS * 5)
    assert "caller-token" not in server_log and "bob-token" not in server_log


async def test_required_caller_token(gitcode_double: tuple[Sandbox, str], tmp_path: Path) -> None:
    with serving("streamable-http", gitcode_double, tmp_path, "--require-caller-token") as (sandbox, port, _):
        async with Client(f"http://127.0.0.1:{port}/mcp", read_timeout_seconds=READ_TIMEOUT) as client:
            result = await client.call_tool("get_user", {"username": "bob"})
    assert result.is_error and "needs your own GitCode token" in result_text(result)
    assert sandbox.requests == []  # the server's GITCODE_TOKEN was set, and not used


async def test_probes_and_a_foreign_host(gitcode_double: tuple[Sandbox, str], tmp_path: Path) -> None:
    with serving("streamable-http", gitcode_double, tmp_path) as (sandbox, port, _):
        async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            health = await http.get("/healthz")
            ready = await http.get("/readyz")
            foreign = await http.post("/mcp", json={}, headers={"Host": "attacker.example:80"})
    assert health.status_code == 200 and health.json()["version"] == __version__
    assert ready.status_code == 200 and ready.json()["gitcode"] == "reachable"
    assert foreign.status_code == 421
    assert len(sandbox.requests) == 1  # the readiness check


async def test_two_stateless_workers_answer_any_request(gitcode_double: tuple[Sandbox, str], tmp_path: Path) -> None:
    with serving("streamable-http", gitcode_double, tmp_path, "--workers", "2") as (sandbox, port, log):
        async with httpx2.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            workers: set[int] = set()
            with anyio.fail_after(TEST_DEADLINE):
                while len(workers) < 2:  # both processes up and answering on the one port
                    answer = await http.get("/healthz", headers={"Connection": "close"})
                    workers.add(answer.json()["worker"])
        # Fresh connections land on either worker; each call must work wherever it lands, in both protocol eras.
        for mode in ("auto", "legacy", "auto"):
            async with Client(f"http://127.0.0.1:{port}/mcp", mode=mode, read_timeout_seconds=READ_TIMEOUT) as client:
                for _ in range(5):
                    result = await client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
                    assert not result.is_error, result_text(result)
        assert "2 workers" in log.read_text(errors="replace")
    assert len(workers) == 2 and len(sandbox.requests) == 15


async def test_oauth_sign_in_and_two_replicas_that_accept_each_others_tokens(
    gitcode_double: tuple[Sandbox, str], tmp_path: Path
) -> None:
    """Two replicas behind one public URL with one key, a third deployment elsewhere with the same key; GitCode's
    double holds the OAuth app, registered for the public URL's callback."""
    sandbox = gitcode_double[0]
    one, two, three = free_port(), free_port(), free_port()
    public = f"http://127.0.0.1:{one}"
    sandbox.oauth.register("team-app", "team-app-secret", (f"{public}/oauth/callback",))
    env = {"GITCODE_OAUTH_CLIENT_ID": "team-app", "GITCODE_OAUTH_CLIENT_SECRET": "team-app-secret"}
    env["GITCODE_OAUTH_KEY"] = secrets.token_urlsafe(32)
    args = ("--oauth", "--stateless", "--oauth-only")
    with ExitStack() as servers, anyio.fail_after(TEST_DEADLINE * 2):
        logs = [
            servers.enter_context(
                serving("streamable-http", gitcode_double, tmp_path, *args, "--public-url", url, port=port, env=env)
            )[2]
            for port, url in ((one, public), (two, public), (three, f"http://localhost:{three}"))
        ]
        browser = browser_for(public, login="bob")
        async with browser.http, signed_in(public, browser) as session:
            me = await session.client.call_tool("get_user", {})
        # The second replica takes the first one's tokens: no sign-in (no browser), and a refresh works there.
        async with signed_in(f"http://127.0.0.1:{two}", None, storage=session.storage) as elsewhere:
            pr = await elsewhere.client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
            elsewhere.expire_access_token()
            again = await elsewhere.client.call_tool("get_user", {})
        tokens = session.storage.tokens
        assert tokens is not None
        async with httpx2.AsyncClient(timeout=READ_TIMEOUT) as http:
            foreign = await http.post(  # the same key, another deployment: another audience
                f"http://localhost:{three}/mcp",
                json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                headers={"Authorization": f"Bearer {tokens.access_token}"},
            )
            pasted = await http.post(  # --oauth-only: a caller's own token header is not taken
                f"http://127.0.0.1:{two}/mcp",
                json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                headers={"X-GitCode-Token": "bob-token"},
            )
        server_logs = "".join(log.read_text(errors="replace") for log in logs)

    for result in (me, pr, again):
        assert not result.is_error, result_text(result)
    assert json.loads(result_text(me))["login"] == "bob" and json.loads(result_text(again))["login"] == "bob"
    assert foreign.status_code == 401 and pasted.status_code == 401
    [gitcode_token] = [t for t, u in sandbox.world.tokens.items() if u.login == "bob" and t != "bob-token"]
    api = [r for r in sandbox.requests if not r.path.startswith("oauth/")]
    assert [r.path for r in api] == ["user", "user", "repos/alice/demo/pulls/1", "user"]
    assert all(r.headers["private-token"] == gitcode_token for r in api)
    [exchange] = [r for r in sandbox.requests if r.path == "oauth/token"]
    assert exchange.body["redirect_uri"] == f"{public}/oauth/callback"
    for secret in (gitcode_token, tokens.access_token, tokens.refresh_token or "", "team-app-secret"):
        assert secret not in server_logs
    assert f"callback URL is {public}/oauth/callback" in server_logs
