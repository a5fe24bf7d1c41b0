"""Issues: open one."""

from __future__ import annotations

from mcp.server.mcpserver import Context

from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Title, comma_list, gitcode, payload
from gitcode_mcp.views import Obj, View, as_int, at, login, logins, names, state, to_text

issues = Toolset("issues", "Open issues", default=True)

# The documented form (ref; probe 2026-03: it worked): the owner in the path, `repo` in the body. The seed's
# repo-scoped path with `assignees` is not what GitCode reads (11-live-behaviour.md, Issues).
CREATE = "repos/{owner}/issues"


def assignee_logins(issue: Obj) -> list[str]:
    return logins(issue.get("assignees")) or logins([issue.get("assignee")])


def milestone(value: object) -> object:
    return value.get("title") or as_int(value.get("number")) if isinstance(value, dict) else value


ISSUE = View(
    number=at("number", as_int),
    title="title",
    state=at("state", state),
    author=at("user", login),
    labels=at("labels", names),
    assignees=assignee_logins,
    milestone=at("milestone", milestone),
    comments=at("comments", as_int),
    created_at="created_at",
    updated_at="updated_at",
    closed_at=lambda i: i.get("closed_at") or i.get("finished_at"),
    url="html_url",
    body="body",
)


@issues.write(
    Example(
        {
            "owner": "alice",
            "repo": "demo",
            "title": "Crash on start",
            "body": "Steps: run it.",
            "labels": ["bug"],
            "assignees": ["bob"],
        },
        f"POST {CREATE}",
    ),
)
async def create_issue(
    owner: str,
    repo: str,
    title: Title,
    body: str,
    ctx: Context,
    labels: list[str] | None = None,
    assignees: list[str] | None = None,
    milestone: Number | None = None,
) -> str:
    """Open an issue; labels, assignees and the milestone (by number) must exist in the repository."""
    reply = await gitcode(ctx).request(
        "POST",
        api_path(CREATE, owner=owner),
        json=payload(
            repo=check_name("repo", repo),
            title=title,
            body=body,
            labels=comma_list("labels", labels),
            assignee=comma_list("assignees", assignees),  # GitCode reads `assignee`: logins, comma-separated (ref)
            milestone=milestone,
        ),
        hints={
            422: "a label, assignee or milestone may not exist in the repository, or the title is too long; "
            "retry without the one GitCode names"
        },
    )
    return to_text(ISSUE(reply.object()))
