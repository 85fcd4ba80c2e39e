# natofutures: `make run` sets up and runs the main job; `make test` sets up and runs every check.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: run test lint typecheck clean data chromium

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[service,distributed]'
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,service,distributed]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/natofutures compare

lint: $(STAMP_DEV)
	$(BIN)/ruff check src tests scripts benchmarks

typecheck: $(STAMP_DEV)
	$(BIN)/mypy

# Browser tests drive Debian's Chromium; install it (once) if it is missing.
chromium:
	bash scripts/ensure_chromium.sh

test: $(STAMP_DEV) lint typecheck chromium
	$(BIN)/python -m pytest

data: $(STAMP_DEV)
	$(BIN)/python scripts/build_data.py --raw data/raw

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
