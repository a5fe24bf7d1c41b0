"""What a call answers stays small: an error under 2 KB, and no long value the agent sent echoed back whole.

An agent pays for every byte it reads. A list of 5,000 bad items is one problem said once with its count, and a
10 MB body the agent just wrote comes back as its first characters and its length: the agent has the rest already.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

MAX_ERROR = 2000
# A value the agent sent that is longer than this is not repeated in full; a short prefix shows which one it was.
MAX_ECHO = 500
_ECHO_PREFIX = 60


def bounded(text: str, limit: int = MAX_ERROR) -> str:
    """`text` cut to `limit` characters, saying how long it was."""
    if len(text) <= limit:
        return text
    note = f"... ({len(text)} characters in all)"
    return text[: limit - len(note)] + note


def describe_invalid(error: ValidationError) -> str:
    """Pydantic's report, rewritten for an agent: which argument, what is wrong (no error codes or URLs); a problem
    shared by many list items is said once, with the number of items and the first of them."""
    seen: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], str] = {}
    for item in error.errors():
        loc = [str(part) for part in item["loc"]]
        # `ids.0`, `ids.1`, ... are one problem of `ids.*` when the message is the same.
        general = ".".join("*" if part.isdigit() else part for part in loc) or "arguments"
        problem = "" if item["type"] == "missing" else item["msg"].removeprefix("Value error, ")
        seen[general, problem] += 1
        first.setdefault((general, problem), ".".join(loc) or "arguments")
    lines = []
    for (general, problem), count in seen.items():
        where = f"`{first[general, problem]}`" + (f" and {count - 1} more like `{general}`" if count > 1 else "")
        lines.append(f"Invalid argument {where}: {problem}" if problem else f"Missing argument {where}")
    return bounded("; ".join(lines))


def trim_echoes(text: str, arguments: Mapping[str, Any]) -> str:
    """`text` with every long string argument it repeats (raw, or as a JSON string's content) replaced by a prefix
    and its length."""
    for value in _long_strings(arguments.values()):
        for form in {value, json.dumps(value, ensure_ascii=False)[1:-1]}:
            if form in text:
                short = json.dumps(value[:_ECHO_PREFIX], ensure_ascii=False)[1:-1]
                text = text.replace(form, f"{short}... ({len(value)} characters, as sent)")
    return text


def _long_strings(values: Any) -> list[str]:
    found: list[str] = []
    for value in values:
        if isinstance(value, str) and len(value) > MAX_ECHO:
            found.append(value)
        elif isinstance(value, list | tuple):
            found.extend(_long_strings(value))
        elif isinstance(value, dict):
            found.extend(_long_strings(value.values()))
    return found
