# Everything a newcomer or CI needs: `make demo`, `make test`, `make bench`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CKAN := $(BIN)/ckan
INSTALLED := $(VENV)/.installed
DEMO_PORT ?= 5000
PYTEST_ARGS ?=

.PHONY: help install services stop status lint i18n db-test browser test demo demo-init bench clean

help:
	@echo "make demo      install, start the services, seed demo content, serve http://127.0.0.1:$(DEMO_PORT)"
	@echo "make test      install, start the services, lint, run the whole test suite"
	@echo "make bench     run the benchmarks under bench/"
	@echo "make services  start PostgreSQL, Redis and Solr (idempotent); make stop stops them"

$(INSTALLED): pyproject.toml setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[ckan,test,lint]'
	@touch $@

install: $(INSTALLED)

services: $(INSTALLED)
	@dev/services.sh start

stop:
	@dev/demo_workers.sh stop
	@dev/services.sh stop

status:
	@dev/services.sh status

lint: $(INSTALLED)
	$(BIN)/ruff check ckanext tests bench
	$(BIN)/mypy ckanext

# Extract the strings, merge them into the French catalogue and compile it:
# a broken Babel set-up or a missing translation fails the run.
i18n: $(INSTALLED)
	$(BIN)/python setup.py -q extract_messages 2>/dev/null
	$(BIN)/python setup.py -q update_catalog -l fr 2>/dev/null
	$(BIN)/python setup.py -q compile_catalog -l fr 2>/dev/null

db-test: services
	@$(CKAN) -c test.ini db init >/dev/null
	@$(CKAN) -c test.ini db upgrade -p harvest >/dev/null
	@$(CKAN) -c test.ini db upgrade -p activity >/dev/null

# The accessibility tests drive Debian's Chromium (Playwright cannot download
# its own browser here).
browser:
	@command -v chromium >/dev/null || test -x /usr/bin/chromium || { \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# pytest exits 5 when it collected no test: that is a failure too.
test: services lint i18n db-test browser
	@$(BIN)/pytest --ckan-ini=test.ini $(PYTEST_ARGS) tests; status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no test"; exit 1; fi; exit $$status

demo.ini: dev/demo-options.ini $(INSTALLED)
	@test -f demo.ini || $(CKAN) generate config demo.ini >/dev/null
	$(CKAN) config-tool demo.ini -f dev/demo-options.ini

demo-init: services demo.ini i18n
	$(CKAN) -c demo.ini db init
	$(CKAN) -c demo.ini db upgrade -p harvest
	$(CKAN) -c demo.ini db upgrade -p activity
	$(CKAN) -c demo.ini search-index rebuild -q
	@dev/demo_workers.sh start
	$(BIN)/python dev/seed_demo.py demo.ini

demo: demo-init
	@echo "Portal on http://127.0.0.1:$(DEMO_PORT) - log in as 'admin' with the password in .services/demo-admin-password"
	$(CKAN) -c demo.ini run -H 127.0.0.1 -p $(DEMO_PORT)

bench: services db-test
	@set -e; for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b; done

clean: stop
	rm -rf .services $(VENV) demo.ini
