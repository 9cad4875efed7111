# Budapest 1956: `make run` serves the map, `make test` runs every test (browser tests included).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: setup system-deps bench-deps run test lint check bench dist clean

$(BIN)/mapapp: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,prod]'
	touch $@

setup: $(BIN)/mapapp  ## Python environment with the app and its test tools

# chromium: Playwright drives Debian's build (no browser download); pdftoppm, zbarimg: print tests;
# hunspell + dictionaries: the spelling test; nginx and its brotli_static module: the deploy/
# recipe's test (Debian's `nginx` package has gzip_static and proxy_cache built in)
SYSTEM_DEBS := chromium poppler-utils zbar-tools hunspell hunspell-hu hunspell-en-gb nginx libnginx-mod-http-brotli-static
system-deps:  ## the Debian packages the tests use
	@missing=$$(for p in $(SYSTEM_DEBS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	  [ -z "$$missing" ] || { $(SUDO) apt-get update && $(SUDO) apt-get install -y $$missing; }

run: setup  ## serve the map on the shipped data at http://127.0.0.1:5000/
	$(BIN)/mapapp check geodata
	$(BIN)/mapapp serve --data geodata --host $(HOST) --port $(PORT)

lint: setup  ## ruff and mypy, configured in pyproject.toml
	$(BIN)/ruff check .
	$(BIN)/mypy

test: setup system-deps lint  ## lint, then the whole test suite, browser tests included
	$(BIN)/python -m pytest

check: setup  ## validate the shipped dataset
	$(BIN)/mapapp check geodata

# the bench's own tools (not needed by make test): wrk, node and npm (Lighthouse and folium's
# CDN files come from npm into bench/.cache/); nginx comes with system-deps
bench-deps:
	@missing=""; for tool in wrk:wrk node:nodejs npm:npm; do \
	  command -v $${tool%%:*} >/dev/null || missing="$$missing $${tool#*:}"; done; \
	  [ -z "$$missing" ] || { $(SUDO) apt-get update && $(SUDO) apt-get install -y $$missing; }

bench: setup system-deps bench-deps  ## every measurement of issue 11 in one run: bench/results/latest.md
	$(BIN)/python bench/run.py

dist: setup  ## the sdist and the wheel (built from the sdist) in dist/
	$(BIN)/python -m build --no-isolation --outdir dist .

clean:
	rm -rf $(VENV) .pytest_cache dist
