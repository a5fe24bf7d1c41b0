"""What the actions modules share: run and job ids, statuses, GitCode's times read as dates, and a list page."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

from pydantic import Field

from gitcode_mcp.client import Reply
from gitcode_mcp.views import Obj, View, as_int, drop_empty, to_text

# Run statuses (GitCode CLI run list/watch): a run that reaches one of these has stopped; PAUSED and SUSPEND wait
# for a person. FAILED and CANCELED are failures.
STOPPED = frozenset({"COMPLETED", "FAILED", "CANCELED", "IGNORED", "PAUSED", "SUSPEND"})
FAILED = frozenset({"FAILED", "CANCELED"})
Status = Literal["COMPLETED", "RUNNING", "FAILED", "CANCELED", "IGNORED", "PAUSED", "SUSPEND"]
RunId = Annotated[str, Field(description="From list_workflow_runs")]
JobId = Annotated[str, Field(description="From get_workflow_run")]
CST = timezone(timedelta(hours=8), "CST")
_MS = 100_000_000_000  # a timestamp above this is in milliseconds (the CLI reads both)


def when(stamp: Any) -> str | None:
    """GitCode's epoch timestamps (seconds or milliseconds) as China Standard Time, as GitCode writes dates."""
    if not isinstance(stamp, int | float) or isinstance(stamp, bool) or stamp <= 0:
        return None
    seconds = stamp / 1000 if stamp >= _MS else stamp
    return datetime.fromtimestamp(seconds, CST).isoformat(timespec="seconds")


def seconds(item: Obj) -> int | None:
    start, end = item.get("start_time"), item.get("end_time")
    if not isinstance(start, int | float) or not isinstance(end, int | float) or start <= 0 or end < start:
        return None
    return round((end - start) / (1000 if start >= _MS else 1))


def list_at(obj: Obj, key: str) -> list[Any]:
    value = obj.get(key)
    return value if isinstance(value, list) else []


def listing(reply: Reply, key: str, view: View, page: int, per_page: int, keep: Any = None) -> str:
    """One page of a v8 list, which answers `{"total_count": n, "<key>": [...]}` (GitCode CLI WorkflowRunsResponse,
    ArtifactsResponse, RunnersResponse, ...), with has_more from the total."""
    body = reply.object()
    items = list_at(body, key)
    total = as_int(body.get("total_count"))
    shown = [view(i) for i in items if keep is None or keep(i)]
    more = page * per_page < total if isinstance(total, int) else len(items) >= per_page
    return to_text(drop_empty({"page": page, "total": total, "has_more": more, "items": shown}))


NO_RUN = {404: "no such run in this repository: list_workflow_runs gives run ids"}
MAX_ARTIFACT_BYTES = 50 * 1000 * 1000
