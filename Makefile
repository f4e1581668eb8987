# The few commands people type. `make chat` and `make test` are the README's quick start.
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed
# Exact versions with their hashes (uv pip compile); `make lock` refreshes them from pyproject.toml.
LOCK := requirements-dev.lock
PIP := $(VENV)/bin/pip --disable-pip-version-check

.PHONY: chat test lint format bench install lock audit clean

# The dependencies come from the lockfile only (pinned, hash-checked); the project itself
# is installed editable on top, without resolving anything again.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet --require-hashes -r $(LOCK)
	$(PIP) install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

chat: $(STAMP)
	$(VENV)/bin/mediabrain chat

test: $(STAMP)
	VENV=$(VENV) ./scripts/test

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP)
	for script in bench/bench_*.py; do $(VENV)/bin/python $$script; done

# After changing the dependencies in pyproject.toml: re-pin both lockfiles (keeps current pins
# where they still fit; `make lock UPGRADE=--upgrade` moves everything to the newest).
lock: $(STAMP)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --universal \
		--python-version 3.11 --quiet $(UPGRADE) -o requirements-dev.lock
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --universal \
		--python-version 3.11 --quiet $(UPGRADE) -o requirements.lock

# Known vulnerabilities in every pinned dependency (needs network: PyPI's advisory database).
audit: $(STAMP)
	$(VENV)/bin/pip-audit --strict --disable-pip --require-hashes -r requirements-dev.lock

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
