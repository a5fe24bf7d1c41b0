"""Commits: list and read them (with their changed files), their trees and blobs, diffs and patches; find the
commits that added or removed a text; compare two refs, comment on commits, and code contribution per branch. Shapes
and parameters from GitCode's reference pages ("Commit", "Repositories" for trees and blobs); where those and the
gitcode-api package differ, the reference is followed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any, Literal

from mcp.server.mcpserver import Context
from mcp_types import TextContent

from gitcode_mcp.endpoints import (
    BLOB,
    COMMIT,
    COMMIT_COMMENT,
    COMMIT_COMMENTS,
    COMMIT_DIFF,
    COMMIT_PATCH,
    COMMITS,
    COMPARE,
    REPO_COMMIT_COMMENTS,
    REPO_COMMIT_STATISTICS,
    TREE,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import NAME_PATTERN, api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, Page, PerPage, Text, get_page, gitcode, page_of, payload, settings
from gitcode_mcp.tools.contents import README_SHA, decode_file, file_answer
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, sub, to_text

commits = Toolset(
    "commits", "Read commits, their trees and blobs, diffs and comparisons; search history; comment on commits"
)

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


def _title(c: Obj) -> str:
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
    title=_title,
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
TREE_ENTRY = View(path="path", type="type", sha="sha")
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
) -> str:
    """List commits, newest first: messages, parents, authors; files: what each changed."""
    query = {"sha": ref, "path": path, "author": author, "since": _moment(since), "until": _moment(until)}
    where = {"owner": owner, "repo": repo}
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


# GitCode pages trees (ref #1: page, per_page up to 100, default 20). Entries are small and a layout is wanted
# whole, so every page here is the largest one and only `page` is the agent's to choose (one argument fewer in the
# schema every agent reads on every turn). A subtree is read by its tree sha, which the entries carry.
TREE_PAGE = 100


@commits.read(
    Example({**DEMO, "sha": "feature", "recursive": True}, f"GET {TREE}"),
    Example({**DEMO, "sha": "main", "page": 2}, f"GET {TREE}"),
)
async def get_tree(
    owner: str,
    repo: str,
    sha: str,
    ctx: Context,
    recursive: bool | None = None,
    page: Page = 1,
) -> str:
    """List a tree's paths and shas; sha is a branch, commit or tree sha."""
    query = {"recursive": 1 if recursive else None, "page": page, "per_page": TREE_PAGE}
    reply = await gitcode(ctx).get(api_path(TREE, owner=owner, repo=repo, sha=sha), query)
    entries = reply.object().get("tree")
    items = TREE_ENTRY.many(entries if isinstance(entries, list) else [])
    return page_of(reply, items, page, TREE_PAGE)


@commits.read(Example({**DEMO, "sha": README_SHA}, f"GET {BLOB}"))
async def get_blob(owner: str, repo: str, sha: str, ctx: Context) -> list[TextContent]:
    """Read a file by its blob sha."""
    reply = await gitcode(ctx).get(api_path(BLOB, owner=owner, repo=repo, sha=sha))
    data = reply.object()
    text, size = decode_file(data)
    return file_answer({"sha": data.get("sha") or sha, "size": size}, text, settings(ctx).raw_content)


# Commits find_text_in_history reads a diff of, each call: GitCode has no search over history (its reference
# searches repositories, issues and users only; blame is a web page), so each commit's diff is read
# (docs/gitcode-behaviour.md, Commits).
MAX_SCAN = 50
MAX_LINES_SHOWN = 10
_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def _diff_path(line: str) -> str | None:
    name = line[4:].rstrip("\t\n")
    return None if name == "/dev/null" else name[2:] if name[:2] in ("a/", "b/") else name


def text_changes(diff: str, text: str, path: str | None) -> tuple[list[Obj], list[Obj]]:
    """The lines of a unified diff that add and that remove `text`, each with its file and its line number (in the
    new version for an added line, the old one for a removed line); only files at or under `path` when given."""
    added: list[Obj] = []
    removed: list[Obj] = []
    old_path = new_path = None
    old_no = new_no = 0
    in_hunk = False  # a removed line "-- x" inside a hunk is no "--- " header
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            old_path = new_path = None
            in_hunk = False
        elif not in_hunk and line.startswith("--- "):
            old_path = _diff_path(line)
        elif not in_hunk and line.startswith("+++ "):
            new_path = _diff_path(line)
        elif match := _HUNK.match(line):
            old_no, new_no = int(match.group(1)), int(match.group(2))
            in_hunk = True
        elif in_hunk and line[:1] in ("+", "-", " "):
            file = new_path or old_path or ""
            inside = path is None or file == path or file.startswith(path.rstrip("/") + "/")
            if line[0] == "+" and inside and text in line[1:]:
                added.append({"path": file, "line": new_no, "text": line[1:201]})
            elif line[0] == "-" and inside and text in line[1:]:
                removed.append({"path": old_path or file, "line": old_no, "text": line[1:201]})
            old_no += line[0] != "+"
            new_no += line[0] != "-"
    return added, removed


def _shown(lines: list[Obj]) -> list[Obj]:
    return lines[:MAX_LINES_SHOWN] + ([{"more": len(lines) - MAX_LINES_SHOWN}] if len(lines) > MAX_LINES_SHOWN else [])


@commits.read(
    Example({**DEMO, "text": "def main", "ref": "feature"}, f"GET {COMMITS}", f"GET {COMMIT_DIFF}"),
    Example({**DEMO, "text": "hello", "path": "src/app.py", "page": 1}, f"GET {COMMITS}", f"GET {COMMIT_DIFF}"),
)
async def find_text_in_history(
    owner: str, repo: str, text: Text, ctx: Context, path: str | None = None, ref: str | None = None, page: Page = 1
) -> str:
    """Find the commits adding or removing a line with text, newest first (50 a page)."""
    if "\n" in text:
        raise InvalidArgument("text", "give one line of text; commits are searched line by line")
    where = {"owner": owner, "repo": repo}
    client = gitcode(ctx)
    query = {"sha": ref, "path": path and path.strip("/"), "page": page, "per_page": MAX_SCAN}
    reply = await client.get(api_path(COMMITS, **where), query)
    listed = [c for c in reply.items() if isinstance(c, dict) and c.get("sha")]
    matches, merges = [], 0
    for done, commit in enumerate(listed):
        await ctx.report_progress(done, len(listed), f"reading {str(commit['sha'])[:12]}")
        if len(parent_shas(commit)) > 1:
            merges += 1  # as `git log -S`: a merge's changes are those of the commits it brings in
            continue
        diff = await client.get(api_path(COMMIT_DIFF, sha=str(commit["sha"]), **where), raw=True)
        raw = diff.data if isinstance(diff.data, bytes) else b""
        added, removed = text_changes(raw.decode("utf-8", errors="replace"), text, query["path"])
        if added or removed:
            found = {"sha": commit["sha"], "title": _title(commit), "author": git_author(commit)}
            found["date"] = sub(sub(commit, "commit"), "author").get("date")
            matches.append(drop_empty({**found, "added": _shown(added), "removed": _shown(removed)}))
    await ctx.report_progress(len(listed), len(listed), "done")
    result: Obj = {"searched": f"{len(listed)} commits" + (f" ({merges} merges skipped)" if merges else "")}
    result["matches"] = matches
    if reply.has_more(page, MAX_SCAN, len(reply.items())):
        result["next_page"] = page + 1
        result["note"] = f"only {MAX_SCAN} commits a page are searched; older ones with page={page + 1}"
    return to_text(result)


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
    Example(DEMO, f"GET {REPO_COMMIT_COMMENTS}"),
    Example({**DEMO, "sha": DOCS_SHA, "per_page": 5}, f"GET {COMMIT_COMMENTS}"),
    Example({**DEMO, "comment_id": SEEDED_COMMENT}, f"GET {COMMIT_COMMENT}"),
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
        reply = await gitcode(ctx).get(api_path(COMMIT_COMMENT, owner=owner, repo=repo, comment_id=comment_id))
        return to_text(COMMENT_VIEW(reply.object()))
    if sha is not None:
        return await get_page(ctx, COMMIT_COMMENTS, COMMENT_VIEW, page, per_page, owner=owner, repo=repo, sha=sha)
    return await get_page(ctx, REPO_COMMIT_COMMENTS, COMMENT_VIEW, page, per_page, owner=owner, repo=repo)


@commits.write(
    Example({**DEMO, "sha": MAIN_SHA, "body": "Looks good."}, f"POST {COMMIT_COMMENTS}", f"GET {COMMIT_COMMENTS}")
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
    where = {"owner": owner, "repo": repo, "sha": sha}
    for number in range(1, 11):
        listed = await client.get(api_path(COMMIT_COMMENTS, **where), {"page": number, "per_page": 100})
        items = [c for c in listed.items() if isinstance(c, dict)]
        for c in reversed(items):
            if c.get("body") == body and c.get("created_at") == made.get("created_at", c.get("created_at")):
                return to_text({"id": as_int(c.get("id")), "sha": sha})
        if not listed.has_more(number, 100, len(items)):
            break
    return to_text({"sha": sha, "warning": "posted, but not found among the commit's comments; do not post it again"})


@commits.write(
    Example({**DEMO, "comment_id": SEEDED_COMMENT, "body": "Yes, add it."}, f"PATCH {COMMIT_COMMENT}"),
    idempotent=True,
)
async def update_commit_comment(owner: str, repo: str, comment_id: Number, body: Text, ctx: Context) -> str:
    """Edit a commit comment's text."""
    reply = await gitcode(ctx).request(
        "PATCH",
        api_path(COMMIT_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        json={"body": body},
        hints={403: "only its author or the repository's owner may edit it"},
    )
    return to_text(COMMENT_VIEW(reply.object()))


@commits.destructive(Example({**DEMO, "comment_id": SEEDED_COMMENT}, f"DELETE {COMMIT_COMMENT}"))
async def delete_commit_comment(owner: str, repo: str, comment_id: Number, ctx: Context) -> str:
    """Delete a commit comment; cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(COMMIT_COMMENT, owner=owner, repo=repo, comment_id=comment_id),
        hints={403: "only its author or the repository's owner may delete it"},
    )
    return to_text({"deleted": comment_id})


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
