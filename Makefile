# Stanceline: `make run` serves the API with demo data; `make test` runs every check.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# The first Python 3.11+ on PATH.
PYTHON ?= $(shell for p in python3 python3.13 python3.12 python3.11; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app service.app
PYTEST := $(BIN)/pytest

.PHONY: help setup run migrate key test lint typecheck check-contract test-sqlite test-postgresql openapi lock migration clean

help:
	@echo "make run      set up, migrate the embedded SQLite database, load the demo data, serve on :8000"
	@echo "make test     set up, then lint, type-check, check the contract and migrations, run the tests on SQLite and PostgreSQL"
	@echo "make key      make an admin API key for the local database and print it"
	@echo "make openapi  regenerate openapi/openapi.json from the code"
	@echo "make lock     re-pin requirements.txt and constraints.txt from pyproject.toml"

$(BIN)/.installed: pyproject.toml constraints.txt
	@test -n "$(PYTHON)" || { echo "Python 3.11 or newer is needed on PATH." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[dev]'
	touch $@

setup: $(BIN)/.installed

migrate: setup
	$(FLASK) db upgrade

run: migrate
	$(FLASK) demo load
	$(BIN)/gunicorn --config gunicorn.conf.py 'service.app:create_app()'

# ruff, the layer contracts in pyproject.toml (imports go down the layers), and no function in
# service/ over 40 lines or complexity 15 unless its docstring says why.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python tools/function_limits.py service

typecheck: setup
	$(BIN)/mypy

# The committed contract is what the code generates, it keeps the last release's promises,
# and the models match the migrations.
check-contract: setup
	$(FLASK) write-openapi --check
	$(FLASK) check-breaking
	@tmp=$$(mktemp -d); DATABASE_URL=sqlite:///$$tmp/check.db $(FLASK) db upgrade >/dev/null \
		&& DATABASE_URL=sqlite:///$$tmp/check.db $(BIN)/alembic check

test-sqlite: setup
	$(PYTEST) --database sqlite

test-postgresql: setup
	$(PYTEST) --database postgresql

test: lint typecheck check-contract test-sqlite test-postgresql

openapi: setup
	$(FLASK) write-openapi

key: migrate
	$(FLASK) keys create --name "local admin"

# requirements.txt pins what the service runs on (the image uses it); constraints.txt adds the dev tools.
LOCK := $(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links
lock: setup
	$(LOCK) --output-file requirements.txt pyproject.toml
	$(LOCK) --extra dev --output-file constraints.txt pyproject.toml

migration: setup
	@test -n "$(m)" || { echo 'usage: make migration m="what changed"' >&2; exit 1; }
	@tmp=$$(mktemp -d); DATABASE_URL=sqlite:///$$tmp/gen.db $(FLASK) db upgrade >/dev/null \
		&& DATABASE_URL=sqlite:///$$tmp/gen.db $(BIN)/alembic revision --autogenerate -m "$(m)"

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
