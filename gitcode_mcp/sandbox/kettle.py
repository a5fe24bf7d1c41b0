"""alice/kettle: a small project with a history to ask about, seeded for the task suite (tests/tasks/) and for anyone
trying the history tools on `--sandbox`.

Three authors write it: alice and bob (GitCode accounts whose emails GitCode links), and Dana Lee, whose git email
belongs to no account (her commits carry a name and an email, no login; she writes from another time zone). Commits
carry bodies with `Co-authored-by:` trailers and `Fixes #N`; two pull requests were merged with merge commits (two
parents), one is open with a conflict against main, one is a draft, one was closed unmerged; v1.0 is tagged and
released. Issues have bodies to search, and labels to clean up (`Bug` and `defect` duplicate `bug`; `stale` is on
nothing). Ids are fixed, so the shared counter (and the other areas' ids) do not move.
"""

from __future__ import annotations

from dataclasses import dataclass

from gitcode_mcp.sandbox.areas.releases import Release, Releases
from gitcode_mcp.sandbox.state import Comment, Commit, Files, Issue, PullRequest, Repo, Tag, User, World, fake_sha

DANA = ("Dana Lee", "dana@example.org")  # a git author GitCode links to no account

CLIENT_V1 = b'''"""A tiny HTTP client."""

DEFAULT_TIMEOUT = 30


def fetch(url):
    """Fetch url and return its body."""
    return _send("GET", url, timeout=DEFAULT_TIMEOUT)
'''
USAGE = b"""# Using kettle

Start a server on port 8080 and call it:

    from kettle.client import fetch
    fetch("http://localhost:8080/")
"""


@dataclass
class _Writer:
    """Commits on the seeded repository's branches, with the authors, dates and messages given."""

    repo: Repo

    def commit(
        self,
        branch: str,
        changes: dict[str, bytes | None],
        message: str,
        author: User,
        at: str,
        git: tuple[str, str] | None = None,
        parents: list[str] | None = None,
        committer: User | None = None,
    ) -> Commit:
        files: Files = dict(self.repo.branches.get(branch, {}))
        for path, content in changes.items():
            if content is None:
                files.pop(path, None)
            else:
                files[path] = content
        log = self.repo.logs.setdefault(branch, [])
        before = parents if parents is not None else ([log[-1].sha] if log else [])
        made = Commit(
            fake_sha(self.repo.full_name, branch, message, at),
            before,
            files,
            message,
            author,
            at,
            git_name=git[0] if git else "",
            git_email=git[1] if git else "",
            linked=git is None,
            committer=committer,
            committed_at=at if committer else "",
        )
        log.append(made)
        self.repo.branches[branch] = dict(files)
        return made

    def branch(self, name: str, start: Commit, source: str = "main") -> None:
        log = self.repo.logs[source]
        self.repo.logs[name] = log[: log.index(start) + 1]
        self.repo.branches[name] = dict(start.files)

    def merge(self, branch: str, into: str, message: str, by: User, at: str) -> Commit:
        """A merge commit of `branch` into `into` (their changes touch different files here)."""
        head = self.repo.logs[branch][-1]
        merged = {c.sha for c in self.repo.logs[into]}
        start = next(c for c in reversed(self.repo.logs[branch]) if c.sha in merged)
        changed = {
            p: head.files.get(p) for p in set(start.files) | set(head.files) if start.files.get(p) != head.files.get(p)
        }
        main_head = self.repo.logs[into][-1]
        return self.commit(into, changed, message, by, at, parents=[main_head.sha, head.sha])


def seed(world: World) -> None:
    if world.repo("alice", "kettle") is not None:
        return
    alice, bob = world.users["alice"], world.users["bob"]
    repo = Repo(8_720_001, alice, "kettle", members={"bob": True}, description="A tiny HTTP client")
    repo.created_at = "2026-09-01T09:00:00+08:00"
    repo.labels = {"bug", "Bug", "defect", "enhancement", "documentation", "wontfix", "stale"}
    repo.milestones = {1: "v1.1"}
    w = _Writer(repo)

    w.commit(
        "main",
        {
            "README.md": b"# kettle\n\nA tiny HTTP client.\n\n## Install\n\n    pip install kettle-http\n",
            "CHANGELOG.md": b"# Changelog\n\n## 1.0.0\n\n- The first release.\n",
            "pyproject.toml": b'[project]\nname = "kettle"\nversion = "1.0.0"\n',
            "kettle/__init__.py": b'__version__ = "1.0.0"\n',
            "kettle/client.py": CLIENT_V1,
            "docs/usage.md": USAGE,
        },
        "Initial commit",
        alice,
        "2026-09-01T10:00:00+08:00",
    )
    w.commit(
        "main",
        {"kettle/client.py": CLIENT_V1.replace(b"DEFAULT_TIMEOUT = 30\n", b"DEFAULT_TIMEOUT = 30\nretries = 3\n")},
        "Retry failed requests\n\nA request that fails is sent again, three times at most.\n\n"
        "Co-authored-by: Dana Lee <dana@example.org>\n",
        bob,
        "2026-09-02T11:00:00+08:00",
    )
    w.commit(
        "main",
        {
            "kettle/limits.py": b'"""Rate limits."""\n\n\nclass RateLimiter:\n'
            b'    """At most `rate` requests a second."""\n\n'
            b"    def __init__(self, rate=10, burst=20):\n        self.rate, self.burst = rate, burst\n"
        },
        "Add a rate limiter\n\nCo-authored-by: Bob <bob@noreply.gitcode.com>\n",
        alice,  # pushed by alice; the git author is Dana
        "2026-09-03T09:00:00+02:00",
        git=DANA,
    )
    v1 = w.commit(
        "main",
        {
            "kettle/auth.py": b'def legacy_auth(token):\n    """The old token scheme."""\n'
            b'    return {"X-Token": token}\n'
        },
        "Add legacy token auth",
        alice,
        "2026-09-04T15:00:00+08:00",
    )
    repo.tags["v1.0"] = Tag("v1.0", v1.sha, "kettle 1.0", alice, "2026-09-04T16:00:00+08:00")
    Releases.of(repo).releases["v1.0"] = Release(
        "v1.0", "kettle 1.0", "The first release.", alice, "2026-09-04T16:05:00+08:00"
    )

    client = repo.branches["main"]["kettle/client.py"]
    w.branch("timeout", v1)
    w.commit(
        "timeout",
        {
            "kettle/client.py": client.replace(b"def fetch(url):", b"def fetch(url, timeout=DEFAULT_TIMEOUT):").replace(
                b"timeout=DEFAULT_TIMEOUT)\n", b"timeout=timeout)\n"
            )
        },
        "Make the timeout configurable\n\nFixes #1\n",
        bob,
        "2026-09-08T10:00:00+08:00",
    )
    w.branch("timeout-60", v1)
    w.commit(
        "timeout-60",
        {"kettle/client.py": client.replace(b"timeout=DEFAULT_TIMEOUT)\n", b"timeout=60)\n")},
        "Wait 60 seconds by default",
        bob,
        "2026-09-09T09:00:00+08:00",
    )
    first = w.merge(
        "timeout",
        "main",
        "Merge pull request !1 from bob/timeout\n\nAdd a timeout option",
        alice,
        "2026-09-10T10:00:00+08:00",
    )
    w.commit(
        "main",
        {"kettle/auth.py": None},
        "Remove legacy_auth\n\nNothing calls it since the token scheme changed.\n",
        bob,
        "2026-09-11T09:30:00+08:00",
    )
    now_main = repo.logs["main"][-1]
    w.branch("fix-empty-url", now_main)
    main_client = repo.branches["main"]["kettle/client.py"]
    w.commit(
        "fix-empty-url",
        {
            "kettle/client.py": main_client.replace(
                b'    """Fetch url and return its body."""\n',
                b'    """Fetch url and return its body."""\n'
                b'    if not url:\n        raise ValueError("url is empty")\n',
            )
        },
        "Refuse an empty URL\n\nFixes #2\n",
        alice,
        "2026-09-11T14:00:00+08:00",
    )
    second = w.merge(
        "fix-empty-url",
        "main",
        "Merge pull request !2 from alice/fix-empty-url\n\nFix crash on an empty URL",
        bob,
        "2026-09-12T10:00:00+08:00",
    )
    w.branch("docs-limits", repo.logs["main"][-1])
    w.commit(
        "docs-limits",
        {
            "docs/limits.md": b"# Rate limits\n\nkettle sends at most 10 requests a second.\n\n"
            b"Bursts of up to 20 requests pass at once.\n\nTODO: explain how a burst refills.\n"
        },
        "Document the rate limiter",
        bob,
        "2026-09-13T10:00:00+08:00",
    )
    w.branch("async", repo.logs["main"][-1])
    w.commit(
        "async",
        {"kettle/aio.py": b'"""An asyncio client."""\n\n\nasync def fetch(url):\n    raise NotImplementedError\n'},
        "Start an asyncio client",
        alice,
        "2026-09-14T10:00:00+08:00",
    )
    w.branch("docs-faq", repo.logs["main"][-1])
    w.commit(
        "docs-faq",
        {"docs/faq.md": b"# FAQ\n\n## Does kettle follow redirects?\n\nYes, up to five.\n"},
        "Add a FAQ",
        alice,
        "2026-09-15T10:00:00+08:00",
    )
    w.branch("try-requests", v1)
    w.commit(
        "try-requests", {"kettle/client.py": b"import requests\n"}, "Try requests", bob, "2026-09-06T10:00:00+08:00"
    )

    def pr(number: int, title: str, body: str, user: User, head: str, created: str, **extra: object) -> PullRequest:
        made = PullRequest(8_720_100 + number, number, title, body, user, head=head, base="main", created_at=created)
        for key, value in extra.items():
            setattr(made, key, value)
        repo.pulls[number] = made
        return made

    pr(
        1,
        "Add a timeout option",
        "fetch() takes a timeout.\n\nFixes #1",
        bob,
        "timeout",
        "2026-09-08T10:30:00+08:00",
        state="merged",
        merged_by=alice,
        merged_at=first.created_at,
        labels=["enhancement"],
        reviewers={"alice": True},
    )
    pr(
        2,
        "Fix crash on an empty URL",
        "Fixes #2",
        alice,
        "fix-empty-url",
        "2026-09-11T14:30:00+08:00",
        state="merged",
        merged_by=bob,
        merged_at=second.created_at,
        labels=["bug"],
        reviewers={"bob": True},
    )
    pr(
        3,
        "Document the rate limiter",
        "Explains rate and burst.",
        bob,
        "docs-limits",
        "2026-09-13T10:30:00+08:00",
        reviewers={"alice": False},
        labels=["documentation"],
    )
    pr(
        4,
        "Raise the default timeout",
        "30 seconds is too short for large downloads.",
        bob,
        "timeout-60",
        "2026-09-09T09:30:00+08:00",
    )
    pr(
        5,
        "Async client",
        "A first asyncio client.\n\nThis is a breaking change: fetch moves to kettle.sync.",
        alice,
        "async",
        "2026-09-14T10:30:00+08:00",
        draft=True,
    )
    pr(
        6,
        "Use requests",
        "Swap our client for requests.",
        bob,
        "try-requests",
        "2026-09-06T10:30:00+08:00",
        state="closed",
        closed_at="2026-09-07T09:00:00+08:00",
    )
    for made in repo.pulls.values():
        made.updated_at = made.merged_at or made.closed_at or made.created_at

    def issue(number: int, title: str, body: str, user: User, created: str, **extra: object) -> Issue:
        made = Issue(8_720_200 + number, number, title, body, user, created, updated_at=created)
        for key, value in extra.items():
            setattr(made, key, value)
        repo.issues[number] = made
        return made

    issue(
        1,
        "Timeouts are not configurable",
        "fetch() always waits 30 seconds.",
        bob,
        "2026-09-05T10:00:00+08:00",
        labels=["enhancement"],
        state="closed",
        closed_at="2026-09-10T10:00:00+08:00",
    )
    issue(
        2,
        "Crash when the URL is empty",
        "fetch('') raises a confusing IndexError.",
        alice,
        "2026-09-05T11:00:00+08:00",
        labels=["bug"],
        state="closed",
        closed_at="2026-09-12T10:00:00+08:00",
    )
    issue(
        3,
        "Redirect loop never ends",
        "kettle crashes with RecursionError when a server redirects to itself.",
        bob,
        "2026-09-13T09:00:00+08:00",
    )
    issue(
        4,
        "Document the rate limiter",
        "Nobody knows what burst means.",
        alice,
        "2026-09-13T09:10:00+08:00",
        labels=["documentation"],
    )
    issue(
        5,
        "Memory grows while streaming",
        "Streaming a 2 GB body keeps all of it in memory: a leak?",
        bob,
        "2026-09-13T09:20:00+08:00",
        labels=["Bug"],
    )
    issue(
        6,
        "The docs give the wrong port",
        "docs/usage.md says port 8080, but the example server listens on 80.",
        bob,
        "2026-09-13T09:30:00+08:00",
        labels=["defect"],
    )
    issue(
        7,
        "Support proxies",
        "Read HTTPS_PROXY like curl does; the timeout should apply to the proxy too.",
        alice,
        "2026-09-13T09:40:00+08:00",
        labels=["enhancement"],
        milestone=1,
    )
    issue(
        8,
        "Python 2 support",
        "Please keep kettle working on Python 2.7.",
        bob,
        "2026-09-13T09:50:00+08:00",
        labels=["wontfix"],
    )
    issue(9, "App crashes on a 204 answer", "", bob, "2026-09-13T10:00:00+08:00")
    repo.issues[3].comments.append(
        Comment(8_720_301, "", alice, "I can reproduce it with httpbin's /redirect-to.", "2026-09-13T12:00:00+08:00")
    )
    world.repos[repo.full_name] = repo
