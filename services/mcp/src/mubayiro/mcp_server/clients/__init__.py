"""Typed clients for the services the MCP server reads (loyalty, reports), always with
its own service token — never the caller's."""
