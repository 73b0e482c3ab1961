"""Typed clients for the services the chatbot calls over HTTP (auth)."""
