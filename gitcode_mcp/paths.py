"""api_path(template, **values): the one way to build a GitCode request path.

A template names its segments: `repos/{owner}/{repo}/labels/{name}`. What a placeholder may hold is decided
by its name, here, for the tools and for the simulator's routes alike:
- names (`owner`, `repo`, `org`, `username`, `enterprise`) must match GitCode's namespace rules;
- integers (`number`, `id`, ...) must be positive integers;
- `path` is a repository file path: cleaned, then percent-encoded segment by segment;
- every other placeholder is one segment, percent-encoded whole ('/' included), never blank, '.' or '..';
- a git ref (`branch`, `tag`, `sha`, `base`, ...) never holds '..' (git check-ref-format forbids it).
So no argument can add a segment, climb out of its endpoint or reach another host. A value that would climb once
decoded (`..%2F`, `%252e%252e`) is refused too, though it is sent encoded: a proxy in front of GitCode may decode it.
"""

from __future__ import annotations

import re
import string
from functools import cache
from typing import Any
from urllib.parse import quote, unquote

from gitcode_mcp.errors import InvalidArgument, preview
from gitcode_mcp.unicode_text import is_blank

NAME_PARAMS = frozenset({"owner", "repo", "org", "username", "enterprise"})
INT_PARAMS = frozenset(
    {
        "number",
        "id",
        "comment_id",
        "note_id",
        "key_id",
        "hook_id",
        "release_id",
        "milestone",
        "attach_file_id",
        "mirror_id",
        "issue_id",
        # kanban boards, enterprise v8: an issue's or PR's iid on a board, the enterprise's numeric id, label and
        # milestone ids (integers in GitCode's answers; docs.gitcode.com get-api-v-8-enterprises-enterprise-labels)
        "iid",
        "enterprise_id",
        "label_id",
        "milestone_id",
    }
)
FILE_PATH_PARAMS = frozenset({"path"})
REF_PARAMS = frozenset({"branch", "tag", "tag_name", "ref", "sha", "base", "head", "wildcard"})

NAME_PATTERN = r"[A-Za-z0-9_.][A-Za-z0-9_.-]{0,99}"
_NAME = re.compile(NAME_PATTERN)
MAX_SEGMENT = 255  # a branch, tag, label or sha; Git refs are shorter in practice
MAX_FILE_PATH = 1024
MAX_INT = 2**31 - 1


def check_name(param: str, value: str) -> str:
    """An owner, repo, username or org, checked against GitCode's path rules."""
    if not isinstance(value, str) or not _NAME.fullmatch(value) or set(value) == {"."}:
        raise InvalidArgument(
            param,
            f"{preview(value)} is not a GitCode {param}; use letters, digits, '_', '-' and '.' only, "
            "at most 100 (as in https://gitcode.com/<owner>/<repo>)",
        )
    return value


def climbs(value: str) -> bool:
    """Whether `value`, as it is or decoded once or twice, has a '.' or '..' segment (a traversal attempt)."""
    once = unquote(value)
    return any(s in (".", "..") for text in (value, once, unquote(once)) for s in re.split(r"[/\\]", text))


def clean_file_path(param: str, value: str, *, file: bool = False) -> str:
    """A repository file path, checked and normalised ('src//a.py' -> 'src/a.py'); '..' and '/x' are refused, and
    with `file` (a path that must name a file, as every write does) a trailing '/' too."""
    raw = value.strip() if isinstance(value, str) else ""
    if len(raw) > MAX_FILE_PATH:
        raise InvalidArgument(param, f"is {len(raw)} characters long; a file path has at most {MAX_FILE_PATH}")
    if raw.startswith("/") or "\\" in raw or "\x00" in raw:
        raise InvalidArgument(param, f"{preview(value)} must be relative to the repository root, like 'src/main.py'")
    segments = [s for s in raw.split("/") if s]
    if not segments or is_blank(raw):
        raise InvalidArgument(param, "give a file path relative to the repository root, like 'src/main.py'")
    if any(climbs(s) for s in segments):
        raise InvalidArgument(param, f"{preview(value)} may not contain '.' or '..' segments, encoded or not")
    if file and raw.endswith("/"):
        raise InvalidArgument(param, f"{preview(value)} ends in '/', which names a directory; give the file's path")
    return "/".join(segments)


def check_segment(param: str, value: Any) -> str:
    """A branch, tag, label, sha or other single value as one path segment's raw text."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if text is None or is_blank(text):
        raise InvalidArgument(param, "must be a non-empty string")
    if len(text) > MAX_SEGMENT or "\x00" in text:
        raise InvalidArgument(param, f"{preview(text)} is too long or contains a NUL; at most {MAX_SEGMENT} characters")
    if climbs(text):
        raise InvalidArgument(param, f"{preview(text)} has a '.' or '..' segment, encoded or not; it is not a name")
    if param in REF_PARAMS:
        check_ref(param, text)
    return text


def check_ref(param: str, text: str) -> str:
    """A git ref name's rule that matters for safety: no '..' anywhere (git check-ref-format), nor a '.' or '..'
    segment once decoded."""
    if ".." in text or climbs(text):
        raise InvalidArgument(
            param, f"{preview(text)} has '..' (or a '.' segment once decoded), which no git branch, tag or commit has"
        )
    return text


def check_int(param: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_INT:
        raise InvalidArgument(param, f"{preview(value)} is not a positive integer")
    return value


def encode_file_path(clean_path: str) -> str:
    """A clean file path as URL path segments, each percent-encoded ('a b/c?.md' -> 'a%20b/c%3F.md')."""
    return "/".join(quote(s, safe="") for s in clean_path.split("/"))


@cache
def placeholders(template: str) -> tuple[str, ...]:
    names = tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)
    if any(not n.isidentifier() for n in names) or template.startswith("/"):
        raise ValueError(f"bad path template {template!r}")
    return names


def api_path(template: str, **values: Any) -> str:
    """The request path for `template`, each placeholder checked and encoded by its kind (see the module doc)."""
    names = placeholders(template)
    if set(names) != set(values):
        raise TypeError(f"{template!r} needs {sorted(names)}, got {sorted(values)}")
    encoded: dict[str, str] = {}
    for name in names:
        value = values[name]
        if name in NAME_PARAMS:
            encoded[name] = check_name(name, value)
        elif name in INT_PARAMS:
            encoded[name] = str(check_int(name, value))
        elif name in FILE_PATH_PARAMS:
            encoded[name] = encode_file_path(clean_file_path(name, value))
        else:
            encoded[name] = quote(check_segment(name, value), safe="")
    return template.format(**encoded)


def route_pattern(template: str) -> re.Pattern[str]:
    """The regular expression the simulator matches a decoded request path against, typed like api_path."""
    out = "^"
    for literal, name, _, _ in string.Formatter().parse(template):
        out += re.escape(literal)
        if name is None:
            continue
        if name in INT_PARAMS:
            out += rf"(?P<{name}>\d+)"
        elif name in FILE_PATH_PARAMS:
            out += rf"(?P<{name}>.+)"
        else:
            out += rf"(?P<{name}>[^/]+)"
    return re.compile(out + "$")
