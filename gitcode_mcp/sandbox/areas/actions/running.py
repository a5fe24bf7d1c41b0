"""Running workflows: an attempt planned from a workflow file (sandbox/ci_runner.py runs its steps), started,
and its jobs' statuses as time passes."""

from __future__ import annotations

import time

from gitcode_mcp.sandbox import ci_runner
from gitcode_mcp.sandbox.areas.actions.state import Actions, Artifact, Attempt, Job, Run, Workflow, new_id
from gitcode_mcp.sandbox.ci_runner import JobResult, StepResult
from gitcode_mcp.sandbox.state import Repo, User, World


def workflows_of(repo: Repo, ref: str) -> list[Workflow]:
    files = repo.files_at(ref) or {}
    return [Workflow(new_id("workflow", repo.full_name, spec.path), spec) for spec in ci_runner.workflows(files)]


def plan(actions: Actions, run: Run, number: int, began: float, wall: int, keep: list[Job] | None = None) -> Attempt:
    """An attempt's jobs, run one after another against the run's commit; `keep` are the passed jobs a retry keeps."""
    files = run.repo.files_at(run.sha) or {}
    kept = {j.spec.key: j for j in keep or []}
    jobs: list[Job] = []
    offset, failed = 0.0, False
    for sequence, spec in enumerate(run.workflow.spec.jobs, 1):
        job_id = new_id("job", run.id, number, spec.key)
        if spec.key in kept:
            jobs.append(Job(job_id, spec, sequence, 0.0, kept[spec.key].result, carried=True))
            continue
        if failed:
            jobs.append(Job(job_id, spec, sequence, offset, JobResult(False), skipped=True))
            continue
        flaky = actions.runner_faults > 0 and any("pip install" in s.run for s in spec.steps)
        actions.runner_faults -= flaky
        result = ci_runner.run_job(spec, files, run.repo.name, run.sha, network_down=flaky)
        job = Job(job_id, spec, sequence, offset, result)
        jobs.append(job)
        offset += job.seconds
        failed = result.failed
    return Attempt(number, began, wall, jobs)


def start(
    actions: Actions, workflow: Workflow, repo: Repo, branch: str, sha: str, event: str, actor: User, title: str
) -> Run:
    number = actions.numbers.get(workflow.id, 0) + 1
    actions.numbers[workflow.id] = number
    run = Run(
        new_id("run", repo.full_name, workflow.id, number), number, workflow, repo, branch, sha, event, actor, title
    )
    run.attempts.append(plan(actions, run, 1, time.monotonic(), int(time.time() * 1000)))
    actions.runs[run.id] = run
    return run


def sync(world: World) -> Actions:
    """Start a run for every branch head pushed since the last look, where the branch has a push workflow."""
    actions = Actions.of(world)
    for repo in list(world.repos.values()):
        for branch, files in list(repo.branches.items()):
            if not any(p.startswith(ci_runner.WORKFLOW_DIR) for p in files):
                continue
            head = repo.log(branch)[-1]
            if actions.heads.get((repo.full_name, branch)) == head.sha:
                continue
            actions.heads[repo.full_name, branch] = head.sha
            for workflow in workflows_of(repo, branch):
                if "push" in workflow.spec.triggers:
                    start(actions, workflow, repo, branch, head.sha, "Push", head.author, head.message.splitlines()[0])
    return actions


def job_status(attempt: Attempt, job: Job, now: float) -> str:
    if job.carried:
        return "COMPLETED"
    elapsed = now - attempt.began
    if attempt.stopped is not None and attempt.stopped - attempt.began < job.start + job.seconds:
        return "IGNORED" if attempt.stopped - attempt.began <= job.start else "CANCELED"
    if elapsed < job.start:
        return "INIT"
    if job.skipped:
        return "IGNORED"
    if elapsed < job.start + job.seconds:
        return "RUNNING"
    return "FAILED" if job.result.failed else "COMPLETED"


def run_status(run: Run, now: float) -> str:
    statuses = [job_status(run.attempt, j, now) for j in run.attempt.jobs]
    if run.attempt.stopped is not None:
        return "CANCELED"
    if any(s in ("INIT", "RUNNING") for s in statuses):
        return "RUNNING"
    return "FAILED" if "FAILED" in statuses else "COMPLETED"


def finished_steps(attempt: Attempt, job: Job, now: float) -> list[tuple[StepResult, float]]:
    """The job's steps that have run by `now`, each with when it began (seconds into the attempt)."""
    if job.skipped:
        return []
    out, at = [], job.start
    for step in job.result.steps:
        if not job.carried and (
            now - attempt.began < at + step.seconds or (attempt.stopped or now) - attempt.began < at
        ):
            break
        out.append((step, at))
        at += 0 if job.carried else step.seconds
    return out


def upload(actions: Actions, run: Run, now: float) -> None:
    """The artifacts the run's finished jobs uploaded (an upload-artifact step that ran), made once."""
    for attempt in run.attempts:
        for job in attempt.jobs:
            if job.carried or job_status(attempt, job, now) not in ("COMPLETED", "FAILED"):
                continue
            for step_spec in job.spec.steps:
                key = (run.id, attempt.number, step_spec.artifact)
                ran = any(s.name == step_spec.name for s in job.result.steps)
                if not step_spec.artifact or not ran or key in actions.made:
                    continue
                actions.made.add(key)
                artifact_id = actions.fixed_ids.get(key) or new_id("artifact", *key)
                wall = attempt.wall + int((job.start + job.seconds) * 1000)
                actions.artifacts[artifact_id] = Artifact(artifact_id, step_spec.artifact, run, job.result.report, wall)
