"""Helpers for tests and benchmarks that both need them (importable without ``sys.path``
tricks): a throwaway PostgreSQL server."""
