# The two commands a fresh machine needs: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint typecheck pytest neovim clean bench bench-runtime realworld
.PHONY: debian-packages vsix extension-libs extension-lint extension-unit extension-e2e extension-test e2e-tools

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
	$(BIN)/mockls check examples/newsletter || test $$? -eq 1

# Installs those of the Debian packages named in DEBS that are missing.
debian-packages:
	@for deb in $(DEBS); do dpkg -s $$deb >/dev/null 2>&1 || missing="$$missing $$deb"; done; \
	if [ -n "$$missing" ]; then echo "installing Debian packages:$$missing"; apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

# Neovim drives the real-editor end-to-end test; Debian's package is enough.
neovim:
	@command -v nvim >/dev/null 2>&1 || $(MAKE) --no-print-directory DEBS=neovim debian-packages

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) neovim
	$(BIN)/pytest -q

test: lint typecheck pytest engine-pythons extension-test

# mockengine against the mock backport's own test suite (scripts/conformance.toml says what must
# pass), and its tests plus that suite under every CPython from 3.9 to 3.13 (pyenv's).
.PHONY: conformance engine-pythons
conformance: $(STAMP)
	$(BIN)/python scripts/conformance.py

engine-pythons: $(STAMP)
	$(BIN)/python scripts/engine_pythons.py

# --- the VS Code extension (vscode-extension/) -------------------------------------------
EXT := vscode-extension
EXT_NODE := $(EXT)/node_modules/.installed
EXT_VERSION = $(shell node -p "require('./$(EXT)/package.json').version")
E2E_TOOLS := $(EXT)/.tools
CODE_SERVER_VERSION := 4.100.3
CODE_SERVER := $(E2E_TOOLS)/node_modules/.bin/code-server
# code-server 4.100 builds its native modules against this Node's headers (no download), and
# takes ripgrep from @vscode/ripgrep's download cache, which we fill with Debian's rg.
RIPGREP_CACHE = $${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11
RIPGREP_ARCHIVE = ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CODE_SERVER_DEBS := libkrb5-dev pkg-config ripgrep build-essential

$(EXT_NODE): $(EXT)/package.json $(EXT)/package-lock.json
	cd $(EXT) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The server and its dependencies, as the extension ships them: hash-pinned, resolved for
# Python 3.10 (the oldest the server runs on), pure-Python wheels, .dist-info kept.
extension-libs: | $(BIN)/python
	rm -rf $(EXT)/bundled/libs build/lib
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --target $(EXT)/bundled/libs \
		--python-version 3.10 --implementation py --only-binary=:all: --require-hashes \
		-r $(EXT)/requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps \
		--target $(EXT)/bundled/libs .
	rm -rf $(EXT)/bundled/libs/bin
	find $(EXT)/bundled/libs -name __pycache__ -prune -exec rm -rf {} +

vsix: $(EXT_NODE) extension-libs
	cp LICENSE $(EXT)/LICENSE
	cd $(EXT) && npm run --silent package

extension-lint: $(EXT_NODE)
	cd $(EXT) && npm run --silent typecheck && npm run --silent lint

extension-unit: $(EXT_NODE)
	cd $(EXT) && npm run --silent test:unit

# The real VS Code of the end-to-end test: code-server from npm, in Debian's Chromium.
e2e-tools: $(CODE_SERVER)
	@$(MAKE) --no-print-directory DEBS=chromium debian-packages

$(CODE_SERVER):
	@$(MAKE) --no-print-directory DEBS="$(CODE_SERVER_DEBS)" debian-packages
	mkdir -p $(RIPGREP_CACHE) $(E2E_TOOLS)
	tar -C "$$(dirname "$$(command -v rg)")" -czf $(RIPGREP_CACHE)/$(RIPGREP_ARCHIVE) rg
	test -f $(E2E_TOOLS)/package.json || echo '{"private": true}' > $(E2E_TOOLS)/package.json
	@# code-server's postinstall refuses to run as root without unsafe-perm, and asks to confirm.
	cd $(E2E_TOOLS) && npm_config_nodedir="$$(dirname "$$(dirname "$$(command -v node)")")" \
		npm_config_unsafe_perm=true npm_config_yes=true npm install --no-save --no-audit --no-fund --loglevel=error code-server@$(CODE_SERVER_VERSION)

extension-e2e: vsix e2e-tools
	cd $(EXT) && MOCKLS_VSIX=mockls-$(EXT_VERSION).vsix MOCKLS_CODE_SERVER=.tools/node_modules/.bin/code-server \
		npm run --silent test:e2e

extension-test: extension-lint extension-unit extension-e2e

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_diagnostics.py
	$(BIN)/python benchmarks/engine.py
	$(BIN)/python benchmarks/bench_sandbox.py
	$(BIN)/python benchmarks/bench_verify.py
	$(BIN)/python benchmarks/bench_fix.py
	$(BIN)/python benchmarks/fuzz_protocol.py
	$(BIN)/python benchmarks/bench_big_inputs.py
	$(BIN)/python benchmarks/bench_celery.py
	$(BIN)/python benchmarks/bench_runtime_checks.py

# pytest --mockls against plain pytest on examples/shop and on celery's and botocore's unit
# tests (the pinned suites of `make realworld`, cached in ~/.cache/mockls/real-suites): the
# wall-time ratio, and the same outcome for every test. Tens of minutes: not in `make bench`.
bench-runtime: $(STAMP)
	$(BIN)/python benchmarks/bench_runtime_checks.py --suites shop celery botocore --repeat 1

# mockls check on celery, botocore and ansible-core (pinned sdists from PyPI, sha256-checked,
# each with a venv, cached in ~/.cache/mockls/real-suites) against the reviewed verdicts in
# benchmarks/realworld_verdicts.toml. Minutes, and a download the first time: not in `make test`.
realworld: $(STAMP)
	$(BIN)/python benchmarks/realworld.py

clean:
	rm -rf $(VENV) build *.egg-info server/*.egg-info .pytest_cache .mypy_cache .ruff_cache
	rm -rf $(EXT)/node_modules $(EXT)/dist $(EXT)/out $(EXT)/build $(EXT)/bundled/libs $(EXT)/*.vsix $(E2E_TOOLS)
