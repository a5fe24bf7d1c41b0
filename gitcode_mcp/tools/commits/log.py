"""Commits read: a branch's log (with each commit's changed files), one commit with its diff or patch, two refs
compared, and code contribution per branch."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, Literal

from mcp.server.mcpserver import Context
from mcp_types import TextContent

from gitcode_mcp.endpoints import (
    COMMIT,
    COMMIT_DIFF,
    COMMIT_PATCH,
    COMMITS,
    COMPARE,
    REPO_COMMIT_STATISTICS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import NAME_PATTERN, api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import Page, PerPage, gitcode, payload, whole_list
from gitcode_mcp.tools.commits import DEMO, MAIN_SHA, commits
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, sub, to_text

MAX_DIFF_CHARS = 200_000
MAX_PATCH_CHARS = 256 * 1024
_SHA = re.compile(r"[0-9a-f]{7,40}")


def _message(c: Obj) -> str:
    return str(sub(c, "commit").get("message") or c.get("message") or "").strip()


def _author(c: Obj) -> Any:
    return login(c.get("author")) or sub(sub(c, "commit"), "author").get("name")


# A login is GitCode's namespace rule; the reference's commit list example shows the account as "login(nickname)"
# (docs/gitcode-behaviour.md, Commits).
_LOGIN_WITH_NICKNAME = re.compile(rf"({NAME_PATTERN})\(.*\)")


def account_login(user: Any) -> str | None:
    """The login of the GitCode account GitCode links a commit's email to (none: the email is no account's)."""
    name = login(user)
    if name and (match := _LOGIN_WITH_NICKNAME.fullmatch(name)):
        return match.group(1)
    return name


def git_author(c: Obj) -> Obj:
    """Git's author (name and email, as the commit records them) and the account's login, kept apart: a login
    appears only where GitCode links the email to an account."""
    who = sub(sub(c, "commit"), "author")
    return drop_empty({"name": who.get("name"), "email": who.get("email"), "login": account_login(c.get("author"))})


def parent_shas(c: Obj) -> list[str]:
    """Parents as the commits API lists them (objects), or as a PR's commit list does (`{"sha", "shas"}`)."""
    parents = c.get("parents")
    if isinstance(parents, dict):
        parents = parents.get("shas") or [parents.get("sha")]
    found = (p.get("sha") if isinstance(p, dict) else p for p in parents if p) if isinstance(parents, list) else ()
    return [str(sha) for sha in found if sha]


def _committed(c: Obj) -> Any:
    """The commit date, where it is not the author date (a rebase, a merge)."""
    inner = sub(c, "commit")
    committed = sub(inner, "committer").get("date")
    return committed if committed != sub(inner, "author").get("date") else None


def commit_title(c: Obj) -> str:
    return _message(c).split("\n", 1)[0]


# A longer message is cut in lists, saying so (get_commit has it whole); a commit message rarely runs this long.
MAX_LISTED_MESSAGE = 2000


def _listed_message(c: Obj) -> str:
    message = _message(c)
    if len(message) <= MAX_LISTED_MESSAGE:
        return message
    return message[:MAX_LISTED_MESSAGE] + f"… ({len(message)} characters; get_commit has it all)"


COMMIT_ITEM = View(
    sha="sha",
    title=commit_title,
    author=_author,
    date=lambda c: sub(sub(c, "commit"), "author").get("date"),
)
# A commit as list_commits shows it: its message (trailers such as Co-authored-by and "Fixes #N" included), parents
# (two or more: a merge), git's author and the GitCode login apart, and the dates as GitCode gives them, with their
# offsets.
LOG_ITEM = View(
    sha="sha",
    message=_listed_message,
    parents=parent_shas,
    author=git_author,
    date=lambda c: sub(sub(c, "commit"), "author").get("date"),
    committed_at=_committed,
)
COMMIT_VIEW = View(
    sha="sha",
    message=_message,
    author=git_author,
    date=lambda c: sub(sub(c, "commit"), "author").get("date"),
    committed_at=_committed,
    parents=parent_shas,
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


# The changed files list_commits fetches for each commit: at most this many commits a call (GitCode's rate limit is
# reported as 50 requests a minute), each commit's files as GitCode lists them (ref: at most 100 with show_diff).
MAX_FILE_READS = 30
MAX_COMMIT_FILES = 100
COMMIT_FILE = View(
    path="filename",
    status="status",
    additions=at("additions", as_int),
    deletions=at("deletions", as_int),
)


def _log_items(raws: list[Any]) -> list[Obj]:
    return LOG_ITEM.many([c for c in raws if isinstance(c, dict)])


async def commit_files(ctx: Context, where: dict[str, str], sha: str) -> list[Obj]:
    """A commit's changed files (ref: `files` only with show_diff=true)."""
    reply = await gitcode(ctx).get(api_path(COMMIT, sha=sha, **where), {"show_diff": "true"})
    files = reply.object().get("files")
    return COMMIT_FILE.many(files if isinstance(files, list) else [])


@commits.read(
    Example(DEMO, f"GET {COMMITS}"),
    Example(
        {**DEMO, "ref": "feature", "path": "src", "author": "alice", "since": "2020-01-01T00:00:00Z", "per_page": 5},
        f"GET {COMMITS}",
    ),
    Example({**DEMO, "ref": "feature", "files": True}, f"GET {COMMITS}", f"GET {COMMIT}"),
    Example({**DEMO, "all_pages": True}, f"GET {COMMITS}"),
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
    files: bool | None = None,
    page: Page = 1,
    per_page: PerPage = 20,
    all_pages: bool | None = None,
) -> str:
    """List commits, newest first: messages, parents, authors; files: what each changed; all_pages: up to 1000."""
    query = {"sha": ref, "path": path, "author": author, "since": _moment(since), "until": _moment(until)}
    where = {"owner": owner, "repo": repo}
    if all_pages:
        if files:
            # Each commit's files is a request of its own: at most MAX_FILE_READS a call, never a whole history's.
            raise InvalidArgument(
                "files", f"is read for at most {MAX_FILE_READS} commits a call; drop all_pages or files"
            )
        return await whole_list(ctx, api_path(COMMITS, **where), query, page, _log_items)
    reply = await gitcode(ctx).get(api_path(COMMITS, **where), {**query, "page": page, "per_page": per_page})
    listed = [c for c in reply.items() if isinstance(c, dict)]
    items = LOG_ITEM.many(listed)
    result: Obj = {"page": page, "has_more": reply.has_more(page, per_page, len(listed)), "items": items}
    if files:
        wanted = [item for item in items if item.get("sha")][:MAX_FILE_READS]
        for done, item in enumerate(wanted):
            item["files"] = await commit_files(ctx, where, item["sha"])
            if len(item["files"]) >= MAX_COMMIT_FILES:
                item["files_cut"] = f"GitCode lists at most {MAX_COMMIT_FILES}; get_commit (format=diff) has them all"
            await ctx.report_progress(done + 1, len(wanted), f"changed files of {item['sha'][:12]}")
        if len(items) > len(wanted):
            result["note"] = (
                f"files fetched for the first {len(wanted)} commits only; ask for the rest with a smaller per_page "
                "or the next page"
            )
    return to_text(result)


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
    Example({**DEMO, "ref": MAIN_SHA, "format": "diff"}, f"GET {COMMIT_DIFF}"),
    Example({**DEMO, "ref": "feature", "format": "patch"}, f"GET {COMMIT}", f"GET {COMMIT_PATCH}"),
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
    reply = await client.get(api_path(COMMIT_PATCH if format == "patch" else COMMIT_DIFF, sha=ref, **where), raw=True)
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
    Example({**DEMO, "branch": "main"}, f"GET {REPO_COMMIT_STATISTICS}"),
    Example(
        {**DEMO, "branch": "feature", "since": "2020-01-01", "until": "2030-12-31"}, f"GET {REPO_COMMIT_STATISTICS}"
    ),
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
    reply = await gitcode(ctx).get(api_path(REPO_COMMIT_STATISTICS, owner=owner, repo=repo), query)
    rows = reply.object().get("statistics")
    return to_text(CONTRIBUTION.many(rows if isinstance(rows, list) else []))
