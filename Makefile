# Police and crime decisions. `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SASS_SOURCES := $(wildcard assets/scss/*.scss)
CSS := var/static-build/app.css

.PHONY: help setup run worker test check check-deploy lint imports format types migrations-check demo clean bench bench-load

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements.lock
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed (python3.11 or python3 on PATH)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "Python 3.11 is needed; found " + sys.version.split()[0])'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(CSS): $(SASS_SOURCES) node_modules/.installed
	mkdir -p $(dir $@)
	npx sass --quiet --no-source-map --style=compressed \
		--load-path=node_modules/govuk-frontend/dist assets/scss/app.scss $@

setup: $(BIN)/.installed node_modules/.installed $(CSS) ## Install Python and front-end dependencies, build CSS

demo: setup ## Migrate and load the PCD 279 demo and the demo users
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input -v0
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@# The demo's PDFs are made here once, so /decisions/pcd-279.pdf is there from the start;
	@# a second run finds them made for the same content and renders nothing.
	DJANGO_DEBUG=1 $(BIN)/python manage.py render_documents --decision "PCD 279" --sync

run: demo ## Serve on http://127.0.0.1:$(PORT)/ with a Celery worker (Ctrl-C stops both)
	@echo "Serving on http://127.0.0.1:$(PORT)/ — Ctrl-C stops the server and the worker."
	DJANGO_DEBUG=1 SITE_URL=http://127.0.0.1:$(PORT) PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile.dev --port $(PORT)

test: setup ## Run the test suite (PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set)
	DJANGO_SECRET_KEY=test-only-secret DJANGO_STATIC_MANIFEST=0 $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup ## ruff: lint and formatting
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

imports: setup ## import-linter: the apps and their layers depend downwards only (docs/architecture.md)
	$(BIN)/lint-imports --no-cache

format: setup ## Reformat the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

types: setup ## mypy (strict on the services, the rules and the document pipeline)
	DJANGO_DEBUG=1 $(BIN)/mypy config audit decisions finance documents staff register demo ops accounts

migrations-check: setup ## Fail if a model change has no migration
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

# The production settings refuse to load without what production needs; these stand-ins satisfy
# them (nothing is connected to: `check --deploy` reads settings only).
CHECK_DEPLOY_ENV := DJANGO_SETTINGS_MODULE=config.production \
	DJANGO_SECRET_KEY="$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	DATABASE_URL=postgres://pcd@db.invalid:5432/pcd REDIS_URL=redis://redis.invalid:6379/0 \
	DJANGO_ALLOWED_HOSTS=decisions.example.org EMAIL_HOST=smtp.example.org DJANGO_DEBUG=0 \
	PCD_SIGNING_KEY_FILE=/etc/pcd/signing-key.pem

check-deploy: setup ## Django's deployment checks on the production settings; any warning fails
	$(CHECK_DEPLOY_ENV) $(BIN)/python manage.py check --deploy --fail-level WARNING

check: lint imports types migrations-check check-deploy test ## Everything CI checks: lint, imports, types, migrations, tests

bench: $(BIN)/.installed ## PDF benchmark, then the register's (100,000 decisions; needs PostgreSQL: DATABASE_URL)
	DJANGO_SECRET_KEY=bench-only-secret $(BIN)/python bench/pdf_bench.py
	DJANGO_SECRET_KEY=bench-only-secret $(BIN)/python bench/register_bench.py

bench-load: setup ## Load and faults: a small cluster (deploy/) on PostgreSQL and Redis, then make run's stack
	$(BIN)/python bench/load_bench.py

clean: ## Remove the virtual environment, node modules and local data (var/)
	rm -rf $(VENV) node_modules var
