# The two commands a fresh clone needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench docs clean system-packages

# Modules are compiled once here: with PYTHONDONTWRITEBYTECODE set (as on many CI machines)
# every process (the server, its workers, each CLI call) would otherwise compile SciPy and
# the rest from source at each start, about 5 s of CPU each time.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "uv>=0.4,<1"
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip install --quiet --compile-bytecode -e ".[dev]"
	$(BIN)/python -m compileall -q src
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/spasmwatch serve --host 127.0.0.1 --port 8000

# What the tests need from Debian (PostgreSQL, Chromium, poppler, WeasyPrint's libraries):
# installed with apt only when missing and only as root; `make run` does not need them.
system-packages:
	@.ci/system-packages

# On every core (at most four), one test file per worker: see README.md, "Development".
test: system-packages $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

docs: $(STAMP)
	$(BIN)/spasmwatch rules --markdown > docs/triage-rules.md

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist src/*.egg-info
