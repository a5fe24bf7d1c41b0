"""The simulator as an ASGI app: GitCode v5 paths, status codes, error bodies and pagination headers.

It records every request it receives (for tests to assert on) and can be told to misbehave once
(`fail`) to rehearse errors, timeouts and bodies that are not JSON.
"""

from __future__ import annotations

import base64
import json
import math
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from gitcode_mcp.sandbox.world import Comment, Issue, PullRequest, Repo, User, World, now

PREFIX = "/api/v5"


class Refusal(Exception):
    """An error answer, in GitCode's shape."""

    def __init__(self, status: int, message: str, name: str = "") -> None:
        self.status, self.message, self.name = status, message, name or _ERROR_NAMES.get(status, "ERROR")

    def response(self) -> Response:
        if self.message == "401 Unauthorized":  # GitCode's documented body for a missing or bad token
            return JSONResponse({"message": self.message}, status_code=401)
        body = {
            "error_code": self.status,
            "error_code_name": self.name,
            "error_message": self.message,
            "trace_id": uuid.uuid4().hex[:16],
        }
        return JSONResponse(body, status_code=self.status)


_ERROR_NAMES = {400: "BAD_REQUEST", 403: "FORBIDDEN", 404: "NOT_FOUND", 409: "CONFLICT", 422: "VALIDATION_ERROR"}


@dataclass
class Recorded:
    """One request as GitCode received it."""

    method: str
    path: str  # decoded, without the /api/v5 prefix
    raw_path: str  # as sent on the wire, percent-encoding kept
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: Any  # decoded JSON or form, None when empty


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
    params: dict[str, str]
    body: Any


Handler = Callable[["Sandbox", Call], Awaitable[Response]]
_ROUTES: list[tuple[str, re.Pattern[str], Handler]] = []


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern.replace("{path}", "(?P<path>.+)")) + "$")

    def register(handler: Handler) -> Handler:
        _ROUTES.append((method, regex, handler))
        return handler

    return register


class Sandbox:
    """An in-memory GitCode. `sandbox.app` is the ASGI app; `sandbox.requests` what it received."""

    def __init__(self) -> None:
        self.world = World()
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.last_response_size = 0  # body bytes of the latest answer, for bench/result_size.py

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
        """Answer the next `times` matching requests with this instead (after `delay` seconds)."""
        if body is None:
            body = {"error_code": status, "error_code_name": "ERROR", "error_message": "injected failure"}
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
        response = await self._answer(request)
        self.last_response_size = len(response.body)
        await response(scope, receive, send)

    async def _answer(self, request: Request) -> Response:
        path = request.url.path.removeprefix(PREFIX) if request.url.path.startswith(PREFIX + "/") else None
        body = await _body(request)
        self.requests.append(Recorded(
            method=request.method,
            path=path or request.url.path,
            raw_path=scope_raw_path(request),
            query=dict(request.query_params),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=body,
        ))
        if fault := self._take_fault(request.method, path or ""):
            if fault.delay:
                await anyio.sleep(fault.delay)
            return Response(fault.body, fault.status, headers=fault.headers, media_type=fault.content_type)
        try:
            if path is None:
                raise Refusal(404, "404 Not Found")
            for method, regex, handler in _ROUTES:
                if (match := regex.match(path)) and method == request.method:
                    caller = self._caller(request)
                    return await handler(self, Call(request, caller, match.groupdict(), body))
            raise Refusal(404, "404 Not Found")
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
        """GitCode takes the token as PRIVATE-TOKEN, `Authorization: Bearer` or `access_token`."""
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
        repo = self.world.repo(call.params["owner"], call.params["repo"])
        if repo is None or (repo.private and (call.caller is None or call.caller.login != repo.owner.login)):
            raise Refusal(404, "Not Found Project")
        return repo


def scope_raw_path(request: Request) -> str:
    raw = request.scope.get("raw_path") or request.scope["path"].encode()
    return raw.decode("latin-1").split("?", 1)[0].removeprefix(PREFIX)


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return None
    if request.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
        return dict((await request.form()).items())
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def need_token(call: Call, message: str = "401 Unauthorized") -> User:
    if call.caller is None:
        raise Refusal(401, message)
    return call.caller


def page(call: Call, items: list[Any]) -> Response:
    """A page of a list, with GitCode's total_count / total_page headers."""
    try:
        number = int(call.request.query_params.get("page", "1"))
        size = int(call.request.query_params.get("per_page", "20"))
    except ValueError:
        raise Refusal(400, "page and per_page must be integers") from None
    if number < 1 or not 1 <= size <= 100:
        raise Refusal(400, "page must be >= 1 and per_page between 1 and 100")
    start = (number - 1) * size
    headers = {"total_count": str(len(items)), "total_page": str(max(1, math.ceil(len(items) / size)))}
    return JSONResponse(items[start:start + size], headers=headers)


def pull(repo: Repo, call: Call) -> PullRequest:
    pr = repo.pulls.get(int(call.params["number"]))
    if pr is None:
        raise Refusal(404, "Not Found PullRequest")
    return pr


@route("GET", "/repos/{owner}/{repo}/pulls/{number}")
async def get_pull(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(repo.render_pull(pull(repo, call)))


@route("GET", "/repos/{owner}/{repo}/pulls/{number}/files")
async def pull_files(sb: Sandbox, call: Call) -> Response:
    need_token(call, "Invalid header parameter: private-token, required")
    repo = sb.repo(call)
    return page(call, repo.changes(pull(repo, call)))


@route("GET", "/repos/{owner}/{repo}/pulls/{number}/comments")
async def pull_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    pr = pull(repo, call)
    return page(call, [c.render(repo, pr.number) for c in pr.comments])


@route("POST", "/repos/{owner}/{repo}/pulls/{number}/comments")
async def comment_pull(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    pr = pull(repo, call)
    data = call.body if isinstance(call.body, dict) else {}
    text = data.get("body")
    if not isinstance(text, str) or not text.strip():
        raise Refusal(400, '"body" is required')
    path, position = data.get("path"), data.get("position")
    if path is not None or position is not None:
        changed = {c["filename"] for c in repo.changes(pr)}
        if not isinstance(path, str) or path not in changed or path not in repo.branches[pr.head]:
            raise Refusal(404, f"file {path!r} is not changed by this pull request")
        lines = repo.branches[pr.head][path].decode(errors="replace").splitlines()
        if not isinstance(position, int) or isinstance(position, bool) or not 1 <= position <= len(lines):
            raise Refusal(422, f"position {position!r} is not a line of {path} (it has {len(lines)} lines)")
    comment = Comment(
        id=next(sb.world.comment_ids), user=user, body=text, created_at=now(), path=path, position=position,
        commit_id=data.get("commit_id") or (repo.head_sha(pr.head) if path else None),
        in_reply_to=data.get("in_reply_to"),
    )
    pr.comments.append(comment)
    return JSONResponse(comment.render(repo, pr.number), status_code=201)


@route("POST", "/repos/{owner}/{repo}/issues")
async def create_issue(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    data = call.body if isinstance(call.body, dict) else {}
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise Refusal(400, '"title" is required')
    if len(title) > 255:
        raise Refusal(422, "title is too long (maximum is 255 characters)")
    if not isinstance(data.get("body", ""), str):
        raise Refusal(400, '"body" must be a string')
    for key in ("labels", "assignees"):
        if key in data and not isinstance(data[key], str):
            raise Refusal(400, f'"{key}" must be a string; separate several with commas')
    labels = [s for s in data.get("labels", "").split(",") if s]
    if missing := [label for label in labels if label not in repo.labels]:
        raise Refusal(422, f"label {missing[0]!r} does not exist")
    assignees = []
    for login in (s for s in data.get("assignees", "").split(",") if s):
        if login not in sb.world.users:
            raise Refusal(422, f"assignee {login!r} does not exist")
        assignees.append(sb.world.users[login])
    milestone = data.get("milestone")
    if milestone is not None and milestone not in repo.milestones:
        raise Refusal(422, f"milestone {milestone!r} does not exist")
    issue = Issue(
        number=max(repo.issues, default=0) + 1, title=title, body=data.get("body", ""), user=user,
        created_at=now(), labels=labels, assignees=assignees, milestone=milestone,
    )
    repo.issues[issue.number] = issue
    return JSONResponse(repo.render_issue(issue), status_code=201)


@route("GET", "/repos/{owner}/{repo}/issues/{number}")
async def get_issue(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    issue = repo.issues.get(int(call.params["number"])) if call.params["number"].isdigit() else None
    if issue is None:
        raise Refusal(404, "Not Found Issue")
    return JSONResponse(repo.render_issue(issue))


@route("GET", "/repos/{owner}/{repo}/contents/{path}")
async def contents(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    ref = call.request.query_params.get("ref") or repo.default_branch
    files = repo.branches.get(ref)
    if files is None:
        raise Refusal(404, f"ref {ref!r} not found")
    path = call.params["path"].strip("/")
    if path in files:
        raw = files[path]
        return JSONResponse({
            "type": "file",
            "encoding": "base64",
            "size": len(raw),
            "name": path.rsplit("/", 1)[-1],
            "path": path,
            "content": base64.b64encode(raw).decode(),
            "sha": repo.head_sha(ref)[:8] + path.encode().hex()[:32],
            "url": f"{repo.api_url}/contents/{path}",
            "html_url": f"{repo.web_url}/blob/{ref}/{path}",
            "download_url": f"{repo.web_url}/raw/{ref}/{path}",
            "_links": {"self": f"{repo.api_url}/contents/{path}", "html": f"{repo.web_url}/blob/{ref}/{path}"},
        })
    prefix = path + "/"
    children: dict[str, dict[str, Any]] = {}
    for name, raw in files.items():
        if name.startswith(prefix):
            rest = name[len(prefix):]
            child = rest.split("/", 1)[0]
            is_dir = "/" in rest
            children[child] = {
                "name": child,
                "path": prefix + child,
                "type": "dir" if is_dir else "file",
                "size": 0 if is_dir else len(raw),
                "download_url": None if is_dir else f"{repo.web_url}/raw/{ref}/{prefix}{child}",
            }
    if not children:
        raise Refusal(404, f"path {path!r} not found at {ref}")
    return JSONResponse(sorted(children.values(), key=lambda e: (e["type"] != "dir", e["name"])))
