"""Commits: list and read them (with their changed files), their trees and blobs, diffs and patches; find the
commits that added or removed a text; compare two refs, comment on commits, and code contribution per branch. Shapes
and parameters from GitCode's reference pages ("Commit", "Repositories" for trees and blobs); where those and the
gitcode-api package differ, the reference is followed.
"""

from __future__ import annotations

from gitcode_mcp.registry import Toolset

commits = Toolset(
    "commits", "Read commits, their trees and blobs, diffs and comparisons; search history; comment on commits"
)

DEMO = {"owner": "alice", "repo": "demo"}
# In the simulator's seeded alice/demo: the head commits of main and docs, and bob's comment on the latter.
MAIN_SHA = "ea658fdc452b8f8da570e3a36d51bfe44e0eed41"
DOCS_SHA = "7949bad67c3fbbe5e6212fcb9afa98a1c7505cb0"
SEEDED_COMMENT = 8_700_001
