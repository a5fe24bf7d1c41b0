"""Where a token would leave a request outside its headers: as it is, or inside base64 (a file's content, an
uploaded image) at any of the three byte offsets it can start at. The client asks this before every request."""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

# A secret shorter than this is not a token GitCode issues (theirs are 20+ characters), and looking for it would
# refuse ordinary text.
MIN_SECRET = 8


@cache
def secret_forms(secret: str) -> tuple[str, ...]:
    """`secret` as it is and as it shows inside base64 (standard and URL-safe) at each of the three byte offsets it
    can start at: the characters that depend on the secret's bytes alone."""
    raw = secret.encode()
    forms = {secret}
    for shift in range(3):
        for encode in (base64.b64encode, base64.urlsafe_b64encode):
            text = encode(b"\0" * shift + raw).decode()
            # characters wholly inside the secret's bits: from ceil(8*shift/6) to floor(8*(shift+len)/6)
            forms.add(text[-(-8 * shift // 6) : 8 * (shift + len(raw)) // 6])
    return tuple(f for f in forms if len(f) >= MIN_SECRET)


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """`text` with each of `secrets`, in every form secret_forms finds, replaced by ***: an answer never shows a
    token, not even one the agent sent itself in a bad argument (the error would repeat it)."""
    for secret in secrets:
        for form in sorted(secret_forms(secret), key=len, reverse=True):
            text = text.replace(form, "***")
    return text


def carried_secret(secrets: tuple[str, ...], parts: dict[str, str | bytes]) -> str | None:
    """The name of the first part (the path, a query parameter, a body field, a file) holding one of `secrets`."""
    for secret in secrets:
        forms = secret_forms(secret)
        binary = tuple(f.encode() for f in forms)
        for name, value in parts.items():
            if isinstance(value, bytes) and any(f in value for f in binary):
                return name
            if isinstance(value, str) and any(f in value for f in forms):
                return name
    return None


def request_parts(path: str, query: dict[str, Any], json_body: Any, files: Any) -> dict[str, str | bytes]:
    """What of a request leaves outside its headers, by the name an error can point to."""
    parts: dict[str, str | bytes] = {"the path": path}
    parts |= {f"query parameter `{k}`": str(v) for k, v in query.items()}
    if isinstance(json_body, dict):
        parts |= {f"body field `{k}`": json.dumps(v, ensure_ascii=False) for k, v in json_body.items()}
    elif json_body is not None:
        parts["the body"] = json.dumps(json_body, ensure_ascii=False)
    for name, file in (files or {}).items():
        content = file[1] if isinstance(file, tuple) else file
        parts[f"the file `{name}`"] = content if isinstance(content, bytes) else str(content).encode()
        if isinstance(file, tuple):
            parts[f"the file name of `{name}`"] = str(file[0])
    return parts
