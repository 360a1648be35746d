"""Triage evaluation material shared by the tests and ``benchmarks/triage_vignettes.py``:
case builders for the regression vignettes, and the independent and blind vignette sets
(each case with its published source and gold level)."""
