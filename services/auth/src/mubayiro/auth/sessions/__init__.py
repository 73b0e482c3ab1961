"""Sessions for a shift: login, rotating refresh tokens, logout."""
