"""Mubayiro loyalty: loyalty programs, customers' points balances and the points ledger,
rewards catalogs, cross-promotions and recommendations.

Start at ``main.create_app``; the tables and the invariant they keep are in ``models``;
the recommendation rules are explained in ``recommendations``.
"""
