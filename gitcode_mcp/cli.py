"""The command line: flags and environment -> Settings -> build_server() -> run the transport.

This is the only module that reads the environment. A flag beats its variable.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping, Sequence

from pydantic import SecretStr, ValidationError

from gitcode_mcp import __version__
from gitcode_mcp.registry import UnknownToolset, resolve_toolsets, toolsets
from gitcode_mcp.settings import DEFAULT_API_URL, SANDBOX_API_URL, SANDBOX_TOKEN, Settings

log = logging.getLogger("gitcode_mcp")

EPILOG = """\
environment:
  GITCODE_TOKEN      personal access token (https://gitcode.com/setting/token-classic); sent only in request
                     headers to GITCODE_API_URL. Without it, only public data can be read.
  GITCODE_API_URL    GitCode API base URL (default {api_url})
  GITCODE_TOOLSETS   comma list of toolsets, or 'all'; empty means the default set
  GITCODE_READ_ONLY  1 or true: list only tools that do not change anything

toolsets: {toolsets}  (* default)
"""


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="gitcode-mcp",
        description="MCP server that gives AI agents the GitCode platform (REST API v5) as tools.",
        epilog=EPILOG.format(
            api_url=DEFAULT_API_URL, toolsets=", ".join(n + "*" * t.default for n, t in toolsets().items())
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"gitcode-mcp {__version__}")
    parser.add_argument(
        "--transport",
        choices=("stdio", "streamable-http", "sse"),
        default="stdio",
        help="how clients connect: stdio (default; for Claude Desktop, IDEs), streamable-http (at /mcp), "
        "or sse (legacy clients, at /sse)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address for HTTP transports (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port for HTTP transports (default 8000)")
    parser.add_argument("--toolsets", help="comma list of toolsets to enable, or 'all' (overrides GITCODE_TOOLSETS)")
    parser.add_argument(
        "--read-only",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="list only read tools (overrides GITCODE_READ_ONLY)",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="serve the built-in GitCode simulator instead of gitcode.com: no token needed, nothing leaves "
        "this process, data is lost on exit",
    )
    return parser.parse_args(argv)


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def settings_from(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    toolsets_text = args.toolsets if args.toolsets is not None else env.get("GITCODE_TOOLSETS", "")
    toolsets = tuple(t.strip() for t in toolsets_text.split(",") if t.strip()) or None
    resolve_toolsets(toolsets)  # fail at start-up, not at the first call
    token = env.get("GITCODE_TOKEN", "").strip()
    return Settings(
        token=SecretStr(SANDBOX_TOKEN) if args.sandbox else SecretStr(token) if token else None,
        api_url=SANDBOX_API_URL if args.sandbox else env.get("GITCODE_API_URL", "").strip() or DEFAULT_API_URL,
        toolsets=toolsets,
        read_only=args.read_only if args.read_only is not None else _truthy(env.get("GITCODE_READ_ONLY")),
        transport=args.transport,
        host=args.host,
        port=args.port,
        sandbox=args.sandbox,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    # stdout carries the protocol in stdio mode: every log line goes to stderr.
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING, format="gitcode-mcp: %(levelname)s %(message)s")
    try:
        settings = settings_from(args, os.environ)
    except UnknownToolset as exc:
        print(f"gitcode-mcp: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:
        print(f"gitcode-mcp: invalid setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}", file=sys.stderr)
        return 2

    from gitcode_mcp.server import build_server

    transport = None
    if settings.sandbox:
        import httpx2

        from gitcode_mcp.sandbox import Sandbox

        transport = httpx2.ASGITransport(app=Sandbox().app)
        print(
            "gitcode-mcp: SANDBOX: serving a built-in GitCode simulator, not gitcode.com. Nothing leaves this "
            "process and every change is lost on exit. Try owner 'alice', repo 'demo', pull request 1.",
            file=sys.stderr,
        )
    elif settings.token is None:
        log.warning("GITCODE_TOKEN is not set: only public data can be read, and writes will answer 401")

    server = build_server(settings, transport)
    if settings.transport == "stdio":
        server.run("stdio")
    elif settings.transport == "streamable-http":
        print(f"gitcode-mcp: Streamable HTTP on http://{settings.host}:{settings.port}/mcp", file=sys.stderr)
        server.run("streamable-http", host=settings.host, port=settings.port)
    else:
        print(f"gitcode-mcp: SSE on http://{settings.host}:{settings.port}/sse", file=sys.stderr)
        server.run("sse", host=settings.host, port=settings.port)
    return 0
