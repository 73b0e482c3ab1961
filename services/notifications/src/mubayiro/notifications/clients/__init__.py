"""Typed clients for the services notifications calls over HTTP."""
