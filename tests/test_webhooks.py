"""Webhook quirks: a hook created with a secret reads back masked, is tested and deleted; GitCode answers passwords in
plain text and hook URLs carry tokens, and neither reaches the agent, not even when GitCode's error quotes them; an
update sends every field back (the current secret unseen) so that only what was asked changes."""

from __future__ import annotations

import json

import pytest

from gitcode_mcp.registry import toolsets
from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.areas.webhooks import SEEDED_HOOK, SEEDED_SECRET, Hooks, render
from tests.conftest import Connect, call, demo, refused

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
SECRET = "hunter2-very-secret"
URL_TOKEN = "tok-9f8e7d6c"
SEEDED_URL_TOKEN = "ci-url-token-91c2"


def test_the_toolset_is_off_by_default_and_its_delete_is_destructive() -> None:
    found = toolsets()["webhooks"]
    assert not found.default
    assert {t.name for t in found.tools if t.destructive} == {"delete_webhook"}


async def test_create_read_test_delete(connect: Connect, sandbox: Sandbox) -> None:
    url = f"https://user:pw-in-url@hooks.example.com/gitcode?access_token={URL_TOKEN}&ref=main"
    created = await call(
        connect,
        "create_webhook",
        {**DEMO, "url": url, "events": ["push", "merge_requests"], "secret": SECRET, "secret_kind": "signing_key"},
    )
    sent = sandbox.requests[-1].body
    assert sent["password"] == SECRET and sent["encryption_type"] == 1 and sent["url"] == url
    assert sent["push_events"] is True and sent["merge_requests_events"] is True and sent["issues_events"] is False
    hook_id = created["id"]
    assert created["secret"] == "***" and created["secret_kind"] == "signing_key"
    assert created["events"] == ["push", "merge_requests"]
    assert created["url"] == "https://***@hooks.example.com/gitcode?access_token=***&ref=***"

    read = await call(connect, "list_webhooks", {**DEMO, "hook_id": hook_id})
    assert read == created
    listed = await call(connect, "list_webhooks", DEMO)
    assert [h["id"] for h in listed["items"]] == [SEEDED_HOOK, hook_id]
    # GitCode answered the password in plain text every time (as the ref shows); the agent saw none of it.
    assert render(demo(sandbox), Hooks.of(demo(sandbox)).hooks[-1])["password"] == SECRET
    shown = json.dumps([created, read, listed])
    assert SECRET not in shown and URL_TOKEN not in shown and "pw-in-url" not in shown

    assert await call(connect, "test_webhook", {**DEMO, "hook_id": hook_id}) == {"tested": hook_id}
    after = await call(connect, "list_webhooks", {**DEMO, "hook_id": hook_id})
    assert after["last_result"] == "ok" and after["last_status"] == 200

    assert await call(connect, "delete_webhook", {**DEMO, "hook_id": hook_id}) == {"deleted": hook_id}
    assert [h.id for h in Hooks.of(demo(sandbox)).hooks] == [SEEDED_HOOK]
    answer = await refused(connect, "list_webhooks", {**DEMO, "hook_id": hook_id})
    assert "404" in answer


async def test_the_secret_never_reaches_the_agent_even_in_an_error(connect: Connect, sandbox: Sandbox) -> None:
    url = f"https://hooks.example.com/x?token={URL_TOKEN}"
    sandbox.fail(
        "POST",
        r"hooks$",
        status=400,
        body={
            "error_code": 400,
            "error_code_name": "UN_KNOW",
            "error_message": f"password '{SECRET}' is too weak for {url} (https://ci:{URL_TOKEN}@ci.example.com)",
        },
    )
    answer = await refused(connect, "create_webhook", {**DEMO, "url": url, "secret": SECRET})
    assert "400" in answer and "too weak" in answer
    assert SECRET not in answer and URL_TOKEN not in answer
    # The update sends the current secret back unseen: an error quoting it hides it too.
    sandbox.fail("PATCH", rf"hooks/{SEEDED_HOOK}$", status=422, body={"error_message": f"bad {SEEDED_SECRET}"})
    answer = await refused(connect, "update_webhook", {**DEMO, "hook_id": SEEDED_HOOK, "events": ["push"]})
    assert "422" in answer and SEEDED_SECRET not in answer and "bad ***" in answer


async def test_the_seeded_hook_shows_no_secret_and_no_url_token(connect: Connect) -> None:
    answers = [
        await call(connect, "list_webhooks", DEMO, parse=False),
        await call(connect, "list_webhooks", {**DEMO, "hook_id": SEEDED_HOOK}, parse=False),
    ]
    for answer in answers:
        assert SEEDED_SECRET not in answer and SEEDED_URL_TOKEN not in answer and '"secret":"***"' in answer


async def test_an_update_changes_only_what_was_asked(connect: Connect, sandbox: Sandbox) -> None:
    updated = await call(connect, "update_webhook", {**DEMO, "hook_id": SEEDED_HOOK, "events": ["issues"]})
    get, patch = sandbox.requests
    assert (get.method, patch.method) == ("GET", "PATCH")
    # Every field went back: url and secret as they were (the secret unseen), the events replaced.
    assert patch.body == {
        "url": "https://ci.example.com/gitcode/hook?token=ci-url-token-91c2",
        "push_events": False,
        "tag_push_events": False,
        "issues_events": True,
        "note_events": False,
        "merge_requests_events": False,
        "password": SEEDED_SECRET,
        "encryption_type": 0,
    }
    assert updated["events"] == ["issues"] and updated["secret"] == "***"
    hook = Hooks.of(demo(sandbox)).hooks[0]
    assert hook.password == SEEDED_SECRET and hook.url.endswith(SEEDED_URL_TOKEN)


async def test_a_masked_secret_is_not_sent_back(connect: Connect, sandbox: Sandbox) -> None:
    # Should GitCode mask the password in its answer, sending the mask back would overwrite the real one.
    sandbox.answer(
        "GET",
        rf"hooks/{SEEDED_HOOK}$",
        status=200,
        body={"id": SEEDED_HOOK, "url": "https://ci.example.com/h", "password": "******", "push_events": True},
    )
    await call(connect, "update_webhook", {**DEMO, "hook_id": SEEDED_HOOK, "url": "https://ci.example.com/h2"})
    assert "password" not in sandbox.requests[-1].body
    assert Hooks.of(demo(sandbox)).hooks[0].password == SEEDED_SECRET


async def test_nothing_to_change_sends_no_write(connect: Connect, sandbox: Sandbox) -> None:
    answer = await call(connect, "update_webhook", {**DEMO, "hook_id": SEEDED_HOOK})
    assert "nothing to change" in answer["note"] and [r.method for r in sandbox.requests] == ["GET"]


async def test_a_url_must_be_http(connect: Connect, sandbox: Sandbox) -> None:
    answer = await refused(connect, "create_webhook", {**DEMO, "url": "ftp://example.com/x"})
    assert "Invalid argument `url`" in answer and sandbox.requests == []
