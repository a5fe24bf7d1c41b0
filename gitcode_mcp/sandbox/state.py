"""The simulator's state: users, repositories with branches of files, pull requests, issues and comments.

Plain data; how each area answers about it (GitCode's shapes, URLs and nested copies included) lives in
sandbox/areas/. Ids are deterministic counters and timestamps are China Standard Time, as GitCode writes them.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from fnmatch import fnmatchcase
from typing import Any, Self

WEB = "https://gitcode.com"
API = "https://api.gitcode.com/api/v5"
CST = timezone(timedelta(hours=8), "CST")

Files = dict[str, bytes]


class Kept:
    """State an area keeps beside its own code: the area declares a subclass (a dataclass whose fields all have
    defaults) and reaches its one object on a World, a Repo or another holder with `Kind.of(holder)`, made on first
    use. This module stays the shared core (users, repositories, pull requests, issues); what only one area reads is
    that area's."""

    @classmethod
    def of(cls, holder: Any) -> Self:
        kept: dict[type, Any] = holder.kept
        found = kept.get(cls)
        if found is None:
            found = kept[cls] = cls()
        return found


def now() -> str:
    return datetime.now(CST).isoformat(timespec="seconds")


def fake_sha(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()


@dataclass
class User:
    id: str  # live user ids are 24-hex strings
    login: str
    name: str
    # Seeded by sandbox/areas/users/: emails (address -> state) and starred repositories (full names).
    emails: dict[str, str] = field(default_factory=dict)
    starred: list[str] = field(default_factory=list)
    # What PATCH user set, by GitCode's field names (nickname, description, company, website, location, ...);
    # the users area keeps it and shows it in profiles.
    profile: dict[str, str] = field(default_factory=dict)
    kept: dict[type, Any] = field(default_factory=dict, repr=False, compare=False)  # each area's own state (Kept)


@dataclass
class Comment:
    id: int  # the note id
    discussion_id: str  # 40-hex
    user: User
    body: str
    created_at: str
    path: str | None = None  # set for a diff comment
    line: int | None = None
    commit_id: str | None = None
    resolved: bool = False
    replies: list[Comment] = field(default_factory=list)
    updated_at: str = ""
    # Versions (modify_history) and emoji reactions: Edit and Reaction on a PR comment (pull_discussions area),
    # IssueEdit and IssueReaction on an issue comment (issue_activity area), each in its own answer's shape.
    edits: list[Any] = field(default_factory=list)
    reactions: list[Any] = field(default_factory=list)

    @property
    def is_diff(self) -> bool:
        return self.path is not None


@dataclass
class Commit:
    sha: str
    parents: list[str]
    files: Files  # the snapshot of the branch at this commit
    message: str
    author: User  # the account GitCode credits: the writer through the API, or the pusher
    created_at: str  # the author date, with its offset
    # Git's own record, where it differs from the account's (seeded history): the author's name and email as the
    # commit carries them, whether GitCode links that email to `author` (unlinked: no account in the answers), and a
    # committer and commit date of their own (a rebase, a merge through the web page).
    git_name: str = ""
    git_email: str = ""
    linked: bool = True
    committer: User | None = None
    committed_at: str = ""


@dataclass
class PullRequest:
    id: int
    number: int
    title: str
    body: str
    user: User
    head: str
    base: str
    created_at: str
    state: str = "open"  # open | closed | merged
    draft: bool = False
    comments: list[Comment] = field(default_factory=list)
    reviewers: dict[str, bool] = field(default_factory=dict)  # login -> approved
    testers: dict[str, bool] = field(default_factory=dict)
    labels: list[str] = field(default_factory=list)
    merged_by: User | None = None
    merged_at: str | None = None
    closed_at: str | None = None
    head_repo: Repo | None = None  # the fork the head branch lives in; None: the PR's own repository
    milestone: int | None = None
    updated_at: str = ""
    # The pull_discussions area's: linked issues (numbers in the PR's repository; the issues area reads them too),
    # versions of the description (modify_history), emoji reactions and the operation log (operate_logs).
    linked_issues: list[int] = field(default_factory=list)
    edits: list[Edit] = field(default_factory=list)
    reactions: list[Reaction] = field(default_factory=list)
    events: list[PullEvent] = field(default_factory=list)
    forced: set[str] = field(default_factory=set)  # logins whose review or test an admin passed with `force`


@dataclass
class Issue:
    id: int
    number: int
    title: str
    body: str
    user: User
    created_at: str
    labels: list[str] = field(default_factory=list)
    assignees: list[User] = field(default_factory=list)
    milestone: int | None = None
    state: str = "open"  # open | closed
    updated_at: str = ""
    closed_at: str | None = None
    comments: list[Comment] = field(default_factory=list)
    # The issue_activity area's state: linked branches, the operation log (newest last), versions of the body, and
    # emoji reactions. Linked pull requests are kept on the PR side (PullRequest.issues).
    branches: list[str] = field(default_factory=list)
    events: list[IssueEvent] = field(default_factory=list)
    edits: list[IssueEdit] = field(default_factory=list)
    reactions: list[IssueReaction] = field(default_factory=list)


@dataclass
class Repo:
    id: int
    owner: User
    name: str
    private: bool = False
    default_branch: str = "main"
    branches: dict[str, Files] = field(default_factory=dict)
    pulls: dict[int, PullRequest] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    labels: set[str] = field(default_factory=lambda: {"bug", "enhancement", "requirement"})
    milestones: dict[int, str] = field(default_factory=lambda: {1: "v1.0"})
    # login -> may merge (sandbox/access.py reads it; live, a member without MERGE permission is refused by a rule).
    members: dict[str, bool] = field(default_factory=dict)
    discussions_must_be_resolved: bool = True
    approvals_required: int = 0
    # Settings read and written through their own endpoints, one section per endpoint (repo_admin area):
    # e.g. settings["push_config"] = {"deny_force_push": True, ...}.
    settings: dict[str, dict[str, Any]] = field(default_factory=dict)
    # branch -> its commits, oldest first (see log(); a new branch starts with a copy of its source's log).
    logs: dict[str, list[Commit]] = field(default_factory=dict)

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def web_url(self) -> str:
        return f"{WEB}/{self.full_name}"

    @property
    def api_url(self) -> str:
        return f"{API}/repos/{self.full_name}"

    def log(self, branch: str) -> list[Commit]:
        """The branch's commits, oldest first. Files changed without a recorded commit (the seeds) become one
        implicit commit, so every branch has a head commit whose files are the branch's files."""
        log = self.logs.setdefault(branch, [])
        files = self.branches[branch]
        if not log or log[-1].files != files:
            parents = [log[-1].sha] if log else []
            sha = fake_sha(self.full_name, branch, sorted(files.items()))
            log.append(
                Commit(
                    sha, parents, dict(files), "Update files" if log else "Initial commit", self.owner, self.created_at
                )
            )
        return log

    def head_sha(self, branch: str) -> str:
        return self.log(branch)[-1].sha

    def record(self, branch: str, author: User, message: str, parents: list[str] | None = None) -> Commit:
        """A commit of the branch's current files (after a write changed them), on top of its head."""
        log = self.logs.setdefault(branch, [])
        before = parents if parents is not None else ([log[-1].sha] if log else [])
        files = dict(self.branches[branch])
        commit = Commit(
            fake_sha(self.full_name, branch, before, message, sorted(files.items())),
            before,
            files,
            message,
            author,
            now(),
        )
        log.append(commit)
        return commit

    def commit(self, sha: str) -> Commit | None:
        """A commit of any branch by its sha (or a unique prefix of at least 7 characters)."""
        for branch in self.branches:
            for c in self.log(branch):
                if c.sha == sha or (len(sha) >= 7 and c.sha.startswith(sha)):
                    return c
        return None

    def files_at(self, ref: str) -> Files | None:
        """A branch's files, or a tag's or a commit's (by its sha)."""
        if ref in self.branches:
            return self.branches[ref]
        found = self.commit(self.tags[ref].sha if ref in self.tags else ref)
        return found.files if found else None

    def rule_for(self, branch: str) -> BranchRule | None:
        """The protection rule whose wildcard matches the branch, if any."""
        return next((r for w, r in self.branch_rules.items() if fnmatchcase(branch, w)), None)

    # The repos area's state (areas/repos.py): what a repository page shows beyond its files.
    description: str = ""
    created_at: str = "2025-06-10T14:17:23+08:00"
    updated_at: str = ""
    parent: Repo | None = None  # the repository this one is a fork of
    org: Org | None = None  # the organisation that owns it; `owner` is then the organisation's namespace
    creator: User | None = None  # who created it, when that is not `owner` (an organisation's repository)
    license: str | None = None
    stargazers: dict[str, str] = field(default_factory=dict)  # login -> starred_at
    watchers: dict[str, str] = field(default_factory=dict)  # login -> watched_at
    contributions: list[Contribution] = field(default_factory=list)  # its commits: who, when, lines changed
    custom_roles: list[CustomRole] = field(default_factory=list)
    downloads: dict[str, int] = field(default_factory=dict)  # YYYY-MM-DD -> downloads that day
    # Label names are in `labels` and milestone titles in `milestones` (the issues and pulls areas read those); their
    # details are the labels and milestones areas' own (Kept).
    project_labels: list[str] = field(default_factory=list)  # the repository's own (topic-like) labels
    # Tags, each on a commit (branches and commits read them too); protected tag rules and releases are the releases
    # area's own (Kept).
    tags: dict[str, Tag] = field(default_factory=dict)
    # Branch protection rules by their wildcard (the contents, branches and protection areas and access.py read them).
    branch_rules: dict[str, BranchRule] = field(default_factory=dict)  # wildcard ("main", "release/*") -> rule
    kept: dict[type, Any] = field(default_factory=dict, repr=False, compare=False)  # each area's own state (Kept)


FIRST_MADE_ID = 8_458_010


class World:
    """Seeded with alice/demo (public; PR 1 from `feature`, PR 2 from `docs` with a rename, a too-large file and an
    unresolved discussion) and alice/secret (private). bob is a member of alice/demo without MERGE permission."""

    def __init__(self) -> None:
        self.ids = itertools.count(8_458_001)
        self.users = {
            u.login: u
            for u in (
                User("68529c53ad189e7497d49a96", "alice", "Alice"),
                User("6916dca9c78473272b7d572b", "bob", "Bob"),
            )
        }
        # token -> user; the sandbox's own token is the one `--sandbox` uses.
        self.tokens = {"sandbox-token": self.users["alice"], "bob-token": self.users["bob"]}
        self.repos: dict[str, Repo] = {}
        self.orgs: dict[str, Org] = {}  # path -> organization; seeded by the areas that need them
        self.enterprises: dict[str, Enterprise] = {}  # path -> enterprise; seeded by areas/enterprise.py
        self.kept: dict[type, Any] = {}  # each area's own state (Kept)
        alice, bob = self.users["alice"], self.users["bob"]
        main: Files = {
            "README.md": b"# demo\n\nA repository to try gitcode-mcp on.\n",
            "src/app.py": b"def greet(name):\n    return 'hello ' + name\n\n\nprint(greet('world'))\n",
            "docs/guide zh.md": "# 指南\n\n第一步：安装。\n".encode(),
            "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)),
        }
        feature = dict(main)
        feature["src/app.py"] = (
            b'def greet(name: str) -> str:\n    """Say hello."""\n    return f\'hello {name}\'\n\n\n'
            b"def main() -> None:\n    print(greet('world'))\n\n\nif __name__ == '__main__':\n    main()\n"
        )
        feature["src/util.py"] = b"def shout(text: str) -> str:\n    return text.upper() + '!'\n"
        docs = dict(main)
        docs["docs/manual zh.md"] = docs.pop("docs/guide zh.md")
        docs["data/big.csv"] = b"".join(b"%d,%d\n" % (i, i * i) for i in range(30_000))
        demo = Repo(
            self.new_id(),
            alice,
            "demo",
            branches={"main": main, "feature": feature, "docs": docs},
            members={"bob": False},
        )
        demo.pulls[1] = PullRequest(
            self.new_id(),
            1,
            "Type hints and a main()",
            "Adds type hints to greet and a main entry point.",
            alice,
            head="feature",
            base="main",
            created_at="2026-11-20T10:00:00+08:00",
            reviewers={"bob": False},
        )
        demo.pulls[2] = PullRequest(
            self.new_id(),
            2,
            "Rename the guide; add sample data",
            "",
            alice,
            head="docs",
            base="main",
            created_at="2026-11-21T09:30:00+08:00",
            labels=["enhancement"],
        )
        demo.pulls[2].comments.append(
            Comment(
                self.new_id(),
                self.discussion_id(),
                bob,
                "Is this file needed?",
                "2026-11-21T11:00:00+08:00",
                path="data/big.csv",
                line=1,
                commit_id=demo.head_sha("docs"),
            )
        )
        # The branches' first commits are made here, in this order: docs's (which the comment above is on) before
        # alice/demo's creation date is set, main's and feature's after it, as the seeded world has always had them.
        demo.created_at = "2026-11-18T09:00:00+08:00"
        demo.log("main")
        demo.log("feature")
        secret = Repo(self.new_id(), alice, "secret", private=True, branches={"main": {"NOTES.md": b"private\n"}})
        for repo in (demo, secret):
            self.repos[repo.full_name] = repo
        # Seeded objects carry their ids as data, as they carry their names: the tools' examples name them, and no
        # seed draws from this counter, so no seed's presence or order moves another's. The ones above (the first six)
        # and the organisations' and gitcode-mcp/toolbox's (the orgs and repo_admin areas', 8_458_007-8_458_009) come
        # first; what requests make counts on from here.
        self.ids = itertools.count(FIRST_MADE_ID)

    def new_id(self) -> int:
        return next(self.ids)

    def discussion_id(self) -> str:
        return fake_sha("discussion", self.new_id())

    def repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get(f"{owner}/{name}")


@dataclass
class Org(User):
    """An organization: a namespace that owns repositories (so a repository's owner may be one), and its members
    by role: login -> "owner" | "admin" | "developer" | ..."""

    members: dict[str, str] = field(default_factory=dict)
    number: int = 0  # live namespace ids are integers
    # The orgs area's state (areas/orgs.py): the profile PATCH orgs/{org} sets, and followers (login -> since).
    description: str = ""
    email: str = ""
    location: str = ""
    website: str = ""
    followers: dict[str, str] = field(default_factory=dict)
    created_at: str = "2025-06-10T14:17:23+08:00"

    @property
    def namespace(self) -> User:
        return self


@dataclass
class Contribution:
    """One commit on a repository's default branch, as its contributor statistics count it."""

    user: User
    date: str  # YYYY-MM-DD
    additions: int
    deletions: int
    message: str


@dataclass
class CustomRole:
    role_id: str  # 32-hex
    name: str
    description: str
    access_level: int
    member_count: int = 0
    created_at: str = "2025-06-10 14:17"


@dataclass
class Edit:
    """One version of an edited text (a PR description, a PR comment): what it said, who wrote that version, when."""

    content: str
    user: User
    at: str


@dataclass
class IssueEdit:
    """One version of an issue's body or of an issue comment's text, as modify_history lists it."""

    id: str
    user: User  # who wrote this version
    content: str
    created_at: str
    created: bool = False  # the first version
    deleted: bool = False


@dataclass
class Reaction:
    """An emoji reaction: emoji_name is like, dislike, smile, confused, love, rocket, eyes or party (ref)."""

    user: User
    emoji_name: str
    created_at: str


@dataclass
class PullEvent:
    """One entry of a pull request's operation log (pulls/{number}/operate_logs)."""

    id: int
    action: str  # e.g. add_mr_issue_link (ref)
    content: str
    user: User
    created_at: str
    discussion_id: str = ""


@dataclass
class IssueReaction:
    id: str
    user: User
    emoji_name: str  # like, dislike, smile, confused, love, rocket, eyes, party


@dataclass
class IssueEvent:
    """One entry of an issue's operation log (operate_logs): who did what, in GitCode's words."""

    id: int
    user: User
    action_type: str  # e.g. milestone, add_issue_mr_link
    content: str
    created_at: str
    pull: int | None = None  # the linked pull request's number, for add_issue_mr_link


@dataclass
class Tag:
    """A tag on a commit; one with a message is annotated (it has a tagger)."""

    name: str
    sha: str
    message: str
    tagger: User
    created_at: str


@dataclass
class BranchRule:
    """A branch protection rule: who may push and who may merge into the branches its wildcard matches: roles
    (`admin`, `maintainer`, `developer`; none: no one) and, by login, users."""

    wildcard: str
    pushers: list[str]
    mergers: list[str]
    updated_at: str
    push_users: list[str] = field(default_factory=list)
    merge_users: list[str] = field(default_factory=list)


@dataclass
class Enterprise(User):
    """An enterprise (areas/enterprise.py): a namespace with members by role (login -> "admin" | "developer" |
    "viewer"), the repositories whose issues and pull requests are its work, and which pull requests each of those
    issues is linked to (issue id -> [(repository full name, PR number)])."""

    members: dict[str, str] = field(default_factory=dict)
    projects: list[str] = field(default_factory=list)
    links: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    number: int = 0  # live namespace ids are integers
