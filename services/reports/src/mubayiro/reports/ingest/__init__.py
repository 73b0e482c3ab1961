"""Feeding the read model: loyalty's events and the ledger backfill, one idempotent path."""
