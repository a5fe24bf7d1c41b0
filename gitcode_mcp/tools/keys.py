"""SSH keys: list, read, add and delete the public keys of the token's user (ref, Users page, sections 9-12)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from typing import Any

from mcp.server.mcpserver import Context

from gitcode_mcp.endpoints import MY_KEY, MY_KEYS
from gitcode_mcp.errors import GitCodeError, InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import FULL_PAGE, Number, Page, Text, Title, get_page, gitcode
from gitcode_mcp.views import Obj, View, as_int, to_text

keys = Toolset("keys", "Manage the authenticated user's SSH keys")

NEW_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEeaYdU3CgNRrUmKjzJOD5rVC/r75MBE6knL45gejLVz agent@ci"
TYPES = frozenset(
    {
        "ssh-rsa",
        "ssh-dss",
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)


def _blob(line: str) -> bytes | None:
    """The binary part of an OpenSSH public key line, when it is one: a known type, base64 that decodes, and a
    blob that names the same type (what catches a pasted fragment or a mistyped prefix)."""
    parts = line.split()
    if len(parts) < 2 or parts[0] not in TYPES:
        return None
    try:
        blob = base64.b64decode(parts[1], validate=True)
        (size,) = struct.unpack(">I", blob[:4])
    except (binascii.Error, struct.error):
        return None
    return blob if blob[4 : 4 + size] == parts[0].encode() else None


def fingerprint(key: Any) -> str | None:
    """SHA256:<base64> as `ssh-keygen -l` prints it: how a person recognises a key without reading all of it."""
    blob = _blob(key) if isinstance(key, str) else None
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=") if blob else None


def _part(index: int) -> Any:
    def get(k: Obj) -> Any:
        parts = str(k.get("key") or "").split(None, 2)
        return parts[index] if len(parts) > index else None

    return get


def _title(k: Obj) -> Any:
    title = k.get("title")
    return title.strip() if isinstance(title, str) else title  # the ref shows titles ending in "\r\n"


# The key text is public but long (an RSA key is ~550 characters): lists show its type, fingerprint and comment;
# get_ssh_key gives the whole line. The API URL (`url`) is dropped.
SSH_KEY = View(
    id=lambda k: as_int(k.get("id")),
    title=_title,
    type=_part(0),
    fingerprint=lambda k: fingerprint(k.get("key")),
    comment=_part(2),
    created_at="created_at",
)


# One key: the whole line (type and comment included), so no fingerprint beside it.
SSH_KEY_LINE = View(id=lambda k: as_int(k.get("id")), title=_title, key="key", created_at="created_at")


@keys.read(Example({}, f"GET {MY_KEYS}"))
async def list_ssh_keys(ctx: Context, page: Page = 1) -> str:
    """List your account's SSH public keys: id, title, type, fingerprint."""
    return await get_page(ctx, MY_KEYS, SSH_KEY, page, FULL_PAGE)


@keys.read(Example({"key_id": 308357}, f"GET {MY_KEY}"))
async def get_ssh_key(key_id: Number, ctx: Context) -> str:
    """Get one of your SSH keys, with the whole public key line."""
    reply = await gitcode(ctx).get(
        api_path(MY_KEY, key_id=key_id), hints={404: "no such key on your account; list_ssh_keys shows their ids"}
    )
    # The ref documents this answer as an array holding the one key; take either that or the object itself.
    data = reply.data
    found = (data[0] if data else None) if isinstance(data, list) else data
    if not isinstance(found, dict):
        raise GitCodeError(404, f"no SSH key {key_id} on your account", "list_ssh_keys shows their ids")
    return to_text(SSH_KEY_LINE(found))


@keys.write(Example({"title": "ci runner", "key": NEW_KEY}, f"POST {MY_KEYS}"))
async def add_ssh_key(title: Title, key: Text, ctx: Context) -> str:
    """Add an SSH public key (one line, e.g. 'ssh-ed25519 AAAA... me@host') to your account."""
    line = " ".join(key.split())
    if "PRIVATE KEY" in line:
        raise InvalidArgument("key", "this is a private key, which must never be shared; give the public key (.pub)")
    if _blob(line) is None:
        raise InvalidArgument("key", "not an OpenSSH public key; give one line like 'ssh-ed25519 AAAA... me@host'")
    reply = await gitcode(ctx).request(
        "POST",
        api_path(MY_KEYS),
        json={"title": title.strip(), "key": line},
        hints={
            400: "the key may be on an account already (see list_ssh_keys) or be refused as a key",
            422: "the key may be on an account already (see list_ssh_keys) or be refused as a key",
        },
    )
    return to_text(SSH_KEY(reply.object()))


@keys.destructive(Example({"key_id": 308357}, f"DELETE {MY_KEY}"), idempotent=True)
async def delete_ssh_key(key_id: Number, ctx: Context) -> str:
    """Delete one of your SSH keys; Git over SSH with it stops working. This cannot be undone."""
    await gitcode(ctx).request(
        "DELETE", api_path(MY_KEY, key_id=key_id), hints={404: "no such key on your account; list_ssh_keys shows ids"}
    )
    return to_text({"deleted": key_id})
