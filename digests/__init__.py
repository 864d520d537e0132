"""newsbot's domain: models, queries, ingest, scheduling, assembly, rendering and delivery."""

__version__ = "0.1.0"
