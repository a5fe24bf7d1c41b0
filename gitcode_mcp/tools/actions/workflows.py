"""Workflows: listed, dispatched by hand, and a workflow file checked before it is committed."""

from __future__ import annotations

import base64
from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp.endpoints import (
    ACTION_WORKFLOW_DISPATCHES,
    ACTION_WORKFLOW_VALIDATE,
    ACTION_WORKFLOWS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Page, PerPage, Ref, Text, gitcode, key_values
from gitcode_mcp.tools.actions import PIPELINES, actions
from gitcode_mcp.tools.actions.views import list_at, listing
from gitcode_mcp.views import View, as_int, drop_empty, to_text

MAX_WORKFLOW_BYTES = 512 * 1024
WORKFLOW_EXAMPLE = (
    "name: CI\non: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
)
# A workflow's state only when it is not the usual `active` (a disabled one is what an agent must notice).
WORKFLOW = View(
    id="workflow_id",
    name="name",
    file="file_path",
    state=lambda w: w.get("state") if w.get("state") != "active" else None,
)


@actions.write(
    Example(
        {**PIPELINES, "workflow": "release.yml", "ref": "main", "inputs": ["version=1.2.0"]},
        f"POST {ACTION_WORKFLOW_DISPATCHES}",
    ),
)
async def dispatch_workflow(
    owner: str,
    repo: str,
    workflow: Annotated[str, Field(description="Its id or file name, like ci.yml")],
    ref: Ref,
    ctx: Context,
    inputs: Annotated[list[str], Field(description="key=value items")] | None = None,
) -> str:
    """Start a workflow (one with a workflow_dispatch trigger) on a branch or tag, with inputs."""
    # GitCode CLI DispatchActionsWorkflow: {"ref", "inputs": {name: value}}, answering workflow_id, workflow_run_id;
    # the id or the file name both name a workflow (CLI `gc actions workflow run ci.yml`).
    reply = await gitcode(ctx).request(
        "POST",
        api_path(ACTION_WORKFLOW_DISPATCHES, owner=owner, repo=repo, workflow=workflow),
        json={"ref": ref, "inputs": key_values("inputs", inputs) or {}},
        hints={
            404: "no such workflow: list_workflows gives ids and file names",
            422: "the workflow takes no workflow_dispatch, or an input is missing or unknown",
        },
    )
    started = reply.object()
    return to_text(
        drop_empty(
            {
                "workflow_id": started.get("workflow_id"),
                "run_id": started.get("workflow_run_id"),
                "next": "wait_for_run waits for it",
            }
        )
    )


@actions.read(Example(PIPELINES, f"GET {ACTION_WORKFLOWS}"))
async def list_workflows(owner: str, repo: str, ctx: Context, page: Page = 1, per_page: PerPage = 20) -> str:
    """List a repository's CI workflows: ids, names, files."""
    # GitCode CLI ListActionsWorkflows: {"total_count", "workflows": [{workflow_id, file_path, name, state}]}.
    reply = await gitcode(ctx).get(
        api_path(ACTION_WORKFLOWS, owner=owner, repo=repo), {"page": page, "per_page": per_page}
    )
    return listing(reply, "workflows", WORKFLOW, page, per_page)


DIAGNOSTIC = View(
    line=lambda d: as_int((d.get("range") or {}).get("start", {}).get("line")),
    column=lambda d: as_int((d.get("range") or {}).get("start", {}).get("column")),
    severity="severity",
    message="message",
)


@actions.read(
    Example(
        {
            **PIPELINES,
            "content": WORKFLOW_EXAMPLE,
        },
        f"POST {ACTION_WORKFLOW_VALIDATE}",
    ),
)
async def validate_workflow(owner: str, repo: str, content: Text, ctx: Context) -> str:
    """Check a workflow file's YAML before committing it: valid, or problems with line numbers."""
    # GitCode CLI ValidateActionsWorkflow: {"base64_content"} answers {"valid", "diagnostics": [{range, severity,
    # message}]}. A POST that changes nothing.
    raw = content.encode()
    if len(raw) > MAX_WORKFLOW_BYTES:
        raise InvalidArgument("content", f"is {len(raw)} bytes; a workflow file here has at most {MAX_WORKFLOW_BYTES}")
    reply = await gitcode(ctx).request(
        "POST",
        api_path(ACTION_WORKFLOW_VALIDATE, owner=owner, repo=repo),
        json={"base64_content": base64.b64encode(raw).decode()},
    )
    answer = reply.object()
    problems = list_at(answer, "diagnostics")
    return to_text({"valid": bool(answer.get("valid")), "problems": DIAGNOSTIC.many(problems)})
