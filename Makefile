# moh-migrate: `make demo` shows a migration end to end, `make test` runs the whole test suite.
# Both set up what they need: a virtualenv in .venv and a MySQL/MariaDB server that answers
# on 127.0.0.1:3306 (MOH_DB_HOST/PORT/USER/PASSWORD to use another).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install server demo test clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

server: install
	@$(BIN)/python -m driver.server

demo: server
	$(BIN)/python -m driver.demo

test: server
	$(BIN)/python -m pytest

clean:
	rm -rf target logs demo-output .pytest_cache
