"""Runs, jobs, steps and artifacts in GitCode's v8 shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.sandbox.areas.actions.running import finished_steps, job_status, run_status
from gitcode_mcp.sandbox.areas.actions.state import Artifact, Attempt, Job, Run, new_id
from gitcode_mcp.sandbox.ci_runner import StepResult
from gitcode_mcp.sandbox.core import Call, page_window
from gitcode_mcp.sandbox.state import CST, User, fake_sha


def iso(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, CST).isoformat(timespec="seconds")


def ms(attempt: Attempt, seconds: float) -> int:
    return attempt.wall + int(seconds * 1000)


def actor(user: User) -> dict[str, Any]:
    return {"id": user.id, "object_id": user.id, "login": user.login, "name": user.name}


def render_step(attempt: Attempt, job: Job, index: int, step: StepResult, now: float) -> dict[str, Any]:
    done = dict((s.name, at) for s, at in finished_steps(attempt, job, now))
    began = done.get(step.name)
    if began is None:
        status = "IGNORED" if job_status(attempt, job, now) not in ("INIT", "RUNNING") else "INIT"
    else:
        status = "FAILED" if step.failed else "COMPLETED"
    return {
        "id": new_id("step", job.id, index),
        "name": step.name,
        "task": "run",
        "identifier": f"step_{index}",
        "status": status,
        "sequence": index,
        "job_run_id": job.id,
        "last_dispatch_id": "",
        "start_time": ms(attempt, began) if began is not None else 0,
        "end_time": ms(attempt, began + (0 if job.carried else step.seconds)) if began is not None else 0,
    }


def render_job(attempt: Attempt, job: Job, now: float) -> dict[str, Any]:
    status = job_status(attempt, job, now)
    begun = status not in ("INIT", "IGNORED")
    ended = status in ("COMPLETED", "FAILED", "CANCELED")
    end = min(job.start + job.seconds, (attempt.stopped or now) - attempt.began)
    return {
        "id": job.id,
        "name": job.spec.name,
        "identifier": job.spec.key,
        "status": status,
        "sequence": job.sequence,
        "job_type": "job",
        "resource": "ubuntu-latest",
        "condition": "",
        "is_select": True,
        "depends_on": list(job.spec.needs),
        "start_time": ms(attempt, job.start) if begun else 0,
        "end_time": ms(attempt, end) if ended else 0,
        "execute_cost_time": int(job.seconds * 1000) if ended else 0,
        "exec_id": new_id("exec", job.id),
        "last_dispatch_id": "",
        "steps": [render_step(attempt, job, i, s, now) for i, s in enumerate(job.result.steps, 1)],
    }


def render_run(run: Run, now: float, detail: bool = False) -> dict[str, Any]:
    attempt = run.attempt
    status = run_status(run, now)
    last = max((j.start + j.seconds for j in attempt.jobs), default=0.0)
    out: dict[str, Any] = {
        "workflow_run_id": run.id,
        "workflow_id": run.workflow.id,
        "workflow_name": run.workflow.spec.name,
        "file_path": run.workflow.spec.path,
        "title": run.title,
        "status": status,
        "event": run.event,
        "run_number": run.number,
        "run_attempt": attempt.number,
        "head_branch": run.branch,
        "head_sha": run.sha,
        "actor": actor(run.actor),
        "start_time": attempt.wall,
        "end_time": ms(attempt, min(last, (attempt.stopped or now) - attempt.began)) if status != "RUNNING" else 0,
        "pause_time": 0,
    }
    if detail:
        out["exist_in_default_branch"] = run.branch == run.repo.default_branch
        out["stages"] = [
            {
                "id": new_id("stage", job.id),
                "category": "build",
                "name": job.spec.key,
                "identifier": job.spec.key,
                "status": (rendered := render_job(attempt, job, now))["status"],
                "sequence": job.sequence,
                "run_always": False,
                "fail_fast": True,
                "is_select": True,
                "depends_on": list(job.spec.needs),
                "start_time": rendered["start_time"],
                "end_time": rendered["end_time"],
                "pause_time": 0,
                "jobs": [rendered],
            }
            for job in attempt.jobs
        ]
    return out


def render_artifact(a: Artifact) -> dict[str, Any]:
    archive = a.archive()
    return {
        "id": a.id,
        "name": a.name,
        "size_bytes": len(archive),
        "workflow_id": a.run.workflow.id,
        "workflow_run_id": a.run.id,
        "digest": "sha256:" + fake_sha("digest", a.id),
        "expires_at": iso(a.created + 90 * 86_400_000),
        "created_at": iso(a.created),
        "updated_at": iso(a.created),
    }


def listing(call: Call, key: str, items: list[Any]) -> Response:
    """A v8 list: `{"total_count", key: [...]}` (GitCode CLI's *Response types), paged like v5 lists."""
    number, size = page_window(call)
    start_at = (number - 1) * size
    return JSONResponse({"total_count": len(items), key: items[start_at : start_at + size]})
