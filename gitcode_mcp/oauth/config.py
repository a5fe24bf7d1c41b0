"""Where the pieces of the sign-in live: this server's public URL, its MCP resource, GitCode's OAuth pages; and the
combinations of settings that cannot work, said at start-up. No cryptography here: the CLI imports this for any run."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from gitcode_mcp.settings import SANDBOX_API_URL, Settings

CALLBACK_PATH = "/oauth/callback"  # where GitCode sends the browser back: the OAuth app's callback URL
CONSENT_PATH = "/oauth/consent"
# With --sandbox the simulated GitCode lives inside this process, out of a browser's reach: its sign-in page is
# relayed from here.
SANDBOX_RELAY_PATH = "/gitcode-sandbox/oauth/authorize"
MIN_KEY_LENGTH = 32
_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def public_url(settings: Settings) -> str:
    """The URL clients reach this server at: --public-url, or on loopback the address it listens on."""
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    return f"http://{host}:{settings.port}"


def resource_url(settings: Settings) -> str:
    """The MCP endpoint, the audience every issued token is bound to (RFC 8707, RFC 9728)."""
    return public_url(settings) + ("/sse" if settings.transport == "sse" else "/mcp")


def gitcode_web_url(api_url: str) -> str:
    """GitCode's web host from its API URL: https://api.gitcode.com/api/v5 -> https://gitcode.com, where the OAuth
    pages are (docs.gitcode.com/docs/apis/oauth); a double on http://127.0.0.1:9000/api/v5 -> http://127.0.0.1:9000."""
    parts = urlsplit(api_url)
    path = parts.path.rstrip("/").removesuffix("/api/v5")
    return urlunsplit((parts.scheme, parts.netloc.removeprefix("api."), path, "", ""))


def is_in_process_sandbox(settings: Settings) -> bool:
    return settings.api_url == SANDBOX_API_URL


def gitcode_authorize_url(settings: Settings) -> str:
    """Where a person's browser signs in to GitCode."""
    if is_in_process_sandbox(settings):
        return public_url(settings) + SANDBOX_RELAY_PATH
    return gitcode_web_url(settings.api_url) + "/oauth/authorize"


def gitcode_token_url(settings: Settings) -> str:
    return gitcode_web_url(settings.api_url) + "/oauth/token"


def oauth_problem(settings: Settings) -> str | None:
    """Why --oauth cannot run with these settings, or None."""
    if not settings.oauth:
        return "--oauth-only needs --oauth" if settings.oauth_only else None
    if settings.transport == "stdio":
        return "--oauth needs an HTTP transport (--transport streamable-http or sse): stdio has no sign-in"
    if not settings.oauth_client_id or settings.oauth_client_secret is None:
        return (
            "--oauth needs GITCODE_OAUTH_CLIENT_ID and GITCODE_OAUTH_CLIENT_SECRET, the GitCode OAuth app's "
            f"credentials (its callback URL: {public_url(settings)}{CALLBACK_PATH})"
        )
    if not settings.public_url and settings.host not in _LOOPBACK:
        return "--oauth on a non-loopback address needs --public-url, the https URL clients reach this server at"
    url = urlsplit(public_url(settings))
    if url.query or url.fragment or url.scheme not in ("http", "https") or not url.hostname:
        return f"--public-url must be a plain http(s) URL, like https://mcp.example.com, not {public_url(settings)!r}"
    if url.path not in ("", "/"):
        return "--public-url must be the server's root (https://mcp.example.com), without a path"
    if url.scheme != "https" and url.hostname not in _LOOPBACK:
        return "--public-url must be https (plain http is accepted on loopback only): OAuth tokens travel in it"
    if settings.oauth_key is not None:
        for key in settings.oauth_key.get_secret_value().split(","):
            if len(key.strip()) < MIN_KEY_LENGTH:
                return f"each GITCODE_OAUTH_KEY must be at least {MIN_KEY_LENGTH} characters of random text"
    return None
