"""Branches and their protection rules, in the shapes of the GitCode reference pages ("Branch").

A branch is created from a branch, a tag or a commit: it starts with that commit's files and the history up to it
(repo.logs), so commits made on it later (the contents area's file writes) stack on top. A branch name travels in one
path segment, percent-encoded ('/' as %2F): the reference declares `branch`, `name` and `wildcard` as single path
parameters, and a third-party Chinese summary of the API says the wildcard "needs URL encoding" (需要进行URL编码) with
`quote(wildcard, safe='')`. An unencoded '/' makes two segments and reaches no route (404).

Protection rules are kept by their wildcard (`main`, `release/*`); a branch that one matches is `protected` and its
deletion is refused, as is the default branch's.
"""

from __future__ import annotations

import re
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import BRANCH, BRANCHES
from gitcode_mcp.sandbox.access import may_push_branch
from gitcode_mcp.sandbox.areas.commits.graph import ancestry, email, resolve
from gitcode_mcp.sandbox.areas.contents import may_write
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import Commit, Repo, User, World

# Git's rules for a ref name (git check-ref-format), which GitCode enforces as Git does.
_BAD_REF = re.compile(r"(^[-./])|(\.\.)|([\x00-\x20~^:?*\[\\\x7f])|(@\{)|(/\.)|(//)|([./]$)|(\.lock$)")


def render_head(repo: Repo, commit: Commit) -> dict[str, Any]:
    """A branch's head commit as list items and the create answer carry it (ref)."""
    who = {"name": commit.author.name, "email": email(commit.author), "date": commit.created_at}
    return {
        "commit": {"author": who, "committer": who, "message": commit.message},
        "sha": commit.sha,
        "url": f"{repo.api_url}/commits/{commit.sha}",
    }


def render_branch(repo: Repo, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "commit": render_head(repo, repo.log(name)[-1]),
        "protected": repo.rule_for(name) is not None,
    }


def render_detail(world: World, repo: Repo, name: str, caller: User | None) -> dict[str, Any]:
    """A single branch (ref, "Get Single Branch"): the head commit in its flat form."""
    head = repo.log(name)[-1]
    title = head.message.strip().split("\n", 1)[0]
    rule = repo.rule_for(name)
    return {
        "name": name,
        "commit": {
            "id": head.sha,
            "message": head.message,
            "parent_ids": head.parents,
            "authored_date": head.created_at,
            "author_name": head.author.name,
            "author_iam_id": None,
            "author_email": email(head.author),
            "author_user_name": None,
            "committed_date": head.created_at,
            "committer_name": head.author.name,
            "committer_email": email(head.author),
            "committer_user_name": None,
            "open_gpg_verified": None,
            "verification_status": None,
            "gpg_primary_key_id": None,
            "short_id": head.sha[:8],
            "created_at": head.created_at,
            "title": title,
            "author_avatar_url": f"https://cdn-img.gitcode.com/{head.author.id}.png",
            "committer_avatar_url": f"https://cdn-img.gitcode.com/{head.author.id}.png",
            "relate_url": None,
        },
        "merged": name != repo.default_branch
        and head.sha in {c.sha for c in ancestry(repo, repo.log(repo.default_branch)[-1])},
        "protected": rule is not None,
        "developers_can_push": rule is not None and "developer" in rule.pushers,
        "developers_can_merge": rule is not None and "developer" in rule.mergers,
        "can_push": caller is not None and may_push_branch(world, repo, caller, name),
        "default": name == repo.default_branch,
    }


def branch_of(repo: Repo, name: str) -> str:
    if name not in repo.branches:
        raise Refusal(404, f"Branch {name} Not Found")
    return name


@route("GET", BRANCHES)
async def list_branches(sb: Sandbox, call: Call) -> Response:
    """`sort` by name or updated, `direction` asc or desc (ref); by name unless asked."""
    repo = sb.repo(call)
    sort, direction = call.query.get("sort", "name"), call.query.get("direction", "asc")
    if sort not in ("name", "updated") or direction not in ("asc", "desc"):
        raise Refusal(400, "sort must be one of [name, updated] and direction one of [asc, desc]")
    names = sorted(repo.branches, key=lambda n: repo.log(n)[-1].created_at if sort == "updated" else n)
    return page(call, [render_branch(repo, n) for n in (reversed(names) if direction == "desc" else names)])


@route("GET", BRANCH)
async def get_branch(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_detail(sb.world, repo, branch_of(repo, call.params["branch"]), call.caller))


@route("POST", BRANCHES)
async def create_branch(sb: Sandbox, call: Call) -> Response:
    """`branch_name` from `refs`, a branch, tag or commit (ref; the gitcode-api package sends the same two)."""
    user = need_token(call)
    repo = sb.repo(call)
    may_write(sb, repo, user)
    data = call.data()
    name, start = data.get("branch_name"), data.get("refs")
    for key, value in (("branch_name", name), ("refs", start)):
        if not isinstance(value, str) or not value.strip():
            raise Refusal(400, f"Invalid body parameter: {key}, required")
    assert isinstance(name, str) and isinstance(start, str)
    if _BAD_REF.search(name) or name == "HEAD":
        raise Refusal(400, f"Branch name {name} is invalid")
    if name in repo.branches:
        raise Refusal(400, f"Branch {name} already exists")
    commit = resolve(repo, start)
    if commit is None:
        raise Refusal(400, f"Invalid reference name: {start}")
    # The new branch's history is its start's: that commit and the ones it descends from, oldest first.
    repo.branches[name] = dict(commit.files)
    repo.logs[name] = list(reversed(ancestry(repo, commit)))
    return JSONResponse(render_branch(repo, name))


@route("DELETE", BRANCH)
async def delete_branch(sb: Sandbox, call: Call) -> Response:
    """No body on success (ref). The default branch and protected branches are refused, in the words GitLab (whose
    branch model GitCode's answers carry) uses; GitCode's own sentence is not recorded."""
    user = need_token(call)
    repo = sb.repo(call)
    may_write(sb, repo, user)
    name = branch_of(repo, call.params["branch"])
    if name == repo.default_branch:
        raise Refusal(400, "The default branch of a project cannot be deleted")
    if repo.rule_for(name) is not None:
        raise Refusal(400, f"Branch {name} is protected and cannot be deleted; remove its protection rule first")
    del repo.branches[name]
    repo.logs.pop(name, None)
    return Response(status_code=200)


# --------------------------------------------------------------------------------------------------- protection
