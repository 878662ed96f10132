# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck pytest neovim clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@# Exit 1 means "findings reported", which is what the demo is for; 2 would be a real error.
	$(BIN)/mockls check examples/shop || test $$? -eq 1

# Neovim drives the real-editor end-to-end test; Debian's package is enough.
neovim:
	@command -v nvim >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) neovim
	$(BIN)/pytest -q

test: lint typecheck pytest engine-pythons

# mockengine against the mock backport's own test suite (scripts/conformance.toml says what must
# pass), and its tests plus that suite under every CPython from 3.9 to 3.13 (pyenv's).
.PHONY: conformance engine-pythons
conformance: $(STAMP)
	$(BIN)/python scripts/conformance.py

engine-pythons: $(STAMP)
	$(BIN)/python scripts/engine_pythons.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_diagnostics.py

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info .pytest_cache .mypy_cache .ruff_cache
