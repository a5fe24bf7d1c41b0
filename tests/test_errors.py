"""Failures reach the agent as clear tool errors: status, GitCode's words, a hint; never the token, never a hang."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import TOKEN, Connect, demo, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
PR = {**DEMO, "number": 1}
ISSUE = {"owner": "alice", "repo": "demo", "title": "t", "body": "b"}


async def test_401_without_token_says_how_to_set_one(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(token=None) as client:
        result = await client.call_tool("create_issue", ISSUE)
    assert result.is_error
    message = text(result)
    assert "GitCode 401 Unauthorized" in message and "no token is set" in message and "GITCODE_TOKEN" in message
    assert len(sandbox.requests) == 1 and "private-token" not in sandbox.requests[0].headers
    assert "authorization" not in sandbox.requests[0].headers


async def test_401_with_a_rejected_token_never_echoes_it(connect: Connect, sandbox: Sandbox) -> None:
    secret = "gc-secret-7f3a9"
    sandbox.fail("POST", r"/issues$", status=401, body={"message": f"401 Unauthorized: token {secret} expired"})
    async with connect(token=SecretStr(secret)) as client:
        result = await client.call_tool("create_issue", ISSUE)
    assert result.is_error and "401" in text(result) and "rejected the token" in text(result)
    assert secret not in text(result) and "***" in text(result)
    assert sandbox.requests[0].headers["private-token"] == secret
    assert sandbox.requests[0].headers["authorization"] == f"Bearer {secret}"


async def test_pull_files_quirk_needs_a_token(connect: Connect) -> None:
    async with connect(token=None) as client:
        result = await client.call_tool("list_pull_request_files", PR)
    assert result.is_error and "private-token, required" in text(result) and "GITCODE_TOKEN" in text(result)


async def test_404_names_what_to_check(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("get_pull_request", {**PR, "number": 99})
    assert result.is_error
    assert text(result).endswith(
        "GitCode 404 Not Found: Not Found PullRequest. Hint: check owner, repo and the number or path; "
        "a private repository also answers 404 to a token that cannot see it."
    )


async def test_private_repository_is_404_without_token(connect: Connect) -> None:
    async with connect(token=None) as client:
        result = await client.call_tool("get_file_contents", {"owner": "alice", "repo": "secret", "path": "NOTES.md"})
    assert result.is_error and "404" in text(result)


async def test_line_past_the_end_of_the_head_file_is_refused_before_posting(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py", "line": 12}
        )
    assert result.is_error
    assert "Invalid argument `line`: src/app.py has 11 lines in the PR's head" in text(result)
    assert "Nothing was posted" in text(result)
    assert [r.method for r in sandbox.requests] == ["GET", "GET"]
    assert demo(sandbox).pulls[1].comments == []


async def test_422_from_gitcode_on_a_line_comment_gets_the_line_hint(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("POST", r"/comments$", status=422, body={"error_code": 422, "error_message": "行号无效"})
    async with connect() as client:
        result = await client.call_tool(
            "create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py", "line": 3}
        )
    assert result.is_error and "GitCode 422 Unprocessable Entity: 行号无效" in text(result)
    assert "PR's head version of the file" in text(result) and "not a diff offset" in text(result)


async def test_422_unknown_label_is_explained(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("create_issue", {**ISSUE, "labels": ["nope"]})
    assert result.is_error and "label nope does not exist" in text(result)


async def test_500_on_a_write_is_sent_exactly_once(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("POST", r"/issues$", status=500, times=5, body={"error_code": 500, "error_message": "internal"})
    async with connect() as client:
        result = await client.call_tool("create_issue", ISSUE)
    assert len(sandbox.requests) == 1
    assert result.is_error and "GitCode 500 Internal Server Error: internal." in text(result)
    assert "may or may not have happened" in text(result)


async def test_read_is_retried_on_503_then_succeeds(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=503)
    async with connect() as client:
        result = await client.call_tool("get_pull_request", PR)
    assert not result.is_error and len(sandbox.requests) == 2


async def test_429_retry_after_is_honoured_once_then_succeeds(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=429, headers={"Retry-After": "0"})
    async with connect() as client:
        result = await client.call_tool("get_pull_request", PR)
    assert not result.is_error and len(sandbox.requests) == 2


async def test_429_with_a_long_retry_after_is_reported_not_slept(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=429, headers={"Retry-After": "120"})
    async with connect(max_retry_wait=5) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "retry after 120 s" in text(result) and len(sandbox.requests) == 1


async def test_reads_give_up_after_the_retry_budget(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=502, times=10)
    async with connect(retries=1) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "GitCode 502" in text(result) and len(sandbox.requests) == 2


async def test_timeout_is_a_clear_error_not_a_hang(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", delay=5.0, status=200, body={})
    async with connect(timeout=0.3) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "no answer within 0.3 s" in text(result)
    assert len(sandbox.requests) == 1  # a timed-out read is not retried: it could double the wait


async def test_non_json_body_is_reported(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail(
        "GET", r"/pulls/1$", status=200, body="<html><body>Welcome to nginx</body></html>", content_type="text/html"
    )
    async with connect() as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error
    assert "answer was not JSON (Welcome to nginx)" in text(result) and "/api/v5" in text(result)


async def test_html_error_page_is_shortened_to_its_text(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail(
        "GET",
        r"/pulls/1$",
        status=502,
        body="<html><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</html>",
        content_type="text/html",
        times=3,
    )
    async with connect(retries=0) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "GitCode 502 Bad Gateway: 502 Bad Gateway xxx" in text(result)
    assert len(text(result)) < 600


async def test_unreachable_gitcode(connect: Connect) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    async with connect(network=True, api_url="http://127.0.0.1:9/api/v5", retries=1) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "could not connect to GitCode; nothing was sent" in text(result)
    assert "GITCODE_API_URL" in text(result) and "ConnectError" not in text(result)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        ({"owner": "../../user", "repo": "demo", "number": 1}, "owner"),
        ({"owner": "alice", "repo": "demo/../x", "number": 1}, "repo"),
        ({"owner": "alice", "repo": "..", "number": 1}, "repo"),
        ({"owner": "alice", "repo": "demo?x=1", "number": 1}, "repo"),
    ],
)
async def test_unsafe_names_are_refused_before_any_request(
    connect: Connect, sandbox: Sandbox, args: dict, named: str
) -> None:
    async with connect() as client:
        result = await client.call_tool("get_pull_request", args)
    assert result.is_error and f"Invalid argument `{named}`" in text(result)
    assert sandbox.requests == []


@pytest.mark.parametrize("path", ["../../user", "/etc/passwd", "src/../../x", "a\\b", ""])
async def test_unsafe_file_paths_are_refused(connect: Connect, sandbox: Sandbox, path: str) -> None:
    async with connect() as client:
        result = await client.call_tool("get_file_contents", {"owner": "alice", "repo": "demo", "path": path})
    assert result.is_error and "Invalid argument `path`" in text(result)
    assert sandbox.requests == []


async def test_line_comment_needs_path_and_line_together(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py"})
    assert result.is_error and "Invalid argument `line`" in text(result)
    assert sandbox.requests == []


async def test_an_argument_the_tool_does_not_take_is_refused_not_dropped(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("create_issue", {**ISSUE, "assignee": "bob"})
    assert result.is_error and "Unknown argument `assignee`" in text(result) and "assignees" in text(result)
    assert sandbox.requests == []


async def test_label_with_a_comma_is_refused(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("create_issue", {**ISSUE, "labels": ["bug,ui"]})
    assert result.is_error and "Invalid argument `labels`" in text(result) and sandbox.requests == []


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("create_issue", {**ISSUE, "title": "x" * 256}, "Invalid argument `title`: String should have at most 255"),
        ("create_issue", {**ISSUE, "title": ""}, "Invalid argument `title`: must not be blank"),
        ("get_pull_request", {**PR, "number": 0}, "Invalid argument `number`: must be between 1 and 2147483647"),
        ("list_pull_requests", {**DEMO, "per_page": 101}, "Invalid argument `per_page`: must be between 1 and 100"),
        ("list_pull_requests", {**DEMO, "page": 0}, "Invalid argument `page`: must be between 1 and 2147483647"),
        ("create_pull_request_comment", {**PR, "body": "x", "path": "a.py", "line": 0}, "`line`"),
        ("get_pull_request", {**PR, "number": True}, "Invalid argument `number`: must be an integer, not true"),
        ("create_issue", {**ISSUE, "milestone": False}, "Invalid argument `milestone`: must be an integer"),
        ("get_pull_request", {**PR, "number": 2**40}, "Invalid argument `number`: must be at most 2147483647"),
        ("create_issue", {**ISSUE, "title": " \n\t "}, "Invalid argument `title`: must not be blank"),
        ("create_pull_request_comment", {**PR, "body": "   "}, "Invalid argument `body`: must not be blank"),
        (
            "get_file_contents",
            {"owner": "alice", "repo": "demo", "path": "a", "ref": "r" * 100_000},
            "Invalid argument `ref`: is 100000 characters long; at most 255",
        ),
        (
            "get_file_contents",
            {"owner": "alice", "repo": "demo", "path": "p" * 100_000},
            "Invalid argument `path`: is 100000 characters long",
        ),
        ("get_pull_request", {"owner": "alice", "repo": "demo"}, "Missing argument `number`"),
        ("create_issue", {**ISSUE, "labels": "bug"}, "Invalid argument `labels`: Input should be a valid list"),
    ],
)
async def test_schema_violations_name_the_argument(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict, message: str
) -> None:
    async with connect() as client:
        result = await client.call_tool(tool, args)
    assert result.is_error and message in text(result)
    assert "pydantic" not in text(result) and "type=" not in text(result)
    assert sandbox.requests == [] and TOKEN not in text(result)


async def test_an_answer_of_the_wrong_shape_is_a_clear_error(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=200, body=["not", "a", "pull", "request"])
    async with connect() as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "answered with list where an object was expected" in text(result)


async def test_line_comment_path_is_sent_normalised(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "create_pull_request_comment", {**PR, "body": "x", "path": " src//app.py ", "line": 1}
        )
    assert not result.is_error
    post = next(r for r in sandbox.requests if r.method == "POST")
    assert post.body == {"body": "x", "path": "src/app.py", "line": 1, "new_line": 1, "position": 1}


async def test_a_huge_bad_value_is_quoted_short(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("get_pull_request", {**PR, "owner": "x/" * 500_000})
    assert result.is_error and "Invalid argument `owner`" in text(result) and "(1000000 characters)" in text(result)
    assert len(text(result)) < 400 and sandbox.requests == []


@asynccontextmanager
async def broken_gitcode(answer: bytes) -> AsyncIterator[tuple[str, list[bytes]]]:
    """A GitCode on loopback that reads each request, sends `answer` (maybe nothing, maybe cut short) and hangs up."""
    seen: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(
            next(
                (line.split(b":")[1] for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")),
                b"0",
            )
        )
        seen.append(head + await reader.readexactly(length))
        writer.write(answer)
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}/api/v5", seen


CUT_SHORT = b'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{"number": "1"'


@pytest.mark.parametrize("answer", [b"", CUT_SHORT], ids=["reset", "truncated"])
async def test_a_write_whose_answer_is_lost_says_it_may_have_happened(connect: Connect, answer: bytes) -> None:
    async with broken_gitcode(answer) as (url, seen), connect(network=True, api_url=url) as client:
        result = await client.call_tool("create_issue", ISSUE)
    assert len(seen) == 1 and seen[0].startswith(b"POST /api/v5/repos/alice/issues ")
    assert result.is_error and "the connection broke before GitCode's answer arrived" in text(result)
    assert "may or may not have happened: read the current state before trying again" in text(result)
    assert "try again" not in text(result).split("Hint:")[0]
    for name in ("ReadError", "RemoteProtocolError", "Exception", "Traceback"):
        assert name not in text(result)


async def test_a_write_answered_with_broken_json_probably_happened(connect: Connect) -> None:
    answer = b'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{"number": "1"'
    async with broken_gitcode(answer) as (url, seen), connect(network=True, api_url=url) as client:
        result = await client.call_tool("create_issue", ISSUE)
    assert len(seen) == 1 and result.is_error
    assert "GitCode 201 Created: the answer was not JSON" in text(result)
    assert "the write probably happened; read the current state" in text(result)


async def test_a_read_whose_connection_breaks_is_retried(connect: Connect) -> None:
    async with broken_gitcode(b"") as (url, seen), connect(network=True, api_url=url, retries=2) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert len(seen) == 3
    assert result.is_error and "the connection broke before GitCode's answer arrived. Hint: try again." in text(result)
