"""Repository contents by path: read files (whole, some lines, raw), list directories and file paths, commit file
changes (create, update, delete, or one piece of a file edited), and upload images and files for issues and comments.
Trees and blobs, read by sha, are the commits toolset's."""

from __future__ import annotations

import base64
import binascii
import re
from typing import Annotated, Any

from mcp.server.mcpserver import Context
from mcp_types import TextContent
from pydantic import Field

from gitcode_mcp.client import Reply
from gitcode_mcp.content_safety import file_blocks
from gitcode_mcp.endpoints import CONTENTS, FILE_LIST, FILE_UPLOAD, IMAGE_UPLOAD, RAW_FILE, ROOT_CONTENTS
from gitcode_mcp.errors import GitCodeError, InvalidArgument, preview
from gitcode_mcp.paths import api_path, clean_file_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import Ref, Text, gitcode, payload, settings
from gitcode_mcp.uploads import FILE_URI, read_allowed_file
from gitcode_mcp.views import Obj, View, drop_empty, sub, to_text

contents = Toolset("contents", "Read, list, commit and upload repository files", default=True)


ENTRY = View(path="path", type="type", size=lambda e: e.get("size") or None)

# A file larger than this is cut, with a note; ~64K tokens is already more than most agents can use at once.
MAX_TEXT_CHARS = 256 * 1024
MAX_PATHS = 500  # file_list answers every match at once (ref #3: no paging)
# "限制20M" on both uploads (ref #23, #24); read as 20,000,000 bytes of file, the stricter of the two readings.
MAX_UPLOAD = 20 * 1000 * 1000

DEMO = {"owner": "alice", "repo": "demo"}
# The blob sha of README.md in the simulator's seeded alice/demo (the same on every branch).
README_SHA = "4aa88cbfb7dc274c73d3dc2a1458e82b2ef43f43"

FileSha = Annotated[Text, Field(description="Blob sha (get_file_contents)")]
_SHA_HINT = "sha must be the file's current blob sha on that branch: read it with get_file_contents (ref=branch)"
_WRITE_HINTS = {
    400: f"{_SHA_HINT}; the branch must exist",
    409: _SHA_HINT,
    422: _SHA_HINT,
    404: "the file or the branch does not exist; check path and branch",
}


def decode_bytes(raw: bytes) -> str | None:
    """The text of a file, or None when it is binary."""
    if b"\x00" in raw:
        return None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_file(entry: dict[str, Any]) -> tuple[str | None, int]:
    """A file's text (None when binary) and its size in bytes, from GitCode's base64 `content`."""
    content = entry.get("content") or ""
    if entry.get("encoding", "base64") == "base64":
        try:
            raw = base64.b64decode(content)
        except (binascii.Error, ValueError):
            return None, int(entry.get("size") or 0)
    else:
        raw = content.encode()
    return decode_bytes(raw), len(raw)


def line_count(text: str) -> int:
    return text.count("\n") + (0 if text.endswith("\n") or not text else 1)


async def read_contents(ctx: Context, owner: str, repo: str, path: str, ref: str | None, **kw: Any) -> Reply:
    """GET a file or directory; an empty path reads the repository's root."""
    where = (
        api_path(CONTENTS, owner=owner, repo=repo, path=path)
        if path
        else api_path(ROOT_CONTENTS, owner=owner, repo=repo)
    )
    return await gitcode(ctx).get(where, {"ref": ref}, **kw)


def _json_block(value: dict[str, Any]) -> TextContent:
    return TextContent(type="text", text=to_text(drop_empty(value)))


def file_answer(meta: dict[str, Any], text: str | None, raw: bool) -> list[TextContent]:
    """A file as two blocks: its facts as JSON, then its text verbatim (not as an escaped JSON string), fenced unless
    raw (content_safety.py)."""
    if text is None:
        return [_json_block({**meta, "binary": True, "note": "binary file: its content is not shown"})]
    meta["lines"] = line_count(text)
    if len(text) > MAX_TEXT_CHARS:
        shown = text[:MAX_TEXT_CHARS]
        meta["truncated"] = f"showing the first {shown.count(chr(10))} lines ({MAX_TEXT_CHARS} of {len(text)} chars)"
        text = shown
    return file_blocks(drop_empty(meta), text, raw)


_LINES = re.compile(r"\s*(\d+)\s*(?:(-)\s*(\d*)\s*)?")
MAX_MATCHED_LINES = 200


def line_window(lines: str) -> tuple[int, int | None]:
    """`12` (one line), `12-40` or `12-` (to the end), 1-based and inclusive."""
    match = _LINES.fullmatch(lines)
    first = int(match.group(1)) if match else 0
    last = (int(match.group(3)) if match.group(3) else None) if match and match.group(2) else first
    if not match or first < 1 or (last is not None and last < first):
        raise InvalidArgument("lines", f"{lines[:40]!r}: give a line or a range like 12-40 (12- runs to the end)")
    return first, last


def numbered(text: str, lines: str | None, match: str | None) -> tuple[str, dict[str, Any]]:
    """The lines asked for, each after its number and a tab, and what was shown."""
    every = text.splitlines()
    first, last = line_window(lines) if lines else (1, None)
    chosen = list(enumerate(every, 1))[first - 1 : last]
    facts: dict[str, Any] = {"shown": f"{first}-{chosen[-1][0]}" if chosen else "none: past the end"}
    if match is not None:
        needle = match.casefold()
        chosen = [(n, line) for n, line in chosen if needle in line.casefold()]
        facts = ({"shown": facts["shown"]} if lines else {}) | {"matched": len(chosen)}
        if len(chosen) > MAX_MATCHED_LINES:
            chosen, facts["truncated"] = chosen[:MAX_MATCHED_LINES], f"the first {MAX_MATCHED_LINES} shown"
    return "".join(f"{n}\t{line}\n" for n, line in chosen), facts


@contents.read(
    Example({**DEMO, "path": "src/app.py", "ref": "feature"}, f"GET {CONTENTS}"),
    Example({**DEMO, "path": "src"}, f"GET {CONTENTS}"),
    Example({**DEMO, "ref": "docs"}, f"GET {ROOT_CONTENTS}"),
    Example({**DEMO, "path": "src/app.py", "ref": "feature", "lines": "6-8", "match": "main"}, f"GET {CONTENTS}"),
)
async def get_file_contents(
    owner: str,
    repo: str,
    ctx: Context,
    path: str | None = None,
    ref: Ref | None = None,
    lines: str | None = None,
    match: str | None = None,
) -> list[TextContent]:
    """Read a file (text, blob sha) or list a directory (no path: the root); lines (12-40) or match: just those."""
    if path is not None and not path.strip().strip("/"):
        # An empty path is refused like any unusable one (tests/test_errors.py): the root is asked for by omission.
        raise InvalidArgument("path", "is empty; omit path (or send null) to list the repository's root")
    if lines is not None:
        line_window(lines)  # a bad range is refused before anything is sent
    path = "" if path is None else clean_file_path("path", path)
    reply = await read_contents(ctx, owner, repo, path, ref)
    if isinstance(reply.data, list):
        if lines is not None or match is not None:
            raise InvalidArgument("lines" if lines is not None else "match", f"{path or 'the root'} is a directory")
        return [_json_block({"path": path, "ref": ref, "entries": ENTRY.many(reply.items())})]
    data = reply.object()
    text, size = decode_file(data)
    facts = {"path": data.get("path") or path, "ref": ref, "sha": data.get("sha"), "size": size}
    if text is None or (lines is None and match is None):
        return file_answer(facts, text, settings(ctx).raw_content)
    shown, window = numbered(text, lines, match)
    facts |= {"lines": line_count(text), **window}
    return file_blocks(drop_empty(facts), shown, settings(ctx).raw_content)


@contents.read(Example({**DEMO, "name": ".py", "ref": "feature"}, f"GET {FILE_LIST}"))
async def list_files(
    owner: str,
    repo: str,
    ctx: Context,
    name: str | None = None,
    ref: Ref | None = None,
) -> str:
    """Find file paths containing name (e.g. '.py'); all if omitted."""
    reply = await gitcode(ctx).get(api_path(FILE_LIST, owner=owner, repo=repo), {"file_name": name, "ref_name": ref})
    paths = [p for p in reply.items() if isinstance(p, str)]
    if len(paths) <= MAX_PATHS:
        return to_text({"paths": paths})
    return to_text(
        {"paths": paths[:MAX_PATHS], "total": len(paths), "note": f"first {MAX_PATHS} shown; narrow it with name"}
    )


def _branch(branch: str | None) -> str | None:
    """The branch to commit on; a blank one is the default branch, as an omitted one is."""
    return (branch or "").strip() or None


def _encoded(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode()


def _commit_facts(path: str, branch: str | None, answer: Obj) -> Obj:
    """What the agent needs next: the commit made and, where GitCode tells it, the file's new blob sha."""
    commit, blob = sub(answer, "commit").get("sha"), sub(answer, "content").get("sha")
    return drop_empty({"path": path, "branch": branch, "commit": commit, "sha": blob})


def _commit_result(path: str, branch: str | None, answer: Obj) -> str:
    return to_text(_commit_facts(path, branch, answer))


@contents.write(
    Example({**DEMO, "path": "docs/notes.md", "content": "# Notes\n", "message": "Add notes"}, f"POST {CONTENTS}")
)
async def create_file(
    owner: str,
    repo: str,
    path: str,
    content: str,
    message: Text,
    ctx: Context,
    branch: str | None = None,
) -> str:
    """Create a file from text (not base64) in a commit."""
    path, branch = clean_file_path("path", path, file=True), _branch(branch)
    reply = await gitcode(ctx).request(
        "POST",
        api_path(CONTENTS, owner=owner, repo=repo, path=path),
        json=payload(content=_encoded(content), message=message, branch=branch),
        hints={
            400: "the path may exist already (then use update_file with its sha), or the branch may not exist",
            404: "check owner, repo and branch",
        },
    )
    return _commit_result(path, branch, reply.object())


@contents.write(
    Example(
        {**DEMO, "path": "README.md", "content": "# demo\n", "message": "Shorten", "sha": README_SHA},
        f"PUT {CONTENTS}",
    )
)
async def update_file(
    owner: str,
    repo: str,
    path: str,
    content: str,
    message: Text,
    sha: FileSha,
    ctx: Context,
    branch: str | None = None,
) -> str:
    """Replace a file's text (not base64) in a commit."""
    path, branch = clean_file_path("path", path, file=True), _branch(branch)
    reply = await gitcode(ctx).request(
        "PUT",
        api_path(CONTENTS, owner=owner, repo=repo, path=path),
        json=payload(content=_encoded(content), sha=sha, message=message, branch=branch),
        hints=_WRITE_HINTS,
    )
    return _commit_result(path, branch, reply.object())


def _replaced(text: str, old_text: str, new_text: str, path: str) -> tuple[str, str]:
    """`text` with the one occurrence of `old_text` replaced, and the lines the new text takes (`12-14`); refused,
    naming the count, unless there is exactly one. A file with CRLF line ends also matches a piece written with LF ones
    (and gets CRLF in what replaces it)."""
    count = text.count(old_text)
    if count == 0 and "\r\n" in text and "\n" in old_text and "\r\n" not in old_text:
        old_text, new_text = old_text.replace("\n", "\r\n"), new_text.replace("\r\n", "\n").replace("\n", "\r\n")
        count = text.count(old_text)
    if count != 1:
        where = "is not in" if count == 0 else f"is {count} times in"
        fix = "copy it exactly from get_file_contents" if count == 0 else "add nearby text until it is unique"
        raise InvalidArgument("old_text", f"{where} {path} (it must be there once): {fix}. Nothing was committed")
    first = text[: text.index(old_text)].count("\n") + 1
    return text.replace(old_text, new_text), f"{first}-{first + new_text.count(chr(10))}"


@contents.write(
    Example(
        {**DEMO, "path": "src/app.py", "old_text": "'hello '", "new_text": "'hi '", "message": "Say hi"},
        f"GET {CONTENTS}",
        f"PUT {CONTENTS}",
    )
)
async def edit_file(
    owner: str,
    repo: str,
    path: str,
    old_text: Text,
    new_text: str,
    message: Text,
    ctx: Context,
    branch: str | None = None,
) -> str:
    """Replace a unique piece of a file's text and commit it (no sha needed)."""
    if new_text == old_text:
        raise InvalidArgument("new_text", "is the same as old_text: there is nothing to change")
    path, branch = clean_file_path("path", path, file=True), _branch(branch)
    reply = await read_contents(ctx, owner, repo, path, branch, hints={404: "the file or the branch does not exist"})
    if isinstance(reply.data, list):
        raise InvalidArgument("path", f"{path} is a directory; give a file")
    current = reply.object()
    text, _ = decode_file(current)
    if text is None:
        raise InvalidArgument("path", f"{path} is a binary file; nothing was committed")
    changed, placed = _replaced(text, old_text, new_text, path)
    # The sha just read goes with the write: if the file changed meanwhile, GitCode refuses it and nothing is lost
    # (docs/gitcode-behaviour.md, Mirrors, contents and wiki).
    answer = await gitcode(ctx).request(
        "PUT",
        api_path(CONTENTS, owner=owner, repo=repo, path=path),
        json=payload(content=_encoded(changed), sha=current.get("sha"), message=message, branch=branch),
        hints={**_WRITE_HINTS, 400: "the file changed since it was read, or the branch is protected: try again"},
    )
    return to_text({**_commit_facts(path, branch, answer.object()), "lines": placed})


@contents.destructive(
    Example(
        {**DEMO, "path": "README.md", "message": "Drop the readme", "sha": README_SHA},
        f"DELETE {CONTENTS}",
    )
)
async def delete_file(
    owner: str, repo: str, path: str, message: Text, sha: FileSha, ctx: Context, branch: str | None = None
) -> str:
    """Delete a file in a commit; cannot be undone."""
    path, branch = clean_file_path("path", path, file=True), _branch(branch)
    reply = await gitcode(ctx).request(
        "DELETE",
        api_path(CONTENTS, owner=owner, repo=repo, path=path),
        json=payload(sha=sha, message=message, branch=branch),
        hints=_WRITE_HINTS,
    )
    return _commit_result(path, branch, reply.object())


# The answer is the file's bytes, not JSON (ref #36; probe: urandon/gitcode-mcp reads wiki pages' text there).
@contents.read(Example({**DEMO, "path": "README.md"}, f"GET {RAW_FILE}"))
async def get_raw_file(owner: str, repo: str, path: str, ctx: Context, ref: Ref | None = None) -> list[TextContent]:
    """Read a file's raw text (no sha)."""
    path = clean_file_path("path", path)
    reply = await gitcode(ctx).get(api_path(RAW_FILE, owner=owner, repo=repo, path=path), {"ref": ref}, raw=True)
    raw = reply.data if isinstance(reply.data, bytes) else b""
    return file_answer({"path": path, "ref": ref, "size": len(raw)}, decode_bytes(raw), settings(ctx).raw_content)


_DATA_URL = re.compile(r"^data:[^,]*;base64,", re.IGNORECASE)
# One argument carries the file either way: base64 has no ':' in its alphabet, so a file:// URI cannot be taken
# for base64 (nor a data: URL, whose prefix is stripped as GitCode wants it: ref #23).
UploadContent = Annotated[str, Field(description="Base64, or file:///path in an --upload-dir (stdio only)")]


def _too_large(size: int) -> str:
    return f"is {size / 1e6:.1f} MB; GitCode takes at most {MAX_UPLOAD // 1_000_000} MB. Nothing was sent"


async def _upload_source(ctx: Context, content: str, file_name: str) -> tuple[str, bytes]:
    """The name and bytes to upload, checked (the size limit; a local file only over stdio, from a directory the user
    allowed: uploads.py) before anything is sent."""
    name = file_name.strip()
    if not name or "/" in name or "\\" in name or len(name) > 255:
        raise InvalidArgument("file_name", f"{preview(file_name)} is not a file name like 'screenshot.png'")
    if content.startswith(FILE_URI):
        if settings(ctx).transport != "stdio":
            raise InvalidArgument(
                "content", "this server is reached over HTTP and does not read its own files; send the file as base64"
            )
        data = await read_allowed_file(content, settings(ctx).upload_dirs, MAX_UPLOAD, _too_large)
    else:
        text = re.sub(r"\s+", "", _DATA_URL.sub("", content.strip()))
        if len(text) // 4 * 3 > MAX_UPLOAD + 2:
            raise InvalidArgument("content", _too_large(len(text) // 4 * 3))
        try:
            data = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            hint = "; give a local file as file:///absolute/path" if content.startswith(("/", "~", ".")) else ""
            raise InvalidArgument("content", f"is not valid base64{hint}") from None
        if len(data) > MAX_UPLOAD:
            raise InvalidArgument("content", _too_large(len(data)))
    if not data:
        raise InvalidArgument("content", "the file is empty")
    return name, data


def _uploaded(reply: Reply) -> str:
    answer = reply.object()
    url = answer.get("full_path")
    if answer.get("success") is False or not url:
        raise GitCodeError(None, "GitCode did not accept the upload", "check the file and try again")
    return to_text({"url": url})


_UPLOAD_HINTS = {400: "GitCode refused the file: it may be too large (20 MB at most) or of a kind it does not take"}
_LOGO = "iVBORw0KGgoAAAANSUhEUg=="  # the first bytes of a PNG


# Files GitCode stores as images (ref #23: the image upload), shown inline where the URL goes in Markdown; any other
# file is an attachment (ref #24).
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".svg")


@contents.write(
    Example({**DEMO, "file_name": "logo.png", "content": _LOGO}, f"POST {IMAGE_UPLOAD}"),
    Example({**DEMO, "file_name": "hello.txt", "content": "aGVsbG8K"}, f"POST {FILE_UPLOAD}"),
)
async def upload_file(owner: str, repo: str, file_name: str, content: UploadContent, ctx: Context) -> str:
    """Upload an image or a file (max 20 MB) for issues and comments; answers its URL."""
    name, data = await _upload_source(ctx, content, file_name)
    if name.lower().endswith(IMAGE_SUFFIXES):
        # ref #23: a JSON body, `body` the base64 file without a `data:` URL prefix, and `file_name`.
        reply = await gitcode(ctx).request(
            "POST",
            api_path(IMAGE_UPLOAD, owner=owner, repo=repo),
            json={"body": base64.b64encode(data).decode(), "file_name": name},
            hints=_UPLOAD_HINTS,
        )
    else:
        # ref #24: a multipart form with the file in its `file` part (formData, `curl --form file=@...`). The
        # gitcode-api package sends `{"file": <base64>}` as JSON instead; the reference wins where the two differ.
        reply = await gitcode(ctx).request(
            "POST", api_path(FILE_UPLOAD, owner=owner, repo=repo), files={"file": (name, data)}, hints=_UPLOAD_HINTS
        )
    return _uploaded(reply)
