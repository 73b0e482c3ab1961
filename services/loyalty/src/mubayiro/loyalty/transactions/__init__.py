"""The points ledger: earning points and reading a business's transactions."""
