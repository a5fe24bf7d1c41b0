"""The stdio layer, over a real `gitcode-mcp --sandbox` subprocess fed raw JSON-RPC lines: every line that asks for
an answer gets one, however unreadable (gitcode_mcp/stdio.py), and the server goes on serving.

One server serves the whole module (it takes seconds to start); a silent case is followed by a ping, whose answer
shows both that nothing else was answered in between and that the server still serves.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import IO, Any

import pytest

from tests.test_transports import EXE, server_env, stop

ANSWER_DEADLINE = 20.0

pytestmark = pytest.mark.skipif(not EXE.exists(), reason=f"console script not installed at {EXE}")


class RawStdio:
    """A server subprocess spoken to in raw lines; its stdout read by a thread into a queue."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [str(EXE), "--sandbox"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=server_env(),
        )
        assert self.proc.stdin and self.proc.stdout and self.proc.stderr
        self.lines: queue.Queue[bytes | None] = queue.Queue()
        self.stderr: list[bytes] = []
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines.put), daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.stderr.append), daemon=True).start()
        self.next_id = 1000

    @staticmethod
    def _pump(stream: IO[bytes], sink: Any) -> None:
        for line in iter(stream.readline, b""):
            sink(line)
        sink(None)

    def send(self, line: str | bytes) -> None:
        assert self.proc.stdin
        self.proc.stdin.write((line.encode() if isinstance(line, str) else line) + b"\n")
        self.proc.stdin.flush()

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        self.next_id += 1
        self.send(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params or {}}))
        return self.answer_to(self.next_id)[-1]

    def answer_to(self, request_id: Any) -> list[dict[str, Any]]:
        """Every message up to and including the answer to `request_id`."""
        seen: list[dict[str, Any]] = []
        deadline = time.monotonic() + ANSWER_DEADLINE
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                pytest.fail(f"no answer to {request_id!r} within {ANSWER_DEADLINE} s; before it: {seen}")
            if line is None:
                pytest.fail(f"the server closed stdout before answering {request_id!r}: {b''.join(self.stderr)!r}")
            message = json.loads(line)
            seen.append(message)
            if message.get("id") == request_id and ("result" in message or "error" in message):
                return seen

    def nothing_before_a_ping(self) -> None:
        """The server answered nothing since the last answer, and still serves."""
        self.next_id += 1
        self.send(json.dumps({"jsonrpc": "2.0", "id": self.next_id, "method": "ping"}))
        assert self.answer_to(self.next_id) == [{"jsonrpc": "2.0", "id": self.next_id, "result": {}}]


@pytest.fixture(scope="module")
def server() -> Iterator[RawStdio]:
    raw = RawStdio()
    try:
        raw.send(
            json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 0,
                    "method": "initialize",
                    "params": {
                        "protocolVersion": "2025-06-18",
                        "capabilities": {},
                        "clientInfo": {"name": "raw", "version": "0"},
                    },
                }
            )
        )
        assert raw.answer_to(0)[-1]["result"]["serverInfo"]["name"] == "gitcode-mcp"
        raw.send('{"jsonrpc": "2.0", "method": "notifications/initialized"}')
        yield raw
    finally:
        stop(raw.proc)


def call_line(request_id: Any, arguments: str, tool: str = "create_issue") -> str:
    """A tools/call line whose arguments are given as JSON text (so it may hold what json.dumps would not write)."""
    params = f'{{"name": "{tool}", "arguments": {arguments}}}'
    return f'{{"jsonrpc": "2.0", "id": {json.dumps(request_id)}, "method": "tools/call", "params": {params}}}'


def error_of(messages: list[dict[str, Any]]) -> dict[str, Any]:
    assert "error" in messages[-1], messages[-1]
    return messages[-1]["error"]


def test_a_lone_surrogate_escape_is_answered_with_the_argument_named(server: RawStdio) -> None:
    server.send(call_line(1, '{"owner": "alice", "repo": "demo", "title": "t", "body": "ok \\ud800 then"}'))
    error = error_of(server.answer_to(1))
    assert error["code"] == -32602
    assert error["message"].startswith("Invalid params: `arguments.body` holds a lone surrogate (U+D800)"), error
    # a surrogate pair is text, and goes through
    server.send(call_line(2, '{"owner": "alice", "repo": "demo", "title": "t", "body": "ok \\ud83d\\ude00"}'))
    created = server.answer_to(2)[-1]["result"]
    assert not created.get("isError") and "😀" in created["content"][0]["text"]


def test_a_lone_surrogate_in_a_key_or_the_tool_name_is_answered_too(server: RawStdio) -> None:
    server.send(call_line(3, '{"owner": "alice", "repo": "demo", "\\udc00": 1}'))
    assert error_of(server.answer_to(3))["message"].startswith("Invalid params: `arguments.\\udc00` holds a lone")
    server.send(call_line("four", "{}", tool="create_\\ud800"))
    assert error_of(server.answer_to("four"))["message"].startswith("Invalid params: `name` holds a lone surrogate")


@pytest.mark.parametrize(
    ("depth", "code", "where"),
    [
        (300, -32602, "Invalid params: `arguments.body.0` nests 302 levels deep"),
        (100_000, -32600, "Invalid Request: the message nests 100003 levels deep"),
    ],
)
def test_deep_nesting_is_answered(server: RawStdio, depth: int, code: int, where: str) -> None:
    # 100,000 levels are more than even Python's own parser takes: the id is found without it
    server.send(call_line(5, '{"owner": "alice", "body": ' + "[" * depth + "]" * depth + "}"))
    error = error_of(server.answer_to(5))
    assert error["code"] == code and where in error["message"], error
    assert len(json.dumps(error)) < 2048


def test_a_nul_is_a_character_the_tool_judges(server: RawStdio) -> None:
    # The SDK reads `\u0000` (the "no answer" does not happen for it): a name holding it is refused by the
    # tool, naming the argument; in text it is text.
    server.send(call_line(6, '{"owner": "alice\\u0000", "repo": "demo", "title": "t", "body": "b"}'))
    result = server.answer_to(6)[-1]["result"]
    assert result["isError"] and "Invalid argument `owner`" in result["content"][0]["text"]
    # A raw NUL byte is not JSON at all (a control character inside a string): a parse error, id null.
    server.send(call_line(7, '{"owner": "alice", "repo": "demo", "title": "t", "body": "a\x00b"}'))
    assert error_of(server.answer_to(None))["code"] == -32700


def test_json_rpc_1_0_is_answered_with_its_id(server: RawStdio) -> None:
    server.send('{"jsonrpc": "1.0", "id": 8, "method": "tools/list"}')
    error = error_of(server.answer_to(8))
    assert error == {
        "code": -32600,
        "message": "Invalid Request: this server speaks JSON-RPC 2.0: `jsonrpc` must be \"2.0\", not '1.0'",
    }
    server.send('{"jsonrpc": "2.0", "id": 9, "method": 5}')
    assert error_of(server.answer_to(9))["message"].startswith(
        "Invalid Request: `method`: Input should be a valid string"
    )


def test_a_line_that_is_not_json_gets_a_parse_error_but_noise_no_endless_answers(server: RawStdio) -> None:
    server.send("this is not JSON")
    error = error_of(server.answer_to(None))
    assert error["code"] == -32700 and error["message"].startswith("Parse error: the line is not JSON"), error
    server.send('[{"jsonrpc": "2.0", "id": 10, "method": "ping"}]')  # a batch: MCP has none
    assert error_of(server.answer_to(None))["message"] == (
        "Invalid Request: a message is one JSON object (this server takes no batches)"
    )
    server.nothing_before_a_ping()
    for _ in range(10):
        server.send("noise")
    # three answers in a row at most, then silence until a readable message comes (the ping)
    for _ in range(3):
        assert error_of(server.answer_to(None))["code"] == -32700
    server.nothing_before_a_ping()
    server.send("noise after a readable message")
    assert error_of(server.answer_to(None))["code"] == -32700


def test_what_must_not_be_answered_is_not(server: RawStdio) -> None:
    server.send("")  # a blank line is no message
    server.send('{"jsonrpc": "2.0", "method": "notifications/x", "params": {"a": "\\ud800"}}')  # a notification
    server.send('{"jsonrpc": "1.0", "method": "notifications/initialized"}')
    server.send('{"jsonrpc": "2.0", "id": 77, "result": {"a": "\\udfff"}}')  # a response
    server.nothing_before_a_ping()
    assert server.request("tools/list")["result"]["tools"]


def test_bytes_that_are_not_utf8_reach_the_tool_as_replacement_characters(server: RawStdio) -> None:
    """Pinned, the SDK's to change: it decodes stdin with errors='replace' (modelcontextprotocol/python-sdk#2302, a
    deliberate choice), so a body holding bytes that are not UTF-8 is written with U+FFFD in their place. MCP
    requires UTF-8 of clients, and only the SDK's reader sees the bytes."""
    server.send(call_line(12, '{"owner": "alice", "repo": "demo", "title": "t", "body": "a\xffb"}').encode("latin-1"))
    created = json.loads(server.answer_to(12)[-1]["result"]["content"][0]["text"])
    assert created["body"] == "a\ufffdb"
