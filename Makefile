# toasoan: `make run` sets up and serves the demo, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-sqlite test-postgresql lint bench install clean messages audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# The worker (scheduled publishing) runs beside the web server and stops with it.
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo --port $(PORT)
	$(BIN)/python manage.py worker & WORKER=$$!; \
	trap 'kill $$WORKER 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# SQLite always; PostgreSQL as well when DATABASE_URL points at one (CI gives it).
test: $(STAMP)
	env -u DATABASE_URL $(BIN)/python manage.py check
	env -u DATABASE_URL $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check toasoan bench conftest.py
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL =="; \
		$(BIN)/pytest $(PYTEST_ARGS); \
	else \
		echo "DATABASE_URL is not set: the PostgreSQL pass is skipped (CI sets it)."; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check toasoan bench conftest.py
	$(BIN)/ruff format --check toasoan bench conftest.py

# Long (minutes each): results go to bench/RESULTS.md with --write.
bench: $(STAMP)
	$(BIN)/python bench/large_section.py --write
	$(BIN)/python bench/search.py --write
	$(BIN)/python bench/views.py --write
	$(BIN)/python bench/imports.py --write

# Known vulnerabilities in the installed dependencies (PyPI's advisory data).
# --strict fails when a package could not be checked: a mirror without PyPI's
# JSON API cannot vouch for anything, and silence must not read as "safe".
audit: $(STAMP)
	$(BIN)/python -m pip install --quiet "pip-audit>=2.7"
	$(BIN)/pip-audit --strict --progress-spinner off --skip-editable

# Our Vietnamese for admin strings Wagtail leaves untranslated (needs gettext's
# msgfmt; the compiled .mo files are committed so that nobody else needs it).
messages:
	for po in toasoan/locale/vi/LC_MESSAGES/*.po; do msgfmt -o $${po%.po}.mo $$po; done

clean:
	rm -rf $(VENV) var
