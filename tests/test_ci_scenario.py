"""An agent's CI loop, played through the SDK's Client on the stateful simulator: it pushes a change, the run it
starts fails, it reads the failing lines of the job's log, commits a fix, the fix's run fails on a flaky runner, it
reads why, re-runs the failed job and waits for green, and reads the green run's test report.

Each step asserts what GitCode received and what the agent read; the log is never read whole."""

from __future__ import annotations

import json
from typing import Any

import pytest
from mcp import Client
from mcp_types import TextContent

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.actions.state import Actions
from gitcode_mcp.tools.actions import PIPELINES
from tests.conftest import Connect, text, unfenced

pytestmark = pytest.mark.anyio

BRANCH = "farewell"
APP = 'def greet(name):\n    return f"Hello, {name}!"\n\n\ndef farewell(name):\n    return "Goodbye " + name\n'
FIXED = APP.replace('"Goodbye " + name', 'f"Goodbye, {name}!"')
TEST = (
    'from src.app import farewell, greet\n\n\ndef test_greet():\n    assert greet("world") == "Hello, world!"\n\n\n'
    'def test_farewell():\n    assert farewell("world") == "Goodbye, world!"\n'
)


class Agent:
    def __init__(self, client: Client, sandbox: Sandbox) -> None:
        self.client, self.sandbox = client, sandbox
        self.progress: list[tuple[float, str | None]] = []

    async def run(self, tool: str, args: dict[str, Any], *paths: str, polls: bool = False) -> Any:
        """Call `tool` on gitcode-guild/pipelines; assert GitCode received requests on exactly these paths (the
        prefix of each: run and job ids vary; with `polls`, one or more of the first, then the rest); answer the
        result's blocks, JSON where it parses."""
        before = len(self.sandbox.requests)

        async def progress(progress: float, total: float | None, message: str | None) -> None:
            self.progress.append((progress, message))

        result = await self.client.call_tool(tool, {**PIPELINES, **args}, progress_callback=progress)
        assert not result.is_error, text(result)
        received = self.sandbox.requests[before:]
        if polls:
            paths = (paths[0],) * (len(received) - len(paths) + 1) + paths[1:]
        assert len(received) == len(paths) and all(
            r.path.startswith(p) for r, p in zip(received, paths, strict=True)
        ), [f"{r.method} {r.path}" for r in received]
        assert all(r.status < 400 for r in received)
        answers = []
        for block in result.content:
            assert isinstance(block, TextContent)
            try:
                answers.append(json.loads(block.text))
            except ValueError:
                answers.append(block.text)
        return answers[0] if len(answers) == 1 else answers

    async def commit(self, path: str, content: str, message: str) -> str:
        """Replace a file on the branch as an agent does (read its blob sha, then write); the branch's new head."""
        current = await self.run("get_file_contents", {"path": path, "ref": BRANCH}, CONTENTS + path)
        args = {"path": path, "content": content, "message": message, "sha": current[0]["sha"], "branch": BRANCH}
        await self.run("update_file", args, CONTENTS + path)
        return self.sandbox.world.repos["gitcode-guild/pipelines"].head_sha(BRANCH)


RUNS = "v8/repos/gitcode-guild/pipelines/actions/runs"
CONTENTS = "repos/gitcode-guild/pipelines/contents/"


async def newest_run(agent: Agent, sha: str) -> dict[str, Any]:
    runs = await agent.run("list_workflow_runs", {"branch": BRANCH, "head_sha": sha}, RUNS)
    assert len(runs["items"]) == 1, runs
    return runs["items"][0]


async def test_an_agent_fixes_its_change_until_ci_is_green(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        agent = Agent(client, sandbox)
        # The change: a farewell and its test, on a new branch.
        await agent.run("create_branch", {"branch": BRANCH, "ref": "main"}, "repos/gitcode-guild/pipelines/branches")
        await agent.commit("src/app.py", APP, "Add farewell")
        head = await agent.commit("tests/test_app.py", TEST, "Test farewell")

        # Its run (the push's) fails: the agent waits for it and learns which job failed.
        run = await newest_run(agent, head)
        assert run["status"] == "RUNNING" and run["title"] == "Test farewell"
        done = await agent.run("wait_for_run", {"run_id": run["run_id"]}, RUNS, RUNS, polls=True)
        assert done["finished"] and done["status"] == "FAILED"
        assert [(j["name"], j["failed_steps"]) for j in done["failed_jobs"]] == [("test", ["Run tests"])]
        assert agent.progress and all("run " in (m or "") for _, m in agent.progress)

        # It reads the lines around the first error, not the whole log, and sees the assertion.
        job = done["failed_jobs"][0]["id"]
        meta, log = await agent.run(
            "get_job_log", {"run_id": run["run_id"], "job_id": job, "show": "first_error", "lines": 40}, RUNS
        )
        assert meta["total_lines"] > 150 and meta["shown"].startswith("lines ") and log.count("\n") < 45
        assert "E       AssertionError: assert 'Goodbye world' == 'Goodbye, world!'" in log
        assert "test_greet" not in log.split("FAILURES", 1)[1]  # only the farewell test failed

        # It commits the fix; the runner's network fails this time (a flaky runner the agent did not cause).
        Actions.of(sandbox.world).runner_faults = 1
        fix = await newest_run(agent, await agent.commit("src/app.py", FIXED, "Punctuate the farewell"))
        done = await agent.run("wait_for_run", {"run_id": fix["run_id"]}, RUNS, RUNS, polls=True)
        assert done["status"] == "FAILED" and [j["name"] for j in done["failed_jobs"]] == ["build"]
        meta, log = await agent.run(
            "get_job_log", {"run_id": fix["run_id"], "job_id": done["failed_jobs"][0]["id"], "grep": "ERROR"}, RUNS
        )
        assert "ERROR: Could not install packages due to an OSError" in log and "Max retries exceeded" in log
        # The runner's timeout, pip's error and the step's exit: matched case-insensitively.
        assert meta["shown"].endswith("3 lines match 'ERROR'") and len(log.splitlines()) == 3 + 2

        # Not its code: it re-runs the failed job and waits for green.
        again = await agent.run("rerun_workflow_run", {"run_id": fix["run_id"], "failed_only": True}, RUNS, RUNS, RUNS)
        assert again["attempt"] == 2 and again["status"] == "RUNNING"
        green = await agent.run("wait_for_run", {"run_id": fix["run_id"]}, RUNS, polls=True)
        assert green["finished"] and green["status"] == "COMPLETED" and green["attempt"] == 2
        assert "failed_jobs" not in green

        # The green run's test report: one text file of its artifact, never the archive.
        artifacts = await agent.run("list_artifacts", {"run_id": fix["run_id"]}, RUNS)
        report = artifacts["items"][0]
        assert report["name"] == "test-report"
        meta, summary = await agent.run(
            "get_artifact",
            {"artifact_id": report["id"], "path": "report/summary.txt"},
            "v8/repos/gitcode-guild/pipelines/actions/artifacts/",
            "v8/repos/gitcode-guild/pipelines/actions/artifacts/",
            "objects/artifacts/",
        )
        assert unfenced(summary) == "2 passed\n" and meta["path"] == "report/summary.txt"
