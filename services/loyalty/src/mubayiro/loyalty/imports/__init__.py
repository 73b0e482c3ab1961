"""Balances a business brings from another system: a CSV file, checked, then applied once."""
