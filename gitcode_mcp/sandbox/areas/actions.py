"""Actions (CI, API v8): workflow runs that pass and fail, their jobs, steps and logs, re-runs as new attempts, stops,
dispatches, workflow validation, artifacts with files, runners and runner groups.

Shapes are the GitCode CLI's (api/queries_actions.go: `workflow_runs` with `workflow_run_id`, `head_sha`, `actor`,
`start_time`/`end_time` in epoch milliseconds; a run's detail nests `stages` of `jobs` of `steps`; `total_count` beside
every list), statuses its watch command's (COMPLETED, RUNNING, FAILED, CANCELED, IGNORED; INIT for a job not started
yet, CodeArts' word). A job's log is a ZIP of its step logs (CLI job log); an artifact's `zip` answers 302 to a
pre-signed object storage URL (CLI DownloadActionsArtifact), which this app serves under /objects/ and which refuses a
request that carries a token. rerun, retry (its `job_run_ids`) and stop follow GitCode's reference pages. Designed,
with no witness: `run_attempt`, and what rerun/retry/stop refuse (GitHub Actions' rules: a running run is not re-run,
only failed jobs are retried, a finished run is not stopped).

Runs follow pushes: a branch whose files hold a workflow with a push trigger gets a run for each new head commit, its
jobs taking a fraction of a second each (ci_runner.py emulates them against the commit's files). Seeded:
gitcode-guild/pipelines with run 1 (main, passed, a test-report artifact), run 2 (branch `lowercase`, its test job
failed on an assertion, a report too) and run 3 (a nightly soak test, running for hours).
`Actions.of(world).runner_faults` makes the next jobs that install packages fail on the network, as a flaky runner does.
"""

from __future__ import annotations

import base64
import binascii
import io
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ACTION_ARTIFACT,
    ACTION_ARTIFACT_ARCHIVE,
    ACTION_ARTIFACT_ZIP,
    ACTION_ARTIFACTS,
    ACTION_JOB_LOG,
    ACTION_RUN,
    ACTION_RUN_ARTIFACTS,
    ACTION_RUN_JOB,
    ACTION_RUN_JOBS,
    ACTION_RUN_RERUN,
    ACTION_RUN_RETRY,
    ACTION_RUN_STOP,
    ACTION_RUNNER_SETS,
    ACTION_RUNNERS,
    ACTION_RUNS,
    ACTION_SHARED_RUNNER_SETS,
    ACTION_SHARED_RUNNERS,
    ACTION_WORKFLOW_DISPATCHES,
    ACTION_WORKFLOW_VALIDATE,
    ACTION_WORKFLOWS,
    ARTIFACT_OBJECT,
    ORG_RUNNER_GROUP,
    ORG_RUNNER_GROUP_RUNNER_SETS,
    ORG_RUNNER_GROUP_RUNNERS,
    ORG_RUNNER_GROUP_SHARED_NAMESPACES,
    ORG_RUNNER_GROUPS,
)
from gitcode_mcp.sandbox import ci_runner
from gitcode_mcp.sandbox.areas.orgs import seed as seed_orgs
from gitcode_mcp.sandbox.ci_runner import JobResult, JobSpec, StepResult, WorkflowSpec
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page_window, route
from gitcode_mcp.sandbox.state import CST, Repo, User, World, fake_sha

# The seeded runs of gitcode-guild/pipelines (see the module's doc), their artifacts and the org's runner group: the
# ids the tools' examples name.
PASSED_RUN = "8b64bcb51fe9eb8f0dab14fcec86ae79"
FAILED_RUN = "07dbac858c15005f7925cee9e047a653"
FAILED_JOB = "144a7c693d5192ddc4c83d005345d3eb"
RUNNING_RUN = "5b2d0e3c9a1f47e6b8c4d7a2e9f01b36"  # a nightly run that takes hours
REPORT_ARTIFACT = "eaeb4a5813754c3374b374aa624e8d53"
FAILED_REPORT_ARTIFACT = "71f720a45f47f31d47ba0ef1077f4d0a"
RUNNER_GROUP = "da824eba9bddc6abcec2759ce72a1159"

STATUSES = ("COMPLETED", "RUNNING", "FAILED", "CANCELED", "IGNORED", "PAUSED", "SUSPEND")
EVENTS = ("MR", "Push", "Manual")
STORAGE = ARTIFACT_OBJECT
REPO_ID = 8_720_101
SEEDED_WALL = int(datetime(2026, 12, 1, 10, 0, tzinfo=CST).timestamp() * 1000)


def new_id(*parts: object) -> str:
    return fake_sha("actions", *parts)[:32]


@dataclass
class Job:
    id: str
    spec: JobSpec
    sequence: int
    start: float  # seconds after its attempt began
    result: JobResult
    skipped: bool = False  # an earlier job failed: it never runs
    carried: bool = False  # a retry kept it from the attempt before, passed

    @property
    def seconds(self) -> float:
        return 0.0 if self.skipped or self.carried else sum(s.seconds for s in self.result.steps)


@dataclass
class Attempt:
    number: int
    began: float  # time.monotonic()
    wall: int  # epoch ms at `began`
    jobs: list[Job]
    stopped: float | None = None  # time.monotonic() of a stop


@dataclass
class Workflow:
    id: str
    spec: WorkflowSpec


@dataclass
class Run:
    id: str
    number: int
    workflow: Workflow
    repo: Repo
    branch: str
    sha: str
    event: str
    actor: User
    title: str
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def attempt(self) -> Attempt:
        return self.attempts[-1]


@dataclass
class Artifact:
    id: str
    name: str
    run: Run
    files: dict[str, bytes]
    created: int  # epoch ms

    def archive(self) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in sorted(self.files.items()):
                archive.writestr(zipfile.ZipInfo(path, date_time=(2026, 12, 1, 10, 0, 0)), data)
        return out.getvalue()


@dataclass
class Actions:
    """The world's CI: runs by id, artifacts by id, the head commit each branch had when last looked at. One per
    World, kept beside it (`Actions.of(world)`): an area's own state need not grow state.py."""

    runs: dict[str, Run] = field(default_factory=dict)
    artifacts: dict[str, Artifact] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)
    made: set[tuple[str, int, str]] = field(default_factory=set)  # (run, attempt, artifact name) already uploaded
    heads: dict[tuple[str, str], str] = field(default_factory=dict)
    numbers: dict[str, int] = field(default_factory=dict)  # workflow id -> its last run number
    runner_faults: int = 0
    fixed_ids: dict[tuple[str, int, str], str] = field(default_factory=dict)  # the seeded artifacts' ids

    @staticmethod
    def of(world: World) -> Actions:
        found = _ACTIONS.get(world)
        if found is None:
            found = _ACTIONS[world] = Actions()
        return found


_ACTIONS: WeakKeyDictionary[World, Actions] = WeakKeyDictionary()


# --- running ------------------------------------------------------------------------------------------------------


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


# --- shapes ---------------------------------------------------------------------------------------------------------


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


# --- routes ---------------------------------------------------------------------------------------------------------


def repo_runs(sb: Sandbox, call: Call) -> tuple[Actions, Repo]:
    repo = sb.repo(call)
    return sync(sb.world), repo


def may_run(sb: Sandbox, call: Call, repo: Repo) -> User:
    user = need_token(call)
    if sb.role(repo, user.login) not in ("admin", "push"):
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


@route("GET", ACTION_WORKFLOWS)
async def list_workflows(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    found = [
        {"workflow_id": w.id, "file_path": w.spec.path, "name": w.spec.name, "state": "active"}
        for w in workflows_of(repo, repo.default_branch)
    ]
    return listing(call, "workflows", found)


@route("POST", ACTION_WORKFLOW_VALIDATE)
async def validate(sb: Sandbox, call: Call) -> Response:
    sb.repo(call)
    need_token(call)
    encoded = call.data().get("base64_content")
    if not isinstance(encoded, str) or not encoded.strip():
        raise Refusal(400, "base64_content is required")
    try:
        text = base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise Refusal(400, "base64_content is not valid base64 of UTF-8 text") from None
    _, problems = ci_runner.check(text)
    diagnostics = [
        {
            "range": {"start": {"line": p.line, "column": p.column}, "end": {"line": p.line, "column": p.column}},
            "severity": "error",
            "message": p.message,
        }
        for p in problems
    ]
    return JSONResponse({"valid": not problems, "diagnostics": diagnostics})


@route("POST", ACTION_WORKFLOW_DISPATCHES)
async def dispatch(sb: Sandbox, call: Call) -> Response:
    actions, repo = repo_runs(sb, call)
    user = may_run(sb, call, repo)
    data = call.data()
    ref = data.get("ref")
    if not isinstance(ref, str) or not ref.strip():
        raise Refusal(400, "ref is required")
    if repo.files_at(ref) is None:
        raise Refusal(422, f"No ref found for: {ref}")
    wanted = call.params["workflow"]
    workflow = next((w for w in workflows_of(repo, ref) if wanted in (w.id, w.spec.path.rsplit("/", 1)[-1])), None)
    if workflow is None:
        raise Refusal(404, f"Workflow {wanted} not found on {ref}")
    if "workflow_dispatch" not in workflow.spec.triggers:
        raise Refusal(422, "Workflow does not have 'workflow_dispatch' trigger")
    inputs = data.get("inputs") or {}
    if not isinstance(inputs, dict):
        raise Refusal(400, "inputs must be an object of names and values")
    if unexpected := sorted(set(inputs) - set(workflow.spec.inputs)):
        raise Refusal(422, f"Unexpected inputs provided: {unexpected}")
    if missing := [k for k, required in workflow.spec.inputs.items() if required and not inputs.get(k)]:
        raise Refusal(422, f"Required input '{missing[0]}' not provided")
    sha = repo.head_sha(ref) if ref in repo.branches else (repo.commit(ref) or repo.log(repo.default_branch)[-1]).sha
    run = start(actions, workflow, repo, ref, sha, "Manual", user, f"Manually run by {user.login}")
    return JSONResponse({"workflow_id": workflow.id, "workflow_run_id": run.id}, status_code=201)


def repo_artifacts(sb: Sandbox, call: Call) -> tuple[Actions, list[Artifact]]:
    actions, repo = repo_runs(sb, call)
    now = time.monotonic()
    for run in actions.runs.values():
        if run.repo is repo:
            upload(actions, run, now)
    found = [a for a in actions.artifacts.values() if a.run.repo is repo and a.id not in actions.deleted]
    return actions, sorted(found, key=lambda a: a.created, reverse=True)


def artifact_list(call: Call, found: list[Artifact]) -> Response:
    if (name := call.query.get("name")) is not None:
        found = [a for a in found if a.name == name]
    if call.query.get("direction", "desc") == "asc":
        found = list(reversed(found))
    return listing(call, "artifacts", [render_artifact(a) for a in found])


@route("GET", ACTION_ARTIFACTS)
async def list_artifacts(sb: Sandbox, call: Call) -> Response:
    return artifact_list(call, repo_artifacts(sb, call)[1])


@route("GET", ACTION_RUN_ARTIFACTS)
async def run_artifacts(sb: Sandbox, call: Call) -> Response:
    _, run = find_run(sb, call)
    return artifact_list(call, [a for a in repo_artifacts(sb, call)[1] if a.run is run])


def find_artifact(sb: Sandbox, call: Call) -> tuple[Actions, Artifact]:
    actions, found = repo_artifacts(sb, call)
    artifact = next((a for a in found if a.id == call.params["artifact_id"]), None)
    if artifact is None:
        raise Refusal(404, "Artifact not found")
    return actions, artifact


@route("GET", ACTION_ARTIFACT)
async def get_artifact(sb: Sandbox, call: Call) -> Response:
    return JSONResponse(render_artifact(find_artifact(sb, call)[1]))


def signature(artifact_id: str) -> str:
    return fake_sha("obs-signature", artifact_id)[:40]


@route("GET", ACTION_ARTIFACT_ZIP)
async def artifact_zip(sb: Sandbox, call: Call) -> Response:
    _, artifact = find_artifact(sb, call)
    base = f"{call.request.url.scheme}://objects.gitcode.invalid/{STORAGE.format(artifact_id=artifact.id)}"
    return Response(
        status_code=302, headers={"location": f"{base}?Expires=1893456000&Signature={signature(artifact.id)}"}
    )


@route("GET", ACTION_ARTIFACT_ARCHIVE)
async def artifact_other_format(sb: Sandbox, call: Call) -> Response:
    find_artifact(sb, call)
    raise Refusal(400, "archive_format must be zip")


@route("GET", STORAGE)
async def storage_download(sb: Sandbox, call: Call) -> Response:
    """The object storage host: a pre-signed URL is its own authorisation, and a request that adds another one (the
    API token) is refused, as object storage refuses two authentication mechanisms."""
    headers = call.request.headers
    if headers.get("authorization") or headers.get("private-token"):
        raise Refusal(400, "Only one auth mechanism allowed; the signature or the Authorization header")
    artifact = Actions.of(sb.world).artifacts.get(call.params["artifact_id"])
    if artifact is None or call.query.get("Signature") != signature(artifact.id):
        raise Refusal(403, "SignatureDoesNotMatch")
    return Response(artifact.archive(), media_type="application/zip")


@route("DELETE", ACTION_ARTIFACT)
async def delete_artifact(sb: Sandbox, call: Call) -> Response:
    actions, artifact = find_artifact(sb, call)
    may_run(sb, call, artifact.run.repo)
    actions.deleted.add(artifact.id)
    return Response(status_code=204)


# --- runners --------------------------------------------------------------------------------------------------------


def label(name: str, value: str = "") -> dict[str, str]:
    return {"label_name": name, "label_value": value or name, "label_color": "#2865E0"}


def host(runner_id: str, name: str, group: str, *labels: str) -> dict[str, Any]:
    return {
        "id": runner_id,
        "runner_group_id": group,
        "runner_name": name,
        "name": name,
        "work_dir": f"/home/runner/{name}",
        "labels": [label(x) for x in labels],
    }


def runner_set(set_id: str, name: str, group: str, *labels: str) -> dict[str, Any]:
    return {
        "id": set_id,
        "runner_group_id": group,
        "name": name,
        "status": "online",
        "required_labels": [label(x) for x in labels],
    }


SHARED_GROUP = new_id("group", "gitcode-hosted")
REPO_RUNNERS = [host(new_id("runner", "build-01"), "build-01", RUNNER_GROUP, "linux", "x64")]
SHARED_RUNNERS = [host(new_id("runner", "hosted-ubuntu"), "gitcode-hosted-ubuntu", SHARED_GROUP, "ubuntu-latest")]
REPO_RUNNER_SETS = [runner_set(new_id("set", "k8s-arm64"), "k8s-arm64", RUNNER_GROUP, "linux", "arm64")]
SHARED_RUNNER_SETS = [runner_set(new_id("set", "hosted-k8s"), "gitcode-k8s-default", SHARED_GROUP, "ubuntu-latest")]


def keyword(call: Call, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    word = call.query.get("keyword", "").lower()
    return [i for i in items if word in str(i.get("name") or i.get("runner_group_name") or "").lower()]


def repo_runner_route(template: str, key: str, items: list[dict[str, Any]]) -> None:
    async def answer(sb: Sandbox, call: Call) -> Response:
        may_run(sb, call, sb.repo(call))
        return listing(call, key, keyword(call, items))

    route("GET", template)(answer)


repo_runner_route(ACTION_RUNNERS, "runners", REPO_RUNNERS)
repo_runner_route(ACTION_SHARED_RUNNERS, "runners", SHARED_RUNNERS)
repo_runner_route(ACTION_RUNNER_SETS, "runner_sets", REPO_RUNNER_SETS)
repo_runner_route(ACTION_SHARED_RUNNER_SETS, "runner_sets", SHARED_RUNNER_SETS)


def org_admin(sb: Sandbox, call: Call) -> Any:
    user = need_token(call)
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Group")
    if org.members.get(user.login) not in ("owner", "admin"):
        raise Refusal(403, "You do not have permission to manage this organization's runners", "FORBIDDEN")
    return org


def group_of(sb: Sandbox, call: Call) -> Any:
    org = org_admin(sb, call)
    if call.params["runner_group_id"] != RUNNER_GROUP or org.login != "gitcode-guild":
        raise Refusal(404, "Runner group not found")
    return org


@route("GET", ORG_RUNNER_GROUPS)
async def runner_groups(sb: Sandbox, call: Call) -> Response:
    org = org_admin(sb, call)
    groups = []
    if org.login == "gitcode-guild":
        groups.append(
            {
                "id": RUNNER_GROUP,
                "name": "default",
                "runner_group_name": "default",
                "namespace_id": str(org.number),
                "creator": "alice",
                "create_time": SEEDED_WALL - 30 * 86_400_000,
                "runner_count": len(REPO_RUNNERS),
                "namespace_type": "group",
                "share_all": False,
            }
        )
    return listing(call, "runner_groups", keyword(call, groups))


@route("GET", ORG_RUNNER_GROUP)
async def runner_group(sb: Sandbox, call: Call) -> Response:
    group_of(sb, call)
    return JSONResponse(
        {
            "runner_group_id": RUNNER_GROUP,
            "runner_group_name": "default",
            "share_all": False,
            "share_all_public_repos": True,
            "explicit_shared_repo_count": 1,
            "created_at": SEEDED_WALL - 30 * 86_400_000,
            "updated_at": SEEDED_WALL,
        }
    )


def group_list_route(template: str, key: str, items: list[dict[str, Any]]) -> None:
    async def answer(sb: Sandbox, call: Call) -> Response:
        group_of(sb, call)
        return listing(call, key, keyword(call, items))

    route("GET", template)(answer)


group_list_route(ORG_RUNNER_GROUP_RUNNERS, "runners", REPO_RUNNERS)
group_list_route(ORG_RUNNER_GROUP_RUNNER_SETS, "runner_sets", REPO_RUNNER_SETS)


@route("GET", ORG_RUNNER_GROUP_SHARED_NAMESPACES)
async def group_shared_namespaces(sb: Sandbox, call: Call) -> Response:
    org = group_of(sb, call)
    shared = {
        "id": new_id("share", "pipelines"),
        "runner_group_id": RUNNER_GROUP,
        "from_namespace_id": str(org.number),
        "to_namespace_id": str(REPO_ID),
        "type": "project",
        "create_time": SEEDED_WALL - 29 * 86_400_000,
        "update_time": SEEDED_WALL - 29 * 86_400_000,
    }
    return listing(call, "shared_namespaces", [shared])


# --- the seeded world -----------------------------------------------------------------------------------------------

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
