"""The seeded CI: gitcode-guild/pipelines with its workflows, two finished runs and a running one."""

from __future__ import annotations

import time

from gitcode_mcp.sandbox.areas.actions.running import plan, workflows_of
from gitcode_mcp.sandbox.areas.actions.state import (
    FAILED_JOB,
    FAILED_REPORT_ARTIFACT,
    FAILED_RUN,
    PASSED_RUN,
    REPO_ID,
    REPORT_ARTIFACT,
    RUNNING_RUN,
    SEEDED_WALL,
    Actions,
    Run,
)
from gitcode_mcp.sandbox.areas.orgs import seed as seed_orgs
from gitcode_mcp.sandbox.state import Repo, World

CI_YML = """\
name: CI
on:
  push:
    branches: ["**"]
  workflow_dispatch:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install
        run: pip install -e .
  test:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Install
        run: pip install -e .[test]
      - name: Run tests
        run: python -m pytest
      - name: Upload report
        if: always()
        uses: actions/upload-artifact@v4
        with:
          name: test-report
          path: report/
"""
RELEASE_YML = """\
name: Release
on:
  workflow_dispatch:
    inputs:
      version:
        description: Version to release
        required: true
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - name: Publish
        run: echo "publishing ${{ inputs.version }}"
"""
NIGHTLY_YML = """\
name: Nightly
on:
  workflow_dispatch:
jobs:
  soak:
    runs-on: ubuntu-latest
    steps:
      - name: Soak test
        run: ./soak-test.sh --hours 6
"""
APP = b'def greet(name):\n    return f"Hello, {name}!"\n'
TESTS = (
    b'from src.app import greet\n\n\ndef test_greet():\n    assert greet("world") == "Hello, world!"\n\n\n'
    b'def test_greet_names():\n    assert greet("GitCode") == "Hello, GitCode!"\n'
)
FILES = {
    "README.md": b"# pipelines\n\nA repository whose CI the simulator runs.\n",
    ".gitcode/workflows/ci.yml": CI_YML.encode(),
    ".gitcode/workflows/release.yml": RELEASE_YML.encode(),
    ".gitcode/workflows/nightly.yml": NIGHTLY_YML.encode(),
    "pyproject.toml": b'[project]\nname = "pipelines"\nversion = "1.1.0"\n',
    "src/app.py": APP,
    "tests/test_app.py": TESTS,
}


def seed(world: World) -> None:
    """gitcode-guild/pipelines and its three runs (see the module's doc)."""
    seed_orgs(world)
    if world.repo("gitcode-guild", "pipelines") is not None:
        return
    guild, alice = world.orgs["gitcode-guild"], world.users["alice"]
    repo = Repo(REPO_ID, guild, "pipelines", branches={"main": dict(FILES)}, org=guild, creator=alice)
    repo.created_at = "2026-11-01T09:00:00+08:00"
    repo.log("main")
    repo.branches["lowercase"] = {**FILES, "src/app.py": b"def greet(name):\n    return 'hello ' + name\n"}
    repo.logs["lowercase"] = list(repo.logs["main"])
    repo.record("lowercase", alice, "Greet in lower case")
    world.repos[repo.full_name] = repo
    actions = Actions.of(world)
    ci = next(w for w in workflows_of(repo, "main") if w.spec.name == "CI")
    nightly = next(w for w in workflows_of(repo, "main") if w.spec.name == "Nightly")
    now = time.monotonic()
    seeded = [
        (PASSED_RUN, ci, "main", "Push", "Initial commit", 2 * 86_400, REPORT_ARTIFACT),
        (FAILED_RUN, ci, "lowercase", "Push", "Greet in lower case", 86_400, FAILED_REPORT_ARTIFACT),
    ]
    for run_id, workflow, branch, event, title, age, artifact_id in seeded:
        actions.numbers[workflow.id] = number = actions.numbers.get(workflow.id, 0) + 1
        run = Run(run_id, number, workflow, repo, branch, repo.head_sha(branch), event, alice, title)
        actions.fixed_ids[run_id, 1, "test-report"] = artifact_id
        run.attempts.append(plan(actions, run, 1, now - age, SEEDED_WALL - age * 1000))
        actions.runs[run_id] = run
        actions.heads[repo.full_name, branch] = run.sha
    failed = actions.runs[FAILED_RUN].attempt
    test_job = next(j for j in failed.jobs if j.spec.key == "test")
    test_job.id = FAILED_JOB
    # The nightly soak test: dispatched ten minutes ago, six hours to go.
    soak = Run(RUNNING_RUN, 1, nightly, repo, "main", repo.head_sha("main"), "Manual", alice, "Nightly soak test")
    actions.numbers[nightly.id] = 1
    attempt = plan(actions, soak, 1, now - 600, int(time.time() * 1000) - 600_000)
    attempt.jobs[0].result.steps[1].seconds = 6 * 3600
    soak.attempts.append(attempt)
    actions.runs[RUNNING_RUN] = soak
