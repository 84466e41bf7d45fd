# Two commands for a fresh machine: `make run` and `make test`. Both build the virtualenv they need.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# `make test COVERAGE=1` measures line coverage of talent/ and fails under the floor set in pyproject.toml;
# PYTEST_ARGS adds pytest options (a selection: `make test PYTEST_ARGS='tests/roster'`).
COVERAGE ?=
PYTEST_ARGS ?=

.PHONY: run serve test lint migrations-check clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamps record which requirement files are installed; editing one re-installs.
$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

run: $(VENV)/.runtime-installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The production shape (Procfile: gunicorn, Celery worker, beat) against the services the environment names.
serve: $(VENV)/.runtime-installed
	@test -n "$$DATABASE_URL" -a -n "$$CELERY_BROKER_URL" -a -n "$$CACHE_URL" || { \
		echo "make serve runs against DATABASE_URL, CELERY_BROKER_URL and CACHE_URL: set all three (README: Operations)"; \
		exit 1; }
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py collectstatic --no-input -v0
	rm -rf .data/metrics && mkdir -p .data/metrics  # the metrics files of the processes of this start only
	PROMETHEUS_MULTIPROC_DIR="$(CURDIR)/.data/metrics" PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho start -f Procfile -p $(PORT)

test: $(VENV)/.dev-installed
	$(BIN)/pytest -n $(PYTEST_WORKERS) --durations=25 $(if $(COVERAGE),--cov --cov-report=term:skip-covered) $(PYTEST_ARGS)

# ruff, mypy, then dead code (vulture: .ci/dead_code.py says what it reports). mypy's Django plugin loads the
# settings: a DATABASE_URL keeps them from starting the embedded server (the plugin never connects, so any
# address will do).
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=postgres://typecheck@127.0.0.1:1/unused $(BIN)/mypy
	$(BIN)/python .ci/dead_code.py

migrations-check: $(VENV)/.dev-installed
	$(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
