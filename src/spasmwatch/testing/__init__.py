"""Helpers and evaluation material the tests and the benchmarks share (importable without
``sys.path`` tricks): a throwaway PostgreSQL server (:mod:`.postgres`), the triage
vignette sets and case builders (:mod:`.triage`), and the parents' descriptions of
"In your own words" (:mod:`.descriptions`), and which of a server's processes hold the
open connections (:mod:`.serving`)."""
