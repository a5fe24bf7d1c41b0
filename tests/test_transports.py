"""Layer 2: the installed `gitcode-mcp` console script in a subprocess, over real transports.

Every test talks to the server the way a host application does (stdio pipes, or Streamable HTTP on loopback)
and, where it reaches GitCode, reaches a GitCode double: a fresh `Sandbox()` served by uvicorn on 127.0.0.1
and given to the server through GITCODE_API_URL. Nothing leaves the machine; every wait is bounded.
"""

from __future__ import annotations

import json
import os
import queue
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import IO, Any, TextIO

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp.client.sse import sse_client
from mcp.client.stdio import stdio_client
from mcp_types import CallToolResult, TextContent
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS, MODERN_PROTOCOL_VERSIONS

import gitcode_mcp
from gitcode_mcp.registry import select_tools
from gitcode_mcp.sandbox import Recorded, Sandbox
from tests.conftest import demo, free_port

EXE = Path(sys.executable).parent / "gitcode-mcp"
# The subprocess tests serve every toolset (GITCODE_TOOLSETS=all, as server_env sets it).
TOOL_NAMES = {t.name for t in select_tools(["all"], read_only=False)}
GOOD_TOKEN = "bob-token"  # the double's token for user bob
ENV_VARS = ("GITCODE_TOKEN", "GITCODE_API_URL", "GITCODE_TOOLSETS", "GITCODE_READ_ONLY")
ENV_VARS += ("GITCODE_OAUTH", "GITCODE_OAUTH_CLIENT_ID", "GITCODE_OAUTH_CLIENT_SECRET", "GITCODE_OAUTH_KEY")
FLAGS = ("--transport", "--host", "--port", "--toolsets", "--read-only", "--sandbox")
FLAGS += ("--oauth", "--oauth-client-id", "--public-url", "--oauth-only")

# Bounds: one test never waits longer than these, whatever the server does.
TEST_DEADLINE = 30.0
READ_TIMEOUT = 15.0
STARTUP_DEADLINE = 20.0
EXIT_DEADLINE = 10.0

pytestmark = pytest.mark.skipif(not EXE.exists(), reason=f"console script not installed at {EXE}")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


# --------------------------------------------------------------------------------------------------- helpers


def server_env(**extra: str) -> dict[str, str]:
    """A minimal environment: what a process needs to start, none of the caller's GITCODE_* or proxy settings."""
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env["PYTHONUNBUFFERED"] = "1"
    env["GITCODE_TOOLSETS"] = "all"
    env.update(extra)
    return env


def new_unknown_token() -> str:
    return f"tok-{secrets.token_hex(12)}"


def result_text(result: CallToolResult) -> str:
    return "\n".join(block.text for block in result.content if isinstance(block, TextContent))


def assert_token_not_on_the_wire(requests: list[Recorded], token: str) -> None:
    for r in requests:
        assert token not in r.path and token not in r.raw_path, r
        assert all(token not in k and token not in v for k, v in r.query.items()), r
        assert "access_token" not in r.query, r
        assert r.headers.get("authorization", f"Bearer {token}") == f"Bearer {token}", r


def assert_negotiated(client: Client, mode: str) -> None:
    """legacy: the initialize handshake; auto: server/discover finds the 2026-07-28 protocol, no fallback."""
    expected = HANDSHAKE_PROTOCOL_VERSIONS if mode == "legacy" else MODERN_PROTOCOL_VERSIONS
    assert client.protocol_version in expected, (mode, client.protocol_version)


@contextmanager
def stderr_file(tmp_path: Path, name: str) -> Iterator[TextIO]:
    """A real file for the server's stderr: stdio_client hands it to the child as its fd 2."""
    with open(tmp_path / name, "w+", encoding="utf-8") as f:
        yield f


def read_back(f: IO[str]) -> str:
    f.flush()
    f.seek(0)
    return f.read()


def stop(proc: subprocess.Popen[Any]) -> None:
    """Terminate, wait, kill, close its pipes: a server subprocess never outlives its test."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(EXIT_DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(EXIT_DEADLINE)
    for pipe in (proc.stdin, proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()


# --------------------------------------------------------------------------------------------------- stdio


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_stdio_reads_and_writes_reach_gitcode_with_the_token_in_the_header_only(
    mode: str, gitcode_double: tuple[Sandbox, str], tmp_path: Path
) -> None:
    sandbox, api_url = gitcode_double
    token = GOOD_TOKEN
    params = StdioServerParameters(command=str(EXE), env=server_env(GITCODE_API_URL=api_url, GITCODE_TOKEN=token))
    with stderr_file(tmp_path, "stderr.txt") as err, anyio.fail_after(TEST_DEADLINE):
        async with Client(stdio_client(params, errlog=err), mode=mode, read_timeout_seconds=READ_TIMEOUT) as client:
            assert_negotiated(client, mode)
            listed = await client.list_tools()
            assert {t.name for t in listed.tools} == TOOL_NAMES
            assert len(listed.tools) == len(TOOL_NAMES)

            pr = await client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
            assert not pr.is_error, result_text(pr)
            pr_data = json.loads(result_text(pr))
            assert pr_data["number"] == 1
            assert pr_data["title"] == "Type hints and a main()"
            assert pr_data["author"] == "alice"

            issue = await client.call_tool(
                "create_issue",
                {"owner": "alice", "repo": "demo", "title": "t", "body": "b", "labels": ["bug", "enhancement"]},
            )
            assert not issue.is_error, result_text(issue)
            issue_data = json.loads(result_text(issue))
            assert issue_data["title"] == "t"
            assert issue_data["author"] == "bob"
            assert issue_data["labels"] == ["bug", "enhancement"]
        stderr = read_back(err)

    got = [(r.method, r.path) for r in sandbox.requests]
    assert got == [("GET", "repos/alice/demo/pulls/1"), ("POST", "repos/alice/issues")]
    get_req, post_req = sandbox.requests
    assert get_req.body is None
    assert post_req.body == {"repo": "demo", "title": "t", "body": "b", "labels": "bug,enhancement"}
    assert post_req.headers["content-type"].startswith("application/json")
    for r in sandbox.requests:
        assert r.headers["private-token"] == token and r.headers["authorization"] == f"Bearer {token}"
        assert r.headers["user-agent"].startswith("gitcode-mcp/")
        assert r.headers["user-agent"] == f"gitcode-mcp/{gitcode_mcp.__version__}"
    assert_token_not_on_the_wire(sandbox.requests, token)
    for result in (pr, issue):
        assert token not in result_text(result)
    assert token not in stderr


@pytest.mark.anyio
async def test_stdio_unknown_token_gives_a_401_tool_error_that_names_the_variable_not_the_token(
    gitcode_double: tuple[Sandbox, str], tmp_path: Path
) -> None:
    sandbox, api_url = gitcode_double
    token = new_unknown_token()
    params = StdioServerParameters(command=str(EXE), env=server_env(GITCODE_API_URL=api_url, GITCODE_TOKEN=token))
    with stderr_file(tmp_path, "stderr.txt") as err, anyio.fail_after(TEST_DEADLINE):
        async with Client(stdio_client(params, errlog=err), read_timeout_seconds=READ_TIMEOUT) as client:
            result = await client.call_tool(
                "create_issue", {"owner": "alice", "repo": "demo", "title": "t", "body": "b"}
            )
        stderr = read_back(err)

    assert result.is_error
    text = result_text(result)
    assert "401" in text
    assert "GITCODE_TOKEN" in text
    assert token not in text
    assert token not in stderr
    # One attempt, the token in its header only; a write is never retried.
    assert [(r.method, r.path) for r in sandbox.requests] == [("POST", "repos/alice/issues")]
    assert sandbox.requests[0].headers["private-token"] == token
    assert_token_not_on_the_wire(sandbox.requests, token)


def _pump(stream: IO[bytes], sink: queue.Queue[bytes | None]) -> None:
    try:
        for line in iter(stream.readline, b""):
            sink.put(line)
    finally:
        sink.put(None)


def _drain(sink: queue.Queue[bytes | None]) -> list[bytes]:
    """What a finished reader left in its queue (its end marker, None, dropped)."""
    items: list[bytes] = []
    while True:
        try:
            item = sink.get_nowait()
        except queue.Empty:
            return items
        if item is not None:
            items.append(item)


def test_stdout_carries_only_json_rpc(gitcode_double: tuple[Sandbox, str]) -> None:
    sandbox, api_url = gitcode_double
    proc = subprocess.Popen(
        [str(EXE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=server_env(GITCODE_API_URL=api_url, GITCODE_TOKEN=GOOD_TOKEN),
    )
    assert proc.stdin and proc.stdout and proc.stderr
    out: queue.Queue[bytes | None] = queue.Queue()
    err: queue.Queue[bytes | None] = queue.Queue()
    readers = [
        threading.Thread(target=_pump, args=(proc.stdout, out), daemon=True),
        threading.Thread(target=_pump, args=(proc.stderr, err), daemon=True),
    ]
    for t in readers:
        t.start()
    lines: list[bytes] = []
    deadline = time.monotonic() + 20.0

    def send(message: dict[str, Any]) -> None:
        assert proc.stdin
        proc.stdin.write(json.dumps(message).encode() + b"\n")
        proc.stdin.flush()

    def wait_for(request_id: int) -> dict[str, Any]:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                pytest.fail(f"no answer to request {request_id} within 20 s; stdout so far: {lines!r}")
            try:
                line = out.get(timeout=remaining)
            except queue.Empty:
                continue
            if line is None:
                pytest.fail(f"stdout closed before the answer to request {request_id}; stdout: {lines!r}")
            lines.append(line)
            try:
                message = json.loads(line)
            except ValueError:
                pytest.fail(f"stdout carried a line that is not JSON-RPC: {line!r}")
            if message.get("id") == request_id:
                return message

    try:
        send(
            {
                "jsonrpc": "2.0",
                "id": 1,
                "method": "initialize",
                "params": {
                    "protocolVersion": "2025-06-18",
                    "capabilities": {},
                    "clientInfo": {"name": "layer2-raw", "version": "0"},
                },
            }
        )
        init = wait_for(1)
        assert init["result"]["serverInfo"]["name"] == "gitcode-mcp"
        send({"jsonrpc": "2.0", "method": "notifications/initialized"})
        send({"jsonrpc": "2.0", "id": 2, "method": "tools/list", "params": {}})
        listed = wait_for(2)
        assert {t["name"] for t in listed["result"]["tools"]} == TOOL_NAMES
        send(
            {
                "jsonrpc": "2.0",
                "id": 3,
                "method": "tools/call",
                "params": {"name": "get_pull_request", "arguments": {"owner": "alice", "repo": "demo", "number": 1}},
            }
        )
        called = wait_for(3)
        assert called["result"].get("isError") is not True, called
        assert json.loads(called["result"]["content"][0]["text"])["number"] == 1

        proc.stdin.close()  # end of input: the server should exit by itself
        try:
            code = proc.wait(EXIT_DEADLINE)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(EXIT_DEADLINE)
            pytest.fail("the server did not exit within 10 s of its stdin closing")
        for t in readers:
            t.join(EXIT_DEADLINE)
        lines.extend(_drain(out))
        stderr = b"".join(_drain(err))
        assert code == 0, stderr.decode(errors="replace")
    finally:
        stop(proc)

    assert lines, "the server wrote nothing to stdout"
    for line in lines:
        assert line.endswith(b"\n")
        message = json.loads(line)  # every stdout line is one JSON-RPC message, nothing else
        assert isinstance(message, dict) and message.get("jsonrpc") == "2.0", line
    assert [(r.method, r.path) for r in sandbox.requests] == [("GET", "repos/alice/demo/pulls/1")]
    assert GOOD_TOKEN.encode() not in b"".join(lines) + stderr


@pytest.mark.anyio
async def test_sandbox_flag_needs_no_token_and_never_reaches_gitcode_api_url(
    gitcode_double: tuple[Sandbox, str], tmp_path: Path
) -> None:
    double, api_url = gitcode_double
    env = server_env(GITCODE_API_URL=api_url)  # the flag must win over the variable: nothing may leave
    env.pop("GITCODE_TOKEN", None)
    params = StdioServerParameters(command=str(EXE), args=["--sandbox"], env=env)
    with stderr_file(tmp_path, "stderr.txt") as err, anyio.fail_after(TEST_DEADLINE):
        async with Client(stdio_client(params, errlog=err), read_timeout_seconds=READ_TIMEOUT) as client:
            result = await client.call_tool(
                "get_file_contents", {"owner": "alice", "repo": "demo", "path": "README.md"}
            )
        stderr = read_back(err)

    assert not result.is_error, result_text(result)
    assert "# demo" in result_text(result)
    assert "SANDBOX" in stderr
    assert "GITCODE_TOKEN is not set" not in stderr
    assert double.requests == []


# --------------------------------------------------------------------------------------------------- Streamable HTTP


@contextmanager
def serving(
    transport: str,
    gitcode_double: tuple[Sandbox, str],
    tmp_path: Path,
    *args: str,
    token: str | None = GOOD_TOKEN,
    port: int | None = None,
    env: dict[str, str] | None = None,
) -> Iterator[tuple[Sandbox, int, Path]]:
    """`gitcode-mcp --transport <transport> [args]` on a loopback port (a free one unless given), against the double,
    with `env` added to its environment."""
    sandbox, api_url = gitcode_double
    port = port or free_port()
    log = tmp_path / f"server-stderr-{port}.txt"
    env = server_env(GITCODE_API_URL=api_url, **({"GITCODE_TOKEN": token} if token else {}), **(env or {}))
    with open(log, "wb") as err:
        proc = subprocess.Popen(
            [str(EXE), "--transport", transport, "--host", "127.0.0.1", "--port", str(port), *args],
            stdin=subprocess.DEVNULL,
            stdout=err,
            stderr=err,
            env=env,
        )
    try:
        deadline = time.monotonic() + STARTUP_DEADLINE
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the server exited with {proc.returncode}: {log.read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the server did not listen on {port} within 20 s: {log.read_text(errors='replace')}")
                time.sleep(0.05)
        yield sandbox, port, log
    finally:
        stop(proc)


@pytest.fixture
def http_server(gitcode_double: tuple[Sandbox, str], tmp_path: Path) -> Iterator[tuple[Sandbox, str, Path]]:
    with serving("streamable-http", gitcode_double, tmp_path) as (sandbox, port, log):
        yield sandbox, f"http://127.0.0.1:{port}/mcp", log


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_streamable_http_reads_and_line_comments(mode: str, http_server: tuple[Sandbox, str, Path]) -> None:
    sandbox, url, log = http_server
    with anyio.fail_after(TEST_DEADLINE):
        async with Client(url, mode=mode, read_timeout_seconds=READ_TIMEOUT) as client:
            assert_negotiated(client, mode)
            listed = await client.list_tools()
            assert {t.name for t in listed.tools} == TOOL_NAMES
            pr = await client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
            assert not pr.is_error, result_text(pr)
            assert json.loads(result_text(pr))["number"] == 1
            comment = await client.call_tool(
                "create_pull_request_comment",
                {"owner": "alice", "repo": "demo", "number": 1, "body": "x", "path": "src/app.py", "line": 2},
            )
            assert not comment.is_error, result_text(comment)
            comment_data = json.loads(result_text(comment))
            assert (comment_data["path"], comment_data["line"], comment_data["confirmed"]) == ("src/app.py", 2, True)

    assert [(r.method, r.template) for r in sandbox.requests] == [
        ("GET", "repos/{owner}/{repo}/pulls/{number}"),
        ("GET", "repos/{owner}/{repo}/pulls/{number}"),
        ("GET", "repos/{owner}/{repo}/contents/{path}"),
        ("POST", "repos/{owner}/{repo}/pulls/{number}/comments"),
        ("GET", "repos/{owner}/{repo}/pulls/{number}/comments"),
    ]
    posted = sandbox.requests[3]
    assert posted.body == {"body": "x", "path": "src/app.py", "line": 2, "new_line": 2, "position": 2}
    [stored] = demo(sandbox).pulls[1].comments
    assert (stored.user.login, stored.path, stored.line) == ("bob", "src/app.py", 2)
    for r in sandbox.requests:
        assert r.headers["private-token"] == GOOD_TOKEN
        assert r.headers["user-agent"].startswith("gitcode-mcp/")
    assert_token_not_on_the_wire(sandbox.requests, GOOD_TOKEN)
    assert GOOD_TOKEN not in result_text(pr) + result_text(comment)
    server_log = log.read_text(errors="replace")
    assert f"Streamable HTTP on {url}" in server_log
    assert GOOD_TOKEN not in server_log


@pytest.mark.anyio
async def test_sse_reads(gitcode_double: tuple[Sandbox, str], tmp_path: Path) -> None:
    with serving("sse", gitcode_double, tmp_path) as (sandbox, port, log), anyio.fail_after(TEST_DEADLINE):
        async with Client(sse_client(f"http://127.0.0.1:{port}/sse"), mode="legacy") as client:
            assert {t.name for t in (await client.list_tools()).tools} == TOOL_NAMES
            pr = await client.call_tool("get_pull_request", {"owner": "alice", "repo": "demo", "number": 1})
    assert not pr.is_error and json.loads(result_text(pr))["number"] == 1
    assert [(r.method, r.path, r.headers["private-token"]) for r in sandbox.requests] == [
        ("GET", "repos/alice/demo/pulls/1", GOOD_TOKEN)
    ]
    assert f"SSE on http://127.0.0.1:{port}/sse" in log.read_text(errors="replace")


# --------------------------------------------------------------------------------------------------- CLI surface


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(EXE), *args], capture_output=True, text=True, timeout=EXIT_DEADLINE, env=server_env(), check=False
    )


def test_version_flag() -> None:
    done = run_cli("--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"gitcode-mcp {gitcode_mcp.__version__}"
    assert done.stdout.strip() == "gitcode-mcp 0.1.0"
    assert dist_version("gitcode-mcp") == gitcode_mcp.__version__


def test_help_names_every_flag_and_variable() -> None:
    done = run_cli("--help")
    assert done.returncode == 0, done.stderr
    for word in (*FLAGS, *ENV_VARS):
        assert word in done.stdout, word
