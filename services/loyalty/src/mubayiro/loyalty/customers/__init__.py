"""Customers: one coalition-wide points balance per phone number."""
