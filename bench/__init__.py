"""Benchmarks of the claim site: `make bench` (python -m bench). See docs/performance.md."""
