"""Commits: list and read them, their diffs and patches, compare two refs, comment on commits, and code contribution
per branch. Shapes and parameters from GitCode's reference pages ("Commit"); where those and the gitcode-api package
differ, the reference is followed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, Literal

from mcp.server.mcpserver import Context
from mcp_types import TextContent

from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, get_page, gitcode, payload
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, sub, to_text

commits = Toolset("commits", "Read commits, diffs and comparisons; comment on commits")

COMMITS = "repos/{owner}/{repo}/commits"
COMMIT = "repos/{owner}/{repo}/commits/{sha}"
DIFF = "repos/{owner}/{repo}/commit/{sha}/diff"
PATCH = "repos/{owner}/{repo}/commit/{sha}/patch"
COMPARE = "repos/{owner}/{repo}/compare/{base}...{head}"
COMMENTS = "repos/{owner}/{repo}/comments"
COMMENT = "repos/{owner}/{repo}/comments/{comment_id}"
COMMIT_COMMENTS = "repos/{owner}/{repo}/commits/{sha}/comments"
REF_COMMENTS = "repos/{owner}/{repo}/commits/{ref}/comments"
# The one operation of this area without `repos/` (ref, "Get Code Contribution").
STATISTICS = "{owner}/{repo}/repository/commit_statistics"

DEMO = {"owner": "alice", "repo": "demo"}
# In the simulator's seeded alice/demo: the head commits of main and docs, and bob's comment on the latter.
MAIN_SHA = "ea658fdc452b8f8da570e3a36d51bfe44e0eed41"
DOCS_SHA = "7949bad67c3fbbe5e6212fcb9afa98a1c7505cb0"
SEEDED_COMMENT = 8_700_001
MAX_DIFF_CHARS = 200_000
MAX_PATCH_CHARS = 256 * 1024
_SHA = re.compile(r"[0-9a-f]{7,40}")


def _message(c: Obj) -> str:
    return str(sub(c, "commit").get("message") or c.get("message") or "").strip()


def _author(c: Obj) -> Any:
    return login(c.get("author")) or sub(sub(c, "commit"), "author").get("name")


COMMIT_ITEM = View(
    sha="sha",
    title=lambda c: _message(c).split("\n", 1)[0],
    author=_author,
    date=lambda c: sub(sub(c, "commit"), "author").get("date"),
)
COMMIT_VIEW = View(
    sha="sha",
    message=_message,
    author=_author,
    date=lambda c: sub(sub(c, "commit"), "author").get("date"),
    parents=lambda c: [p.get("sha") for p in c.get("parents") or [] if isinstance(p, dict)],
    additions=lambda c: as_int(sub(c, "stats").get("additions")),
    deletions=lambda c: as_int(sub(c, "stats").get("deletions")),
    files=lambda c: [f.get("filename") for f in c.get("files") or [] if isinstance(f, dict)],
    url="html_url",
)
CHANGED_FILE = View(
    path="filename",
    status="status",
    additions=at("additions", as_int),
    deletions=at("deletions", as_int),
    patch="patch",
)
COMMENT_VIEW = View(
    id=at("id", as_int),
    sha="commit_id",
    author=at("user", login),
    body="body",
    created_at="created_at",
)
CONTRIBUTION = View(
    author="user_name",
    commits=at("commit_count", as_int),
    additions=at("add_lines", as_int),
    deletions=at("delete_lines", as_int),
)


def _moment(value: datetime | None) -> str | None:
    """GitCode's time format (ref: 2024-11-08T16:25:44Z); a time without a zone is read as UTC."""
    if value is None:
        return None
    return (value.astimezone(UTC) if value.tzinfo else value).strftime("%Y-%m-%dT%H:%M:%SZ")


@commits.read(
    Example(DEMO, f"GET {COMMITS}"),
    Example(
        {**DEMO, "ref": "feature", "path": "src", "author": "alice", "since": "2020-01-01T00:00:00Z", "per_page": 5},
        f"GET {COMMITS}",
    ),
)
async def list_commits(
    owner: str,
    repo: str,
    ctx: Context,
    ref: str | None = None,
    path: str | None = None,
    author: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List commits, newest first, from ref (else the default branch)."""
    query = {"sha": ref, "path": path, "author": author, "since": _moment(since), "until": _moment(until)}
    return await get_page(ctx, COMMITS, COMMIT_ITEM, page, per_page, query, owner=owner, repo=repo)


def _compact(text: str, patch: bool) -> tuple[str, bool]:
    """The diff without what an agent cannot use: `index <blob>..<blob>` lines and a patch's trailing Git version
    signature (the text still applies with `git apply` / `git am`), cut at MAX_DIFF_CHARS."""
    lines, header = [], False
    for line in text.rstrip("\n").splitlines(keepends=True):
        header = line.startswith("diff --git ") or (header and not line.startswith(("--- ", "@@", "Binary files")))
        if not (header and line.startswith("index ")):
            lines.append(line)
    if patch and len(lines) >= 2 and lines[-2].rstrip("\n") in ("--", "-- "):
        lines = lines[:-2]
    out = "".join(lines).rstrip("\n") + "\n"
    return (out, False) if len(out) <= MAX_DIFF_CHARS else (out[:MAX_DIFF_CHARS], True)


@commits.read(
    Example({**DEMO, "ref": "main"}, f"GET {COMMIT}"),
    Example({**DEMO, "ref": MAIN_SHA, "format": "diff"}, f"GET {DIFF}"),
    Example({**DEMO, "ref": "feature", "format": "patch"}, f"GET {COMMIT}", f"GET {PATCH}"),
)
async def get_commit(
    owner: str, repo: str, ref: str, ctx: Context, format: Literal["diff", "patch"] | None = None
) -> list[TextContent]:
    """Get a commit (message, parents, line counts, files), or its diff or patch text."""
    client = gitcode(ctx)
    where = {"owner": owner, "repo": repo}
    if format is None or not _SHA.fullmatch(ref):
        # ref: `files` only with show_diff=true (up to 100 names); this read takes a sha or a branch name.
        reply = await client.get(api_path(COMMIT, sha=ref, **where), {"show_diff": "true"} if format is None else None)
        commit = reply.object()
        if format is None:
            return [TextContent(type="text", text=to_text(COMMIT_VIEW(commit)))]
        # The diff and patch reads take a commit sha (ref): a branch or tag is resolved to its head first.
        ref = str(commit.get("sha") or ref)
    # ref: both answer text, not JSON.
    reply = await client.get(api_path(PATCH if format == "patch" else DIFF, sha=ref, **where), raw=True)
    raw = reply.data if isinstance(reply.data, bytes) else b""
    text, cut = _compact(raw.decode("utf-8", errors="replace"), format == "patch")
    if not cut:
        return [TextContent(type="text", text=text)]
    note = {"sha": ref, "truncated": f"the first {MAX_DIFF_CHARS} of {len(raw)} bytes; compare_commits lists the files"}
    return [TextContent(type="text", text=to_text(note)), TextContent(type="text", text=text)]


@commits.read(
    Example({**DEMO, "base": "main", "head": "feature"}, f"GET {COMPARE}"),
    Example({**DEMO, "base": "main", "head": "docs"}, f"GET {COMPARE}"),
)
async def compare_commits(owner: str, repo: str, base: str, head: str, ctx: Context) -> str:
    """Compare base...head: head's commits since the merge base, and changed files."""
    reply = await gitcode(ctx).get(api_path(COMPARE, owner=owner, repo=repo, base=base, head=head))
    answer = reply.object()
    files = CHANGED_FILE.many(answer.get("files") or [])
    budget, cut = MAX_PATCH_CHARS, 0
    for f in files:
        size = len(f.get("patch", ""))
        if size > budget:
            f.pop("patch")
            cut += 1
        budget -= min(size, budget)
    result: Obj = drop_empty({"merge_base": sub(answer, "merge_base_commit").get("sha")})
    result |= {"commits": COMMIT_ITEM.many(answer.get("commits") or []), "files": files}
    if cut:
        result["note"] = f"{cut} patches left out to keep this answer small; read them with get_commit (format=diff)"
    return to_text(result)


@commits.read(
    Example(DEMO, f"GET {COMMENTS}"),
    Example({**DEMO, "sha": DOCS_SHA, "per_page": 5}, f"GET {REF_COMMENTS}"),
    Example({**DEMO, "comment_id": SEEDED_COMMENT}, f"GET {COMMENT}"),
)
async def list_commit_comments(
    owner: str,
    repo: str,
    ctx: Context,
    sha: str | None = None,
    comment_id: Number | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
) -> str:
    """List commit comments: all, one commit's (sha), or one by comment_id."""
    if comment_id is not None:
        if sha is not None:
            raise InvalidArgument("comment_id", "give sha or comment_id, not both")
        reply = await gitcode(ctx).get(api_path(COMMENT, owner=owner, repo=repo, comment_id=comment_id))
        return to_text(COMMENT_VIEW(reply.object()))
    if sha is not None:
        return await get_page(ctx, REF_COMMENTS, COMMENT_VIEW, page, per_page, owner=owner, repo=repo, ref=sha)
    return await get_page(ctx, COMMENTS, COMMENT_VIEW, page, per_page, owner=owner, repo=repo)


@commits.write(
    Example({**DEMO, "sha": MAIN_SHA, "body": "Looks good."}, f"POST {COMMIT_COMMENTS}", f"GET {REF_COMMENTS}")
)
async def create_commit_comment(owner: str, repo: str, sha: str, body: Text, ctx: Context) -> str:
    """Comment on a commit; answers the comment's id."""
    client = gitcode(ctx)
    reply = await client.request(
        "POST",
        api_path(COMMIT_COMMENTS, owner=owner, repo=repo, sha=sha),
        json={"body": body},
        hints={404: "check owner, repo and the commit sha"},
    )
    made = reply.object()
    # ref: the create answer's `id` is a string; update and delete take the integer id the commit's comments carry.
    if isinstance(made.get("id"), int):
        return to_text({"id": made["id"], "sha": sha})
    where = {"owner": owner, "repo": repo, "ref": sha}
    for number in range(1, 11):
        listed = await client.get(api_path(REF_COMMENTS, **where), {"page": number, "per_page": 100})
        items = [c for c in listed.items() if isinstance(c, dict)]
        for c in reversed(items):
            if c.get("body") == body and c.get("created_at") == made.get("created_at", c.get("created_at")):
                return to_text({"id": as_int(c.get("id")), "sha": sha})
        if not listed.has_more(number, 100, len(items)):
            break
    return to_text({"sha": sha, "warning": "posted, but not found among the commit's comments; do not post it again"})


@commits.write(
    Example({**DEMO, "comment_id": SEEDED_COMMENT, "body": "Yes, add it."}, f"PATCH {COMMENT}"), idempotent=True
)
async def update_commit_comment(owner: str, repo: str, comment_id: Number, body: Text, ctx: Context) -> str:
    """Edit a commit comment's text."""
    reply = await gitcode(ctx).request(
        "PATCH",
        api_path(COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        json={"body": body},
        hints={403: "only its author or the repository's owner may edit it"},
    )
    return to_text(COMMENT_VIEW(reply.object()))


@commits.destructive(Example({**DEMO, "comment_id": SEEDED_COMMENT}, f"DELETE {COMMENT}"))
async def delete_commit_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Delete a commit comment; cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        hints={403: "only its author or the repository's owner may delete it"},
    )
    return to_text({"deleted": comment_id})


@commits.read(
    Example({**DEMO, "branch": "main"}, f"GET {STATISTICS}"),
    Example({**DEMO, "branch": "feature", "since": "2020-01-01", "until": "2030-12-31"}, f"GET {STATISTICS}"),
)
async def get_commit_statistics(
    owner: str,
    repo: str,
    branch: str,
    ctx: Context,
    since: date | None = None,
    until: date | None = None,
) -> str:
    """Commits and lines added/deleted per author on a branch."""
    # The answer has a row per author, so the `author` filter is left out.
    query = payload(branch_name=branch, since=since and since.isoformat(), until=until and until.isoformat())
    reply = await gitcode(ctx).get(api_path(STATISTICS, owner=owner, repo=repo), query)
    rows = reply.object().get("statistics")
    return to_text(CONTRIBUTION.many(rows if isinstance(rows, list) else []))
