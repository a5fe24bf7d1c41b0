"""Repository contents: files and directories (the root included), Git trees and blobs, the file list, raw files,
commits that create, update and delete files on a branch, and uploads (images as JSON base64, files as multipart).

Shapes follow the GitCode reference (Repositories page #1-#7, #23, #24, #36) and the one live refusal recorded for
this API (AndyKong2020/gitcode-api-skill, tested-behaviors.md: creating a file that exists answers 400 UN_KNOW).
A file's sha is its Git blob sha, so the sha get_file_contents answers is the one a blob read or an update takes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import uuid
from typing import Any

from starlette.datastructures import UploadFile
from starlette.responses import JSONResponse, Response

from gitcode_mcp.endpoints import CONTENTS, FILE_LIST, FILE_UPLOAD, IMAGE_UPLOAD, RAW_FILE, ROOT_CONTENTS
from gitcode_mcp.sandbox.access import access, may_push_branch
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, route
from gitcode_mcp.sandbox.state import Files, Repo, User, now

UPLOAD_LIMIT = 20 * 1000 * 1000  # "限制20M" (ref #23, #24)


def blob_sha(raw: bytes) -> str:
    """Git's own blob sha (`git hash-object`): the same bytes have the same sha on every branch."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def tree_sha(files: Files, directory: str) -> str:
    prefix = f"{directory}/" if directory else ""
    lines = sorted(f"{p}\0{blob_sha(raw)}" for p, raw in files.items() if p.startswith(prefix))
    return hashlib.sha1(("tree\0" + "\n".join(lines)).encode()).hexdigest()


def directories(files: Files) -> set[str]:
    return {p.rsplit("/", i)[0] for p in files for i in range(1, p.count("/") + 1)}


def files_at(repo: Repo, call: Call, key: str = "ref") -> tuple[str, Files]:
    ref = call.query.get(key) or repo.default_branch
    files = repo.files_at(ref)
    if files is None:
        raise Refusal(404, f"ref {ref} not found")
    return ref, files


# --------------------------------------------------------------------------------------------------- reads


def file_object(repo: Repo, ref: str, path: str, raw: bytes) -> dict[str, Any]:
    return {
        "type": "file",
        "encoding": "base64",
        "size": len(raw),
        "name": path.rsplit("/", 1)[-1],
        "path": path,
        "content": base64.b64encode(raw).decode(),
        "sha": blob_sha(raw),
        "url": f"{repo.api_url}/contents/{path}",
        "html_url": f"{repo.web_url}/blob/{ref}/{path}",
        "download_url": f"{repo.web_url}/raw/{ref}/{path}",
        "_links": {"self": f"{repo.api_url}/contents/{path}", "html": f"{repo.web_url}/blob/{ref}/{path}"},
    }


def listing(repo: Repo, ref: str, files: Files, directory: str) -> list[dict[str, Any]]:
    """A directory's entries; the probe (urandon/gitcode-mcp) saw `path`, `type` and `sha` on each."""
    prefix = f"{directory}/" if directory else ""
    children: dict[str, dict[str, Any]] = {}
    for name, raw in files.items():
        if not name.startswith(prefix):
            continue
        rest = name[len(prefix) :]
        child = rest.split("/", 1)[0]
        is_dir = "/" in rest
        path = prefix + child
        children[child] = {
            "name": child,
            "path": path,
            "type": "dir" if is_dir else "file",
            "size": 0 if is_dir else len(raw),
            "sha": tree_sha(files, path) if is_dir else blob_sha(raw),
            "url": f"{repo.api_url}/contents/{path}",
            "html_url": f"{repo.web_url}/{'tree' if is_dir else 'blob'}/{ref}/{path}",
            "download_url": None if is_dir else f"{repo.web_url}/raw/{ref}/{path}",
        }
    return sorted(children.values(), key=lambda e: (e["type"] != "dir", e["name"]))


@route("GET", CONTENTS)
async def contents(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    ref, files = files_at(repo, call)
    path = call.params["path"].strip("/")
    if path in files:
        return JSONResponse(file_object(repo, ref, path, files[path]))
    entries = listing(repo, ref, files, path)
    if not entries:
        raise Refusal(404, f"path {path} not found at {ref}")
    return JSONResponse(entries)


# The root has no path segment: Gitee v5's `contents(/{path})`, and the probe that lists a repository's root as
# `GET /repos/{owner}/{repo}/contents` (probe, urandon/gitcode-mcp, wiki traversal: docs/gitcode-behaviour.md).
@route("GET", ROOT_CONTENTS)
async def root(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    ref, files = files_at(repo, call)
    return JSONResponse(listing(repo, ref, files, ""))


@route("GET", FILE_LIST)
async def file_list(sb: Sandbox, call: Call) -> Response:
    """Every file path at `ref_name` containing `file_name` (ref #3: `file_name=/test.rs` finds abc/test.rs)."""
    repo = sb.repo(call)
    _, files = files_at(repo, call, "ref_name")
    needle = call.query.get("file_name", "")
    return JSONResponse(sorted(p for p in files if needle in p))


@route("GET", RAW_FILE)
async def raw(sb: Sandbox, call: Call) -> Response:
    """The file's bytes, not JSON (ref #36: "raw file content")."""
    repo = sb.repo(call)
    ref, files = files_at(repo, call)
    path = call.params["path"].strip("/")
    if path not in files:
        raise Refusal(404, f"file {path} not found at {ref}")
    body = files[path]
    try:
        body.decode("utf-8")
        media = "text/plain; charset=utf-8"
    except UnicodeDecodeError:
        media = "application/octet-stream"
    return Response(body, media_type=media)


# --------------------------------------------------------------------------------------------------- commits


def may_write(sb: Sandbox, repo: Repo, user: User, branch: str | None = None) -> None:
    """Those who push may write (sandbox/access.py), on a protected branch only if its rule lets them. GitCode's own
    refusal sentence for a protected branch is not recorded: this is GitLab's, whose branch model GitCode's protection
    answers carry."""
    if not access(sb.world, repo, user).push:
        raise Refusal(403, "You do not have permission to push to this repository")
    if not may_push_branch(sb.world, repo, user, branch):
        raise Refusal(403, f"You are not allowed to push into this branch: {branch} is protected")


def required(data: dict[str, Any], key: str) -> str:
    """A required body field; the gateway names a missing one like this (seed, probe: `Invalid header parameter:
    private-token, required`, `Invalid path parameter: note_id, number required`)."""
    value = data.get(key)
    if not isinstance(value, str) or (key != "content" and not value.strip()):
        raise Refusal(400, f"Invalid body parameter: {key}, required")
    return value


def base64_content(data: dict[str, Any]) -> bytes:
    try:
        return base64.b64decode(required(data, "content"), validate=True)
    except (binascii.Error, ValueError):
        raise Refusal(400, "content must be base64 encoded") from None


def write_target(sb: Sandbox, call: Call) -> tuple[Repo, User, str, Files, str, dict[str, Any]]:
    user = need_token(call)
    repo = sb.repo(call)
    data = call.data()
    branch = data.get("branch") or repo.default_branch
    if not isinstance(branch, str) or branch not in repo.branches:
        may_write(sb, repo, user)
        raise Refusal(404, f"branch {branch} not found")
    may_write(sb, repo, user, branch)
    return repo, user, branch, repo.branches[branch], call.params["path"].strip("/"), data


def check_sha(data: dict[str, Any], path: str, current: bytes) -> None:
    """The blob sha GitCode requires to update or delete (ref #5, #6). A missing one is a missing required
    attribute (400, ref: the OpenAPI guide page); a stale one is refused with 400 UN_KNOW like the one live refusal
    recorded for this API (an existing path on create)."""
    sha = required(data, "sha")
    if sha != blob_sha(current):
        raise Refusal(400, f"The sha {sha} is not the latest blob sha of {path}; get the file again")


def signature(user: User) -> dict[str, str]:
    return {"name": user.name, "email": f"{user.login}@noreply.gitcode.com", "date": now()}


def commit(repo: Repo, user: User, branch: str, before: str, message: str) -> dict[str, Any]:
    """Record the write as a commit on the branch, and answer it."""
    made = repo.record(branch, user, message, [before])
    return {
        "sha": made.sha,
        "author": signature(user),
        "committer": signature(user),
        "message": message,
        "tree": tree_sha(repo.branches[branch], ""),
        "parents": [before],
    }


@route("POST", CONTENTS)
async def create_file(sb: Sandbox, call: Call) -> Response:
    repo, user, branch, files, path, data = write_target(sb, call)
    message = required(data, "message")
    content = base64_content(data)
    parents = {path.rsplit("/", i)[0] for i in range(1, path.count("/") + 1)}
    if path in files or path in directories(files) or parents & set(files):
        # live (tested-behaviors.md, 2026-03): 400 UN_KNOW with this sentence.
        raise Refusal(400, f"The path cannot be created: {path} ,because {path} already exist.", "UN_KNOW")
    before = repo.head_sha(branch)
    files[path] = content
    made = commit(repo, user, branch, before, message)
    # ref #4: the create answer carries the commit alone, its parents as objects.
    made["parents"] = [{"sha": before}]
    del made["tree"]
    return JSONResponse({"commit": made}, status_code=201)


@route("PUT", CONTENTS)
async def update_file(sb: Sandbox, call: Call) -> Response:
    repo, user, branch, files, path, data = write_target(sb, call)
    if path not in files:
        raise Refusal(404, f"file {path} not found on {branch}")
    message = required(data, "message")
    content = base64_content(data)
    check_sha(data, path, files[path])
    before = repo.head_sha(branch)
    files[path] = content
    entry = file_object(repo, branch, path, content)
    del entry["content"], entry["encoding"]
    return JSONResponse({"content": entry, "commit": commit(repo, user, branch, before, message)})


@route("DELETE", CONTENTS)
async def delete_file(sb: Sandbox, call: Call) -> Response:
    repo, user, branch, files, path, data = write_target(sb, call)
    if path not in files:
        raise Refusal(404, f"file {path} not found on {branch}")
    message = required(data, "message")
    check_sha(data, path, files[path])
    before = repo.head_sha(branch)
    del files[path]
    return JSONResponse({"commit": commit(repo, user, branch, before, message)})


# --------------------------------------------------------------------------------------------------- uploads


def uploaded(repo: Repo, name: str, content: bytes) -> Response:
    if len(content) > UPLOAD_LIMIT:
        raise Refusal(400, "The file exceeds the 20M limit")
    where = f"uploads/{uuid.uuid4()}/{name}"
    return JSONResponse({"success": True, "path": where, "full_path": f"{repo.web_url}/attachment/{where}"})


@route("POST", IMAGE_UPLOAD)
async def upload_image(sb: Sandbox, call: Call) -> Response:
    """JSON `{"body": <base64, no data: URL prefix>, "file_name"}` (ref #23)."""
    need_token(call)
    repo = sb.repo(call)
    data = call.data()
    name = required(data, "file_name")
    try:
        content = base64.b64decode(required(data, "body"), validate=True)
    except (binascii.Error, ValueError):
        raise Refusal(400, "body must be base64 encoded, without a data: URL prefix") from None
    return uploaded(repo, name, content)


@route("POST", FILE_UPLOAD)
async def upload_file(sb: Sandbox, call: Call) -> Response:
    """A multipart form with the file in its `file` part (ref #24: formData `file`, `curl --form file=@...`)."""
    need_token(call)
    repo = sb.repo(call)
    if not call.request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise Refusal(400, "Invalid body parameter: file, required")
    form = await call.request.form()
    part = form.get("file")
    if not isinstance(part, UploadFile) or not part.filename:
        raise Refusal(400, "Invalid body parameter: file, required")
    return uploaded(repo, part.filename, await part.read())
