"""Typed clients for the services loyalty calls over HTTP."""
