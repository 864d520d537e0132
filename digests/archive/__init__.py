"""The archive's read side: full-text search, its query syntax, lookups."""
