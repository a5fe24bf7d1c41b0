"""The MCP Tasks extension (`io.modelcontextprotocol/tasks`, SEP-2663, for the 2026-07-28 protocol): a long tool
call answers at once with a task handle, runs on, and the client polls `tasks/get` for its end and result.

The installed SDK (mcp 2.x) ships no Tasks implementation: 2025-11-25's core tasks exist only as types, "never
dispatched", and 2026-07-28 leaves tasks to the extension. It does ship the extension hooks this builds on:
`Extension.methods()` serves `tasks/get`, `tasks/update` and `tasks/cancel`, and `intercept_tool_call` answers a
call of a task tool with `CreateTaskResult` (`resultType: "task"`), the SDK passing an extension's result type
through unsieved. As the extension's text requires, a task is made only for a client that declared the extension
in that request's capabilities (every other client gets the ordinary, waited-for result), a task's status message
stands in for progress notifications (which tasks must not send), and a task is found only by the caller that
started it. Tasks live in the process's memory for TTL_MS: with several HTTP workers, a `tasks/get` reaching another
worker answers that the task is unknown (the extension's `Mcp-Name` routing header is not acted on here).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import anyio
from anyio.abc import TaskGroup
from mcp.server.context import CallNext, HandlerResult, ServerRequestContext
from mcp.server.extension import Extension, MethodBinding
from mcp.shared.exceptions import MCPError
from mcp_types import INTERNAL_ERROR, INVALID_PARAMS, CallToolRequestParams, RequestParams
from mcp_types.version import MODERN_PROTOCOL_VERSIONS
from pydantic import BaseModel, ConfigDict, Field

from gitcode_mcp.identity import caller_token

TASKS = "io.modelcontextprotocol/tasks"
TTL_MS = 60 * 60 * 1000
POLL_MS = 2000


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class Task:
    id: str
    owner: str  # whose task: a digest of the caller's token ("" for the server's own)
    created: str
    updated: str
    expires: float  # time.monotonic()
    status: str = "working"  # working | completed | failed | cancelled
    message: str = ""
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None
    scope: anyio.CancelScope = field(default_factory=anyio.CancelScope)

    def wire(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "taskId": self.id,
            "status": self.status,
            "createdAt": self.created,
            "lastUpdatedAt": self.updated,
            "ttlMs": TTL_MS,
            "pollIntervalMs": POLL_MS,
        }
        if self.message:
            out["statusMessage"] = self.message
        if self.result is not None:
            out["result"] = self.result
        if self.error is not None:
            out["error"] = self.error
        return out


_CURRENT: ContextVar[Task | None] = ContextVar("gitcode_mcp_task", default=None)
_MARK = "__gitcode_runs_as_task__"


def runs_as_task(fn: Any) -> Any:
    """Mark a tool that may run as a task (a long wait): for a client that declares the extension it answers at
    once with a task handle."""
    setattr(fn, _MARK, True)
    return fn


def may_run_as_task(fn: Any) -> bool:
    return getattr(fn, _MARK, False) is True


async def report(ctx: Any, done: float, total: float, message: str) -> None:
    """Progress of a long tool call: a progress notification, or inside a task, the task's status message (tasks
    must not send progress notifications)."""
    if (task := _CURRENT.get()) is not None:
        task.message, task.updated = message, _now()
        return
    await ctx.report_progress(done, total, message)


class TaskParams(RequestParams):
    model_config = ConfigDict(populate_by_name=True)
    task_id: str = Field(alias="taskId")


class UpdateParams(TaskParams):
    input_responses: dict[str, Any] = Field(default_factory=dict, alias="inputResponses")


def _owner(ctx: ServerRequestContext[Any, Any]) -> str:
    headers = getattr(ctx.request, "headers", None)
    token = caller_token(headers) if headers is not None else None
    return hashlib.sha256(token.encode()).hexdigest() if token else ""


class TaskStore:
    """The tasks of one server, run in a task group that lives as long as the server's lifespan. The SDK enters the
    lifespan once per stdio run and per HTTP app, but once per SSE connection: each entry has its group, and a task
    runs in the newest (an SSE connection's tasks end with it)."""

    def __init__(self) -> None:
        self._tasks: dict[str, Task] = {}
        self._groups: list[TaskGroup] = []

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        async with anyio.create_task_group() as group:
            self._groups.append(group)
            try:
                yield
            finally:
                self._groups.remove(group)
                group.cancel_scope.cancel()

    def start(self, owner: str, work: Callable[[], Awaitable[HandlerResult]]) -> Task:
        if not self._groups:
            raise MCPError(code=INTERNAL_ERROR, message="the server is not running tasks")
        self._prune()
        stamp = _now()
        task = Task(str(uuid.uuid4()), owner, stamp, stamp, anyio.current_time() + TTL_MS / 1000)
        self._tasks[task.id] = task
        self._groups[-1].start_soon(self._run, task, work)
        return task

    async def _run(self, task: Task, work: Callable[[], Awaitable[HandlerResult]]) -> None:
        token = _CURRENT.set(task)
        try:
            with task.scope:
                result = await work()
                task.result = (
                    result.model_dump(by_alias=True, mode="json", exclude_none=True)
                    if isinstance(result, BaseModel)
                    else dict(result or {})
                )
                task.status = "completed"
        except MCPError as error:
            task.status, task.error = "failed", {"code": error.error.code, "message": error.error.message}
        except Exception:  # a tool's own failure is already an isError result; this is the server's
            task.status, task.error = "failed", {"code": INTERNAL_ERROR, "message": "the task failed"}
        finally:
            _CURRENT.reset(token)
            if task.scope.cancel_called and task.status == "working":
                task.status = "cancelled"
            task.updated = _now()

    def _prune(self) -> None:
        now = anyio.current_time()
        for task_id in [t.id for t in self._tasks.values() if t.expires < now]:
            del self._tasks[task_id]

    def find(self, ctx: ServerRequestContext[Any, Any], task_id: str) -> Task:
        self._prune()
        task = self._tasks.get(task_id)
        if task is None or task.owner != _owner(ctx):
            raise MCPError(
                code=INVALID_PARAMS, message=f"no task {task_id[:40]!r}: it is unknown, expired or not yours"
            )
        return task


class TasksExtension(Extension):
    """Runs the named tools as tasks for clients that declare the extension; other calls pass through."""

    identifier = TASKS

    def __init__(self, store: TaskStore, tools: frozenset[str]) -> None:
        self._store, self._tools = store, tools

    def methods(self) -> list[MethodBinding]:
        versions = frozenset(MODERN_PROTOCOL_VERSIONS)
        return [
            MethodBinding("tasks/get", TaskParams, self._get, versions),
            MethodBinding("tasks/update", UpdateParams, self._update, versions),
            MethodBinding("tasks/cancel", TaskParams, self._cancel, versions),
        ]

    async def intercept_tool_call(
        self, params: CallToolRequestParams, ctx: ServerRequestContext[Any, Any], call_next: CallNext
    ) -> HandlerResult:
        declared = ctx.session.client_capabilities
        if params.name not in self._tools or ctx.protocol_version not in MODERN_PROTOCOL_VERSIONS:
            return await call_next(ctx)
        if not declared or not declared.extensions or TASKS not in declared.extensions:
            return await call_next(ctx)
        task = self._store.start(_owner(ctx), lambda: call_next(ctx))
        return {"resultType": "task", **task.wire()}

    async def _get(self, ctx: ServerRequestContext[Any, Any], params: TaskParams) -> HandlerResult:
        return self._store.find(ctx, params.task_id).wire()

    async def _update(self, ctx: ServerRequestContext[Any, Any], params: UpdateParams) -> HandlerResult:
        self._store.find(ctx, params.task_id)  # no task of these tools asks for input: nothing to deliver
        return {}

    async def _cancel(self, ctx: ServerRequestContext[Any, Any], params: TaskParams) -> HandlerResult:
        task = self._store.find(ctx, params.task_id)
        if task.status == "working":
            task.scope.cancel()
        return {}
