"""Mirrors and fork syncs, on the enterprise gitcode-ent's repositories (seeded here, not under alice: other areas
count her repositories). gitcode-ent/infra-mirror is all at once a fork, push-mirrored and with a remote mirror.

- Push mirrors (probe, urandon/gitcode-mcp docs/gitcode-api-discovery.md, 2026-07-30): the list is a JSON array of
  `id, project_id, url, force, is_private, update_status, number_of_failures, message, created_at, last_update_at,
  last_successful_update_at`; `POST .../push_remote_mirrors/{id}` with `{"force": true}` starts a sync and, right
  after another, answers the typed cool-down refusal (403, "Sync too frequently, please try again later", as that
  client matches it). A mirror URL may carry credentials.
- `repo_remote_mirror` (atomgit; fields as the AtomGit CLI reads them): the repository's own mirror, 404 without one.
- `sync_repo` (gitcode-api 1.3.4): PUT starts a fork's sync from its parent (`branch` optional: all branches when
  left out), answering `{repo_sync_result: false, repo_sync_message: "committed"}`; another within about 10 minutes
  answers 400. GET reports the last sync. A sync fast-forwards each branch; a branch with commits of its own is left.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import FORK_SYNC, PULL_MIRROR, PUSH_MIRROR, PUSH_MIRRORS
from gitcode_mcp.sandbox.areas.collaborators import need_admin, need_member
from gitcode_mcp.sandbox.areas.enterprise.state import enterprise_of
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, route
from gitcode_mcp.sandbox.state import Kept, Repo, World, now


@dataclass
class PushMirror:
    """A push mirror (areas/mirrors.py; fields as a live probe observed them). `url` may carry credentials."""

    id: int
    url: str
    created_at: str
    force: bool = True
    is_private: bool = False
    update_status: str = "finished"
    number_of_failures: int = 0
    message: str = ""
    last_update_at: str | None = None
    last_successful_update_at: str | None = None
    synced_at: float | None = None  # time.monotonic() of the last sync started through the API (the cool-down)


@dataclass
class PullMirror:
    """The repository's own remote mirror, as repo_remote_mirror answers it (areas/mirrors.py)."""

    id: int
    url: str
    update_status: str = "finished"
    mirroring_enabled: bool = True
    number_of_failures: int = 0
    last_error: str | None = None
    last_successful_update_at: str | None = None


@dataclass
class ForkSync:
    """A fork's last sync from its parent (sync_repo): when it started (time.monotonic()) and how it ended."""

    started_at: float
    message: str = "success"


@dataclass
class Mirrors(Kept):
    """A repository's push mirrors, its own remote mirror (None: 404) and, for a fork, its last sync from its
    parent."""

    push_mirrors: list[PushMirror] = field(default_factory=list)
    pull_mirror: PullMirror | None = None
    fork_sync: ForkSync | None = None


MIRROR_COOL_DOWN = 300.0  # seconds; the real length is not documented
FORK_COOL_DOWN = 600.0  # "repeated calls within about 10 minutes may return HTTP 400" (gitcode-api)
TOO_FREQUENT = "Sync too frequently, please try again later"
SEEDED_MIRROR = 8_710_301
MIRROR_TOKEN = "ghp_mirrorPushToken0001"  # in the seeded mirror's URL: it must never reach an agent


def seed(world: World) -> None:
    """gitcode-ent/infra and gitcode-ent/infra-mirror: a fork of it one commit behind, push-mirrored to GitHub (with a
    token in the mirror's URL) and with a remote mirror of its own. Needs the enterprise, which areas/enterprise.py
    seeds (it is made here first when that area's seed has not run yet)."""
    ent = enterprise_of(world)
    if world.repo(ent.login, "infra") is not None:
        return
    alice = world.users["alice"]
    v1 = {"README.md": b"# infra\n\nDeployment scripts.\n", "deploy.sh": b"#!/bin/sh\necho deploy\n"}
    infra = Repo(8_710_101, ent, "infra", branches={"main": dict(v1)}, creator=alice)
    infra.created_at = "2026-10-01T09:00:00+08:00"
    infra.log("main")
    fork = Repo(8_710_102, ent, "infra-mirror", branches={"main": dict(v1)}, parent=infra, creator=alice)
    fork.logs["main"] = list(infra.log("main"))
    infra.branches["main"] = {**v1, "ROLLBACK.md": b"# Rolling back\n\nRun deploy.sh with the last tag.\n"}
    infra.record("main", alice, "Add the rollback guide")
    Mirrors.of(fork).push_mirrors.append(
        PushMirror(
            SEEDED_MIRROR,
            f"https://alice:{MIRROR_TOKEN}@github.com/gitcode-ent/infra.git",
            "2026-10-02T10:00:00+08:00",
            last_update_at="2026-11-20T08:00:00+08:00",
            last_successful_update_at="2026-11-20T08:00:00+08:00",
        )
    )
    Mirrors.of(fork).pull_mirror = PullMirror(
        8_710_302,
        "https://gitee.com/gitcode-ent/infra-upstream.git",
        last_successful_update_at="2026-11-20T07:00:00+08:00",
    )
    for repo in (infra, fork):
        world.repos[repo.full_name] = repo
        if repo.full_name not in ent.projects:
            ent.projects.append(repo.full_name)


def render_push(repo: Repo, m: PushMirror) -> dict[str, Any]:
    return {
        "id": m.id,
        "project_id": repo.id,
        "url": m.url,
        "force": m.force,
        "is_private": m.is_private,
        "update_status": m.update_status,
        "number_of_failures": m.number_of_failures,
        "message": m.message,
        "created_at": m.created_at,
        "last_update_at": m.last_update_at,
        "last_successful_update_at": m.last_successful_update_at,
    }


@route("GET", PUSH_MIRRORS)
async def list_push_mirrors(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_member(sb, call, repo)
    return JSONResponse([render_push(repo, m) for m in Mirrors.of(repo).push_mirrors])


@route("POST", PUSH_MIRROR)
async def sync_push_mirror(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_admin(sb, call, repo)
    mirror = next((m for m in Mirrors.of(repo).push_mirrors if m.id == call.params["mirror_id"]), None)
    if mirror is None:
        raise Refusal(404, "Not Found RemoteMirror")
    started = time.monotonic()
    if mirror.synced_at is not None and started - mirror.synced_at < MIRROR_COOL_DOWN:
        raise Refusal(403, TOO_FREQUENT, "SYNC_TOO_FREQUENTLY")
    mirror.synced_at = started
    # A sync here finishes at once: the next read shows it finished.
    mirror.update_status, mirror.number_of_failures, mirror.message = "finished", 0, ""
    mirror.last_update_at = mirror.last_successful_update_at = now()
    return JSONResponse({"message": "success"})


@route("GET", PULL_MIRROR)
async def pull_mirror(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    need_member(sb, call, repo)
    m = Mirrors.of(repo).pull_mirror
    if m is None:
        raise Refusal(404, "Not Found RemoteMirror")
    return JSONResponse(
        {
            "id": m.id,
            "project_id": repo.id,
            "update_status": m.update_status,
            "url": m.url,
            "number_of_failures": m.number_of_failures,
            "mirroring_enabled": m.mirroring_enabled,
            "is_private": repo.private,
            "last_error": m.last_error,
            "force": False,
            "last_successful_update_at": m.last_successful_update_at,
        }
    )


def fork_of(sb: Sandbox, call: Call) -> tuple[Repo, Repo]:
    repo = sb.repo(call)
    if repo.parent is None:
        raise Refusal(400, "This project is not a fork")
    return repo, repo.parent


@route("GET", FORK_SYNC)
async def fork_sync_status(sb: Sandbox, call: Call) -> Response:
    repo, _ = fork_of(sb, call)
    need_member(sb, call, repo)
    last = Mirrors.of(repo).fork_sync
    # gitcode-api: repo_sync_result is the task's flag (true: idle or done), not whether the fork is up to date.
    return JSONResponse({"repo_sync_result": True, **({"repo_sync_message": last.message} if last else {})})


@route("PUT", FORK_SYNC)
async def sync_fork(sb: Sandbox, call: Call) -> Response:
    repo, parent = fork_of(sb, call)
    need_admin(sb, call, repo)
    branch = call.data().get("branch")
    if branch is not None and (not isinstance(branch, str) or branch not in parent.branches):
        raise Refusal(404, f"Not Found Branch {branch}")
    started = time.monotonic()
    last = Mirrors.of(repo).fork_sync
    if last is not None and started - last.started_at < FORK_COOL_DOWN:
        raise Refusal(400, TOO_FREQUENT)
    skipped = []
    for name in [branch] if branch else list(parent.branches):
        theirs = parent.log(name)
        mine = [c.sha for c in repo.log(name)] if name in repo.branches else []
        if mine != [c.sha for c in theirs[: len(mine)]]:
            skipped.append(name)  # commits of its own: not fast-forwarded
            continue
        repo.branches[name] = dict(parent.branches[name])
        repo.logs[name] = list(theirs)
    Mirrors.of(repo).fork_sync = ForkSync(started, "success" if not skipped else f"diverged: {', '.join(skipped)}")
    return JSONResponse({"repo_sync_result": False, "repo_sync_message": "committed"})
