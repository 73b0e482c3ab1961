"""The points ledger: earning and redeeming points, and reading a business's transactions."""
