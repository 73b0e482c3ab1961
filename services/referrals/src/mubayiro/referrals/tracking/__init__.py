"""Referrals as businesses see them: track, complete (pay the bonus), list."""
