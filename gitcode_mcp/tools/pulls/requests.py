"""Pull requests: list (and search) them, open one, read one, edit, close or reopen it."""

from __future__ import annotations

from typing import Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    LABELS,
    PULL,
    PULLS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, Title, comma_list, gitcode, list_page, payload
from gitcode_mcp.tools.labels import create_missing_labels
from gitcode_mcp.tools.pulls import DEMO, PR_1, PR_2, pulls
from gitcode_mcp.tools.pulls.views import NAME, PR_ITEM, PR_UPDATED, PULL_REQUEST
from gitcode_mcp.views import drop_empty, to_text

Sort = Literal["created", "updated"]
Direction = Literal["asc", "desc"]


@pulls.read(
    Example(DEMO, f"GET {PULLS}"),
    Example(
        {**DEMO, "state": "all", "base": "main", "author": "alice", "sort": "updated", "direction": "asc"},
        f"GET {PULLS}",
    ),
    Example({**DEMO, "text": "type hints", "bodies": True}, f"GET {PULLS}"),
    Example({**DEMO, "state": "all", "all_pages": True}, f"GET {PULLS}"),
)
async def list_pull_requests(
    owner: str,
    repo: str,
    ctx: Context,
    state: Literal["open", "closed", "merged", "all"] = "open",
    base: str | None = None,
    author: str | None = None,
    sort: Sort | None = None,
    direction: Direction | None = None,
    text: str | None = None,
    bodies: bool | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
    all_pages: bool | None = None,
) -> str:
    """List pull requests, newest first; text: filter on title and body (any case); all_pages: up to 1000."""
    query = payload(state=state, base=base, author=author)
    # PR lists sort by `order_by` + `direction`; `sort=desc` answers 400 "direction is required" (probe,
    # urandon/gitcode-mcp 2026-06-28; docs/gitcode-behaviour.md, Pull requests). `direction` goes with every order.
    if sort or direction:
        query |= {"order_by": f"{sort or 'created'}_at", "direction": direction or "desc"}
    return await list_page(ctx, PULLS, PR_ITEM, page, per_page, query, bodies, text, all_pages, owner=owner, repo=repo)


@pulls.read(Example(PR_1, f"GET {PULL}"))
async def get_pull_request(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """Get a pull request: state, refs, reviewers, approvals, why it cannot merge."""
    reply = await gitcode(ctx).get(api_path(PULL, owner=owner, repo=repo, number=number))
    return to_text(PULL_REQUEST(reply.object()))


@pulls.write(
    Example({**DEMO, "title": "Fix the README", "head": "bob:fix-readme", "base": "main"}, f"POST {PULLS}"),
    Example(
        {
            **DEMO,
            "title": "Docs on the feature",
            "head": "docs",
            "base": "feature",
            "body": "Rebases the docs.",
            "draft": True,
        },
        f"POST {PULLS}",
    ),
    Example(
        {**DEMO, "title": "Docs", "head": "docs", "base": "feature", "labels": ["docs"], "reviewers": ["bob"]}
        | {"create_labels": True},
        f"GET {LABELS}",
        f"POST {LABELS}",
        f"POST {PULLS}",
    ),
)
async def create_pull_request(
    owner: str,
    repo: str,
    title: Title,
    head: Text,
    base: Text,
    ctx: Context,
    body: str | None = None,
    draft: bool | None = None,
    labels: list[str] | None = None,
    reviewers: list[str] | None = None,
    create_labels: bool | None = None,
) -> str:
    """Open a pull request; head is a branch, or user:branch from a fork."""
    if ":" in head:
        # A fork's branch goes as `owner/repo:branch`, no `fork_path`: GitCode resolves `fork_path` to the upstream's
        # branch of that name (or answers 403), and no longer resolves `owner:branch` (cli #259 and #495, which its
        # live runs found; docs/gitcode-behaviour.md, Pull requests). `user:branch` means the fork named like this one.
        source, branch = head.split(":", 1)
        user, _, fork = source.partition("/")
        if not NAME.fullmatch(user) or (fork and not NAME.fullmatch(fork)) or not branch.strip():
            raise InvalidArgument("head", f"{head[:60]!r}: give a branch, or user:branch for a branch in user's fork")
        head = branch if (user, fork or repo) == (owner, repo) else f"{user}/{fork or repo}:{branch}"
    made = await create_missing_labels(ctx, owner, repo, labels) if create_labels and labels else []
    reply = await gitcode(ctx).request(
        "POST",
        api_path(PULLS, owner=owner, repo=repo),
        # ref (create PR page): `labels` and the reviewers' logins as `assignees`, each one comma-separated string
        # (docs/gitcode-behaviour.md, Pull requests).
        json=payload(
            title=title,
            head=head,
            base=base,
            body=body,
            draft=draft,
            labels=comma_list("labels", labels),
            assignees=comma_list("reviewers", reviewers),
        ),
        hints={
            400: "head and base must be different existing branches (a fork's branch as user:branch)",
            404: "check owner and repo; user:branch needs user's fork named like this one (else user/fork:branch)",
            409: "a pull request from this head into this base is open already: find it with list_pull_requests",
            422: "a label or reviewer may not exist: create_labels=true makes missing labels",
        },
    )
    pr = PULL_REQUEST(reply.object())
    pr.pop("body", None)
    pr = drop_empty({**pr, "created_labels": made})
    # ref: the reviewers given are ignored where the repository's review settings assign reviewers themselves.
    if left_out := [n for n in reviewers or () if n.strip() and n.strip() not in pr.get("reviewers", [])]:
        pr["warning"] = (
            f"GitCode did not make {', '.join(left_out)} reviewers (the repository's review settings may choose "
            "them); set_pull_request_reviewers action=add adds them"
        )
    return to_text(pr)


@pulls.destructive(
    Example({**PR_1, "title": "Type hints, and a main()", "state": "closed"}, f"PATCH {PULL}", f"GET {PULL}"),
    Example({**PR_2, "state": "closed"}, f"GET {PULL}", f"PATCH {PULL}", f"GET {PULL}"),
    Example({**PR_2, "body": "Renames the guide.", "labels": ["bug"], "draft": True}, f"PATCH {PULL}"),
    Example({**PR_2, "labels": []}, f"PATCH {PULL}"),
    idempotent=True,
    asks=lambda a: a.get("labels") is not None,  # only a call that replaces labels removes
)
async def update_pull_request(
    owner: str,
    repo: str,
    number: Number,
    ctx: Context,
    title: Title | None = None,
    body: str | None = None,
    state: Literal["open", "closed"] | None = None,
    labels: list[str] | None = None,
    draft: bool | None = None,
) -> str:
    """Edit, close or reopen a pull request; labels replace the old ones ([] clears)."""
    where = {"owner": owner, "repo": repo, "number": number}
    client = gitcode(ctx)
    fields = payload(
        title=title,
        body=body,
        state=state,  # `closed` / `open`, the states it reads back: see below
        # A lone comma is GitCode's empty list: an empty `labels` is refused as missing (cli api/queries_pr.go,
        # which its live `pr edit --replace-labels ""` runs; docs/gitcode-behaviour.md, Pull requests).
        labels="," if labels == [] else comma_list("labels", labels),
        draft=draft,
    )
    if not fields:
        pr = PR_UPDATED((await client.get(api_path(PULL, **where))).object())
        return to_text({"number": number, **pr, "note": "nothing to change was given; this is the pull request"})
    if state and title is None:
        # The GitCode CLI's `pr close` / `pr reopen` (run live) send the PR's current title with the state.
        current = (await client.get(api_path(PULL, **where))).object().get("title")
        if isinstance(current, str) and current.strip():
            fields = {"title": current, **fields}
    reply = await client.request(
        "PATCH",
        api_path(PULL, **where),
        json=fields,
        hints={
            400: "a merged pull request cannot be closed or reopened; otherwise check the values",
            422: "a label may not exist, or the title is too long; retry without it",
        },
    )
    result = {"number": number, **PR_UPDATED(reply.object())}
    if state:
        # Closing or reopening sends `state: "closed"` / `"open"` and reads the PR back to confirm, as the GitCode
        # CLI does (its live write suite closes every PR it opens); no source shows the issue words close/reopen
        # for a PR (docs/gitcode-behaviour.md, Pull requests).
        now = PR_UPDATED((await client.get(api_path(PULL, **where))).object()).get("state")
        result["state"] = now
        if now != state:
            result["warning"] = f"asked for {state}, GitCode reports {now}: the change did not take"
    return to_text(result)
