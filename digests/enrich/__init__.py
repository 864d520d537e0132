"""Enrichment: summaries, topics, stories and related coverage."""
