# moh-migrate: `make demo` shows a migration end to end, `make test` runs the whole test suite.
# Both set up what they need: a virtualenv in .venv and a MySQL/MariaDB server that answers
# on 127.0.0.1:3306 (MOH_DB_HOST/PORT/USER/PASSWORD to use another).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install server demo test test-fast bench clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml dev/pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "$(PYTHON) cannot make a virtualenv: installing python3-venv (apt-get)."; \
	    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
	  else echo "$(PYTHON) cannot make a virtualenv: install python3-venv (Debian) and run make again."; exit 1; fi; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]" -e ./dev
	touch $@

server: install
	@$(BIN)/python -m moh_dev.server

demo: server
	$(BIN)/python -m moh_dev.demo

test: server
	$(BIN)/python -m pytest

# the pure-logic tier: no server, seconds
test-fast: install
	$(BIN)/python -m pytest -n 0 tests/unit

# make bench: 3 scales up to SCALE patients (SCALES= to choose them); writes bench/results.json
SCALE ?= 1000000
SCALES ?= $(shell expr $(SCALE) / 100),$(shell expr $(SCALE) / 10),$(SCALE)
bench: server
	$(BIN)/python -m moh_dev.bench --scales $(SCALES)

clean:
	rm -rf target logs demo-output .pytest_cache
