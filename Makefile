# Two entry points for a fresh machine: `make run` (the web app, demo loaded) and `make test`
# (the suite). `make demo` plans the reference circuit and schedules the demo week in ./out/.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run demo test lint bench clean

# npm: the web app's browser assets (served from node_modules, no CDN), as pinned by the lock.
$(VENV)/.installed: pyproject.toml package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/airlift serve

demo: $(VENV)/.installed
	$(BIN)/airlift demo

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -q -n 2

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_mission.py

clean:
	rm -rf $(VENV) out .mypy_cache .pytest_cache .ruff_cache
