"""The task suite (tests/tasks/): every task played by its scripted agent through an MCP client on the simulator, and
its end state checked. bench/tasks.py prints what each one cost."""

from __future__ import annotations

import pytest

from tests.tasks import Task, all_tasks, play

pytestmark = pytest.mark.anyio

DOABLE = [pytest.param(t, id=t.name) for t in all_tasks() if not t.blocked]


def test_the_suite_asks_for_the_kinds_of_work_of_a_forge() -> None:
    tasks = all_tasks()
    assert len(DOABLE) >= 20 and len({t.name for t in tasks}) == len(tasks)
    kinds = [t.kind for t in tasks if not t.blocked]
    assert {"triage", "changelog", "hotfix", "release", "label clean-up", "conflict fix", "review"} <= set(kinds)
    assert kinds.count("history") >= 3
    assert all(t.blocked and t.play is None for t in tasks if t not in [p.values[0] for p in DOABLE])


@pytest.mark.parametrize("task", DOABLE)
async def test_a_task_is_done(task: Task) -> None:
    outcome = await play(task)
    assert outcome.calls and outcome.requests >= outcome.calls - 1
