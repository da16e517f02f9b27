# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= buurt-demo-2026
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := portal

.PHONY: run test install install-test lint browser-deps clean

$(BIN)/flask: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/flask
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/flask

install-test: $(VENV)/.test-installed

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --password "$(DEMO_PASSWORD)"
	@echo ""
	@echo "  Buurtportaal Vleuten-De Meern: http://$(HOST):$(PORT)"
	@echo "  Demo-accounts: bewoner@, buiten@, verbinder@, moderator@, beheer@example.org"
	@echo "  Wachtwoord: $(DEMO_PASSWORD)"
	@echo ""
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
