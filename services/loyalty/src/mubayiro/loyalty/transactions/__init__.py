"""The points ledger: earning and redeeming points, referral bonuses, and reading the ledger
(a business's transactions; the whole ledger, in id order, for other services)."""
