"""Helpers and evaluation material the tests and the benchmarks share (importable without
``sys.path`` tricks): a throwaway PostgreSQL server (:mod:`.postgres`), the triage
vignette sets and case builders (:mod:`.triage`), the parents' descriptions of "In your
own words" (:mod:`.descriptions`) and how a draft is scored against them
(:mod:`.drafts`), the EEG evaluation set with injected patterns (:mod:`.eeg_inject`), the
two video generators, their sets and scoring (:mod:`.video`), the Helsinki clips'
expert labels (:mod:`.helsinki`), and which of a server's
processes hold the open connections (:mod:`.serving`)."""
