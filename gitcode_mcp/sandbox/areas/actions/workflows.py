"""Workflows: listed, a workflow file checked, a run dispatched by hand."""

from __future__ import annotations

import base64
import binascii

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ACTION_WORKFLOW_DISPATCHES,
    ACTION_WORKFLOW_VALIDATE,
    ACTION_WORKFLOWS,
)
from gitcode_mcp.sandbox import ci_runner
from gitcode_mcp.sandbox.areas.actions.render import listing
from gitcode_mcp.sandbox.areas.actions.running import start, workflows_of
from gitcode_mcp.sandbox.areas.actions.runs import may_run, repo_runs
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route


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
