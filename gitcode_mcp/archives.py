"""ZIP archives read in memory and never handed over whole: what they hold, with sizes, and one member by its path,
within limits that keep a ZIP bomb from unpacking."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from gitcode_mcp.errors import GitCodeError, InvalidArgument

MAX_MEMBERS = 500
MAX_MEMBER_BYTES = 5 * 1000 * 1000  # a member larger than this (unpacked) is listed, not read


@dataclass(frozen=True)
class Member:
    path: str
    size: int  # unpacked bytes
    packed: int


def _open(raw: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile:
        raise GitCodeError(None, "the archive GitCode sent is not a readable ZIP file", "") from None


def members(raw: bytes) -> tuple[list[Member], int]:
    """The archive's files (directories left out), at most MAX_MEMBERS of them, and how many files it has in all."""
    files = [i for i in _open(raw).infolist() if not i.is_dir()]
    return [Member(i.filename, i.file_size, i.compress_size) for i in files[:MAX_MEMBERS]], len(files)


def read_member(raw: bytes, path: str) -> bytes:
    """One file of the archive, by its path as `members` lists it."""
    archive = _open(raw)
    try:
        info = archive.getinfo(path.strip().lstrip("/"))
    except KeyError:
        raise InvalidArgument(
            "path", f"{path[:80]!r} is not in the artifact; leave path out to list its files"
        ) from None
    if info.file_size > MAX_MEMBER_BYTES:
        raise InvalidArgument(
            "path", f"is {info.file_size} bytes unpacked; files above {MAX_MEMBER_BYTES // 1_000_000} MB are not read"
        )
    if info.flag_bits & 0x1:
        raise GitCodeError(None, f"{path[:80]} is encrypted in the archive", "")
    with archive.open(info) as member:
        return member.read(MAX_MEMBER_BYTES + 1)[:MAX_MEMBER_BYTES]
