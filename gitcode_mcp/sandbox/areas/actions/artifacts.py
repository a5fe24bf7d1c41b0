"""Artifacts: listed, read, downloaded through a pre-signed object storage URL (served here too), deleted."""

from __future__ import annotations

import time

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    ACTION_ARTIFACT,
    ACTION_ARTIFACT_ARCHIVE,
    ACTION_ARTIFACT_ZIP,
    ACTION_ARTIFACTS,
    ACTION_RUN_ARTIFACTS,
    ARTIFACT_OBJECT,
)
from gitcode_mcp.sandbox.areas.actions.render import listing, render_artifact
from gitcode_mcp.sandbox.areas.actions.running import upload
from gitcode_mcp.sandbox.areas.actions.runs import find_run, may_run, repo_runs
from gitcode_mcp.sandbox.areas.actions.state import Actions, Artifact
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, route
from gitcode_mcp.sandbox.state import fake_sha

STORAGE = ARTIFACT_OBJECT


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
