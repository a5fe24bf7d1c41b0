"""A pull request's labels: added, removed or replaced."""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    LABELS,
    PR_LABEL,
    PR_LABELS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, comma_list, gitcode
from gitcode_mcp.tools.labels import create_missing_labels
from gitcode_mcp.tools.pulls import PR_1, PR_2, pulls
from gitcode_mcp.views import names, to_text


@pulls.destructive(
    Example({**PR_1, "action": "add", "labels": ["bug"]}, f"POST {PR_LABELS}", f"GET {PR_LABELS}"),
    Example({**PR_2, "action": "remove", "labels": ["enhancement"]}, f"DELETE {PR_LABEL}", f"GET {PR_LABELS}"),
    Example({**PR_2, "action": "replace", "labels": ["bug", "requirement"]}, f"PUT {PR_LABELS}", f"GET {PR_LABELS}"),
    Example(
        {**PR_1, "action": "add", "labels": ["ready"], "create_labels": True},
        f"GET {LABELS}",
        f"POST {LABELS}",
        f"POST {PR_LABELS}",
        f"GET {PR_LABELS}",
    ),
    idempotent=True,
    asks=lambda a: a.get("action") != "add",  # adding takes nothing away
)
async def set_pull_request_labels(
    owner: str,
    repo: str,
    number: Number,
    action: Literal["add", "remove", "replace"],
    labels: list[str],
    ctx: Context,
    create_labels: bool | None = None,
) -> str:
    """Add, remove or replace a pull request's labels."""
    where = {"owner": owner, "repo": repo, "number": number}
    wanted = (comma_list("labels", labels) or "").split(",")
    wanted = list(dict.fromkeys(n for n in wanted if n))
    if not wanted and action != "replace":
        raise InvalidArgument("labels", f"give the labels to {action}")
    if create_labels and action == "remove":
        raise InvalidArgument("create_labels", "only add and replace apply labels")
    client = gitcode(ctx)
    made = await create_missing_labels(ctx, owner, repo, wanted) if create_labels and wanted else []
    hints = {422: "a label does not exist in the repository; create it or check its spelling"}
    if action == "remove":
        for name in wanted:  # ref: one label per DELETE (204)
            await client.request(
                "DELETE", api_path(PR_LABEL, **where, label=name), hints={404: f"{name!r} is not on this pull request"}
            )
    else:  # ref: the body is a JSON array of names, not an object; PUT replaces them all
        await client.request(
            "POST" if action == "add" else "PUT", api_path(PR_LABELS, **where), json=wanted, hints=hints
        )
    current = (await client.get(api_path(PR_LABELS, **where))).items()
    result = {"number": number, "labels": names(current)}
    return to_text({**result, "created_labels": made} if made else result)
