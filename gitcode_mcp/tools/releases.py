"""Tags, protected tags and releases: tag a commit, delete a tag (its release goes with it), say who may create
matching tags, publish, read and edit releases, read and delete their files, and find where a file is uploaded.

Evidence: GitCode's API pages for tags and releases (docs.gitcode.com, as copied in AndyKong2020/gitcode-api-skill),
field names from the gitcode-api package and gitcode-cli/cli, which calls these endpoints; see the simulator area
(sandbox/areas/releases.py) for what each choice rests on.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Literal

from mcp.server.mcpserver import Context
from mcp_types import TextContent

from gitcode_mcp.content_safety import file_blocks
from gitcode_mcp.endpoints import (
    LATEST_RELEASE,
    PROTECTED_TAG,
    PROTECTED_TAGS,
    RELEASE,
    RELEASE_BY_TAG,
    RELEASE_FILE,
    RELEASE_FILE_DOWNLOAD,
    RELEASE_UPLOAD_URL,
    RELEASES,
    TAG,
    TAGS,
)
from gitcode_mcp.errors import InvalidArgument
from gitcode_mcp.paths import api_path
from gitcode_mcp.registry import Example, Toolset
from gitcode_mcp.toolkit import FULL_PAGE, Number, Page, PerPage, Text, get_page, gitcode, payload, settings
from gitcode_mcp.tools.contents import MAX_TEXT_CHARS, decode_bytes
from gitcode_mcp.views import Obj, View, as_int, at, drop_empty, login, sub, to_text

releases = Toolset("releases", "Tags, protected tags, releases and their files")


DEMO = {"owner": "alice", "repo": "demo"}
CHECKSUMS_ID = 8_500_001  # the file the simulator seeds on alice/demo's release v1.0

TAG_VIEW = View(
    name="name",
    sha=lambda t: sub(t, "commit").get("sha"),
    message="message",
    date=lambda t: sub(t, "commit").get("date"),
)
# GitCode's create_access_level (ref: 0 no one; 30 developers, maintainers, admins; 40 maintainers, admins; the
# default 40) as the words protect_tag takes.
LEVELS = {"maintainers": 40, "developers": 30, "nobody": 0}
Creators = Literal["maintainers", "developers", "nobody"]


def _creators(level: Any) -> Any:
    return next((word for word, n in LEVELS.items() if n == as_int(level)), level)


RULE = View(name="name", who_may_create=at("create_access_level", _creators))


def _prerelease(r: Obj) -> bool | None:
    # A boolean in the examples, an integer in some of the ref's schemas.
    return True if r.get("prerelease") in (True, 1, "1", "true") else None


def _files(r: Obj) -> list[Obj]:
    """The uploaded files (`type: attach`, with the id delete_release_file takes), not the four source archives."""
    assets = r.get("assets")
    if not isinstance(assets, list):
        return []
    return [
        drop_empty(
            {
                "id": as_int(a.get("id")),
                "name": a.get("name"),
                "size": a.get("size"),
                "url": a.get("browser_download_url"),
            }
        )
        for a in assets
        if isinstance(a, dict) and (a.get("type") == "attach" or a.get("id") is not None)
    ]


RELEASE_ITEM = View(
    tag="tag_name",
    name="name",
    prerelease=_prerelease,
    author=at("author", login),
    created_at="created_at",
)
RELEASE_VIEW = View(
    tag="tag_name",
    name="name",
    prerelease=_prerelease,
    commit="target_commitish",
    author=at("author", login),
    created_at="created_at",
    files=_files,
    body="body",
)

_PROTECTED = "the tag is protected (list_protected_tags): remove its rule first, if that is meant"
_NO_RELEASE = "no release on that tag: list_releases shows them"


# -- tags -------------------------------------------------------------------------------------------------------


@releases.read(Example(DEMO, f"GET {TAGS}"))
async def list_tags(owner: str, repo: str, ctx: Context, page: Page = 1) -> str:
    """List tags and the commits they point at."""
    return await get_page(ctx, TAGS, TAG_VIEW, page, FULL_PAGE, owner=owner, repo=repo)


@releases.write(Example({**DEMO, "tag_name": "v1.1", "ref": "main", "message": "Type hints"}, f"POST {TAGS}"))
async def create_tag(owner: str, repo: str, tag_name: Text, ref: Text, ctx: Context, message: str | None = None) -> str:
    """Tag a commit; a message makes it annotated."""
    reply = await gitcode(ctx).request(
        "POST",
        api_path(TAGS, owner=owner, repo=repo),
        json=payload(tag_name=tag_name, refs=ref, tag_message=message or None),
        hints={
            400: "the tag may exist already (list_tags), or ref is no branch, tag or commit",
            403: "a protected tag rule matches this name and you may not create it",
        },
    )
    return to_text(TAG_VIEW(reply.object()))


@releases.destructive(Example({**DEMO, "tag_name": "v0.9"}, f"DELETE {TAG}"))
async def delete_tag(owner: str, repo: str, tag_name: Text, ctx: Context) -> str:
    """Delete a tag, and the release on it with its files. Cannot be undone."""
    # GitCode's page says nothing of the release; GitLab, whose tag API GitCode's follows, deletes it (see the
    # simulator area): this says so rather than leave an agent to find out.
    await gitcode(ctx).request(
        "DELETE",
        api_path(TAG, owner=owner, repo=repo, tag_name=tag_name),
        hints={403: _PROTECTED, 400: _PROTECTED, 404: "no such tag: list_tags shows them"},
    )
    return to_text({"deleted": tag_name})


# -- protected tags ----------------------------------------------------------------------------------------------


@releases.read(Example(DEMO, f"GET {PROTECTED_TAGS}"), Example({**DEMO, "name": "v1.*"}, f"GET {PROTECTED_TAG}"))
async def list_protected_tags(owner: str, repo: str, ctx: Context, name: str | None = None) -> str:
    """List tag protection rules, or get one by name."""
    if name is None:
        # A repository has a few rules, not pages of them: the first 100, with has_more should there be more.
        return await get_page(ctx, PROTECTED_TAGS, RULE, 1, 100, owner=owner, repo=repo)
    reply = await gitcode(ctx).get(
        api_path(PROTECTED_TAG, owner=owner, repo=repo, tag_name=name), hints={404: "no rule by that name"}
    )
    return to_text(RULE(reply.object()))


@releases.write(
    Example({**DEMO, "name": "release-*"}, f"GET {PROTECTED_TAGS}", f"POST {PROTECTED_TAGS}"),
    Example({**DEMO, "name": "v1.*", "who_may_create": "developers"}, f"GET {PROTECTED_TAGS}", f"PUT {PROTECTED_TAGS}"),
    idempotent=True,
)
async def protect_tag(owner: str, repo: str, name: Text, ctx: Context, who_may_create: Creators = "maintainers") -> str:
    """Protect tags matching name (v1.0, or a wildcard: v*), or change who may create them."""
    # POST creates a rule and PUT changes one (ref): which one is needed is read from the rules, not guessed, so the
    # tool sets the level whether or not the rule exists.
    client = gitcode(ctx)
    where = api_path(PROTECTED_TAGS, owner=owner, repo=repo)
    exists = False
    for number in range(1, 11):
        reply = await client.get(where, {"page": number, "per_page": 100})
        rules = reply.items()
        exists = any(isinstance(r, dict) and r.get("name") == name for r in rules)
        if exists or not reply.has_more(number, 100, len(rules)):
            break
    reply = await client.request(
        "PUT" if exists else "POST",
        where,
        json={"name": name, "create_access_level": LEVELS[who_may_create]},
        hints={403: "only maintainers may change tag protection"},
    )
    return to_text(RULE(reply.object()))


@releases.destructive(Example({**DEMO, "name": "v1.*"}, f"DELETE {PROTECTED_TAG}"))
async def delete_protected_tag(owner: str, repo: str, name: Text, ctx: Context) -> str:
    """Remove a tag protection rule; cannot be undone. Matching tags stay, unprotected."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(PROTECTED_TAG, owner=owner, repo=repo, tag_name=name),
        hints={404: "no rule by that name: list_protected_tags shows them"},
    )
    return to_text({"unprotected": name})


# -- releases ----------------------------------------------------------------------------------------------------


@releases.read(Example(DEMO, f"GET {RELEASES}"))
async def list_releases(owner: str, repo: str, ctx: Context, page: Page = 1, per_page: PerPage = 20) -> str:
    """List releases, newest first."""
    # ref: oldest first unless direction=desc.
    query = {"direction": "desc"}
    return await get_page(ctx, RELEASES, RELEASE_ITEM, page, per_page, query, owner=owner, repo=repo)


@releases.read(
    Example(DEMO, f"GET {LATEST_RELEASE}"),
    Example({**DEMO, "tag": "v0.9"}, f"GET {RELEASE_BY_TAG}"),
    Example({**DEMO, "tag": "v1.0", "temp_urls": True}, f"GET {RELEASE}"),
)
async def get_release(
    owner: str,
    repo: str,
    ctx: Context,
    tag: str | None = None,
    temp_urls: bool = False,
) -> str:
    """Get the release on a tag, or the latest: notes, files (temp_urls: signed links)."""
    hints = {404: _NO_RELEASE if tag else "no full release yet (pre-releases are not the latest)"}
    if temp_urls:
        if tag is None:
            raise InvalidArgument("temp_urls", "needs tag: give the release's tag")
        # ref: only the single-release read offers temporary download addresses.
        where = api_path(RELEASE, owner=owner, repo=repo, tag=tag)
        reply = await gitcode(ctx).get(where, {"temp_download_url": "true"}, hints=hints)
    elif tag is None:
        reply = await gitcode(ctx).get(api_path(LATEST_RELEASE, owner=owner, repo=repo), hints=hints)
    else:
        reply = await gitcode(ctx).get(api_path(RELEASE_BY_TAG, owner=owner, repo=repo, tag=tag), hints=hints)
    return to_text(RELEASE_VIEW(reply.object()))


def _status(prerelease: bool | None) -> str | None:
    """GitCode's `release_status` (gitcode-api, gitcode-cli/cli): `pre` for a pre-release, `latest` otherwise."""
    return None if prerelease is None else "pre" if prerelease else "latest"


def _written(answer: Obj) -> str:
    shown = RELEASE_VIEW(answer)
    shown.pop("body", None)
    return to_text(shown)


@releases.write(
    Example({**DEMO, "tag_name": "v1.1", "body": "Type hints; a main().", "ref": "feature"}, f"POST {RELEASES}"),
    Example({**DEMO, "tag_name": "v1.0-docs", "body": "Docs.", "name": "Docs", "prerelease": True}, f"POST {RELEASES}"),
)
async def create_release(
    owner: str,
    repo: str,
    tag_name: Text,
    body: Text,
    ctx: Context,
    name: str | None = None,
    ref: str | None = None,
    prerelease: bool | None = None,
) -> str:
    """Publish a release on a tag; a new tag is made at ref."""
    reply = await gitcode(ctx).request(
        "POST",
        api_path(RELEASES, owner=owner, repo=repo),
        # ref: tag_name, name and body are required; the name defaults to the tag's here.
        json=payload(
            tag_name=tag_name,
            name=name or tag_name,
            body=body,
            target_commitish=ref,
            release_status=_status(prerelease),
        ),
        hints={
            409: "that tag has a release already: edit it with update_release",
            400: "ref must be a branch or commit for a new tag",
            403: "a protected tag rule matches this tag name and you may not create it",
        },
    )
    return _written(reply.object())


@releases.write(
    Example({**DEMO, "tag": "v1.0", "name": "demo 1.0.0", "body": "The first release."}, f"PATCH {RELEASE}"),
    Example({**DEMO, "tag": "v0.9", "prerelease": False}, f"GET {RELEASE_BY_TAG}", f"PATCH {RELEASE}"),
    idempotent=True,
)
async def update_release(
    owner: str,
    repo: str,
    tag: Text,
    ctx: Context,
    name: str | None = None,
    body: str | None = None,
    prerelease: bool | None = None,
) -> str:
    """Edit a release's name, notes or pre-release flag."""
    client = gitcode(ctx)
    if name is None or body is None:
        # ref: a PATCH needs both name and body; the one not given is kept as it is.
        current = (
            await client.get(api_path(RELEASE_BY_TAG, owner=owner, repo=repo, tag=tag), hints={404: _NO_RELEASE})
        ).object()
        if name is None and body is None and prerelease is None:
            return to_text({**RELEASE_VIEW(current), "note": "nothing to change was given; this is the release"})
        name = current.get("name") if name is None else name
        body = current.get("body") if body is None else body
    reply = await client.request(
        "PATCH",
        api_path(RELEASE, owner=owner, repo=repo, tag=tag),
        json=payload(name=name, body=body, release_status=_status(prerelease)),
        hints={404: _NO_RELEASE, 400: "name and body must not be empty"},
    )
    return _written(reply.object())


# -- release files -----------------------------------------------------------------------------------------------

# A value that carries a token: the callback GitCode asks the storage host to make (probe: it holds the caller's
# token, AndyKong2020/gitcode-api-skill tested-behaviors.md). OBS headers are often base64; both forms are read.
_TOKEN_IN = re.compile(r"(access|private)[_-]?token(=|%3D|\"\s*:)", re.IGNORECASE)


def _carries_token(value: Any) -> bool:
    text = str(value)
    if _TOKEN_IN.search(text):
        return True
    try:
        decoded = base64.b64decode(text, validate=True).decode("utf-8", errors="replace")
    except (binascii.Error, ValueError):
        return False
    return bool(_TOKEN_IN.search(decoded))


@releases.read(
    Example({**DEMO, "tag": "v1.0", "file_name": "checksums.txt"}, f"GET {RELEASE_FILE_DOWNLOAD}"),
    Example({**DEMO, "tag": "v1.0", "file_name": "demo-1.0.tar.gz", "upload_url": True}, f"GET {RELEASE_UPLOAD_URL}"),
)
async def get_release_file(
    owner: str, repo: str, tag: Text, file_name: Text, ctx: Context, upload_url: bool = False
) -> list[TextContent]:
    """Read a release file (redirects reported, not followed), or with upload_url where to PUT a new one."""
    if upload_url:
        return [TextContent(type="text", text=await _upload_target(ctx, owner, repo, tag, file_name))]
    where = api_path(RELEASE_FILE_DOWNLOAD, owner=owner, repo=repo, tag=tag, file_name=file_name)
    hints = {404: "no such file on that release: get_release lists them"}
    reply = await gitcode(ctx).get(where, raw=True, redirects=True, hints=hints)
    meta: Obj = {"name": file_name}
    if (location := reply.location) is not None:
        meta |= {"location": "***" if _carries_token(location) else location, "note": "a redirect, not followed"}
        return [TextContent(type="text", text=to_text(meta))]
    raw = reply.data
    meta |= {"size": len(raw), "type": reply.headers.get("content-type", "").split(";")[0] or None}
    text = decode_bytes(raw)
    if text is None:
        meta["note"] = "binary file: its content is not shown"
        return [TextContent(type="text", text=to_text(drop_empty(meta)))]
    if len(text) > MAX_TEXT_CHARS:
        meta["truncated"] = f"showing the first {MAX_TEXT_CHARS} of {len(text)} characters"
        text = text[:MAX_TEXT_CHARS]
    return file_blocks(drop_empty(meta), text, settings(ctx).raw_content)


async def _upload_target(ctx: Context, owner: str, repo: str, tag: str, file_name: str) -> str:
    """Where a file is uploaded (ref): a signed object storage URL on another host, and the headers its PUT takes."""
    reply = await gitcode(ctx).get(
        api_path(RELEASE_UPLOAD_URL, owner=owner, repo=repo, tag=tag),
        {"file_name": file_name},
        hints={404: _NO_RELEASE},
    )
    answer = reply.object()
    url, headers = answer.get("url"), sub(answer, "headers")
    # The upload goes to object storage, not to GitCode's API: our token is never sent there. A value carrying the
    # token is masked (never shown to the agent), so such an upload cannot be finished from here.
    masked = [k for k, v in headers.items() if _carries_token(v)]
    shown: Obj = {
        "url": "***" if _carries_token(url) else url,
        "headers": {k: "***" if k in masked else v for k, v in headers.items()},
    }
    if masked or shown["url"] == "***":
        shown["blocked"] = (
            f"GitCode put your token into {', '.join(masked) or 'url'} (masked here); uploading would send it to "
            "the storage host. Attach the file on the release's web page instead"
        )
    else:
        shown["next"] = "PUT the file's bytes to url with exactly these headers and no token"
    return to_text(shown)


@releases.destructive(Example({**DEMO, "tag": "v1.0", "file_id": CHECKSUMS_ID}, f"DELETE {RELEASE_FILE}"))
async def delete_release_file(owner: str, repo: str, tag: Text, file_id: Number, ctx: Context) -> str:
    """Delete a file from a release (ids: get_release). Cannot be undone."""
    await gitcode(ctx).request(
        "DELETE",
        api_path(RELEASE_FILE, owner=owner, repo=repo, tag=tag, attach_file_id=file_id),
        hints={404: "no such file on that release: get_release lists them with their ids"},
    )
    return to_text({"deleted": file_id, "tag": tag})
