"""Mubayiro loyalty: loyalty programs, customers' points balances and the points ledger.

Start at ``main.create_app``; the tables and the invariant they keep are in ``models``.
"""
