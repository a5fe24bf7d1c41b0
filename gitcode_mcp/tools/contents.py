"""Repository contents: read a file as text, or list a directory."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from mcp.server.mcpserver import Context
from mcp_types import TextContent

from gitcode_mcp import shaping
from gitcode_mcp.client import clean_file_path, encode_path, repo_path
from gitcode_mcp.context import gitcode
from gitcode_mcp.tooldef import read
from gitcode_mcp.tools._params import Ref

TOOLSET = "contents"
PURPOSE = "Read files and directories in a repository"

# A file larger than this is cut, with a note; ~64K tokens is already more than most agents can use at once.
MAX_TEXT_CHARS = 256 * 1024


def decode_file(entry: dict[str, Any]) -> tuple[str | None, int]:
    """A file's text (None when binary) and its size in bytes, from GitCode's base64 `content`."""
    content = entry.get("content") or ""
    if entry.get("encoding", "base64") == "base64":
        try:
            raw = base64.b64decode(content)
        except (binascii.Error, ValueError):
            return None, int(entry.get("size") or 0)
    else:
        raw = content.encode()
    if b"\x00" in raw:
        return None, len(raw)
    try:
        return raw.decode("utf-8"), len(raw)
    except UnicodeDecodeError:
        return None, len(raw)


async def get_file_contents(
    owner: str,
    repo: str,
    path: str,
    ctx: Context,
    ref: Ref = None,
) -> list[TextContent]:
    """Read a file as text, or list a directory."""
    path = clean_file_path("path", path)
    reply = await gitcode(ctx).get(repo_path(owner, repo, "contents", encode_path(path)), {"ref": ref})
    if isinstance(reply.data, list):
        listing = {"path": path, "ref": ref, "entries": [shaping.directory_entry(e) for e in reply.items()]}
        return [_json_block(listing)]
    data = reply.object()
    text, size = decode_file(data)
    meta: dict[str, Any] = {"path": data.get("path") or path, "ref": ref, "sha": data.get("sha"), "size": size}
    if text is None:
        meta["binary"] = True
        meta["note"] = "binary file: its content is not shown"
        return [_json_block(meta)]
    meta["lines"] = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    if len(text) > MAX_TEXT_CHARS:
        shown = text[:MAX_TEXT_CHARS]
        meta["truncated"] = f"showing the first {shown.count(chr(10))} lines ({MAX_TEXT_CHARS} of {len(text)} chars)"
        text = shown
    # The text goes in a block of its own so it reaches the agent verbatim, not as an escaped JSON string.
    return [_json_block(meta), TextContent(type="text", text=text)]


def _json_block(value: dict[str, Any]) -> TextContent:
    return TextContent(type="text", text=shaping.to_text(shaping.drop_empty(value)))


TOOLS = [read(get_file_contents)]
