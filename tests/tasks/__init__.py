"""Our own task suite: forge tasks as a person would ask them, each played on a fresh simulator (with alice/kettle,
sandbox/kettle.py) through an MCP client by a scripted agent that makes the calls a good agent would, reading what
each answer says, and checked by the end state (or by the answer, for a question).

A task is `Task(name, kind, ask, play, check)`: `play(agent)` makes the calls and answers what the person would be
told; `check(sandbox, answer)` asserts the end state. A task the tools cannot do carries `blocked` (why) instead of
a play. tests/test_tasks.py plays every task; bench/tasks.py prints what each one cost.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
from mcp import Client
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import Repo
from gitcode_mcp.server import build_server
from gitcode_mcp.settings import SANDBOX_API_URL, Settings

KETTLE = {"owner": "alice", "repo": "kettle"}


class ToolFailed(AssertionError):
    pass


@dataclass
class Agent:
    """An MCP client speaking for alice, counting what the task costs: tool calls, GitCode requests, bytes read."""

    client: Client
    sandbox: Sandbox
    calls: int = 0
    read: int = 0

    async def text(self, tool: str, **args: Any) -> str:
        """Call a tool on alice/kettle (owner and repo unless given) and answer its text (all blocks)."""
        self.calls += 1
        result = await self.client.call_tool(tool, {**KETTLE, **args})
        answer = "\n".join(block.text for block in result.content if block.type == "text")
        self.read += len(answer.encode())
        if result.is_error:
            raise ToolFailed(f"{tool}: {answer}")
        return answer

    async def json(self, tool: str, **args: Any) -> Any:
        """Call a tool and answer its first block as JSON (a file's facts, or the whole compact answer)."""
        return json.loads((await self.text(tool, **args)).split("\n", 1)[0])

    @property
    def requests(self) -> int:
        return len(self.sandbox.requests)


Play = Callable[[Agent], Awaitable[Any]]
Check = Callable[[Sandbox, Any], None]


@dataclass(frozen=True)
class Task:
    name: str
    kind: str
    ask: str  # what the person asks, in their words
    play: Play | None = None
    check: Check | None = None
    blocked: str = ""  # why the tools cannot do it


@dataclass
class Outcome:
    task: Task
    calls: int = 0
    requests: int = 0
    read: int = 0
    answer: Any = None
    sandbox: Sandbox = field(default_factory=lambda: Sandbox(kettle=True))


async def play(task: Task) -> Outcome:
    """Play a task on a fresh simulator with every toolset, then check it."""
    assert task.play is not None and task.check is not None, task.blocked
    outcome = Outcome(task)
    settings = Settings(api_url=SANDBOX_API_URL, token=SecretStr("sandbox-token"), toolsets=("all",))
    server = build_server(settings, httpx2.ASGITransport(app=outcome.sandbox.app))
    async with Client(server) as client:
        agent = Agent(client, outcome.sandbox)
        outcome.answer = await task.play(agent)
    outcome.calls, outcome.requests, outcome.read = agent.calls, agent.requests, agent.read
    task.check(outcome.sandbox, outcome.answer)
    return outcome


def numbered_lines(answer: str) -> list[tuple[int, str]]:
    """The numbered lines get_file_contents shows (lines or match), from between its fence lines."""
    inside = answer.split("\n")[2:-1]  # the facts, the BEGIN line ... the END line
    return [(int(number), line) for number, _, line in (row.partition("\t") for row in inside)]


def kettle(sandbox: Sandbox) -> Repo:
    repo = sandbox.world.repo("alice", "kettle")
    assert repo is not None
    return repo


def all_tasks() -> list[Task]:
    from tests.tasks import code, history, issues

    return [*issues.TASKS, *code.TASKS, *history.TASKS]
