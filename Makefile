# PromptVault: `make run` starts the app with demo data, `make test` runs every check CI runs.
# Recipes are bash with -euo pipefail, one shell per recipe, so variables carry across lines.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.ONESHELL:
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
INSTALL_LOG := $(VENV)/install.log
CHROMIUM := /usr/bin/chromium
LOCAL_PG_URL := postgres://postgres@127.0.0.1:5432/promptvault
HOST := 127.0.0.1
PORT ?= 8000
BENCH_ARGS ?=
PYTEST_ARGS ?=

# Python 3.12 or newer, in this order: an explicit PYTHON=..., python3.13 and python3.12 on
# PATH, pyenv's installed versions (whose shims answer only when that version is selected),
# then python3. Each candidate has to run and have venv, not merely exist.
define FIND_PYTHON
usable() { "$$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; }
for candidate in $${PYTHON:-} python3.13 python3.12 \
    $$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python $$HOME/.pyenv/versions/3.12*/bin/python 2>/dev/null | sort -rV) \
    python3; do
  if command -v "$$candidate" >/dev/null 2>&1 && usable "$$candidate"; then
    command -v "$$candidate"
    exit 0
  fi
done
exit 1
endef
export FIND_PYTHON

.PHONY: help install python run test lint format bench clean

help:
	@echo "make run     install, migrate SQLite, seed the demo accounts, start the worker and the server"
	echo "make test    lint, migration and deploy checks, pytest on PostgreSQL and SQLite, browser tests"
	echo "make lint    ruff check and ruff format --check"
	echo "make format  ruff format and ruff check --fix"
	echo "make bench   bench/run.py (pass options with BENCH_ARGS=...)"
	echo "make clean   remove .venv, db.sqlite3, media and staticfiles"

python:
	@bash -c "$$FIND_PYTHON" || { echo "No Python 3.12 or newer (with the venv module) found." >&2; exit 1; }

define MAKE_VENV
python="$$(bash -c "$$FIND_PYTHON")" || {
  echo "PromptVault needs Python 3.12 or newer, and none was found." >&2
  echo "Looked for python3.13, python3.12, ~/.pyenv/versions/3.1[23]* and python3." >&2
  echo "Install Python 3.12+ with its venv module (Debian: apt-get install python3 python3-venv" >&2
  echo "on a release that ships 3.12+, or 'pyenv install 3.13'), or run make PYTHON=/path/to/python3.12." >&2
  exit 1
}
echo "Creating $(VENV) with $$python ($$("$$python" --version))"
rm -rf $(VENV)
"$$python" -m venv $(VENV)
endef
export MAKE_VENV

$(PY):
	@bash -euo pipefail -c "$$MAKE_VENV"

# A venv made by an older interpreter is rebuilt rather than trusted. pip's output (warnings
# included, which --quiet still prints) goes to a log that is shown only if the install fails.
$(STAMP): pyproject.toml | $(PY)
	@if ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then
	  echo "$(VENV) was made with $$($(PY) --version); rebuilding it with Python 3.12+." >&2
	  bash -euo pipefail -c "$$MAKE_VENV"
	fi
	echo "Installing PromptVault and its dependencies into $(VENV)..."
	if ! { $(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip \
	       && $(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"; } \
	     >$(INSTALL_LOG) 2>&1; then
	  cat $(INSTALL_LOG) >&2
	  echo "Installing the dependencies failed (output above, also kept in $(INSTALL_LOG))." >&2
	  exit 1
	fi
	touch $(STAMP)

install: $(STAMP)

# Migrations run silently (errors still show), so the demo logins and the address are the last
# lines before the server's own.
run: install
	@echo "Preparing the database and the demo accounts..."
	$(PY) manage.py migrate --noinput --verbosity 0
	$(PY) manage.py seed_demo
	echo
	echo "PromptVault is starting on http://$(HOST):$(PORT)/ — log in with either demo account above."
	echo "Press Ctrl-C to stop the server and the task worker."
	echo
	$(PY) manage.py db_worker &
	worker=$$!
	trap 'kill $$worker 2>/dev/null || true; wait $$worker 2>/dev/null || true' EXIT INT TERM
	$(PY) manage.py runserver $(HOST):$(PORT)

# Runs a pytest pass; exit code 5 (nothing collected) is a failure, never a quiet success.
define RUN_PYTEST
run_pytest() {
  local label="$$1"; shift
  echo "==> pytest ($$label)"
  set +e
  $(PY) -m pytest "$$@" $(PYTEST_ARGS)
  local status=$$?
  set -e
  if [ $$status -eq 5 ]; then
    echo "pytest ($$label) collected no tests: that is a failure, not a pass." >&2
    exit 1
  elif [ $$status -ne 0 ]; then
    echo "pytest ($$label) failed (exit $$status)." >&2
    exit $$status
  fi
}
endef
export RUN_PYTEST

test: install
	@if [ -n "$${DATABASE_URL:-}" ]; then
	  pg_url="$$DATABASE_URL"
	elif (command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432) \
	    || $(PY) -c 'import socket; socket.create_connection(("127.0.0.1", 5432), timeout=2).close()' 2>/dev/null; then
	  pg_url="$(LOCAL_PG_URL)"
	else
	  echo "make test needs PostgreSQL and nothing answers on 127.0.0.1:5432." >&2
	  echo "Start one (Debian: pg_ctlcluster --skip-systemctl-redirect \$$(ls /etc/postgresql) main start," >&2
	  echo "or: docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16)," >&2
	  echo "or point DATABASE_URL at one: DATABASE_URL=postgres://user:pass@host:5432/promptvault make test" >&2
	  exit 1
	fi
	if [ ! -x "$(CHROMIUM)" ]; then
	  echo "make test runs browser tests, which need Chromium at $(CHROMIUM)." >&2
	  echo "Install it with: apt-get install chromium   (or run: bash .ci/run, which installs it)" >&2
	  exit 1
	fi
	eval "$$RUN_PYTEST"
	echo "==> ruff"
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	echo "==> migrations match the models"
	DATABASE_URL="sqlite://:memory:" $(PY) manage.py makemigrations --check --dry-run
	echo "==> deployment checks with production settings"
	DJANGO_ENV=production \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))')" \
	  ALLOWED_HOSTS=promptvault.example.com \
	  DATABASE_URL="$$pg_url" \
	  $(PY) manage.py check --deploy --fail-level WARNING
	DATABASE_URL="$$pg_url" run_pytest "PostgreSQL" -m "not browser"
	# Named explicitly rather than unset, so a DATABASE_URL in .env cannot turn this into PostgreSQL.
	DATABASE_URL="sqlite:///$(CURDIR)/db.sqlite3" run_pytest "SQLite" -m "not browser"
	DATABASE_URL="$$pg_url" run_pytest "browser, PostgreSQL" -m browser

lint: install
	@$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	@$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: install
	@$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-shm db.sqlite3-wal media staticfiles .test-media \
	  .pytest_cache .ruff_cache
