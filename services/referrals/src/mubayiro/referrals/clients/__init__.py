"""Typed clients for the services referrals calls over HTTP (loyalty, notifications)."""
