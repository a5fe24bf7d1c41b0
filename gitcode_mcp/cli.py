"""The command line: flags and environment -> Settings -> build_server() -> run the transport.

This is the only module that reads the environment. A flag beats its variable.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import secrets
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import SecretStr, ValidationError

from gitcode_mcp import __version__
from gitcode_mcp.identity import is_header_safe
from gitcode_mcp.narrowing import repo_patterns
from gitcode_mcp.ratelimit import parse_pace
from gitcode_mcp.registry import UnknownToolset, all_tools, resolve_toolsets, toolsets
from gitcode_mcp.settings import (
    DEFAULT_API_URL,
    SANDBOX_API_URL,
    SANDBOX_OAUTH_CLIENT_ID,
    SANDBOX_OAUTH_CLIENT_SECRET,
    SANDBOX_TOKEN,
    Settings,
)
from gitcode_mcp.uploads import allowed_directories

if TYPE_CHECKING:
    import httpx2
    from starlette.applications import Starlette

log = logging.getLogger("gitcode_mcp")

# The settings a `--workers N` parent hands its worker processes (everything but the secrets, which they read
# from the environment as the parent did).
WORKER_SETTINGS = "GITCODE_MCP_WORKER_SETTINGS"
SECRET_SETTINGS = {
    "token",
    "oauth_client_secret",
    "oauth_key",
    "state_key",
}  # read from the environment only, never from flags

EPILOG = """\
environment:
  GITCODE_TOKEN      personal access token (https://gitcode.com/setting/token-classic); sent only in request
                     headers to GITCODE_API_URL. Over HTTP it is the fallback for callers that send no token.
                     Without it, only public data can be read.
  GITCODE_API_URL    GitCode API base URL (default {api_url})
  GITCODE_TOOLSETS   comma list of toolsets, or 'all'; empty means the default set
  GITCODE_READ_ONLY  1 or true: list only tools that do not change anything
  GITCODE_RAW_CONTENT 1 or true: results carry users' text exactly as GitCode has it (no hidden characters removed)
  GITCODE_LOCKDOWN   1 or true: in public repositories, withhold text by users who cannot push
  GITCODE_UPLOAD_DIRS directories (separated by '{pathsep}') that a file:///path upload may read from over stdio;
                     none by default: uploads then take base64 content only
  GITCODE_TOOLS, GITCODE_NO_DESTRUCTIVE, GITCODE_EXCLUDE_TOOLS, GITCODE_REPOS: as the flags
  GITCODE_RATE_LIMIT, GITCODE_AUDIT_LOG, GITCODE_AUDIT_READS: as the flags
  GITCODE_REQUIRE_CALLER_TOKEN, GITCODE_ALLOWED_HOSTS, GITCODE_ALLOWED_ORIGINS: as the flags
  GITCODE_OAUTH, GITCODE_OAUTH_CLIENT_ID, GITCODE_PUBLIC_URL, GITCODE_OAUTH_ONLY: as the flags
  GITCODE_OAUTH_CLIENT_SECRET  the GitCode OAuth app's secret (--oauth)
  GITCODE_STATE_KEY  HTTP replicas: random text sealing the state a question to the person carries between a
                     call and its answer (destructive tools' confirmation); the same on every replica
  GITCODE_OAUTH_KEY  --oauth: random text (32+ characters) sealing the tokens issued; the same on every replica;
                     a comma list rotates keys (the first seals, all are accepted)

Over HTTP a request may narrow what it sees and reaches, never widen it, with the headers X-MCP-Toolsets,
X-MCP-Tools, X-MCP-Read-Only, X-MCP-Repos and X-MCP-Lockdown.

HTTP callers send their own token as `Authorization: Bearer <token>` or `X-GitCode-Token: <token>`, or, with
--oauth, sign in with GitCode.

toolsets: {toolsets}  (* default)
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="gitcode-mcp",
        description="MCP server that gives AI agents the GitCode platform (REST API v5) as tools.",
        epilog=EPILOG.format(
            api_url=DEFAULT_API_URL,
            pathsep=os.pathsep,
            toolsets=", ".join(n + "*" * t.default for n, t in toolsets().items()),
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add = parser.add_argument
    add("--version", action="version", version=f"gitcode-mcp {__version__}")
    add(
        "--transport",
        choices=("stdio", "streamable-http", "sse"),
        default="stdio",
        help="how clients connect: stdio (default; for Claude Desktop, IDEs), streamable-http (at /mcp), "
        "or sse (legacy clients, at /sse)",
    )
    add("--host", default="127.0.0.1", help="address for HTTP transports (default 127.0.0.1)")
    add("--port", type=int, default=8000, help="port for HTTP transports (default 8000)")
    add("--toolsets", help="comma list of toolsets to enable, or 'all' (overrides GITCODE_TOOLSETS)")
    add(
        "--read-only",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="list only read tools (overrides GITCODE_READ_ONLY)",
    )
    add("--tools", help="comma list of single tools to enable beside the toolsets' (overrides GITCODE_TOOLS)")
    add(
        "--no-destructive",
        action="store_const",
        const=True,
        default=None,
        help="list no tool that can delete or otherwise destroy, whatever toolsets are on (GITCODE_NO_DESTRUCTIVE)",
    )
    add(
        "--exclude-tools",
        metavar="REGEX",
        help="leave out the tools whose whole name matches REGEX, e.g. 'delete_.*|transfer_repository' "
        "(overrides GITCODE_EXCLUDE_TOOLS)",
    )
    add(
        "--repos",
        help="comma list of owner/repo or owner/*: every call refuses any other repository before sending anything, "
        "and lists across repositories leave theirs out (overrides GITCODE_REPOS)",
    )
    add(
        "--rate-limit",
        metavar="N/PERIOD",
        help="send at most N requests per period for each token, e.g. 50/min (overrides GITCODE_RATE_LIMIT); "
        "GitCode's own 429 always holds a token back for its Retry-After",
    )
    add(
        "--audit-log",
        metavar="FILE",
        help="append a JSON line per write sent (tool, method, path, caller's token fingerprint, outcome) to FILE "
        "(overrides GITCODE_AUDIT_LOG)",
    )
    add(
        "--audit-reads",
        action="store_const",
        const=True,
        default=None,
        help="with --audit-log, reads too (GITCODE_AUDIT_READS)",
    )
    add(
        "--raw-content",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="give users' text exactly as GitCode has it: hidden characters and HTML comments kept, files unfenced "
        "(overrides GITCODE_RAW_CONTENT)",
    )
    add(
        "--lockdown",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="in public repositories, withhold issue and PR bodies and comments by users without push access: a "
        "filter against prompt injection, not an access control (overrides GITCODE_LOCKDOWN)",
    )
    add(
        "--sandbox",
        action="store_true",
        help="serve the built-in GitCode simulator instead of gitcode.com: no token needed, nothing leaves "
        "this process, data is lost on exit",
    )
    add(
        "--upload-dir",
        action="append",
        metavar="DIR",
        help="a directory whose files upload_file may read as file:///path over stdio (repeat for more; "
        "overrides GITCODE_UPLOAD_DIRS). Symbolic links are followed and must stay inside; /proc, /sys and /dev never",
    )
    add(
        "--require-caller-token",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="HTTP: every caller must send its own GitCode token; the server's GITCODE_TOKEN is never used for "
        "them (overrides GITCODE_REQUIRE_CALLER_TOKEN)",
    )
    add(
        "--stateless",
        action="store_true",
        help="Streamable HTTP without sessions, so any replica or worker can answer any request",
    )
    add("--workers", type=int, default=1, help="Streamable HTTP: worker processes (more than 1 implies --stateless)")
    add("--allowed-hosts", help="comma list of extra Host values to accept over HTTP, e.g. 'mcp.example.com:*'")
    add("--allowed-origins", help="comma list of extra Origin values to accept, e.g. 'https://mcp.example.com'")
    add(
        "--oauth",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="HTTP: callers sign in with GitCode (this server is their OAuth authorization server; needs "
        "GITCODE_OAUTH_CLIENT_ID and GITCODE_OAUTH_CLIENT_SECRET) (overrides GITCODE_OAUTH)",
    )
    add("--oauth-client-id", help="the GitCode OAuth app's client id (overrides GITCODE_OAUTH_CLIENT_ID)")
    add(
        "--public-url",
        help="--oauth: the URL clients reach this server at, e.g. https://mcp.example.com (overrides "
        "GITCODE_PUBLIC_URL; default http://HOST:PORT on loopback)",
    )
    add(
        "--oauth-only",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="--oauth: refuse callers' own token headers, so every caller signs in (overrides GITCODE_OAUTH_ONLY)",
    )
    return parser.parse_args(argv)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _comma(text: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in (text or "").split(",") if t.strip())


class BadSetting(ValueError):
    """A setting that cannot work, said at start-up in one line."""


def _secret(env: Mapping[str, str], name: str) -> SecretStr | None:
    value = env.get(name, "").strip()
    return SecretStr(value) if value else None


def _gitcode_token(env: Mapping[str, str]) -> SecretStr | None:
    token = _secret(env, "GITCODE_TOKEN")
    if token and not is_header_safe(token.get_secret_value()):
        raise BadSetting("GITCODE_TOKEN holds characters a token cannot have (non-ASCII or control characters)")
    return token


def _secrets(env: Mapping[str, str], sandbox: bool) -> dict[str, SecretStr | None]:
    """SECRET_SETTINGS, from the environment (a command line is visible to others)."""
    return {
        "token": SecretStr(SANDBOX_TOKEN) if sandbox else _gitcode_token(env),
        "oauth_client_secret": (
            SecretStr(SANDBOX_OAUTH_CLIENT_SECRET) if sandbox else _secret(env, "GITCODE_OAUTH_CLIENT_SECRET")
        ),
        "oauth_key": _secret(env, "GITCODE_OAUTH_KEY"),
        "state_key": _secret(env, "GITCODE_STATE_KEY"),
    }


def _flag_or_variable(flag: bool | None, env: Mapping[str, str], name: str) -> bool:
    return flag if flag is not None else _truthy(env.get(name))


def _upload_dirs(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[str, ...]:
    given = args.upload_dir if args.upload_dir is not None else env.get("GITCODE_UPLOAD_DIRS", "").split(os.pathsep)
    try:
        return allowed_directories(d.strip() for d in given if d.strip())
    except ValueError as exc:
        raise BadSetting(str(exc)) from None


def _flag_or_env(value: str | None, env: Mapping[str, str], name: str) -> str:
    return value if value is not None else env.get(name, "")


def _narrowing(args: argparse.Namespace, env: Mapping[str, str]) -> dict[str, Any]:
    """--tools, --no-destructive, --exclude-tools and --repos, checked: a typo must not silently widen or narrow."""
    tools = _comma(_flag_or_env(args.tools, env, "GITCODE_TOOLS"))
    known = {t.name for t in all_tools()}
    if unknown := [t for t in tools if t not in known]:
        raise BadSetting(f"unknown tool {', '.join(unknown)} in --tools (gitcode-mcp --help lists the toolsets)")
    exclude = _flag_or_env(args.exclude_tools, env, "GITCODE_EXCLUDE_TOOLS").strip() or None
    if exclude is not None:
        try:
            re.compile(exclude)
        except re.error as exc:
            raise BadSetting(f"--exclude-tools {exclude!r} is not a regular expression: {exc}") from None
    try:
        repos = repo_patterns(_comma(_flag_or_env(args.repos, env, "GITCODE_REPOS")))
    except ValueError as exc:
        raise BadSetting(f"--repos: {exc}") from None
    return {
        "tools": tools,
        "no_destructive": _flag_or_variable(args.no_destructive, env, "GITCODE_NO_DESTRUCTIVE"),
        "exclude_tools": exclude,
        "repos": repos,
    }


def _safeguards(args: argparse.Namespace, env: Mapping[str, str]) -> dict[str, Any]:
    """--rate-limit and the audit trail, checked: a pace that cannot be read, or a log that cannot be written, stops
    the start rather than going unenforced."""
    pace = _flag_or_env(args.rate_limit, env, "GITCODE_RATE_LIMIT").strip() or None
    if pace is not None:
        try:
            parse_pace(pace)
        except ValueError as exc:
            raise BadSetting(f"--rate-limit: {exc}") from None
    audit = _flag_or_env(args.audit_log, env, "GITCODE_AUDIT_LOG").strip() or None
    if audit is not None:
        try:
            with open(audit, "a", encoding="utf-8"):
                pass
        except OSError as exc:
            raise BadSetting(f"--audit-log {audit!r} cannot be written: {exc.strerror}") from None
    return {
        "rate_limit": pace,
        "audit_log": audit,
        "audit_reads": _flag_or_variable(args.audit_reads, env, "GITCODE_AUDIT_READS"),
    }


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    toolsets_text = args.toolsets if args.toolsets is not None else env.get("GITCODE_TOOLSETS", "")
    chosen = _comma(toolsets_text) or None
    resolve_toolsets(chosen)  # fail at start-up, not at the first call
    client_id = args.oauth_client_id if args.oauth_client_id is not None else env.get("GITCODE_OAUTH_CLIENT_ID", "")
    public_url = args.public_url if args.public_url is not None else env.get("GITCODE_PUBLIC_URL", "")
    settings = Settings(
        api_url=SANDBOX_API_URL if args.sandbox else env.get("GITCODE_API_URL", "").strip() or DEFAULT_API_URL,
        toolsets=chosen,
        read_only=args.read_only if args.read_only is not None else _truthy(env.get("GITCODE_READ_ONLY")),
        **_narrowing(args, env),
        **_safeguards(args, env),
        raw_content=_flag_or_variable(args.raw_content, env, "GITCODE_RAW_CONTENT"),
        lockdown=_flag_or_variable(args.lockdown, env, "GITCODE_LOCKDOWN"),
        transport=args.transport,
        host=args.host,
        port=args.port,
        sandbox=args.sandbox,
        upload_dirs=_upload_dirs(args, env),
        require_caller_token=_flag_or_variable(args.require_caller_token, env, "GITCODE_REQUIRE_CALLER_TOKEN"),
        stateless=args.stateless or args.workers > 1,
        workers=args.workers,
        allowed_hosts=_comma(
            args.allowed_hosts if args.allowed_hosts is not None else env.get("GITCODE_ALLOWED_HOSTS")
        ),
        allowed_origins=_comma(
            args.allowed_origins if args.allowed_origins is not None else env.get("GITCODE_ALLOWED_ORIGINS")
        ),
        oauth=_flag_or_variable(args.oauth, env, "GITCODE_OAUTH"),
        oauth_client_id=SANDBOX_OAUTH_CLIENT_ID if args.sandbox else client_id.strip() or None,
        public_url=public_url.strip() or None,
        oauth_only=_flag_or_variable(args.oauth_only, env, "GITCODE_OAUTH_ONLY"),
    )
    return settings.model_copy(update=_secrets(env, args.sandbox))


def _problem(settings: Settings) -> str | None:
    """A combination of settings that cannot work, said before anything starts."""
    if settings.workers > 1 and settings.transport != "streamable-http":
        return "--workers needs --transport streamable-http (an SSE or stdio session lives in one process)"
    if settings.stateless and settings.transport != "streamable-http":
        return "--stateless applies to --transport streamable-http only"
    if not (settings.oauth or settings.oauth_only):
        return None  # the OAuth modules are imported only where they serve
    from gitcode_mcp.oauth.config import oauth_problem

    return oauth_problem(settings)


def _sandbox_transport(settings: Settings) -> httpx2.AsyncBaseTransport | None:
    if not settings.sandbox:
        return None
    import httpx2

    from gitcode_mcp.sandbox import Sandbox

    return httpx2.ASGITransport(app=Sandbox(kettle=True).app)


def _warn_about_exposure(settings: Settings) -> None:
    from gitcode_mcp.http_app import is_loopback

    # With --oauth a caller with no token of its own is asked to sign in: GITCODE_TOKEN serves no one.
    fallback = settings.token is not None and not settings.require_caller_token and not settings.oauth
    if not is_loopback(settings.host) and fallback:
        log.warning(
            "listening on %s with a server-wide GITCODE_TOKEN and caller tokens not required: anyone who can reach "
            "this port acts on GitCode as that token's user. Use --require-caller-token, or keep the port private.",
            settings.host,
        )


def worker_app() -> Starlette:
    """The HTTP app of one `--workers` process (uvicorn imports this factory in each worker)."""
    from gitcode_mcp.http_app import build_http_app

    settings = Settings.model_validate_json(os.environ[WORKER_SETTINGS])
    settings = settings.model_copy(update=_secrets(os.environ, settings.sandbox))
    return build_http_app(settings, _sandbox_transport(settings))


def serve_http(settings: Settings) -> None:
    import uvicorn

    from gitcode_mcp.http_app import build_http_app

    path = "/mcp" if settings.transport == "streamable-http" else "/sse"
    kind = "Streamable HTTP" + " (stateless)" * settings.stateless if path == "/mcp" else "SSE"
    workers = f", {settings.workers} workers" if settings.workers > 1 else ""
    print(f"gitcode-mcp: {kind} on http://{settings.host}:{settings.port}{path}{workers}", file=sys.stderr)
    if settings.oauth:
        from gitcode_mcp.oauth.config import CALLBACK_PATH, public_url

        print(
            f"gitcode-mcp: OAuth: clients sign in with GitCode at {public_url(settings)}; the GitCode OAuth app's "
            f"callback URL is {public_url(settings)}{CALLBACK_PATH}",
            file=sys.stderr,
        )
    _warn_about_exposure(settings)
    # No access log: a line per MCP message is noise at team scale (and headers, tokens among them, are never logged).
    options = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "lifespan": "on",
        "access_log": False,
    }
    if settings.workers > 1:
        os.environ[WORKER_SETTINGS] = settings.model_dump_json(exclude=SECRET_SETTINGS)
        if settings.oauth_key is not None:  # a key made up at start-up: every worker must seal with the same
            os.environ["GITCODE_OAUTH_KEY"] = settings.oauth_key.get_secret_value()
        # A question a worker asks (a destructive tool's confirmation) is answered on whichever worker the client's
        # next call reaches: all of them must open the state it carries.
        os.environ["GITCODE_STATE_KEY"] = (
            settings.state_key or SecretStr(secrets.token_urlsafe(32))
        ).get_secret_value()
        uvicorn.run("gitcode_mcp.cli:worker_app", factory=True, workers=settings.workers, **options)
    else:
        uvicorn.run(build_http_app(settings, _sandbox_transport(settings)), **options)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # stdout carries the protocol in stdio mode: every log line goes to stderr.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="gitcode-mcp: %(levelname)s %(message)s")
    try:
        settings = settings_from(args, os.environ)
    except (UnknownToolset, BadSetting) as exc:
        print(f"gitcode-mcp: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"gitcode-mcp: invalid setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2
    if problem := _problem(settings):
        print(f"gitcode-mcp: {problem}", file=sys.stderr)
        return 2

    if settings.sandbox:
        print(
            "gitcode-mcp: SANDBOX: serving a built-in GitCode simulator, not gitcode.com. Nothing leaves this "
            "process and every change is lost on exit. Try owner 'alice', repo 'demo', pull request 1; repo 'kettle' "
            "has a history to ask about." + " Its GitCode sign-in page signs in as alice or bob." * settings.oauth,
            file=sys.stderr,
        )
    elif settings.token is None and settings.transport == "stdio":
        log.warning("GITCODE_TOKEN is not set: only public data can be read, and writes will answer 401")
    elif settings.token is None and not settings.require_caller_token and not settings.oauth:
        log.warning("GITCODE_TOKEN is not set: callers that send no token of their own can read only public data")
    if settings.oauth and settings.oauth_key is None:
        from gitcode_mcp.oauth.seal import new_key

        if not settings.sandbox:
            log.warning(
                "GITCODE_OAUTH_KEY is not set: sign-ins end when this process stops, and other replicas refuse its "
                "tokens. Set it to the same random text (32+ characters) on every replica."
            )
        settings = settings.model_copy(update={"oauth_key": SecretStr(new_key())})

    if settings.transport == "stdio":
        from gitcode_mcp.server import build_server

        build_server(settings, _sandbox_transport(settings)).run("stdio")
    else:
        serve_http(settings)
    return 0
