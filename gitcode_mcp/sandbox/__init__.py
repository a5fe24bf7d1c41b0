"""A built-in, stateful GitCode simulator: behind `--sandbox` for a first run, and under the test suite."""

from gitcode_mcp.sandbox.core import Recorded, Sandbox

__all__ = ["Recorded", "Sandbox"]
