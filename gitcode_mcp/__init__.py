"""gitcode-mcp: the GitCode platform (REST API v5) as MCP tools for AI agents."""

__version__ = "0.1.0"
