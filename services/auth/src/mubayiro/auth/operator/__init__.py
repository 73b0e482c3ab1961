"""The platform operator's control of businesses: approve, suspend, list by status."""
