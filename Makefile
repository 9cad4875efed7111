# Budapest 1956: `make run` serves the map, `make test` runs every test (browser tests included).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: setup browser-deps run test check bench clean

$(BIN)/mapapp: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,prod]'
	touch $@

setup: $(BIN)/mapapp  ## Python environment with the app and its test tools

BROWSER_DEBS := chromium poppler-utils zbar-tools
browser-deps:  ## Debian's chromium (Playwright drives it; no browser download), pdftoppm and zbarimg for the print tests
	@command -v chromium >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1 \
	  || { $(SUDO) apt-get update && $(SUDO) apt-get install -y $(BROWSER_DEBS); }

run: setup  ## serve the map on the shipped data at http://127.0.0.1:5000/
	$(BIN)/mapapp check geodata
	$(BIN)/mapapp serve --data geodata --host $(HOST) --port $(PORT)

test: setup browser-deps  ## the whole test suite, browser tests included
	$(BIN)/python -m pytest

check: setup  ## validate the shipped dataset
	$(BIN)/mapapp check geodata

bench: setup browser-deps  ## page load and slider step, ours vs folium's Timeline and TimestampedGeoJson
	$(BIN)/python bench/bench_slider.py

clean:
	rm -rf $(VENV) .pytest_cache
