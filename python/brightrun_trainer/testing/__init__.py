"""Helpers for tests, demos and benchmarks: a tiny model that needs no download."""
