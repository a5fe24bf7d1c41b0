"""Tag and release quirks: a tag made on a ref carries a release that is read by its tag and as the latest, edited
(GitCode's PATCH wants name and body both), its files listed, read and deleted; deleting the tag takes the release
along; a protected tag refuses deletion and protection rules round-trip; the upload target never shows the token
GitCode puts into it, and a download's redirect is reported, not followed."""

from __future__ import annotations

import base64
import json

import pytest

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.releases import ReleaseFile, Releases
from tests.conftest import TOKEN, Connect, call, demo, refused, sent, sim, unfenced

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}


async def test_the_toolset_is_off_by_default(connect: Connect) -> None:
    async with connect(toolsets=None) as client:
        listed = {t.name for t in (await client.list_tools()).tools}
    assert not {t.name for t in toolsets()["releases"].tools} & listed


async def test_a_tag_its_release_the_releases_files_and_deleting_the_tag(connect: Connect, sandbox: Sandbox) -> None:
    repo = demo(sandbox)
    async with connect(toolsets=("releases",)) as client:
        tag = await call(client, "create_tag", {**DEMO, "tag_name": "v2.0", "ref": "main", "message": "demo 2.0"})
        assert tag == {"name": "v2.0", "sha": repo.head_sha("main"), "message": "demo 2.0", "date": tag["date"]}
        assert sandbox.requests[-1].body == {"tag_name": "v2.0", "refs": "main", "tag_message": "demo 2.0"}

        made = await call(client, "create_release", {**DEMO, "tag_name": "v2.0", "body": "Type hints."})
        assert made["tag"] == "v2.0" and made["name"] == "v2.0" and made["commit"] == repo.head_sha("main")
        assert "body" not in made  # the agent wrote it
        assert sandbox.requests[-1].body == {"tag_name": "v2.0", "name": "v2.0", "body": "Type hints."}

        latest = await call(client, "get_release", DEMO)
        assert latest["tag"] == "v2.0" and latest["body"] == "Type hints." and latest["author"] == "alice"
        assert "files" not in latest and "avatar" not in json.dumps(latest)  # the four source archives are left out
        assert await call(client, "get_release", {**DEMO, "tag": "v2.0"}) == latest
        assert sent(sandbox)[-2:] == ["GET repos/alice/demo/releases/latest", "GET repos/alice/demo/releases/tags/v2.0"]

        # GitCode's PATCH wants name and body both: the one not given is read and sent back as it is.
        edited = await call(client, "update_release", {**DEMO, "tag": "v2.0", "body": "Type hints; a main()."})
        assert sent(sandbox)[-2:] == ["GET repos/alice/demo/releases/tags/v2.0", "PATCH repos/alice/demo/releases/v2.0"]
        assert sandbox.requests[-1].body == {"name": "v2.0", "body": "Type hints; a main()."}
        assert edited["name"] == "v2.0"
        renamed = await call(client, "update_release", {**DEMO, "tag": "v2.0", "name": "demo 2.0", "body": "Notes."})
        assert renamed["name"] == "demo 2.0" and sandbox.requests[-1].method == "PATCH" and len(sandbox.requests) == 7

        # A file lands on the release when the storage host calls GitCode back after the upload (not an API request).
        alice = sandbox.world.users["alice"]
        Releases.of(repo).releases["v2.0"].files.append(
            ReleaseFile(77, "notes.md", b"# 2.0\n", "text/markdown", alice, "now")
        )
        files = (await call(client, "get_release", {**DEMO, "tag": "v2.0"}))["files"]
        assert files == [{"id": 77, "name": "notes.md", "size": 6, "url": files[0]["url"]}]
        assert files[0]["url"] == "https://gitcode.com/alice/demo/-/releases/v2.0/downloads/notes.md"
        read = await client.call_tool("get_release_file", {**DEMO, "tag": "v2.0", "file_name": "notes.md"})
        meta, body = (b.text for b in read.content)  # type: ignore[union-attr]
        assert meta == '{"name":"notes.md","size":6,"type":"text/markdown"}' and unfenced(body) == "# 2.0\n"
        assert await call(client, "delete_release_file", {**DEMO, "tag": "v2.0", "file_id": 77}) == {
            "deleted": 77,
            "tag": "v2.0",
        }
        assert sent(sandbox)[-1] == "DELETE repos/alice/demo/releases/v2.0/attach_files/77"
        assert "files" not in await call(client, "get_release", {**DEMO, "tag": "v2.0"})

        # Deleting the tag deletes the release on it (GitLab's rule, which GitCode's tag API follows).
        assert await call(client, "delete_tag", {**DEMO, "tag_name": "v2.0"}) == {"deleted": "v2.0"}
        assert "v2.0" not in {t["name"] for t in (await call(client, "list_tags", DEMO))["items"]}
        assert "v2.0" not in {r["tag"] for r in (await call(client, "list_releases", DEMO))["items"]}
        assert "404" in await refused(client, "get_release", {**DEMO, "tag": "v2.0"})
        assert (await call(client, "get_release", DEMO))["tag"] == "v1.0"  # the latest again


async def test_lists_are_newest_first_and_a_pre_release_is_never_the_latest(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(toolsets=("releases",)) as client:
        listed = await call(client, "list_releases", DEMO)
        assert [(r["tag"], r.get("prerelease")) for r in listed["items"]] == [("v1.0", None), ("v0.9", True)]
        assert sandbox.requests[-1].query == {"direction": "desc", "page": "1", "per_page": "20"}
        await call(client, "create_release", {**DEMO, "tag_name": "v1.1-rc1", "body": "Try it.", "prerelease": True})
        assert sandbox.requests[-1].body["release_status"] == "pre"
        assert (await call(client, "get_release", DEMO))["tag"] == "v1.0"
        # A new tag is made at ref.
        await call(client, "create_release", {**DEMO, "tag_name": "v1.1", "body": "Out.", "ref": "feature"})
        assert sandbox.requests[-1].body["target_commitish"] == "feature"
        tags = (await call(client, "list_tags", DEMO))["items"]
        assert tags[0] == {"name": "v1.1", "sha": demo(sandbox).head_sha("feature"), "date": tags[0]["date"]}
        assert (await call(client, "get_release", DEMO))["tag"] == "v1.1"


async def test_a_release_on_a_tag_that_has_one_says_to_edit_it(connect: Connect) -> None:
    async with connect(toolsets=("releases",)) as client:
        message = await refused(client, "create_release", {**DEMO, "tag_name": "v1.0", "body": "Again."})
    assert "409" in message and "update_release" in message


async def test_a_protected_tag_refuses_deletion(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(toolsets=("releases",)) as client:
        message = await refused(client, "delete_tag", {**DEMO, "tag_name": "v1.0"})
        assert "403" in message and "protected" in message
        assert "v1.0" in demo(sandbox).tags and "v1.0" in Releases.of(demo(sandbox)).releases
        # Without its rule, it goes (and its release with it).
        await call(client, "delete_protected_tag", {**DEMO, "name": "v1.*"})
        await call(client, "delete_tag", {**DEMO, "tag_name": "v1.0"})
    assert "v1.0" not in demo(sandbox).tags and "v1.0" not in Releases.of(demo(sandbox)).releases


async def test_protected_tags_round_trip(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(toolsets=("releases",)) as client:
        made = await call(client, "protect_tag", {**DEMO, "name": "release-*", "who_may_create": "nobody"})
        assert made == {"name": "release-*", "who_may_create": "nobody"}
        assert sent(sandbox)[-1] == "POST repos/alice/demo/protected_tags"
        assert sandbox.requests[-1].body == {"name": "release-*", "create_access_level": 0}
        # The rule exists now: the same call changes it (PUT), it does not try to create it again.
        changed = await call(client, "protect_tag", {**DEMO, "name": "release-*", "who_may_create": "developers"})
        assert changed == {"name": "release-*", "who_may_create": "developers"}
        assert sent(sandbox)[-1] == "PUT repos/alice/demo/protected_tags"
        assert await call(client, "list_protected_tags", {**DEMO, "name": "release-*"}) == changed
        assert sent(sandbox)[-1] == "GET repos/alice/demo/protected_tags/release-*"
        listed = await call(client, "list_protected_tags", DEMO)
        assert listed["items"] == [{"name": "v1.*", "who_may_create": "maintainers"}, changed]
        await call(client, "protect_tag", {**DEMO, "name": "release-*", "who_may_create": "nobody"})
        assert "403" in await refused(client, "create_tag", {**DEMO, "tag_name": "release-1", "ref": "main"})
        assert await call(client, "delete_protected_tag", {**DEMO, "name": "release-*"}) == {"unprotected": "release-*"}
        assert "404" in await refused(client, "list_protected_tags", {**DEMO, "name": "release-*"})
        tag = await call(client, "create_tag", {**DEMO, "tag_name": "release-1", "ref": "main"})
        assert tag["name"] == "release-1"


async def test_the_upload_target_never_shows_the_token_gitcode_puts_into_it(connect: Connect, sandbox: Sandbox) -> None:
    # What GitCode answers (probe): the callback header, base64 JSON, carries the caller's token.
    raw = await sim(
        sandbox, "GET", "repos/alice/demo/releases/v1.0/upload_url", params={"file_name": "demo-1.0.tar.gz"}
    )
    callback = json.loads(base64.b64decode(raw.json()["headers"]["x-obs-callback"]))
    assert f"access_token={TOKEN}" in callback["callbackUrl"]
    sandbox.requests.clear()

    args = {**DEMO, "tag": "v1.0", "file_name": "demo-1.0.tar.gz", "upload_url": True}
    async with connect(toolsets=("releases",)) as client:
        target = await call(client, "get_release_file", args)
        assert sandbox.requests[-1].query == {"file_name": "demo-1.0.tar.gz"}
        assert target["url"].startswith("https://file.gitcode.com/")
        assert target["headers"]["x-obs-callback"] == "***" and target["headers"]["x-obs-acl"] == "public-read"
        assert "blocked" in target and "x-obs-callback" in target["blocked"]
        assert TOKEN not in json.dumps(target) and raw.json()["headers"]["x-obs-callback"] not in json.dumps(target)

        # Where GitCode's headers carry no token, the agent gets what the PUT needs.
        clean = {"url": "https://file.gitcode.com/r/1/x?Signature=s", "headers": {"x-obs-acl": "public-read"}}
        sandbox.answer("GET", r"/upload_url$", status=200, body=clean)
        target = await call(client, "get_release_file", args)
    assert target == {**clean, "next": "PUT the file's bytes to url with exactly these headers and no token"}


async def test_a_download_redirect_is_reported_not_followed(connect: Connect, sandbox: Sandbox) -> None:
    where = "https://file.gitcode.com/releases/1/v1.0/checksums.txt?Expires=1&Signature=abc"
    sandbox.answer("GET", r"/download$", status=302, body=b"", headers={"Location": where})
    args = {**DEMO, "tag": "v1.0", "file_name": "checksums.txt"}
    async with connect(toolsets=("releases",)) as client:
        assert await call(client, "get_release_file", args) == {
            "name": "checksums.txt",
            "location": where,
            "note": "a redirect, not followed",
        }
        assert len(sandbox.requests) == 1  # nothing went to the other host
        # A binary file is described, not shown.
        Releases.of(demo(sandbox)).releases["v1.0"].files[0].content = b"\x89PNG\r\n\x1a\n\x00\x00"
        binary = await call(client, "get_release_file", args)
    assert binary == {
        "name": "checksums.txt",
        "size": 10,
        "type": "text/plain",
        "note": "binary file: its content is not shown",
    }


async def test_temporary_urls_need_a_tag_and_come_from_the_single_release_read(
    connect: Connect, sandbox: Sandbox
) -> None:
    async with connect(toolsets=("releases",)) as client:
        message = await refused(client, "get_release", {**DEMO, "temp_urls": True})
        assert "`temp_urls`" in message and sandbox.requests == []
        release = await call(client, "get_release", {**DEMO, "tag": "v1.0", "temp_urls": True})
    assert sent(sandbox) == ["GET repos/alice/demo/releases/v1.0"] and sandbox.requests[0].query == {
        "temp_download_url": "true"
    }
    assert (
        release["files"][0]["url"].startswith("https://file.gitcode.com/")
        and "Signature=" in release["files"][0]["url"]
    )


async def test_an_update_with_nothing_to_change_changes_nothing(connect: Connect, sandbox: Sandbox) -> None:
    async with connect(toolsets=("releases",)) as client:
        shown = await call(client, "update_release", {**DEMO, "tag": "v1.0"})
    assert sent(sandbox) == ["GET repos/alice/demo/releases/tags/v1.0"]
    assert shown["name"] == "demo 1.0" and shown["note"] == "nothing to change was given; this is the release"
