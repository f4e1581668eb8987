"""Benchmarks and the soak: scripts that print figures (``make bench`` runs ``bench_*.py``)."""
