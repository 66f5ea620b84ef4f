# NextGen: `make demo` runs it, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2
# `make serve`: gunicorn worker processes (2 x cores + 1 unless given) and extra options.
WORKERS ?= $(shell $(PY) -c 'import os; print(2 * (os.cpu_count() or 1) + 1)')
GUNICORN_ARGS ?=

.PHONY: demo serve migrate test lint unit browser chromium venv bench wrk clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# The demo looks like production: DEBUG off (a wrong address gets the 404 page, never
# Django's debug page), static files served by WhiteNoise as in production.
demo: $(STAMP)
	$(BIN)/nextgen init_var
	$(BIN)/nextgen migrate --noinput
	$(BIN)/nextgen demo
	@echo "NextGen is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(BIN)/nextgen runserver $(HOST):$(PORT)

# Production: gunicorn, WORKERS processes on HOST:PORT, after the deployment checks (they
# refuse a cache in one process's memory: set REDIS_URL) and collectstatic. It does not
# migrate: that is a release step run once (`make migrate`, docs/operations.md "Release
# steps"), and a server refuses to start on a database with migrations not yet applied.
# Static files are served hashed and compressed. docs/operations.md, "Running the app servers", lists the settings.
serve: export NEXTGEN_STATIC_MANIFEST := 1
serve: export NEXTGEN_STATIC_AUTOREFRESH := 0
serve: $(STAMP)
	$(BIN)/nextgen check --deploy --fail-level ERROR
	@$(BIN)/nextgen migrate --check >/dev/null || { echo "The database has migrations \
	not yet applied: run the release step \`make migrate\` (nextgen migrate) first." >&2; exit 1; }
	$(BIN)/nextgen collectstatic --noinput
	exec $(BIN)/gunicorn nextgen.wsgi:application --workers $(WORKERS) \
	  --bind $(HOST):$(PORT) --access-logfile - $(GUNICORN_ARGS)

# The release step: apply migrations once per release, before (re)starting the servers.
# On PostgreSQL a second migrate started meanwhile waits for the first (advisory lock).
migrate: $(STAMP)
	$(BIN)/nextgen migrate --noinput

# Debian's chromium for the browser tests (Playwright never downloads a browser here).
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/nextgen makemigrations --check --dry-run
	$(BIN)/lint-imports  # the layers contract in pyproject.toml: no upward imports
	$(BIN)/mypy nextgen  # types, with django-stubs ([tool.mypy] in pyproject.toml)

unit: $(STAMP)
	$(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) -q

browser: $(STAMP) chromium
	$(BIN)/pytest -m browser -q

test: lint unit browser

# Benchmarks (bench/README.md): a throwaway PostgreSQL database on 127.0.0.1:5432 and
# Redis db 14 on 127.0.0.1:6379; BENCH_SCALE=0.1 for smaller data, `bench/run.py --smoke`
# for a one-minute check. Results go to bench/results/. The peers (django-allauth, Django's
# LoginView; bench/peers/) get their own pinned venv, bench/peers/.venv, made by the run.
BENCH_STAMP := $(VENV)/.installed-bench
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

# Debian's wrk drives the page-speed figure (bench/run.py falls back to Python without it).
wrk:
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing Debian's wrk for the benchmarks"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

bench: $(BENCH_STAMP) wrk
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/nextgen.sqlite3 var/mail
