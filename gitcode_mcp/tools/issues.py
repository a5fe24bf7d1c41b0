"""Issues: list, read, open, edit, close and reopen them, comment on them and read their comments (one issue's, or a
repository's newest)."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    ISSUE,
    ISSUE_COMMENTS,
    ISSUE_LABELS,
    ISSUES,
    LABELS,
    OWNER_ISSUE,
    OWNER_ISSUES,
    REPO_ISSUE_COMMENTS,
)
from gitcode_mcp.paths import api_path, check_name
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import (
    Number,
    Page,
    PerPage,
    Text,
    Title,
    comma_list,
    get_page,
    gitcode,
    list_page,
    page_of,
    payload,
    whole_list,
)
from gitcode_mcp.tools.labels import create_missing_labels
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, logins, names, state, sub, to_text

issues = Toolset("issues", "Open, read, edit, close and comment on issues", default=True)

DEMO = {"owner": "alice", "repo": "demo"}
ISSUE_1 = {**DEMO, "number": 1}
# Writes take the transitions `close` / `reopen`; `closed` is refused naming both (probe, 2026-07-13; cli `issue close`
# sends `close`: docs/gitcode-behaviour.md, Issues).
STATE_WRITES = {"open": "reopen", "closed": "close"}


def assignee_logins(issue: Obj) -> list[str]:
    return logins(issue.get("assignees")) or logins([issue.get("assignee")])


def milestone(value: object) -> object:
    return value.get("title") or as_int(value.get("number")) if isinstance(value, dict) else value


ISSUE_VIEW = View(
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
# List items leave the body out (get_issue reads it); `issue_state`, a localised label, adds nothing to `state`.
ISSUE_ITEM = View(**{k: v for k, v in ISSUE_VIEW.fields.items() if k != "body"})


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
        f"POST {OWNER_ISSUES}",
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
    """Open an issue; labels, assignees and milestone (number) must exist."""
    reply = await gitcode(ctx).request(
        "POST",
        api_path(OWNER_ISSUES, owner=owner),
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
    return to_text(ISSUE_VIEW(reply.object()))


@issues.read(Example(ISSUE_1, f"GET {ISSUE}"))
async def get_issue(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """Get an issue."""
    reply = await gitcode(ctx).get(api_path(ISSUE, owner=owner, repo=repo, number=number))
    return to_text(ISSUE_VIEW(reply.object()))


@issues.read(
    Example(DEMO, f"GET {ISSUES}"),
    Example({**DEMO, "state": "all", "labels": ["bug"], "sort": "updated", "direction": "asc"}, f"GET {ISSUES}"),
    Example({**DEMO, "state": "all", "text": "NAME", "bodies": True, "per_page": 1}, f"GET {ISSUES}", f"GET {ISSUES}"),
    Example({**DEMO, "state": "all", "all_pages": True}, f"GET {ISSUES}"),
)
async def list_issues(
    owner: str,
    repo: str,
    ctx: Context,
    state: Literal["open", "closed", "all"] = "open",
    labels: list[str] | None = None,
    sort: Literal["created", "updated"] | None = None,
    direction: Literal["asc", "desc"] | None = None,
    text: str | None = None,
    bodies: bool | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
    all_pages: bool | None = None,
) -> str:
    """List issues, newest first; text: filter on title and body (any case); all_pages: up to 1000."""
    query = payload(state=state, labels=comma_list("labels", labels))
    if sort or direction:
        # `sort` names the field (created | updated) and `direction` the order, as the reference documents and the
        # GitCode CLI sends on every `issue list` of its live suite. A probe's `order_by=updated_at&sort=desc` also
        # sorted; it puts a direction where the reference has a field, so it is not sent (docs/gitcode-behaviour.md).
        query |= {"sort": sort or "created", "direction": direction or "desc"}
    return await list_page(
        ctx, ISSUES, ISSUE_ITEM, page, per_page, query, bodies, text, all_pages, owner=owner, repo=repo
    )


@issues.destructive(
    Example({**ISSUE_1, "state": "closed"}, f"GET {ISSUE}", f"PATCH {OWNER_ISSUE}"),
    Example({**ISSUE_1, "labels": []}, f"DELETE {ISSUE_LABELS}", f"GET {ISSUE}"),
    Example(
        {
            **ISSUE_1,
            "title": "Crash on an empty name",
            "body": "b",
            "labels": ["bug"],
            "assignees": ["bob"],
            "milestone": 1,
        },
        f"PATCH {OWNER_ISSUE}",
    ),
    Example(
        {**ISSUE_1, "title": "Crash", "labels": ["bug", "p1"], "create_labels": True},
        f"GET {LABELS}",
        f"POST {LABELS}",
        f"PATCH {OWNER_ISSUE}",
    ),
    idempotent=True,
    asks=lambda a: (
        a.get("labels") is not None or a.get("assignees") is not None
    ),  # only a call that replaces labels or assignees removes
)
async def update_issue(
    owner: str,
    repo: str,
    number: Number,
    ctx: Context,
    title: Title | None = None,
    body: str | None = None,
    state: Literal["open", "closed"] | None = None,
    labels: list[str] | None = None,
    assignees: list[str] | None = None,
    milestone: Number | None = None,
    create_labels: bool | None = None,
) -> str:
    """Edit, close or reopen an issue; labels and assignees replace the old ones ([] clears)."""
    where = {"owner": owner, "repo": repo, "number": number}
    client = gitcode(ctx)
    made = await create_missing_labels(ctx, owner, repo, labels) if create_labels and labels else []
    fields = payload(
        body=body,
        state=STATE_WRITES.get(state or ""),
        labels=comma_list("labels", labels),
        assignee=comma_list("assignees", assignees),  # GitCode reads `assignee`: logins, comma-separated (ref)
        milestone=milestone,
    )
    if labels == []:
        # An empty list clears the labels: GitCode's clear is DELETE .../labels (ref; cli ClearIssueLabels), since a
        # comma list cannot be empty.
        await client.request("DELETE", api_path(ISSUE_LABELS, **where), hints={404: "check the issue number"})
    if not fields and title is None:
        issue = ISSUE_VIEW((await client.get(api_path(ISSUE, **where))).object())
        return to_text(issue if labels == [] else {**issue, "note": "nothing to change was given; this is the issue"})
    if title is None:
        # The owner-scoped PATCH fails on an empty title, so the current one goes with every change, as the GitCode
        # CLI's `issue edit` and `issue close` send it ("preserve the existing title"). The probe that closed an
        # issue with its state alone used the repo-scoped path, not this one (docs/gitcode-behaviour.md, Issues).
        current = (await client.get(api_path(ISSUE, **where))).object().get("title")
        title = current if isinstance(current, str) and current.strip() else None
    hints = {
        422: "a label, assignee or milestone may not exist in the repository, or the title is too long; "
        "retry without the one GitCode names"
    }
    reply = await client.request(
        "PATCH",
        api_path(OWNER_ISSUE, owner=owner, number=number),
        json={"repo": check_name("repo", repo), **payload(title=title), **fields},
        hints=hints,
    )
    issue = drop_empty({**ISSUE_VIEW(reply.object()), "created_labels": made})
    if state and issue.get("state") not in (None, state):
        issue["warning"] = f"asked for {state}, GitCode answered {issue['state']}: read the issue before retrying"
    return to_text(issue)


@issues.write(Example({**ISSUE_1, "body": "I can reproduce this."}, f"POST {ISSUE_COMMENTS}"))
async def create_issue_comment(owner: str, repo: str, number: Number, body: Text, ctx: Context) -> str:
    """Comment on an issue."""
    reply = await gitcode(ctx).request(
        "POST", api_path(ISSUE_COMMENTS, owner=owner, repo=repo, number=number), json={"body": body}
    )
    answer = reply.object()
    return to_text(
        drop_empty({"id": as_int(answer.get("id")), "issue": number, "created_at": answer.get("created_at")})
    )


def issue_number(c: Obj) -> Any:
    """The issue a comment belongs to: `target.issue.number` (probe; the ref's examples spell it `nubmer`)."""
    target = sub(sub(c, "target"), "issue")
    return as_int(target.get("number", target.get("nubmer")))


def edited_at(c: Obj) -> Any:
    return c.get("updated_at") if c.get("updated_at") not in (None, c.get("created_at")) else None


COMMENT_VIEW = View(
    id=at("id", as_int),
    issue=issue_number,
    author=at("user", login),
    body="body",
    created_at="created_at",
    updated_at=edited_at,
)


@issues.read(
    Example(ISSUE_1, f"GET {ISSUE_COMMENTS}"),
    Example({**DEMO, "per_page": 50}, f"GET {REPO_ISSUE_COMMENTS}"),
    Example({**ISSUE_1, "all_pages": True}, f"GET {ISSUE_COMMENTS}"),
)
async def list_issue_comments(
    owner: str,
    repo: str,
    ctx: Context,
    number: Number | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
    all_pages: bool | None = None,
) -> str:
    """List an issue's comments (no number: the repo's newest); all_pages: up to 1000."""
    if number is None:
        # Across a repository, recent comments are what an agent looks for: newest first. ref: this list orders by
        # `sort` (created | updated) and `direction`, which is ignored without `sort`.
        query = {"sort": "created", "direction": "desc"}
        return await get_page(
            ctx, REPO_ISSUE_COMMENTS, COMMENT_VIEW, page, per_page, query, all_pages, owner=owner, repo=repo
        )
    # One issue's comments in the order of the conversation (ref: `order`, asc by default).
    where = api_path(ISSUE_COMMENTS, owner=owner, repo=repo, number=number)

    def shaped(raws: list[Any]) -> list[Obj]:
        return [{k: v for k, v in COMMENT_VIEW(c).items() if k != "issue"} for c in raws]

    if all_pages:
        return await whole_list(ctx, where, {}, page, shaped)
    reply = await gitcode(ctx).get(where, {"page": page, "per_page": per_page})
    return page_of(reply, shaped(reply.items()), page, per_page)
