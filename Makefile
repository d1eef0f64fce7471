# campusplan — developer entry points. See docs/development/setup.md.
#
#   make run    set up, migrate the SQLite database, load the demo (when the CLI has it), serve
#               with Django's development server, DEBUG off (the app's own error pages), and the
#               background-task worker (manage.py db_worker) beside it
#   make serve  the production stack: migrate, collect static files, gunicorn and the worker
#               (docs/deployment.md)
#   make test   set up, install the browser, lint, run the tests on SQLite and on PostgreSQL
#
# Every setup step leaves a stamp (inside what it built) or a real file behind, so a second run
# only redoes what changed: the venv when pyproject.toml changes, node_modules when the lockfile
# changes, the vendored assets when node_modules changes, a .mo file when its .po file changes.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
VENV_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
VENDOR := src/campusplan/web/static/vendor
LOCALE := src/campusplan/locale
ADDR ?= 127.0.0.1:8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/campusplan
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# front-end assets copied out of node_modules (one rule each, below)
VENDOR_FILES := \
	$(VENDOR)/htmx.min.js \
	$(VENDOR)/echarts.min.js \
	$(VENDOR)/pico.min.css
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(LOCALE)/*/LC_MESSAGES/django.po))
LINT_PATHS := src tests $(wildcard benchmarks)

.PHONY: help setup run serve test lint check test-sqlite test-postgres browser-deps postgres messages clean \
	docs bench bench-web bench-national bench-small screenshots

help:
	@echo "make run   - set up and serve http://$(ADDR)/ (development server, DEBUG off)"
	@echo "make serve - the production stack on SQLite or DATABASE_URL (gunicorn + whitenoise)"
	@echo "make test  - set up, lint, test on SQLite and PostgreSQL (installs chromium if missing)"
	@echo "make docs  - regenerate docs/catalog-reference.md, docs/school-input.schema.json, docs/cli.md"
	@echo "make bench - run the benchmarks in benchmarks/ (not part of make test)"

setup: $(VENV_STAMP) $(VENDOR_FILES) $(MO_FILES)

# DEBUG stays off unless asked for (CAMPUSPLAN_DEBUG=1 make run shows Django's debug pages);
# the secret key is made once per checkout in var/secret-key when none is given.
SECRET_KEY_FILE := var/secret-key
# The demo shows both shipped standards (the 优质均衡 readiness view beside the Beijing one); a
# deployment chooses its own with CAMPUSPLAN_STANDARDS (default: beijing).
RUN_ENV = CAMPUSPLAN_DEBUG=$${CAMPUSPLAN_DEBUG:-0} CAMPUSPLAN_HTTPS=$${CAMPUSPLAN_HTTPS:-0} \
	CAMPUSPLAN_STANDARDS=$${CAMPUSPLAN_STANDARDS:-beijing,youzhi} \
	CAMPUSPLAN_SECRET_KEY=$${CAMPUSPLAN_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}

$(SECRET_KEY_FILE):
	mkdir -p $(@D)
	umask 077; $(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))' > $@

run: setup $(SECRET_KEY_FILE)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	if $(BIN)/campusplan demo --help >/dev/null 2>&1; then $(BIN)/campusplan demo; fi
	$(RUN_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	# the background worker (imports, workbooks, re-assessments) runs beside the server
	$(RUN_ENV) $(PY) manage.py db_worker --no-startup-delay & worker=$$!; trap 'kill $$worker' EXIT; \
	$(RUN_ENV) $(PY) manage.py runserver $(ADDR)

# The production stack (docs/deployment.md): `campusplan serve` migrates, collects the static
# files when they changed and runs gunicorn; the task worker runs beside it. HTTPS stays on
# unless CAMPUSPLAN_HTTPS=0.
SERVE_ENV = CAMPUSPLAN_DEBUG=0 CAMPUSPLAN_SECRET_KEY=$${CAMPUSPLAN_SECRET_KEY:-$$(cat $(SECRET_KEY_FILE))}
serve: setup $(SECRET_KEY_FILE)
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py db_worker --no-startup-delay & worker=$$!; trap 'kill $$worker' EXIT; \
	$(SERVE_ENV) $(BIN)/campusplan serve --bind $(ADDR)

# The two databases' suites run side by side, one core each (the machine has two): the whole
# check takes the longer of the two instead of their sum. Each suite's output is held back and
# printed whole when it ends, so the two never interleave.
test: setup browser-deps lint check postgres
	$(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgres

lint: $(VENV_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/lint-imports

check: setup
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

test-sqlite: setup
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: setup postgres
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

# --- setup steps ---------------------------------------------------------------------------

$(VENV_STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

$(VENDOR)/htmx.min.js: $(NPM_STAMP)
	install -D -m 644 node_modules/htmx.org/dist/htmx.min.js $@
$(VENDOR)/echarts.min.js: $(NPM_STAMP)
	install -D -m 644 node_modules/echarts/dist/echarts.min.js $@
$(VENDOR)/pico.min.css: $(NPM_STAMP)
	install -D -m 644 node_modules/@picocss/pico/css/pico.min.css $@

%.mo: %.po
	msgfmt --check --output-file=$@ $<

# Docs generated from the catalog YAML and from the CLI itself (tests fail when they are stale).
docs: $(VENV_STAMP)
	$(BIN)/campusplan catalog docs > docs/catalog-reference.md
	$(BIN)/campusplan catalog docs --standard youzhi > docs/catalog-reference-youzhi.md
	$(BIN)/campusplan catalog input-schema > docs/school-input.schema.json
	$(BIN)/campusplan cli-docs > docs/cli.md

# Refresh the screenshots in docs/img from the browser tests.
screenshots: setup browser-deps
	CAMPUSPLAN_SCREENSHOTS=docs/img $(BIN)/pytest -m browser -q

bench: $(VENV_STAMP)
	$(PY) benchmarks/engine_bench.py

# The national benchmark (docs/scale.md): 210,000 schools bulk-loaded into PostgreSQL beside the
# demo city, two stored runs, page latencies. Long, and it loads the machine: not in CI.
# SCHOOLS=20000 make bench-national for a quicker try.
SCHOOLS ?= 210000
bench-national: setup postgres
	PYTHONPATH=src $(PY) benchmarks/national.py --schools $(SCHOOLS)

# Where the reference evaluator stops being faster than the vectorized engine (SMALL_RUN)
bench-small: $(VENV_STAMP)
	PYTHONPATH=src $(PY) benchmarks/small_bench.py

# p95 of the main pages at 20 concurrent users (gunicorn + wrk over loopback, demo data)
bench-web: setup
	command -v wrk >/dev/null || $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) benchmarks/web_load.py

# Re-extract the UI strings into the English catalog (msgids are Chinese), then translate.
messages: $(VENV_STAMP)
	cd src/campusplan && ../../$(BIN)/django-admin makemessages --settings=campusplan.settings \
	  -l en --no-obsolete --no-location --ignore 'static/*'

# Debian packages the tests need: Chromium drives the browser tests (never a downloaded
# browser build), the CJK font renders Chinese in screenshots and PDFs, LibreOffice and poppler
# turn the Word/Excel reports into PDFs the tests read, postgresql-client gives `campusplan
# backup/restore` pg_dump and pg_restore.
DEBIAN_PACKAGES := chromium fonts-noto-cjk libreoffice-writer-nogui libreoffice-calc-nogui \
	poppler-utils postgresql-client

browser-deps:
	missing=""; \
	for pkg in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  $(SUDO) apt-get update -q; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

# The machine normally starts PostgreSQL itself; start the local cluster if it is down.
postgres:
	if ! pg_isready -q -h 127.0.0.1 -p 5432; then \
	  $(SUDO) pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
	fi

clean:
	rm -rf $(VENV) node_modules $(VENDOR) $(MO_FILES)

# docs/img/survey.png: the survey workbook rendered by LibreOffice, then cropped by pdftoppm
# (both installed here when missing; not part of `make test`).
.PHONY: survey-png
survey-png: $(VENV_STAMP)
	if ! command -v libreoffice >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  $(SUDO) apt-get update -q; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
	    libreoffice-calc-nogui poppler-utils fonts-noto-cjk; \
	fi
	$(PY) tools/survey_screenshot.py docs/img/survey.png
