"""The caller's SSH public keys (ref, Users page, sections 9-12): listed, read, added and deleted; a deleted key answers
404. The ref shows a single key read answered as a one-element array, and its key URLs without `/api`."""

from __future__ import annotations

import base64
import binascii
import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import MY_KEY, MY_KEYS
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route
from gitcode_mcp.sandbox.state import Kept, User, World

ALICE_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC4VtAUlxGDigs0H8xg3otv5APxT3dQ6j06EwNS7bFDC alice@laptop"
BOB_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJF0hK+YJ7FnJ4mCMAowv9EHv6O4vRgyIOx5X/H6the bob@desktop"
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


@dataclass
class SshKey:
    id: int
    title: str
    key: str  # the OpenSSH public key line: "<type> <base64> [comment]"
    created_at: str


@dataclass
class SshKeys(Kept):
    """A user's SSH keys."""

    keys: list[SshKey] = field(default_factory=list)


def seed(world: World) -> None:
    # Fixed ids (in the ref's range), not the world's counter: other areas' ids stay as they were.
    SshKeys.of(world.users["alice"]).keys = [SshKey(308357, "laptop", ALICE_KEY, "2024-07-23T10:29:42.119+00:00")]
    SshKeys.of(world.users["bob"]).keys = [SshKey(308358, "desktop\r\n", BOB_KEY, "2024-11-14T03:34:40.318+00:00")]


def render(key: SshKey) -> dict[str, Any]:
    return {
        "id": key.id,
        "title": key.title,
        "key": key.key,
        "created_at": key.created_at,
        "url": f"https://api.gitcode.com/v5/user/keys/{key.id}",
    }


def _blob(text: str) -> bytes | None:
    """The key's binary blob when `text` is an OpenSSH public key line whose blob names its own type."""
    parts = text.split()
    if len(parts) < 2 or parts[0] not in TYPES:
        return None
    try:
        blob = base64.b64decode(parts[1], validate=True)
        (size,) = struct.unpack(">I", blob[:4])
    except (binascii.Error, struct.error):
        return None
    return blob if blob[4 : 4 + size] == parts[0].encode() else None


def own_key(me: User, call: Call) -> SshKey:
    found = next((k for k in SshKeys.of(me).keys if k.id == call.params["key_id"]), None)
    if found is None:
        raise Refusal(404, "Not Found Key")
    return found


@route("GET", MY_KEYS)
async def list_keys(sb: Sandbox, call: Call) -> Response:
    return page(call, [render(k) for k in SshKeys.of(need_token(call)).keys])


@route("GET", MY_KEY)
async def get_key(sb: Sandbox, call: Call) -> Response:
    return JSONResponse([render(own_key(need_token(call), call))])  # ref: an array of one


@route("POST", MY_KEYS)
async def add_key(sb: Sandbox, call: Call) -> Response:
    me = need_token(call)
    data = call.data()
    title, text = data.get("title"), data.get("key")
    if not isinstance(title, str) or not title.strip():
        raise Refusal(400, "title is required")
    if not isinstance(text, str) or (blob := _blob(text)) is None:
        raise Refusal(400, "key is invalid: give an OpenSSH public key")
    # One key, one account, as GitLab and GitHub rule; GitCode's own wording for this refusal is not recorded.
    if any(_blob(k.key) == blob for u in sb.world.users.values() for k in SshKeys.of(u).keys):
        raise Refusal(400, "key has already been taken")
    created = datetime.now(UTC).isoformat(timespec="milliseconds")
    key = SshKey(sb.world.new_id(), title, text.strip(), created)
    SshKeys.of(me).keys.append(key)
    return JSONResponse(render(key), status_code=201)


@route("DELETE", MY_KEY)
async def delete_key(sb: Sandbox, call: Call) -> Response:
    me = need_token(call)
    SshKeys.of(me).keys.remove(own_key(me, call))
    return Response(status_code=204)  # ref: no body
