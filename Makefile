# The README's commands. `make run` serves the demo on SQLite; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV := DJANGO_DEBUG=true
# axe-core, for the browser tests' accessibility check: installed when npm is there (else they skip).
NPM := $(shell command -v npm 2>/dev/null)
AXE := node_modules/axe-core/axe.min.js

# The suite across the machine's cores (pytest-xdist: one database per process). Tests are dealt out in
# pytest-django's order, so that each process runs the tests that commit (the browser's among them) last.
PARALLEL ?= --numprocesses=auto --dist=load
# The slowest tests' set-up and call times at the end of each run: where the suite's time goes as it grows.
DURATIONS ?= --durations=25
.PHONY: run test lint check bench bench-schedule clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

run: $(BIN)/.installed
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) $(BIN)/python manage.py local_admin
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(BIN)/.installed $(if $(NPM),$(AXE))
	$(BIN)/pytest $(PARALLEL) $(DURATIONS)

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: $(BIN)/.installed
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(DEV) $(BIN)/python manage.py check

# The app under gunicorn on PostgreSQL at scale (SCALE=full, or small: a tenth); see docs/benchmarks.md.
SCALE ?= full
bench: $(BIN)/.installed
	$(BIN)/python -m bench.run --scale $(SCALE)

# "Schedule all" on 2,000 requests at 60 tables × 16 slots, against an upper bound and a first-fit baseline.
bench-schedule: $(BIN)/.installed
	$(BIN)/python -m bench.schedule

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles node_modules artifacts
