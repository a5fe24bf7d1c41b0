"""Generated bad input at every tool, on the simulator, through the SDK's in-process client.

Two tests per tool. One sweeps each listed value of its kind through every argument, one at a time: traversal plain
and encoded in every argument that may reach a path; empty, blank, invisible, NUL, lone surrogates, CR/LF, the
token in every form token_guard knows, and lengths at and past every bound in all text; integers at and past every
bound the validators set (pages, numbers, int32); a wrong type in every argument. The other (hypothesis) replaces one
to three arguments of the tool's examples at once with values drawn from the same kinds and more (huge lists,
nested objects, values outside an enum, generated text, arguments the tool does not take, a required one missing).

Whatever comes, the call must end (no hang) in a result or a clean tool error: never a crash (the server logging an
unexpected exception, or the SDK's bare "Error executing tool X"), a traceback or an exception's class name; an
error under 2 KB; no request to a route outside the tool's own (its examples' `sends`); the token in no output, URL
or body. Deterministic (derandomized, no example database); about a minute in all.
"""

from __future__ import annotations

import base64
import copy
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import anyio
import httpx2
import pytest
from anyio.from_thread import BlockingPortal, start_blocking_portal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult
from pydantic import SecretStr

from gitcode_mcp.bounds import MAX_ECHO, MAX_ERROR
from gitcode_mcp.paths import (
    FILE_PATH_PARAMS,
    MAX_FILE_PATH,
    MAX_INT,
    MAX_SEGMENT,
    NAME_PARAMS,
    REF_PARAMS,
    placeholders,
)
from gitcode_mcp.registry import ToolDef, all_tools
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.server import build_server, build_tool
from gitcode_mcp.settings import SANDBOX_API_URL, Settings
from gitcode_mcp.token_guard import secret_forms
from tests.conftest import TOKEN, text

EXAMPLES_PER_TOOL = 25
CALL_DEADLINE = 20.0  # seconds; a call still running then is a hang
MAX_ERROR_BYTES = 2048

TOOLS = [pytest.param(tool, id=tool.name) for tool in all_tools()]

# --- the values ---------------------------------------------------------------------------------------------------

MAX_NAME = 100  # paths.NAME_PATTERN: a GitCode owner or repo name

TRAVERSAL = (
    "..",
    ".",
    "../../etc/passwd",
    "a/../../b",
    "..\\..\\x",
    "..%2F..%2Fuser",
    "%2e%2e",
    "%252e%252e%252f",
    "..%5c",
    "/etc/passwd",
    "//evil.example/x",
    "x?y=1",
    "x#y",
    "%00",
    "．．/",  # fullwidth dots
    "file:///proc/self/environ",
    "https://evil.example/",
    "~/.ssh/id_ed25519",
)
TOKEN_FORMS = (TOKEN, f"Bearer {TOKEN}", base64.b64encode(f"k={TOKEN}\n".encode()).decode(), f"notes/{TOKEN}.md")
AWKWARD = (
    "",
    " ",
    "\u200b",
    "\u202e",
    "\U000e0041",
    "a\x00b",
    "\ud800",
    "x\udfff",
    "a\r\nb",
    "\r\nX-Injected: 1",
    "a,b",
    '"',
    "\\",
    "😀",
    "中文名",
)
# More of the same kinds, for the generated calls only (the sweep keeps to the lists above).
MORE = ("../", "%2E%2E%2F", "%2F", "/", "x%3Fy%3D1", "\t\n", "\u3164", "\ufeff", "\ud83d", "a\rb", "'", "{}", "null")
MORE += ("<!-- x -->", "é" * 40, "\x00", "\\..\\", "..;/", "%c0%ae%c0%ae/", "\u2024\u2024/")
# Lengths at and past each bound a string may meet: a name, a segment, an echo, a file path.
LENGTHS = (MAX_NAME, MAX_NAME + 1, MAX_SEGMENT, MAX_SEGMENT + 1, MAX_ECHO + 1, MAX_FILE_PATH, MAX_FILE_PATH + 1)
HUGE = ("x" * 200_000, "中" * 5_000, "word " * 4_000)

INTS = (0, 1, -1, 20, 100, 101, MAX_INT, MAX_INT + 1, -MAX_INT - 1, 2**53 + 1, 2**63, -(2**63), 2**64, 10**30)
NOT_INTS = (1.0, 1.5, -0.0, 1e308, True, False, "1", "0x10", " 1", "")
WRONG_TYPES = (None, True, 0, 1.5, "x", [], ["x"], {}, {"a": 1}, [[]], [{}])
# Not every wrong type again in every argument's sweep (hypothesis mixes them all): one of each kind.
SWEPT_TYPES = (True, 1.5, "x", [], {"a": 1})


def strings() -> st.SearchStrategy[str]:
    fixed = st.sampled_from(TRAVERSAL + TOKEN_FORMS + AWKWARD + MORE)
    lengths = st.sampled_from(LENGTHS).map(lambda n: "a" * n)
    huge = st.sampled_from(HUGE)
    # a bad part inside an ordinary value: 'main' + '../x', 'feature\r\n', ...
    spliced = st.tuples(st.sampled_from(("", "main", "docs/", "v1.0")), fixed, st.sampled_from(("", "x", "/x"))).map(
        "".join
    )
    generated = st.text(st.characters(codec="utf-8") | st.sampled_from("\x00\r\n\ud800/.%\\"), max_size=40)
    return st.one_of(fixed, spliced, lengths, huge, generated)


def integers(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    bounds = [prop[k] + d for k in ("minimum", "maximum") if k in prop for d in (-1, 0, 1)]
    return st.one_of(st.sampled_from(INTS + tuple(bounds)), st.sampled_from(NOT_INTS), st.integers())


def lists(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    item = prop.get("items", {})
    good = st.sampled_from(item["enum"]) if "enum" in item else st.just(1 if item.get("type") == "integer" else "x")
    return st.one_of(
        st.lists(strings() | st.sampled_from(WRONG_TYPES) | integers({}), max_size=4),
        st.sampled_from(([], [""], [" "], ["\u200b"], [None], [[]], [{}], ["a,b"], [True], [0], [-1])),
        st.sampled_from((5_000, 20_000)).flatmap(lambda n: good.map(lambda v: [v] * n)),
        good.map(lambda v: [v, v]),
    )


def objects() -> st.SearchStrategy[Any]:
    # (no lone surrogate in a key: the SDK's client cannot send one; tests/test_stdio.py sends it as raw JSON)
    keys = st.sampled_from(("description", "name", "private", "default_branch", "x" * 300, "", "path", "a\x00"))
    deep: Any = "x"
    for _ in range(60):
        deep = {"a": deep}
    return st.one_of(
        st.dictionaries(keys, strings() | st.sampled_from(WRONG_TYPES) | integers({}), max_size=3),
        st.just(deep),
        st.just({"description": ["x"] * 5_000}),
    )


def enum_values(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    words = [v for v in prop["enum"] if isinstance(v, str)]
    variants = [w.upper() for w in words] + [f" {w}" for w in words] + [f"{w}\x00" for w in words]
    return st.sampled_from([*variants, "all", "none", "*", "", "\ud800"])


def value_for(prop: dict[str, Any]) -> st.SearchStrategy[Any]:
    """A bad value for an argument of this schema (and now and then one of another type altogether)."""
    kinds = prop.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    options: list[st.SearchStrategy[Any]] = [st.sampled_from(WRONG_TYPES)]
    if "enum" in prop:
        options.append(enum_values(prop))
    if "string" in kinds:
        options.append(strings())
        if "maxLength" in prop:
            n = prop["maxLength"]
            options.append(st.sampled_from(("t" * n, "t" * (n + 1), "\u200b" * (n + 1))))
    if "integer" in kinds:
        options.append(integers(prop))
    if "array" in kinds:
        options.append(lists(prop))
    if "object" in kinds:
        options.append(objects())
    if "boolean" in kinds:
        options.append(st.sampled_from(("true", "false", 1, 0, "yes")))
    return st.one_of(options)


@st.composite
def bad_arguments(draw: st.DrawFn, tool: ToolDef) -> dict[str, Any]:
    schema = build_tool(tool).parameters
    props: dict[str, Any] = schema.get("properties", {})
    args = dict(draw(st.sampled_from(tool.examples)).args)
    names = sorted(props)
    if names:
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(3, len(names)), unique=True)):
            args[name] = draw(value_for(props[name]))
    if not names or draw(st.integers(0, 9)) == 0:  # an argument the tool does not take
        args[draw(st.sampled_from(("assignee", "x" * 300, "", "owner ", "a\x00")))] = draw(value_for({}))
    if draw(st.integers(0, 9)) == 0 and (required := schema.get("required")):
        args.pop(draw(st.sampled_from(required)), None)
    return args


# --- the server, kept open for the whole module -----------------------------------------------------------------


@dataclass
class Served:
    portal: BlockingPortal
    client: Client
    sandbox: Sandbox
    pristine: Any
    errors: list[logging.LogRecord] = field(default_factory=list)


class _Errors(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """One server and client for every generated call (opening one per example would cost most of the time); the
    simulator's world is put back as seeded after every call that wrote."""
    sandbox = Sandbox()
    settings_ = Settings(api_url=SANDBOX_API_URL, token=SecretStr(TOKEN), retries=2, toolsets=("all",))
    server = build_server(settings_, httpx2.ASGITransport(app=sandbox.app))

    errors: list[logging.LogRecord] = []
    handler = _Errors(errors)
    watched = [logging.getLogger("mcp"), logging.getLogger("gitcode_mcp")]
    for logger in watched:
        logger.addHandler(handler)
    try:
        with start_blocking_portal("asyncio") as portal, portal.wrap_async_context_manager(Client(server)) as client:
            yield Served(portal, client, sandbox, copy.deepcopy(sandbox.world), errors)
    finally:
        for logger in watched:
            logger.removeHandler(handler)


# --- what every answer must be ------------------------------------------------------------------------------------

_EXCEPTION_NAME = re.compile(r"\b(?:[A-Z][a-z0-9]*)+(?:Error|Exception)\b|Traceback|File \"")
# Fenced text is the forge's data (a CI log may well say AssertionError); only the server's own words count.
_FENCED = re.compile(r"-----BEGIN (\w+) (\S+)-----\n.*?-----END \1 \2-----", re.S)
_FORMS = secret_forms(TOKEN)


def _carries_token(value: str) -> bool:
    return any(form in value for form in _FORMS)


def _answer(served: Served, tool: str, args: dict[str, Any]) -> CallToolResult | MCPError:
    async def call() -> CallToolResult | MCPError:
        with anyio.fail_after(CALL_DEADLINE):
            try:
                return await served.client.call_tool(tool, args)
            except MCPError as exc:  # a JSON-RPC error answer (the SDK refusing the request itself)
                return exc

    served.sandbox.requests.clear()
    served.errors.clear()
    try:
        return served.portal.call(call)
    except TimeoutError:
        pytest.fail(f"{tool} did not answer within {CALL_DEADLINE} s: {_shown(args)}")


def _shown(args: dict[str, Any]) -> str:
    return json.dumps(
        {k: v if not isinstance(v, str) or len(v) < 80 else f"{v[:40]}...({len(v)})" for k, v in args.items()},
        default=repr,
    )[:600]


def check_answer(served: Served, tool: ToolDef, args: dict[str, Any]) -> None:
    answer = _answer(served, tool.name, args)
    where = f"{tool.name} {_shown(args)}"
    said = answer.message if isinstance(answer, MCPError) else text(answer)
    failed = isinstance(answer, MCPError) or answer.is_error
    assert not served.errors, f"{where}: the server logged {served.errors[0].getMessage()!r}"
    if failed:
        bare = re.fullmatch(rf"(Error executing tool {re.escape(tool.name)}:? ?)+", said.strip())
        assert said.strip() and not bare, f"{where}: a crash ({said!r})"
        assert len(said.encode()) < MAX_ERROR_BYTES, f"{where}: a {len(said.encode())}-byte error"
        assert len(said) <= MAX_ERROR
    assert not _EXCEPTION_NAME.search(_FENCED.sub("", said)), f"{where}: {said[:300]!r}"
    assert not _carries_token(said), f"{where}: the token is in the answer"
    allowed = {send for example in tool.examples for send in example.sends}
    for request in served.sandbox.requests:
        reached = f"{request.method} {request.template}"
        assert reached in allowed, f"{where}: reached {reached} ({request.raw_path[:120]}); its routes: {allowed}"
        outside_headers = [
            request.raw_path,
            request.path,
            json.dumps(request.query),
            json.dumps(request.body, default=str),
        ]
        outside_headers += [v for k, v in request.headers.items() if k not in ("private-token", "authorization")]
        assert not any(_carries_token(part) for part in outside_headers), f"{where}: the token left outside a header"
    if any(r.method != "GET" for r in served.sandbox.requests):
        served.sandbox.world = copy.deepcopy(served.pristine)


@pytest.mark.parametrize("tool", TOOLS)
@settings(
    max_examples=EXAMPLES_PER_TOOL,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)
@given(data=st.data())
def test_generated_bad_input(served: Served, tool: ToolDef, data: st.DataObject) -> None:
    check_answer(served, tool, data.draw(bad_arguments(tool), label="arguments"))


def _path_like(tool: ToolDef) -> set[str]:
    """The arguments that may end up in a request's path: its routes' placeholders, and every name paths.py types."""
    routes = {name for example in tool.examples for send in example.sends for name in placeholders(send.split()[1])}
    return routes | NAME_PARAMS | REF_PARAMS | FILE_PATH_PARAMS


def fixed_values(tool: ToolDef, name: str, prop: dict[str, Any]) -> tuple[Any, ...]:
    """Every listed value of the argument's kind: traversal in what may reach a path, the awkward strings, lengths
    and the token in all text, every bound in integers, the wrong types everywhere."""
    kinds = prop.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    values: tuple[Any, ...] = SWEPT_TYPES
    if "string" in kinds:
        values += (TRAVERSAL if name in _path_like(tool) else ()) + AWKWARD + TOKEN_FORMS
        values += tuple("a" * n for n in LENGTHS) + HUGE[:1]
        if "maxLength" in prop:
            values += ("t" * prop["maxLength"], "t" * (prop["maxLength"] + 1))
    if "integer" in kinds:
        values += INTS + NOT_INTS
    return values


@pytest.mark.parametrize("tool", TOOLS)
def test_every_listed_value_in_every_argument(served: Served, tool: ToolDef) -> None:
    """Not left to chance: each listed value of its kind in every argument, one at a time, the others as in the
    tool's first example."""
    for name, prop in build_tool(tool).parameters.get("properties", {}).items():
        for value in fixed_values(tool, name, prop):
            check_answer(served, tool, {**tool.examples[0].args, name: value})
