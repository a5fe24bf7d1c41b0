"""Settings: read once by the CLI (flags and environment), then passed down. No other module reads os.environ."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_API_URL = "https://api.gitcode.com/api/v5"
SANDBOX_API_URL = "http://sandbox.gitcode.invalid/api/v5"
SANDBOX_TOKEN = "sandbox-token"
# The simulator's OAuth app, which `--sandbox --oauth` signs in with (any callback URL is registered for it).
SANDBOX_OAUTH_CLIENT_ID = "sandbox-oauth-app"
SANDBOX_OAUTH_CLIENT_SECRET = "sandbox-oauth-secret"

Transport = Literal["stdio", "streamable-http", "sse"]


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    token: SecretStr | None = None
    api_url: str = DEFAULT_API_URL
    # None means the default set; ("all",) enables every toolset.
    toolsets: tuple[str, ...] | None = None
    read_only: bool = False
    # Narrowing (narrowing.py): single tools added to the toolsets; no destructive tool; names to leave out (a
    # regular expression matching whole names); the repositories every call must stay in (owner/repo, owner/*).
    tools: tuple[str, ...] = ()
    no_destructive: bool = False
    exclude_tools: str | None = None
    repos: tuple[str, ...] = ()
    # Content safety (content_safety.py) is on unless raw_content; lockdown (lockdown.py) withholds strangers' text.
    raw_content: bool = False
    lockdown: bool = False
    transport: Transport = "stdio"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    sandbox: bool = False
    # Directories (resolved) a `file://` upload may read from over stdio; none: only base64 content is taken.
    upload_dirs: tuple[str, ...] = ()
    timeout: float = Field(default=30.0, gt=0)
    # Reads are retried on 429/502/503/504; a Retry-After longer than this is reported, not slept through.
    max_retry_wait: float = Field(default=10.0, ge=0)
    retries: int = Field(default=2, ge=0, le=5)
    # A client-side pace per token, e.g. "50/min" (ratelimit.py); none: only GitCode's own 429s hold a token back.
    rate_limit: str | None = None
    # The audit trail (audit.py): a JSON line per write sent, and per read with audit_reads.
    audit_log: str | None = None
    audit_reads: bool = False
    # HTTP deployment: each caller's own token, and what the HTTP app accepts.
    require_caller_token: bool = False
    stateless: bool = False
    workers: int = Field(default=1, ge=1, le=64)
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    # --oauth: this server is the MCP authorization server and GitCode the identity its users sign in with.
    oauth: bool = False
    oauth_client_id: str | None = None
    oauth_client_secret: SecretStr | None = None
    # The keys sealing issued tokens (first seals, all open: rotation); every replica needs the same.
    oauth_key: SecretStr | None = None
    public_url: str | None = None  # where clients reach this server, e.g. https://mcp.example.com
    # Seals the state a question to the person carries between rounds (every replica needs the same; none: a
    # process-local key).
    state_key: SecretStr | None = None
    oauth_only: bool = False  # refuse callers' own token headers: everyone signs in
