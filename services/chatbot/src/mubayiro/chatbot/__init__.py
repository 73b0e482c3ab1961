"""Mubayiro chatbot: answers customers by calling the MCP servers tools (see ``main``)."""
