"""The audit trail of a team deployment (`--audit-log FILE`): one JSON line for every write a tool sends (and every
read with `--audit-reads`): when, which tool, the method and path, a fingerprint of the caller's token (never the
token), and what came of it (GitCode's status, "may or may not have happened", or "not sent").

Lines are appended with O_APPEND, one write each, so several worker processes can share one file; the file is
reopened when it is moved (logging's WatchedFileHandler), so logrotate can rotate it under a running server.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
from contextvars import ContextVar
from datetime import UTC, datetime

# The tool whose requests the client is sending (set around each call by calls.GitCodeTool).
current_tool: ContextVar[str | None] = ContextVar("gitcode_mcp_current_tool", default=None)


class AuditLog:
    def __init__(self, path: str, *, reads: bool = False) -> None:
        self.reads = reads
        self._logger = logging.getLogger(f"gitcode_mcp.audit.{id(self)}")
        self._logger.propagate = False  # never into the server's own log (stderr)
        self._logger.setLevel(logging.INFO)
        self._handler = logging.handlers.WatchedFileHandler(path, encoding="utf-8")
        self._handler.setFormatter(logging.Formatter("%(message)s"))
        self._logger.addHandler(self._handler)

    def record(self, method: str, path: str, caller: str, outcome: int | str) -> None:
        if method == "GET" and not self.reads:
            return
        line = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "tool": current_tool.get(),
            "method": method,
            "path": path,  # the query is left out: it may carry what a person searched for
            "caller": caller,
            "outcome": outcome,
        }
        self._logger.info(json.dumps(line, ensure_ascii=False, separators=(",", ":")))

    def close(self) -> None:
        self._logger.removeHandler(self._handler)
        self._handler.close()
