"""Commits listed and read, their diff and patch, two refs compared, contribution per day."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    COMMIT,
    COMMIT_DIFF,
    COMMIT_PATCH,
    COMMITS,
    COMPARE,
    REPO_COMMIT_STATISTICS,
)
from gitcode_mcp.sandbox.areas.commits.diffs import changes, git_diff, git_patch, render_file
from gitcode_mcp.sandbox.areas.commits.graph import account, ancestry, committer, parent_files, person, resolve
from gitcode_mcp.sandbox.areas.contents import tree_sha
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import CST, Commit, Repo


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


def commit_of(repo: Repo, ref: str) -> Commit:
    found = resolve(repo, ref)
    if found is None:
        raise Refusal(404, f"Not Found Commit: {ref}")
    return found


def moment(value: str, name: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise Refusal(400, f"{name} must be a time like 2024-11-08T16:25:44Z") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=CST)


@route("GET", COMMITS)
async def list_commits(sb: Sandbox, call: Call) -> Response:
    """Newest first (by commit date, as `git log` lists them) from `sha` (a branch, tag or commit; the default branch
    if omitted), filtered by `path`, `author` (email or login), `since` and `until` (ref)."""
    repo = sb.repo(call)
    found = ancestry(repo, commit_of(repo, call.query.get("sha") or repo.default_branch))
    found.sort(key=lambda c: moment(c.committed_at or c.created_at, "date"), reverse=True)
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
            limit = moment(value, key)
            found = [c for c in found if keep(moment(c.created_at, key), limit)]
    return page(call, [render_commit(repo, c) for c in found])


@route("GET", COMMIT)
async def get_commit(sb: Sandbox, call: Call) -> Response:
    """One commit (a sha or a branch name, ref) with `stats`; `files` (names, at most 100) only with show_diff."""
    repo = sb.repo(call)
    commit = commit_of(repo, call.params["sha"])
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
    base, head = commit_of(repo, call.params["base"]), commit_of(repo, call.params["head"])
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


def day_of(value: str | None, name: str) -> date | None:
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
    since, until = day_of(call.query.get("since"), "since"), day_of(call.query.get("until"), "until")
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
