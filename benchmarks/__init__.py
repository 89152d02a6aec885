"""Benchmarks (not timed tests): `python -m benchmarks.<name>`; each prints its figures with the core count."""
