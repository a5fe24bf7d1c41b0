"""Branches: list, read, create (from a branch, tag or commit) and delete them, and their protection rules.

A branch name may contain '/' (`release/1.0`): api_path sends it percent-encoded in its one path segment, as GitCode's
reference declares `branch`, `name` and `wildcard`: single path parameters (a third-party Chinese summary of the API
adds that the wildcard must be URL-encoded, `quote(wildcard, safe='')`; no live answer is recorded).
"""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import BRANCH, BRANCH_RULE, BRANCH_RULES, BRANCHES, NEW_BRANCH_RULE
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Page, PerPage, Text, get_page, gitcode
from gitcode_mcp.views import Obj, View, sub, to_text

branches = Toolset("branches", "Create, read and delete branches", default=True)
# Out of the default set (at most 16 KB of tools/list): protection rules are set up once, by an admin.
branch_protection = Toolset("branch_protection", "Branch protection rules: who may push and merge")

DEMO = {"owner": "alice", "repo": "demo"}

Role = Literal["admin", "maintainer", "developer"]
# The rule list answers one flag per role (ref, "Get Protection Branch Rules List"); the roles a rule is set with are
# read back from them.
ROLE_FLAGS = (("admin", "master"), ("maintainer", "maintainer"), ("developer", "developers"))
# GitCode's words for the roles in pusher/merger: `admin`, `develop`, `maintainer`; any other word is read as a login,
# so `developer` would name a user (cli `repo branch-protection create`; the reference's demo;
# docs/gitcode-behaviour.md, Branch protection).
ROLE_WORDS = {"admin": "admin", "maintainer": "maintainer", "developer": "develop"}


def _flag(value: Any) -> bool:
    return value is True or value == 1


def _who(action: str) -> Any:
    def get(rule: Obj) -> list[str]:
        roles = [role for role, flag in ROLE_FLAGS if _flag(rule.get(f"{flag}_can_{action}"))]
        users = rule.get(f"{action}_users")
        names = [u.get("login") or u.get("username") for u in users if isinstance(u, dict)] if users else []
        found = roles + [n for n in names if n]
        # GitCode's own word for no one (an older reference page: pusher/merger `none`), not an empty list the view
        # would drop.
        return ["none"] if _flag(rule.get(f"no_one_can_{action}")) or not found else found

    return get


def _protected(b: Obj) -> Any:
    return True if _flag(b.get("protected")) else None


BRANCH_ITEM = View(
    name="name",
    sha=lambda b: sub(b, "commit").get("sha"),
    protected=_protected,
    updated_at=lambda b: sub(sub(sub(b, "commit"), "commit"), "committer").get("date"),
)
BRANCH_VIEW = View(
    name="name",
    sha=lambda b: sub(b, "commit").get("id") or sub(b, "commit").get("sha"),
    title=lambda b: sub(b, "commit").get("title"),
    author=lambda b: sub(b, "commit").get("author_name"),
    date=lambda b: sub(b, "commit").get("committed_date"),
    parents=lambda b: sub(b, "commit").get("parent_ids"),
    default=lambda b: True if _flag(b.get("default")) else None,
    protected=_protected,
    merged=lambda b: True if _flag(b.get("merged")) else None,
    can_push=lambda b: _flag(b.get("can_push")),
)
RULE_VIEW = View(wildcard="name", push=_who("push"), merge=_who("merge"), updated_at="updated_at")


@branches.read(
    Example(DEMO, f"GET {BRANCHES}"),
    Example({**DEMO, "per_page": 2}, f"GET {BRANCHES}"),
    Example({**DEMO, "branch": "feature"}, f"GET {BRANCH}"),
)
async def list_branches(
    owner: str, repo: str, ctx: Context, branch: str | None = None, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List branches, or get one (branch): head commit, protected, default, merged."""
    if branch is not None:
        reply = await gitcode(ctx).get(api_path(BRANCH, owner=owner, repo=repo, branch=branch))
        return to_text(BRANCH_VIEW(reply.object()))
    # ref: `sort` (name/updated) and `direction` are left out: each item carries its head's date.
    return await get_page(ctx, BRANCHES, BRANCH_ITEM, page, per_page, owner=owner, repo=repo)


@branches.write(
    Example({**DEMO, "branch": "release/1.0", "ref": "main"}, f"POST {BRANCHES}"),
    Example({**DEMO, "branch": "hotfix", "ref": "feature"}, f"POST {BRANCHES}"),
)
async def create_branch(owner: str, repo: str, branch: Text, ref: str, ctx: Context) -> str:
    """Create a branch from a branch, tag or commit."""
    # ref and the gitcode-api package: the new name as `branch_name`, the start point as `refs`.
    reply = await gitcode(ctx).request(
        "POST",
        api_path(BRANCHES, owner=owner, repo=repo),
        json={"branch_name": branch, "refs": ref},
        hints={400: "the branch may exist already, its name may be invalid, or ref names no branch, tag or commit"},
    )
    return to_text(BRANCH_ITEM(reply.object()))


@branches.destructive(Example({**DEMO, "branch": "docs"}, f"DELETE {BRANCH}"))
async def delete_branch(owner: str, repo: str, branch: str, ctx: Context) -> str:
    """Delete a branch; cannot be undone. Protected ones are refused."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(BRANCH, owner=owner, repo=repo, branch=branch),
        hints={400: "a protected or default branch cannot be deleted; see list_branch_protections"},
    )
    return to_text({"deleted": branch})


@branch_protection.read(Example(DEMO, f"GET {BRANCH_RULES}"))
async def list_branch_protections(owner: str, repo: str, ctx: Context) -> str:
    """List branch protection rules: who may push and merge."""
    reply = await gitcode(ctx).get(api_path(BRANCH_RULES, owner=owner, repo=repo))
    return to_text(RULE_VIEW.many(reply.items()))


@branch_protection.write(
    Example(
        {**DEMO, "wildcard": "main", "push": ["admin"], "merge": ["admin"]},
        f"GET {BRANCH_RULES}",
        f"PUT {NEW_BRANCH_RULE}",
    ),
    Example(
        {**DEMO, "wildcard": "release/*", "push": [], "merge": ["maintainer"]},
        f"GET {BRANCH_RULES}",
        f"PUT {BRANCH_RULE}",
    ),
    idempotent=True,
)
async def set_branch_protection(
    owner: str, repo: str, wildcard: Text, push: list[Role], merge: list[Role], ctx: Context
) -> str:
    """Create or replace a protection rule (wildcard: a branch or e.g. release/*); [] = no one."""
    client = gitcode(ctx)
    rules = (await client.get(api_path(BRANCH_RULES, owner=owner, repo=repo))).items()
    exists = any(isinstance(r, dict) and r.get("name") == wildcard for r in rules)
    # ref, cli: role words separated by ';', an empty string for no one; a new rule names its wildcard in the body,
    # an existing one in the path.
    body = {"pusher": _words(push), "merger": _words(merge)}
    if exists:
        path = api_path(BRANCH_RULE, owner=owner, repo=repo, wildcard=wildcard)
    else:
        path, body = api_path(NEW_BRANCH_RULE, owner=owner, repo=repo), {"wildcard": wildcard, **body}
    await client.request("PUT", path, json=body, hints={403: "changing protection rules needs admin rights"})
    return to_text({"wildcard": wildcard, "push": push, "merge": merge, "created": not exists})


def _words(roles: list[Role]) -> str:
    return ";".join(dict.fromkeys(ROLE_WORDS[r] for r in roles))


@branch_protection.destructive(Example({**DEMO, "wildcard": "release/*"}, f"DELETE {BRANCH_RULE}"))
async def delete_branch_protection(owner: str, repo: str, wildcard: Text, ctx: Context) -> str:
    """Remove a branch protection rule; cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(BRANCH_RULE, owner=owner, repo=repo, wildcard=wildcard),
        hints={404: "no rule has this wildcard; see list_branch_protections"},
    )
    return to_text({"deleted": wildcard})
