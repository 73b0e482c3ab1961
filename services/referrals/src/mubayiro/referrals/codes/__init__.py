"""Referral codes: a customer's short code that names them as a referrer."""
