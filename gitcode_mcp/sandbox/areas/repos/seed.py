"""The seeded repositories' pages: gitcode-mcp/handbook, and what alice/demo's pages show."""

from __future__ import annotations

from datetime import date, timedelta

from gitcode_mcp.sandbox.areas import orgs
from gitcode_mcp.sandbox.state import (
    Contribution,
    CustomRole,
    Repo,
    World,
)


def seed(world: World) -> None:
    """gitcode-mcp/handbook, the public repository of the organisation gitcode-mcp (the orgs area's), and what
    alice/demo's pages show: stars, watchers, commits, a custom role, downloads."""
    orgs.seed(world)
    alice, bob = world.users["alice"], world.users["bob"]
    org = world.orgs["gitcode-mcp"]
    if world.repo("gitcode-mcp", "handbook") is not None:
        return
    handbook = Repo(
        8_400_001,
        org.namespace,
        "handbook",
        branches={"main": {"README.md": b"# handbook\n\nHow we work.\n"}},
        description="How the gitcode-mcp team works.",
        org=org,
        creator=alice,
        created_at="2025-09-01T09:00:00+08:00",
        contributions=[Contribution(alice, "2025-09-01", 3, 0, "Initial commit")],
    )
    world.repos[handbook.full_name] = handbook

    demo = world.repo("alice", "demo")
    if demo is not None:
        demo.description = "A repository to try gitcode-mcp on."
        demo.license = "MIT"
        demo.stargazers = {"bob": "2026-11-20T12:00:00+08:00"}
        demo.watchers = {"alice": "2026-11-18T09:00:00+08:00", "bob": "2026-11-20T12:01:00+08:00"}
        demo.contributions = [
            Contribution(alice, "2026-11-18", 48, 0, "Initial commit"),
            Contribution(alice, "2026-11-19", 4, 1, "Add the guide"),
            Contribution(bob, "2026-11-19", 2, 2, "Fix a typo in the README"),
        ]
        demo.custom_roles = [
            CustomRole("e6cd76d6c82f46c78c71fd7f67eaf3bf", "Triager", "Labels and closes issues", 15, 1)
        ]
        today = date.today()
        demo.downloads = {str(today - timedelta(days=5)): 3, str(today - timedelta(days=1)): 2}
    secret = world.repo("alice", "secret")
    if secret is not None:
        secret.contributions = [Contribution(alice, "2026-11-17", 1, 0, "Notes")]
