"""Flags and environment become Settings; a flag beats its variable; bad values fail at start-up."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gitcode_mcp.cli import main, parse_args, settings_from
from gitcode_mcp.settings import (
    DEFAULT_API_URL,
    SANDBOX_API_URL,
    SANDBOX_OAUTH_CLIENT_ID,
    SANDBOX_OAUTH_CLIENT_SECRET,
    SANDBOX_TOKEN,
)


def settings(argv: list[str], env: dict[str, str] | None = None):
    return settings_from(parse_args(argv), env or {})


def test_defaults() -> None:
    s = settings([])
    assert (s.token, s.api_url, s.toolsets, s.read_only, s.transport, s.host, s.port, s.sandbox) == (
        None,
        DEFAULT_API_URL,
        None,
        False,
        "stdio",
        "127.0.0.1",
        8000,
        False,
    )


def test_environment() -> None:
    s = settings(
        [],
        {
            "GITCODE_TOKEN": " t0k ",
            "GITCODE_API_URL": "http://127.0.0.1:1/api/v5",
            "GITCODE_TOOLSETS": "pulls, issues",
            "GITCODE_READ_ONLY": "true",
        },
    )
    assert s.token is not None and s.token.get_secret_value() == "t0k"
    assert (s.api_url, s.toolsets, s.read_only) == ("http://127.0.0.1:1/api/v5", ("pulls", "issues"), True)
    assert "t0k" not in repr(s) and "t0k" not in str(s.model_dump())


@pytest.mark.parametrize(("value", "expected"), [("1", True), ("TRUE", True), ("0", False), ("", False)])
def test_read_only_variable(value: str, expected: bool) -> None:
    assert settings([], {"GITCODE_READ_ONLY": value}).read_only is expected


def test_flags_beat_variables() -> None:
    env = {"GITCODE_TOOLSETS": "pulls", "GITCODE_READ_ONLY": "1"}
    s = settings(["--toolsets", "issues", "--no-read-only", "--transport", "streamable-http", "--port", "9001"], env)
    assert (s.toolsets, s.read_only, s.transport, s.port) == (("issues",), False, "streamable-http", 9001)
    assert settings(["--read-only"], {"GITCODE_READ_ONLY": "0"}).read_only is True


def test_sandbox_never_uses_the_real_token_or_url() -> None:
    s = settings(["--sandbox"], {"GITCODE_TOKEN": "real", "GITCODE_API_URL": "https://api.gitcode.com/api/v5"})
    assert s.api_url == SANDBOX_API_URL and s.token is not None and s.token.get_secret_value() == SANDBOX_TOKEN


def test_unknown_toolset_fails_at_start(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setenv("GITCODE_TOOLSETS", "pulls,nope")
    assert main([]) == 2
    assert "unknown toolset nope" in capsys.readouterr().err


def test_bad_port_fails_at_start(capsys: pytest.CaptureFixture) -> None:
    assert main(["--port", "70000"]) == 2
    assert "port" in capsys.readouterr().err


def test_upload_directories_come_from_the_flag_or_the_variable(tmp_path: Path) -> None:
    shots, docs = tmp_path / "shots", tmp_path / "docs"
    shots.mkdir()
    docs.mkdir()
    (tmp_path / "link").symlink_to(shots)
    assert settings([]).upload_dirs == ()  # none by default: uploads take base64 only
    env = {"GITCODE_UPLOAD_DIRS": f"{shots}{os.pathsep}{tmp_path / 'link'}{os.pathsep}"}
    assert settings([], env).upload_dirs == (str(shots),)  # resolved, each once
    flags = ["--upload-dir", str(docs), "--upload-dir", "~"]
    assert settings(flags, env).upload_dirs == (str(docs), str(Path.home().resolve()))  # the flag beats the variable


@pytest.mark.parametrize("directory", ["/proc", "/proc/self", "/sys", "/dev", "/", "/no/such/dir"])
def test_an_upload_directory_that_cannot_be_allowed_fails_at_start(
    directory: str, capsys: pytest.CaptureFixture
) -> None:
    assert main(["--upload-dir", directory]) == 2
    err = capsys.readouterr().err
    assert "upload directory" in err and directory in err


def test_a_token_that_cannot_be_a_header_fails_at_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.setenv("GITCODE_TOKEN", "t0kén")
    assert main([]) == 2
    err = capsys.readouterr().err
    assert "GITCODE_TOKEN holds characters a token cannot have" in err and "t0k" not in err


def test_help_names_the_upload_directories(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "--upload-dir DIR" in out and "GITCODE_UPLOAD_DIRS" in out


def test_oauth_settings_from_flags_and_environment() -> None:
    env = {
        "GITCODE_OAUTH": "1",
        "GITCODE_OAUTH_CLIENT_ID": "app-id",
        "GITCODE_OAUTH_CLIENT_SECRET": "app-secret",
        "GITCODE_OAUTH_KEY": "k" * 40,
        "GITCODE_PUBLIC_URL": "https://mcp.example.com",
    }
    s = settings(["--transport", "streamable-http"], env)
    assert (s.oauth, s.oauth_client_id, s.public_url, s.oauth_only) == (
        True,
        "app-id",
        "https://mcp.example.com",
        False,
    )
    assert s.oauth_client_secret is not None and s.oauth_client_secret.get_secret_value() == "app-secret"
    assert s.oauth_key is not None and s.oauth_key.get_secret_value() == "k" * 40
    assert "app-secret" not in repr(s) and "k" * 40 not in str(s.model_dump())
    flags = ["--no-oauth", "--oauth-client-id", "other", "--public-url", "https://other.example", "--oauth-only"]
    s = settings(flags, env)
    assert (s.oauth, s.oauth_client_id, s.public_url, s.oauth_only) == (False, "other", "https://other.example", True)


def test_the_sandbox_signs_in_with_its_own_oauth_app() -> None:
    s = settings(["--sandbox", "--oauth"], {"GITCODE_OAUTH_CLIENT_ID": "real", "GITCODE_OAUTH_CLIENT_SECRET": "real"})
    assert s.oauth_client_id == SANDBOX_OAUTH_CLIENT_ID
    assert s.oauth_client_secret is not None and s.oauth_client_secret.get_secret_value() == SANDBOX_OAUTH_CLIENT_SECRET


@pytest.mark.parametrize(
    ("argv", "env", "says"),
    [
        (["--oauth"], {}, "--oauth needs an HTTP transport"),
        (["--oauth", "--transport", "sse"], {}, "http://127.0.0.1:8000/oauth/callback"),
        (["--oauth", "--transport", "sse", "--host", "0.0.0.0"], {"id": "x"}, "needs --public-url"),
        (["--oauth", "--transport", "sse", "--public-url", "http://mcp.example.com"], {"id": "x"}, "must be https"),
        (["--oauth", "--transport", "sse", "--public-url", "https://example.com/mcp"], {"id": "x"}, "without a path"),
        (["--oauth", "--transport", "sse"], {"id": "x", "GITCODE_OAUTH_KEY": "short"}, "at least 32 characters"),
        (["--oauth-only", "--transport", "sse"], {}, "--oauth-only needs --oauth"),
    ],
)
def test_oauth_settings_that_cannot_work_fail_at_start(
    argv: list[str], env: dict[str, str], says: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    if env.pop("id", None):
        env |= {"GITCODE_OAUTH_CLIENT_ID": "app-id", "GITCODE_OAUTH_CLIENT_SECRET": "app-secret"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(argv) == 2
    assert says in capsys.readouterr().err
