"""Refunds: reversing a ledger row with a new, linked ``reversal`` row."""
