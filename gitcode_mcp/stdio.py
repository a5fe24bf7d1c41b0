"""stdio: a line the SDK's reader cannot read as a JSON-RPC message gets a JSON-RPC error, not silence.

The SDK's stdio transport (mcp 2.3) hands such a line to the server as an exception, which the server logs at
debug level and drops, so the caller waits for its own timeout (SDK issues #2751, #2848). That happens to a line
that is not JSON, to `"jsonrpc": "1.0"`, and to two kinds of valid JSON pydantic's parser refuses: a lone
surrogate escape ("\\ud800": JSON's grammar allows it, but it is not text) and nesting deeper than the parser
reads. This layer sits between the SDK's reader and the server, receives what the SDK could not read (the line
itself, inside the parser's error, or the decoded object), and answers:
- not JSON: -32700 Parse error, id null (JSON-RPC 2.0 section 5.1). After three in a row it answers no more
  until a readable message comes, so a peer that answers every message with a line of noise cannot start an
  endless exchange;
- JSON, but not a JSON-RPC 2.0 request: -32600 Invalid Request, with the message's id when it has one;
- a request whose params cannot be read (a lone surrogate, deep nesting): -32602 Invalid params, naming where.
A notification or a response is never answered (JSON-RPC forbids it); every refusal is logged on stderr. The
message is refused here rather than repaired: a lone surrogate let through could not be written back as UTF-8.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.mcpserver import MCPServer
from mcp.server.stdio import stdio_server
from mcp.shared.message import SessionMessage
from mcp_types import INVALID_PARAMS, INVALID_REQUEST, PARSE_ERROR, ErrorData, JSONRPCError
from pydantic import ValidationError

from gitcode_mcp.errors import preview

if TYPE_CHECKING:  # the SDK's stream protocols live in a private module: types only, never needed to run
    from mcp.shared._stream_protocols import ReadStream, WriteStream

log = logging.getLogger("gitcode_mcp.stdio")

# Parse errors answered in a row before falling silent (see the module doc).
MAX_NOISE_ANSWERS = 3
_SURROGATE = re.compile("[\ud800-\udfff]")
# JSON's tokens, enough to find a top-level "id" in a message too deep for json.loads.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]|[^\s\[\]{}:,"]+')
_TOO_DEEP = "deeper than this server reads; send flatter arguments"
_SEND_TEXT = "send the character itself, or both halves of a surrogate pair"


class AnsweringServer(MCPServer[Any]):
    """An MCPServer whose stdio transport answers the lines it cannot read (see the module doc): the SDK's
    run_stdio_async with AnsweringReader between its reader and the server."""

    async def run_stdio_async(self) -> None:
        server = self._lowlevel_server
        async with stdio_server() as (read_stream, write_stream):
            answering = AnsweringReader(read_stream, write_stream)
            await server.run(answering, write_stream, server.create_initialization_options())


class AnsweringReader:
    """The SDK's read stream less what it could not read: each of those is answered on the write stream."""

    def __init__(self, inner: ReadStream[SessionMessage | Exception], answers: WriteStream[SessionMessage]) -> None:
        self._inner = inner
        self._answers = answers
        self._noise = 0  # parse errors answered since the last readable message

    @property
    def last_context(self) -> Any:
        """The sender's context of the last message, as the SDK's own streams keep it for the server."""
        return getattr(self._inner, "last_context", None)

    async def receive(self) -> SessionMessage | Exception:
        while True:
            item = await self._inner.receive()
            if not isinstance(item, Exception):
                self._noise = 0
                return item
            await self._answer(item)

    async def _answer(self, problem: Exception) -> None:
        error = answer_for(problem)
        if error is None:
            return
        if error.id is None:
            if self._noise >= MAX_NOISE_ANSWERS:
                return
            self._noise += 1
        try:
            await self._answers.send(SessionMessage(error))
        except (anyio.ClosedResourceError, anyio.BrokenResourceError):
            log.debug("not answered: the connection is closing")

    def __aiter__(self) -> AnsweringReader:
        return self

    async def __anext__(self) -> SessionMessage | Exception:
        try:
            return await self.receive()
        except anyio.EndOfStream:
            raise StopAsyncIteration from None

    async def aclose(self) -> None:
        await self._inner.aclose()

    async def __aenter__(self) -> AnsweringReader:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc_val: BaseException | None, exc_tb: TracebackType | None
    ) -> bool | None:
        await self.aclose()
        return None


def answer_for(problem: Exception) -> JSONRPCError | None:
    """The JSON-RPC error that answers a line the SDK's reader refused with `problem`, or None when nothing may
    answer it (a notification, a response, a blank line)."""
    if not isinstance(problem, ValidationError):
        log.warning("stdio: dropped a message that could not be read (%s)", type(problem).__name__)
        return None
    errors = problem.errors()
    first = errors[0] if errors else {}
    if first.get("type") == "json_invalid" and isinstance(first.get("input"), str):
        return _unparsed(first["input"], str(first.get("ctx", {}).get("error", "")))
    # Valid JSON but no JSON-RPC message: pydantic names the whole object as the input of a missing field.
    whole = next((e["input"] for e in errors if e["type"] == "missing" and len(e["loc"]) == 2), None)
    return _refuse(whole if isinstance(whole, dict) else None, INVALID_REQUEST, _envelope_problem(whole, errors))


def _unparsed(line: str, why: str) -> JSONRPCError | None:
    if not line.strip():
        return None
    try:
        message = json.loads(line)
    except RecursionError:  # deeper than even Python's parser goes: find the id without it
        depth, request_id = _scan(line)
        return _refuse({"id": request_id}, INVALID_REQUEST, f"the message nests {depth} levels deep, {_TOO_DEEP}")
    except ValueError:
        log.warning("stdio: answered a line that is not JSON (%s)", why)
        problem = f"Parse error: the line is not JSON ({why}); send one JSON-RPC 2.0 message per line"
        return JSONRPCError(jsonrpc="2.0", id=None, error=ErrorData(code=PARSE_ERROR, message=problem))
    if not isinstance(message, dict):
        return _refuse(None, INVALID_REQUEST, "a message is one JSON object (this server takes no batches)")
    for path, value in _walk(message):
        if isinstance(value, str) and (found := _SURROGATE.search(value)):
            where, code = _where(path)
            problem = f"{where} holds a lone surrogate (U+{ord(found.group()):04X}), which is not text; {_SEND_TEXT}"
            return _refuse(message, code, problem)
    if "recursion" in why:
        path, depth = _deepest(message)
        where, code = _where(path)
        return _refuse(message, code, f"{where} nests {depth} levels deep, {_TOO_DEEP}")
    return _refuse(message, INVALID_REQUEST, f"the message cannot be read ({why})")


def _refuse(message: dict[str, Any] | None, code: int, problem: str) -> JSONRPCError | None:
    """The error for `message` (None: not even an object), or None when it must not be answered."""
    request_id = message.get("id") if message is not None else None
    if isinstance(request_id, bool) or not isinstance(request_id, int | str) or _SURROGATE.search(str(request_id)):
        request_id = None  # not an id JSON-RPC allows (or one that could not be written back)
    if message is not None and _unanswerable(message):
        log.warning("stdio: dropped a notification or response that could not be read: %s", problem)
        return None
    kind = "Invalid params" if code == INVALID_PARAMS else "Invalid Request"
    log.warning("stdio: answered %s: %s", kind, problem)
    return JSONRPCError(jsonrpc="2.0", id=request_id, error=ErrorData(code=code, message=f"{kind}: {problem}"))


def _unanswerable(message: dict[str, Any]) -> bool:
    """A notification (a method, no id) or a response: JSON-RPC answers neither."""
    return "id" not in message if "method" in message else bool(message.keys() & {"result", "error"})


def _envelope_problem(message: Any, errors: list[Any]) -> str:
    if not isinstance(message, dict):
        return "a message is one JSON object (this server takes no batches)"
    if message.get("jsonrpc") != "2.0":
        return f'this server speaks JSON-RPC 2.0: `jsonrpc` must be "2.0", not {preview(message.get("jsonrpc"))}'
    # The request's own complaint (`method` not a string, `id` not a string or integer, ...).
    for error in errors:
        if error["loc"][:1] == ("JSONRPCRequest",) and len(error["loc"]) > 1:
            field = ".".join(str(p) for p in error["loc"][1:])
            return f"`{field}`: {error['msg']}; not a JSON-RPC 2.0 request"
    return "not a JSON-RPC 2.0 request, notification or response"


def _walk(value: Any) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every key and value of a decoded message with its path, without recursion."""
    stack: list[tuple[tuple[Any, ...], Any]] = [((), value)]
    while stack:
        path, item = stack.pop()
        yield path, item
        if isinstance(item, dict):
            for key, child in reversed(list(item.items())):
                yield (*path, key), key
                stack.append(((*path, key), child))
        elif isinstance(item, list):
            stack.extend(((*path, i), child) for i, child in reversed(list(enumerate(item))))


def _deepest(value: Any) -> tuple[tuple[Any, ...], int]:
    best: tuple[tuple[Any, ...], int] = ((), 0)
    for path, _ in _walk(value):
        if len(path) > best[1]:
            best = (path, len(path))
    return best


def _where(path: tuple[Any, ...]) -> tuple[str, int]:
    """How to name a place in the message (its first few steps), and whether it is in the params."""
    inside = path[:1] == ("params",)
    steps = path[1:4] if inside else path[:3]
    shown = ".".join(_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", str(s))[:40] for s in steps)
    return (f"`{shown}`" if shown else "the params"), INVALID_PARAMS if inside else INVALID_REQUEST


def _scan(line: str) -> tuple[int, Any]:
    """The deepest nesting of a JSON text, and its top-level "id" when that is a string or an integer."""
    depth = deepest = 0
    key: Any = None
    wants_id = False
    request_id: Any = None
    for token in _TOKEN.finditer(line):
        text = token.group()
        if text in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
            wants_id = False
        elif text in ("]", "}"):
            depth -= 1
        elif depth == 1 and text == ":":
            wants_id = key == "id"
        elif depth == 1 and text != ",":
            if wants_id and request_id is None:
                request_id = _json_or_none(text)
            key = _json_or_none(text) if text.startswith('"') else None
            wants_id = False
    return deepest, request_id


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
