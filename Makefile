# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PASSWORD ?= buurt-demo-2026
HOST ?= 127.0.0.1
PORT ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# The Nu Html Checker for tests/browser/test_valid_html.py, from the npm registry (runs on Java).
VNU_VERSION := 26.9.27
VNU_JAR := .ci/vnu/node_modules/vnu-jar/build/dist/vnu.jar
export FLASK_APP := portal

.PHONY: run test test-postgres install install-test lint browser-deps vnu clean

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
	@echo "  Demo-accounts: bewoner@, buur@, buiten@, verbinder@, moderator@, beheer@, informatiepunt@example.org"
	@echo "  Wijk West: http://west.localhost:$(PORT) (moderator-west@example.org)"
	@echo "  Wachtwoord: $(DEMO_PASSWORD)"
	@echo ""
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/pytest $(PYTEST_ARGS)

# The suite once more on PostgreSQL (the browser tests' live server stays on SQLite, so they
# are left out). Exit code 5 means the selection (PYTEST_ARGS) collected nothing: say so, pass.
test-postgres: install-test
	PORTAL_TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest --ignore=tests/browser $(PYTEST_ARGS); \
	status=$$?; \
	if [ $$status -eq 5 ]; then echo "test-postgres: no tests collected for this selection"; exit 0; fi; \
	exit $$status

vnu: .ci/vnu/.installed-$(VNU_VERSION)

.ci/vnu/.installed-$(VNU_VERSION):
	npm install --no-save --no-audit --no-fund --ignore-scripts --prefix .ci/vnu vnu-jar@$(VNU_VERSION)
	test -f $(VNU_JAR) && touch $@

lint: install-test
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .ci/vnu
