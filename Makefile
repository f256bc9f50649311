# Two entry points for a fresh machine: `make run` (the web app, demo loaded) and `make test`
# (the suite). `make demo` plans the reference circuit and schedules the demo week in ./out/.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install run demo test lint bench clean lock

# npm: the web app's browser assets (served from node_modules, no CDN), as pinned by the lock.
# Python: the exact versions of requirements.lock, then airlift itself (editable, no deps).
$(VENV)/.installed: pyproject.toml requirements.lock package.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
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

# PostgreSQL tests: against $$AIRLIFT_TEST_PG_URL, else a throwaway cluster from Debian's
# binaries when installed (scripts/with-postgres), else they skip.
# Timing tests (marker serial) run alone after the parallel suite: two xdist workers on two
# cores would make their latency bounds measure the other worker.
test: lint
	scripts/with-postgres sh -c '$(BIN)/pytest -q -n 2 -m "not serial and not slow" && $(BIN)/pytest -q -m "serial and not slow"'

# Re-resolve requirements.lock from pyproject.toml in a scratch venv.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet '.[dev]'
	{ sed -n '1,3p' requirements.lock; .lock-venv/bin/pip freeze --exclude-editable | grep -v '^airlift'; } > requirements.lock.new
	mv requirements.lock.new requirements.lock && rm -rf .lock-venv

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_mission.py

clean:
	rm -rf $(VENV) out .mypy_cache .pytest_cache .ruff_cache
