"""Benchmarks: numbers, not pass/fail. `python -m bench --help`."""
