# send-mis: `make run` serves the demo school (`make run PORT=8001` for another port); `make demo-reset`
# reloads the demo as of today; `make test` runs the whole test suite.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test install install-test migrate demo demo-reset demo-code lint bench clean

$(BIN)/python:
	@echo "Creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Running needs only the project's dependencies; the test tools (pytest, playwright...) come with `make test`.
$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing what send-mis needs to run (about 20 s the first time)"
	$(BIN)/python -m pip install --quiet --progress-bar off -e .
	touch $(STAMP)

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing send-mis with its test tools"
	$(BIN)/python -m pip install --quiet --progress-bar off -e ".[test,lint]"
	touch $(STAMP) $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

var:
	mkdir -p var/screenshots var/staticfiles

migrate: install var
	@echo "Preparing the database"
	$(BIN)/python manage.py migrate --no-input -v 0

demo: migrate
	@echo "Loading the demo school (once; make demo-reset reloads it as of today)"
	$(BIN)/python manage.py seed_demo

# Empties the embedded database and loads the demo again as of today (the last school day), without reinstalling.
demo-reset: migrate
	$(BIN)/python manage.py flush --no-input
	$(BIN)/python manage.py seed_demo

# The demo accounts' current sign-in code, as an authenticator app with the demo key would show it.
demo-code: install
	@$(BIN)/python manage.py seed_demo --code

run: demo
	@echo ""
	@echo "  send-mis demo school: http://127.0.0.1:$(PORT)"
	@echo "  Sign in as senco, teacher, head, governor or dsl; password: send-mis-demo"
	@echo "  Second factor (senco, head, dsl): add the demo key ONSW4ZBNNVUXGLLEMVWW6LLTMVRXEZLU to any"
	@echo "  authenticator app (time-based, 6 digits), or run 'make demo-code' for the current code;"
	@echo "  demo recovery codes (each works once per account): demo1111 demo2222 demo3333 demo4444 demo5555"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core (from the npm registry) is used by the browser tests; without npm they explain what is missing.
$(AXE): package.json
	@if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund && touch $(AXE); \
	else echo "npm not found: browser accessibility tests will report axe-core as missing"; fi

test: install-test var
	@$(MAKE) --no-print-directory $(AXE) || true
	$(BIN)/python -m pytest -n auto

# Lint: formatting, lint rules, the layers contract (import-linter) and types on the core (mypy).
lint: install-test
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

bench: install
	$(BIN)/python bench/identification_bench.py
	$(BIN)/python bench/mis_import_bench.py

clean:
	rm -rf $(VENV) var node_modules
