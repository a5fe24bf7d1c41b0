"""Tags, protected tags and releases, in the shapes of the GitCode reference (docs.gitcode.com API pages for tags and
releases, read through AndyKong2020/gitcode-api-skill's copies of them) and of public code that uses them live.

- A tag is on a commit (Repo.head_sha / Repo.commit); one made with a message is annotated and has a tagger (ref
  example: a lightweight tag answers `tagger: null`).
- Protected tag rules (a name or a wildcard) say who may create matching tags: 0 nobody, 30 developers and up, 40
  maintainers and up (ref, default 40). A protected tag refuses deletion through the API. Deleting a tag deletes the
  release on it, files and all. GitCode's pages say neither; both are GitLab's (Tags::DestroyService, the protected
  tag check), whose API GitCode's follows here (the same access levels 30/40).
- Releases have no id (ref changelog 2025-01: "Removed id field"); they are read by tag, the latest is the newest
  that is not a pre-release, lists are oldest first unless `direction=desc` (ref). Their `assets` are the four
  source archives and the uploaded files; an uploaded file has `type: "attach"` and an `id` (public code that deletes
  them by that id: gitcode-cli/cli `release delete-asset`, and a release script that filters `type == "attach"`);
  the archives' `type` is not shown anywhere, `source` is ours.
- An upload is two steps (ref, gitcode-cli/cli UploadReleaseAssetByTag): `upload_url` answers a signed object storage
  URL and headers, and the file's bytes are PUT there, on another host, with those headers. Live (probe,
  AndyKong2020/gitcode-api-skill tested-behaviors.md), the callback header carries the caller's token. That PUT is
  not the API's, so this simulator has no route for it: tests attach a file to the state as the storage host's
  callback would.
"""

from __future__ import annotations

import base64
import fnmatch
import json
import mimetypes
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.responses import JSONResponse, Response

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
from gitcode_mcp.sandbox import shapes
from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.areas.contents import may_write
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox, need_token, page, route, text_field
from gitcode_mcp.sandbox.state import API, Kept, Repo, Tag, User, World, fake_sha, now


@dataclass
class ReleaseFile:
    """A file attached to a release (uploaded to GitCode's object storage)."""

    id: int
    name: str
    content: bytes
    content_type: str
    uploader: User
    created_at: str


@dataclass
class Release:
    tag: str
    name: str
    body: str
    author: User
    created_at: str
    prerelease: bool = False
    files: list[ReleaseFile] = field(default_factory=list)


@dataclass
class Releases(Kept):
    """A repository's releases by their tag's name."""

    releases: dict[str, Release] = field(default_factory=dict)
    # a name or a wildcard such as v* -> who may create matching tags: 0 (no one), 30 or 40 (maintainers)
    protected_tags: dict[str, int] = field(default_factory=dict)


# create_access_level -> create_access_level_desc (ref's values; its examples word them in English).
LEVELS = {0: "No one", 30: "Developer, Maintainer, Admin", 40: "Maintainer, Admin"}
STORAGE = "https://file.gitcode.com"  # where release files are stored (a public release script measured it)
ARCHIVES = ("zip", "tar.gz", "tar.bz2", "tar")


def seed(world: World) -> None:
    """On alice/demo (nothing else reads tags or releases): v0.9 (lightweight) with a pre-release, v1.0 (annotated)
    with the latest release and one file, and the rule protecting v1.*. Both tags are on the docs branch's head, a
    commit the world already holds. Fixed ids: the shared counter is left alone."""
    demo = world.repo("alice", "demo")
    if demo is None:
        return
    alice = world.users["alice"]
    sha = demo.head_sha("docs")
    demo.tags["v0.9"] = Tag("v0.9", sha, "", alice, "2026-11-21T18:00:00+08:00")
    demo.tags["v1.0"] = Tag("v1.0", sha, "demo 1.0", alice, "2026-11-22T10:00:00+08:00")
    Releases.of(demo).releases["v0.9"] = Release(
        "v0.9", "demo 0.9 beta", "Try it; expect changes.", alice, "2026-11-21T18:05:00+08:00", prerelease=True
    )
    checksums = ReleaseFile(
        8_500_001,
        "checksums.txt",
        b"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  demo-1.0.tar.gz\n",
        "text/plain",
        alice,
        "2026-11-22T10:06:00+08:00",
    )
    Releases.of(demo).releases["v1.0"] = Release(
        "v1.0", "demo 1.0", "The first release.", alice, "2026-11-22T10:05:00+08:00", files=[checksums]
    )
    Releases.of(demo).protected_tags["v1.*"] = 40


# -- tags -------------------------------------------------------------------------------------------------------


def writer(sb: Sandbox, call: Call) -> tuple[Repo, User]:
    user = need_token(call)
    repo = sb.repo(call)
    may_write(sb, repo, user)
    return repo, user


def resolve(repo: Repo, ref: str) -> str | None:
    """The commit a branch, tag or commit sha (or a prefix of one) names."""
    if ref in repo.branches:
        return repo.head_sha(ref)
    if ref in repo.tags:
        return repo.tags[ref].sha
    found = repo.commit(ref)
    return found.sha if found else None


def protection(repo: Repo, name: str) -> int | None:
    """The create_access_level of the first rule that matches `name` (a rule may be a wildcard: v*)."""
    return next(
        (level for rule, level in Releases.of(repo).protected_tags.items() if fnmatch.fnmatchcase(name, rule)), None
    )


def may_create(world: World, repo: Repo, user: User, name: str) -> None:
    level = protection(repo, name)
    if level is None:
        return
    if level == 0 or (level == 40 and not access(world, repo, user).admin):
        raise Refusal(403, f"You are not allowed to create protected tag {name} in this project")


def render_tag(repo: Repo, tag: Tag) -> dict[str, Any]:
    commit = repo.commit(tag.sha)
    tagger = {
        "name": tag.tagger.name,
        "email": f"{tag.tagger.id[-7:]}+{tag.tagger.login}@user.noreply.gitcode.com",
        "date": tag.created_at,
    }
    return {
        "name": tag.name,
        "message": tag.message,
        "commit": {"sha": tag.sha, "date": commit.created_at if commit else tag.created_at},
        "tagger": tagger if tag.message else None,
    }


def make_tag(world: World, repo: Repo, user: User, name: Any, ref: Any, message: str = "") -> Tag:
    if not isinstance(name, str) or not name.strip():
        raise Refusal(400, "tag_name is required")
    if name in repo.tags:
        raise Refusal(400, f"Tag {name} already exists")
    sha = resolve(repo, ref) if isinstance(ref, str) and ref else None
    if sha is None:
        raise Refusal(400, f"Target {ref} is invalid")
    may_create(world, repo, user, name)
    tag = repo.tags[name] = Tag(name, sha, message, user, now())
    return tag


@route("GET", TAGS)
async def list_tags(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    # Newest first; tags made in the same second, the later one first.
    tags = [t for _, t in sorted(enumerate(repo.tags.values()), key=lambda it: (it[1].created_at, it[0]), reverse=True)]
    return page(call, [render_tag(repo, t) for t in tags])


@route("POST", TAGS)
async def create_tag(sb: Sandbox, call: Call) -> Response:
    repo, user = writer(sb, call)
    data = call.data()
    message = data.get("tag_message")
    tag = make_tag(
        sb.world, repo, user, data.get("tag_name"), data.get("refs"), message if isinstance(message, str) else ""
    )
    return JSONResponse(render_tag(repo, tag))


@route("DELETE", TAG)
async def delete_tag(sb: Sandbox, call: Call) -> Response:
    repo, _ = writer(sb, call)
    name = call.params["tag_name"]
    if name not in repo.tags:
        raise Refusal(404, "Not Found Tag")
    if protection(repo, name) is not None:
        raise Refusal(403, "You can only delete protected tags using the web interface.")
    del repo.tags[name]
    Releases.of(repo).releases.pop(name, None)  # its release and the release's files go with it
    return Response(status_code=204)


# -- protected tags ----------------------------------------------------------------------------------------------


def render_rule(name: str, level: int) -> dict[str, Any]:
    return {"name": name, "create_access_level": level, "create_access_level_desc": LEVELS[level]}


def access_level(data: dict[str, Any], default: int | None) -> int:
    level = data.get("create_access_level", default)
    if level not in LEVELS or isinstance(level, bool):
        raise Refusal(400, "create_access_level must be one of [0, 30, 40]")
    return level


def rule_name(data: dict[str, Any]) -> str:
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Refusal(400, "name is required")
    return name


def admin(sb: Sandbox, call: Call) -> Repo:
    repo, user = writer(sb, call)
    if not access(sb.world, repo, user).admin:
        raise Refusal(403, "Only maintainers may change protected tags")
    return repo


@route("GET", PROTECTED_TAGS)
async def list_rules(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    repo = sb.repo(call)
    return page(call, [render_rule(n, level) for n, level in Releases.of(repo).protected_tags.items()])


@route("GET", PROTECTED_TAG)
async def get_rule(sb: Sandbox, call: Call) -> Response:
    need_token(call)
    repo = sb.repo(call)
    name = call.params["tag_name"]
    if name not in Releases.of(repo).protected_tags:
        raise Refusal(404, "Not Found Protected Tag")
    return JSONResponse(render_rule(name, Releases.of(repo).protected_tags[name]))


@route("POST", PROTECTED_TAGS)
async def create_rule(sb: Sandbox, call: Call) -> Response:
    repo = admin(sb, call)
    name = rule_name(call.data())
    if name in Releases.of(repo).protected_tags:
        raise Refusal(409, f"Protected tag {name} already exists")
    level = Releases.of(repo).protected_tags[name] = access_level(call.data(), 40)
    return JSONResponse(render_rule(name, level))


@route("PUT", PROTECTED_TAGS)
async def update_rule(sb: Sandbox, call: Call) -> Response:
    repo = admin(sb, call)
    name = rule_name(call.data())
    if name not in Releases.of(repo).protected_tags:
        raise Refusal(404, "Not Found Protected Tag")
    level = Releases.of(repo).protected_tags[name] = access_level(call.data(), None)
    return JSONResponse(render_rule(name, level))


@route("DELETE", PROTECTED_TAG)
async def delete_rule(sb: Sandbox, call: Call) -> Response:
    repo = admin(sb, call)
    if Releases.of(repo).protected_tags.pop(call.params["tag_name"], None) is None:
        raise Refusal(404, "Not Found Protected Tag")
    return Response(status_code=204)


# -- releases ----------------------------------------------------------------------------------------------------


def author(user: User) -> dict[str, Any]:
    return {**shapes.user(user), "type": "User", "url": f"{API}/users/{user.login}"}


def signed(path: str) -> str:
    """A temporary object storage URL, as the service signs them."""
    return f"{STORAGE}/{path}?AccessKeyId=SANDBOXKEY&Expires=1893456000&Signature={fake_sha('signature', path)[:28]}"


def render_release(repo: Repo, rel: Release, temp_urls: bool = False) -> dict[str, Any]:
    tag = repo.tags.get(rel.tag)
    base = f"{repo.web_url}/-/archive/{rel.tag}/{repo.name}-{rel.tag}"
    archives = [
        {
            "browser_download_url": signed(f"archive/{repo.id}/{rel.tag}.{kind}") if temp_urls else f"{base}.{kind}",
            "name": f"{repo.name}-{rel.tag}.{kind}",
            "type": "source",
        }
        for kind in ARCHIVES
    ]
    files = [
        {
            "id": f.id,
            "name": f.name,
            "type": "attach",
            "size": len(f.content),
            "browser_download_url": signed(f"releases/{repo.id}/{rel.tag}/{f.name}")
            if temp_urls
            else f"{repo.web_url}/-/releases/{rel.tag}/downloads/{f.name}",
        }
        for f in rel.files
    ]
    return {
        "tag_name": rel.tag,
        "target_commitish": tag.sha if tag else "",
        "prerelease": rel.prerelease,
        "name": rel.name,
        "body": rel.body,
        "author": author(rel.author),
        "created_at": rel.created_at,
        "assets": archives + files,
    }


def release(repo: Repo, tag: str) -> Release:
    found = Releases.of(repo).releases.get(tag)
    if found is None:
        raise Refusal(404, "Not Found Release")
    return found


def release_status(data: dict[str, Any]) -> bool | None:
    """`release_status` (gitcode-api, gitcode-cli/cli): `pre` marks a pre-release, `latest` a full release."""
    status = data.get("release_status")
    if status is None:
        return None
    if status not in ("pre", "latest"):
        raise Refusal(400, "release_status must be one of [pre, latest]")
    return status == "pre"


@route("GET", RELEASES)
async def list_releases(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    direction = call.query.get("direction", "asc")
    if direction not in ("asc", "desc"):
        raise Refusal(400, "direction must be one of [asc, desc]")
    found = sorted(enumerate(Releases.of(repo).releases.values()), key=lambda it: (it[1].created_at, it[0]))
    ordered = [r for _, r in (reversed(found) if direction == "desc" else found)]
    return page(call, [render_release(repo, r) for r in ordered])


@route("POST", RELEASES)
async def create_release(sb: Sandbox, call: Call) -> Response:
    repo, user = writer(sb, call)
    data = call.data()
    tag_name, name, body = text_field(data, "tag_name"), text_field(data, "name"), text_field(data, "body")
    pre = release_status(data)
    if tag_name in Releases.of(repo).releases:
        raise Refusal(409, f"Release already exists for tag {tag_name}")
    if tag_name not in repo.tags:
        # ref: target_commitish (a branch or sha) makes the missing tag; without it, the default branch's head.
        make_tag(sb.world, repo, user, tag_name, data.get("target_commitish") or repo.default_branch)
    rel = Releases.of(repo).releases[tag_name] = Release(tag_name, name, body, user, now(), prerelease=bool(pre))
    return JSONResponse(render_release(repo, rel))


# Registered before RELEASE, whose {tag} would otherwise take "latest".
@route("GET", LATEST_RELEASE)
async def latest_release(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    full = [(r.created_at, i, r) for i, r in enumerate(Releases.of(repo).releases.values()) if not r.prerelease]
    if not full:
        raise Refusal(404, "Not Found Release")
    return JSONResponse(render_release(repo, max(full)[2]))


@route("GET", RELEASE_BY_TAG)
async def release_by_tag(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    return JSONResponse(render_release(repo, release(repo, call.params["tag"])))


@route("GET", RELEASE)
async def get_release(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    temp = call.query.get("temp_download_url", "false") == "true"  # ref: temporary download addresses
    return JSONResponse(render_release(repo, release(repo, call.params["tag"]), temp_urls=temp))


@route("PATCH", RELEASE)
async def update_release(sb: Sandbox, call: Call) -> Response:
    repo, _ = writer(sb, call)
    rel = release(repo, call.params["tag"])
    data = call.data()
    rel.name, rel.body = text_field(data, "name"), text_field(data, "body")  # ref: both required
    if (pre := release_status(data)) is not None:
        rel.prerelease = pre
    return JSONResponse(render_release(repo, rel))


@route("GET", RELEASE_UPLOAD_URL)
async def upload_url(sb: Sandbox, call: Call) -> Response:
    repo, _ = writer(sb, call)
    rel = release(repo, call.params["tag"])
    file_name = call.query.get("file_name", "")
    if not file_name.strip():
        raise Refusal(400, "Invalid query parameter: file_name, required")
    # probe: the callback GitCode asks the storage host to make carries the token the request was made with.
    token = call.request.headers.get("private-token") or call.request.headers.get("authorization", "")[7:]
    callback = {
        "callbackUrl": f"{API}/repos/{repo.full_name}/releases/{rel.tag}/attach_files/callback?access_token={token}",
        "callbackBody": json.dumps({"file_name": file_name, "project_id": repo.id}),
        "callbackBodyType": "application/json",
    }
    return JSONResponse(
        {
            "url": signed(f"releases/{repo.id}/{rel.tag}/{file_name}"),
            "headers": {
                "x-obs-meta-project-id": str(repo.id),
                "x-obs-acl": "public-read",
                "x-obs-callback": base64.b64encode(json.dumps(callback).encode()).decode(),
                "Content-Type": mimetypes.guess_type(file_name)[0] or "application/octet-stream",
            },
        }
    )


@route("GET", RELEASE_FILE_DOWNLOAD)
async def download(sb: Sandbox, call: Call) -> Response:
    repo = sb.repo(call)
    rel = release(repo, call.params["tag"])
    name = call.params["file_name"]
    found = next((f for f in rel.files if f.name == name), None)
    if found is None:
        raise Refusal(404, "Not Found Attach File")
    disposition = f"attachment; filename*=UTF-8''{quote(name)}"
    return Response(found.content, media_type=found.content_type, headers={"Content-Disposition": disposition})


@route("DELETE", RELEASE_FILE)
async def delete_file(sb: Sandbox, call: Call) -> Response:
    repo, _ = writer(sb, call)
    rel = release(repo, call.params["tag"])
    kept = [f for f in rel.files if f.id != call.params["attach_file_id"]]
    if len(kept) == len(rel.files):
        raise Refusal(404, "Not Found Attach File")
    rel.files = kept
    return Response(status_code=204)
