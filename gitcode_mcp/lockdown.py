"""Lockdown (`--lockdown`): in a public repository, what users without push access wrote (issue and PR bodies,
comments, review comments, versions in an edit history, notification texts) is withheld from the agent, with a `note`
saying whose and why.

A filter against prompt injection, not an authorization boundary: titles, names, commits and files still come
through, and anyone can read the withheld text on gitcode.com.

Who may push is asked of GitCode with the caller's own token (the collaborator permission read, the same endpoint as
get_collaborator_permission), and the answers are kept for TTL seconds per caller (a fingerprint of the token), per
repository and per author: one caller's answer is never served to another, whose token may see less. A check that
fails withholds (fails closed) and is not kept, so the next call asks again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import anyio
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent

from gitcode_mcp.client import GitCodeClient
from gitcode_mcp.content_safety import FencedText
from gitcode_mcp.endpoints import ME, REPO, REPO_COLLABORATOR_PERMISSION, collaborator_username
from gitcode_mcp.errors import GitCodeError
from gitcode_mcp.paths import api_path
from gitcode_mcp.ttl_cache import TTLCache
from gitcode_mcp.views import login, to_text

TTL = 60.0  # seconds: long enough for an agent's burst of reads, short enough that a removed member soon stops counting
WITHHELD = ("body", "content", "excerpt")  # an excerpt: the words around a text filter's match in a body
AUTHOR_KEYS = ("author", "by", "actor")
PUSH_PERMISSIONS = frozenset({"admin", "push"})

Pair = tuple[str | None, str | None]  # (owner/repo, author login)


def new_cache() -> TTLCache[Any]:
    return TTLCache(TTL)


def _failure(error: ToolError) -> str:
    status = error.status if isinstance(error, GitCodeError) else None
    return f"GitCode {status}" if status is not None else "no usable answer"


class Checks:
    """Lockdown's questions for one call, answered from the cache or by GitCode with the caller's token."""

    def __init__(self, client: GitCodeClient, cache: TTLCache[Any]) -> None:
        self._client = client
        self._cache = cache
        self._caller = client.caller

    async def is_private(self, full_name: str) -> bool:
        key = ("private", self._caller, full_name.lower())
        if (kept := self._cache.get(key)) is not None:
            return kept
        owner, repo = full_name.split("/", 1)
        answer = (await self._client.get(api_path(REPO, owner=owner, repo=repo))).object()
        if isinstance(answer.get("private"), bool):
            private = answer["private"]
        elif isinstance(answer.get("public"), bool):
            private = not answer["public"]
        else:
            raise GitCodeError(None, "the repository's answer does not say whether it is public")
        self._cache.put(key, private)
        return private

    async def can_push(self, full_name: str, author: str) -> bool:
        owner, repo = full_name.split("/", 1)
        if author.lower() == owner.lower():
            return True  # a personal repository's owner
        key = ("push", self._caller, full_name.lower(), author.lower())
        if (kept := self._cache.get(key)) is not None:
            return kept
        where = api_path(REPO_COLLABORATOR_PERMISSION, owner=owner, repo=repo, username=collaborator_username(author))
        try:
            answer = (await self._client.get(where)).object()
        except GitCodeError as error:
            if error.status != 404:
                raise
            answer = {}  # not a member of the repository (live: 404; sandbox/areas/collaborators.py)
        flags = answer.get("permissions")
        pushes = answer.get("permission") in PUSH_PERMISSIONS or (
            isinstance(flags, dict) and (flags.get("push") is True or flags.get("admin") is True)
        )
        self._cache.put(key, pushes)
        return pushes

    async def viewer(self) -> str | None:
        """The caller's own login: what they wrote themselves is no stranger's text."""
        key = ("viewer", self._caller)
        if (kept := self._cache.get(key)) is not None:
            return kept
        try:
            found = login((await self._client.get(ME)).object())
        except ToolError:
            return None
        if found:
            self._cache.put(key, found.lower())
        return found.lower() if found else None


async def _reasons(checks: Checks, pairs: set[Pair]) -> dict[Pair, str | None]:
    """Why each (repository, author) pair's text is withheld, or None where it is shown."""
    reasons: dict[Pair, str | None] = {}
    private: set[str] = set()
    unchecked: dict[str, str] = {}  # repository -> why its visibility is not known

    async def visibility(full_name: str) -> None:
        try:
            if await checks.is_private(full_name):
                private.add(full_name)
        except ToolError as error:
            unchecked[full_name] = f"could not check whether {full_name} is public ({_failure(error)})"

    async def author(pair: Pair, full_name: str, name: str) -> None:
        try:
            reasons[pair] = None if await checks.can_push(full_name, name) else f"{name} cannot push to {full_name}"
        except ToolError as error:
            reasons[pair] = f"could not check whether {name} can push to {full_name} ({_failure(error)})"

    async with anyio.create_task_group() as group:
        for full_name in {r for r, _ in pairs if r}:
            group.start_soon(visibility, full_name)
    async with anyio.create_task_group() as group:
        for pair in pairs:
            full_name, name = pair
            if full_name is None:
                reasons[pair] = "the repository is not known"
            elif full_name in private:
                reasons[pair] = None
            elif full_name in unchecked:
                reasons[pair] = unchecked[full_name]
            elif not name:
                reasons[pair] = "its author is not known"
            else:
                group.start_soon(author, pair, full_name, name)
    if any(reasons.values()) and (me := await checks.viewer()):
        for (full_name, name), reason in reasons.items():
            if reason and name and name.lower() == me:
                reasons[full_name, name] = None
    return reasons


def _full_name(value: Any) -> str | None:
    return value if isinstance(value, str) and value.count("/") == 1 and all(value.split("/")) else None


def _authored(value: Any, repository: str | None, found: list[tuple[dict[str, Any], Pair]]) -> None:
    """Every object in `value` holding text that lockdown may withhold, with its repository and author."""
    if isinstance(value, list):
        for item in value:
            _authored(item, repository, found)
    elif isinstance(value, dict):
        if any(isinstance(value.get(k), str) and value[k] for k in WITHHELD):
            author = next((a for k in AUTHOR_KEYS if isinstance(a := value.get(k), str) and a), None)
            found.append((value, (_full_name(value.get("repo")) or repository, author)))
        for item in value.values():
            _authored(item, repository, found)


async def withhold_untrusted(
    result: CallToolResult, arguments: Mapping[str, Any], client: GitCodeClient, cache: TTLCache[Any]
) -> CallToolResult:
    """`result` with the text of authors who cannot push to a public repository replaced by a note."""
    owner, repo = arguments.get("owner"), arguments.get("repo")
    repository = _full_name(f"{owner}/{repo}") if isinstance(owner, str) and isinstance(repo, str) else None
    parsed: dict[int, Any] = {}
    found: list[tuple[dict[str, Any], Pair]] = []
    for i, block in enumerate(result.content):
        if isinstance(block, TextContent) and not isinstance(block, FencedText) and block.text[:1] in "{[":
            try:
                parsed[i] = json.loads(block.text)
            except ValueError:
                continue
            _authored(parsed[i], repository, found)
    if not found:
        return result
    reasons = await _reasons(Checks(client, cache), {pair for _, pair in found})
    touched = False
    for obj, pair in found:
        if reason := reasons[pair]:
            for key in WITHHELD:
                obj.pop(key, None)
            note = f"withheld by lockdown: {reason}"
            obj["note"] = f"{obj['note']}; {note}" if obj.get("note") else note
            touched = True
    if not touched:
        return result
    content = [
        block.model_copy(update={"text": to_text(parsed[i])}) if i in parsed else block
        for i, block in enumerate(result.content)
    ]
    return result.model_copy(update={"content": content})
