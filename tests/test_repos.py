"""Repository quirks: create-then-read (in every area), 409 on a duplicate, forks that appear in the forks list with
the parent's branches, organisations, private repositories as 404, the events page wrapped in an object, and the
compact views of GitCode's documented shapes."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import Repo
from tests.conftest import Connect, call, demo, refused, without_pulls_seed

pytestmark = pytest.mark.anyio

DEMO = {"owner": "alice", "repo": "demo"}
BOB = SecretStr("bob-token")


def held(sandbox: Sandbox, full_name: str) -> Repo:
    owner, name = full_name.split("/")
    repo = sandbox.world.repo(owner, name)
    assert repo is not None, full_name
    return repo


async def test_a_created_repository_can_be_read_here_and_in_other_areas(connect: Connect, sandbox: Sandbox) -> None:
    notes = {"owner": "alice", "repo": "notes"}
    async with connect() as client:
        made = await call(
            client,
            "create_repository",
            {"name": "notes", "description": "Scratch", "private": False, "auto_init": True},
        )
        shown = await call(client, "get_repository", notes)
        readme = await call(client, "get_file_contents", {**notes, "path": "README.md"}, parse=False)
        await call(client, "create_issue", {**notes, "title": "First", "body": "Hello"})
        again = await call(client, "get_repository", notes)
    post = sandbox.requests[0]
    assert (post.method, post.path) == ("POST", "user/repos")
    assert post.body == {
        "name": "notes",
        "path": "notes",
        "description": "Scratch",
        "private": False,
        "auto_init": True,
    }
    repo = held(sandbox, "alice/notes")
    assert made == {
        "id": repo.id,
        "full_name": "alice/notes",
        "description": "Scratch",
        "private": False,
    }
    assert shown["id"] == repo.id and isinstance(shown["id"], int)
    assert shown["url"] == "https://gitcode.com/alice/notes" and shown["default_branch"] == "main"
    assert shown["permission"] == "admin" and shown["open_issues"] == 0 and "parent" not in shown
    assert "# notes" in readme
    assert again["open_issues"] == 1


async def test_a_new_repository_is_private_unless_asked_and_empty_without_auto_init(
    connect: Connect, sandbox: Sandbox
) -> None:
    made = await call(connect, "create_repository", {"name": "vault"})
    assert sandbox.requests[0].body == {"name": "vault", "path": "vault", "private": True, "auto_init": False}
    assert made["private"] is True and held(sandbox, "alice/vault").branches == {}
    assert "Not Found Project" in await refused(
        connect, "get_repository", {"owner": "alice", "repo": "vault"}, token=BOB
    )


async def test_creating_a_repository_that_exists_answers_409(connect: Connect, sandbox: Sandbox) -> None:
    before = dict(sandbox.world.repos)
    error = await refused(connect, "create_repository", {"name": "demo"})
    assert "GitCode 409 Conflict" in error and "read it with get_repository" in error
    assert [r.status for r in sandbox.requests] == [409]  # a write is not retried
    assert sandbox.world.repos == before


async def test_a_name_that_is_not_a_path_is_refused_before_sending(connect: Connect, sandbox: Sandbox) -> None:
    error = await refused(connect, "create_repository", {"name": "my notes"})
    assert "Invalid argument `name`" in error and sandbox.requests == []


async def test_an_org_repository_needs_the_org_and_its_membership(connect: Connect, sandbox: Sandbox) -> None:
    made = await call(connect, "create_org_repository", {"org": "gitcode-mcp", "name": "tools", "private": False})
    assert sandbox.requests[-1].path == "orgs/gitcode-mcp/repos" and made["full_name"] == "gitcode-mcp/tools"
    read = await call(connect, "get_repository", {"owner": "gitcode-mcp", "repo": "tools"})
    assert read["permission"] == "admin" and read["private"] is False
    error = await refused(connect, "create_org_repository", {"org": "gitcode-mcp", "name": "other"}, token=BOB)
    assert "403" in error and "only members of the organisation" in error
    error = await refused(connect, "create_org_repository", {"org": "no-such-org", "name": "x"})
    assert "404" in error and "no organisation has that path" in error
    error = await refused(connect, "create_org_repository", {"org": "gitcode-mcp", "name": "tools"})
    assert "409" in error
    assert held(sandbox, "gitcode-mcp/tools").creator == sandbox.world.users["alice"]


async def test_a_private_org_repository_is_seen_by_members_only(connect: Connect) -> None:
    await call(connect, "create_org_repository", {"org": "gitcode-mcp", "name": "inner"})
    shown = await call(connect, "get_repository", {"owner": "gitcode-mcp", "repo": "inner"})
    assert shown["private"] is True
    assert "404" in await refused(connect, "get_repository", {"owner": "gitcode-mcp", "repo": "inner"}, token=BOB)


async def test_private_repositories_are_404_to_others(connect: Connect) -> None:
    secret = {"owner": "alice", "repo": "secret"}
    assert (await call(connect, "get_repository", secret))["private"] is True
    for tool in ("get_repository", "list_forks", "list_stargazers", "list_languages", "fork_repository"):
        error = await refused(connect, tool, secret, token=BOB)
        assert "GitCode 404" in error, (tool, error)


async def test_a_fork_has_the_parents_branches_and_appears_in_the_forks_list(
    connect: Connect, sandbox: Sandbox
) -> None:
    del sandbox.world.repos["bob/demo"]  # the fork the pulls area seeds for cross-repository PRs: fork afresh
    async with connect(token=BOB) as client:
        fork = await call(client, "fork_repository", DEMO)
        listed = await call(client, "list_forks", DEMO)
        view = await call(client, "get_repository", {"owner": "bob", "repo": "demo"})
        file = await call(
            client,
            "get_file_contents",
            {"owner": "bob", "repo": "demo", "path": "src/util.py", "ref": "feature"},
            parse=False,
        )
    post = sandbox.requests[0]
    assert (post.method, post.path, post.body) == ("POST", "repos/alice/demo/forks", {})
    copy = held(sandbox, "bob/demo")
    assert fork == {"id": copy.id, "full_name": "bob/demo", "parent": "alice/demo"}
    assert copy.parent is demo(sandbox) and copy.branches == demo(sandbox).branches
    assert copy.branches["main"] is not demo(sandbox).branches["main"]  # a copy: pushing to the fork leaves the parent
    assert listed["has_more"] is False
    assert listed["items"] == [
        {
            "full_name": "bob/demo",
            "owner": "bob",
            "description": "A repository to try gitcode-mcp on.",
            "private": False,
            "created_at": copy.created_at,
            "pushed_at": copy.created_at,
        }
    ]
    assert view["parent"] == "alice/demo" and view["permission"] == "admin"
    assert "shout" in file
    assert (await call(connect, "get_repository", DEMO))["forks"] == 1


async def test_forking_into_a_taken_path_answers_409_and_a_name_moves_it(connect: Connect, sandbox: Sandbox) -> None:
    # alice/demo is alice's own: its fork would be alice/demo again.
    error = await refused(connect, "fork_repository", DEMO)
    assert "409" in error and "pass name" in error
    fork = await call(connect, "fork_repository", {**DEMO, "name": "demo-copy"})
    assert sandbox.requests[-1].body == {"name": "demo-copy", "path": "demo-copy"}
    assert fork["full_name"] == "alice/demo-copy" and held(sandbox, "alice/demo-copy").parent is demo(sandbox)


async def test_forking_into_an_organisation(connect: Connect, sandbox: Sandbox) -> None:
    fork = await call(connect, "fork_repository", {**DEMO, "organization": "gitcode-mcp"})
    assert sandbox.requests[-1].body == {"organization": "gitcode-mcp"}
    assert fork["full_name"] == "gitcode-mcp/demo"
    error = await refused(connect, "fork_repository", {**DEMO, "organization": "gitcode-mcp"}, token=BOB)
    assert "403" in error and "member" in error
    assert "Invalid argument `organization`" in await refused(
        connect, "fork_repository", {**DEMO, "organization": "../x"}
    )


async def test_forks_are_paged(connect: Connect, sandbox: Sandbox) -> None:
    without_pulls_seed(sandbox)
    async with connect() as client:
        for i in range(3):
            await call(client, "fork_repository", {**DEMO, "name": f"f{i}"})
    first = await call(connect, "list_forks", DEMO)
    # Forks are small: a page of GitCode's largest size at a time, only `page` to choose.
    assert sandbox.requests[-1].query == {"page": "1", "per_page": "100"}
    second = await call(connect, "list_forks", {**DEMO, "page": 2})
    assert first["has_more"] is False and len(first["items"]) == 3 and second["items"] == []


# --- the documented shapes, as GitCode sends them -----------------------------------------------------------------


async def test_the_repository_view_of_a_documented_answer(connect: Connect, sandbox: Sandbox) -> None:
    # ref, Users page #8 and #14: web_url (no html_url), homepage set to the web URL, parent by `parentfull_name`,
    # a display name that differs from the path; counts as strings (as other GitCode numbers come).
    sandbox.answer(
        "GET",
        r"^repos/alice/demo$",
        status=200,
        body={
            "id": 4250980,
            "full_name": "aron1/Model10123001",
            "path": "Model10123001",
            "name": "Model 10123001",
            "web_url": "https://gitcode.com/aron1/Model10123001",
            "homepage": "https://gitcode.com/aron1/Model10123001",
            "url": "https://api.gitcode.com/api/v5/repos/aron1/Model10123001",
            "parentfull_name": "xiaogang_test/private-new",
            "stargazers_count": "3",
            "forks_count": 0,
            "license": "Apache_License_v2.0",
            "permission": {"pull": True, "push": True, "admin": False},
            "private": True,
            "namespace": {"id": 1364544, "path": "aron1", "html_url": "https://gitcode.com/aron1"},
        },
    )
    shown = await call(connect, "get_repository", DEMO)
    assert shown == {
        "id": 4250980,
        "full_name": "aron1/Model10123001",
        "name": "Model 10123001",
        "private": True,
        "parent": "xiaogang_test/private-new",
        "stars": 3,
        "forks": 0,
        "license": "Apache_License_v2.0",
        "permission": "push",
        "url": "https://gitcode.com/aron1/Model10123001",
    }


async def test_events_are_paged_by_has_next_page_in_the_body(connect: Connect, sandbox: Sandbox) -> None:
    without_pulls_seed(sandbox)
    first = await call(connect, "list_repo_events", {**DEMO, "per_page": 2})
    assert sandbox.requests[-1].query == {"page": "1", "per_page": "2"}
    assert first["has_more"] is True and len(first["items"]) == 2
    # Seven events in all: a full last page says no more because the body says so (no total headers are sent).
    whole = await call(connect, "list_repo_events", {**DEMO, "per_page": 7})
    assert whole["has_more"] is False and len(whole["items"]) == 7
    assert first["items"][0] == {
        "action": "commented on",
        "author": "bob",
        "created_at": "2026-11-21T11:00:00+08:00",
        "target": {"type": "MergeRequest", "number": 2},
        "title": "Rename the guide; add sample data",
    }
    everything = await call(connect, "list_repo_events", {**DEMO, "per_page": 100})
    assert everything["has_more"] is False
    assert everything["items"][-2] == {
        "action": "pushed to",
        "author": "alice",
        "created_at": "2026-11-18T10:00:00+08:00",
        "ref": "main",
        "commits": 1,
        "commit_title": "Initial commit",
    }


async def test_events_as_a_list_fall_back_to_the_paging_headers(connect: Connect, sandbox: Sandbox) -> None:
    sandbox.answer(
        "GET",
        r"events$",
        status=200,
        body=[{"action_name": "opened", "author": {"username": "carol"}, "target_type": "Issue", "target_iid": "4"}],
        headers={"total_page": "3"},
    )
    events = await call(connect, "list_repo_events", DEMO)
    assert events == {
        "page": 1,
        "has_more": True,
        "items": [{"action": "opened", "author": "carol", "target": {"type": "Issue", "number": 4}}],
    }


async def test_contributor_statistics_are_totals_per_contributor(connect: Connect, sandbox: Sandbox) -> None:
    stats = await call(connect, "get_contributor_statistics", {**DEMO, "since": "2026-11-19", "until": "2026-11-30"})
    assert sandbox.requests[-1].query == {"since": "2026-11-19", "until": "2026-11-30"}
    assert stats == [
        {
            "name": "alice",
            "email": "alice@example.com",
            "commits": 1,
            "additions": 4,
            "deletions": 1,
            "first_day": "2026-11-19",
            "last_day": "2026-11-19",
        },
        {
            "name": "bob",
            "email": "bob@example.com",
            "commits": 1,
            "additions": 2,
            "deletions": 2,
            "first_day": "2026-11-19",
            "last_day": "2026-11-19",
        },
    ]
    error = await refused(connect, "get_contributor_statistics", {**DEMO, "since": "last week"})
    assert "Invalid argument `since`" in error


async def test_download_statistics_keep_the_days_with_downloads(connect: Connect, sandbox: Sandbox) -> None:
    # 02 #35's example: each day with its own count and a running total, and the two totals.
    detail = [
        {"pdate": f"2024-11-{d}", "repo_id": "625513", "today_dl_cnt": n, "total_dl_cnt": 38 + t}
        for d, n, t in ((13, 0, 0), (14, 0, 0), (16, 5, 5), (21, 2, 7), (26, 0, 7))
    ]
    body = {
        "download_statistics_detail": detail,
        "download_statistics_total": 7,
        "download_statistics_history_total": 45,
    }
    sandbox.answer("GET", r"download_statistics$", status=200, body=body)
    stats = await call(
        connect, "get_download_statistics", {**DEMO, "start_date": "2024-11-13", "end_date": "2024-11-26"}
    )
    assert sandbox.requests[-1].query == {"start_date": "2024-11-13", "end_date": "2024-11-26"}
    assert stats == {
        "from": "2024-11-13",
        "to": "2024-11-26",
        "downloads": 7,
        "all_time": 45,
        "days": {"2024-11-16": 5, "2024-11-21": 2},
    }


async def test_the_simulators_downloads_follow_the_range(connect: Connect) -> None:
    stats = await call(
        connect, "get_download_statistics", {**DEMO, "start_date": "2020-01-01", "end_date": "2020-01-05"}
    )
    assert stats == {"from": "2020-01-01", "to": "2020-01-05", "downloads": 0, "all_time": 0}
    recent = await call(connect, "get_download_statistics", DEMO)
    assert recent["downloads"] == recent["all_time"] == 5 and sum(recent["days"].values()) == 5


async def test_watchers_stargazers_contributors_languages_and_roles(connect: Connect, sandbox: Sandbox) -> None:
    watchers = await call(connect, "list_watchers", DEMO)
    assert watchers["page"] == 1 and watchers["has_more"] is False
    assert watchers["items"][0] == {"login": "bob", "name": "Bob", "watched_at": "2026-11-20T12:01:00+08:00"}
    stars = await call(connect, "list_stargazers", DEMO)
    assert stars["items"] == [{"login": "bob", "name": "Bob", "starred_at": "2026-11-20T12:00:00+08:00"}]
    contributors = await call(connect, "list_contributors", DEMO)
    assert contributors == [
        {"name": "alice", "email": "alice@example.com", "commits": 2},
        {"name": "bob", "email": "bob@example.com", "commits": 1},
    ]
    languages = await call(connect, "list_languages", DEMO)
    assert list(languages) == ["Markdown", "Python"] and round(sum(languages.values())) == 100
    roles = await call(connect, "list_custom_roles", DEMO)
    assert roles == [
        {
            "id": "e6cd76d6c82f46c78c71fd7f67eaf3bf",
            "name": "Triager",
            "description": "Labels and closes issues",
            "access_level": 15,
            "members": 1,
            "type": "project-customized",
        }
    ]
    assert "401" in await refused(connect, "list_custom_roles", DEMO, token=None)
