# Two commands do everything on a fresh machine: `make build` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export RAW_DIR ?= raw
export WAREHOUSE_DIR ?= warehouse

RELEASE ?= latest
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test quick dev install clean release verify queries search

build: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## run every asset on RAW_DIR, publish to WAREHOUSE_DIR
	$(PY) -m pipelines.build

test: $(STAMP) $(DAGSTER_HOME)/dagster.yaml $(CHROMIUM) $(CJK_FONT)  ## run the test suite (installs Debian's Chromium for the page test, a CJK font for the test PDFs)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q

quick: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## ruff and the fast tests (no warehouse build, browser or command-line run): under a minute
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q -m "not slow"

queries: $(STAMP)  ## regenerate docs/queries.md from the last build (make build first)
	$(PY) -m pipelines.queries

search: export SEARCH_QUERY = $(Q)
search: $(STAMP)  ## full-text search of the last build: make search Q=企业开办 (the query reaches Python unquoted by the shell)
	$(PY) -m pipelines.search

release: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## cut WAREHOUSE_DIR/releases/<version>/ from the published build
	$(PY) -m pipelines.release cut

verify: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## re-check a release: make verify RELEASE=2026.11.22 (default latest)
	$(PY) -m pipelines.release verify $(RELEASE)

dev: $(STAMP) $(DAGSTER_HOME)/dagster.yaml  ## Dagster UI (and daemon) on http://127.0.0.1:3000
	$(VENV)/bin/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Debian's Chromium and a CJK font for the release-page test; Playwright never downloads a browser.
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-wqy-zenhei

$(CJK_FONT):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends fonts-wqy-zenhei

$(DAGSTER_HOME)/dagster.yaml: pipelines/dagster_home.yaml
	mkdir -p $(DAGSTER_HOME)
	cp pipelines/dagster_home.yaml $@

clean:
	rm -rf $(VENV) $(DAGSTER_HOME) warehouse
