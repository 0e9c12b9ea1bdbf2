# moh-migrate: `make demo` shows a migration end to end, `make test` runs the whole test suite.
# Both set up what they need: a virtualenv in .venv and a MySQL/MariaDB server that answers
# on 127.0.0.1:3306 (MOH_DB_HOST/PORT/USER/PASSWORD to use another).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install server demo demo-postgres test test-fast bench bench-copy clean chromium report-screenshot

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
	@$(BIN)/python -m moh_dev.pg_server || echo "(the PostgreSQL tests will skip)"

demo: server
	$(BIN)/python -m moh_dev.demo

# the same migration into PostgreSQL 15 (v1 on the local MariaDB), with the moh-migrate command
demo-postgres: server
	$(BIN)/python -m moh_dev.pg_server
	$(BIN)/python -m moh_dev.demo_postgres

test: server chromium
	$(BIN)/python -m pytest

# the pure-logic tier: no server, seconds
test-fast: install
	$(BIN)/python -m pytest -n 0 tests/unit

# make bench: 3 scales up to SCALE patients (SCALES= to choose them); writes bench/results.json.
# Into PostgreSQL too when one answers, with pgloader as the anchor for the copy: a bench-only
# tool (the project never runs it), Debian's package, installed as root where missing.
SCALE ?= 1000000
SCALES ?= $(shell expr $(SCALE) / 100),$(shell expr $(SCALE) / 10),$(SCALE)
bench: server
	@command -v pgloader >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "pgloader is not installed: installing it (apt-get)."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq pgloader >/dev/null; \
	  else echo "pgloader is not installed: the bench leaves it out (install the Debian package pgloader)."; fi; }
	$(BIN)/python -m moh_dev.bench --scales $(SCALES)

# Headless Chromium renders report.html in the tests and for docs/report.png. Debian's package,
# installed as root where missing (pngquant too: it makes the committed PNG a third the size).
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "chromium is missing: installing chromium and pngquant (apt-get)."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium pngquant >/dev/null; \
	  else echo "chromium is missing: install Debian's chromium package (apt-get install chromium); the report.html tests skip without it."; fi; }

# make report-screenshot: report.html rendered from REPORT_DATA (a saved data file, or a run's
# --output-dir) and photographed by headless Chromium into docs/report.png
REPORT_DATA ?= docs/report-example.json
REPORT_HTML := target/report-screenshot/report.html
CHROMIUM_FLAGS := --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync
report-screenshot: install chromium
	$(BIN)/python -m driver.report_html $(REPORT_DATA) -o $(REPORT_HTML)
	@profile=$$(mktemp -d) && \
	  chromium $(CHROMIUM_FLAGS) --user-data-dir=$$profile --screenshot=$(CURDIR)/docs/report.png \
	    --window-size=1280,2400 file://$(CURDIR)/$(REPORT_HTML) >$$profile.log 2>&1; \
	  status=$$?; [ $$status = 0 ] || cat $$profile.log; rm -rf $$profile $$profile.log; exit $$status
	@if command -v pngquant >/dev/null; then \
	  pngquant --force --skip-if-larger --quality 60-90 --output docs/report.png docs/report.png || true; fi
	@echo "docs/report.png: $$(stat -c %s docs/report.png) bytes"

# make bench-copy: the copy across servers against mydumper/myloader and mysqldump | mysql at
# COPY_PATIENTS patients (a second MariaDB is started for v1); writes bench/copy_results.json
COPY_PATIENTS ?= 100000
bench-copy: server
	@command -v mydumper >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "mydumper is not installed: installing it (apt-get)."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mydumper >/dev/null; \
	  else echo "mydumper is not installed: install the Debian package mydumper and run make again."; exit 1; fi; }
	$(BIN)/python -m moh_dev.bench_copy --patients $(COPY_PATIENTS)

clean:
	rm -rf target logs demo-output demo-output-postgres .pytest_cache
