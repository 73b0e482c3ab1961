"""A business's data as CSV files it can take with it (customers, transactions)."""
