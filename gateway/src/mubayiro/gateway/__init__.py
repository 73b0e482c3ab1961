"""Mubayiro gateway."""
