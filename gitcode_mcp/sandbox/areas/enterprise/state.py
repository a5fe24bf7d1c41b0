"""The seeded enterprise, its members and projects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gitcode_mcp.sandbox.access import access
from gitcode_mcp.sandbox.core import Call, Refusal, Sandbox
from gitcode_mcp.sandbox.state import Enterprise, Kept, Repo, User, World, fake_sha

ENTERPRISE = "gitcode-ent"
ROLES = ("admin", "developer", "viewer")


def enterprise_of(world: World) -> Enterprise:
    """The seeded enterprise, created on first use (the mirrors area seeds its repositories into it)."""
    found = world.enterprises.get(ENTERPRISE)
    if found is None:
        found = Enterprise(fake_sha("enterprise", ENTERPRISE)[:24], ENTERPRISE, "GitCode Enterprise", number=8_710_001)
        found.members = {"alice": "admin", "bob": "developer"}
        world.enterprises[found.login] = found
    return found


def repos_of(sb: Sandbox, ent: Enterprise, user: User) -> list[Repo]:
    found = (sb.world.repos.get(name) for name in ent.projects)
    return [r for r in found if r is not None and access(sb.world, r, user).read]


def member_of(ent: Enterprise, sb: Sandbox, call: Call) -> User:
    user = sb.world.users.get(call.params["username"])
    if user is None or user.login not in ent.members:
        raise Refusal(404, "Not Found Member")
    return user


BUG_LABEL = 8_710_401  # gitcode-ent's seeded "bug" label
ROADMAP = 8_710_501  # and its milestone "2027 H1"
ROLE_NAMES = {
    "admin": ("Administrator", "管理员"),
    "maintainer": ("Maintainer", "维护者"),
    "developer": ("Developer", "开发者"),
    "tester": ("Tester", "测试者"),
    "viewer": ("Viewer", "观察者"),
}
PERMISSION_ROLES = {"pull": "viewer", "push": "developer", "admin": "admin"}
REVIEWER_ROLE = fake_sha("enterprise-role", "reviewer")[:32]
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3}")


@dataclass
class EntLabel:
    id: int
    name: str
    color: str
    description: str = ""
    created_at: str = "2026-10-01T09:00:00+08:00"
    updated_at: str = "2026-10-01T09:00:00+08:00"


@dataclass
class EntMilestone:
    id: int
    title: str
    description: str
    projects: list[str]  # repository full names
    start_date: str = ""
    due_date: str = ""
    state: str = "active"
    created_at: str = "2026-10-01T09:00:00+08:00"
    updated_at: str = "2026-10-01T09:00:00+08:00"


@dataclass
class Extras:
    """What the v8 pages show of an enterprise beyond its v5 members: custom roles held, labels, milestones."""

    custom: dict[str, str] = field(default_factory=dict)  # login -> custom role id
    labels: list[EntLabel] = field(default_factory=list)
    milestones: list[EntMilestone] = field(default_factory=list)
    next_id: int = 8_710_600


@dataclass
class EnterpriseExtras(Kept):
    """Each enterprise's Extras, by its path."""

    by_enterprise: dict[str, Extras] = field(default_factory=dict)


ORG_ENTERPRISES = {"gitcode-guild": "gitcode-ent"}


def extras(world: World, ent: Enterprise) -> Extras:
    return EnterpriseExtras.of(world).by_enterprise.setdefault(ent.login, Extras())
