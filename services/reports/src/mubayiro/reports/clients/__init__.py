"""Typed clients for the services reports calls over HTTP (only loyalty, for the backfill)."""
