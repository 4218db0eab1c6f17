"""Benchmarks (``make bench``): speed and memory measured here, never asserted in tests."""
