"""Labels: a repository's issue labels (list, create, edit, delete), the labels on one issue (add, replace,
remove, clear) and the repository's own project labels.

Evidence: the GitCode reference's labels and issues pages (docs.gitcode.com/docs/repos/labels, .../issues #9 and #10)
for everything but two operations (what the live service reads: docs/gitcode-behaviour.md, Labels):
`GET labels/{name}` is called by the GitCode CLI and has no reference page, and `PUT project_labels`
("替换所有仓库标签", reference page put-api-v-5-repos-owner-repo-project-labels) takes a JSON array of
names that replaces the repository's project labels (the `project_labels` that repository answers carry), as
AtomGit-MCP-Server's fix of its issue #7 sends.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp.endpoints import ISSUE, ISSUE_LABEL, ISSUE_LABELS, LABEL, LABELS, PROJECT_LABELS
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Text, comma_list, gitcode
from gitcode_mcp.views import View, names, to_text

labels = Toolset("labels", "Manage issue labels, the labels on an issue, and a repository's project labels")

DEMO = {"owner": "alice", "repo": "demo"}

LABEL_VIEW = View(name="name", color="color")
_COLOR = re.compile(r"#?([0-9A-Fa-f]{3}|[0-9A-Fa-f]{6})")
Color = Annotated[str, Field(description="Hex, like #d73a4a")]
NOT_FOUND = {404: "no such label in this repository; list_labels shows them"}


def hex_color(value: str | None) -> str | None:
    """GitCode's form, `#fff` or `#d73a4a` (ref); the leading '#' is added when left out."""
    if value is None:
        return None
    if not _COLOR.fullmatch(value.strip()):
        raise InvalidArgument("color", f"{value[:20]!r} is not a hex color; give 3 or 6 hex digits, like #d73a4a")
    return "#" + value.strip().lstrip("#")


# The color of a label made because a tool was asked to apply it (create_labels=true).
NEW_LABEL_COLOR = "#ededed"


async def create_missing_labels(ctx: Context, owner: str, repo: str, wanted: list[str]) -> list[str]:
    """Create the labels of `wanted` the repository lacks, as create_label does, and answer their names: GitCode
    refuses to apply a label that does not exist (422), and the agent asked for it to be made
    (docs/gitcode-behaviour.md, Labels)."""
    client = gitcode(ctx)
    have = set(names((await client.get(api_path(LABELS, owner=owner, repo=repo))).items()))
    made = []
    for name in dict.fromkeys(wanted):
        if name not in have:
            await client.request(
                "POST",
                api_path(LABELS, owner=owner, repo=repo),
                params={"name": name, "color": NEW_LABEL_COLOR},
                hints={409: "a label with this name exists already", 422: f"GitCode refused the label name {name!r}"},
            )
            made.append(name)
    return made


@labels.read(Example(DEMO, f"GET {LABELS}"), Example({**DEMO, "name": "bug"}, f"GET {LABEL}"))
async def list_labels(owner: str, repo: str, ctx: Context, name: str | None = None) -> str:
    """List a repository's issue labels, or get one by name."""
    client = gitcode(ctx)
    if name is not None:
        reply = await client.get(api_path(LABEL, owner=owner, repo=repo, name=name), hints=NOT_FOUND)
        return to_text(LABEL_VIEW(reply.object()))
    # The reference documents no paging for this list: GitCode answers every label at once.
    reply = await client.get(api_path(LABELS, owner=owner, repo=repo))
    return to_text(LABEL_VIEW.many(reply.items()))


@labels.write(Example({**DEMO, "name": "docs", "color": "#0075ca"}, f"POST {LABELS}"))
async def create_label(owner: str, repo: str, name: Text, color: Color, ctx: Context) -> str:
    """Create an issue label."""
    # `name` and `color` in the query string, no body: GitCode reads them from the query or a form and answers a JSON
    # body as if the name were missing (cli CreateLabel, run by its live write suite; AtomGit-MCP-Server's fix of its
    # issue #7; the reference lists formData: docs/gitcode-behaviour.md, Labels).
    reply = await gitcode(ctx).request(
        "POST",
        api_path(LABELS, owner=owner, repo=repo),
        params={"name": name.strip(), "color": hex_color(color)},
        hints={409: "a label with this name exists; list_labels shows it", 422: "check the name and color"},
    )
    return to_text(LABEL_VIEW(reply.object()))


@labels.write(
    Example({**DEMO, "name": "bug", "new_name": "defect", "color": "#b60205"}, f"PATCH {LABEL}"),
    idempotent=True,
)
async def update_label(
    owner: str, repo: str, name: str, ctx: Context, new_name: Text | None = None, color: Color | None = None
) -> str:
    """Rename a label or change its color."""
    fields = {"name": new_name.strip() if new_name else None, "color": hex_color(color)}
    fields = {k: v for k, v in fields.items() if v is not None}
    client = gitcode(ctx)
    if not fields:
        reply = await client.get(api_path(LABEL, owner=owner, repo=repo, name=name), hints=NOT_FOUND)
        return to_text({**LABEL_VIEW(reply.object()), "note": "nothing to change was given; this is the label"})
    # The new name and color in the query, as for create (cli UpdateLabel; the reference's formData): a JSON body
    # would change nothing (docs/gitcode-behaviour.md, Labels).
    reply = await client.request(
        "PATCH",
        api_path(LABEL, owner=owner, repo=repo, name=name),
        params=fields,
        hints={**NOT_FOUND, 409: "a label with the new name exists already"},
    )
    return to_text(LABEL_VIEW(reply.object()))


@labels.destructive(Example({**DEMO, "name": "requirement"}, f"DELETE {LABEL}"), idempotent=True)
async def delete_label(owner: str, repo: str, name: str, ctx: Context) -> str:
    """Delete a label, also from its issues and PRs. This cannot be undone."""
    await gitcode(ctx).request("DELETE", api_path(LABEL, owner=owner, repo=repo, name=name), hints=NOT_FOUND)
    return to_text({"deleted": name})


@labels.destructive(Example({**DEMO, "labels": ["python", "demo"]}, f"PUT {PROJECT_LABELS}"), idempotent=True)
async def set_project_labels(owner: str, repo: str, labels: list[str], ctx: Context) -> str:
    """Replace a repository's project labels (its topic tags, not issue labels)."""
    # The body is the JSON array of names itself (AtomGit-MCP-Server's fix of its issue #7; docs/gitcode-behaviour.md).
    chosen = list(dict.fromkeys(n.strip() for n in labels if n.strip()))
    reply = await gitcode(ctx).request("PUT", api_path(PROJECT_LABELS, owner=owner, repo=repo), json=chosen)
    return to_text({"project_labels": names(reply.data) if isinstance(reply.data, list) else chosen})


Action = Literal["add", "replace", "remove", "clear"]


@labels.destructive(
    Example({**DEMO, "number": 2, "action": "clear"}, f"DELETE {ISSUE_LABELS}"),
    Example({**DEMO, "number": 1, "action": "add", "labels": ["enhancement"]}, f"POST {ISSUE_LABELS}"),
    Example({**DEMO, "number": 1, "action": "replace", "labels": ["requirement"]}, f"PUT {ISSUE_LABELS}"),
    Example({**DEMO, "number": 1, "action": "remove", "labels": ["bug"]}, f"DELETE {ISSUE_LABEL}", f"GET {ISSUE}"),
    idempotent=True,
    asks=lambda a: a.get("action") != "add",  # adding takes nothing away
)
async def update_issue_labels(
    owner: str, repo: str, number: Number, action: Action, ctx: Context, labels: list[str] | None = None
) -> str:
    """Add, replace or remove labels on an issue, or clear them all."""
    where = {"owner": owner, "repo": repo, "number": number}
    chosen = comma_list("labels", labels)
    if (action == "clear") != (chosen is None):
        problem = "clear takes no labels" if chosen else f"{action} needs at least one label; clear removes them all"
        raise InvalidArgument("labels", problem)
    client = gitcode(ctx)
    hints = {404: "check the issue number", 422: "a label does not exist in the repository; list_labels shows them"}
    if chosen is None:
        await client.request("DELETE", api_path(ISSUE_LABELS, **where), hints=hints)
        return to_text({"number": number, "labels": []})
    if action == "remove":
        # One request per label: the reference also takes `a,b` in one path segment, but one name each works
        # whichever way GitCode reads the segment.
        for name in chosen.split(","):
            await client.request(
                "DELETE", api_path(ISSUE_LABEL, name=name, **where), hints={404: f"the issue has no label {name}"}
            )
        issue = (await client.get(api_path(ISSUE, **where))).object()
        return to_text({"number": number, "labels": names(issue.get("labels"))})
    # The body is a JSON array of names (ref, issues #9 and labels #6), unlike create/update_issue's comma string.
    reply = await client.request(
        "POST" if action == "add" else "PUT", api_path(ISSUE_LABELS, **where), json=chosen.split(","), hints=hints
    )
    if not isinstance(reply.data, list):  # the reference shows no answer for replace: read the issue to say
        reply = await client.get(api_path(ISSUE, **where))
        return to_text({"number": number, "labels": names(reply.object().get("labels"))})
    return to_text({"number": number, "labels": names(reply.data)})
