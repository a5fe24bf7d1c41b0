"""What a call may reach: which tools, which repositories, and whether lockdown applies.

The operator decides at start-up (toolsets, --tools, --read-only, --no-destructive, --exclude-tools, --repos,
--lockdown). Over HTTP a request may narrow that further with headers (X-MCP-Toolsets, X-MCP-Tools,
X-MCP-Read-Only, X-MCP-Repos, X-MCP-Lockdown), never widen it: every header is intersected with what the operator
enabled, a flag header can only turn a restriction on, and a repository must pass the operator's list and the
request's alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import check_name
from gitcode_mcp.registry import ToolDef, all_tools, resolve_toolsets, select_tools, toolsets
from gitcode_mcp.settings import Settings

TOOLSETS_HEADER = "x-mcp-toolsets"
TOOLS_HEADER = "x-mcp-tools"
READ_ONLY_HEADER = "x-mcp-read-only"
REPOS_HEADER = "x-mcp-repos"
LOCKDOWN_HEADER = "x-mcp-lockdown"


def truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


def comma(text: str | None) -> tuple[str, ...]:
    return tuple(t.strip() for t in (text or "").split(",") if t.strip())


def repo_patterns(given: Iterable[str]) -> tuple[str, ...]:
    """`owner/repo` or `owner/*` patterns, checked; ValueError names the first that is neither."""
    out = []
    for pattern in given:
        owner, _, name = pattern.strip().partition("/")
        try:
            check_name("owner", owner)
            if name != "*":
                check_name("repo", name)
        except InvalidArgument:
            raise ValueError(f"{pattern!r} is not owner/repo or owner/*") from None
        out.append(f"{owner.lower()}/{name.lower()}")
    return tuple(dict.fromkeys(out))


def allows(patterns: tuple[str, ...], full_name: str) -> bool:
    owner, _, name = full_name.lower().partition("/")
    return any(p in (f"{owner}/{name}", f"{owner}/*") for p in patterns)


@dataclass(frozen=True)
class Reach:
    """What one call may reach. `tools`: the names it may call; `repos`: pattern lists a repository must each pass
    (none: any repository)."""

    tools: frozenset[str]
    repos: tuple[tuple[str, ...], ...] = ()
    lockdown: bool = False

    def allows_repo(self, full_name: str) -> bool:
        return all(allows(patterns, full_name) for patterns in self.repos)

    def narrowed(self, headers: Mapping[str, str] | None, by_name: Mapping[str, ToolDef]) -> Reach:
        """This reach, narrowed by an HTTP request's headers (None over stdio: unchanged)."""
        if not headers:
            return self
        tools = set(self.tools)
        sets, names = comma(headers.get(TOOLSETS_HEADER)), comma(headers.get(TOOLS_HEADER))
        if sets or names:
            chosen = set(resolve_toolsets(s for s in sets if s in toolsets() or s == "all")) if sets else set()
            tools &= {n for n in tools if by_name[n].toolset in chosen} | set(names)
        if truthy(headers.get(READ_ONLY_HEADER)):
            tools = {n for n in tools if by_name[n].read_only}
        repos = self.repos
        if header_repos := comma(headers.get(REPOS_HEADER)):
            try:
                repos = (*repos, repo_patterns(header_repos))
            except ValueError:
                repos = (*repos, ())  # a list that cannot be read allows no repository (fail closed)
        return Reach(frozenset(tools), repos, self.lockdown or truthy(headers.get(LOCKDOWN_HEADER)))


def repositories_named(tool: str, arguments: Mapping[str, Any]) -> list[str]:
    """Every repository a call's arguments name (owner/repo), where it reads or writes, including those inside other
    arguments: a fork's branch as `user:branch`, a transfer's or a fork's target, search's `repo` filter."""
    owner = arguments.get("owner") or arguments.get("org")
    repo = arguments.get("repo")
    named: list[str] = []
    if isinstance(owner, str) and isinstance(repo, str):
        named.append(f"{owner}/{repo}")
    elif isinstance(repo, str) and "/" in repo:
        named.append(repo)
    head = arguments.get("head")
    if isinstance(head, str) and ":" in head and isinstance(repo, str):
        named.append(f"{head.split(':', 1)[0]}/{repo}")
    if isinstance(new_owner := arguments.get("new_owner"), str) and isinstance(repo, str):
        named.append(f"{new_owner}/{arguments.get('new_name') or repo}")
    if tool == "fork_repository" and isinstance(repo, str):
        named.append(f"{arguments.get('organization') or '?'}/{arguments.get('name') or repo}")
    if tool == "create_org_repository" and isinstance(owner, str) and isinstance(arguments.get("name"), str):
        named.append(f"{owner}/{arguments['name']}")
    if tool == "create_repository" and isinstance(arguments.get("name"), str):
        named.append(f"?/{arguments['name']}")
    return named


def check_repositories(reach: Reach, tool: str, arguments: Mapping[str, Any]) -> None:
    """Refuse, before any request, a call that names a repository outside the allowed ones."""
    if not reach.repos:
        return
    for full_name in repositories_named(tool, arguments):
        if full_name.startswith("?/"):
            where = "organization" if tool == "fork_repository" else "owner"
            raise InvalidArgument(
                where if tool == "fork_repository" else "name",
                f"this server reaches only the repositories it was given (--repos); a repository in your own "
                f"account is not one it can check: name the {where} to use",
            )
        if not reach.allows_repo(full_name):
            raise InvalidArgument(
                "repo", f"{full_name} is outside the repositories this server may reach (--repos / X-MCP-Repos)"
            )


def operator_tools(settings: Settings) -> list[ToolDef]:
    """The tools the operator enabled: the toolsets' and the single tools named, less what read-only,
    no-destructive and the exclusion leave out (narrowing wins over adding)."""
    names = {t.name for t in select_tools(settings.toolsets, read_only=False)} | set(settings.tools)
    excluded = re.compile(settings.exclude_tools) if settings.exclude_tools else None
    return [
        t
        for t in all_tools()
        if t.name in names
        and not (settings.read_only and not t.read_only)
        and not (settings.no_destructive and t.destructive)
        and not (excluded and excluded.fullmatch(t.name))
    ]


def operator_reach(settings: Settings) -> Reach:
    return Reach(
        frozenset(t.name for t in operator_tools(settings)),
        (repo_patterns(settings.repos),) if settings.repos else (),
        settings.lockdown,
    )
