"""The seeded enterprise gitcode-ent: alice/demo among its projects, its labels and milestone."""

from __future__ import annotations

from gitcode_mcp.sandbox.areas.enterprise.state import BUG_LABEL, ROADMAP, EntLabel, EntMilestone, enterprise_of, extras
from gitcode_mcp.sandbox.state import User, World, fake_sha


def seed_projects(world: World) -> None:
    ent = enterprise_of(world)
    if "alice/demo" not in ent.projects and world.repo("alice", "demo") is not None:
        ent.projects.insert(0, "alice/demo")
        ent.links[8_300_011] = [("alice/demo", 1)]  # alice/demo issue 1 (the issues area's fixed id) <-> PR 1


def seed_extras(world: World) -> None:
    ent = enterprise_of(world)
    found = extras(world, ent)
    if found.labels:
        return
    found.labels += [EntLabel(BUG_LABEL, "bug", "#e03529"), EntLabel(BUG_LABEL + 1, "feature", "#2865E0")]
    found.milestones.append(
        EntMilestone(
            ROADMAP, "2027 H1", "Deployments without downtime.", ["gitcode-ent/infra"], "2027-01-01", "2027-06-30"
        )
    )
    world.users.setdefault("dana", User(fake_sha("user", "dana")[:24], "dana", "Dana"))


def seed(world: World) -> None:
    seed_projects(world)
    seed_extras(world)
