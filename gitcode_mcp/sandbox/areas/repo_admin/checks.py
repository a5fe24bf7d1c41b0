"""What every administration endpoint checks and reads: the caller's role, a password, the settings section, its
fields."""

from __future__ import annotations

import hmac
from typing import Any

from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token
from gitcode_mcp.sandbox.state import Org, Repo, User

# The simulator's own accounts' passwords (GitCode's are the web login's). Only these are known; the password a
# request carries is compared, never stored or echoed.
PASSWORDS = {"alice": "sandbox-password"}
SUCCESS = {"code": 1, "msg": "success"}  # ref: "success" means done, anything else failed


def need_role(sb: Sandbox, call: Call, repo: Repo, *, admin: bool) -> User:
    user = need_token(call)
    mine = access(sb.world, repo, user)
    if not (mine.admin if admin else mine.member):
        raise Refusal(403, "You do not have permission to perform this operation on this project", "FORBIDDEN")
    return user


def need_password(call: Call, user: User) -> None:
    given = call.data().get("password")
    if not isinstance(given, str) or not given:
        raise Refusal(400, "password is required")
    known = PASSWORDS.get(user.login)
    # What GitCode answers to a wrong password is not documented; a 400 in its error shape is assumed.
    if known is None or not hmac.compare_digest(given.encode(), known.encode()):
        raise Refusal(400, "The password is incorrect")


def org_repo(sb: Sandbox, call: Call) -> tuple[Org, Repo]:
    org = sb.world.orgs.get(call.params["org"])
    if org is None:
        raise Refusal(404, "Not Found Organization")
    repo = sb.world.repo(org.login, call.params["repo"])
    if repo is None:
        raise Refusal(404, "Not Found Project")
    return org, repo


def section(repo: Repo, key: str, defaults: dict[str, Any] | None = None) -> dict[str, Any]:
    return repo.settings.setdefault(key, dict(defaults or {}))


def known_fields(data: dict[str, Any], allowed: set[str] | dict[str, Any]) -> dict[str, Any]:
    """The body's fields this endpoint reads; at least one, and each of the type its default has."""
    fields = {k: v for k, v in data.items() if k in allowed}
    if not fields:
        raise Refusal(400, f"set at least one of {', '.join(sorted(allowed))}")
    return fields


def check_types(fields: dict[str, Any], defaults: dict[str, Any]) -> None:
    for key, value in fields.items():
        wanted = type(defaults.get(key, value))
        if wanted is int and (isinstance(value, bool) or not isinstance(value, int) or value < 0):
            raise Refusal(400, f"{key} must be a non-negative integer")
        if wanted is not int and not isinstance(value, wanted):
            raise Refusal(400, f"{key} must be a {'boolean' if wanted is bool else 'string'}")


def user_ids(sb: Sandbox, key: str, value: Any) -> str:
    """A comma-separated list of user ids, each an existing user's numeric id (the reference says `user_id`; a 24-hex
    profile id names no user here: docs/gitcode-behaviour.md, Errors, ids and numbers)."""
    if not isinstance(value, str):
        raise Refusal(400, f"{key} must be a string of comma-separated user ids")
    ids = [s.strip() for s in value.split(",") if s.strip()]
    known = {str(shapes.numeric_id(u)) for u in sb.world.users.values()}
    if missing := [i for i in ids if i not in known]:
        raise Refusal(404, f"Not Found User {missing[0]}")
    return ",".join(ids)
