"""The `pulls` toolset: pull requests listed, opened, read and edited (requests), their files, commits and diff
(changes), comments, line comments and review discussions (comments), approvals, reviewers and testers (reviews), the
merge (merge) and their labels (labels); views.py holds the result views the other toolsets share."""

from __future__ import annotations

from gitcode_mcp.registry import Toolset

pulls = Toolset(
    "pulls", "Read, open, edit, review and merge pull requests and their changes, and comment on them", default=True
)

# Example arguments: alice/demo's seeded PR 1 (from `feature`) and PR 2 (from `docs`).
DEMO = {"owner": "alice", "repo": "demo"}
PR_1 = {**DEMO, "number": 1}
PR_2 = {**DEMO, "number": 2}
