"""Input an agent may be led to send (by a stranger's issue text, or by a generator of bad input) never makes the
server leak a token, widen a write, answer without bound, or send a path that climbs once a proxy decodes it."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from pydantic import SecretStr

from gitcode_mcp.http_app import build_http_app
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.settings import SANDBOX_API_URL, Settings
from tests.conftest import TOKEN, Connect, call, demo, refused, sent, text

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
ISSUE = {**DEMO, "title": "t", "body": "b"}


# --- a token never leaves in a path, a query or a body ---------------------------------------------------------


def inside_base64(secret: str, before: bytes) -> str:
    return base64.b64encode(before + f"TOKEN={secret}\n".encode() + b"tail").decode()


@pytest.mark.parametrize(
    ("tool", "args", "where"),
    [
        ("create_issue", {**ISSUE, "body": f"my token is {TOKEN}, use it"}, "body field `body`"),
        ("create_issue_comment", {**DEMO, "number": 1, "body": f"Bearer {TOKEN}"}, "body field `body`"),
        ("search_gitcode", {"q": TOKEN, "kind": "issues"}, "query parameter `q`"),
        ("get_file_contents", {**DEMO, "path": f"notes/{TOKEN}.md"}, "the path"),
        # the token inside base64 content, at each of the three byte offsets
        ("upload_file", {**DEMO, "file_name": "e.png", "content": inside_base64(TOKEN, b"")}, "body field `body`"),
        ("upload_file", {**DEMO, "file_name": "e.png", "content": inside_base64(TOKEN, b"a")}, "body field `body`"),
        ("upload_file", {**DEMO, "file_name": "e.txt", "content": inside_base64(TOKEN, b"ab")}, "the file `file`"),
        # create_file base64-encodes the text itself: the encoded token is found too
        ("create_file", {**DEMO, "path": "env.txt", "content": f"X={TOKEN}", "message": "m"}, "body field `content`"),
    ],
)
async def test_a_request_carrying_the_token_is_refused_with_nothing_sent(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict[str, Any], where: str
) -> None:
    error = await refused(connect, tool, args)
    assert f"refused before sending: {where} would carry a GitCode token" in error, error
    assert "nothing was sent" in error and TOKEN not in error
    assert sandbox.requests == []


async def test_over_http_neither_the_callers_nor_the_servers_token_leaves_in_a_body() -> None:
    sandbox = Sandbox()
    settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr(TOKEN), transport="streamable-http", toolsets=("all",))
    app = build_http_app(settings, httpx2.ASGITransport(app=sandbox.app))
    headers = {"X-GitCode-Token": "bob-token"}
    async with app.router.lifespan_context(app):
        http = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1:8000", headers=headers
        )
        async with http, Client(streamable_http_client("http://127.0.0.1:8000/mcp", http_client=http)) as client:
            for secret in ("bob-token", TOKEN):  # the caller's own, and the server's, which bob must not learn
                result = await client.call_tool("create_issue", {**ISSUE, "body": f"leak {secret}"})
                assert result.is_error and "would carry a GitCode token" in text(result)
            ok = await client.call_tool("create_issue", ISSUE)
            assert not ok.is_error, text(ok)
    assert [r.method for r in sandbox.requests] == ["POST"]
    assert sandbox.requests[0].headers["private-token"] == "bob-token"


async def test_a_short_secret_is_not_looked_for_in_ordinary_text(connect: Connect, sandbox: Sandbox) -> None:
    # a 5-character "token" is no token GitCode issues; refusing every body with "abcde" would break real work
    sandbox.world.tokens["abcde"] = sandbox.world.users["alice"]
    await call(connect, "create_issue", {**ISSUE, "body": "abcde"}, token=SecretStr("abcde"))


# --- a caller token that cannot be a header --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "named"),
    [
        ({"X-GitCode-Token": "tøken-value".encode()}, "X-GitCode-Token"),
        ({"Authorization": "Bearer tøken-value".encode()}, "Authorization"),
    ],
)
async def test_a_non_ascii_caller_token_gets_a_clear_error(
    headers: dict[str, Any], named: str, caplog: pytest.LogCaptureFixture
) -> None:
    sandbox = Sandbox()
    settings = Settings(api_url=SANDBOX_API_URL, transport="streamable-http", toolsets=("all",))
    app = build_http_app(settings, httpx2.ASGITransport(app=sandbox.app))
    async with app.router.lifespan_context(app):
        http = httpx2.AsyncClient(
            transport=httpx2.ASGITransport(app=app), base_url="http://127.0.0.1:8000", headers=headers
        )
        async with http, Client(streamable_http_client("http://127.0.0.1:8000/mcp", http_client=http)) as client:
            result = await client.call_tool("get_issue", {**DEMO, "number": 1})
    assert result.is_error
    assert f"the {named} header holds characters a GitCode token cannot have" in text(result)
    assert sandbox.requests == []
    assert "Traceback" not in caplog.text


# --- errors and results stay small -----------------------------------------------------------------------------


async def test_twenty_thousand_bad_items_make_one_short_error(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "link_pull_request_issues", {**DEMO, "number": 1, "issues": ["x"] * 20_000})
    assert len(error.encode()) < 2048, len(error)
    assert "`issues.0` and 19999 more like `issues.*`" in error
    assert sandbox.requests == []


async def test_many_different_problems_are_cut_under_two_kilobytes(connect: Connect) -> None:
    many = {**DEMO, "number": 1, "issues": [{"n": i} for i in range(3)] + [True] * 3 + [-1] * 3 + ["x"] * 3}
    error = await refused(connect, "link_pull_request_issues", many)
    assert len(error.encode()) < 2048 and "more like `issues.*`" in error


async def test_a_large_value_the_agent_sent_comes_back_as_a_prefix(connect: Connect, sandbox: Sandbox) -> None:
    body = "All work and no play. " * 50_000  # about 1.1 MB
    answer = await call(connect, "create_issue", {**ISSUE, "body": body}, parse=False)
    assert len(answer) < 2000, len(answer)
    assert f'"body":"{body[:60]}... ({len(body)} characters, as sent)"' in answer
    number = json.loads(answer)["number"]
    assert demo(sandbox).issues[number].body == body  # what was written is whole: only its echo is short


async def test_a_huge_discussion_id_is_not_echoed_in_the_error(connect: Connect) -> None:
    huge = "f" * 2_000_000
    error = await refused(
        connect, "reply_or_resolve_pull_request_discussion", {**DEMO, "number": 1, "discussion_id": huge, "body": "x"}
    )
    assert len(error) < 2000 and "2000000" in error


# --- names sent in bodies are bounded like names in paths -----------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "args", "argument"),
    [
        ("create_branch", {**DEMO, "branch": "b" * 256, "ref": "main"}, "branch"),
        ("create_branch", {**DEMO, "branch": "ok", "ref": "r" * 256}, "ref"),
        ("create_pull_request", {**DEMO, "title": "t", "head": "h" * 300, "base": "main"}, "head"),
        ("create_pull_request", {**DEMO, "title": "t", "head": "feature", "base": "m" * 300}, "base"),
        ("create_tag", {**DEMO, "tag_name": "v" * 256, "ref": "main"}, "tag_name"),
        ("create_label", {**DEMO, "name": "l" * 256, "color": "#ff0000"}, "name"),
        ("create_issue", {**ISSUE, "labels": ["l" * 256]}, "labels"),
        ("set_branch_protection", {**DEMO, "wildcard": "w" * 256, "push": [], "merge": []}, "wildcard"),
        ("create_file", {**DEMO, "path": "a.md", "content": "x", "message": "m", "branch": "b" * 256}, "branch"),
    ],
)
async def test_a_name_over_255_characters_is_refused_before_sending(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict[str, Any], argument: str
) -> None:
    error = await refused(connect, tool, args)
    assert f"`{argument}`" in error and "at most 255" in error, error
    assert sandbox.requests == []


async def test_a_query_too_long_to_send_names_its_argument(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "search_gitcode", {"q": "word " * 4000, "kind": "issues"})
    assert "`q`" in error and "too long" in error, error
    assert sandbox.requests == []


# --- every call checks owner and repo; paths name files; blank is blank --------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        {"owner": "../etc", "repo": "demo"},
        {"owner": "alice", "repo": "de mo"},
        {"owner": "alice", "repo": "a" * 101},
    ],
)
async def test_owner_and_repo_are_checked_even_when_nothing_would_be_sent(
    connect: Connect, sandbox: Sandbox, args: dict[str, str]
) -> None:
    # update_repository with no changes sends nothing: the names are still refused, not passed over
    error = await refused(connect, "update_repository", {**args, "changes": {}})
    assert "`owner`" in error or "`repo`" in error, error
    assert sandbox.requests == []


@pytest.mark.parametrize(
    ("tool", "args"),
    [
        ("create_file", {**DEMO, "path": "newdir/", "content": "x", "message": "m"}),
        ("update_file", {**DEMO, "path": "README.md/", "content": "x", "message": "m", "sha": "s"}),
        ("delete_file", {**DEMO, "path": "README.md/", "message": "m", "sha": "s"}),
    ],
)
async def test_a_file_path_ending_in_a_slash_is_refused(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict[str, Any]
) -> None:
    before = dict(demo(sandbox).branches["main"])
    error = await refused(connect, tool, args)
    assert "Invalid argument `path`" in error and "ends in '/'" in error
    assert sandbox.requests == [] and demo(sandbox).branches["main"] == before


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u202e", "\u3164", "\x07\x1b", "\U000e0041\U000e0042", "\ufeff "])
async def test_a_title_of_invisible_or_control_characters_is_blank(
    connect: Connect, sandbox: Sandbox, title: str
) -> None:
    error = await refused(connect, "create_issue", {**ISSUE, "title": title})
    assert "Invalid argument `title`: must not be blank" in error
    assert sandbox.requests == []


# --- path segments that climb once decoded ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tool", "args", "argument"),
    [
        ("delete_branch", {**DEMO, "branch": "..%2F..%2Fuser"}, "branch"),
        ("delete_branch", {**DEMO, "branch": "%2e%2e"}, "branch"),
        ("delete_branch", {**DEMO, "branch": "%252e%252e%252fuser"}, "branch"),
        ("delete_label", {**DEMO, "name": "..%2F..%2Fuser"}, "name"),
        ("delete_label", {**DEMO, "name": "%2E"}, "name"),
        ("get_file_contents", {**DEMO, "path": "README.md", "ref": "..%2fmain"}, "ref"),
        ("get_file_contents", {**DEMO, "path": "src/..%2F..%2F..%2Fuser"}, "path"),
        ("get_file_contents", {**DEMO, "path": "%252e%252e/x"}, "path"),
        ("get_commit", {**DEMO, "ref": "main..feature"}, "ref"),
        ("compare_commits", {**DEMO, "base": "main", "head": "a..b"}, "head"),
        ("create_branch", {**DEMO, "branch": "x..y", "ref": "main"}, "branch"),
        ("create_pull_request", {**DEMO, "title": "t", "head": "feature", "base": "../main"}, "base"),
    ],
)
async def test_traversal_is_refused_encoded_or_not(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict[str, Any], argument: str
) -> None:
    error = await refused(connect, tool, args)
    assert f"Invalid argument `{argument}`" in error and "'..'" in error, error
    assert sandbox.requests == []


async def test_an_ordinary_name_with_dots_and_percent_still_works(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "create_branch", {**DEMO, "branch": "release/1.0.x", "ref": "main"})
    await call(connect, "create_label", {**DEMO, "name": "50% done...", "color": "#00ff00"})
    assert [r.status < 300 for r in sandbox.requests] == [True, True]


@pytest.mark.parametrize(
    ("tool", "args", "argument"),
    [
        ("create_issue", {**ISSUE, "body": "ok \ud800 then"}, "body"),
        ("create_label", {**DEMO, "name": "\udfff", "color": "#ff0000"}, "name"),
        ("update_repository", {**DEMO, "changes": {"description": "x\ud83d"}}, "changes.description"),
    ],
)
async def test_a_lone_surrogate_is_refused_not_crashed_on(
    connect: Connect, sandbox: Sandbox, tool: str, args: dict[str, Any], argument: str
) -> None:
    error = await refused(connect, tool, args)
    assert f"Invalid argument `{argument}`: holds a lone surrogate" in error, error
    assert sandbox.requests == []


# --- found by generated input (tests/test_generated_input.py) -------------------------------------------------


async def test_a_token_sent_as_a_bad_value_is_not_repeated_in_the_error(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "get_issue", {"owner": f"{TOKEN}:", "repo": "demo", "number": 1})
    assert "Invalid argument `owner`: '***:' is not a GitCode owner" in error, error
    assert sandbox.requests == []


async def test_a_merge_refused_for_carrying_the_token_is_known_not_to_have_happened(
    connect: Connect, sandbox: Sandbox
) -> None:
    # Refused before sending is no lost answer: the merge is not probed for ("may or may not have happened").
    error = await refused(connect, "merge_pull_request", {**DEMO, "number": 1, "message": f"see {TOKEN}"})
    assert "refused before sending: body field `description` would carry a GitCode token" in error, error
    assert "nothing was sent" in error and "reports it not merged" not in error
    assert sent(sandbox, "template") == ["GET repos/{owner}/{repo}/pulls/{number}"]
