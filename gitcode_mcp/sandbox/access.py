"""Who may do what on a repository: one answer, from ownership, the repository's members and their roles, the owning
organisation's and enterprise's roles, and visibility. Every area asks here; an area's own check only words the
refusal.

The rules, and the evidence for each (docs/gitcode-behaviour.md, Repositories; where GitCode documents none, GitLab's
model, which GitCode's roles and access levels follow: docs.gitcode.com's member answers carry GitLab's access_level
numbers):
- The owner of a personal repository, and the creator of an organisation's or enterprise's repository, administer it
  (ref: an owner's repository answers `permission: {pull, push, admin: true}`, `relation: master`; GitLab adds a
  project's creator as a maintainer).
- A member's permission is the one given (ref #32: pull | push | admin | customized, default push). A customized
  member reads: the ref's example answer for a customized member has `push: false`.
- Organisation roles: owner and admin administer its repositories, developer pushes, viewer reads (GitLab: group
  owners and maintainers are project maintainers, developers push, reporters read); a custom role by its access level.
- Enterprise roles on the enterprise's repositories: admin and maintainer administer, developer pushes, viewer,
  tester and customized read.
- Merge: administrators, and members whom the repository lets merge (`Repo.members`: login -> may merge; live, a
  member without MERGE permission is refused by the merge rule).
- Anyone sees a public repository and, with a token, comments on it; a private one is a 404 to whoever has no role.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from gitcode_mcp.sandbox.state import Enterprise, Org, Repo, User, World


class Level(IntEnum):
    NONE = 0  # a private repository is a 404 to them
    READ = 1
    PUSH = 2
    ADMIN = 3


# A level's permission word, as GitCode's member answers name it.
WORDS = {Level.READ: "pull", Level.PUSH: "push", Level.ADMIN: "admin"}
MEMBER_LEVELS = {"pull": Level.READ, "push": Level.PUSH, "admin": Level.ADMIN, "customized": Level.READ}
ADMIN_ROLES = ("owner", "admin")  # an organisation's roles that administer it
ORG_LEVELS = {"owner": Level.ADMIN, "admin": Level.ADMIN, "developer": Level.PUSH, "viewer": Level.READ}
ENTERPRISE_LEVELS = {"admin": Level.ADMIN, "maintainer": Level.ADMIN, "developer": Level.PUSH}
# Every organisation's custom roles (the orgs area lists them; no endpoint writes them): id, name, Chinese name,
# GitLab access level, description.
CUSTOM_ORG_ROLES = (
    ("3f2b9c0d5e8a4f6b9c1d2e3f4a5b6c7d", "Triager", "分诊员", 15, "Labels, assigns and closes issues"),
    ("8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d", "Release manager", "发布经理", 30, "Tags and publishes releases"),
)


@dataclass(frozen=True)
class Access:
    """What one user may do on one repository. `role` is the permission word a member answer carries (admin, push,
    pull, customized), None for someone with no role on the repository (a stranger, or nobody signed in)."""

    level: Level
    role: str | None
    merge: bool
    signed_in: bool

    @property
    def read(self) -> bool:
        return self.level >= Level.READ

    @property
    def comment(self) -> bool:
        return self.read and self.signed_in

    @property
    def push(self) -> bool:
        return self.level >= Level.PUSH

    @property
    def admin(self) -> bool:
        return self.level == Level.ADMIN

    @property
    def member(self) -> bool:
        return self.role is not None

    def flags(self) -> dict[str, bool]:
        """The `permission` object of repository answers."""
        return {"pull": self.read, "push": self.push, "admin": self.admin}


def owning_org(world: World, repo: Repo) -> Org | None:
    """The organisation whose namespace the repository is in."""
    return world.orgs.get(repo.owner.login)


def owning_enterprise(world: World, repo: Repo) -> Enterprise | None:
    return world.enterprises.get(repo.owner.login)


def org_level(role: str | None) -> Level:
    if role is None:
        return Level.NONE
    if role in ORG_LEVELS:
        return ORG_LEVELS[role]
    custom = next((level for _, name, _, level, _ in CUSTOM_ORG_ROLES if name == role), 0)
    return gitlab_level(custom)


def gitlab_level(access_level: int) -> Level:
    """GitLab's access levels: 40 maintainer, 30 developer, anything less reads."""
    return Level.ADMIN if access_level >= 40 else Level.PUSH if access_level >= 30 else Level.READ


def _granted(world: World, repo: Repo, login: str) -> tuple[Level, str | None]:
    """The highest level any source grants, and the member word for it (a customized member keeps its word)."""
    if login == repo.owner.login or (repo.creator is not None and login == repo.creator.login):
        return Level.ADMIN, "admin"
    found: list[tuple[Level, str]] = []
    if login in repo.members:
        word = repo.settings.get("member_roles", {}).get(login, "push")  # ref #32: push when not given
        found.append((MEMBER_LEVELS.get(word, Level.READ), word))
    if (org := owning_org(world, repo)) is not None and login in org.members:
        level = org_level(org.members[login])
        found.append((level, WORDS[level]))
    if (ent := owning_enterprise(world, repo)) is not None and login in ent.members:
        level = ENTERPRISE_LEVELS.get(ent.members[login], Level.READ)
        found.append((level, WORDS[level]))
    return max(found, key=lambda f: f[0], default=(Level.NONE, None))


def access(world: World, repo: Repo, user: User | None) -> Access:
    level, role = _granted(world, repo, user.login) if user is not None else (Level.NONE, None)
    if level == Level.NONE and not repo.private:
        level = Level.READ
    merge = level == Level.ADMIN or (user is not None and repo.members.get(user.login, False))
    return Access(level, role, merge, user is not None)


def members(world: World, repo: Repo) -> list[str]:
    """Everyone with a role on the repository: its owner (or creator), members, then the owning organisation's and
    enterprise's members."""
    org, ent = owning_org(world, repo), owning_enterprise(world, repo)
    logins = [
        repo.owner.login,
        *([repo.creator.login] if repo.creator else []),
        *repo.members,
        *(org.members if org else ()),
        *(ent.members if ent else ()),
    ]
    return [login for login in dict.fromkeys(logins) if login in world.users]


def may_push_branch(world: World, repo: Repo, user: User, branch: str | None) -> bool:
    """A pusher may push to a branch no rule protects; to a protected one only if the rule lets the user's role
    (`admin` for administrators, `developer` for the others) or the user by login push."""
    found = access(world, repo, user)
    if not found.push:
        return False
    rule = repo.rule_for(branch) if branch else None
    word = "admin" if found.admin else "developer"
    return rule is None or word in rule.pushers or user.login in rule.push_users


def may_moderate(world: World, repo: Repo, user: User, author: User) -> bool:
    """Who may change or delete something a user wrote on the repository (a comment): its author and the
    repository's administrators (GitLab: maintainers manage others' notes)."""
    return user.login == author.login or access(world, repo, user).admin


def is_org_admin(org: Org, user: User) -> bool:
    return org.members.get(user.login) in ADMIN_ROLES


def is_org_member(org: Org | None, user: User | None) -> bool:
    return org is not None and user is not None and user.login in org.members
