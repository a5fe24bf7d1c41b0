"""The checks every call's arguments pass before a tool runs, decided by the argument's name as api_path decides a
placeholder's: so a tool that ends up sending nothing still refuses a bad owner, and a branch sent in a body is held
to the rules of a branch sent in a path.

- names (`owner`, `repo`, `org`, ...): GitCode's namespace rule (a `repo` without an `owner` may be owner/name);
- git refs (`branch`, `ref`, `head`, `base`, `tag_name`, ...): at most 255 characters, never blank, no '..';
- other names sent as values (`name`, `label`, `file_name`, ...): at most 255 characters;
- a list never holds a blank item (empty, spaces or invisible characters only): an empty id or label must not be
  read as "none given", which for some GitCode writes means "all of them";
- no text holds a lone surrogate (U+D800-U+DFFF), which is not Unicode text and cannot be sent as UTF-8.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from gitcode_mcp.errors import InvalidArgument, preview
from gitcode_mcp.paths import MAX_SEGMENT, NAME_PARAMS, check_name, check_ref
from gitcode_mcp.unicode_text import is_blank

# A person or namespace named in an argument rather than in the path: the same rule as a path's owner.
_OTHER_NAMES = frozenset({"new_owner", "organization"})
_REFS = frozenset({"branch", "ref", "head", "base", "tag", "tag_name", "sha", "wildcard"})
# GitCode's limit for a name is 255 (branch, tag and label names; the reference states none lower).
_SHORT = frozenset(
    {"name", "new_name", "label", "labels", "file_name", "users", "assignees", "branches", "ids", "push", "merge"}
)


def check_arguments(arguments: Mapping[str, Any]) -> None:
    """Refuse, naming the argument, the first value that breaks its name's rule (the tool's own schema checks the
    types afterwards; a value of the wrong type is left to it)."""
    for param, value in arguments.items():
        _check_text(param, value)
        if isinstance(value, list):
            _check_items(param, value)
        elif param == "repo" and "owner" not in arguments and "/" in str(value):
            _check_full_name(value)
        elif isinstance(value, str):
            _check_value(param, value)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _check_text(param: str, value: Any) -> None:
    if isinstance(value, str):
        if match := _SURROGATE.search(value):
            raise InvalidArgument(
                param, f"holds a lone surrogate (U+{ord(match.group()):04X}) at {match.start()}, which is not text"
            )
    elif isinstance(value, list | tuple):
        for item in value:
            _check_text(param, item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(param, key)
            _check_text(f"{param}.{key}" if isinstance(key, str) and not _SURROGATE.search(key) else param, item)


def _check_full_name(value: str) -> None:
    """A `repo` given without an owner may name both (search's filter): owner/name."""
    owner, _, name = value.partition("/")
    if "/" in name:
        raise InvalidArgument("repo", f"{preview(value)}: give owner/name, like alice/demo")
    check_name("repo", owner)
    check_name("repo", name)


def _check_value(param: str, value: str) -> None:
    if param in NAME_PARAMS or param in _OTHER_NAMES:
        check_name(param, value)
    elif param in _REFS or param in _SHORT:
        if len(value) > MAX_SEGMENT:
            raise InvalidArgument(param, f"is {len(value)} characters long; at most {MAX_SEGMENT}")
        if param in _REFS:
            if is_blank(value) and param != "branch":  # a blank branch is the default branch (contents)
                raise InvalidArgument(param, "is blank; give a branch, tag or commit")
            check_ref(param, value)


def _check_items(param: str, values: list[Any]) -> None:
    blank = [i for i, v in enumerate(values) if isinstance(v, str) and is_blank(v)]
    if blank:
        where = f"item {blank[0]}" if len(blank) == 1 else f"{len(blank)} items (the first: item {blank[0]})"
        raise InvalidArgument(
            param, f"{where} is blank; remove it (an empty value never stands for 'none' or 'all' here)"
        )
    for i, value in enumerate(values):
        if isinstance(value, str) and param in _SHORT and len(value) > MAX_SEGMENT:
            raise InvalidArgument(
                param, f"item {i} ({preview(value)}) is {len(value)} characters long; at most {MAX_SEGMENT}"
            )
