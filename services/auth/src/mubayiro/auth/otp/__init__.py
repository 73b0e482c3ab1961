"""Customer sign-in by one-time code: request a code by SMS, verify it for a customer token."""
