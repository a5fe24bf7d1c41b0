"""GitCode's OAuth scopes: which the enabled tools need, what a signed-in caller was granted, and the token a call
of a signed-in caller runs with (refused, naming the scope, when the sign-in did not grant what the tool needs).

GitCode's OAuth reference names its scopes (docs.gitcode.com/docs/apis/oauth: the token answer's `scope` is
`all_user all_key all_groups all_projects all_pr all_issue all_note all_hook all_repository`) but not which
endpoint needs which, so each toolset is mapped by the scopes' names. Each of them covers reading and writing:
GitCode has no read-only scope, so read-only mode narrows the request only where it leaves a toolset no tools.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser
from mcp.server.mcpserver.exceptions import ToolError

from gitcode_mcp.endpoints import GITCODE_SCOPES
from gitcode_mcp.narrowing import operator_tools
from gitcode_mcp.registry import all_tools
from gitcode_mcp.settings import Settings

# What each toolset's tools need. Comments on pull requests, issues and commits are notes (all_note).
TOOLSET_SCOPES: dict[str, tuple[str, ...]] = {
    "actions": ("all_repository",),
    "branches": ("all_repository",),
    "branch_protection": ("all_repository",),
    "contents": ("all_repository",),
    "pulls": ("all_pr", "all_note"),
    "search": ("all_projects",),
    "collaborators": ("all_projects",),
    "comments": ("all_pr", "all_issue", "all_note"),
    "commits": ("all_repository", "all_note"),
    "discussions": ("all_projects", "all_groups", "all_note"),
    "enterprise": ("all_groups",),
    "history": ("all_pr", "all_issue"),
    "issues": ("all_issue", "all_note"),
    "kanban": ("all_groups", "all_issue"),
    "keys": ("all_key",),
    "labels": ("all_issue",),
    "links": ("all_pr", "all_issue"),
    "milestones": ("all_issue",),
    "mirrors": ("all_projects",),
    "notifications": ("all_user",),
    "orgs": ("all_groups",),
    "releases": ("all_repository",),
    "repo_admin": ("all_projects",),
    "repos": ("all_projects",),
    "reviews": ("all_pr",),
    "users": ("all_user",),
    "webhooks": ("all_hook",),
}


def scopes_for(settings: Settings) -> list[str]:
    """The GitCode scopes the listed tools need, in GitCode's order: what a sign-in asks for."""
    needed = {s for t in operator_tools(settings) for s in TOOLSET_SCOPES[t.toolset]}
    return [s for s in GITCODE_SCOPES if s in needed]


@cache
def _tool_scopes() -> dict[str, tuple[str, ...]]:
    return {t.name: TOOLSET_SCOPES[t.toolset] for t in all_tools()}


def signed_in_token(request: Any, tool: str) -> str | None:
    """The GitCode token of the caller signed in on this HTTP request (None: not signed in), once the tool's scopes
    are known to be granted."""
    user = request.scope.get("user") if request is not None and hasattr(request, "scope") else None
    if not isinstance(user, AuthenticatedUser) or (token := getattr(user.access_token, "gitcode_token", None)) is None:
        return None
    # A tool not in the registry needs nothing of GitCode; every tool that sends a request is in it.
    if missing := [s for s in _tool_scopes().get(tool, ()) if s not in user.scopes]:
        raise ToolError(
            f"{tool} needs the GitCode permission {' and '.join(missing)}, which your sign-in did not grant. "
            "Sign in again and allow it (your MCP client's reconnect or sign-out starts a new sign-in)"
        )
    return token.get_secret_value()
