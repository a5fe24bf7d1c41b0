"""Repository contents: a file (base64) or a directory listing, at a branch or a branch's head sha."""

from __future__ import annotations

import base64
from typing import Any

from starlette.responses import JSONResponse, Response

from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, route
from gitcode_mcp.sandbox.state import fake_sha


@route("GET", "repos/{owner}/{repo}/contents/{path}")
async def contents(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    ref = call.query.get("ref") or repo.default_branch
    files = repo.files_at(ref)
    if files is None:
        raise Refusal(404, f"ref {ref} not found")
    path = call.params["path"].strip("/")
    if path in files:
        raw = files[path]
        return JSONResponse(
            {
                "type": "file",
                "encoding": "base64",
                "size": len(raw),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": base64.b64encode(raw).decode(),
                "sha": fake_sha(path, raw),
                "url": f"{repo.api_url}/contents/{path}",
                "html_url": f"{repo.web_url}/blob/{ref}/{path}",
                "download_url": f"{repo.web_url}/raw/{ref}/{path}",
                "_links": {"self": f"{repo.api_url}/contents/{path}", "html": f"{repo.web_url}/blob/{ref}/{path}"},
            }
        )
    prefix = path + "/"
    children: dict[str, dict[str, Any]] = {}
    for name, raw in files.items():
        if name.startswith(prefix):
            rest = name[len(prefix) :]
            child = rest.split("/", 1)[0]
            is_dir = "/" in rest
            children[child] = {
                "name": child,
                "path": prefix + child,
                "type": "dir" if is_dir else "file",
                "size": 0 if is_dir else len(raw),
                "download_url": None if is_dir else f"{repo.web_url}/raw/{ref}/{prefix}{child}",
            }
    if not children:
        raise Refusal(404, f"path {path} not found at {ref}")
    return JSONResponse(sorted(children.values(), key=lambda e: (e["type"] != "dir", e["name"])))
