"""The simulator's machinery: the ASGI app, routing on the tools' own path templates, GitCode's error bodies,
paging headers, the request log and fault injection. What each route answers lives in sandbox/areas/.
"""

from __future__ import annotations

import importlib
import inspect
import json
import math
import pkgutil
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import cached_property
from types import ModuleType
from typing import Any
from urllib.parse import unquote

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from gitcode_mcp.paths import INT_PARAMS, route_pattern
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.oauth import SimulatedOAuth
from gitcode_mcp.sandbox.state import Repo, User, World

PREFIX = "/api/v5/"
FORM = "application/x-www-form-urlencoded"
# API v8 beside v5 on the same host (the tools' v8 templates start with "v8/"), and the object storage GitCode
# redirects downloads to (an artifact's zip: a pre-signed URL on another host, reached through the same app here).
ROUTED_PREFIXES = {PREFIX: "", "/api/v8/": "v8/", "/objects/": "objects/"}


class Refusal(Exception):
    """An error answer, in GitCode's shape: `{"error_code", "error_code_name", "error_message"}` (live), or
    `{"message": "401 Unauthorized"}` for a missing or bad token (live)."""

    def __init__(self, status: int, message: str, name: str = "") -> None:
        self.status, self.message, self.name = status, message, name or _ERROR_NAMES.get(status, "UN_KNOW")

    def response(self) -> Response:
        if self.message == "401 Unauthorized":
            return JSONResponse({"message": self.message}, status_code=401)
        body = {
            "error_code": self.status,
            "error_code_name": self.name,
            "error_message": self.message,
            "trace_id": uuid.uuid4().hex[:16],
        }
        return JSONResponse(body, status_code=self.status)


_ERROR_NAMES = {403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT", 422: "VALIDATION_ERROR"}


@dataclass
class Recorded:
    """One request as GitCode received it, and what it answered."""

    method: str
    path: str  # decoded, without the /api/v5/ prefix
    raw_path: str  # as sent on the wire, percent-encoding kept
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: Any  # decoded JSON or form, None when empty
    template: str | None = None  # the route it reached, e.g. "repos/{owner}/{repo}/pulls/{number}"
    status: int = 0
    response_size: int = 0


@dataclass
class Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: bytes
    content_type: str
    delay: float
    times: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Call:
    request: Request
    caller: User | None
    params: dict[str, Any]  # typed like api_path: integers for INT_PARAMS, decoded text otherwise
    body: Any

    @property
    def query(self) -> Any:
        return self.request.query_params

    def data(self) -> dict[str, Any]:
        return self.body if isinstance(self.body, dict) else {}

    def form_or_query(self) -> dict[str, Any]:
        """The parameters an endpoint documented as `formData` reads: the query string and a form body. A JSON body
        is not read at all (docs/gitcode-behaviour.md, Labels)."""
        form = self.body if self.request.headers.get("content-type", "").startswith(FORM) else None
        return {**dict(self.query), **(form if isinstance(form, dict) else {})}


Handler = Callable[["Sandbox", Call], Awaitable[Response]]


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler

    @cached_property
    def literal(self) -> int:
        """How much of the template is fixed text: of two routes that match a path, the one with more wins."""
        return len(placeholders_removed(self.template))


ROUTES: list[Route] = []


def route(method: str, template: str) -> Callable[[Handler], Handler]:
    """Answer `method template`; the template is the one the tools pass to api_path (gitcode_mcp/endpoints.py)."""

    def register(handler: Handler) -> Handler:
        ROUTES.append(Route(method, template, route_pattern(template), handler))
        return handler

    return register


def placeholders_removed(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "", template)


def find_route(method: str, raw_path: str) -> tuple[Route, re.Match[str]] | None:
    """The route that answers a request: of those whose template matches, the one with the most fixed text, so that
    `collaborators/self-permission` wins over `collaborators/{username}` whatever order the areas registered in."""
    matches = [(r, m) for r in ROUTES if r.method == method and (m := r.pattern.match(raw_path))]
    return max(matches, key=lambda found: found[0].literal, default=None)


def seeds() -> list[Callable[[World], None]]:
    """Each area's `seed(world)`: what it alone holds of the seeded world (keys, releases, ...). A seed that builds on
    another area's objects calls that area's seed first (every seed is idempotent), so the order they run in decides
    nothing but the order of the world's registries (repositories, organisations), which unsorted lists follow."""
    found = [getattr(area, "seed", None) for area in _areas()]
    return [
        seed
        for seed, area in zip(found, _areas(), strict=True)
        if inspect.isfunction(seed) and seed.__module__ == area.__name__
    ]


def _areas() -> list[ModuleType]:
    import gitcode_mcp.sandbox.areas as package

    return [importlib.import_module(m.name) for m in pkgutil.walk_packages(package.__path__, f"{package.__name__}.")]


class Sandbox:
    """An in-memory GitCode. `sandbox.app` is the ASGI app; `sandbox.requests` what it received.

    `kettle=True` adds alice/kettle, a project with a history to ask about (sandbox/kettle.py): `--sandbox` serves it
    and the task suite plays on it; the other tests count what the world holds without it."""

    def __init__(self, kettle: bool = False) -> None:
        self.world = World()
        for seed in seeds():
            seed(self.world)
        if kettle:
            # Found by name, as the areas are (_areas): the project builds on the areas, which import this module.
            importlib.import_module("gitcode_mcp.sandbox.kettle").seed(self.world)
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.oauth = SimulatedOAuth(self.world)  # GitCode's OAuth pages, outside the API (/oauth/...)

    def fail(
        self,
        method: str,
        path_regex: str,
        *,
        status: int = 500,
        body: Any = None,
        content_type: str = "application/json",
        delay: float = 0.0,
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Fail the next `times` matching requests: an error status, or any answer after `delay` seconds (a slow
        GitCode). An answer GitCode gives that the simulator does not make is `answer`'s."""
        if status < 400 and not delay:
            raise ValueError(f"a {status} answer is not a fault: use Sandbox.answer")
        self._inject(method, path_regex, status, body, content_type, delay, times, headers)

    def answer(
        self,
        method: str,
        path_regex: str,
        *,
        body: Any,
        status: int = 200,
        content_type: str = "application/json",
        times: int = 1,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer the next `times` matching requests as GitCode did somewhere the simulator does not (a recorded
        shape: numbers as strings, a list for an object, a redirect), to test how the tools read it."""
        if status >= 400:
            raise ValueError(f"a {status} answer is a fault: use Sandbox.fail")
        self._inject(method, path_regex, status, body, content_type, 0.0, times, headers)

    def _inject(
        self,
        method: str,
        path_regex: str,
        status: int,
        body: Any,
        content_type: str,
        delay: float,
        times: int,
        headers: dict[str, str] | None,
    ) -> None:
        if body is None:
            body = {"error_code": status, "error_code_name": "UN_KNOW", "error_message": "injected failure"}
        raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.faults.append(
            Fault(method, re.compile(path_regex), status, raw, content_type, delay, times, headers or {})
        )

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        request = Request(scope, receive)
        record = Recorded(
            method=request.method,
            path=_routed(request.url.path) or request.url.path.lstrip("/"),
            raw_path=_raw_path(request),
            query=dict(request.query_params),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=await _body(request),
        )
        self.requests.append(record)
        response = await self._answer(request, record)
        record.status, record.response_size = response.status_code, len(response.body)
        await response(scope, receive, send)

    async def _answer(self, request: Request, record: Recorded) -> Response:
        if fault := self._take_fault(request.method, record.path):
            if fault.delay:
                await anyio.sleep(fault.delay)
            return Response(fault.body, fault.status, headers=fault.headers, media_type=fault.content_type)
        if request.url.path.startswith("/oauth/"):
            return await self.oauth.answer(request)
        try:
            if _routed(request.url.path) is None:
                raise Refusal(404, "404 Not Found")
            if (found := find_route(request.method, record.raw_path)) is None:
                raise Refusal(404, "404 Not Found")
            r, match = found
            record.template = r.template
            params = {k: int(v) if k in INT_PARAMS else unquote(v) for k, v in match.groupdict().items()}
            return await r.handler(self, Call(request, self._caller(request), params, record.body))
        except Refusal as refusal:
            return refusal.response()

    def _take_fault(self, method: str, path: str) -> Fault | None:
        for fault in self.faults:
            if fault.method == method and fault.pattern.search(path):
                fault.times -= 1
                if fault.times <= 0:
                    self.faults.remove(fault)
                return fault
        return None

    def _caller(self, request: Request) -> User | None:
        """GitCode takes the token as PRIVATE-TOKEN, `Authorization: Bearer` or `access_token` (ref)."""
        token = (
            request.headers.get("private-token")
            or request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            or request.query_params.get("access_token")
        )
        if not token:
            return None
        if token not in self.world.tokens:
            raise Refusal(401, "401 Unauthorized")
        return self.world.tokens[token]

    def repo(self, call: Call) -> Repo:
        """The repository of the path (or of the body's `repo`); a private one is a 404 to whoever may not see it."""
        repo = self.world.repo(call.params["owner"], call.params.get("repo") or str(call.data().get("repo", "")))
        if repo is None or not access(self.world, repo, call.caller).read:
            raise Refusal(404, "Not Found Project")
        return repo


def _routed(path: str) -> str | None:
    """A request path as the routes name it: without /api/v5/, v8 ones as v8/..., None for any other path."""
    for prefix, routed in ROUTED_PREFIXES.items():
        if path.startswith(prefix):
            return routed + path.removeprefix(prefix)
    return None


def _raw_path(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    path = raw.decode("latin-1").split("?", 1)[0]
    return _routed(path) or path


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    if request.headers.get("content-type", "").startswith(FORM):
        return dict((await request.form()).items())
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def need_token(call: Call, message: str = "401 Unauthorized") -> User:
    if call.caller is None:
        raise Refusal(401, message)
    return call.caller


def need_header(call: Call, header: str, message: str) -> None:
    """Some endpoints read the token from one header only (seed, probe: docs/gitcode-behaviour.md, Authentication)."""
    if not call.request.headers.get(header):
        raise Refusal(401, message)


def page_window(call: Call) -> tuple[int, int]:
    """The `page` and `per_page` asked for (defaults 1 and 20), checked as GitCode bounds them."""
    try:
        number = int(call.query.get("page", "1"))
        size = int(call.query.get("per_page", "20"))
    except ValueError:
        raise Refusal(400, "page and per_page must be integers") from None
    if number < 1 or not 1 <= size <= 100:
        raise Refusal(400, "page must be >= 1 and per_page between 1 and 100")
    return number, size


def page(call: Call, items: list[Any]) -> Response:
    """A page of a list, with GitCode's total_count / total_page headers."""
    number, size = page_window(call)
    start = (number - 1) * size
    headers = {"total_count": str(len(items)), "total_page": str(max(1, math.ceil(len(items) / size)))}
    return JSONResponse(items[start : start + size], headers=headers)


def text_field(data: dict[str, Any], key: str) -> str:
    """A required text field: a string with more than white space in it, or 400 `{key} is required`."""
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise Refusal(400, f"{key} is required")
    return value


def string_list(data: dict[str, Any], key: str) -> list[str]:
    """A comma-separated list field; GitCode answers 400 to a JSON array (seed)."""
    value = data.get(key, "")
    if not isinstance(value, str):
        raise Refusal(400, f"{key} must be a string; separate several with commas")
    return [s.strip() for s in value.split(",") if s.strip()]
