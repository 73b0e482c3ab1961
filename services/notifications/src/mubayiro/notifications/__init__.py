"""Mubayiro notifications."""
