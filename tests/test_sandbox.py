"""The simulator's own promises: unknown paths and bad path values answer like GitCode, never crash; ids are
stable between runs; timestamps are China Standard Time written as such."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import now
from tests.conftest import TOKEN, sim

pytestmark = pytest.mark.anyio
# With sim's PRIVATE-TOKEN: the token in both headers, as the client sends it.
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize(
    "path", ["repos/alice/demo/pulls/abc", "repos/alice/demo/pulls/1x/files", "nowhere", "repos/alice/demo/pulls/99"]
)
async def test_bad_paths_answer_404_in_gitcodes_shape(path: str) -> None:
    answer = await sim(Sandbox(), "GET", path, headers=BEARER)
    assert answer.status_code == 404 and answer.json()["error_code"] == 404


async def test_ids_are_the_same_in_every_run() -> None:
    first = await sim(Sandbox(), "GET", "repos/alice/demo/pulls/1", headers=BEARER)
    second = await sim(Sandbox(), "GET", "repos/alice/demo/pulls/1", headers=BEARER)
    assert first.json()["id"] == second.json()["id"]
    assert first.json()["mergeable_state"]["merge_request_id"] == second.json()["id"]


def test_timestamps_are_china_standard_time() -> None:
    stamp = datetime.fromisoformat(now())
    assert stamp.utcoffset() == timedelta(hours=8)
    assert abs((stamp - datetime.now(stamp.tzinfo)).total_seconds()) < 5
