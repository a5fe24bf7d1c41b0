"""What each task of our task suite (tests/tasks/) costs an agent: tool calls, GitCode requests and the bytes the agent
read, played as tests/test_tasks.py plays them (a scripted agent through an MCP client on the simulator, its end state
checked); and the tasks the tools cannot do, with the reason.

    python bench/tasks.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import anyio

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the suite lives with the tests

from tests.tasks import all_tasks, play


async def main() -> None:
    tasks = all_tasks()
    print(f"{'task':28} {'kind':15} {'calls':>5} {'requests':>8} {'read':>7}")
    done = []
    for task in tasks:
        if task.blocked:
            continue
        outcome = await play(task)
        done.append(outcome)
        print(f"{task.name:28} {task.kind:15} {outcome.calls:5d} {outcome.requests:8d} {outcome.read:7,d}")
    blocked = [t for t in tasks if t.blocked]
    calls = sum(o.calls for o in done)
    requests = sum(o.requests for o in done)
    read = sum(o.read for o in done)
    each = len(done)
    print(
        f"\n{each} of {len(tasks)} tasks done; per task on average {calls / each:.1f} calls, "
        f"{requests / each:.1f} GitCode requests, {read / each:,.0f} bytes read (~{read / each / 4:,.0f} tokens); "
        f"in all {calls} calls, {requests} requests, {read:,} bytes"
    )
    for task in blocked:
        print(f"not doable: {task.name} ({task.kind}): {task.blocked}")


if __name__ == "__main__":
    anyio.run(main)
