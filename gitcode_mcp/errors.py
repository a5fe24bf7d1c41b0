"""The two failures a tool reports: GitCode said no (GitCodeError), or an argument is wrong (InvalidArgument).

Both are ToolErrors, so the SDK returns them to the agent as an `isError` result with this text and logs
them without a traceback.
"""

from __future__ import annotations

from http import HTTPStatus

from mcp.server.mcpserver.exceptions import ToolError

WRITE_UNKNOWN = "the write may or may not have happened: read the current state before trying again"
TOKEN_HELP = "set GITCODE_TOKEN to a personal access token (https://gitcode.com/setting/token-classic)"
# What fixes a rejected token depends on whose it is: the server's setting, the HTTP request's header, or a sign-in.
_REJECTED = "GitCode rejected the token: it may be wrong, expired or revoked; "
_TOKEN_FIX = {
    "server": TOKEN_HELP,
    "caller": "send a valid personal access token as `Authorization: Bearer <token>` or `X-GitCode-Token: <token>` "
    "(https://gitcode.com/setting/token-classic)",
    "oauth": "sign in again (your MCP client's reconnect or re-authorize starts it)",
}

_STATUS_HINTS: dict[int, str] = {
    400: "GitCode rejected the request's form; check the arguments' types and formats",
    403: "the token lacks permission: writes need a token with repo scope from a user with push access",
    404: "check owner, repo and the number or path; a private repository also answers 404 to a token "
    "that cannot see it",
    409: "it conflicts with the current state (it exists already, or changed meanwhile); read it again first",
    422: "GitCode could not accept these values; fix the argument it names",
    429: "rate limited by GitCode; wait before retrying",
}


class GitCodeError(ToolError):
    """A request to GitCode that failed: an HTTP status, a timeout, a broken connection or a bad body."""

    def __init__(self, status: int | None, detail: str, hint: str = "") -> None:
        self.status = status
        self.detail = detail
        self.hint = hint
        super().__init__(self._text())

    def _text(self) -> str:
        head = "GitCode"
        if self.status is not None:
            try:
                head = f"GitCode {self.status} {HTTPStatus(self.status).phrase}"
            except ValueError:
                head = f"GitCode {self.status}"
        # GitCode's message is often just the status again ("404 Not Found"); say it once.
        repeats = self.detail.lower() in (head.lower(), head.lower().removeprefix("gitcode "))
        text = f"{head}: {self.detail}" if self.detail and not repeats else head
        return f"{text}. Hint: {self.hint}." if self.hint else f"{text}."


class NotSent(GitCodeError):
    """A request refused before it left (it would have carried a token): its outcome is known, nothing happened."""

    def __init__(self, detail: str, hint: str) -> None:
        super().__init__(None, detail, hint)


def preview(value: object, limit: int = 40) -> str:
    """A bad value quoted for an error: a short prefix, never a 1 MB echo of what the agent sent."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return repr(text) if isinstance(value, str) else text
    return f"{text[:limit]!r}... ({len(text)} characters)"


class InvalidArgument(ToolError):
    """An argument the tool refuses before sending anything; the text names it and what is allowed."""

    def __init__(self, name: str, problem: str) -> None:
        self.name = name
        super().__init__(f"Invalid argument `{name}`: {problem}")


def hint_for(status: int, *, token_from: str | None, is_write: bool, extra: dict[int, str] | None = None) -> str:
    """The hint an agent can act on for a failed status; a tool's own hints win over the generic ones.
    `token_from`: whose token the request carried ("server", "caller", "oauth"), None when it carried none."""
    if extra and status in extra:
        return extra[status]
    if status == 401:
        if token_from is not None:
            return _REJECTED + _TOKEN_FIX[token_from]
        return "this needs authentication and no token is set: " + TOKEN_HELP + ", or over HTTP send your own"
    if status >= 500:
        if is_write:
            return "GitCode failed on its side; " + WRITE_UNKNOWN
        return "GitCode failed on its side; try again later"
    return _STATUS_HINTS.get(status, "")
