# Two commands for a fresh machine: `make run` serves the demo portal, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
NODE := node_modules/.package-lock.json
# pytest-xdist workers: auto is one per core; PYTEST_WORKERS=0 runs in this process (for pdb).
PYTEST_WORKERS ?= auto

.PHONY: run test lint typecheck pytest prerequisites translations bench clean

run: $(RUNTIME) $(NODE)
	$(VENV)/bin/quart --app app init-db
	$(VENV)/bin/quart --app app seed-demo
	$(PY) app.py

test: $(DEV) $(NODE) lint typecheck pytest

lint: $(DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(DEV)
	$(VENV)/bin/mypy

pytest: $(DEV) $(NODE)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

prerequisites:
	@tools/check-prerequisites

$(VENV)/bin/python:
	@tools/check-prerequisites
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV): pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(RUNTIME)

$(NODE): package.json package-lock.json
	@tools/check-prerequisites
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Re-extract the interface messages and merge them into the catalogs (then translate the new ones).
translations: $(DEV)
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k Nn_:1,2 -k _ -k gettext -k ngettext:1,2 \
		--no-location --sort-output -o translations/messages.pot .
	$(VENV)/bin/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete

bench: $(DEV) $(NODE)
	$(PY) -m bench

# A steady mixed load for SOAK_SECONDS (default 120), then a graceful stop; not part of `make test`.
.PHONY: soak
soak: $(DEV) $(NODE)
	$(PY) -m bench.soak

clean:
	rm -rf $(VENV) node_modules .mypy_cache .ruff_cache .pytest_cache test-artifacts
