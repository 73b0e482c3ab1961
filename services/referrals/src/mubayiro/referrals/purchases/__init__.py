"""Purchases: referrals learns from loyalty's ``points.earned`` who has bought at which shop."""
