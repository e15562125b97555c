# send-mis: `make run` serves the demo school (`make run PORT=8001` for another port); `make demo-reset`
# reloads the demo as of today; `make test` runs the whole test suite.
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test install install-test migrate demo demo-reset lint bench clean

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
	$(BIN)/python -m pip install --quiet --progress-bar off -e ".[test]"
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

run: demo
	@echo ""
	@echo "  send-mis demo school: http://127.0.0.1:$(PORT)"
	@echo "  Sign in as senco, teacher, head, governor or dsl; password: send-mis-demo"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# axe-core (from the npm registry) is used by the browser tests; without npm they explain what is missing.
$(AXE): package.json
	@if command -v npm >/dev/null 2>&1; then npm install --silent --no-audit --no-fund && touch $(AXE); \
	else echo "npm not found: browser accessibility tests will report axe-core as missing"; fi

test: install-test var
	@$(MAKE) --no-print-directory $(AXE) || true
	$(BIN)/python -m pytest -n auto

bench: install
	$(BIN)/python bench/identification_bench.py
	$(BIN)/python bench/mis_import_bench.py

clean:
	rm -rf $(VENV) var node_modules
