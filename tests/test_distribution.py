"""What ships beside the package: the MCP bundle manifest (validated against the format's published schema), the
container image's command line and probes, and the Kubernetes example. Docker cannot run here, so the image's
own command line is run as a process and its probe endpoints are asked."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from pathlib import Path

import jsonschema
import pytest

import gitcode_mcp
from gitcode_mcp.sandbox import Sandbox
from tests.conftest import free_port
from tests.test_transports import EXE, server_env, stop

ROOT = Path(__file__).resolve().parent.parent
# The MCPB manifest schema v0.4, from @anthropic-ai/mcpb 2.1.2 (MIT): the first version with `"type": "uv"`.
MCPB_SCHEMA = Path(__file__).parent / "data" / "mcpb-manifest-v0.4.schema.json"


def test_bundle_manifest_validates_against_the_published_schema() -> None:
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    schema = json.loads(MCPB_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.validate(manifest, schema, format_checker=jsonschema.FormatChecker())
    assert manifest["version"] == gitcode_mcp.__version__
    token = manifest["user_config"]["gitcode_token"]
    assert token["sensitive"] is True and token["required"] is True
    assert manifest["server"]["mcp_config"]["env"]["GITCODE_TOKEN"] == "${user_config.gitcode_token}"
    assert (ROOT / manifest["server"]["entry_point"]).exists()


def dockerfile() -> str:
    return (ROOT / "Dockerfile").read_text(encoding="utf-8")


def instruction(name: str) -> list[str]:
    match = re.search(rf"^{name} (\[.*\])$", dockerfile(), re.M)
    assert match, name
    return json.loads(match.group(1))


def test_image_is_slim_and_runs_as_a_user() -> None:
    text = dockerfile()
    assert re.search(r"^FROM python:3\.\d+-slim$", text, re.M)
    user = re.findall(r"^USER (\S+)$", text, re.M)
    assert user and user[-1] not in ("root", "0")
    assert instruction("ENTRYPOINT") == ["gitcode-mcp"]
    assert instruction("CMD") == [
        "--transport",
        "streamable-http",
        "--host",
        "0.0.0.0",
        "--port",
        "8000",
        "--stateless",
    ]


def test_kubernetes_example_matches_the_image() -> None:
    text = (ROOT / "deploy" / "kubernetes.yaml").read_text(encoding="utf-8")
    args = json.loads(re.search(r"^\s+args: (\[.*\])$", text, re.M).group(1))  # type: ignore[union-attr]
    assert args == instruction("CMD")
    assert "containerPort: 8000" in text and re.search(r"^EXPOSE 8000$", dockerfile(), re.M)
    assert re.findall(r"httpGet: \{path: (/\w+)", text) == ["/readyz", "/healthz"]
    assert "GITCODE_REQUIRE_CALLER_TOKEN" in text and "runAsNonRoot: true" in text


@pytest.fixture
def image_command(gitcode_double: tuple[Sandbox, str], tmp_path: Path):
    """The image's ENTRYPOINT + CMD, on loopback and a free port instead of 0.0.0.0:8000 (later flags win)."""
    port = free_port()
    command = [str(EXE), *instruction("CMD"), "--host", "127.0.0.1", "--port", str(port)]
    log = tmp_path / "server.txt"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=out, stderr=out, env=server_env(GITCODE_API_URL=gitcode_double[1])
        )
    try:
        yield f"http://127.0.0.1:{port}", log
    finally:
        stop(proc)


def get(url: str) -> tuple[int, dict]:
    deadline = time.monotonic() + 20
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.status, json.loads(answer.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_the_images_command_answers_its_probes(image_command: tuple[str, Path]) -> None:
    base, log = image_command
    healthcheck = re.search(r"urlopen\('http://127\.0\.0\.1:8000(/\w+)'", dockerfile())
    assert healthcheck and healthcheck.group(1) == "/healthz"
    assert get(base + "/healthz") == (
        200,
        {"status": "ok", "version": gitcode_mcp.__version__, "worker": get(base + "/healthz")[1]["worker"]},
    )
    assert get(base + "/readyz") == (200, {"status": "ready", "gitcode": "reachable"})
    assert "Streamable HTTP (stateless) on http://127.0.0.1:" in log.read_text(errors="replace")
