"""Self-contained tokens: a JSON payload encrypted and signed with the deployment's key, so any replica holding the
key reads what another issued, and nobody without it can read or change what is inside (GitCode's token among it).

The construction is Fernet from pyca's `cryptography` (AES-128-CBC and HMAC-SHA256, with a timestamp): one audited
recipe rather than one assembled here. MultiFernet seals with the first key and opens with any, so a key can be
rotated without ending sign-ins. Each key is stretched with HKDF, so it can be any long random text.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "gcm_"  # every sealed thing this server hands out starts so: a bearer without it is not ours
MAX_SEALED = 8192  # longer is no token of ours; not worth decrypting


def new_key() -> str:
    return secrets.token_urlsafe(32)


def _fernet(key: str) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"gitcode-mcp oauth v1").derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


class Seal:
    """Seals payloads of a `kind` ("at" an access token, "rt" a refresh token, "code", "client", ...) for one issuer;
    opens only what it sealed for that kind and issuer, unexpired."""

    def __init__(self, keys: Sequence[str], issuer: str) -> None:
        self._fernet = MultiFernet([_fernet(k.strip()) for k in keys if k.strip()])
        self.issuer = issuer

    def close(self, kind: str, payload: dict[str, Any]) -> str:
        body = json.dumps({**payload, "kind": kind, "iss": self.issuer}, separators=(",", ":")).encode()
        return f"{PREFIX}{kind}_{self._fernet.encrypt(body).decode()}"

    def open(self, kind: str, sealed: str) -> dict[str, Any] | None:
        prefix = f"{PREFIX}{kind}_"
        if not sealed.startswith(prefix) or len(sealed) > MAX_SEALED:
            return None
        try:
            body = json.loads(self._fernet.decrypt(sealed[len(prefix) :].encode()))
        except (InvalidToken, ValueError):
            return None
        if not isinstance(body, dict) or body.get("kind") != kind or body.get("iss") != self.issuer:
            return None
        expires = body.get("exp")
        if isinstance(expires, int | float) and expires < time.time():
            return None
        return body
