# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE ?= config.settings.dev

.PHONY: setup run test lint bench ci clean

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Unitbase needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: setup
	@mkdir -p var
	$(BIN)/unitbase migrate --noinput
	$(BIN)/unitbase demo
	$(BIN)/unitbase serve

test: setup
	$(BIN)/pytest --ds=config.settings.test

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

bench: setup
	@set -e; for b in benchmarks/*.py; do echo "== $$b"; $(BIN)/python $$b; done

# What CI runs: lint, the whole suite on SQLite and on PostgreSQL (browser and ../shared
# conformance tests required), and the deploy check under production settings.
ci: setup
	./.ci/run

clean:
	rm -rf $(VENV) var/static .pytest_cache
