"""Actions (API v8): where v8 requests go, job logs read in parts and framed, waiting with progress, re-runs as new
attempts, stops, dispatches, validation, artifacts that never come back as bytes, runners; and what the simulator
refuses."""

from __future__ import annotations

import base64
import io
import json
import zipfile
from typing import Any

import pytest

from gitcode_mcp import job_logs
from gitcode_mcp.client import v8_base
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.actions.running import sync
from gitcode_mcp.sandbox.areas.actions.seed import CI_YML
from gitcode_mcp.sandbox.areas.actions.state import Actions
from gitcode_mcp.tools.actions import (
    FAILED_JOB,
    FAILED_REPORT_ARTIFACT,
    FAILED_RUN,
    PASSED_RUN,
    PIPELINES,
    REPORT_ARTIFACT,
    RUNNER_GROUP,
    RUNNING_RUN,
)
from tests.conftest import TOKEN, Connect, call, refused, sent, sim, text, unfenced

pytestmark = pytest.mark.anyio

LOG = {**PIPELINES, "run_id": FAILED_RUN, "job_id": FAILED_JOB}


def test_the_v8_base_is_derived_from_the_v5_one() -> None:
    assert v8_base("https://api.gitcode.com/api/v5") == "https://api.gitcode.com/api/v8/"
    assert v8_base("https://gitcode.example.com/api/v5/") == "https://gitcode.example.com/api/v8/"
    assert v8_base("https://proxy.example.com/gitcode") is None
    assert v8_base("v5") is None


async def test_v8_requests_go_beside_v5_on_the_same_host_with_both_headers(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "list_workflow_runs", PIPELINES)
    request = sandbox.requests[-1]
    assert request.path == "v8/repos/gitcode-guild/pipelines/actions/runs"  # /api/v8/, not /api/v5/v8/
    assert request.headers["host"] == "sandbox.gitcode.invalid"
    assert request.headers["private-token"] == TOKEN and request.headers["authorization"] == f"Bearer {TOKEN}"


async def test_without_a_v5_base_no_v8_request_is_sent(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "list_workflow_runs", PIPELINES, api_url="http://sandbox.gitcode.invalid/gitcode")
    assert "API v8" in error and "/api/v5" in error and "nothing was sent" in error
    assert sandbox.requests == []


async def test_run_filters_are_gitcodes_and_head_sha_narrows_the_page(connect: Connect, sandbox: Sandbox) -> None:
    args = {**PIPELINES, "branch": "lowercase", "status": "FAILED", "event": "Push", "workflow": "CI", "actor": "alice"}
    runs = await call(connect, "list_workflow_runs", args)
    assert sandbox.requests[-1].query == {
        "branch": "lowercase",
        "status": "FAILED",
        "event": "Push",
        "workflow_name": "CI",
        "executor": "alice",
        "page": "1",
        "per_page": "20",
    }
    assert [r["run_id"] for r in runs["items"]] == [FAILED_RUN]
    everything = await call(connect, "list_workflow_runs", PIPELINES)
    sha = next(r["sha"] for r in everything["items"] if r["run_id"] == PASSED_RUN)
    mine = await call(connect, "list_workflow_runs", {**PIPELINES, "head_sha": sha[:8].upper()})
    assert {r["sha"] for r in mine["items"]} == {sha} and "head_sha" not in sandbox.requests[-1].query
    assert "status" in await refused(connect, "list_workflow_runs", {**PIPELINES, "status": "failed"})


async def test_a_run_names_its_jobs_and_their_failed_steps(connect: Connect) -> None:
    run = await call(connect, "get_workflow_run", {**PIPELINES, "run_id": FAILED_RUN})
    assert run["status"] == "FAILED" and run["branch"] == "lowercase" and len(run["sha"]) == 40
    assert [(j["name"], j["status"]) for j in run["jobs"]] == [("build", "COMPLETED"), ("test", "FAILED")]
    assert run["jobs"][1]["failed_steps"] == ["Run tests"] and run["jobs"][1]["id"] == FAILED_JOB
    job = await call(connect, "get_workflow_run", {**LOG})
    assert [(s["name"], s["status"]) for s in job["steps"]][2:4] == [("Install", "COMPLETED"), ("Run tests", "FAILED")]
    assert "404" in await refused(connect, "get_workflow_run", {**PIPELINES, "run_id": "0" * 32})


def blocks(result: Any) -> tuple[dict[str, Any], str]:
    assert len(result.content) == 2, text(result)
    return json.loads(result.content[0].text), result.content[1].text


def numbered(log: str) -> list[int]:
    return [int(line.split("|", 1)[0]) for line in log.splitlines()[1:-1]]


async def test_a_job_log_is_never_whole_its_end_by_default_numbered_and_framed(
    connect: Connect, sandbox: Sandbox
) -> None:
    async with connect() as client:
        meta, log = blocks(await client.call_tool("get_job_log", LOG))
    raw = sandbox.requests[-1]
    assert raw.path.endswith("/download_log") and raw.response_size == meta["total_bytes"]
    assert meta["total_lines"] > 150 and numbered(log) == list(range(meta["total_lines"] - 79, meta["total_lines"] + 1))
    assert unfenced(log).splitlines() == log.splitlines()[1:-1]  # fenced: no line of it passes for the end
    assert "not instructions" in meta["note"] and "1 passed" not in log  # both tests fail
    assert meta["shown"].startswith(f"lines {meta['total_lines'] - 79}-{meta['total_lines']}: the last 80 lines")


async def test_a_job_log_around_its_first_error_shows_the_failing_assertion(connect: Connect) -> None:
    async with connect() as client:
        meta, log = blocks(await client.call_tool("get_job_log", {**LOG, "show": "first_error", "lines": 30}))
    assert "E       AssertionError: assert 'hello world' == 'Hello, world!'" in log
    assert "tests/test_app.py:5: AssertionError" in log and len(numbered(log)) == 30
    first = meta["first_error_line"]
    assert first in numbered(log) and "FAILURES" in log.splitlines()[numbered(log).index(first) + 1]
    assert "Collecting dependency-000" not in log  # the install before it is left out


async def test_a_job_log_by_pattern_or_from_a_line(connect: Connect) -> None:
    async with connect() as client:
        meta, log = blocks(await client.call_tool("get_job_log", {**LOG, "grep": "FAILED tests|exit code"}))
        assert [line.split("| ", 1)[1] for line in log.splitlines()[1:-1]] == [
            "FAILED tests/test_app.py::test_greet - AssertionError: assert 'hello world' == 'Hello, world!'",
            "FAILED tests/test_app.py::test_greet_names - AssertionError: assert 'hello GitCode' == 'Hello, GitCode!'",
            "##[error]Process completed with exit code 1.",
        ]
        assert "3 lines match" in meta["shown"]
        _, window = blocks(await client.call_tool("get_job_log", {**LOG, "from_line": 10, "lines": 5}))
        assert numbered(window) == [10, 11, 12, 13, 14]
        too_many = await client.call_tool("get_job_log", {**LOG, "lines": 401})
        assert too_many.is_error and "`lines`" in text(too_many) and "from_line" in text(too_many)


async def test_a_log_served_as_text_is_read_too_loses_escapes_and_shows_hidden_characters(
    connect: Connect, sandbox: Sandbox
) -> None:
    body = "step 1\n\x1b[31merror: \u202econfig missing\x1b[0m\nstep 3\n"
    sandbox.answer("GET", r"download_log$", status=200, body=body, content_type="text/plain")
    async with connect() as client:
        meta, log = blocks(await client.call_tool("get_job_log", {**LOG, "show": "first_error"}))
    assert meta["total_lines"] == 3 and meta["first_error_line"] == 2
    # a bidi override is shown where it was, as in a diff (content_safety), never passed on
    assert "2| error: [U+202E]config missing" in log and "\x1b" not in log and "\u202e" not in log


def test_first_error_skips_counts_of_nothing() -> None:
    lines = ["0 errors, 0 failed", "no errors found", "Compiling", "src/a.c:3: error: expected ';'"]
    assert job_logs.first_error(lines) == 3


async def test_waiting_for_a_finished_run_answers_at_once_with_its_failed_jobs(
    connect: Connect, sandbox: Sandbox
) -> None:
    answer = await call(connect, "wait_for_run", {**PIPELINES, "run_id": FAILED_RUN})
    assert answer["finished"] is True and answer["status"] == "FAILED" and answer["waited_s"] == 0
    assert [{**j, "duration_s": None} for j in answer["failed_jobs"]] == [
        {"id": FAILED_JOB, "name": "test", "status": "FAILED", "duration_s": None, "failed_steps": ["Run tests"]}
    ]
    assert [r.template for r in sandbox.requests] == [
        "v8/repos/{owner}/{repo}/actions/runs/{run_id}",
        "v8/repos/{owner}/{repo}/actions/runs/{run_id}/jobs",
    ]


async def test_waiting_reports_progress_and_stops_at_the_stated_time(connect: Connect, sandbox: Sandbox) -> None:
    seen: list[tuple[float, float | None, str | None]] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append((progress, total, message))

    async with connect() as client:
        result = await client.call_tool(
            "wait_for_run", {**PIPELINES, "run_id": RUNNING_RUN, "timeout_seconds": 2}, progress_callback=progress
        )
    answer = json.loads(text(result))
    assert answer["finished"] is False and answer["status"] == "RUNNING" and "again" in answer["note"]
    assert 2 <= len(seen) <= 3 and all(total == 2 for _, total, _ in seen)
    assert [done for done, _, _ in seen] == sorted(done for done, _, _ in seen) and seen[-1][0] == 2
    assert seen[0][2] == f"run {RUNNING_RUN}: RUNNING, 0 of 1 jobs done"
    assert len(sandbox.requests) == len(seen)  # one read of the run per report, no jobs read for a run not done


async def push(connect: Connect, content: str, message: str, branch: str = "main") -> None:
    current = await call(connect, "get_file_contents", {**PIPELINES, "path": "src/app.py", "ref": branch}, parse=False)
    sha = json.loads(current.split("\n", 1)[0])["sha"]
    args = {**PIPELINES, "path": "src/app.py", "content": content, "message": message, "sha": sha, "branch": branch}
    await call(connect, "update_file", args)


async def test_a_push_starts_a_run_that_a_wait_follows_to_its_end(connect: Connect, sandbox: Sandbox) -> None:
    await push(connect, 'def greet(name):\n    return "Hi, " + name\n', "Say hi")
    runs = await call(connect, "list_workflow_runs", {**PIPELINES, "branch": "main"})
    newest = runs["items"][0]
    assert newest["title"] == "Say hi" and newest["status"] == "RUNNING" and newest["event"] == "Push"
    seen: list[float] = []

    async def progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async with connect() as client:
        result = await client.call_tool(
            "wait_for_run", {**PIPELINES, "run_id": newest["run_id"]}, progress_callback=progress
        )
    answer = json.loads(text(result))
    assert answer["finished"] and answer["status"] == "FAILED" and len(seen) >= 2
    assert answer["failed_jobs"][0]["name"] == "test"


async def test_a_rerun_is_a_new_attempt_and_a_retry_keeps_the_passed_jobs(connect: Connect, sandbox: Sandbox) -> None:
    again = await call(connect, "rerun_workflow_run", {**PIPELINES, "run_id": FAILED_RUN})
    assert again["run_id"] == FAILED_RUN and again["attempt"] == 2 and again["status"] == "RUNNING"
    error = await refused(connect, "rerun_workflow_run", {**PIPELINES, "run_id": FAILED_RUN, "failed_only": True})
    assert "still running" in error and "wait_for_run" in error  # no failed job to name: no retry is sent
    stopped = await call(connect, "stop_workflow_run", {**PIPELINES, "run_id": FAILED_RUN})
    assert stopped["status"] == "CANCELED" and stopped["attempt"] == 2
    retried = await call(connect, "rerun_workflow_run", {**PIPELINES, "run_id": FAILED_RUN, "failed_only": True})
    assert retried["attempt"] == 3
    assert [(r.method, r.path.rsplit("/", 1)[-1]) for r in sandbox.requests if r.method == "POST"] == [
        ("POST", "rerun"),
        ("POST", "stop"),
        ("POST", "retry"),
    ]
    retry = next(r for r in sandbox.requests if r.path.endswith("/retry"))
    canceled = [j.id for j in Actions.of(sandbox.world).runs[FAILED_RUN].attempts[1].jobs][:1]  # the one that ran
    assert retry.body == {"job_run_ids": canceled}  # the failed jobs the run lists, by id
    run = Actions.of(sandbox.world).runs[FAILED_RUN]
    assert [j.carried for j in run.attempt.jobs] == [False, False]  # the stop canceled both; both run again


async def test_a_retry_names_its_jobs_as_gitcode_requires(sandbox: Sandbox) -> None:
    path = f"v8/repos/gitcode-guild/pipelines/actions/runs/{FAILED_RUN}/retry"
    for body in (None, {}, {"job_run_ids": []}, {"job_run_ids": "all"}):
        answer = await sim(sandbox, "POST", path, json=body)
        assert answer.status_code == 400 and "job_run_ids is required" in answer.text
    assert (await sim(sandbox, "POST", path, json={"job_run_ids": ["nope"]})).status_code == 404


async def test_a_retry_after_a_flaky_runner_runs_only_the_failed_job(connect: Connect, sandbox: Sandbox) -> None:
    actions = sync(sandbox.world)
    actions.runner_faults = 1
    started = await call(connect, "dispatch_workflow", {**PIPELINES, "workflow": "ci.yml", "ref": "main"})
    done = await call(connect, "wait_for_run", {**PIPELINES, "run_id": started["run_id"]})
    assert done["status"] == "FAILED" and [j["name"] for j in done["failed_jobs"]] == ["build"]
    retried = await call(connect, "rerun_workflow_run", {**PIPELINES, "run_id": started["run_id"], "failed_only": True})
    assert retried["attempt"] == 2
    green = await call(connect, "wait_for_run", {**PIPELINES, "run_id": started["run_id"]})
    assert green["status"] == "COMPLETED" and "failed_jobs" not in green


async def test_stopping_a_finished_run_and_retrying_a_green_one_are_refused(connect: Connect) -> None:
    assert "finished already" in await refused(connect, "stop_workflow_run", {**PIPELINES, "run_id": PASSED_RUN})
    error = await refused(connect, "rerun_workflow_run", {**PIPELINES, "run_id": PASSED_RUN, "failed_only": True})
    assert "no failed jobs" in error
    stopped = await call(connect, "stop_workflow_run", {**PIPELINES, "run_id": RUNNING_RUN})
    assert stopped["status"] == "CANCELED"


async def test_writes_need_a_token(sandbox: Sandbox) -> None:
    response = await sim(
        sandbox, "POST", f"v8/repos/gitcode-guild/pipelines/actions/runs/{FAILED_RUN}/rerun", token=None
    )
    assert response.status_code == 401


async def test_dispatch_sends_ref_and_inputs_and_gitcode_checks_them(connect: Connect, sandbox: Sandbox) -> None:
    args = {**PIPELINES, "workflow": "release.yml", "ref": "main"}
    started = await call(connect, "dispatch_workflow", {**args, "inputs": ["version=1.2.0"]})
    assert sandbox.requests[-1].body == {"ref": "main", "inputs": {"version": "1.2.0"}} and started["run_id"]
    run = await call(connect, "get_workflow_run", {**PIPELINES, "run_id": started["run_id"]})
    assert run["event"] == "Manual" and run["workflow"] == "Release"
    assert "Required input 'version'" in await refused(connect, "dispatch_workflow", args)
    assert "Unexpected inputs" in await refused(connect, "dispatch_workflow", {**args, "inputs": ["version=1", "x=2"]})
    assert "key=value" in await refused(connect, "dispatch_workflow", {**args, "inputs": ["version"]})
    assert "404" in await refused(connect, "dispatch_workflow", {**args, "workflow": "deploy.yml"})


async def test_validate_sends_base64_and_answers_problems_with_lines(connect: Connect, sandbox: Sandbox) -> None:
    broken = "name: CI\non: push\njobs:\n  test:\n\truns-on: ubuntu-latest\n"
    answer = await call(connect, "validate_workflow", {**PIPELINES, "content": broken})
    assert base64.b64decode(sandbox.requests[-1].body["base64_content"]).decode() == broken
    assert answer["valid"] is False and answer["problems"][0]["line"] == 5 and "\\t" in answer["problems"][0]["message"]
    assert await call(connect, "validate_workflow", {**PIPELINES, "content": CI_YML}) == {"valid": True, "problems": []}
    missing = await call(
        connect, "validate_workflow", {**PIPELINES, "content": "name: x\non: push\njobs:\n  a:\n    steps: []\n"}
    )
    assert missing["problems"] == [
        {"line": 4, "column": 3, "severity": "error", "message": "job 'a': required property 'runs-on' is missing"}
    ]


async def test_artifacts_are_listed_and_read_never_as_archive_bytes(connect: Connect, sandbox: Sandbox) -> None:
    listed = await call(connect, "list_artifacts", PIPELINES)
    assert [a["id"] for a in listed["items"]] == [FAILED_REPORT_ARTIFACT, REPORT_ARTIFACT]
    assert sandbox.requests[-1].query["sort"] == "created" and sandbox.requests[-1].query["direction"] == "desc"
    of_run = await call(connect, "list_artifacts", {**PIPELINES, "run_id": PASSED_RUN})
    assert [a["id"] for a in of_run["items"]] == [REPORT_ARTIFACT]
    async with connect() as client:
        listing = await client.call_tool("get_artifact", {**PIPELINES, "artifact_id": REPORT_ARTIFACT})
        report = await client.call_tool(
            "get_artifact", {**PIPELINES, "artifact_id": REPORT_ARTIFACT, "path": "report/summary.txt"}
        )
        binary = await client.call_tool(
            "get_artifact", {**PIPELINES, "artifact_id": REPORT_ARTIFACT, "path": "report/coverage.bin"}
        )
        missing = await client.call_tool("get_artifact", {**PIPELINES, "artifact_id": REPORT_ARTIFACT, "path": "x"})
    files = json.loads(text(listing))["files"]
    assert {f["path"]: f["size"] for f in files}["report/summary.txt"] == len("2 passed\n")
    assert unfenced(text(report).split("\n", 1)[1]) == "2 passed\n"
    assert "binary" in text(binary) and len(binary.content) == 1
    assert missing.is_error and "`path`" in text(missing)
    for result in (listing, report, binary):
        assert "PK\x03\x04" not in text(result) and "UEsDB" not in text(result)  # neither the zip nor its base64
    storage = [r for r in sandbox.requests if r.path.startswith("objects/")]
    assert storage and all("private-token" not in r.headers and "authorization" not in r.headers for r in storage)


async def test_the_storage_refuses_a_token_and_only_zip_is_an_archive_format(sandbox: Sandbox) -> None:
    zipped = await sim(sandbox, "GET", f"v8/repos/gitcode-guild/pipelines/actions/artifacts/{REPORT_ARTIFACT}/zip")
    assert zipped.status_code == 302
    location = zipped.headers["location"]
    with_token = await sim(sandbox, "GET", "/" + location.split("/", 3)[3])
    assert with_token.status_code == 400
    plain = await sim(sandbox, "GET", "/" + location.split("/", 3)[3], token=None)
    assert plain.status_code == 200 and zipfile.ZipFile(io.BytesIO(plain.content)).namelist()
    forged = await sim(sandbox, "GET", "/" + location.split("/", 3)[3].replace("Signature=", "Signature=x"), token=None)
    assert forged.status_code == 403
    other = await sim(sandbox, "GET", f"v8/repos/gitcode-guild/pipelines/actions/artifacts/{REPORT_ARTIFACT}/tar.gz")
    assert other.status_code == 400


async def test_a_deleted_artifact_is_gone(connect: Connect) -> None:
    assert await call(connect, "delete_artifact", {**PIPELINES, "artifact_id": FAILED_REPORT_ARTIFACT}) == {
        "deleted": FAILED_REPORT_ARTIFACT
    }
    assert "404" in await refused(connect, "get_artifact", {**PIPELINES, "artifact_id": FAILED_REPORT_ARTIFACT})


async def test_runners_and_runner_groups(connect: Connect, sandbox: Sandbox) -> None:
    hosts = await call(connect, "list_runners", {**PIPELINES, "keyword": "build"})
    assert [r["name"] for r in hosts["items"]] == ["build-01"] and sandbox.requests[-1].query["keyword"] == "build"
    assert (await call(connect, "list_runners", {**PIPELINES, "shared": True, "sets": True}))["items"][0]["name"] == (
        "gitcode-k8s-default"
    )
    group = await call(connect, "list_runner_groups", {"org": "gitcode-guild", "group_id": RUNNER_GROUP})
    assert group == {"id": RUNNER_GROUP, "name": "default", "shared_repos": 1}
    shared = await call(
        connect, "list_runner_groups", {"org": "gitcode-guild", "group_id": RUNNER_GROUP, "part": "shared_namespaces"}
    )
    assert shared["items"][0]["type"] == "project"
    error = await refused(connect, "list_runner_groups", {"org": "gitcode-guild", "part": "runners"})
    assert "`part`" in error and sent(sandbox)[-1].endswith("shared-namespaces")


@pytest.mark.parametrize(
    "location",
    [
        f"https://objects.example.com/a.zip?access_token={TOKEN}",  # the token scrubbed out: never followed
        "file:///etc/passwd",
        "ftp://objects.example.com/a.zip",
    ],
)
async def test_a_redirect_is_followed_only_to_a_plain_web_address(
    connect: Connect, sandbox: Sandbox, location: str
) -> None:
    sandbox.answer("GET", r"/zip$", status=302, body="", headers={"location": location})
    error = await refused(connect, "get_artifact", {**PIPELINES, "artifact_id": REPORT_ARTIFACT})
    assert "not followed" in error and TOKEN not in error
    assert [r.path.rsplit("/", 1)[-1] for r in sandbox.requests] == [REPORT_ARTIFACT, "zip"]
