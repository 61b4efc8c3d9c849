# Keino: the two commands a new user needs are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint pytest lock translations messages clean-venv help

help:
	@echo "make demo   - install, migrate, create demo data and serve on http://$(HOST):$(PORT) with the worker"
	@echo "make test   - lint (ruff) and run the whole test suite"

# The virtual environment is rebuilt only when a lock file changes.
$(BIN)/.installed-base: requirements/base.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/base.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed-base requirements/dev.lock
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.lock
	touch $@

translations: $(BIN)/.installed-base
	$(BIN)/keino compile_translations

demo: $(BIN)/.installed-base translations
	$(BIN)/keino migrate --no-input
	KEINO_BASE_URL=$${KEINO_BASE_URL:-http://$(HOST):$(PORT)} $(BIN)/keino demo_data
	$(BIN)/keino demo_invoices
	$(BIN)/keino demo_notices
	$(BIN)/keino serve --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

pytest: $(BIN)/.installed-dev translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test: lint pytest

# Import speed and memory on a generated million-row file, against a plain pandas implementation.
.PHONY: bench-import
bench-import: $(BIN)/.installed-dev
	$(BIN)/python bench/import_bench.py $(BENCH_ARGS)

# Dashboard query speed on ten million generated lines, against pandas, on two processor cores.
.PHONY: bench-dashboard
bench-dashboard: $(BIN)/.installed-dev
	$(if $(shell command -v taskset),taskset -c 0-1) $(BIN)/python bench/dashboard_bench.py $(BENCH_ARGS)

# Maintainers: refresh the vendored front-end libraries from npm (needs npm and network access).
.PHONY: vendor
vendor:
	scripts/vendor-assets

# Maintainers: refresh the lock files after changing pyproject.toml (needs network access to PyPI).
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes -o requirements/dev.lock

# Maintainers: extract translatable strings into the .po files (needs GNU gettext).
messages: $(BIN)/.installed-base
	cd src/keino && ../../$(BIN)/keino makemessages --locale fi --locale sv --locale en --no-obsolete

clean-venv:
	rm -rf $(VENV)
