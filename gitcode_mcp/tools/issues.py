"""Issues: open one."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp import shaping
from gitcode_mcp.client import repo_path
from gitcode_mcp.context import gitcode
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.tooldef import write

TOOLSET = "issues"
PURPOSE = "Open issues"


def comma_list(name: str, values: list[str] | None) -> str | None:
    """GitCode takes a list as one comma-separated string and answers 400 to a JSON array."""
    if not values:
        return None
    cleaned = [v.strip() for v in values if v.strip()]
    if bad := [v for v in cleaned if "," in v]:
        raise InvalidArgument(name, f"{bad[0]!r} contains a comma; give each name as its own list item")
    return ",".join(cleaned) or None


async def create_issue(
    owner: str,
    repo: str,
    title: Annotated[str, Field(min_length=1, max_length=255)],
    body: str,
    ctx: Context,
    labels: list[str] | None = None,
    assignees: list[str] | None = None,
    milestone: Annotated[int | None, Field(ge=1)] = None,
) -> str:
    """Open an issue; labels and the milestone (by id) must exist in the repository."""
    payload = {
        "title": title,
        "body": body,
        "labels": comma_list("labels", labels),
        "assignees": comma_list("assignees", assignees),
        "milestone": milestone,
    }
    reply = await gitcode(ctx).request(
        "POST",
        repo_path(owner, repo, "issues"),
        json={k: v for k, v in payload.items() if v is not None},
        hints={422: "a label, assignee or milestone may not exist in the repository, or the title is too long; "
               "retry without the one GitCode names"},
    )
    return shaping.to_text(shaping.issue(reply.object()))


TOOLS = [write(create_issue)]
