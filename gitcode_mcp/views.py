"""Compact views of GitCode objects for agents, and the pieces views share.

A view is a field list: `View(number=at("number", as_int), title="title", author=at("user", login))`. It keeps
identifiers, state, titles, bodies, refs, counts, timestamps and the one web URL a person would open, and drops
empty values; API URLs, avatars and nested repository copies never reach the agent. Each area declares its own
views beside its tools; the ones several areas use (users, labels) live here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

Obj = dict[str, Any]
Getter = Callable[[Obj], Any]


def to_text(value: Any) -> str:
    """Compact JSON, non-ASCII kept as is (GitCode text is often Chinese: escapes would triple its size)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def drop_empty(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if v is not None and v != "" and v != [] and v != {}}


def sub(obj: Obj, key: str) -> Obj:
    """The object nested at `key`, or an empty one when GitCode sent none (or something else)."""
    value = obj.get(key)
    return value if isinstance(value, dict) else {}


def as_int(value: Any) -> Any:
    """GitCode sends some numbers as strings ("15"; docs/gitcode-behaviour.md, Errors, ids and numbers): agents
    get integers."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def state(value: Any) -> Any:
    """`open`, `closed`, `merged`; GitCode also answers `opened` (ref examples), read as open."""
    return "open" if value == "opened" else value


def login(user: Any) -> str | None:
    return user.get("login") or user.get("username") if isinstance(user, dict) else None


def logins(users: Any) -> list[str]:
    return [name for u in users if (name := login(u))] if isinstance(users, list) else []


def names(items: Any, key: str = "name") -> list[str]:
    """Names of labels and the like; GitCode sometimes hands back the comma string it was given."""
    if isinstance(items, str):
        return [s for s in items.split(",") if s]
    if not isinstance(items, list):
        return []
    found = (i.get(key) if isinstance(i, dict) else i for i in items)
    return [str(n) for n in found if n]


def at(key: str, convert: Callable[[Any], Any] = lambda v: v) -> Getter:
    """The value at `key`, converted (a missing key gives None to `convert` only when it is not None)."""

    def get(obj: Obj) -> Any:
        value = obj.get(key)
        return None if value is None else convert(value)

    return get


class View:
    """A compact view: output name -> source key (a string) or a function of the whole object."""

    def __init__(self, **fields: str | Getter) -> None:
        self.fields = {name: at(src) if isinstance(src, str) else src for name, src in fields.items()}

    def __call__(self, obj: Any) -> Obj:
        if not isinstance(obj, dict):
            return {}
        return drop_empty({name: get(obj) for name, get in self.fields.items()})

    def many(self, items: list[Any]) -> list[Obj]:
        return [self(i) for i in items]


USER = View(login="login", name="name")
