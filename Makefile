# NextGen: `make demo` runs it, `make test` runs every check. Both set themselves up.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: demo test lint unit browser chromium venv bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/nextgen migrate --noinput
	$(BIN)/nextgen demo
	@echo "NextGen is at http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	NEXTGEN_DEBUG=$${NEXTGEN_DEBUG:-1} $(BIN)/nextgen runserver $(HOST):$(PORT)

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

unit: $(STAMP)
	$(BIN)/pytest -m "not browser" -n $(PYTEST_WORKERS) -q

browser: $(STAMP) chromium
	$(BIN)/pytest -m browser -q

test: lint unit browser

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var/nextgen.sqlite3 var/mail
