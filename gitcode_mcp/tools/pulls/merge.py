"""Merging a pull request: refused before anything is sent while its merge rules block it; a lost answer settled by
GitCode's own check, never by merging twice."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError

from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.endpoints import (
    PR_MERGE,
    PULL,
)
from gitcode_mcp.errors import GitCodeError, NotSent
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Title, gitcode, payload
from gitcode_mcp.tools.pulls import PR_1, pulls
from gitcode_mcp.tools.pulls.views import merge_blockers
from gitcode_mcp.views import drop_empty, login, state, to_text


@pulls.write(
    Example(PR_1, f"GET {PULL}", f"PUT {PR_MERGE}"),
    Example(
        {**PR_1, "method": "squash", "title": "Type hints (!1)", "message": "Adds a main()."},
        f"GET {PULL}",
        f"PUT {PR_MERGE}",
    ),
)
async def merge_pull_request(
    owner: str,
    repo: str,
    number: Number,
    ctx: Context,
    method: Literal["merge", "squash", "rebase"] | None = None,
    title: Title | None = None,
    message: str | None = None,
) -> str:
    """Merge a pull request; if its merge rules block it, answers GitCode's reasons."""
    where = {"owner": owner, "repo": repo, "number": number}
    client = gitcode(ctx)
    pr = (await client.get(api_path(PULL, **where))).object()
    if state(pr.get("state")) == "merged":
        by = login(pr.get("merged_by"))
        return to_text(drop_empty({"number": number, "merged": True, "merged_by": by, "note": "merged already"}))
    # Live (cann/ge!1647), `mergeable_state` holds one flag per merge rule and GitCode's sentence for each failed one:
    # GitCode refuses such a merge, so it is not sent, and the agent learns what to fix.
    if blockers := merge_blockers(pr):
        reasons = "; ".join(f"{rule}: {why.rstrip('.')}" for rule, why in blockers.items())
        raise ToolError(f"Not merged, nothing was sent: {reasons}.")
    body = payload(merge_method=method, title=title, description=message)  # ref: title and description
    try:
        reply = await client.request(
            "PUT", api_path(PR_MERGE, **where), json=body, hints={400: "get_pull_request tells why GitCode refuses it"}
        )
    except GitCodeError as error:
        # No answer, or a server error: whether it merged is unknown, and writes are never retried. GitCode's
        # "is it merged" read settles it, so the agent neither merges twice nor gives up on a merge that landed.
        if isinstance(error, NotSent) or (error.status is not None and error.status < 500):
            raise
        try:
            merged = await _is_merged(client, where)
        except GitCodeError:
            raise error from None  # still unknown: the first failure is the one to report
        if not merged:
            hint = "GitCode reports it not merged: it is safe to try again"
            raise GitCodeError(error.status, error.detail, hint) from None
        return to_text(
            {"number": number, "merged": True, "note": "GitCode's answer was lost, but it reports the PR merged"}
        )
    answer = reply.object() if isinstance(reply.data, dict) else {}
    return to_text(drop_empty({"number": number, "merged": answer.get("merged", True), "sha": answer.get("sha")}))


async def _is_merged(client: GitCodeClient, where: dict[str, Any]) -> bool:
    """GitCode's "is it merged" check. ref: `{"message": ...}` when merged, an error body `{"error": ...}` when not,
    with no status shown, so a 200 can say "not merged"; Gitee v5 answers 404. Any other failure leaves it unknown
    (docs/gitcode-behaviour.md, Pull requests)."""
    try:
        answer = (await client.get(api_path(PR_MERGE, **where))).data
    except GitCodeError as check:
        if check.status == 404:
            return False
        raise
    return not (isinstance(answer, dict) and any(k in answer for k in ("error", "error_code", "error_message")))
