"""Members' roles, and whether members come from the organization or the repository (the permission mode)."""

from __future__ import annotations

from typing import Any, Literal

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import (
    REPO_MEMBER,
    REPO_PERMISSION_MODE,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example
from gitcode_mcp.toolkit import gitcode, payload
from gitcode_mcp.tools.repo_admin import DEMO, repo_admin
from gitcode_mcp.tools.repo_admin.changes import succeeded
from gitcode_mcp.views import Obj, View, login, sub, to_text


def permission(member: Obj) -> Any:
    granted = sub(member, "permissions")
    return next((p for p in ("admin", "push", "pull", "customized") if granted.get(p)), None)


MEMBER_VIEW = View(login=login, name="name", permission=permission)


@repo_admin.write(Example({**DEMO, "username": "bob", "permission": "admin"}, f"PUT {REPO_MEMBER}"), idempotent=True)
async def set_member_role(
    owner: str,
    repo: str,
    username: str,
    permission: Literal["pull", "push", "admin", "customized"],
    ctx: Context,
    role_id: str | None = None,
) -> str:
    """Change a member's role; customized needs role_id."""
    if (permission == "customized") != (role_id is not None):
        raise InvalidArgument("role_id", "give role_id exactly when permission is customized")
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(REPO_MEMBER, owner=owner, repo=repo, username=username),
        json=payload(permission=permission, role_id=role_id),
        hints={404: "username must already be a member of the repository"},
    )
    return to_text(MEMBER_VIEW(reply.object()))


MODES = {1: "inherit", 2: "independent"}  # ref: memberMgntMode 1 inherit, 2 independent


@repo_admin.read(Example(DEMO, f"GET {REPO_PERMISSION_MODE}"))
async def get_permission_mode(owner: str, repo: str, ctx: Context) -> str:
    """Whether a repository inherits its organization's members."""
    reply = await gitcode(ctx).get(api_path(REPO_PERMISSION_MODE, owner=owner, repo=repo))
    mode = reply.object().get("memberMgntMode")
    return to_text({"mode": MODES.get(mode, mode) if isinstance(mode, int) else mode})


@repo_admin.write(Example({**DEMO, "mode": "independent"}, f"PUT {REPO_PERMISSION_MODE}"), idempotent=True)
async def set_permission_mode(owner: str, repo: str, mode: Literal["inherit", "independent"], ctx: Context) -> str:
    """Inherit the organization's members, or manage the repository's own."""
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(REPO_PERMISSION_MODE, owner=owner, repo=repo),
        json={"mode": 1 if mode == "inherit" else 2},
    )
    succeeded(reply)
    return to_text({"mode": mode})
