# Budapest 1956: `make run` serves the map, `make test` runs every test (browser tests included).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: setup chromium run test check bench screenshot clean

$(BIN)/mapapp: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,prod]'
	touch $@

setup: $(BIN)/mapapp  ## Python environment with the app and its test tools

chromium:  ## Debian's chromium for the browser tests (Playwright drives it; no browser download)
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }

run: setup  ## serve the map on the shipped data at http://127.0.0.1:5000/
	$(BIN)/mapapp check geodata
	$(BIN)/mapapp serve --data geodata --host $(HOST) --port $(PORT)

test: setup chromium  ## the whole test suite, browser tests included
	$(BIN)/python -m pytest

check: setup  ## validate the shipped dataset
	$(BIN)/mapapp check geodata

bench: setup chromium  ## page load and slider step, ours vs folium's Timeline and TimestampedGeoJson
	$(BIN)/python bench/bench_slider.py

clean:
	rm -rf $(VENV) .pytest_cache
