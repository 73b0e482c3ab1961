"""Mubayiro auth."""
