"""The command line: flags and environment -> Settings -> build_server() -> run the transport.

This is the only module that reads the environment. A flag beats its variable.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from pydantic import SecretStr, ValidationError

from gitcode_mcp import __version__
from gitcode_mcp.identity import is_header_safe
from gitcode_mcp.registry import UnknownToolset, resolve_toolsets, toolsets
from gitcode_mcp.settings import DEFAULT_API_URL, SANDBOX_API_URL, SANDBOX_TOKEN, Settings
from gitcode_mcp.uploads import allowed_directories

if TYPE_CHECKING:
    import httpx2
    from starlette.applications import Starlette

log = logging.getLogger("gitcode_mcp")

# The settings a `--workers N` parent hands its worker processes (everything but the token, which they read
# from GITCODE_TOKEN as the parent did).
WORKER_SETTINGS = "GITCODE_MCP_WORKER_SETTINGS"

EPILOG = """\
environment:
  GITCODE_TOKEN      personal access token (https://gitcode.com/setting/token-classic); sent only in request
                     headers to GITCODE_API_URL. Over HTTP it is the fallback for callers that send no token.
                     Without it, only public data can be read.
  GITCODE_API_URL    GitCode API base URL (default {api_url})
  GITCODE_TOOLSETS   comma list of toolsets, or 'all'; empty means the default set
  GITCODE_READ_ONLY  1 or true: list only tools that do not change anything
  GITCODE_UPLOAD_DIRS directories (separated by '{pathsep}') that a file:///path upload may read from over stdio;
                     none by default: uploads then take base64 content only
  GITCODE_REQUIRE_CALLER_TOKEN, GITCODE_ALLOWED_HOSTS, GITCODE_ALLOWED_ORIGINS: as the flags

HTTP callers send their own token as `Authorization: Bearer <token>` or `X-GitCode-Token: <token>`.

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
        help="a directory whose files upload_image/upload_file may read as file:///path over stdio (repeat for more; "
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
    return parser.parse_args(argv)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def _comma(text: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in (text or "").split(",") if t.strip())


class BadSetting(ValueError):
    """A setting that cannot work, said at start-up in one line."""


def _token(env: Mapping[str, str], sandbox: bool) -> SecretStr | None:
    if sandbox:
        return SecretStr(SANDBOX_TOKEN)
    token = env.get("GITCODE_TOKEN", "").strip()
    if token and not is_header_safe(token):
        raise BadSetting("GITCODE_TOKEN holds characters a token cannot have (non-ASCII or control characters)")
    return SecretStr(token) if token else None


def _upload_dirs(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[str, ...]:
    given = args.upload_dir if args.upload_dir is not None else env.get("GITCODE_UPLOAD_DIRS", "").split(os.pathsep)
    try:
        return allowed_directories(d.strip() for d in given if d.strip())
    except ValueError as exc:
        raise BadSetting(str(exc)) from None


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    toolsets_text = args.toolsets if args.toolsets is not None else env.get("GITCODE_TOOLSETS", "")
    chosen = _comma(toolsets_text) or None
    resolve_toolsets(chosen)  # fail at start-up, not at the first call
    require = args.require_caller_token
    return Settings(
        token=_token(env, args.sandbox),
        api_url=SANDBOX_API_URL if args.sandbox else env.get("GITCODE_API_URL", "").strip() or DEFAULT_API_URL,
        toolsets=chosen,
        read_only=args.read_only if args.read_only is not None else _truthy(env.get("GITCODE_READ_ONLY")),
        transport=args.transport,
        host=args.host,
        port=args.port,
        sandbox=args.sandbox,
        upload_dirs=_upload_dirs(args, env),
        require_caller_token=require if require is not None else _truthy(env.get("GITCODE_REQUIRE_CALLER_TOKEN")),
        stateless=args.stateless or args.workers > 1,
        workers=args.workers,
        allowed_hosts=_comma(
            args.allowed_hosts if args.allowed_hosts is not None else env.get("GITCODE_ALLOWED_HOSTS")
        ),
        allowed_origins=_comma(
            args.allowed_origins if args.allowed_origins is not None else env.get("GITCODE_ALLOWED_ORIGINS")
        ),
    )


def _problem(settings: Settings) -> str | None:
    """A combination of settings that cannot work, said before anything starts."""
    if settings.workers > 1 and settings.transport != "streamable-http":
        return "--workers needs --transport streamable-http (an SSE or stdio session lives in one process)"
    if settings.stateless and settings.transport != "streamable-http":
        return "--stateless applies to --transport streamable-http only"
    return None


def _sandbox_transport(settings: Settings) -> httpx2.AsyncBaseTransport | None:
    if not settings.sandbox:
        return None
    import httpx2

    from gitcode_mcp.sandbox import Sandbox

    return httpx2.ASGITransport(app=Sandbox().app)


def _warn_about_exposure(settings: Settings) -> None:
    from gitcode_mcp.http_app import is_loopback

    if not is_loopback(settings.host) and settings.token is not None and not settings.require_caller_token:
        log.warning(
            "listening on %s with a server-wide GITCODE_TOKEN and caller tokens not required: anyone who can reach "
            "this port acts on GitCode as that token's user. Use --require-caller-token, or keep the port private.",
            settings.host,
        )


def worker_app() -> Starlette:
    """The HTTP app of one `--workers` process (uvicorn imports this factory in each worker)."""
    from gitcode_mcp.http_app import build_http_app

    settings = Settings.model_validate_json(os.environ[WORKER_SETTINGS])
    settings = settings.model_copy(update={"token": _token(os.environ, settings.sandbox)})
    return build_http_app(settings, _sandbox_transport(settings))


def serve_http(settings: Settings) -> None:
    import uvicorn

    from gitcode_mcp.http_app import build_http_app

    path = "/mcp" if settings.transport == "streamable-http" else "/sse"
    kind = "Streamable HTTP" + " (stateless)" * settings.stateless if path == "/mcp" else "SSE"
    workers = f", {settings.workers} workers" if settings.workers > 1 else ""
    print(f"gitcode-mcp: {kind} on http://{settings.host}:{settings.port}{path}{workers}", file=sys.stderr)
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
        os.environ[WORKER_SETTINGS] = settings.model_dump_json(exclude={"token"})
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
            "process and every change is lost on exit. Try owner 'alice', repo 'demo', pull request 1.",
            file=sys.stderr,
        )
    elif settings.token is None and settings.transport == "stdio":
        log.warning("GITCODE_TOKEN is not set: only public data can be read, and writes will answer 401")
    elif settings.token is None and not settings.require_caller_token:
        log.warning("GITCODE_TOKEN is not set: callers that send no token of their own can read only public data")

    if settings.transport == "stdio":
        from gitcode_mcp.server import build_server

        build_server(settings, _sandbox_transport(settings)).run("stdio")
    else:
        serve_http(settings)
    return 0
