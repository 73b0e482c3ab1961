"""Rewards catalog: what each business lets customers redeem their points for."""
