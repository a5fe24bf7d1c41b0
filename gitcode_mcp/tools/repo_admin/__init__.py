"""Repository administration: settings (read back as they are), members' roles, the permission mode, push rules; and
the destructive three: transfer, archive, delete. Operations #10-#19 and #27-#33 of the reference's Repositories page.

Settings are flat objects of GitCode's own field names: a get_* tool answers them, and its set_* tool takes any of
them in one `changes` object (fields left out, or null, stay as they are), so an agent reads, edits and writes back.
The schema declares each field (every one optional); a name or value that does not fit is refused before anything
is sent, and the refusal lists the names.
"""

from __future__ import annotations

from gitcode_mcp.registry import Toolset

repo_admin = Toolset(
    "repo_admin", "Change repository settings and members' roles; transfer, archive or delete a repository"
)

DEMO = {"owner": "alice", "repo": "demo"}
