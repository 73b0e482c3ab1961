"""Loyalty programs: the directory, a program's rate, and the copies of auth's businesses."""
