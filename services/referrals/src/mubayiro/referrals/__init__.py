"""Mubayiro referrals service."""
