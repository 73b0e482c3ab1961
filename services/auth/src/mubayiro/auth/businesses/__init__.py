"""Businesses: registration, login, the signed-in business's identity, and its internal lookup."""
