"""Commits, from the repository's history (Repo.log): lists newest first with the documented filters, one commit with
its changed files and stats (`show_diff`), its diff and patch as text, comparisons `base...head`, comments on commits,
and code contribution per branch.

Shapes follow the GitCode reference pages of these operations (docs.gitcode.com, "Commit"): list items and the
single commit with `commit.author`/`committer`, `parents`, `stats` and, only with `show_diff=true`, `files` as names
and URLs; the diff and patch endpoints answer text, not JSON; a comment's create answer carries a string `id`,
while lists and reads carry the integer one.
"""

from __future__ import annotations

import difflib
from datetime import date, datetime
from email.utils import format_datetime
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    COMMIT,
    COMMIT_COMMENT,
    COMMIT_COMMENTS,
    COMMIT_DIFF,
    COMMIT_PATCH,
    COMMITS,
    COMPARE,
    REPO_COMMIT_COMMENTS,
    REPO_COMMIT_STATISTICS,
)
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.areas.contents import blob_sha, tree_sha
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import CST, Commit, CommitComment, Files, Repo, User, World, fake_sha, now

SEEDED_COMMENT = 8_700_001


# --------------------------------------------------------------------------------------------------- history


def resolve(repo: Repo, ref: str) -> Commit | None:
    """The commit a branch, a tag or a commit sha (or a unique prefix of 7+) names."""
    if ref in repo.branches:
        return repo.log(ref)[-1]
    tag = repo.tags.get(ref)
    return repo.commit(tag.sha if tag else ref)


def graph(repo: Repo) -> dict[str, Commit]:
    return {c.sha: c for branch in list(repo.branches) for c in repo.log(branch)}


def ancestry(repo: Repo, head: Commit) -> list[Commit]:
    """The commit and every commit it descends from, newest first (parents after their children)."""
    known, out, seen = graph(repo), [], set()
    todo = [head]
    while todo:
        commit = todo.pop(0)
        if commit.sha in seen:
            continue
        seen.add(commit.sha)
        out.append(commit)
        todo.extend(known[p] for p in commit.parents if p in known)
    return out


def parent_files(repo: Repo, commit: Commit) -> Files:
    found = repo.commit(commit.parents[0]) if commit.parents else None
    return found.files if found else {}


def email(user: User) -> str:
    return f"{user.login}@noreply.gitcode.com"


def _text(raw: bytes | None) -> list[str] | None:
    """A file's lines for a diff, or None when it is binary."""
    if raw is None:
        return []
    if b"\x00" in raw:
        return None
    try:
        return raw.decode().splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def _hunks(old: list[str], new: list[str]) -> list[str]:
    out = []
    for line in list(difflib.unified_diff(old, new, n=3))[2:]:
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return out


def changes(old: Files, new: Files) -> list[dict[str, Any]]:
    """What changed from `old` to `new`, file by file: status, counts and the hunks (as pulls.changes reads a PR).
    A file removed and added with the same content is a rename."""
    added = {p for p in new if p not in old}
    removed = {p for p in old if p not in new}
    renames = {path: was for path in sorted(added) for was in sorted(removed) if new[path] == old[was]}
    out = []
    for path in sorted((set(old) | set(new)) - set(renames.values())):
        was = renames.get(path, path)
        before, after = old.get(was), new.get(path)
        if before == after and path not in renames:
            continue
        old_lines, new_lines = _text(before), _text(after)
        binary = old_lines is None or new_lines is None
        hunks = [] if binary or old_lines is None or new_lines is None else _hunks(old_lines, new_lines)
        status = (
            "renamed" if path in renames else "added" if before is None else "removed" if after is None else "modified"
        )
        out.append(
            {
                "path": path,
                "old_path": was,
                "status": status,
                "old_sha": blob_sha(before) if before is not None else None,
                "sha": blob_sha(after) if after is not None else None,
                "additions": sum(1 for h in hunks if h.startswith("+")),
                "deletions": sum(1 for h in hunks if h.startswith("-")),
                "binary": binary,
                "hunks": "".join(hunks),
            }
        )
    return out


def git_diff(files: list[dict[str, Any]]) -> str:
    """The changes as `git diff` writes them."""
    out = []
    for f in files:
        a, b = f"a/{f['old_path']}", f"b/{f['path']}"
        out.append(f"diff --git {a} {b}\n")
        if f["status"] == "added":
            out.append("new file mode 100644\n")
        elif f["status"] == "removed":
            out.append("deleted file mode 100644\n")
        elif f["status"] == "renamed":
            out.append(f"similarity index 100%\nrename from {f['old_path']}\nrename to {f['path']}\n")
            continue
        old, new = (f["old_sha"] or "0" * 40)[:7], (f["sha"] or "0" * 40)[:7]
        out.append(f"index {old}..{new}" + (" 100644\n" if f["status"] == "modified" else "\n"))
        if f["binary"]:
            out.append(
                f"Binary files {a if f['old_sha'] else '/dev/null'} and {b if f['sha'] else '/dev/null'} differ\n"
            )
            continue
        out.append(f"--- {a if f['old_sha'] else '/dev/null'}\n+++ {b if f['sha'] else '/dev/null'}\n{f['hunks']}")
    return "".join(out)


def git_patch(commit: Commit, files: list[dict[str, Any]]) -> str:
    """The commit as `git format-patch` writes it: a mail header, the stat, the diff."""
    title, _, rest = commit.message.strip().partition("\n")
    when = format_datetime(datetime.fromisoformat(commit.created_at))
    stat = "".join(
        f" {f['path']} | {'Bin' if f['binary'] else f['additions'] + f['deletions']} "
        f"{'+' * f['additions']}{'-' * f['deletions']}\n"
        for f in files
    )
    plus, minus = sum(f["additions"] for f in files), sum(f["deletions"] for f in files)
    summary = (
        f" {len(files)} file{'s' if len(files) != 1 else ''} changed, {plus} insertions(+), {minus} deletions(-)\n"
    )
    body = f"\n{rest.strip()}\n" if rest.strip() else ""
    return (
        f"From {commit.sha} Mon Sep 17 00:00:00 2001\nFrom: {person(commit)['name']} <{person(commit)['email']}>\n"
        f"Date: {when}\nSubject: [PATCH] {title}\n{body}\n---\n{stat}{summary}\n{git_diff(files)}--\n2.39.0\n\n"
    )


# --------------------------------------------------------------------------------------------------- shapes


def person(commit: Commit) -> dict[str, str]:
    """The git author as the commit records it: name, email and the author date with its offset (ref)."""
    return {
        "name": commit.git_name or commit.author.name,
        "email": commit.git_email or email(commit.author),
        "date": commit.created_at,
    }


def committer(commit: Commit) -> dict[str, str]:
    who = commit.committer or commit.author
    return {"name": who.name, "email": email(who), "date": commit.committed_at or commit.created_at}


def account(user: User) -> dict[str, Any]:
    return {"id": user.id, "login": user.login, "name": user.name, "email": email(user), "type": "User"}


def render_commit(repo: Repo, commit: Commit) -> dict[str, Any]:
    """A commit as list items carry it (ref, "Get All Repository Commits": `commit.author` and `committer` with the
    dates' offsets, the GitCode accounts as `author` / `committer`, `parents` as objects). A git author whose email
    GitCode links to no account has no account here (sim: null, as GitHub answers it; the reference shows no such
    commit)."""
    tree = tree_sha(commit.files, "")
    return {
        "url": f"{repo.api_url}/commits/{commit.sha}",
        "sha": commit.sha,
        "html_url": f"{repo.web_url}/commit/{commit.sha}",
        "comments_url": f"{repo.api_url}/commits/{commit.sha}/comments",
        "commit": {
            "author": person(commit),
            "committer": committer(commit),
            "message": commit.message,
            "tree": {"sha": tree, "url": f"{repo.api_url}/git/trees/{tree}"},
        },
        "author": account(commit.author) if commit.linked else None,
        "committer": account(commit.committer or commit.author),
        "parents": [{"sha": p, "url": f"{repo.api_url}/commits/{p}"} for p in commit.parents],
    }


def render_file(repo: Repo, commit: Commit, f: dict[str, Any]) -> dict[str, Any]:
    """A changed file of a comparison (ref, "Commits Comparison")."""
    return {
        "sha": f["sha"] or f["old_sha"],
        "filename": f["path"],
        "status": f["status"],
        "additions": f["additions"],
        "deletions": f["deletions"],
        "changes": f["additions"] + f["deletions"],
        "blob_url": f"{repo.web_url}/blob/{commit.sha}/{f['path']}",
        "raw_url": f"{repo.web_url}/raw/{commit.sha}/{f['path']}",
        "patch": f["hunks"],
        "truncated": False,
    }


def _commit_of(repo: Repo, ref: str) -> Commit:
    found = resolve(repo, ref)
    if found is None:
        raise Refusal(404, f"Not Found Commit: {ref}")
    return found


def _moment(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Refusal(400, f"{name} must be a time like 2024-11-08T16:25:44Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CST)


# --------------------------------------------------------------------------------------------------- routes


@route("GET", COMMITS)
async def list_commits(sb: Sandbox, call: Call) -> Response:
    """Newest first (by commit date, as `git log` lists them) from `sha` (a branch, tag or commit; the default branch
    if omitted), filtered by `path`, `author` (email or login), `since` and `until` (ref)."""
    repo = sb.repo(call)
    found = ancestry(repo, _commit_of(repo, call.query.get("sha") or repo.default_branch))
    found.sort(key=lambda c: _moment(c.committed_at or c.created_at, "date"), reverse=True)
    if path := call.query.get("path", "").strip("/"):

        def touches(c: Commit) -> bool:
            return any(
                f["path"] == path or f["path"].startswith(f"{path}/") or f["old_path"] == path
                for f in changes(parent_files(repo, c), c.files)
            )

        found = [c for c in found if touches(c)]
    if author := call.query.get("author"):
        # ref: "提交作者的邮箱或个人空间地址(username/login)": the author's email, or the login of a linked account.
        found = [c for c in found if author in (person(c)["email"], c.author.login if c.linked else None)]
    for key, keep in (("since", lambda t, limit: t >= limit), ("until", lambda t, limit: t <= limit)):
        if value := call.query.get(key):
            limit = _moment(value, key)
            found = [c for c in found if keep(_moment(c.created_at, key), limit)]
    return page(call, [render_commit(repo, c) for c in found])


@route("GET", COMMIT)
async def get_commit(sb: Sandbox, call: Call) -> Response:
    """One commit (a sha or a branch name, ref) with `stats`; `files` (names, at most 100) only with show_diff."""
    repo = sb.repo(call)
    commit = _commit_of(repo, call.params["sha"])
    changed = changes(parent_files(repo, commit), commit.files)
    plus, minus = sum(f["additions"] for f in changed), sum(f["deletions"] for f in changed)
    answer = render_commit(repo, commit)
    answer["stats"] = {"additions": plus, "deletions": minus, "total": plus + minus}
    if call.query.get("show_diff") == "true":
        answer["files"] = [
            {
                "filename": f["path"],
                "raw_url": f"https://raw.gitcode.com/{repo.full_name}/raw/{commit.sha}/{f['path']}",
                "content_url": f"{repo.web_url}/blob/{commit.sha}/{f['path']}",
            }
            for f in changed[:100]
        ]
    return JSONResponse(answer)


def _commit_by_sha(repo: Repo, call: Call) -> Commit:
    found = repo.commit(call.params["sha"])
    if found is None:
        raise Refusal(404, f"Not Found Commit: {call.params['sha']}")
    return found


@route("GET", COMMIT_DIFF)
async def diff(sb: Sandbox, call: Call) -> Response:
    """The commit's changes against its first parent as unified diff text (ref: a string, not JSON)."""
    repo = sb.repo(call)
    commit = _commit_by_sha(repo, call)
    return Response(git_diff(changes(parent_files(repo, commit), commit.files)), media_type="text/plain")


@route("GET", COMMIT_PATCH)
async def patch(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    commit = _commit_by_sha(repo, call)
    return Response(git_patch(commit, changes(parent_files(repo, commit), commit.files)), media_type="text/plain")


@route("GET", COMPARE)
async def compare(sb: Sandbox, call: Call) -> Response:
    """The commits on head since its merge base with base (oldest first), and the files changed from the merge
    base to head; `straight=true` diffs base and head directly, `suffix` keeps files with that ending (ref)."""
    repo = sb.repo(call)
    base, head = _commit_of(repo, call.params["base"]), _commit_of(repo, call.params["head"])
    behind = {c.sha for c in ancestry(repo, base)}
    ahead = ancestry(repo, head)
    merge_base = next((c for c in ahead if c.sha in behind), None)
    # Seeded branches may share no history (each starts with its own commit): then, as with `straight`, base and head
    # are compared directly and merge_base_commit is null.
    start = base if call.query.get("straight") == "true" or merge_base is None else merge_base
    files = changes(start.files, head.files)
    if suffix := call.query.get("suffix"):
        files = [f for f in files if f["path"].endswith(suffix)]
    commits = [c for c in reversed(ahead) if c.sha not in behind]
    return JSONResponse(
        {
            "base_commit": render_commit(repo, base),
            "merge_base_commit": render_commit(repo, merge_base) if merge_base else None,
            "commits": [
                {
                    "sha": c.sha,
                    "author": {"id": c.author.id, "login": c.author.login, "name": c.author.name} if c.linked else None,
                    "committer": {"id": c.author.id, "login": c.author.login, "name": c.author.name},
                    "commit": {"author": person(c), "committer": committer(c), "message": c.message},
                }
                for c in commits
            ],
            "files": [render_file(repo, head, f) for f in files],
            "truncated": False,
        }
    )


# --------------------------------------------------------------------------------------------------- comments


def render_comment(c: CommitComment) -> dict[str, Any]:
    """A commit comment as lists and reads carry it (ref): integer id, `target`, the user with `type`; the commit it
    is on as `commit_id` (as the gitcode-api package's model reads it)."""
    return {
        "id": c.id,
        "body": c.body,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "user": {**shapes.user(c.user), "type": "User"},
        "target": {},
        "commit_id": c.commit_id,
        "noteable_type": "Commit",
    }


def _ordered(call: Call, found: list[CommitComment]) -> list[CommitComment]:
    order = call.query.get("order", "asc")
    if order not in ("asc", "desc"):
        raise Refusal(400, "order must be one of [asc, desc]")
    return list(reversed(found)) if order == "desc" else found


@route("GET", REPO_COMMIT_COMMENTS)
async def list_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return page(call, [render_comment(c) for c in _ordered(call, repo.commit_comments)])


@route("GET", COMMIT_COMMENTS)
async def list_commit_comments(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    commit = _commit_of(repo, call.params["sha"])
    return page(call, [render_comment(c) for c in repo.commit_comments if c.commit_id == commit.sha])


def _comment(repo: Repo, call: Call) -> CommitComment:
    for c in repo.commit_comments:
        if c.id == call.params["comment_id"]:
            return c
    raise Refusal(404, "Not Found Note")


def _body(call: Call) -> str:
    body = call.data().get("body")
    if not isinstance(body, str) or not body.strip():
        raise Refusal(400, "Invalid body parameter: body, required")
    return body


def _may_change(repo: Repo, user: User, comment: CommitComment) -> None:
    if user.login not in (comment.user.login, repo.owner.login):
        raise Refusal(403, "You do not have permission to change this comment")


@route("GET", COMMIT_COMMENT)
async def get_comment(sb: Sandbox, call: Call) -> Response:
    return JSONResponse(render_comment(_comment(sb.repo(call), call)))


@route("POST", COMMIT_COMMENTS)
async def create_comment(sb: Sandbox, call: Call) -> Response:
    """The create answer is sparse and its `id` a string (ref: `"id": "12312sadsa"`); the integer id the other
    comment operations take is in the commit's comment list."""
    user = need_token(call)
    repo = sb.repo(call)
    commit = _commit_by_sha(repo, call)
    body = _body(call)
    at = now()
    made = CommitComment(sb.world.new_id(), sb.world.discussion_id(), commit.sha, user, body, at, at)
    repo.commit_comments.append(made)
    return JSONResponse(
        {"body": body, "created_at": made.created_at, "id": made.discussion_id, "updated_at": made.updated_at}
    )


@route("PATCH", COMMIT_COMMENT)
async def update_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    comment = _comment(repo, call)
    _may_change(repo, user, comment)
    comment.body, comment.updated_at = _body(call), now()
    return JSONResponse(render_comment(comment))


@route("DELETE", COMMIT_COMMENT)
async def delete_comment(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    comment = _comment(repo, call)
    _may_change(repo, user, comment)
    repo.commit_comments.remove(comment)
    return JSONResponse({})


# --------------------------------------------------------------------------------------------------- statistics


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise Refusal(400, f"{name} must be a date like 2024-11-08") from None


@route("GET", REPO_COMMIT_STATISTICS)
async def commit_statistics(sb: Sandbox, call: Call) -> Response:
    """Lines added and deleted and commits per author on `branch_name` (required), filtered by `author`,
    `only_self`, `since` and `until` (ref, "Get Code Contribution")."""
    repo = sb.repo(call)
    branch = call.query.get("branch_name")
    if not branch:
        raise Refusal(400, "Invalid query parameter: branch_name, required")
    if branch not in repo.branches:
        raise Refusal(404, f"Not Found Branch: {branch}")
    since, until = _day(call.query.get("since"), "since"), _day(call.query.get("until"), "until")
    author = call.query.get("author")
    if call.query.get("only_self") == "true":
        author = need_token(call).login
    rows: dict[str, dict[str, Any]] = {}
    commits = []
    for c in reversed(repo.log(branch)):
        day = date.fromisoformat(c.created_at[:10])
        if (author and c.author.login != author) or (since and day < since) or (until and day > until):
            continue
        changed = changes(parent_files(repo, c), c.files)
        row = rows.setdefault(
            c.author.login,
            {
                "add_lines": 0,
                "branch": branch,
                "commit_count": 0,
                "delete_lines": 0,
                "nick_name": c.author.name,
                "project_id": repo.id,
                "user_name": c.author.login,
            },
        )
        row["commit_count"] += 1
        row["add_lines"] += sum(f["additions"] for f in changed)
        row["delete_lines"] += sum(f["deletions"] for f in changed)
        commits.append({"author_name": c.author.login, "date": str(day)})
    return JSONResponse({"commits": commits, "statistics": list(rows.values()), "total": len(rows)})


def seed(world: World) -> None:
    """A comment by bob on the head commit of alice/demo's docs branch, with a fixed id (the shared counter is left
    alone, so the other areas' ids do not move)."""
    demo = world.repo("alice", "demo")
    if demo is None or "docs" not in demo.branches or any(c.id == SEEDED_COMMENT for c in demo.commit_comments):
        return
    at = "2026-11-21T10:00:00+08:00"
    demo.commit_comments.append(
        CommitComment(
            SEEDED_COMMENT,
            fake_sha("commit comment", SEEDED_COMMENT),
            demo.head_sha("docs"),
            world.users["bob"],
            "Does data/big.csv need to be in the repository?",
            at,
            at,
        )
    )
