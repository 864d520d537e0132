"""Benchmarks: `python -m bench.NAME` from the repository root; each prints one JSON object last."""
