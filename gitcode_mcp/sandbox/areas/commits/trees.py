"""A commit's tree, paged, and a blob by its sha."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import (
    BLOB,
    TREE,
)
from gitcode_mcp.sandbox.areas.contents import blob_sha, directories, tree_sha
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, page_window, route
from gitcode_mcp.sandbox.state import Files


def tree_entries(files: Files, directory: str, recursive: bool, relative: bool) -> list[dict[str, Any]]:
    prefix = f"{directory}/" if directory else ""
    out = []
    for path in sorted(directories(files) | set(files)):
        if not path.startswith(prefix):
            continue
        rest = path[len(prefix) :]
        if not recursive and "/" in rest:
            continue
        is_tree = path not in files
        sha = tree_sha(files, path) if is_tree else blob_sha(files[path])
        out.append(
            {
                "sha": sha,
                "name": rest.rsplit("/", 1)[-1],
                "type": "tree" if is_tree else "blob",
                "path": rest if relative else path,
                "mode": "040000" if is_tree else "100644",
                "md5": hashlib.md5(sha.encode()).hexdigest(),
            }
        )
    return out


@route("GET", TREE)
async def tree(sb: Sandbox, call: Call) -> Response:
    """`sha` is a branch, a commit or a tree sha (ref #1); `file_path` narrows to a directory (ref page)."""
    repo = sb.repo(call)
    sha = call.params["sha"]
    files, directory, relative = repo.files_at(sha), "", False
    if files is None:
        found = [(f, d) for f in repo.branches.values() for d in directories(f) | {""} if tree_sha(f, d) == sha]
        if not found:
            raise Refusal(404, f"tree {sha} not found")
        (files, directory), relative = found[0], True
    if file_path := call.query.get("file_path", "").strip("/"):
        if file_path not in directories(files):
            raise Refusal(404, f"path {file_path} not found")
        directory = f"{directory}/{file_path}" if directory else file_path
    entries = tree_entries(files, directory, call.query.get("recursive") == "1", relative)
    number, size = page_window(call)
    # The documented answer is `{"tree": [...]}` alone: no paging headers are invented here.
    return JSONResponse({"tree": entries[(number - 1) * size : number * size]})


@route("GET", BLOB)
async def blob(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    sha = call.params["sha"]
    for files in repo.branches.values():
        for raw in files.values():
            if blob_sha(raw) == sha:
                return JSONResponse(
                    {
                        "sha": sha,
                        "size": len(raw),
                        "url": f"{repo.api_url}/git/blobs/{sha}",
                        "content": base64.b64encode(raw).decode(),
                        "encoding": "base64",
                    }
                )
    raise Refusal(404, f"blob {sha} not found")
