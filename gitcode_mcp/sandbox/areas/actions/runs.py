"""Workflow runs: listed and read with their jobs, a job's log, re-runs, retries and stops."""

from __future__ import annotations

import io
import time
import zipfile

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ACTION_JOB_LOG,
    ACTION_RUN,
    ACTION_RUN_JOB,
    ACTION_RUN_JOBS,
    ACTION_RUN_RERUN,
    ACTION_RUN_RETRY,
    ACTION_RUN_STOP,
    ACTION_RUNS,
)
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.actions.render import listing, render_job, render_run
from gitcode_mcp.sandbox.areas.actions.running import finished_steps, job_status, plan, run_status, sync
from gitcode_mcp.sandbox.areas.actions.state import EVENTS, STATUSES, Actions, Job, Run
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import Repo, User


def repo_runs(sb: Sandbox, call: Call) -> tuple[Actions, Repo]:
    repo = sb.repo(call)
    return sync(sb.world), repo


def may_run(sb: Sandbox, call: Call, repo: Repo) -> User:
    user = need_token(call)
    if not access(sb.world, repo, user).push:
        raise Refusal(403, "You do not have permission to operate pipelines of this project", "FORBIDDEN")
    return user


def find_run(sb: Sandbox, call: Call) -> tuple[Actions, Run]:
    actions, repo = repo_runs(sb, call)
    run = actions.runs.get(call.params["run_id"])
    if run is None or run.repo is not repo:
        raise Refusal(404, "Workflow run not found")
    return actions, run


def find_job(sb: Sandbox, call: Call) -> tuple[Run, Job]:
    _, run = find_run(sb, call)
    job = next((j for a in run.attempts for j in a.jobs if j.id == call.params["job_id"]), None)
    if job is None:
        raise Refusal(404, "Job not found")
    return run, job


@route("GET", ACTION_RUNS)
async def list_runs(sb: Sandbox, call: Call) -> Response:
    actions, repo = repo_runs(sb, call)
    q, now = call.query, time.monotonic()
    if (status := q.get("status")) is not None and status not in STATUSES:
        raise Refusal(400, f"status must be one of {', '.join(STATUSES)}")
    if (event := q.get("event")) is not None and event not in EVENTS:
        raise Refusal(400, f"event must be one of {', '.join(EVENTS)}")
    runs = [
        r
        for r in reversed(actions.runs.values())
        if r.repo is repo
        and status in (None, run_status(r, now))
        and event in (None, r.event)
        and q.get("branch") in (None, r.branch)
        and q.get("executor") in (None, r.actor.login)
        and q.get("workflow_id") in (None, r.workflow.id)
        and q.get("workflow_name") in (None, r.workflow.spec.name)
        and q.get("pull_request_id") is None  # runs of pull requests are not simulated
    ]
    return listing(call, "workflow_runs", [render_run(r, now) for r in runs])


@route("GET", ACTION_RUN)
async def get_run(sb: Sandbox, call: Call) -> Response:
    _, run = find_run(sb, call)
    return JSONResponse(render_run(run, time.monotonic(), detail=True))


@route("GET", ACTION_RUN_JOBS)
async def list_jobs(sb: Sandbox, call: Call) -> Response:
    _, run = find_run(sb, call)
    jobs = [render_job(run.attempt, j, time.monotonic()) for j in run.attempt.jobs]
    return JSONResponse({"total_count": len(jobs), "jobs": jobs})


@route("GET", ACTION_RUN_JOB)
async def get_job(sb: Sandbox, call: Call) -> Response:
    run, job = find_job(sb, call)
    attempt = next(a for a in run.attempts if job in a.jobs)
    return JSONResponse(render_job(attempt, job, time.monotonic()))


@route("GET", ACTION_JOB_LOG)
async def job_log(sb: Sandbox, call: Call) -> Response:
    run, job = find_job(sb, call)
    attempt = next(a for a in run.attempts if job in a.jobs)
    steps = finished_steps(attempt, job, time.monotonic())
    if not steps:
        raise Refusal(404, "The job has not started, so it has no log yet")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # stored: its size is the log's
        for index, (step, _) in enumerate(steps, 1):
            archive.writestr(f"{index}_{step.name}.txt", "\n".join(step.log) + "\n")
    return Response(out.getvalue(), media_type="application/zip")


async def new_attempt(sb: Sandbox, call: Call, failed_only: bool) -> Response:
    """A re-run (every job) or a retry (the jobs `job_run_ids` names, which must not have passed; the others are
    kept), as a new attempt. GitCode's reference page for retry requires the body's `job_run_ids`."""
    actions, run = find_run(sb, call)
    may_run(sb, call, run.repo)
    now = time.monotonic()
    if run_status(run, now) == "RUNNING":
        raise Refusal(
            400, f"The run is still running and cannot be {'retried' if failed_only else 're-run'}; stop it first"
        )
    statuses = {j.id: job_status(run.attempt, j, now) for j in run.attempt.jobs}
    kept = None
    if failed_only:
        ids = call.data().get("job_run_ids")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise Refusal(400, "job_run_ids is required: the ids of the jobs to retry")  # sim: GitCode's words unknown
        if unknown := [i for i in ids if i not in statuses]:
            raise Refusal(404, f"Not Found Job {unknown[0]}")
        if any(statuses[i] == "COMPLETED" for i in ids):
            raise Refusal(400, "Only failed jobs can be retried")
        kept = [j for j in run.attempt.jobs if j.id not in ids and statuses[j.id] == "COMPLETED"]
    run.attempts.append(plan(actions, run, run.attempt.number + 1, now, int(time.time() * 1000), keep=kept))
    return JSONResponse({"workflow_id": run.workflow.id, "workflow_run_id": run.id, "run_attempt": run.attempt.number})


@route("POST", ACTION_RUN_RERUN)
async def rerun(sb: Sandbox, call: Call) -> Response:
    return await new_attempt(sb, call, failed_only=False)


@route("POST", ACTION_RUN_RETRY)
async def retry(sb: Sandbox, call: Call) -> Response:
    return await new_attempt(sb, call, failed_only=True)


@route("POST", ACTION_RUN_STOP)
async def stop(sb: Sandbox, call: Call) -> Response:
    _, run = find_run(sb, call)
    may_run(sb, call, run.repo)
    now = time.monotonic()
    if run_status(run, now) != "RUNNING":
        raise Refusal(400, "The run has already finished")
    run.attempt.stopped = now
    return JSONResponse({"success": True})
