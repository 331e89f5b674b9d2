# Newsroom: `make run` serves the seed newsroom, `make test` runs the whole suite.
# Both start from a fresh clone: they create .venv and install what they need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# Local development runs with DEBUG on unless the caller says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-1}
# Production serves content-hashed static files, cached for a year.
SERVE_ENV := STATIC_MANIFEST=$${STATIC_MANIFEST:-1}

.PHONY: install run serve test lint format editor bench loadtest faults clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: $(BIN)/.installed

run: install
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py createcachetable
	$(RUN_ENV) $(BIN)/python manage.py load_seed
	$(RUN_ENV) $(BIN)/python manage.py relink --no-progress
	@echo
	@echo "Newsroom is at http://$(HOST):$(PORT)/ (admin at /admin/)."
	@echo "Create an editor's login with: $(BIN)/python manage.py createsuperuser"
	@echo
	$(RUN_ENV) $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production: gunicorn, DEBUG off, settings from the environment (README.md,
# "Serving in production"). Without SECRET_KEY the settings refuse to start.
# Static files first: with the manifest on, nothing starts before it exists.
serve: install
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput
	$(SERVE_ENV) $(BIN)/python manage.py check --deploy
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/python manage.py createcachetable
	$(SERVE_ENV) HOST=$(HOST) PORT=$(PORT) $(BIN)/gunicorn -c newsroom/gunicorn.py newsroom.wsgi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The npm packages: axe-core and Lighthouse for the accessibility and reader-site checks,
# and the body editor's ProseMirror and esbuild, for checking and rebuilding its built
# files. Without npm those tests skip (and fail under CI=true).
NODE_MODULES := node_modules/.package-lock.json
$(NODE_MODULES): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund && touch $@; \
	else echo "npm not found: the accessibility, Lighthouse and editor tests will skip (fail under CI=true)"; fi

test: lint $(NODE_MODULES)
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

# The body editor's built files (static/desk/editor/), after a change to its sources in
# static/desk/editor/src/ or to its npm packages; they are committed, so running the site
# needs no build.
editor: $(NODE_MODULES)
	npm run build:editor

# Benchmarks (bench/README.md): figures for README, not pass/fail tests.
bench: install
	$(BIN)/python bench/run.py

# Gunicorn on a generated PostgreSQL newsroom, with and without Redis, under a
# fixed load (bench/loadtest.py); fails on any error response.
loadtest: install
	$(BIN)/python bench/loadtest.py

# Redis and PostgreSQL stopped under a running site, on throwaway instances
# (bench/faults.py); the shared servers on 5432 and 6379 are never touched.
faults: install
	$(BIN)/python bench/faults.py

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3 db.sqlite3-wal db.sqlite3-shm
