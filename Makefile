# lk3 — the two commands a fresh machine needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= demo
WORKERS ?= 3
PYTEST_WORKERS ?= 2
# What `make run` serves: a local install with DEBUG off, plain HTTP on loopback.
RUN_ENV := DEBUG=0 LK3_HTTPS=0 SECRET_KEY_FILE=var/secret_key LK3_KEYS_FILE=var/keys.json \
	ALLOWED_HOSTS=$(HOST),127.0.0.1,localhost

.PHONY: help run setup setup-test var migrate reference demo messages static serve \
	test lint format types migrations-check translations-check pytest pytest-sqlite \
	pytest-postgres requirements translations bench bench-seed bench-search clean

help:
	@echo "make run    set up, migrate, load the Bontang demo, serve on http://$(HOST):$(PORT)"
	@echo "make test   lint, types, migrations check, tests on SQLite and PostgreSQL, browser tests"

# -- make run -------------------------------------------------------------------

run: setup var messages migrate reference demo static
	@$(PY) manage.py demo_logins
	@echo "Serving lk3 on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	@# Background work (duplicate search, later reports and mail) runs in a task worker
	@# that stops with the server.
	@$(RUN_ENV) $(PY) manage.py db_worker --no-reload -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) .venv/bin/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers $(WORKERS) \
		--access-logfile - --forwarded-allow-ips 127.0.0.1

setup:
	@scripts/bootstrap run

var:
	@mkdir -p var
	@test -s var/secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(64))" > var/secret_key
	@test -s var/keys.json || $(PY) -c "from lk3.core.crypto import generate_keys_json; print(generate_keys_json())" > var/keys.json
	@chmod 600 var/secret_key var/keys.json

migrate:
	$(RUN_ENV) $(PY) manage.py migrate --no-input -v 0

reference:
	$(RUN_ENV) $(PY) manage.py load_reference

demo:
	$(RUN_ENV) $(PY) manage.py seed --scale demo

messages:
	@$(PY) manage.py compilemessages -v 0 --ignore=.venv

static:
	@$(RUN_ENV) $(PY) manage.py collectstatic --no-input -v 0

# -- make test --------------------------------------------------------------------

test: setup-test lint types migrations-check translations-check messages pytest

setup-test:
	@scripts/bootstrap test

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

types:
	.venv/bin/mypy .

migrations-check:
	$(PY) manage.py makemigrations --check --dry-run

translations-check:
	scripts/check-translations

pytest: pytest-sqlite pytest-postgres

pytest-sqlite:
	@echo "== pytest on SQLite"
	.venv/bin/pytest -n $(PYTEST_WORKERS) -q

pytest-postgres:
	@echo "== pytest on PostgreSQL"
	scripts/with-postgres .venv/bin/pytest -n $(PYTEST_WORKERS) -q

# -- maintenance -------------------------------------------------------------------

translations:
	scripts/translations

requirements:
	scripts/compile-requirements

bench-seed:
	bench/seed_bench $(SCALE)

bench-search:
	bench/search_bench $(SCALE)

.PHONY: bench-deps bench-dedup

# Splink and DuckDB, for bench/dedup_bench only (requirements/bench.txt is dev's plus them).
bench-deps:
	@.venv/bin/pip install --quiet --require-hashes -r requirements/bench.txt \
		2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)

bench-dedup: setup-test bench-deps
	bench/dedup_bench $(SCALE)

clean:
	rm -rf var/static .mypy_cache .ruff_cache

.PHONY: bench-casework

# The caseload list and the case page under concurrent load (gunicorn + locust), against a
# bare page on the same server; on SQLite and PostgreSQL.
bench-casework: setup-test bench-deps
	bench/casework_bench $(SCALE)

.PHONY: bench-repatriation

# The repatriation report, the stranded-intake list and page and the handover queue (in-process,
# Django's test client), on a data set with the stranded people seeded; SQLite and PostgreSQL.
# Nothing of requirements/bench.txt is needed: setup-test (PostgreSQL, psycopg) is enough.
bench-repatriation: setup-test
	bench/repatriation_bench $(SCALE)

.PHONY: bench-reports

# The official monthly and annual reports (sections, XLSX, PDF) and the dashboards and indicators
# (in-process, Django's test client), on bench-repatriation's data sets; SQLite and PostgreSQL.
bench-reports: setup-test
	bench/reports_bench $(SCALE)
