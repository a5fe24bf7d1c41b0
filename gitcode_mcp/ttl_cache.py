"""A small in-memory cache whose entries expire, bounded in size (the oldest entry goes first when it is full).

Written here rather than taken from cachetools: a dozen lines, and no dependency the server does not have already.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class TTLCache(Generic[V]):
    def __init__(self, ttl: float, max_entries: int = 10_000, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._clock = clock
        self._entries: dict[Hashable, tuple[float, V]] = {}

    def get(self, key: Hashable) -> V | None:
        """The value kept for `key`, or None when there is none or it has expired."""
        found = self._entries.get(key)
        if found is None:
            return None
        if found[0] <= self._clock():
            del self._entries[key]
            return None
        return found[1]

    def put(self, key: Hashable, value: V) -> None:
        now = self._clock()
        self._entries.pop(key, None)
        if len(self._entries) >= self._max:
            self._entries = {k: e for k, e in self._entries.items() if e[0] > now}
            while len(self._entries) >= self._max:
                del self._entries[next(iter(self._entries))]
        self._entries[key] = (now + self.ttl, value)
