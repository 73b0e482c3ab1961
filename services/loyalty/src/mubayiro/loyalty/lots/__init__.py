"""Point lots and expiry: where a customer's points came from, and when they expire."""
