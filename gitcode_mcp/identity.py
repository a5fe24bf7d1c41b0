"""Whose GitCode token a call uses. Over HTTP each caller may send its own: that token, and only that token, is
used for the GitCode requests of that call, through the process's one connection pool. The server-wide token
(GITCODE_TOKEN) is the fallback for a caller that sends none, unless the server requires callers' tokens.
"""

from __future__ import annotations

from collections.abc import Mapping

from mcp.server.mcpserver.exceptions import ToolError

from gitcode_mcp.client import GitCodeClient

# For clients (and gateways) that keep `Authorization` for themselves: it wins when both are sent.
TOKEN_HEADER = "x-gitcode-token"
NEEDS_CALLER_TOKEN = (
    "this server needs your own GitCode token: send it as `Authorization: Bearer <token>` or "
    "`X-GitCode-Token: <token>` (create one at https://gitcode.com/setting/token-classic)"
)


def caller_token(headers: Mapping[str, str]) -> str | None:
    if token := headers.get(TOKEN_HEADER, "").strip():
        return token
    scheme, _, value = headers.get("authorization", "").strip().partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def client_for(client: GitCodeClient, headers: Mapping[str, str] | None, require_caller_token: bool) -> GitCodeClient:
    """The client speaking for this call: `headers` are the HTTP request's (None over stdio)."""
    if headers is None:
        return client
    if token := caller_token(headers):
        return client.for_caller(token)
    if require_caller_token:
        raise ToolError(NEEDS_CALLER_TOKEN)
    return client
