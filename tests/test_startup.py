"""What a start over stdio loads: nothing a transport does not use (the simulator only with --sandbox, the HTTP app
and OAuth only for HTTP), and no validator before a tool's first call (the listed schemas come from
tool_schemas.json: tests/test_tool_build.py). bench/startup.py measures the time."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from gitcode_mcp.cli import _sandbox_transport, parse_args, settings_from
from gitcode_mcp.server import build_server
settings = settings_from(parse_args(sys.argv[1:]), {})
server = build_server(settings, _sandbox_transport(settings))  # as cli.main builds it for stdio
print(json.dumps(sorted(m for m in sys.modules if m.startswith("gitcode_mcp."))))
"""


def loaded(*argv: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True, timeout=60)
    return set(json.loads(out.stdout))


def test_a_stdio_start_with_every_toolset_loads_no_simulator_http_app_or_oauth() -> None:
    modules = loaded("--toolsets", "all")
    assert "gitcode_mcp.tools.actions" in modules  # the tools are there
    assert not {m for m in modules if m.startswith(("gitcode_mcp.sandbox", "gitcode_mcp.oauth"))}
    assert "gitcode_mcp.http_app" not in modules


def test_the_sandbox_is_loaded_only_when_asked_for() -> None:
    assert "gitcode_mcp.sandbox.core" in loaded("--sandbox")
    assert "gitcode_mcp.sandbox.core" not in loaded()
