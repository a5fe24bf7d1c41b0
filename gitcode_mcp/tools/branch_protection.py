"""The `branch_protection` toolset: branch protection rules, who may push and who may merge, listed, set and removed.
Out of the default set (at most 16 KB of tools/list): rules are set up once, by an admin."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import BRANCH_RULE, BRANCH_RULES, NEW_BRANCH_RULE
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Text, gitcode
from gitcode_mcp.tools.branches import DEMO, is_set
from gitcode_mcp.views import Obj, View, to_text

branch_protection = Toolset("branch_protection", "Branch protection rules: who may push and merge")

Role = Literal["admin", "maintainer", "developer"]
# The rule list answers one flag per role (ref, "Get Protection Branch Rules List"); the roles a rule is set with are
# read back from them.
ROLE_FLAGS = (("admin", "master"), ("maintainer", "maintainer"), ("developer", "developers"))
# GitCode's words for the roles in pusher/merger: `admin`, `develop`, `maintainer`; any other word is read as a login,
# so `developer` would name a user (cli `repo branch-protection create`; the reference's demo;
# docs/gitcode-behaviour.md, Branch protection).
ROLE_WORDS = {"admin": "admin", "maintainer": "maintainer", "developer": "develop"}


def _who(action: str) -> Any:
    def get(rule: Obj) -> list[str]:
        roles = [role for role, flag in ROLE_FLAGS if is_set(rule.get(f"{flag}_can_{action}"))]
        users = rule.get(f"{action}_users")
        names = [u.get("login") or u.get("username") for u in users if isinstance(u, dict)] if users else []
        found = roles + [n for n in names if n]
        # GitCode's own word for no one (an older reference page: pusher/merger `none`), not an empty list the view
        # would drop.
        return ["none"] if is_set(rule.get(f"no_one_can_{action}")) or not found else found

    return get


RULE_VIEW = View(wildcard="name", push=_who("push"), merge=_who("merge"), updated_at="updated_at")


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
