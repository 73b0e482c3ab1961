"""Mubayiro loyalty."""
