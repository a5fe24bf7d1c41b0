"""Pull requests: read one, its changed files, and comment on it (generally or on a line)."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp import shaping
from gitcode_mcp.client import file_path, repo_path
from gitcode_mcp.context import gitcode
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.tooldef import read, write
from gitcode_mcp.tools._params import Number, Page, PerPage, page_of

TOOLSET = "pulls"
PURPOSE = "Read pull requests and their changes, and comment on them"


async def get_pull_request(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """Get a pull request: state, author, head and base refs, counts and description."""
    reply = await gitcode(ctx).get(repo_path(owner, repo, "pulls", number))
    return shaping.to_text(shaping.pull_request(reply.data))


async def list_pull_request_files(
    owner: str, repo: str, number: Number, ctx: Context, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List the files a pull request changes, with each file's status, line counts and patch."""
    reply = await gitcode(ctx).get(
        repo_path(owner, repo, "pulls", number, "files"), {"page": page, "per_page": per_page}
    )
    files = [shaping.pull_request_file(f) for f in reply.data or []]
    return page_of(reply, files, page, per_page)


async def create_pull_request_comment(
    owner: str,
    repo: str,
    number: Number,
    body: Annotated[str, Field(min_length=1)],
    ctx: Context,
    path: Annotated[str | None, Field(description="File to comment on, for a line comment")] = None,
    position: Annotated[int | None, Field(ge=1, description="Line number in the PR's head version of path")] = None,
    commit_id: str | None = None,
    in_reply_to: Annotated[int | None, Field(description="Id of the comment to reply to")] = None,
) -> str:
    """Comment on a pull request; give path and position for a line comment, where position is the 1-based line \
number in the PR's head version of the file, not a diff offset."""
    if (path is None) != (position is None):
        missing = "position" if position is None else "path"
        raise InvalidArgument(missing, "a line comment needs both path and position; omit both for a general comment")
    payload: dict[str, object] = {"body": body}
    if path is not None:
        file_path("path", path)  # refuse '..' and absolute paths before sending
        payload |= {"path": path.strip().strip("/"), "position": position}
    if commit_id:
        payload["commit_id"] = commit_id
    if in_reply_to is not None:
        payload["in_reply_to"] = in_reply_to
    reply = await gitcode(ctx).request(
        "POST",
        repo_path(owner, repo, "pulls", number, "comments"),
        json=payload,
        hints={
            422: "position must be a line that exists in the PR's head version of the file (1-based, not a diff "
            "offset); read the file at the PR's head ref to find the line",
            404: "check owner, repo and number; for a line comment, path must be a file the PR changes",
        },
    )
    return shaping.to_text(shaping.comment(reply.data))


TOOLS = [read(get_pull_request), read(list_pull_request_files), write(create_pull_request_comment)]
