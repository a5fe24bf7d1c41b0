"""Mirrors and fork syncs: a repository's push mirrors and its own remote mirror, starting a push mirror's sync, and
syncing a fork from the repository it was forked from.

Evidence: push mirrors and their sync are live probes (docs/gitcode-behaviour.md, Mirrors, contents and wiki;
urandon/gitcode-mcp docs/gitcode-api-discovery.md, 2026-07-30): the list is a JSON array, `POST
.../push_remote_mirrors/{id}` with `{"force": true}` starts a sync and may answer a typed cool-down refusal, which that
client recognises by "sync too frequently" in the message. `repo_remote_mirror` is in atomgit's API index only.
`sync_repo` (GET: the last sync; PUT: start one, optionally of one branch) is described by the gitcode-api package
(1.3.4), including that another sync within about 10 minutes answers 400. Mirror URLs may carry credentials: they are
masked like webhook URLs.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable

from mcp.server.mcpserver import Context

from gitcode_mcp.client import Reply
from gitcode_mcp.endpoints import FORK_SYNC, PULL_MIRROR, PUSH_MIRROR, PUSH_MIRRORS
from gitcode_mcp.errors import GitCodeError, InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Number, gitcode, payload
from gitcode_mcp.tools.webhooks import masked_url, scrub, secrets_in
from gitcode_mcp.views import Getter, View, as_int, at, drop_empty, to_text

mirrors = Toolset("mirrors", "Repository mirrors and their syncs; syncing a fork from its source")

MIRRORED = {"owner": "gitcode-ent", "repo": "infra-mirror"}  # seeded: a fork of gitcode-ent/infra, push-mirrored


def _text(key: str) -> Getter:
    """Free text (a mirror's message or error) with the credentials of the mirror's URL scrubbed out."""
    return lambda m: scrub(m.get(key), secrets_in(m.get("url")))


PUSH_VIEW = View(
    id=at("id", as_int),
    url=at("url", masked_url),
    status="update_status",
    failures=at("number_of_failures", as_int),
    message=_text("message"),
    last_update_at="last_update_at",
    last_success_at="last_successful_update_at",
)
PULL_VIEW = View(
    id=at("id", as_int),
    url=at("url", masked_url),
    enabled=at("mirroring_enabled"),
    status="update_status",
    failures=at("number_of_failures", as_int),
    last_error=_text("last_error"),
    last_success_at="last_successful_update_at",
)


def too_frequent(error: GitCodeError) -> bool:
    return error.status == 429 or "frequent" in error.detail.lower()


def try_again_after(detail: str, otherwise: str) -> str:
    """The wait GitCode names in its refusal ("... after 5 minutes"), or `otherwise`."""
    found = re.search(r"(\d+)\s*(seconds?|secs?|s|minutes?|mins?|m)\b", detail, re.IGNORECASE)
    if not found:
        return otherwise
    unit = "seconds" if found[2].lower().startswith("s") else "minutes"
    return f"{found[1]} {unit}"


@mirrors.read(Example(MIRRORED, f"GET {PUSH_MIRRORS}", f"GET {PULL_MIRROR}", f"GET {FORK_SYNC}"))
async def get_mirrors(owner: str, repo: str, ctx: Context) -> str:
    """Get a repository's push mirrors, remote mirror and fork sync status."""
    client = gitcode(ctx)
    pushed = await client.get(api_path(PUSH_MIRRORS, owner=owner, repo=repo))
    # The repository answered the first read, so a 404 next means it mirrors nothing, and a 400 from sync_repo that it
    # is not a fork: both are null, not errors.
    pulled = await _maybe(client.get(api_path(PULL_MIRROR, owner=owner, repo=repo)), 404)
    synced = await _maybe(client.get(api_path(FORK_SYNC, owner=owner, repo=repo)), 400)
    return to_text(
        {
            "push": PUSH_VIEW.many(pushed.items()),
            "pull": PULL_VIEW(pulled.object()) if pulled else None,
            # gitcode-api: repo_sync_result is the sync task's flag (true: idle or done; false: still running), not
            # whether the fork is behind its source.
            "fork_sync": drop_empty(
                {"finished": synced.data.get("repo_sync_result"), "message": synced.data.get("repo_sync_message")}
            )
            if synced and isinstance(synced.data, dict)
            else None,
        }
    )


async def _maybe(reading: Awaitable[Reply], absent: int) -> Reply | None:
    try:
        return await reading
    except GitCodeError as error:
        if error.status != absent:
            raise
        return None


@mirrors.write(Example({**MIRRORED, "mirror_id": 8_710_301}, f"POST {PUSH_MIRROR}", f"GET {PUSH_MIRRORS}"))
async def sync_push_mirror(owner: str, repo: str, mirror_id: Number, ctx: Context) -> str:
    """Push to a push mirror now; refused for a while after a sync."""
    client = gitcode(ctx)
    try:
        await client.request(
            "POST",
            api_path(PUSH_MIRROR, owner=owner, repo=repo, mirror_id=mirror_id),
            json={"force": True},  # what GitCode's own "sync now" sends (probe)
            hints={404: "no such push mirror: get_mirrors lists their ids"},
        )
    except GitCodeError as error:
        if not too_frequent(error):
            raise
        wait = try_again_after(error.detail, "the cool-down, a few minutes")
        raise GitCodeError(
            error.status,
            error.detail,
            f"not started: this mirror synced moments ago; try again after {wait} (get_mirrors shows its last sync)",
        ) from None
    # The answer says nothing of the mirror (probe): read it back to show where the sync stands.
    found = (await client.get(api_path(PUSH_MIRRORS, owner=owner, repo=repo))).items()
    mine = next((m for m in found if isinstance(m, dict) and as_int(m.get("id")) == mirror_id), None)
    return to_text({"started": True, **(PUSH_VIEW(mine) if mine else {"id": mirror_id})})


@mirrors.write(
    Example({**MIRRORED, "all_branches": True}, f"PUT {FORK_SYNC}"),
    Example({**MIRRORED, "branch": "main"}, f"PUT {FORK_SYNC}"),
)
async def sync_fork(
    owner: str, repo: str, ctx: Context, branch: str | None = None, all_branches: bool | None = None
) -> str:
    """Update a fork from its source: one branch, or all_branches=true; once per ~10 minutes."""
    # GitCode syncs every branch when none is named, so "all" is said, never inferred from nothing.
    if (branch is None) == (not all_branches):
        raise InvalidArgument("branch", "name the branch to sync, or all_branches=true (not both) to sync every one")
    try:
        reply = await gitcode(ctx).request(
            "PUT", api_path(FORK_SYNC, owner=owner, repo=repo), json=payload(branch=branch)
        )
    except GitCodeError as error:
        if error.status == 400 and too_frequent(error):
            wait = try_again_after(error.detail, "about 10 minutes")
            raise GitCodeError(
                400, error.detail, f"not started: this fork synced recently; try again after {wait}"
            ) from None
        if error.status == 400:
            raise GitCodeError(400, error.detail, "only a fork syncs, from the repository it was forked from") from None
        raise
    answer = reply.data if isinstance(reply.data, dict) else {}
    # gitcode-api: `repo_sync_result: false` with `repo_sync_message: "committed"` means the sync was accepted.
    return to_text({"started": True, "message": answer.get("repo_sync_message")})
