"""Pull requests: read one, its changed files, and comment on it (generally or on a line)."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import Context
from pydantic import Field

from gitcode_mcp import shaping
from gitcode_mcp.client import clean_file_path, repo_path
from gitcode_mcp.context import gitcode
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.tooldef import read, write
from gitcode_mcp.tools._params import Number, Page, PerPage, page_of

TOOLSET = "pulls"
PURPOSE = "Read pull requests and their changes, and comment on them"


async def get_pull_request(owner: str, repo: str, number: Number, ctx: Context) -> str:
    """Get a pull request: state, refs, author, counts, description."""
    reply = await gitcode(ctx).get(repo_path(owner, repo, "pulls", number))
    return shaping.to_text(shaping.pull_request(reply.object()))


async def list_pull_request_files(
    owner: str, repo: str, number: Number, ctx: Context, page: Page = 1, per_page: PerPage = 20
) -> str:
    """List the files a pull request changes, with their patches."""
    reply = await gitcode(ctx).get(
        repo_path(owner, repo, "pulls", number, "files"), {"page": page, "per_page": per_page}
    )
    files = [shaping.pull_request_file(f) for f in reply.items()]
    return page_of(reply, files, page, per_page)


async def create_pull_request_comment(
    owner: str,
    repo: str,
    number: Number,
    body: Annotated[str, Field(min_length=1)],
    ctx: Context,
    path: str | None = None,
    position: Annotated[int | None, Field(ge=1)] = None,
) -> str:
    """Comment on a pull request, or on a line: path plus position, the 1-based line number in the PR's head \
version of the file (not a diff offset)."""
    if (path is None) != (position is None):
        missing = "position" if position is None else "path"
        raise InvalidArgument(missing, "a line comment needs both path and position; omit both for a general comment")
    payload: dict[str, object] = {"body": body}
    if path is not None:
        payload |= {"path": clean_file_path("path", path), "position": position}
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
    return shaping.to_text(shaping.comment(reply.object()))


TOOLS = [read(get_pull_request), read(list_pull_request_files), write(create_pull_request_comment)]
