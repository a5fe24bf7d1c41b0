"""SSH key quirks: a key added can be listed, read and deleted, and then answers 404; lists show fingerprints (as
ssh-keygen prints them) rather than whole keys; a private key or a malformed one is refused before anything is sent;
a single key read answers as the ref's one-element array or as an object."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.keys import SshKeys
from tests.conftest import Connect, call, refused

pytestmark = pytest.mark.anyio

BOB = SecretStr("bob-token")
NEW = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEeaYdU3CgNRrUmKjzJOD5rVC/r75MBE6knL45gejLVz agent@ci"
ALICE_KEY_ID = 308357
# `ssh-keygen -lf` of alice's seeded key prints: 256 SHA256:GF0r7lhK+uECzhWmvBxQ8+r+Qt3Qtt1qfZjOR/18+aQ alice@laptop
ALICE_FINGERPRINT = "SHA256:GF0r7lhK+uECzhWmvBxQ8+r+Qt3Qtt1qfZjOR/18+aQ"


async def test_keys_is_off_by_default(connect: Connect) -> None:
    async with connect(toolsets=None) as client:
        listed = {t.name for t in (await client.list_tools()).tools}
    assert not {"list_ssh_keys", "add_ssh_key", "delete_ssh_key"} & listed


async def test_lists_show_the_fingerprint_not_the_whole_key(connect: Connect) -> None:
    page = await call(connect, "list_ssh_keys", {})
    assert page == {
        "page": 1,
        "has_more": False,
        "items": [
            {
                "id": ALICE_KEY_ID,
                "title": "laptop",
                "type": "ssh-ed25519",
                "fingerprint": ALICE_FINGERPRINT,
                "comment": "alice@laptop",
                "created_at": "2024-07-23T10:29:42.119+00:00",
            }
        ],
    }
    whole = await call(connect, "get_ssh_key", {"key_id": ALICE_KEY_ID})
    assert whole["key"].startswith("ssh-ed25519 AAAA") and whole["key"].endswith(" alice@laptop")
    assert "url" not in whole


async def test_added_key_is_listed_read_deleted_then_gone(connect: Connect, sandbox: Sandbox) -> None:
    added = await call(connect, "add_ssh_key", {"title": "  ci runner ", "key": NEW.replace(" ", "   ") + "\n"})
    post = sandbox.requests[-1]
    assert (post.method, post.path, post.body) == ("POST", "user/keys", {"title": "ci runner", "key": NEW})
    key_id = added["id"]
    assert added["title"] == "ci runner" and added["fingerprint"].startswith("SHA256:")
    listed = await call(connect, "list_ssh_keys", {})
    assert [k["id"] for k in listed["items"]] == [ALICE_KEY_ID, key_id]
    assert (await call(connect, "get_ssh_key", {"key_id": key_id}))["key"] == NEW

    assert await call(connect, "delete_ssh_key", {"key_id": key_id}) == {"deleted": key_id}
    delete = sandbox.requests[-1]
    assert (delete.method, delete.path, delete.status) == ("DELETE", f"user/keys/{key_id}", 204)
    answer = await refused(connect, "get_ssh_key", {"key_id": key_id})
    assert "404" in answer and "list_ssh_keys" in answer
    answer = await refused(connect, "delete_ssh_key", {"key_id": key_id})
    assert "404" in answer
    assert [k["id"] for k in (await call(connect, "list_ssh_keys", {}))["items"]] == [ALICE_KEY_ID]


async def test_someone_elses_key_answers_404(connect: Connect, sandbox: Sandbox) -> None:
    for tool in ("get_ssh_key", "delete_ssh_key"):
        answer = await refused(connect, tool, {"key_id": ALICE_KEY_ID}, token=BOB)
        assert "404" in answer
    assert [k.id for k in SshKeys.of(sandbox.world.users["alice"]).keys] == [ALICE_KEY_ID]


async def test_a_key_already_on_an_account_is_refused_with_a_hint(connect: Connect, sandbox: Sandbox) -> None:
    alice_key = SshKeys.of(sandbox.world.users["alice"]).keys[0].key
    answer = await refused(connect, "add_ssh_key", {"title": "again", "key": alice_key}, token=BOB)
    assert "400" in answer and "already" in answer and "list_ssh_keys" in answer
    assert len(SshKeys.of(sandbox.world.users["bob"]).keys) == 1


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----", "private"),
        ("AAAAC3NzaC1lZDI1NTE5AAAAIEeaYdU3CgNRrUmKjzJOD5rVC", "not an OpenSSH public key"),
        ("ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIEeaYdU3CgNRrUmKjzJOD5rVC/r75MBE6knL45gejLVz", "not an OpenSSH public key"),
        ("ssh-ed25519 not*base64", "not an OpenSSH public key"),
    ],
    ids=["private-key", "no-type", "type-mismatch", "bad-base64"],
)
async def test_a_private_or_malformed_key_is_refused_before_sending(
    connect: Connect, sandbox: Sandbox, key: str, problem: str
) -> None:
    answer = await refused(connect, "add_ssh_key", {"title": "x", "key": key})
    assert "`key`" in answer and problem in answer
    assert "b3BlbnNzaC1rZXktdjEAAAAA" not in answer  # a private key is never echoed
    assert sandbox.requests == []


@pytest.mark.parametrize("shape", ["array", "object"])
async def test_a_single_key_reads_as_array_or_object(connect: Connect, sandbox: Sandbox, shape: str) -> None:
    # The ref documents GET user/keys/{id} as an array of one key (title ending in "\r\n"); accept the object too.
    key = {"id": 308357, "title": "xiaogang@csdn.net\r\n", "key": NEW, "created_at": "2024-07-23T10:29:42.119+00:00"}
    sandbox.answer("GET", r"user/keys/\d+$", status=200, body=[key] if shape == "array" else key)
    found = await call(connect, "get_ssh_key", {"key_id": 308357})
    assert found == {"id": 308357, "title": "xiaogang@csdn.net", "key": NEW, "created_at": key["created_at"]}


async def test_an_empty_array_for_a_single_key_is_a_clear_error(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer("GET", r"user/keys/\d+$", status=200, body=[])
    answer = await refused(connect, "get_ssh_key", {"key_id": 308357})
    assert "no SSH key 308357" in answer
