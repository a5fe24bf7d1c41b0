"""Discussions: an organization's or a repository's by the same tools, PUT or PATCH by kind, comments and replies,
and what the simulator refuses."""

from __future__ import annotations

import pytest

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.tools.discussions import DEMO_COMMENT, GUILD_COMMENT
from tests.conftest import Connect, call, refused, sent, sim

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
GUILD = {"owner": "gitcode-guild"}


async def test_without_repo_the_owner_is_an_organization(connect: Connect, sandbox: Sandbox) -> None:
    org = await call(connect, "list_discussions", {**GUILD, "search": "Roadmap"})
    repo = await call(connect, "list_discussions", DEMO)
    assert sent(sandbox) == ["GET orgs/gitcode-guild/discuss", "GET repos/alice/demo/discuss"]
    assert sandbox.requests[0].query == {
        "search": "Roadmap",
        "sort": "created",
        "direction": "desc",
        "page": "1",
        "per_page": "20",
    }
    assert org["items"][0] | {"created_at": None} == {
        "number": 1,
        "title": "Roadmap 2027",
        "author": "alice",
        "state": "open",
        "comments": 1,
        "category": "Announcements",
        "created_at": None,
        "updated_at": "2026-11-25T09:00:00+08:00",
    }
    assert repo["items"][0]["author"] == "bob" and repo["items"][0]["comments"] == 2  # a comment and its reply


async def test_a_discussion_reads_with_its_text(connect: Connect) -> None:
    found = await call(connect, "get_discussion", {**DEMO, "number": 1})
    assert found["body"].startswith("An empty name prints") and found["title"] == "What should greet('') print?"
    assert "404" in await refused(connect, "get_discussion", {**DEMO, "number": 9})


async def test_create_sends_md_content_and_only_an_organization_takes_a_category(
    connect: Connect, sandbox: Sandbox
) -> None:
    made = await call(
        connect, "create_discussion", {**GUILD, "title": " Meetup ", "body": "Who?", "category": "General"}
    )
    assert sandbox.requests[-1].body == {"title": "Meetup", "md_content": "Who?", "category_name": "General"}
    assert made["number"] == 2 and made["category"] == "General" and made["body"] == "Who?"
    error = await refused(connect, "create_discussion", {**DEMO, "title": "t", "body": "b", "category": "General"})
    assert "`category`" in error and len(sandbox.requests) == 1


async def test_an_organizations_discussion_is_edited_by_put_a_repositorys_by_patch(
    connect: Connect, sandbox: Sandbox
) -> None:
    await call(connect, "update_discussion", {**GUILD, "number": 1, "title": "Roadmap 2027 (draft)"})
    await call(connect, "update_discussion", {**DEMO, "number": 1, "body": "Refuse, or greet the world?"})
    assert sent(sandbox) == ["PUT orgs/gitcode-guild/discuss/1", "PATCH repos/alice/demo/discuss/1"]
    assert sandbox.requests[1].body == {"md_content": "Refuse, or greet the world?"}
    assert "`title`" in await refused(connect, "update_discussion", {**DEMO, "number": 1})
    # bob wrote the repository's discussion; alice owns the repository: either may change it, others may not.
    assert (await sim(sandbox, "PUT", "repos/alice/demo/discuss/1", json={"title": "x"})).status_code == 404  # PATCH


async def test_comments_replies_and_who_may_edit_them(connect: Connect, sandbox: Sandbox) -> None:
    comments = await call(connect, "list_discussion_comments", {**DEMO, "number": 1, "order": "time_desc"})
    assert [c["id"] for c in comments["items"]] == [DEMO_COMMENT] and comments["items"][0]["replies"] == 1
    replies = await call(connect, "list_discussion_comments", {**DEMO, "number": 1, "comment_id": DEMO_COMMENT})
    assert "order" not in sandbox.requests[-1].query and replies["items"][0]["author"] == "bob"
    reply = await call(
        connect, "create_discussion_comment", {**GUILD, "number": 1, "body": "+1", "reply_to": GUILD_COMMENT}
    )
    assert sent(sandbox)[-1] == f"POST orgs/gitcode-guild/discuss/1/comment/{GUILD_COMMENT}/reply"
    assert sandbox.requests[-1].body == {"md_content": "+1"}
    nested = await refused(
        connect, "create_discussion_comment", {**GUILD, "number": 1, "body": "x", "reply_to": reply["id"]}
    )
    assert "not to other replies" in nested
    bobs = replies["items"][0]["id"]
    error = await refused(connect, "edit_discussion_comment", {**DEMO, "number": 1, "comment_id": bobs, "body": "x"})
    assert "403" in error and "only its author" in error
    edited = await call(
        connect, "edit_discussion_comment", {**DEMO, "number": 1, "comment_id": DEMO_COMMENT, "body": "Refuse."}
    )
    assert (
        edited["body"] == "Refuse." and sent(sandbox)[-1] == f"PATCH repos/alice/demo/discuss/1/comment/{DEMO_COMMENT}"
    )
    assert "blank" in await refused(connect, "create_discussion_comment", {**DEMO, "number": 1, "body": " \u200b"})


async def test_deletes_need_the_author_or_an_admin(connect: Connect, sandbox: Sandbox) -> None:
    path = f"repos/alice/demo/discuss/1/comment/{DEMO_COMMENT}"
    assert (await sim(sandbox, "DELETE", path, token="bob-token")).status_code == 403  # alice's comment
    assert await call(connect, "delete_discussion_comment", {**DEMO, "number": 1, "comment_id": DEMO_COMMENT}) == {
        "deleted": DEMO_COMMENT
    }
    assert (await call(connect, "get_discussion", {**DEMO, "number": 1}))["comments"] == 0  # its reply went too
    await call(connect, "delete_discussion", {**GUILD, "number": 1})
    assert (await call(connect, "list_discussions", GUILD))["items"] == []
