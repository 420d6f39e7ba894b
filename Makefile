# Two commands matter: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
# Settings read PORT too: SITE_URL (the links in mail) and the Site records follow it.
export PORT

.PHONY: run test install lint fmt migrate seed messages browser node clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

migrate: $(STAMP)
	DJANGO_SETTINGS_MODULE=network.settings.dev $(BIN)/python manage.py migrate --noinput

seed: migrate
	DJANGO_SETTINGS_MODULE=network.settings.dev $(BIN)/python manage.py seed_demo

# Daphne and the task worker side by side (Procfile); Ctrl-C stops both. honcho hands each
# process a PORT of its own, so SITE_URL is fixed here, from the port Daphne serves.
run: seed
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Wagtail admin: /admin/), with the task worker"
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" DJANGO_SETTINGS_MODULE=network.settings.dev \
	  PATH="$(abspath $(BIN)):$$PATH" $(BIN)/honcho start -f Procfile -p $(PORT)

# Debian's Chromium for the browser tests (never a downloaded one). Installed with apt as root;
# where that is impossible the browser tests skip with the reason (BROWSER_TESTS=required, as
# in .ci/run, makes that an error instead).
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  fi; \
	  test -x $(CHROMIUM) || echo "Chromium is not installed and cannot be installed here: browser tests will skip."; }

# axe-core for the accessibility checks, from package-lock.json (node_modules is not committed).
node: node_modules/.package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; } || true
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --loglevel=error; \
	else echo "npm is not installed: the accessibility checks will skip."; fi

test: $(STAMP) browser node
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l de -l fr -l ar --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var node_modules
