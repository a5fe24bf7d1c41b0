"""One access model (sandbox/access.py): for the owner, collaborators (pull, push, admin), the owning organisation's
members (each role, custom ones too) and a stranger, on a public and a private repository, the repository's
`permission`, the caller's own permission points, a file write, a label write, a merge, a comment and a settings
write all agree with one table."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from mcp import Client
from pydantic import SecretStr

from gitcode_mcp.sandbox import Sandbox
from gitcode_mcp.sandbox.state import PullRequest, Repo, User, now
from tests.conftest import TOKEN, Connect, call, refused

pytestmark = pytest.mark.anyio

CAROL = "carol-token"


@dataclass(frozen=True)
class Persona:
    name: str
    repo: str  # full name
    level: str  # what the table says the persona may do: admin, push or pull (a stranger: pull on a public repo)
    role: str | None  # the self-permission role name; None: no role on the repository
    collaborator: str | None = None  # added by the owner with this permission
    org_role: str | None = None  # a role in the organisation that owns the repository


PERSONAL, ORGANISATION = "alice/demo", "gitcode-mcp/handbook"
PERSONAS = [
    Persona("owner", PERSONAL, "admin", "Owner"),
    Persona("pull collaborator", PERSONAL, "pull", "Reporter", collaborator="pull"),
    Persona("push collaborator", PERSONAL, "push", "Developer", collaborator="push"),
    Persona("admin collaborator", PERSONAL, "admin", "Maintainer", collaborator="admin"),
    Persona("stranger", PERSONAL, "pull", None),
    Persona("org owner", ORGANISATION, "admin", "Maintainer", org_role="owner"),
    Persona("org admin", ORGANISATION, "admin", "Maintainer", org_role="admin"),
    Persona("org developer", ORGANISATION, "push", "Developer", org_role="developer"),
    Persona("org viewer", ORGANISATION, "pull", "Reporter", org_role="viewer"),
    Persona("org Triager (custom, level 15)", ORGANISATION, "pull", "Reporter", org_role="Triager"),
    Persona("org Release manager (custom, level 30)", ORGANISATION, "push", "Developer", org_role="Release manager"),
    Persona("org stranger", ORGANISATION, "pull", None),
]


async def arrange(sandbox: Sandbox, connect: Connect, who: Persona, private: bool) -> tuple[Repo, SecretStr]:
    """The repository (with an open, mergeable PR 1) and the persona's token. carol is every persona but the owner."""
    owner, name = who.repo.split("/")
    repo = sandbox.world.repo(owner, name)
    assert repo is not None
    carol = sandbox.world.users["carol"] = User("6a1b2c3d4e5f60718293a4b5", "carol", "Carol")
    sandbox.world.tokens[CAROL] = carol
    if 1 not in repo.pulls:
        main = repo.branches[repo.default_branch]
        repo.branches["feature"] = {**main, "NEW.md": b"new\n"}
        repo.pulls[1] = PullRequest(sandbox.world.new_id(), 1, "New", "", repo.owner, "feature", "main", now())
    if who.collaborator:
        await call(
            connect,
            "add_collaborator",
            {"owner": owner, "repo": name, "username": "carol", "permission": who.collaborator},
        )
    if who.org_role:
        assert repo.org is not None
        repo.org.members["carol"] = who.org_role
    repo.private = private
    sandbox.requests.clear()
    return repo, SecretStr(TOKEN if who.name == "owner" else CAROL)


def received(sandbox: Sandbox, token: SecretStr) -> tuple[str, str, int]:
    """The last request GitCode received (method, path, its answer's status), after checking whose token it carried."""
    last = sandbox.requests[-1]
    assert last.headers["private-token"] == token.get_secret_value()
    return last.method, last.path, last.status


@pytest.mark.parametrize("private", [False, True], ids=["public", "private"])
@pytest.mark.parametrize("who", PERSONAS, ids=[p.name for p in PERSONAS])
async def test_every_area_answers_as_the_table_says(
    connect: Connect, sandbox: Sandbox, who: Persona, private: bool
) -> None:
    repo, token = await arrange(sandbox, connect, who, private)
    where = {"owner": repo.owner.login, "repo": repo.name}
    full = repo.full_name
    if private and who.role is None:  # a private repository is a 404 to whoever has no role on it
        async with connect(token=token) as client:
            for tool, args in checks(where):
                answer = await refused(client, tool, args)
                assert "404" in answer, (tool, answer)
                assert sandbox.requests[-1].status == 404 and sandbox.requests[-1].path.startswith(f"repos/{full}")
        return

    push, admin = who.level in ("push", "admin"), who.level == "admin"
    async with connect(token=token) as client:
        got = await call(client, "get_repository", where)
        assert got["permission"] == who.level
        assert received(sandbox, token) == ("GET", f"repos/{full}", 200)

        mine = await call(client, "get_collaborator_permission", where)
        assert mine["role"] == who.role
        granted = "all" if mine["granted"] == "all" else set(mine["granted"])
        assert (granted == "all" or "code:push" in granted) == push
        assert (granted == "all" or "pr:merge" in granted) == admin
        assert received(sandbox, token) == ("GET", f"repos/{full}/collaborators/self-permission", 200)

        await expect(client, sandbox, token, push, "create_file", {**where, **FILE}, ("POST", 201))
        assert ("access.md" in repo.branches[repo.default_branch]) == push
        await expect(client, sandbox, token, push, "create_label", {**where, **LABEL}, ("POST", 201))
        assert ("triage" in repo.labels) == push
        await expect(client, sandbox, token, True, "create_pull_request_comment", {**where, **COMMENT}, ("POST", 201))
        await expect(client, sandbox, token, admin, "set_permission_mode", {**where, "mode": "inherit"}, ("PUT", 200))
        # merge: administrators (no persona here is a member whom the repository lets merge without being one)
        before = len(sandbox.requests)
        merged = await answer_of(client, "merge_pull_request", {**where, "number": 1})
        assert (repo.pulls[1].state == "merged") == admin, merged
        puts = [r for r in sandbox.requests[before:] if r.method == "PUT"]
        if admin:
            assert [(r.path, r.status) for r in puts] == [(f"repos/{full}/pulls/1/merge", 200)]
            assert puts[0].headers["private-token"] == token.get_secret_value()
        else:  # the tool reads GitCode's merge rules and sends nothing: the caller may not merge
            assert puts == [] and received(sandbox, token) == ("GET", f"repos/{full}/pulls/1", 200)
            assert "nothing was sent: merged_by_user" in merged, merged


FILE = {"path": "access.md", "content": "who may\n", "message": "Access"}
LABEL = {"name": "triage", "color": "#123456"}
COMMENT = {"number": 1, "body": "Looks right."}


def checks(where: dict[str, str]) -> list[tuple[str, dict[str, object]]]:
    found: list[tuple[str, dict[str, object]]] = [
        ("get_repository", {**where}),
        ("get_collaborator_permission", {**where}),
        ("create_file", {**where, **FILE}),
        ("create_label", {**where, **LABEL}),
        ("create_pull_request_comment", {**where, **COMMENT}),
        ("set_permission_mode", {**where, "mode": "inherit"}),
        ("merge_pull_request", {**where, "number": 1}),
    ]
    return found


async def expect(
    client: Client,
    sandbox: Sandbox,
    token: SecretStr,
    allowed: bool,
    tool: str,
    args: dict[str, object],
    done: tuple[str, int],
) -> None:
    """The tool works when the table allows it, and is a GitCode 403 otherwise, and GitCode answered accordingly."""
    if allowed:
        await call(client, tool, args)
    else:
        answer = await refused(client, tool, args)
        assert "GitCode 403" in answer, (tool, answer)
    method, _, status = received(sandbox, token)
    assert (method, status) == (done[0], done[1] if allowed else 403), tool


async def answer_of(client: Client, tool: str, args: dict[str, object]) -> str:
    result = await client.call_tool(tool, args)
    return "".join(getattr(block, "text", "") for block in result.content)
