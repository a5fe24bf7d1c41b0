"""Failures reach the agent as clear tool errors: status, GitCode's words, a hint; never the token, never a hang."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from tests.conftest import TOKEN, Connect, text

pytestmark = pytest.mark.anyio

PR = {"owner": "alice", "repo": "demo", "number": 1}
ISSUE = {"owner": "alice", "repo": "demo", "title": "t", "body": "b"}


async def test_401_without_token_says_how_to_set_one(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(token=None) as client:
        result = await client.call_tool("create_issue", ISSUE)
    assert result.is_error
    message = text(result)
    assert "GitCode 401 Unauthorized" in message and "no token is set" in message and "GITCODE_TOKEN" in message
    assert len(sandbox.requests) == 1 and "private-token" not in sandbox.requests[0].headers


async def test_401_with_a_rejected_token_never_echoes_it(connect: Connect, sandbox: Sandbox) -> None:
    secret = "gc-secret-7f3a9"
    sandbox.fail("POST", r"/issues$", status=401, body={"message": f"401 Unauthorized: token {secret} expired"})
    async with connect(token=SecretStr(secret)) as client:
        result = await client.call_tool("create_issue", ISSUE)
    assert result.is_error and "401" in text(result) and "rejected the token" in text(result)
    assert secret not in text(result) and "***" in text(result)
    assert sandbox.requests[0].headers["private-token"] == secret


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


async def test_422_line_comment_past_the_end_of_the_head_file(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool(
            "create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py", "position": 12}
        )
    assert result.is_error
    assert "GitCode 422" in text(result) and "has 11 lines" in text(result)
    assert "PR's head version" in text(result) and "not a diff offset" in text(result)
    assert sandbox.world.repo("alice", "demo").pulls[1].comments == []


async def test_422_unknown_label_is_explained(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("create_issue", {**ISSUE, "labels": ["nope"]})
    assert result.is_error and "label 'nope' does not exist" in text(result)


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
    sandbox.fail("GET", r"/pulls/1$", status=200, body="<html><body>Welcome to nginx</body></html>",
                 content_type="text/html")
    async with connect() as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error
    assert "answer was not JSON (Welcome to nginx)" in text(result) and "/api/v5" in text(result)


async def test_html_error_page_is_shortened_to_its_text(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail("GET", r"/pulls/1$", status=502, body="<html><h1>502 Bad Gateway</h1>" + "x" * 5000 + "</html>",
                 content_type="text/html", times=3)
    async with connect(retries=0) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "GitCode 502 Bad Gateway: 502 Bad Gateway xxx" in text(result)
    assert len(text(result)) < 600


async def test_unreachable_gitcode(connect: Connect) -> None:
    # Port 9 (discard) on loopback: nothing listens, the connection is refused at once.
    async with connect(network=True, api_url="http://127.0.0.1:9/api/v5", retries=1) as client:
        result = await client.call_tool("get_pull_request", PR)
    assert result.is_error and "could not reach GitCode (ConnectError)" in text(result)
    assert "GITCODE_API_URL" in text(result)


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


async def test_line_comment_needs_path_and_position_together(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("create_pull_request_comment", {**PR, "body": "x", "path": "src/app.py"})
    assert result.is_error and "Invalid argument `position`" in text(result)
    assert sandbox.requests == []


async def test_label_with_a_comma_is_refused(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        result = await client.call_tool("create_issue", {**ISSUE, "labels": ["bug,ui"]})
    assert result.is_error and "Invalid argument `labels`" in text(result) and sandbox.requests == []


@pytest.mark.parametrize(
    ("tool", "args", "message"),
    [
        ("create_issue", {**ISSUE, "title": "x" * 256}, "Invalid argument `title`: String should have at most 255"),
        ("create_issue", {**ISSUE, "title": ""}, "Invalid argument `title`: String should have at least 1"),
        ("get_pull_request", {**PR, "number": 0}, "Invalid argument `number`: Input should be greater than or equal"),
        ("list_pull_request_files", {**PR, "per_page": 101}, "Invalid argument `per_page`: Input should be less than"),
        ("create_pull_request_comment", {**PR, "body": "x", "path": "a.py", "position": 0}, "`position`"),
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
            "create_pull_request_comment", {**PR, "body": "x", "path": " src//app.py ", "position": 1}
        )
    assert not result.is_error and sandbox.requests[0].body == {"body": "x", "path": "src/app.py", "position": 1}
