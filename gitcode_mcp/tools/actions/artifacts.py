"""Artifacts: listed (a repository's, a run's), downloaded and read, deleted."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp_types import TextContent
from pydantic import Field

from gitcode_mcp import archives
from gitcode_mcp.content_safety import file_blocks
from gitcode_mcp.endpoints import (
    ACTION_ARTIFACT,
    ACTION_ARTIFACT_ZIP,
    ACTION_ARTIFACTS,
    ACTION_RUN_ARTIFACTS,
    ARTIFACT_OBJECT,
)
from gitcode_mcp.errors import GitCodeError
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Page, PerPage, gitcode, payload, settings
from gitcode_mcp.tools.actions import FAILED_REPORT_ARTIFACT, PASSED_RUN, PIPELINES, REPORT_ARTIFACT, actions
from gitcode_mcp.tools.actions.views import MAX_ARTIFACT_BYTES, NO_RUN, RunId, listing
from gitcode_mcp.tools.contents import MAX_TEXT_CHARS, decode_bytes
from gitcode_mcp.views import Obj, View, as_int, at, to_text

ARTIFACT = View(
    id="id",
    name="name",
    size=at("size_bytes", as_int),
    run_id="workflow_run_id",
    created_at="created_at",  # GitCode's expires_at, digest and workflow_id are left out: an agent downloads by id
)


@actions.read(
    Example(PIPELINES, f"GET {ACTION_ARTIFACTS}"),
    Example({**PIPELINES, "run_id": PASSED_RUN, "name": "test-report"}, f"GET {ACTION_RUN_ARTIFACTS}"),
)
async def list_artifacts(
    owner: str,
    repo: str,
    ctx: Context,
    run_id: RunId | None = None,
    name: str | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List CI artifacts, newest first: a repository's, or one run's."""
    # GitCode CLI ListActionsArtifacts / ListActionsRunArtifacts: name, sort, direction, page, per_page.
    where = (
        api_path(ACTION_RUN_ARTIFACTS, owner=owner, repo=repo, run_id=run_id)
        if run_id
        else api_path(ACTION_ARTIFACTS, owner=owner, repo=repo)
    )
    query = payload(name=name, sort="created", direction="desc", page=page, per_page=per_page)
    reply = await gitcode(ctx).get(where, query, hints=NO_RUN)
    return listing(reply, "artifacts", ARTIFACT, page, per_page)


NO_ARTIFACT = {404: "no such artifact (or it expired): list_artifacts gives ids"}


@actions.read(
    Example(
        {**PIPELINES, "artifact_id": REPORT_ARTIFACT},
        f"GET {ACTION_ARTIFACT}",
        f"GET {ACTION_ARTIFACT_ZIP}",
        f"GET {ARTIFACT_OBJECT}",
    ),
    Example(
        {**PIPELINES, "artifact_id": REPORT_ARTIFACT, "path": "report/summary.txt"},
        f"GET {ACTION_ARTIFACT}",
        f"GET {ACTION_ARTIFACT_ZIP}",
        f"GET {ARTIFACT_OBJECT}",
    ),
)
async def get_artifact(
    owner: str,
    repo: str,
    artifact_id: Annotated[str, Field(description="From list_artifacts")],
    ctx: Context,
    path: str | None = None,
) -> list[TextContent]:
    """List a CI artifact's files with sizes, or read one text file of it (path); never the archive itself."""
    client, where = gitcode(ctx), {"owner": owner, "repo": repo, "artifact_id": artifact_id}
    artifact = (await client.get(api_path(ACTION_ARTIFACT, **where), hints=NO_ARTIFACT)).object()
    meta = ARTIFACT(artifact)
    size = as_int(artifact.get("size_bytes"))
    if isinstance(size, int) and size > MAX_ARTIFACT_BYTES:
        raise GitCodeError(
            None,
            f"the artifact is {size / 1e6:.0f} MB, more than the {MAX_ARTIFACT_BYTES // 1_000_000} MB read here",
            "download it from the run's page",
        )
    # GitCode CLI DownloadActionsArtifact: `zip` answers a 302 to a pre-signed URL, fetched here without the token.
    reply = await client.get(api_path(ACTION_ARTIFACT_ZIP, **where), raw=True, redirects=True, hints=NO_ARTIFACT)
    raw = reply.data if reply.location is None else await client.download(reply.location, MAX_ARTIFACT_BYTES)
    if path is None:
        found, total = archives.members(raw)
        files = [{"path": m.path, "size": m.size} for m in found]
        more = {"note": f"the first {len(found)} of {total} files"} if total > len(found) else {}
        return [TextContent(type="text", text=to_text({**meta, "files": files, **more}))]
    data = archives.read_member(raw, path)
    text = decode_bytes(data)
    head: Obj = {**meta, "path": path, "file_size": len(data)}
    if text is None:
        head["note"] = "binary file: its content is not shown"
        return [TextContent(type="text", text=to_text(head))]
    if len(text) > MAX_TEXT_CHARS:
        head["truncated"] = f"showing the first {MAX_TEXT_CHARS} of {len(text)} characters"
        text = text[:MAX_TEXT_CHARS]
    return file_blocks(head, text, settings(ctx).raw_content)


@actions.destructive(
    Example({**PIPELINES, "artifact_id": FAILED_REPORT_ARTIFACT}, f"DELETE {ACTION_ARTIFACT}"), idempotent=True
)
async def delete_artifact(owner: str, repo: str, artifact_id: str, ctx: Context) -> str:
    """Delete a CI artifact; this cannot be undone."""
    # GitCode CLI DeleteActionsArtifact: 204 No Content.
    await gitcode(ctx).request(
        "DELETE",
        api_path(ACTION_ARTIFACT, owner=owner, repo=repo, artifact_id=artifact_id),
        hints=NO_ARTIFACT,
    )
    return to_text({"deleted": artifact_id})
