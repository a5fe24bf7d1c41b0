"""Mirror quirks: a push mirror's sync starts with `{"force": true}` and reads back; a second sync right after is
GitCode's cool-down refusal, reported plainly as "try again after ..." and never retried; mirror URLs lose their
credentials; a fork syncs from its source (at most once in ~10 minutes), and a repository that is no fork or mirrors
nothing shows null, not an error."""

from __future__ import annotations

import json
from typing import Any

import pytest

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.mirrors import MIRROR_COOL_DOWN, MIRROR_TOKEN, SEEDED_MIRROR, TOO_FREQUENT, Mirrors
from gitcode_mcp.sandbox.state import Repo
from tests.conftest import Connect, call, refused

pytestmark = pytest.mark.anyio

MIRRORED = {"owner": "gitcode-ent", "repo": "infra-mirror"}
INFRA = {"owner": "gitcode-ent", "repo": "infra"}
SYNC_NOW = {**MIRRORED, "mirror_id": SEEDED_MIRROR}


def repo(sandbox: Sandbox, name: str) -> Repo:
    found = sandbox.world.repo("gitcode-ent", name)
    assert found is not None
    return found


def test_the_toolset_is_off_by_default() -> None:
    assert not toolsets()["mirrors"].default


async def test_mirrors_and_fork_sync_at_a_glance(connect: Connect, sandbox: Sandbox) -> None:
    seen = await call(connect, "get_mirrors", MIRRORED)
    assert seen["push"] == [
        {
            "id": SEEDED_MIRROR,
            "url": "https://***@github.com/gitcode-ent/infra.git",
            "status": "finished",
            "failures": 0,
            "last_update_at": "2026-11-20T08:00:00+08:00",
            "last_success_at": "2026-11-20T08:00:00+08:00",
        }
    ]
    assert MIRROR_TOKEN not in json.dumps(seen)
    assert seen["pull"]["url"] == "https://gitee.com/gitcode-ent/infra-upstream.git" and seen["pull"]["enabled"] is True
    assert seen["fork_sync"] == {"finished": True}  # a fork never synced through the API
    # The source: no fork (sync_repo answers 400) and no remote mirror (404): both null, not errors.
    plain = await call(connect, "get_mirrors", INFRA)
    assert plain == {"push": [], "pull": None, "fork_sync": None}
    assert [r.status for r in sandbox.requests[-3:]] == [200, 404, 400]


async def test_a_second_sync_right_after_the_first_is_refused_plainly(connect: Connect, sandbox: Sandbox) -> None:
    first = await call(connect, "sync_push_mirror", SYNC_NOW)
    post, readback = sandbox.requests
    assert (post.method, post.body) == ("POST", {"force": True}) and readback.method == "GET"
    assert first["started"] is True and first["id"] == SEEDED_MIRROR and first["status"] == "finished"
    assert first["last_update_at"] != "2026-11-20T08:00:00+08:00"  # it read back the new sync

    answer = await refused(connect, "sync_push_mirror", SYNC_NOW)
    assert "403" in answer and TOO_FREQUENT in answer
    assert "not started" in answer and "try again after the cool-down" in answer
    assert [r.method for r in sandbox.requests[2:]] == ["POST"]  # a write is never retried, nor read back

    mirror = Mirrors.of(repo(sandbox, "infra-mirror")).push_mirrors[0]
    assert mirror.synced_at is not None
    mirror.synced_at -= MIRROR_COOL_DOWN  # the cool-down passes
    assert (await call(connect, "sync_push_mirror", SYNC_NOW))["started"] is True


async def test_a_refusal_that_names_the_wait_passes_it_on(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.fail(
        "POST",
        r"push_remote_mirrors/\d+$",
        status=403,
        body={"error_code": 403, "error_message": "Sync too frequently, please try again after 120 seconds"},
    )
    answer = await refused(connect, "sync_push_mirror", SYNC_NOW)
    assert "try again after 120 seconds" in answer


async def test_an_unknown_mirror_says_where_to_look(connect: Connect) -> None:
    answer = await refused(connect, "sync_push_mirror", {**MIRRORED, "mirror_id": 999})
    assert "404" in answer and "get_mirrors lists their ids" in answer


async def test_a_fork_syncs_from_its_source_once_in_a_while(connect: Connect, sandbox: Sandbox) -> None:
    fork, source = repo(sandbox, "infra-mirror"), repo(sandbox, "infra")
    assert "ROLLBACK.md" not in fork.branches["main"]
    assert await call(connect, "sync_fork", {**MIRRORED, "branch": "main"}) == {"started": True, "message": "committed"}
    assert sandbox.requests[-1].body == {"branch": "main"}
    assert fork.branches["main"] == source.branches["main"] and fork.head_sha("main") == source.head_sha("main")
    assert (await call(connect, "get_mirrors", MIRRORED))["fork_sync"] == {"finished": True, "message": "success"}

    answer = await refused(connect, "sync_fork", {**MIRRORED, "all_branches": True})
    assert "400" in answer and "try again after about 10 minutes" in answer
    assert sandbox.requests[-1].body == {}  # every branch: GitCode is sent no branch

    answer = await refused(connect, "sync_fork", {**INFRA, "branch": "main"})
    assert "only a fork syncs" in answer


@pytest.mark.parametrize("args", [{}, {"branch": "main", "all_branches": True}, {"all_branches": False}])
async def test_syncing_every_branch_is_asked_for_not_inferred(
    connect: Connect, sandbox: Sandbox, args: dict[str, Any]
) -> None:
    answer = await refused(connect, "sync_fork", {**MIRRORED, **args})
    assert "`branch`" in answer and "all_branches=true" in answer
    assert sandbox.requests == []
