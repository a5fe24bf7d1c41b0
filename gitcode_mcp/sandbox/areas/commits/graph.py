"""Commits as a graph: a ref resolved, a commit's ancestry, who wrote and committed it."""

from __future__ import annotations

from typing import Any

from gitcode_mcp.sandbox.state import Commit, Files, Repo, User


def resolve(repo: Repo, ref: str) -> Commit | None:
    """The commit a branch, a tag or a commit sha (or a unique prefix of 7+) names."""
    if ref in repo.branches:
        return repo.log(ref)[-1]
    tag = repo.tags.get(ref)
    return repo.commit(tag.sha if tag else ref)


def graph(repo: Repo) -> dict[str, Commit]:
    return {c.sha: c for branch in list(repo.branches) for c in repo.log(branch)}


def ancestry(repo: Repo, head: Commit) -> list[Commit]:
    """The commit and every commit it descends from, newest first (parents after their children)."""
    known, out, seen = graph(repo), [], set()
    todo = [head]
    while todo:
        commit = todo.pop(0)
        if commit.sha in seen:
            continue
        seen.add(commit.sha)
        out.append(commit)
        todo.extend(known[p] for p in commit.parents if p in known)
    return out


def parent_files(repo: Repo, commit: Commit) -> Files:
    found = repo.commit(commit.parents[0]) if commit.parents else None
    return found.files if found else {}


def email(user: User) -> str:
    return f"{user.login}@noreply.gitcode.com"


def person(commit: Commit) -> dict[str, str]:
    """The git author as the commit records it: name, email and the author date with its offset (ref)."""
    return {
        "name": commit.git_name or commit.author.name,
        "email": commit.git_email or email(commit.author),
        "date": commit.created_at,
    }


def committer(commit: Commit) -> dict[str, str]:
    who = commit.committer or commit.author
    return {"name": who.name, "email": email(who), "date": commit.committed_at or commit.created_at}


def account(user: User) -> dict[str, Any]:
    return {"id": user.id, "login": user.login, "name": user.name, "email": email(user), "type": "User"}
