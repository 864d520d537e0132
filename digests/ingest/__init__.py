"""Ingestion: fetching, parsing, normalising and de-duplicating articles."""
