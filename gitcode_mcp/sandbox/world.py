"""The simulator's state: users, repositories with branches of files, pull requests, issues and comments.

Objects are rendered in GitCode's own shapes, URLs and nested copies included, so that what the server
strips from them is measurable against what GitCode really sends.
"""

from __future__ import annotations

import difflib
import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

WEB = "https://gitcode.com"
API = "https://api.gitcode.com/api/v5"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S+08:00")


def fake_sha(*parts: object) -> str:
    return hashlib.sha1("\0".join(map(str, parts)).encode()).hexdigest()


@dataclass
class User:
    id: int
    login: str
    name: str

    def render(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "login": self.login,
            "name": self.name,
            "avatar_url": f"{WEB}/avatars/{self.login}.png",
            "html_url": f"{WEB}/{self.login}",
            "url": f"{API}/users/{self.login}",
            "type": "User",
        }


@dataclass
class Comment:
    id: int
    user: User
    body: str
    created_at: str
    path: str | None = None
    position: int | None = None
    commit_id: str | None = None
    in_reply_to: int | None = None

    def render(self, repo: Repo, number: int) -> dict[str, Any]:
        return {
            "id": self.id,
            "body": self.body,
            "user": self.user.render(),
            "path": self.path,
            "position": self.position,
            "commit_id": self.commit_id,
            "in_reply_to_id": self.in_reply_to,
            "comment_type": "diff_comment" if self.path else "pr_comment",
            "created_at": self.created_at,
            "updated_at": self.created_at,
            "html_url": f"{repo.web_url}/pull/{number}#note_{self.id}",
            "pull_request_url": f"{repo.api_url}/pulls/{number}",
        }


@dataclass
class PullRequest:
    number: int
    title: str
    body: str
    user: User
    head: str
    base: str
    created_at: str
    state: str = "open"
    comments: list[Comment] = field(default_factory=list)


@dataclass
class Issue:
    number: int
    title: str
    body: str
    user: User
    created_at: str
    labels: list[str] = field(default_factory=list)
    assignees: list[User] = field(default_factory=list)
    milestone: int | None = None
    state: str = "open"


@dataclass
class Repo:
    owner: User
    name: str
    private: bool = False
    default_branch: str = "main"
    branches: dict[str, dict[str, bytes]] = field(default_factory=dict)
    pulls: dict[int, PullRequest] = field(default_factory=dict)
    issues: dict[int, Issue] = field(default_factory=dict)
    labels: set[str] = field(default_factory=lambda: {"bug", "enhancement", "requirement"})
    milestones: set[int] = field(default_factory=lambda: {1})

    @property
    def full_name(self) -> str:
        return f"{self.owner.login}/{self.name}"

    @property
    def web_url(self) -> str:
        return f"{WEB}/{self.full_name}"

    @property
    def api_url(self) -> str:
        return f"{API}/repos/{self.full_name}"

    def render(self) -> dict[str, Any]:
        return {
            "id": abs(hash(self.full_name)) % 10**7,
            "full_name": self.full_name,
            "human_name": f"{self.owner.name} / {self.name}",
            "path": self.name,
            "name": self.name,
            "namespace": {"path": self.owner.login, "name": self.owner.name, "html_url": f"{WEB}/{self.owner.login}"},
            "owner": self.owner.render(),
            "html_url": self.web_url,
            "url": self.api_url,
            "private": self.private,
            "default_branch": self.default_branch,
        }

    def head_sha(self, branch: str) -> str:
        return fake_sha(self.full_name, branch, sorted(self.branches[branch].items()))

    def changes(self, pr: PullRequest) -> list[dict[str, Any]]:
        """The files a PR changes, head against base, in GitCode's pulls/{n}/files shape."""
        base, head = self.branches[pr.base], self.branches[pr.head]
        out = []
        for path in sorted(set(base) | set(head)):
            old, new = base.get(path), head.get(path)
            if old == new:
                continue
            old_lines = (old or b"").decode(errors="replace").splitlines(keepends=True)
            new_lines = (new or b"").decode(errors="replace").splitlines(keepends=True)
            diff = list(difflib.unified_diff(old_lines, new_lines, n=3))[2:]
            added = sum(1 for d in diff if d.startswith("+"))
            removed = sum(1 for d in diff if d.startswith("-"))
            out.append({
                "sha": fake_sha(path, new),
                "filename": path,
                "status": "added" if old is None else "removed" if new is None else "modified",
                "additions": str(added),
                "deletions": str(removed),
                "blob_url": f"{self.web_url}/blob/{self.head_sha(pr.head)}/{path}",
                "raw_url": f"{self.web_url}/raw/{self.head_sha(pr.head)}/{path}",
                "patch": {
                    "diff": "".join(diff),
                    "new_path": path,
                    "old_path": path,
                    "a_mode": "100644",
                    "b_mode": "100644",
                    "new_file": old is None,
                    "renamed_file": False,
                    "deleted_file": new is None,
                    "too_large": False,
                },
            })
        return out

    def render_pull(self, pr: PullRequest) -> dict[str, Any]:
        changes = self.changes(pr)
        side = {
            name: {
                "label": f"{self.owner.login}:{ref}",
                "ref": ref,
                "sha": self.head_sha(ref),
                "user": self.owner.render(),
                "repo": self.render(),
            }
            for name, ref in (("head", pr.head), ("base", pr.base))
        }
        return {
            "id": 9000 + pr.number,
            "number": pr.number,
            "title": pr.title,
            "body": pr.body,
            "state": pr.state,
            "draft": False,
            "merged": False,
            "mergeable": True,
            "can_merge_check": True,
            "user": pr.user.render(),
            "assignees": [],
            "approval_reviewers": [],
            "testers": [],
            "labels": [],
            "milestone": None,
            **side,
            "commits": 1,
            "additions": sum(int(c["additions"]) for c in changes),
            "deletions": sum(int(c["deletions"]) for c in changes),
            "changed_files": len(changes),
            "comments": len(pr.comments),
            "created_at": pr.created_at,
            "updated_at": pr.created_at,
            "merged_at": None,
            "closed_at": None,
            "html_url": f"{self.web_url}/pull/{pr.number}",
            "url": f"{self.api_url}/pulls/{pr.number}",
            "issue_url": f"{self.api_url}/pulls/{pr.number}/issues",
            "diff_url": f"{self.web_url}/pull/{pr.number}.diff",
            "patch_url": f"{self.web_url}/pull/{pr.number}.patch",
            "comments_url": f"{self.api_url}/pulls/{pr.number}/comments",
            "commits_url": f"{self.api_url}/pulls/{pr.number}/commits",
        }

    def render_issue(self, issue: Issue) -> dict[str, Any]:
        return {
            "id": 7000 + issue.number,
            "number": str(issue.number),
            "title": issue.title,
            "body": issue.body,
            "state": issue.state,
            "issue_state": "待办的",
            "user": issue.user.render(),
            "assignee": issue.assignees[0].render() if issue.assignees else None,
            "assignees": [a.render() for a in issue.assignees],
            "labels": [
                {"id": abs(hash(n)) % 10**5, "name": n, "color": "#d73a4a", "repository_id": 1} for n in issue.labels
            ],
            "milestone": {"number": issue.milestone, "title": f"v{issue.milestone}.0"} if issue.milestone else None,
            "comments": 0,
            "repository": self.render(),
            "created_at": issue.created_at,
            "updated_at": issue.created_at,
            "finished_at": None,
            "html_url": f"{self.web_url}/issues/{issue.number}",
            "url": f"{self.api_url}/issues/{issue.number}",
        }


class World:
    """Seeded with alice/demo (a public repo with PR 1 from `feature`) and alice/secret (private)."""

    def __init__(self) -> None:
        self.users = {u.login: u for u in (User(1, "alice", "Alice"), User(2, "bob", "Bob"))}
        # token -> user; the sandbox's own token is the one `--sandbox` uses when GITCODE_TOKEN is unset.
        self.tokens = {"sandbox-token": self.users["alice"], "bob-token": self.users["bob"]}
        self.repos: dict[str, Repo] = {}
        self.comment_ids = itertools.count(1001)
        alice = self.users["alice"]
        main = {
            "README.md": b"# demo\n\nA repository to try gitcode-mcp on.\n",
            "src/app.py": b"def greet(name):\n    return 'hello ' + name\n\n\nprint(greet('world'))\n",
            "docs/guide zh.md": "# 指南\n\n第一步：安装。\n".encode(),
            "assets/logo.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64)),
        }
        feature = dict(main)
        feature["src/app.py"] = (
            b"def greet(name: str) -> str:\n    \"\"\"Say hello.\"\"\"\n    return f'hello {name}'\n\n\n"
            b"def main() -> None:\n    print(greet('world'))\n\n\nif __name__ == '__main__':\n    main()\n"
        )
        feature["src/util.py"] = b"def shout(text: str) -> str:\n    return text.upper() + '!'\n"
        demo = Repo(alice, "demo", branches={"main": main, "feature": feature})
        demo.pulls[1] = PullRequest(
            1, "Type hints and a main()", "Adds type hints to greet and a main entry point.",
            alice, head="feature", base="main", created_at="2026-11-20T10:00:00+08:00",
        )
        secret = Repo(alice, "secret", private=True, branches={"main": {"NOTES.md": b"private\n"}})
        for repo in (demo, secret):
            self.repos[repo.full_name] = repo

    def repo(self, owner: str, name: str) -> Repo | None:
        return self.repos.get(f"{owner}/{name}")
