"""Compact views of GitCode objects for agents: identifiers, state, titles, bodies, refs, counts, timestamps and
the one web URL a person would open. API URLs, avatars, nested repository copies and empty values are dropped.
"""

from __future__ import annotations

import json
from typing import Any

Obj = dict[str, Any]


def to_text(value: Any) -> str:
    """Compact JSON, non-ASCII kept as is (GitCode text is often Chinese: escapes would triple its size)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def drop_empty(obj: Obj) -> Obj:
    return {k: v for k, v in obj.items() if v not in (None, "", [], {})}


def count(value: Any) -> Any:
    """GitCode sends some numbers as strings ("3"); agents get numbers."""
    return int(value) if isinstance(value, str) and value.isdigit() else value


def login(user: Any) -> str | None:
    return user.get("login") or user.get("username") if isinstance(user, dict) else None


def _names(items: Any, key: str) -> list[str]:
    if isinstance(items, str):  # GitCode sometimes hands labels back as the comma string it was given
        return [s for s in items.split(",") if s]
    if not isinstance(items, list):
        return []
    names = (i.get(key) if isinstance(i, dict) else i for i in items)
    return [str(n) for n in names if n]


def _ref(side: Any) -> Obj | None:
    if not isinstance(side, dict):
        return None
    repo = side.get("repo")
    if not isinstance(repo, dict):
        repo = {}
    return drop_empty({"ref": side.get("ref"), "sha": side.get("sha"), "repo": repo.get("full_name")})


def pull_request(pr: Obj) -> Obj:
    return drop_empty({
        "number": pr.get("number"),
        "title": pr.get("title"),
        "state": pr.get("state"),
        "draft": pr.get("draft") or None,
        "merged": pr.get("merged"),
        "mergeable": pr.get("mergeable"),
        "author": login(pr.get("user")),
        "head": _ref(pr.get("head")),
        "base": _ref(pr.get("base")),
        "labels": _names(pr.get("labels"), "name"),
        "assignees": [login(a) for a in pr.get("assignees") or [] if login(a)],
        "commits": pr.get("commits"),
        "additions": pr.get("additions"),
        "deletions": pr.get("deletions"),
        "changed_files": pr.get("changed_files"),
        "comments": pr.get("comments"),
        "created_at": pr.get("created_at"),
        "updated_at": pr.get("updated_at"),
        "merged_at": pr.get("merged_at"),
        "closed_at": pr.get("closed_at"),
        "url": pr.get("html_url"),
        "body": pr.get("body"),
    })


def pull_request_file(f: Obj) -> Obj:
    patch = f.get("patch")
    if isinstance(patch, dict):  # some GitCode versions wrap the diff with its paths
        patch = patch.get("diff")
    return drop_empty({
        "path": f.get("filename"),
        "status": f.get("status"),
        "previous_path": f.get("previous_filename"),
        "additions": count(f.get("additions")),
        "deletions": count(f.get("deletions")),
        "patch": patch,
    })


def comment(c: Obj) -> Obj:
    return drop_empty({
        "id": c.get("id"),
        "author": login(c.get("user")),
        "path": c.get("path"),
        "position": c.get("position"),
        "commit_id": c.get("commit_id"),
        "in_reply_to": c.get("in_reply_to_id"),
        "created_at": c.get("created_at"),
        "url": c.get("html_url"),
        "body": c.get("body"),
    })


def issue(i: Obj) -> Obj:
    assignees = [login(a) for a in i.get("assignees") or [] if login(a)]
    if not assignees and login(i.get("assignee")):
        assignees = [login(i.get("assignee"))]
    milestone = i.get("milestone")
    return drop_empty({
        "number": count(i.get("number")),
        "title": i.get("title"),
        "state": i.get("state"),
        "author": login(i.get("user")),
        "labels": _names(i.get("labels"), "name"),
        "assignees": assignees,
        "milestone": milestone.get("title") if isinstance(milestone, dict) else milestone,
        "comments": i.get("comments"),
        "created_at": i.get("created_at"),
        "updated_at": i.get("updated_at"),
        "closed_at": i.get("closed_at") or i.get("finished_at"),
        "url": i.get("html_url"),
        "body": i.get("body"),
    })


def directory_entry(e: Obj) -> Obj:
    return drop_empty({"path": e.get("path"), "type": e.get("type"), "size": e.get("size") or None})
