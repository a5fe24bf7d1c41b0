"""Contents quirks: base64 decoded to text, binary described, directories (the root included) listed, each path
segment encoded; files created, read back, updated and deleted only with their current blob sha; trees, blobs,
the file list and raw files; uploads sent as GitCode takes them, checked before anything is sent."""

from __future__ import annotations

import base64
import json
import os
import re
from pathlib import Path

import anyio
import pytest

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.contents import blob_sha
from gitcode_mcp.tools.contents import MAX_UPLOAD, README_SHA
from tests.conftest import Connect, call, demo, refused, sim, text, unfenced

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
README = b"# demo\n\nA repository to try gitcode-mcp on.\n"


# --------------------------------------------------------------------------------------------------- reading


@pytest.mark.parametrize("mode", ["legacy", "auto"])
async def test_get_file_contents_decodes_text(connect: Connect, sandbox: Sandbox, mode: str) -> None:
    args = {**DEMO, "path": "docs/guide zh.md", "ref": "feature"}
    answer = await call(connect, "get_file_contents", args, parse=False, mode=mode)
    [request] = sandbox.requests
    assert request.method == "GET" and request.raw_path == "repos/alice/demo/contents/docs/guide%20zh.md"
    assert request.query == {"ref": "feature"}
    meta, fenced = answer.split("\n", 1)
    body = unfenced(fenced)
    assert body == "# 指南\n\n第一步：安装。\n"
    info = json.loads(meta)
    assert info["path"] == "docs/guide zh.md" and info["ref"] == "feature" and info["lines"] == 3
    assert info["size"] == len(body.encode()) and info["sha"] == blob_sha(body.encode())


async def test_get_file_contents_percent_encodes_each_segment(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "get_file_contents", {**DEMO, "path": "src/a?b#c%d.py"})
    assert sandbox.requests[0].raw_path == "repos/alice/demo/contents/src/a%3Fb%23c%25d.py"
    assert "404" in error


async def test_get_file_contents_reports_binary_without_dumping_it(connect: Connect) -> None:
    async with connect() as client:
        result = await client.call_tool("get_file_contents", {**DEMO, "path": "assets/logo.png"})
    assert len(result.content) == 1
    info = json.loads(text(result))
    assert info["binary"] is True and info["size"] == 80 and "content" not in info
    assert "PNG" not in text(result)


async def test_get_file_contents_lists_a_directory(connect: Connect) -> None:
    listing = await call(connect, "get_file_contents", {**DEMO, "path": "src/"})
    assert listing == {"path": "src", "entries": [{"path": "src/app.py", "type": "file", "size": 68}]}


@pytest.mark.parametrize("omitted", [{}, {"path": None}])
async def test_the_root_is_listed_when_path_is_omitted(connect: Connect, sandbox: Sandbox, omitted: dict) -> None:
    # Gitee v5 `contents(/{path})`; probe: GitCode lists a root at `.../contents` with no path segment.
    listing = await call(connect, "get_file_contents", {**DEMO, **omitted, "ref": "docs"})
    [request] = sandbox.requests
    assert (request.raw_path, request.query) == ("repos/alice/demo/contents", {"ref": "docs"})
    assert listing == {
        "ref": "docs",
        "entries": [
            {"path": "assets", "type": "dir"},
            {"path": "data", "type": "dir"},
            {"path": "docs", "type": "dir"},
            {"path": "src", "type": "dir"},
            {"path": "README.md", "type": "file", "size": len(README)},
        ],
    }


@pytest.mark.parametrize("path", ["", "/", "  "])
async def test_an_empty_path_is_refused_with_the_way_to_the_root(connect: Connect, sandbox: Sandbox, path: str) -> None:
    error = await refused(connect, "get_file_contents", {**DEMO, "path": path})
    assert "Invalid argument `path`" in error and "omit path" in error
    assert sandbox.requests == []


async def test_works_without_a_token_on_public_data(connect: Connect, sandbox: Sandbox) -> None:
    await call(connect, "get_file_contents", {**DEMO, "path": "README.md"}, token=None)
    assert "private-token" not in sandbox.requests[0].headers and "authorization" not in sandbox.requests[0].headers


async def test_get_blob_reads_the_sha_get_file_contents_answers(connect: Connect, sandbox: Sandbox) -> None:
    async with connect() as client:
        read = await call(client, "get_file_contents", {**DEMO, "path": "README.md"}, parse=False)
        meta = json.loads(read.split("\n")[0])
        blob = await call(client, "get_blob", {**DEMO, "sha": meta["sha"]}, parse=False)
    assert sandbox.requests[1].path == f"repos/alice/demo/git/blobs/{meta['sha']}"
    info, body = blob.split("\n", 1)
    assert unfenced(body) == README.decode() and json.loads(info) == {
        "sha": meta["sha"],
        "size": len(README),
        "lines": 3,
    }


async def test_get_blob_of_a_binary_file_describes_it(connect: Connect) -> None:
    png = demo_bytes("assets/logo.png")
    info = await call(connect, "get_blob", {**DEMO, "sha": blob_sha(png)})
    assert info == {
        "sha": blob_sha(png),
        "size": len(png),
        "binary": True,
        "note": "binary file: its content is not shown",
    }


def demo_bytes(path: str, branch: str = "main") -> bytes:
    return Sandbox().world.repos["alice/demo"].branches[branch][path]


async def test_get_raw_file_answers_the_bytes_verbatim_even_when_they_look_like_json(
    connect: Connect, sandbox: Sandbox
) -> None:
    # The raw endpoint answers the file, not JSON (ref #36): a JSON file must come back as its text, not parsed.
    demo(sandbox).branches["main"]["package.json"] = b'{"name": "demo"}\n'
    raw = await call(connect, "get_raw_file", {**DEMO, "path": "package.json", "ref": "main"}, parse=False)
    [request] = sandbox.requests
    assert (request.raw_path, request.query) == ("repos/alice/demo/raw/package.json", {"ref": "main"})
    meta, body = raw.split("\n", 1)
    assert unfenced(body) == '{"name": "demo"}\n' and json.loads(meta) == {
        "path": "package.json",
        "ref": "main",
        "size": 17,
        "lines": 1,
    }


async def test_get_raw_file_describes_a_binary_and_reports_a_missing_file(connect: Connect) -> None:
    info = await call(connect, "get_raw_file", {**DEMO, "path": "assets/logo.png"})
    assert info["binary"] is True and info["size"] == 80
    error = await refused(connect, "get_raw_file", {**DEMO, "path": "nope.md"})
    assert "GitCode 404" in error and "nope.md" in error


async def test_get_tree_lists_a_branch_recursively_with_shas(connect: Connect, sandbox: Sandbox) -> None:
    tree = await call(connect, "get_tree", {**DEMO, "sha": "main", "recursive": True})
    [request] = sandbox.requests
    assert request.path == "repos/alice/demo/git/trees/main"
    assert request.query == {"recursive": "1", "page": "1", "per_page": "100"}
    # Each entry `<sha> <path>`, as git ls-tree puts them; a tree's path ends in /.
    entries = {path: sha for sha, path in (e.split(" ", 1) for e in tree["items"])}
    assert tree["has_more"] is False and set(entries) == {
        "README.md",
        "assets/",
        "assets/logo.png",
        "docs/",
        "docs/guide zh.md",
        "src/",
        "src/app.py",
    }
    assert entries["src/app.py"] == blob_sha(demo_bytes("src/app.py"))
    assert re.fullmatch("[0-9a-f]{40}", entries["src/"])


async def test_a_subtree_is_read_by_its_tree_sha(connect: Connect) -> None:
    top = await call(connect, "get_tree", {**DEMO, "sha": "feature"})
    listed = {path: sha for sha, path in (e.split(" ", 1) for e in top["items"])}
    assert set(listed) == {"README.md", "assets/", "docs/", "src/"}
    sub = await call(connect, "get_tree", {**DEMO, "sha": listed["src/"]})
    assert [e.split(" ", 1)[1] for e in sub["items"]] == ["app.py", "util.py"]


async def test_a_full_tree_page_says_there_may_be_more(connect: Connect, sandbox: Sandbox) -> None:
    demo(sandbox).branches["main"].update({f"gen/f{i:03}.txt": b"x%d" % i for i in range(150)})
    first = await call(connect, "get_tree", {**DEMO, "sha": "main", "recursive": True})
    second = await call(connect, "get_tree", {**DEMO, "sha": "main", "recursive": True, "page": 2})
    assert (len(first["items"]), first["has_more"]) == (100, True)
    assert (second["page"], second["has_more"]) == (2, False) and len(second["items"]) == 158 - 100
    assert not set(first["items"]) & set(second["items"])


async def test_list_files_finds_paths_by_part_of_their_name(connect: Connect, sandbox: Sandbox) -> None:
    found = await call(connect, "list_files", {**DEMO, "name": ".py", "ref": "feature"})
    [request] = sandbox.requests
    assert (request.path, request.query) == ("repos/alice/demo/file_list", {"file_name": ".py", "ref_name": "feature"})
    assert found == {"paths": ["src/app.py", "src/util.py"]}


async def test_a_long_file_list_is_cut_with_the_total(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer("GET", r"file_list$", status=200, body=[f"gen/f{i}.txt" for i in range(1200)])
    found = await call(connect, "list_files", DEMO)
    assert len(found["paths"]) == 500 and found["total"] == 1200 and "narrow it with name" in found["note"]


# --------------------------------------------------------------------------------------------------- commits


async def test_a_created_file_can_be_read_listed_updated_and_deleted(connect: Connect, sandbox: Sandbox) -> None:
    where = {**DEMO, "path": "notes/今日.md", "branch": "feature"}
    async with connect() as client:
        head = demo(sandbox).head_sha("feature")
        files_before = dict(demo(sandbox).branches["feature"])
        created = await call(client, "create_file", {**where, "content": "# 今日\n", "message": "Add notes"})
        post = sandbox.requests[-1]
        assert (post.method, post.raw_path) == ("POST", "repos/alice/demo/contents/notes/%E4%BB%8A%E6%97%A5.md")
        assert post.body == {
            "content": base64.b64encode("# 今日\n".encode()).decode(),
            "message": "Add notes",
            "branch": "feature",
        }
        assert created == {
            "path": "notes/今日.md",
            "branch": "feature",
            "commit": demo(sandbox).head_sha("feature"),
        }
        assert demo(sandbox).head_sha("feature") != head and "notes/今日.md" not in demo(sandbox).branches["main"]

        read = await call(client, "get_file_contents", {**DEMO, "path": "notes/今日.md", "ref": "feature"}, parse=False)
        meta, body = read.split("\n", 1)
        assert unfenced(body) == "# 今日\n"
        assert await call(client, "list_files", {**DEMO, "name": "notes/", "ref": "feature"}) == {
            "paths": ["notes/今日.md"]
        }

        sha = json.loads(meta)["sha"]
        updated = await call(
            client, "update_file", {**where, "content": "# 今日\n\n- 写测试\n", "message": "More", "sha": sha}
        )
        put = sandbox.requests[-1]
        assert put.method == "PUT" and put.body["sha"] == sha and put.body["branch"] == "feature"
        new_sha = updated["sha"]
        assert new_sha == blob_sha("# 今日\n\n- 写测试\n".encode()) != sha
        assert demo(sandbox).branches["feature"]["notes/今日.md"] == "# 今日\n\n- 写测试\n".encode()

        await call(client, "delete_file", {**where, "message": "Drop notes", "sha": new_sha})
        delete = sandbox.requests[-1]
        assert delete.method == "DELETE" and delete.body == {
            "sha": new_sha,
            "message": "Drop notes",
            "branch": "feature",
        }
        gone = await refused(client, "get_file_contents", {**DEMO, "path": "notes/今日.md", "ref": "feature"})
    assert "404" in gone
    # The branch holds what it held before, three commits later.
    assert demo(sandbox).branches["feature"] == files_before
    assert [c.message for c in demo(sandbox).log("feature")[-3:]] == ["Add notes", "More", "Drop notes"]


async def test_creating_a_file_that_exists_is_refused_as_gitcode_does(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "create_file", {**DEMO, "path": "README.md", "content": "x", "message": "m"})
    # live (tested-behaviors.md): 400 UN_KNOW and this sentence.
    assert "GitCode 400" in error and "The path cannot be created: README.md ,because README.md already exist" in error
    assert "use update_file" in error
    assert demo(sandbox).branches["main"]["README.md"] == README


@pytest.mark.parametrize("tool", ["update_file", "delete_file"])
async def test_a_wrong_sha_is_refused_and_changes_nothing(connect: Connect, sandbox: Sandbox, tool: str) -> None:
    args = {**DEMO, "path": "README.md", "message": "m", "sha": blob_sha(b"an older readme")}
    if tool == "update_file":
        args["content"] = "new"
    head = demo(sandbox).head_sha("main")
    error = await refused(connect, tool, args)
    assert "GitCode 400" in error and "not the latest blob sha" in error
    assert "read it with get_file_contents" in error
    assert demo(sandbox).head_sha("main") == head and demo(sandbox).branches["main"]["README.md"] == README


@pytest.mark.parametrize("tool", ["update_file", "delete_file"])
async def test_sha_is_required_before_anything_is_sent(connect: Connect, sandbox: Sandbox, tool: str) -> None:
    args = {**DEMO, "path": "README.md", "message": "m", "content": "x"}
    if tool == "delete_file":
        del args["content"]
    error = await refused(connect, tool, args)
    assert "`sha`" in error
    assert sandbox.requests == []


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
async def test_simulator_refuses_a_missing_sha(sandbox: Sandbox, method: str) -> None:
    answer = await sim(sandbox, method, "repos/alice/demo/contents/README.md", json={"message": "m", "content": "eA=="})
    assert answer.status_code == 400 and answer.json()["error_message"] == "Invalid body parameter: sha, required"
    assert demo(sandbox).branches["main"]["README.md"] == README


async def test_the_current_sha_updates_the_default_branch(connect: Connect, sandbox: Sandbox) -> None:
    result = await call(
        connect, "update_file", {**DEMO, "path": "README.md", "content": "# demo\n", "message": "m", "sha": README_SHA}
    )
    assert "branch" not in sandbox.requests[0].body and "branch" not in result
    assert demo(sandbox).branches["main"]["README.md"] == b"# demo\n"
    assert demo(sandbox).branches["feature"]["README.md"] == README


async def test_a_write_to_a_missing_branch_or_without_a_token_says_so(connect: Connect, sandbox: Sandbox) -> None:
    missing = await refused(
        connect, "create_file", {**DEMO, "path": "x.md", "content": "x", "message": "m", "branch": "nope"}
    )
    assert "GitCode 404" in missing and "branch nope not found" in missing
    anonymous = await refused(
        connect, "create_file", {**DEMO, "path": "x.md", "content": "x", "message": "m"}, token=None
    )
    assert "GitCode 401" in anonymous and "GITCODE_TOKEN" in anonymous
    assert all("x.md" not in files for files in demo(sandbox).branches.values())


# --------------------------------------------------------------------------------------------------- uploads

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


async def test_an_image_upload_sends_json_base64_without_a_data_url_prefix(connect: Connect, sandbox: Sandbox) -> None:
    encoded = base64.b64encode(PNG).decode()
    answer = await call(
        connect, "upload_file", {**DEMO, "file_name": "shot.png", "content": f"data:image/png;base64,{encoded}"}
    )
    [request] = sandbox.requests
    assert (request.method, request.path) == ("POST", "repos/alice/demo/img/upload")
    assert request.headers["content-type"] == "application/json" and request.body == {
        "body": encoded,
        "file_name": "shot.png",
    }
    assert answer["url"].startswith("https://gitcode.com/alice/demo/attachment/uploads/")
    assert answer["url"].endswith("/shot.png")


async def test_a_file_upload_sends_a_multipart_form_with_the_file_part(connect: Connect, sandbox: Sandbox) -> None:
    answer = await call(
        connect, "upload_file", {**DEMO, "file_name": "log.txt", "content": base64.b64encode(b"line 1\n").decode()}
    )
    [request] = sandbox.requests
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert 'name="file"; filename="log.txt"' in request.body and "line 1\n" in request.body
    assert answer["url"].endswith("/log.txt")


async def test_simulator_takes_each_upload_only_in_its_documented_form(sandbox: Sandbox) -> None:
    json_file = await sim(sandbox, "POST", "repos/alice/demo/file/upload", json={"file": "aGk="})
    form_image = await sim(sandbox, "POST", "repos/alice/demo/img/upload", files={"file": ("a.png", PNG)})
    prefixed = await sim(
        sandbox,
        "POST",
        "repos/alice/demo/img/upload",
        json={"body": "data:image/png;base64,aGk=", "file_name": "a.png"},
    )
    assert [a.status_code for a in (json_file, form_image, prefixed)] == [400, 400, 400]
    assert json_file.json()["error_message"] == "Invalid body parameter: file, required"


async def test_a_local_file_is_uploaded_over_stdio(connect: Connect, sandbox: Sandbox, tmp_path: Path) -> None:
    local = tmp_path / "shot one.png"
    local.write_bytes(PNG)
    args = {**DEMO, "file_name": "shot.png", "content": local.as_uri()}
    answer = await call(connect, "upload_file", args, upload_dirs=(str(tmp_path),))
    assert sandbox.requests[0].body == {"body": base64.b64encode(PNG).decode(), "file_name": "shot.png"}
    assert answer["url"].endswith("/shot.png")


@pytest.mark.parametrize("transport", ["streamable-http", "sse"])
async def test_a_local_file_is_refused_over_http(
    connect: Connect, sandbox: Sandbox, tmp_path: Path, transport: str
) -> None:
    local = tmp_path / "secret.txt"
    local.write_bytes(b"do not send")
    args = {**DEMO, "file_name": "x.txt", "content": local.as_uri()}
    error = await refused(connect, "upload_file", args, transport=transport, upload_dirs=(str(tmp_path),))
    assert "Invalid argument `content`" in error and "over HTTP" in error
    assert sandbox.requests == []


async def test_upload_limits_are_checked_before_anything_is_sent(
    connect: Connect, sandbox: Sandbox, tmp_path: Path
) -> None:
    big = tmp_path / "big.bin"
    with big.open("wb") as f:
        f.truncate(MAX_UPLOAD + 1)  # sparse: the size is refused from stat, before a byte is read
    args = {**DEMO, "file_name": "big.bin", "content": big.as_uri()}
    too_big_file = await refused(connect, "upload_file", args, upload_dirs=(str(tmp_path),))
    just_over = base64.b64encode(b"\0" * (MAX_UPLOAD + 1)).decode()
    too_big_text = await refused(connect, "upload_file", {**DEMO, "file_name": "big.png", "content": just_over})
    for error in (too_big_file, too_big_text):
        assert "Invalid argument `content`" in error and "at most 20 MB. Nothing was sent" in error
    assert sandbox.requests == []


async def test_the_limit_itself_is_accepted(connect: Connect, sandbox: Sandbox, tmp_path: Path) -> None:
    exact = tmp_path / "exact.bin"
    exact.write_bytes(b"\1" * MAX_UPLOAD)
    args = {**DEMO, "file_name": "exact.bin", "content": exact.as_uri()}
    await call(connect, "upload_file", args, upload_dirs=(str(tmp_path),))
    assert len(sandbox.requests) == 1 and sandbox.requests[0].status == 200


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"file_name": "a.png", "content": "not base64!"}, "is not valid base64"),
        ({"file_name": "a.png", "content": "/home/me/a.png"}, "file:///absolute/path"),
        ({"file_name": "a.png", "content": ""}, "the file is empty"),
        ({"file_name": "dir/a.png", "content": "aGk="}, "is not a file name"),
        ({"file_name": "a.png", "content": "file://relative/a.png"}, "must name an absolute path"),
        ({"file_name": "a.png", "content": "file://{tmp}/no-such-file.png"}, "cannot be read"),
    ],
)
async def test_unusable_upload_arguments_are_refused_before_sending(
    connect: Connect, sandbox: Sandbox, tmp_path: Path, args: dict, problem: str
) -> None:
    args = {k: v.replace("{tmp}", str(tmp_path)) for k, v in args.items()}
    error = await refused(connect, "upload_file", {**DEMO, **args}, upload_dirs=(str(tmp_path),))
    assert "Invalid argument" in error and problem in error
    assert sandbox.requests == []


async def test_a_directory_is_not_uploaded(connect: Connect, sandbox: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    args = {**DEMO, "file_name": "d", "content": (tmp_path / "sub").as_uri()}
    error = await refused(connect, "upload_file", args, upload_dirs=(str(tmp_path),))
    assert "is not a regular file" in error and sandbox.requests == []


async def test_a_fifo_is_refused_without_waiting_for_a_writer(
    connect: Connect, sandbox: Sandbox, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "pipe")
    args = {**DEMO, "file_name": "p", "content": (tmp_path / "pipe").as_uri()}
    with anyio.fail_after(10):
        error = await refused(connect, "upload_file", args, upload_dirs=(str(tmp_path),))
    assert "is not a regular file" in error and sandbox.requests == []


# --- which local files an upload may read ------------------------------------------------------------------------


async def test_no_local_file_is_read_unless_a_directory_is_allowed(
    connect: Connect, sandbox: Sandbox, tmp_path: Path
) -> None:
    local = tmp_path / "notes.txt"
    local.write_text("mine")
    error = await refused(connect, "upload_file", {**DEMO, "file_name": "n.txt", "content": local.as_uri()})
    assert "reads no local file unless allowed" in error and "--upload-dir" in error and "GITCODE_UPLOAD_DIRS" in error
    assert sandbox.requests == []


@pytest.mark.parametrize("file_name", ["e.png", "e.txt"])
async def test_the_environment_of_the_process_is_never_uploaded(
    connect: Connect, sandbox: Sandbox, tmp_path: Path, file_name: str
) -> None:
    (tmp_path / "env").symlink_to("/proc/self/environ")
    for content in ("file:///proc/self/environ", (tmp_path / "env").as_uri()):
        args = {**DEMO, "file_name": file_name, "content": content}
        # even a user who allowed / itself (the command line refuses it) gets no file of /proc, /sys or /dev
        for allowed in (str(tmp_path), "/"):
            error = await refused(connect, "upload_file", args, upload_dirs=(allowed,))
            assert "under /proc, /sys or /dev" in error, error
    assert sandbox.requests == []


async def test_a_file_outside_the_allowed_directories_is_refused(
    connect: Connect, sandbox: Sandbox, tmp_path: Path
) -> None:
    allowed, elsewhere = tmp_path / "shots", tmp_path / "private"
    allowed.mkdir()
    elsewhere.mkdir()
    (elsewhere / "id_ed25519").write_text("-----BEGIN OPENSSH PRIVATE KEY-----")
    (allowed / "key.png").symlink_to(elsewhere / "id_ed25519")  # a link inside pointing out
    (allowed / "up").symlink_to(elsewhere)  # a directory link pointing out
    for target in (elsewhere / "id_ed25519", allowed / "key.png", allowed / "up" / "id_ed25519"):
        args = {**DEMO, "file_name": "k.png", "content": target.as_uri()}
        error = await refused(connect, "upload_file", args, upload_dirs=(str(allowed),))
        assert "is outside the directories this server may upload from" in error, error
        assert str(allowed) in error and "--upload-dir" in error
    # `..` in the URI is resolved before the check, like a link
    sneaky = {**DEMO, "file_name": "k.png", "content": f"file://{allowed}/../private/id_ed25519"}
    assert "is outside the directories" in await refused(connect, "upload_file", sneaky, upload_dirs=(str(allowed),))
    assert sandbox.requests == []


async def test_a_link_that_stays_inside_is_followed(connect: Connect, sandbox: Sandbox, tmp_path: Path) -> None:
    (tmp_path / "real.png").write_bytes(PNG)
    (tmp_path / "link.png").symlink_to(tmp_path / "real.png")
    args = {**DEMO, "file_name": "l.png", "content": (tmp_path / "link.png").as_uri()}
    await call(connect, "upload_file", args, upload_dirs=(str(tmp_path),))
    assert sandbox.requests[0].body == {"body": base64.b64encode(PNG).decode(), "file_name": "l.png"}


# --- who may write where ---------------------------------------------------------------------------------------


async def test_a_protected_branch_takes_commits_only_from_the_roles_its_rule_lets_push(
    connect: Connect, sandbox: Sandbox
) -> None:
    repo = demo(sandbox)
    await call(connect, "create_branch", {**DEMO, "branch": "release/1.0", "ref": "main"})  # release/*: admins push
    note = {**DEMO, "path": "NOTES.md", "content": "1.0\n", "message": "Notes", "branch": "release/1.0"}
    refusal = await refused(connect, "create_file", note, token="bob-token")  # a member pushes as a developer
    assert "GitCode 403" in refusal and "release/1.0 is protected" in refusal
    assert "NOTES.md" not in repo.branches["release/1.0"]
    await call(connect, "create_file", note)  # alice owns the repository: an admin
    assert repo.branches["release/1.0"]["NOTES.md"] == b"1.0\n"
    repo.branch_rules["release/*"].pushers = []  # no one may push
    again = {**note, "path": "MORE.md"}
    assert "release/1.0 is protected" in await refused(connect, "create_file", again)
    await call(connect, "create_file", {**again, "branch": "main"})  # an unprotected branch of the same repository


async def test_an_organisations_admins_write_its_repositories_and_its_members_see_its_private_ones(
    connect: Connect, sandbox: Sandbox
) -> None:
    handbook = sandbox.world.repo("gitcode-mcp", "handbook")
    assert handbook is not None and handbook.org is not None
    where = {"owner": "gitcode-mcp", "repo": "handbook"}
    page = {**where, "path": "docs/onboarding.md", "content": "Welcome\n", "message": "Onboarding"}
    await call(connect, "create_file", page)  # alice is one of the organisation's owners
    assert handbook.branches[handbook.default_branch]["docs/onboarding.md"] == b"Welcome\n"
    handbook.private = True
    assert "GitCode 404" in await refused(
        connect, "get_file_contents", {**where, "path": "README.md"}, token="bob-token"
    )
    handbook.org.members["bob"] = "viewer"  # a member of the organisation reads its private repositories
    assert "Welcome" in await call(
        connect, "get_file_contents", {**where, "path": "docs/onboarding.md"}, token="bob-token", parse=False
    )
    assert "GitCode 403" in await refused(connect, "create_file", {**page, "path": "b.md"}, token="bob-token")
    handbook.org.members["bob"] = "developer"  # and its developers push (sandbox/access.py)
    await call(connect, "create_file", {**page, "path": "b.md"}, token="bob-token")
    assert sandbox.requests[-1].status == 201 and "b.md" in handbook.branches[handbook.default_branch]


# --------------------------------------------------------------------------------------------------- edits


async def test_an_edit_sends_only_its_piece_and_commits_with_the_sha_it_read(
    connect: Connect, sandbox: Sandbox
) -> None:
    before = demo(sandbox).branches["feature"]["src/app.py"]
    args = {**DEMO, "path": "src/app.py", "old_text": "f'hello {name}'", "new_text": "f'hi {name}'"}
    made = await call(connect, "edit_file", {**args, "message": "Say hi", "branch": "feature"})
    read, write = sandbox.requests
    assert (read.method, read.path, read.query) == ("GET", "repos/alice/demo/contents/src/app.py", {"ref": "feature"})
    assert write.method == "PUT" and write.body["sha"] == blob_sha(before) and write.body["branch"] == "feature"
    after = demo(sandbox).branches["feature"]["src/app.py"]
    assert after == before.replace(b"f'hello {name}'", b"f'hi {name}'")
    assert base64.b64decode(write.body["content"]) == after
    assert made == {
        "path": "src/app.py",
        "branch": "feature",
        "commit": demo(sandbox).head_sha("feature"),
        "sha": blob_sha(after),
        "lines": "3-3",
    }


async def test_an_edit_whose_piece_is_missing_or_not_unique_commits_nothing(connect: Connect, sandbox: Sandbox) -> None:
    base = {**DEMO, "path": "src/app.py", "message": "m", "branch": "feature", "new_text": "x"}
    missing = await refused(connect, "edit_file", {**base, "old_text": "goodbye"})
    assert "`old_text`" in missing and "is not in src/app.py" in missing and "Nothing was committed" in missing
    twice = await refused(connect, "edit_file", {**base, "old_text": "greet("})
    assert "is 2 times in src/app.py" in twice and "add nearby text" in twice
    same = await refused(connect, "edit_file", {**base, "old_text": "x", "new_text": "x"})
    assert "`new_text`" in same
    binary = await refused(connect, "edit_file", {**base, "path": "assets/logo.png", "old_text": "PNG"})
    assert "binary" in binary
    assert {r.method for r in sandbox.requests} == {"GET"}


async def test_an_edit_matches_a_crlf_file_and_keeps_its_line_ends(connect: Connect, sandbox: Sandbox) -> None:
    demo(sandbox).branches["main"]["win.txt"] = b"one\r\ntwo\r\nthree\r\n"
    await call(
        connect, "edit_file", {**DEMO, "path": "win.txt", "old_text": "two\nthree", "new_text": "2\n3", "message": "m"}
    )
    assert demo(sandbox).branches["main"]["win.txt"] == b"one\r\n2\r\n3\r\n"


async def test_an_edit_of_a_file_changed_meanwhile_is_refused_by_gitcode(connect: Connect, sandbox: Sandbox) -> None:
    # The file changes between the read and the write: the sha read is stale and GitCode refuses the write.
    original = demo(sandbox).branches["main"]["README.md"]
    sandbox.answer(
        "GET",
        r"contents/README.md$",
        status=200,
        body={"content": base64.b64encode(original).decode(), "sha": "0" * 40, "encoding": "base64"},
    )
    error = await refused(
        connect, "edit_file", {**DEMO, "path": "README.md", "old_text": "demo", "new_text": "d", "message": "m"}
    )
    assert "GitCode 400" in error and demo(sandbox).branches["main"]["README.md"] == original
