"""wait_for_run as an MCP task (the Tasks extension, SEP-2663) for a client that declares the extension; an ordinary
waited-for call for one that does not; a task found only by its caller, cancellable, with a status message in place
of progress notifications."""

from __future__ import annotations

import json
from typing import Any, Literal

import anyio
import pytest
from mcp.client.extension import ClaimContext, ClientExtension, ResultClaim
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, Request, Result
from pydantic import ConfigDict, Field

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.tasks import TASKS, TaskParams
from gitcode_mcp.tools.actions import FAILED_RUN, PIPELINES, RUNNING_RUN
from tests.conftest import Connect, text

pytestmark = pytest.mark.anyio


class CreatedTask(Result):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    result_type: Literal["task"] = Field(alias="resultType")
    task_id: str = Field(alias="taskId")
    status: str
    poll_interval_ms: int | None = Field(default=None, alias="pollIntervalMs")


class TaskState(Result):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    task_id: str = Field(alias="taskId")
    status: str
    status_message: str | None = Field(default=None, alias="statusMessage")
    result: dict[str, Any] | None = None
    error: dict[str, Any] | None = None


class Acknowledged(Result):
    model_config = ConfigDict(extra="allow")


class GetTask(Request[TaskParams, Literal["tasks/get"]]):
    method: Literal["tasks/get"] = "tasks/get"
    params: TaskParams
    name_param = "taskId"


class CancelTask(Request[TaskParams, Literal["tasks/cancel"]]):
    method: Literal["tasks/cancel"] = "tasks/cancel"
    params: TaskParams
    name_param = "taskId"


class TasksClient(ClientExtension):
    """A requester of the Tasks extension: declares it, and finishes a task handle by polling tasks/get."""

    identifier = TASKS

    def __init__(self, cancel_after: int | None = None) -> None:
        self.created: list[CreatedTask] = []
        self.seen: list[TaskState] = []
        self.cancel_after = cancel_after

    def claims(self) -> list[ResultClaim[Any]]:
        return [ResultClaim(result_type="task", model=CreatedTask, resolve=self.resolve)]

    async def resolve(self, created: CreatedTask, ctx: ClaimContext) -> CallToolResult:
        self.created.append(created)
        params = TaskParams(taskId=created.task_id)
        while True:
            state = await ctx.session.send_request(GetTask(params=params), TaskState)
            self.seen.append(state)
            if state.status in ("completed", "failed", "cancelled"):
                break
            if self.cancel_after is not None and len(self.seen) >= self.cancel_after:
                await ctx.session.send_request(CancelTask(params=params), Acknowledged)
            await anyio.sleep(0.2)  # faster than pollIntervalMs: a test need not wait seconds
        if state.result is None:
            return CallToolResult(content=[], is_error=True, structured_content={"task": state.status})
        return CallToolResult.model_validate(state.result)


async def test_a_client_with_the_extension_gets_a_task_it_polls_to_the_runs_end(
    connect: Connect, sandbox: Sandbox
) -> None:
    tasks = TasksClient()
    async with connect() as plain:
        started = json.loads(
            text(await plain.call_tool("dispatch_workflow", {**PIPELINES, "workflow": "ci.yml", "ref": "main"}))
        )
    async with connect(extensions=[tasks]) as client:
        result = await client.call_tool("wait_for_run", {**PIPELINES, "run_id": started["run_id"]})
    assert len(tasks.created) == 1 and tasks.created[0].status == "working" and tasks.created[0].poll_interval_ms
    assert tasks.seen[-1].status == "completed"
    assert any((s.status_message or "").startswith(f"run {started['run_id']}: RUNNING") for s in tasks.seen)
    answer = json.loads(text(result))
    assert answer["finished"] is True and answer["status"] == "COMPLETED" and not result.is_error


async def test_a_client_without_the_extension_waits_for_the_ordinary_result(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("wait_for_run", {**PIPELINES, "run_id": FAILED_RUN})
    assert json.loads(text(result))["status"] == "FAILED"
    async with connect(mode="legacy", extensions=[TasksClient()]) as client:  # no tasks on the 2025 wire
        result = await client.call_tool("wait_for_run", {**PIPELINES, "run_id": FAILED_RUN})
    assert json.loads(text(result))["status"] == "FAILED"


async def test_other_tools_never_become_tasks(connect: Connect) -> None:
    tasks = TasksClient()
    async with connect(extensions=[tasks]) as client:
        result = await client.call_tool("get_workflow_run", {**PIPELINES, "run_id": FAILED_RUN})
    assert tasks.created == [] and json.loads(text(result))["status"] == "FAILED"


async def test_a_task_can_be_cancelled(connect: Connect) -> None:
    tasks = TasksClient(cancel_after=1)
    async with connect(extensions=[tasks]) as client:
        result = await client.call_tool("wait_for_run", {**PIPELINES, "run_id": RUNNING_RUN, "timeout_seconds": 600})
    assert tasks.seen[-1].status == "cancelled" and result.is_error


async def test_an_unknown_task_is_an_error(connect: Connect) -> None:
    async with connect(extensions=[TasksClient()]) as client:
        with pytest.raises(MCPError, match="no task"):
            await client.session.send_request(GetTask(params=TaskParams(taskId="nope")), TaskState)
