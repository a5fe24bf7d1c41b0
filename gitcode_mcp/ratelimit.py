"""GitCode's rate limit, respected per token: once GitCode answers 429 for a token, later requests with that token
wait out its Retry-After (a read, when the wait is short) or fail fast saying how long to wait, instead of sending
more into the limit; an optional pace (GITCODE_RATE_LIMIT, e.g. `50/min`) spaces each token's requests.

State is kept per token fingerprint and nothing is shared between tokens, so one HTTP caller never slows another.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections import deque
from dataclasses import dataclass, field

import anyio

from gitcode_mcp.errors import GitCodeError

# Without a Retry-After, how long a 429 holds a token back (GitCode's limit is counted per minute).
DEFAULT_HOLD = 10.0
_PERIODS = {"s": 1.0, "sec": 1.0, "second": 1.0, "min": 60.0, "minute": 60.0, "h": 3600.0, "hour": 3600.0}


def parse_pace(text: str) -> tuple[int, float]:
    """`50/min` -> (50, 60.0); ValueError for anything else."""
    match = re.fullmatch(r"\s*(\d+)\s*/\s*([a-z]+)\s*", text.lower())
    if not match or match.group(2) not in _PERIODS or int(match.group(1)) < 1:
        raise ValueError(f"{text!r} is not a rate like 50/min, 5/s or 3000/hour")
    return int(match.group(1)), _PERIODS[match.group(2)]


def fingerprint(token: str | None) -> str:
    """A token's stand-in in logs and state kept per caller (limits, lockdown's cache, the audit trail): not the
    token, and not reversible to it."""
    return hashlib.sha256(token.encode()).hexdigest()[:32] if token else "anonymous"


@dataclass
class _TokenState:
    held_until: float = 0.0
    sent: deque[float] = field(default_factory=deque)


class RateLimits:
    """The per-token limit state of one process's client (shared by every caller's view of it)."""

    def __init__(self, pace: tuple[int, float] | None = None) -> None:
        self._pace = pace
        self._tokens: dict[str, _TokenState] = {}

    def _state(self, key: str) -> _TokenState:
        return self._tokens.setdefault(key, _TokenState())

    async def before(self, key: str, *, is_write: bool, max_wait: float) -> None:
        """Wait for this token's turn, or raise (nothing sent) when the wait is longer than `max_wait`; a write
        waits for a pace slot too, but never sleeps through GitCode's own refusal."""
        state = self._state(key)
        now = time.monotonic()
        if (held := state.held_until - now) > 0:
            if is_write or held > max_wait:
                raise GitCodeError(
                    429,
                    "rate limited: GitCode refused this token moments ago",
                    f"nothing was sent; try again in {held:.0f} s",
                )
            await anyio.sleep(held)
        if self._pace is not None:
            await self._take_slot(state, max_wait)

    async def _take_slot(self, state: _TokenState, max_wait: float) -> None:
        count, period = self._pace or (0, 0.0)
        now = time.monotonic()
        while state.sent and state.sent[0] <= now - period:
            state.sent.popleft()
        if len(state.sent) >= count:
            wait = state.sent[0] + period - now
            if wait > max_wait:
                raise GitCodeError(
                    429,
                    f"this server sends at most {count} requests per {period:g} s for a token",
                    f"nothing was sent; try again in {wait:.0f} s",
                )
            await anyio.sleep(wait)
            state.sent.popleft()
        state.sent.append(time.monotonic())

    def refused(self, key: str, retry_after: float | None) -> None:
        """GitCode answered 429 for this token: hold it back for Retry-After seconds."""
        state = self._state(key)
        state.held_until = max(state.held_until, time.monotonic() + (retry_after or DEFAULT_HOLD))
