"""Mubayiro MCP server: the loyalty tools for assistants (see ``server``)."""
