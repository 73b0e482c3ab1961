"""Cross-promotions: partner businesses a business chooses to promote to its customers.

The recommendation engine reads them (rule ``cross_promotion``): a customer of A who
has never been to A's partner B is told about B.
"""
