"""Repository contents: read a file as text, or list a directory."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from mcp.server.mcpserver import Context
from mcp_types import TextContent

from gitcode_mcp.client import Reply
from gitcode_mcp.paths import api_path, clean_file_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Ref, gitcode
from gitcode_mcp.views import View, drop_empty, to_text

contents = Toolset("contents", "Read files and directories in a repository", default=True)

CONTENTS = "repos/{owner}/{repo}/contents/{path}"
ENTRY = View(path="path", type="type", size=lambda e: e.get("size") or None)

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


def line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


async def read_contents(ctx: Context, owner: str, repo: str, path: str, ref: str | None, **kw: Any) -> Reply:
    return await gitcode(ctx).get(api_path(CONTENTS, owner=owner, repo=repo, path=path), {"ref": ref}, **kw)


@contents.read(
    Example({"owner": "alice", "repo": "demo", "path": "src/app.py", "ref": "feature"}, f"GET {CONTENTS}"),
    Example({"owner": "alice", "repo": "demo", "path": "src"}, f"GET {CONTENTS}"),
)
async def get_file_contents(
    owner: str, repo: str, path: str, ctx: Context, ref: Ref | None = None
) -> list[TextContent]:
    """Read a file as text, or list a directory."""
    path = clean_file_path("path", path)
    reply = await read_contents(ctx, owner, repo, path, ref)
    if isinstance(reply.data, list):
        return [_json_block({"path": path, "ref": ref, "entries": ENTRY.many(reply.items())})]
    data = reply.object()
    text, size = decode_file(data)
    meta: dict[str, Any] = {"path": data.get("path") or path, "ref": ref, "sha": data.get("sha"), "size": size}
    if text is None:
        meta["binary"] = True
        meta["note"] = "binary file: its content is not shown"
        return [_json_block(meta)]
    meta["lines"] = line_count(text)
    if len(text) > MAX_TEXT_CHARS:
        shown = text[:MAX_TEXT_CHARS]
        meta["truncated"] = f"showing the first {shown.count(chr(10))} lines ({MAX_TEXT_CHARS} of {len(text)} chars)"
        text = shown
    # The text goes in a block of its own so it reaches the agent verbatim, not as an escaped JSON string.
    return [_json_block(meta), TextContent(type="text", text=text)]


def _json_block(value: dict[str, Any]) -> TextContent:
    return TextContent(type="text", text=to_text(drop_empty(value)))
