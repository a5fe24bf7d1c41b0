"""A CI job's log as an agent can use it: never the whole of it, always with line numbers and its size, and framed as
what it is, output of the code under test (data written by whoever wrote that code, never instructions).

GitCode answers a job's log (`download_log`) as a ZIP archive of the job's step logs (GitCode CLI,
pkg/cmd/actions/job/log/log.go), or as the raw text (the CLI's api/queries_actions.go: "the raw log content"); both
are read here, within size limits, the steps in the archive's order, each opened by a `##[step] <name>` line.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from gitcode_mcp.errors import GitCodeError

MAX_LOG_BYTES = 50 * 1000 * 1000  # a log (unpacked) larger than this is not read: say so instead
MAX_LINE_CHARS = 400
MAX_SHOWN_CHARS = 64 * 1024
MAX_ENTRIES = 500

# What marks the first error of a CI log: a compiler's or tool's "error", a failed test or assertion, a traceback.
FIRST_ERROR = re.compile(
    r"##\[error\]|traceback \(most recent call last\)|\b(error|errors|failed|failure|failures|fatal|exception|panic)\b"
    r"|^E\s{2,}",
    re.IGNORECASE,
)
# A count of nothing ("0 failed", "no errors") is not an error.
NOT_AN_ERROR = re.compile(r"\b(0|no)\s+(error|errors|failed|failures)\b", re.IGNORECASE)
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\x1b[@-_]")


def _visible(line: str) -> str:
    """A log line without terminal escapes and control characters: what a terminal shows of it. (Hidden format
    characters, bidi overrides and the like, are shown as markers by content safety, as in a diff.)"""
    line = _ANSI.sub("", line)
    return "".join(c for c in line if c == "\t" or unicodedata.category(c) != "Cc")


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="replace")


def _steps(raw: bytes) -> Iterable[tuple[str, str]]:
    """(step name, its text) for each step log of a job's archive, in the archive's order."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise GitCodeError(None, "GitCode's job log is a damaged archive", "try again later") from None
    entries = [e for e in archive.infolist() if not e.is_dir()][:MAX_ENTRIES]
    if sum(e.file_size for e in entries) > MAX_LOG_BYTES:
        raise GitCodeError(None, f"the job log is larger than {MAX_LOG_BYTES // 1_000_000} MB unpacked", "")
    for entry in entries:
        with archive.open(entry) as member:
            yield entry.filename, _decode(member.read(MAX_LOG_BYTES))


def log_lines(raw: bytes) -> list[str]:
    """The log's visible lines: an archive's steps one after the other, or the text as it is."""
    if raw[:4] != b"PK\x03\x04":
        return [_visible(line) for line in _decode(raw).splitlines()]
    lines: list[str] = []
    for name, text in _steps(raw):
        lines.append(f"##[step] {_visible(name)}")
        lines.extend(_visible(line) for line in text.splitlines())
    return lines


def first_error(lines: list[str]) -> int | None:
    """The index of the log's first error line, or None."""
    return next((i for i, line in enumerate(lines) if FIRST_ERROR.search(line) and not NOT_AN_ERROR.search(line)), None)


@dataclass(frozen=True)
class Window:
    """Which lines to show (0-based indexes into the log) and how they were chosen."""

    indexes: list[int]
    how: str


def tail(lines: list[str], count: int) -> Window:
    start = max(0, len(lines) - count)
    return Window(list(range(start, len(lines))), f"the last {len(lines) - start} lines")


def around_first_error(lines: list[str], count: int) -> Window:
    """The first error with a little before it (what led to it) and the rest after (the traceback, the summary);
    the log's end when no line looks like an error."""
    found = first_error(lines)
    if found is None:
        window = tail(lines, count)
        return Window(window.indexes, f"no line looks like an error; {window.how}")
    start = max(0, found - min(10, count // 4))
    return Window(list(range(start, min(len(lines), start + count))), f"around the first error (line {found + 1})")


def starting_at(lines: list[str], line: int, count: int) -> Window:
    start = min(max(line - 1, 0), len(lines))
    return Window(list(range(start, min(len(lines), start + count))), f"from line {line}")


def matching(lines: list[str], needles: str, count: int) -> Window:
    """Lines containing any of `needles` (`|`-separated, case-insensitive plain text: no regular expression, so no
    pattern can make the search hang)."""
    wanted = [n.lower() for n in needles.split("|") if n.strip()]
    hits = [i for i, line in enumerate(lines) if any(n in line.lower() for n in wanted)]
    shown = hits[:count]
    more = f"; the first {len(shown)} shown" if len(hits) > len(shown) else ""
    return Window(shown, f"{len(hits)} lines match {needles!r}{more}")


def framed(lines: list[str], window: Window) -> tuple[str, str]:
    """The chosen lines, numbered from 1 and cut to size; and what was shown."""
    width = len(str(len(lines)))
    out: list[str] = []
    size, shown = 0, []
    for i in window.indexes:
        line = lines[i]
        if len(line) > MAX_LINE_CHARS:
            line = f"{line[:MAX_LINE_CHARS]}... (+{len(line) - MAX_LINE_CHARS} chars)"
        text = f"{i + 1:>{width}}| {line}"
        if size + len(text) > MAX_SHOWN_CHARS:
            break
        out.append(text)
        size += len(text) + 1
        shown.append(i)
    span = f"lines {shown[0] + 1}-{shown[-1] + 1}" if shown else "no lines"
    if len(shown) < len(window.indexes):
        span += f" (cut at {MAX_SHOWN_CHARS // 1024} KB; ask for fewer lines)"
    return "\n".join(out), span
