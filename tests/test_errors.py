"""Failures reach the agent as clear tool errors: status, GitCode's words, a hint; never the token, never a hang."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import TOKEN, Connect, call, demo, refused

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
PR = {**DEMO, "number": 1}
ISSUE = {"owner": "alice", "repo": "demo", "title": "t", "body": "b"}


async def test_401_without_token_says_how_to_set_one(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "create_issue", ISSUE, token=None)
    assert "GitCode 401 Unauthorized" in message and "no token is set" in message and "GITCODE_TOKEN" in message
    assert len(sandbox.requests) == 1 and "private-token" not in sandbox.requests[0].headers
    assert "authorization" not in sandbox.requests[0].headers


async def test_401_with_a_rejected_token_never_echoes_it(connect: Connect, sandbox: Sandbox) -> None:
    secret = "gc-secret-7f3a9"
    sandbox.fail("POST", r"/issues$", status=401, body={"message": f"401 Unauthorized: token {secret} expired"})
    message = await refused(connect, "create_issue", ISSUE, token=SecretStr(secret))
    assert "401" in message and "rejected the token" in message and "GITCODE_TOKEN" in message  # the server's own
    assert secret not in message and "***" in message
    assert sandbox.requests[0].headers["private-token"] == secret
    assert sandbox.requests[0].headers["authorization"] == f"Bearer {secret}"


async def test_pull_files_quirk_needs_a_token(connect: Connect) -> None:
    message = await refused(connect, "list_pull_request_files", PR, token=None)
    assert "private-token, required" in message and "GITCODE_TOKEN" in message


async def test_404_names_what_to_check(connect: Connect) -> None:
    message = await refused(connect, "get_pull_request", {**PR, "number": 99})
    assert message.endswith(
        "GitCode 404 Not Found: Not Found PullRequest. Hint: check owner, repo and the number or path; "
        "a private repository also answers 404 to a token that cannot see it."
    )


async def test_private_repository_is_404_without_token(connect: Connect) -> None:
    message = await refused(
        connect, "get_file_contents", {"owner": "alice", "repo": "secret", "path": "NOTES.md"}, token=None
    )
    assert "404" in message


async def test_line_past_the_end_of_the_head_file_is_refused_before_posting(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(
        connect, "create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py", "line": 12}
    )
    assert "Invalid argument `line`: src/app.py has 11 lines in the PR's head" in message
    assert "Nothing was posted" in message
    assert [r.method for r in sandbox.requests] == ["GET", "GET"]
    assert demo(sandbox).pulls[1].comments == []


async def test_422_from_gitcode_on_a_line_comment_gets_the_line_hint(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("POST", r"/comments$", status=422, body={"error_code": 422, "error_message": "行号无效"})
    message = await refused(
        connect, "create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py", "line": 3}
    )
    assert "GitCode 422 Unprocessable Entity: 行号无效" in message
    assert "PR's head version of the file" in message and "not a diff offset" in message


async def test_422_unknown_label_is_explained(connect: Connect) -> None:
    message = await refused(connect, "create_issue", {**ISSUE, "labels": ["nope"]})
    assert "label nope does not exist" in message


async def test_500_on_a_write_is_sent_exactly_once(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("POST", r"/issues$", status=500, times=5, body={"error_code": 500, "error_message": "internal"})
    message = await refused(connect, "create_issue", ISSUE)
    assert len(sandbox.requests) == 1
    assert "GitCode 500 Internal Server Error: internal." in message
    assert "may or may not have happened" in message


async def test_read_is_retried_on_503_then_succeeds(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=503)
    await call(connect, "get_pull_request", PR)
    assert len(sandbox.requests) == 2


async def test_429_retry_after_is_honoured_once_then_succeeds(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=429, headers={"Retry-After": "0"})
    await call(connect, "get_pull_request", PR)
    assert len(sandbox.requests) == 2


async def test_429_with_a_long_retry_after_is_reported_not_slept(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=429, headers={"Retry-After": "120"})
    message = await refused(connect, "get_pull_request", PR, max_retry_wait=5)
    assert "retry after 120 s" in message and len(sandbox.requests) == 1


async def test_reads_give_up_after_the_retry_budget(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=502, times=10)
    message = await refused(connect, "get_pull_request", PR, retries=1)
    assert "GitCode 502" in message and len(sandbox.requests) == 2


async def test_timeout_is_a_clear_error_not_a_hang(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", delay=5.0, status=200, body={})
    message = await refused(connect, "get_pull_request", PR, timeout=0.3)
    assert "no answer within 0.3 s" in message
    assert len(sandbox.requests) == 1  # a timed-out read is not retried: it could double the wait


async def test_non_json_body_is_reported(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer(
        "GET", r"/pulls/1$", status=200, body="<html><body>Welcome to nginx</body></html>", content_type="text/html"
    )
    message = await refused(connect, "get_pull_request", PR)
    assert "answer was not JSON (Welcome to nginx)" in message and "/api/v5" in message


async def test_html_error_page_is_shortened_to_its_text(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail(
        "GET",
        r"/pulls/1$",
        status=502,
        body="<html><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</html>",
        content_type="text/html",
        times=3,
    )
    message = await refused(connect, "get_pull_request", PR, retries=0)
    assert "GitCode 502 Bad Gateway: 502 Bad Gateway xxx" in message
    assert len(message) < 600


async def test_unreachable_gitcode(connect: Connect) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    message = await refused(
        connect, "get_pull_request", PR, network=True, api_url="http://127.0.0.1:9/api/v5", retries=1
    )
    assert "could not connect to GitCode; nothing was sent" in message
    assert "GITCODE_API_URL" in message and "ConnectError" not in message


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
    message = await refused(connect, "get_pull_request", args)
    assert f"Invalid argument `{named}`" in message
    assert sandbox.requests == []


@pytest.mark.parametrize("path", ["../../user", "/etc/passwd", "src/../../x", "a\\b", ""])
async def test_unsafe_file_paths_are_refused(connect: Connect, sandbox: Sandbox, path: str) -> None:
    message = await refused(connect, "get_file_contents", {"owner": "alice", "repo": "demo", "path": path})
    assert "Invalid argument `path`" in message
    assert sandbox.requests == []


async def test_line_comment_needs_path_and_line_together(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py"})
    assert "Invalid argument `line`" in message
    assert sandbox.requests == []


async def test_an_argument_the_tool_does_not_take_is_refused_not_dropped(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "create_issue", {**ISSUE, "assignee": "bob"})
    assert "Unknown argument `assignee`" in message and "assignees" in message
    assert sandbox.requests == []


async def test_label_with_a_comma_is_refused(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "create_issue", {**ISSUE, "labels": ["bug,ui"]})
    assert "Invalid argument `labels`" in message and sandbox.requests == []


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
    error = await refused(connect, tool, args)
    assert message in error
    assert "pydantic" not in error and "type=" not in error
    assert sandbox.requests == [] and TOKEN not in error


async def test_an_answer_of_the_wrong_shape_is_a_clear_error(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer("GET", r"/pulls/1$", status=200, body=["not", "a", "pull", "request"])
    message = await refused(connect, "get_pull_request", PR)
    assert "answered with list where an object was expected" in message


async def test_line_comment_path_is_sent_normalised(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "create_pull_request_comment", {**PR, "body": "x", "path": " src//app.py ", "line": 1})
    post = next(r for r in sandbox.requests if r.method == "POST")
    assert post.body == {"body": "x", "path": "src/app.py", "line": 1, "new_line": 1, "position": 1}


async def test_a_huge_bad_value_is_quoted_short(connect: Connect, sandbox: Sandbox) -> None:
    message = await refused(connect, "get_pull_request", {**PR, "owner": "x/" * 500_000})
    assert "Invalid argument `owner`" in message and "(1000000 characters)" in message
    assert len(message) < 400 and sandbox.requests == []


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
    async with broken_gitcode(answer) as (url, seen):
        message = await refused(connect, "create_issue", ISSUE, network=True, api_url=url)
    assert len(seen) == 1 and seen[0].startswith(b"POST /api/v5/repos/alice/issues ")
    assert "the connection broke before GitCode's answer arrived" in message
    assert "may or may not have happened: read the current state before trying again" in message
    assert "try again" not in message.split("Hint:")[0]
    for name in ("ReadError", "RemoteProtocolError", "Exception", "Traceback"):
        assert name not in message


async def test_a_write_answered_with_broken_json_probably_happened(connect: Connect) -> None:
    answer = b'HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 14\r\n\r\n{"number": "1"'
    async with broken_gitcode(answer) as (url, seen):
        message = await refused(connect, "create_issue", ISSUE, network=True, api_url=url)
    assert len(seen) == 1
    assert "GitCode 201 Created: the answer was not JSON" in message
    assert "the write probably happened; read the current state" in message


async def test_a_read_whose_connection_breaks_is_retried(connect: Connect) -> None:
    async with broken_gitcode(b"") as (url, seen):
        message = await refused(connect, "get_pull_request", PR, network=True, api_url=url, retries=2)
    assert len(seen) == 3
    assert "the connection broke before GitCode's answer arrived. Hint: try again." in message
