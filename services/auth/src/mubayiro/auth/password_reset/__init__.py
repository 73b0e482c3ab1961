"""Password reset by an e-mailed single-use link."""
