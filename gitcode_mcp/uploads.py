"""Local files an upload may read: only regular files inside the directories the user allowed.

Text an agent reads (an issue body written by a stranger) can ask it to upload `file:///proc/self/environ` or
`~/.ssh/id_ed25519`; the upload would publish it. So a `file://` upload is read only over stdio, only when the user
named directories (`--upload-dir`, GITCODE_UPLOAD_DIRS; none by default), only from inside one of them after
symbolic links are resolved, and never from /proc, /sys or /dev.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote

import anyio

from gitcode_mcp.errors import InvalidArgument, preview

FILE_URI = "file://"
_SYSTEM = (Path("/proc"), Path("/sys"), Path("/dev"))
HOW_TO_ALLOW = (
    "start the server with --upload-dir DIR (or GITCODE_UPLOAD_DIRS, directories separated by "
    f"'{os.pathsep}') and put the file there, or send the file's bytes as base64"
)


def _is_system(path: Path) -> bool:
    return any(path == root or path.is_relative_to(root) for root in _SYSTEM)


def allowed_directories(raw: Iterable[str]) -> tuple[str, ...]:
    """The directories given, resolved; ValueError naming the first that does not exist or may not be allowed."""
    found: list[str] = []
    for text in raw:
        path = Path(text).expanduser()
        resolved = path.resolve()
        if not resolved.is_dir():
            raise ValueError(f"upload directory {text!r} is not an existing directory")
        if _is_system(resolved) or resolved == Path(resolved.anchor):
            raise ValueError(f"upload directory {text!r} may not be / or lie under /proc, /sys or /dev")
        found.append(str(resolved))
    return tuple(dict.fromkeys(found))


def _local_path(uri: str) -> Path:
    """The path a file:// URI names (absolute; `file://~/x` and `file:///~/x` are read from the home directory)."""
    raw = unquote(uri.removeprefix(FILE_URI).removeprefix("localhost"))
    raw = raw.removeprefix("/") if raw.startswith("/~") else raw
    path = Path(raw).expanduser()
    if not path.is_absolute() or "\x00" in raw:
        raise InvalidArgument("content", f"{preview(uri)} must name an absolute path, like file:///home/me/shot.png")
    return path


TooLarge = Callable[[int], str]


async def read_allowed_file(uri: str, directories: tuple[str, ...], max_size: int, too_large: TooLarge) -> bytes:
    """The bytes of the file `uri` names, refused before anything is read unless it is a regular file of at most
    `max_size` bytes inside one of `directories` (`too_large(size)` says why a larger one is refused)."""
    if not directories:
        raise InvalidArgument("content", f"this server reads no local file unless allowed: {HOW_TO_ALLOW}")
    path = _local_path(uri)
    real = Path(os.path.realpath(path))
    if _is_system(real):
        raise InvalidArgument("content", f"{preview(uri)} lies under /proc, /sys or /dev, which are never uploaded")
    roots = [Path(os.path.realpath(d)) for d in directories]
    inside = next((root for root in roots if real.is_relative_to(root)), None)
    if inside is None:
        shown = ", ".join(str(r) for r in roots)
        raise InvalidArgument(
            "content",
            f"{preview(uri)} is outside the directories this server may upload from ({shown}), after following "
            "symbolic links; move the file into one, or allow its directory with --upload-dir",
        )
    return await anyio.to_thread.run_sync(_read, uri, real, inside, max_size, too_large)


def _read(uri: str, real: Path, root: Path, max_size: int, too_large: TooLarge) -> bytes:
    try:
        # O_NOFOLLOW: the checked path is read, not a symbolic link put in its place since; O_NONBLOCK: a FIFO
        # cannot hang the call (it is refused below as not a regular file).
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InvalidArgument("content", f"{preview(uri)} cannot be read: {exc.strerror}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InvalidArgument("content", f"{preview(uri)} is not a regular file")
        opened = Path(f"/proc/self/fd/{fd}")
        # A directory on the way swapped for a link after the check: the file opened is not the file checked.
        if opened.is_symlink() and not Path(os.readlink(opened)).is_relative_to(root):
            raise InvalidArgument("content", f"{preview(uri)} moved outside the allowed directories while read")
        if info.st_size > max_size:
            raise InvalidArgument("content", too_large(info.st_size))
        with os.fdopen(os.dup(fd), "rb") as file:
            data = file.read(max_size + 1)
    finally:
        os.close(fd)
    if len(data) > max_size:  # it grew while being read
        raise InvalidArgument("content", too_large(len(data)))
    return data
