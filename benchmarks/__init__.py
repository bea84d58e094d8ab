"""Benchmarks: synthetic datasets, a DataTable baseline app and the measuring harness (see docs/performance.md)."""
