"""A pull request's files, commits and diff with line numbers."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    PR_COMMITS,
    PR_DIFF,
    PR_FILES,
)
from gitcode_mcp.sandbox.areas.pulls.merging import changes, commits, source
from gitcode_mcp.sandbox.areas.pulls.requests import pull
from gitcode_mcp.sandbox.core import (
    Call,
    Sandbox,
    need_header,
    page,
    route,
)


@route("GET", PR_FILES)
async def pull_files(sb: Sandbox, call: Call) -> Response:
    # seed: this endpoint answered `Invalid header parameter: private-token, required` without that header.
    need_header(call, "private-token", "Invalid header parameter: private-token, required")
    repo = sb.repo(call)
    return JSONResponse(changes(repo, pull(repo, call)))


@route("GET", PR_COMMITS)
async def pull_commits(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return page(call, commits(repo, pull(repo, call)))


_HUNK = re.compile(r"@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def diff_lines(path: str, diff: str) -> list[dict[str, Any]]:
    """A unified diff as files.json's `content.text` (ref example): each line with its old and new numbers as
    strings ("" on the side it is not on), `type` old / new (none for context, whose line_content keeps the diff's
    leading space), line_code `<sha1 of the path>_<old>_<new>` of the running counters, and a `match` line for
    each hunk header except one at the top of the file (GitLab's parser, which GitCode's answer follows)."""
    key = hashlib.sha1(path.encode()).hexdigest()
    out: list[dict[str, Any]] = []
    old = new = 0

    def line(content: str, old_num: str, new_num: str, kind: str | None) -> None:
        code = f"{key}_{old}_{new}"
        item: dict[str, Any] = {
            "line_content": content,
            "new_line": {"line_code": code, "line_num": new_num},
            "old_line": {"line_code": code, "line_num": old_num},
        }
        out.append(item | ({"type": kind} if kind else {}))

    for raw in diff.splitlines():
        if hunk := _HUNK.match(raw):
            old, new = int(hunk[1]), int(hunk[2])
            if old > 1 or new > 1:
                line(raw, "", "", "match")
        elif raw.startswith("-"):
            line(raw[1:], str(old), "", "old")
            old += 1
        elif raw.startswith("+"):
            line(raw[1:], "", str(new), "new")
            new += 1
        elif raw.startswith(" "):
            line(raw, str(old), str(new), None)
            old, new = old + 1, new + 1
    return out


@route("GET", PR_DIFF)
async def diff_json(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    pr = pull(repo, call)
    src = source(repo, pr)
    files = changes(repo, pr)
    base = repo.head_sha(pr.base)
    diffs = [
        {
            "added_lines": f["additions"],
            "remove_lines": f["deletions"],
            # A too-large file's diff is not sent (as in pulls/{n}/files); its counts are.
            "content": {"text": [] if f["patch"]["too_large"] else diff_lines(f["filename"], f["patch"]["diff"])},
            "head": {"commit_id": f["sha"], "url": f["raw_url"]},
            "new_blob_id": f["blob_id"],
            "statistic": {
                "new_path": f["patch"]["new_path"],
                "old_path": f["patch"]["old_path"],
                "path": f["filename"],
                "type": "text_type",
                "view": False,
            },
        }
        for f in files
    ]
    return JSONResponse(
        {
            "added_lines": sum(f["additions"] for f in files),
            "remove_lines": sum(f["deletions"] for f in files),
            "code": 0,
            "count": len(diffs),
            "diff_refs": {"base_sha": base, "head_sha": src.head_sha(pr.head), "start_sha": base},
            "diffs": diffs,
        }
    )
