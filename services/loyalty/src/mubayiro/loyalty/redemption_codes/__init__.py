"""Redemption codes: a customer's consent, by SMS, for one business to spend their points."""
