"""Branch protection rules: who may push and who may merge into the branches a wildcard matches, by role and
by login, in the rule list's shape (one flag per role, GitLab's names), created, updated and removed by admins."""

from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import BRANCH_RULE, BRANCH_RULES, NEW_BRANCH_RULE
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import BranchRule, Repo, User, World, now

# The flags of the rule list (ref) a role sets; an administrator is GitLab's `master` and the owner (GitCode's rule
# list carries GitLab's role names).
ROLE_FLAGS = {"admin": ("master", "owner"), "maintainer": ("maintainer",), "developer": ("developers", "committer")}
# The role words pusher/merger take (GitCode CLI `repo branch-protection create`; the reference's demo): `develop`,
# not `developer`. Any other word is read as a login (docs/gitcode-behaviour.md, Branch protection).
ROLE_NAMES = {"admin": "admin", "maintainer": "maintainer", "develop": "developer"}


def render_rule(rule: BranchRule) -> dict[str, Any]:
    """A protection rule as the rule list carries it (ref, "Get Protection Branch Rules List"): one flag per role."""
    out: dict[str, Any] = {"name": rule.wildcard, "updated_at": rule.updated_at}
    for action, roles, users in (("push", rule.pushers, rule.push_users), ("merge", rule.mergers, rule.merge_users)):
        allowed = {flag for role in roles for flag in ROLE_FLAGS[role]}
        for flag in ("developers", "committer", "maintainer", "master", "owner"):
            out[f"{flag}_can_{action}"] = flag in allowed
        out[f"{action}_users"] = [{"login": u, "username": u} for u in users]
        out[f"no_one_can_{action}"] = not roles and not users
    out["merged"] = False
    return out


def _admin(sb: Sandbox, repo: Repo, user: User) -> None:
    if not access(sb.world, repo, user).admin:
        raise Refusal(403, "You do not have permission to manage protected branches")


def _roles(sb: Sandbox, data: dict[str, Any], key: str) -> tuple[list[str], list[str]]:
    """`pusher`/`merger`: role words and logins separated by ';' (ref, cli); '' or `none` (an older GitCode page) is
    no one. A word that is no role is a login: one that names no user is refused, so `developer` is."""
    value = data.get(key)
    if not isinstance(value, str):
        raise Refusal(400, f"Invalid body parameter: {key}, required")
    roles, users = [], []
    for part in (p.strip() for p in value.split(";")):
        if part in ("", "none"):
            continue
        if part in ROLE_NAMES:
            roles.append(ROLE_NAMES[part])
        elif part in sb.world.users:
            users.append(part)
        else:
            raise Refusal(404, f"Not Found User {part}")
    return list(dict.fromkeys(roles)), list(dict.fromkeys(users))


def _set_roles(sb: Sandbox, rule: BranchRule, data: dict[str, Any]) -> None:
    rule.pushers, rule.push_users = _roles(sb, data, "pusher")
    rule.mergers, rule.merge_users = _roles(sb, data, "merger")
    rule.updated_at = now()


@route("GET", BRANCH_RULES)
async def list_rules(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse([render_rule(r) for r in repo.branch_rules.values()])


@route("PUT", NEW_BRANCH_RULE)
async def create_rule(sb: Sandbox, call: Call) -> Response:
    """A new rule for `wildcard`; the answer is an empty object (ref)."""
    user = need_token(call)
    repo = sb.repo(call)
    _admin(sb, repo, user)
    data = call.data()
    wildcard = data.get("wildcard")
    if not isinstance(wildcard, str) or not wildcard.strip():
        raise Refusal(400, "Invalid body parameter: wildcard, required")
    if wildcard in repo.branch_rules:
        raise Refusal(400, f"Protected branch rule {wildcard} already exists")
    rule = BranchRule(wildcard, [], [], now())
    _set_roles(sb, rule, data)
    repo.branch_rules[wildcard] = rule
    return JSONResponse({})


def _rule(repo: Repo, call: Call) -> BranchRule:
    rule = repo.branch_rules.get(call.params["wildcard"])
    if rule is None:
        raise Refusal(404, f"Protected branch rule {call.params['wildcard']} Not Found")
    return rule


@route("PUT", BRANCH_RULE)
async def update_rule(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    _admin(sb, repo, user)
    rule = _rule(repo, call)
    data = call.data()
    _set_roles(sb, rule, data)
    return JSONResponse({})


@route("DELETE", BRANCH_RULE)
async def delete_rule(sb: Sandbox, call: Call) -> Response:
    user = need_token(call)
    repo = sb.repo(call)
    _admin(sb, repo, user)
    del repo.branch_rules[_rule(repo, call).wildcard]
    return JSONResponse({})


def seed(world: World) -> None:
    """A protection rule on alice/demo for release branches (none exists yet, so no seeded branch is protected)."""
    demo = world.repo("alice", "demo")
    if demo is not None:
        demo.branch_rules.setdefault(
            "release/*", BranchRule("release/*", ["admin"], ["admin", "maintainer"], "2026-11-18T09:30:00+08:00")
        )
