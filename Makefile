# toasoan: `make run` sets up and serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run prod test lint bench install clean messages audit lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Exactly the versions in requirements.lock, each checked against its hash; then
# toasoan itself. `make lock` renews the lock after pyproject.toml changes.
$(STAMP): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# The worker (scheduled publishing) runs beside the web server and stops with it.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --port $(PORT)
	$(BIN)/python manage.py worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production stack on this machine (docs/operations.md): nginx, app servers and
# the worker, configured by the environment (DATABASE_URL, REDIS_URL, SECRET_KEY...).
prod: $(STAMP)
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-toasoan.settings.production} \
		$(BIN)/python -m toasoan serve-production $(PROD_ARGS)

# SQLite always; PostgreSQL as well when DATABASE_URL points at one (CI gives it).
# The two passes run side by side (two cores; much of the suite waits on
# browsers, servers and ffmpeg), each with its own files (settings/test.py) and
# Redis database, and their logs are shown when both are done.
test: $(STAMP)
	env -u DATABASE_URL $(BIN)/python manage.py check
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check toasoan bench conftest.py
	@if [ -z "$$DATABASE_URL" ]; then \
		$(BIN)/pytest $(PYTEST_ARGS) || exit 1; \
		echo "DATABASE_URL is not set: the PostgreSQL pass is skipped (CI sets it)."; \
		exit 0; \
	fi; \
	mkdir -p var; \
	redis_pg=$$(echo "$${REDIS_TEST_URL:-redis://127.0.0.1:6379/15}" | sed 's#/[0-9]*$$#/14#'); \
	echo "== pytest on SQLite and on PostgreSQL ($$DATABASE_URL), side by side"; \
	env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) \
		>var/test-sqlite.log 2>&1 & sqlite=$$!; \
	REDIS_TEST_URL=$$redis_pg $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) \
		>var/test-postgresql.log 2>&1 & postgresql=$$!; \
	wait $$sqlite; sqlite_status=$$?; wait $$postgresql; postgresql_status=$$?; \
	echo "== SQLite"; cat var/test-sqlite.log; \
	echo "== PostgreSQL: $$DATABASE_URL"; cat var/test-postgresql.log; \
	[ $$sqlite_status -eq 0 ] && [ $$postgresql_status -eq 0 ]

lint: $(STAMP)
	$(BIN)/ruff check toasoan bench conftest.py
	$(BIN)/ruff format --check toasoan bench conftest.py

# Long (minutes each): results go to bench/RESULTS.md with --write.
bench: $(STAMP)
	$(BIN)/python bench/large_section.py --write
	$(BIN)/python bench/search.py --write
	$(BIN)/python bench/views.py --write
	$(BIN)/python bench/imports.py --write
	$(BIN)/python bench/pages.py --publish-load --write
	$(BIN)/python bench/lighthouse.py --write

# The pinned versions, with hashes, of everything toasoan and its tests need.
lock: | $(BIN)/python
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4"
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --extra test \
		--no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# Known vulnerabilities in the locked dependencies (PyPI's advisory data, as
# pip-audit reads it). --strict fails when a package could not be checked: a
# mirror without PyPI's JSON API cannot vouch for anything, and silence must not
# read as "safe". .ci/run calls this when the advisory source is reachable, and
# says loudly that nothing was checked when it is not.
audit: $(STAMP)
	$(BIN)/python -m pip install --quiet "pip-audit>=2.7"
	$(BIN)/pip-audit --strict --progress-spinner off --require-hashes -r requirements.lock

# Our Vietnamese for admin strings Wagtail leaves untranslated, and each other
# edition's interface (locale/en/: msgids are the Vietnamese originals). Needs
# gettext's msgfmt; the compiled .mo files are committed so that nobody else does.
messages:
	for po in toasoan/locale/*/LC_MESSAGES/*.po; do msgfmt -o $${po%.po}.mo $$po; done

clean:
	rm -rf $(VENV) var
