"""What a tool reaches through its Context: the server's one GitCodeClient, opened in the lifespan."""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from mcp.server.mcpserver import Context

from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.settings import Settings


@dataclass(frozen=True)
class AppState:
    settings: Settings
    client: GitCodeClient


def gitcode(ctx: Context) -> GitCodeClient:
    """The shared client for this call. (Per-caller tokens over HTTP will pick the caller's identity here.)"""
    return cast(AppState, ctx.request_context.lifespan_context).client
