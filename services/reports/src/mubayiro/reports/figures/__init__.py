"""The report routes: a business's own figures, read from the aggregate tables."""
