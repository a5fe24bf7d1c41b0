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


def is_header_safe(token: str) -> bool:
    """Whether `token` can travel in an HTTP header as it is: printable ASCII only (GitCode's tokens are)."""
    return token.isascii() and token.isprintable()


def caller_token(headers: Mapping[str, str]) -> str | None:
    header, token = TOKEN_HEADER, headers.get(TOKEN_HEADER, "").strip()
    if not token:
        scheme, _, value = headers.get("authorization", "").strip().partition(" ")
        header, token = "Authorization", value.strip() if scheme.lower() == "bearer" else ""
    if token and not is_header_safe(token):
        # It could not be sent on to GitCode; say so instead of failing inside the HTTP library.
        raise ToolError(
            f"the {'X-GitCode-Token' if header == TOKEN_HEADER else header} header holds characters a GitCode token "
            "cannot have (non-ASCII or control characters): send the token exactly as GitCode issued it"
        )
    return token or None


def client_for(client: GitCodeClient, headers: Mapping[str, str] | None, require_caller_token: bool) -> GitCodeClient:
    """The client speaking for this call: `headers` are the HTTP request's (None over stdio)."""
    if headers is None:
        return client
    if token := caller_token(headers):
        return client.for_caller(token)
    if require_caller_token:
        raise ToolError(NEEDS_CALLER_TOKEN)
    return client
