"""Mubayiro reports service."""
