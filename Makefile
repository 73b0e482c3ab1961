# The two commands a newcomer needs (README): `make up` runs the platform, `make test` tests it.
# Both install what they need on a fresh machine (Python 3.11 + network access to PyPI).

SHELL := /bin/bash
PYTHON ?= python3
UV := $(shell command -v uv 2>/dev/null || echo $(HOME)/.local/bin/uv)
export UV_LINK_MODE ?= copy
SERVICES := auth loyalty notifications referrals reports

.PHONY: help install web up migrate test lint demo clean

help:
	@echo "make up     run the whole platform locally (https://localhost:8443)"
	@echo "make test   install everything and run every test"
	@echo "make demo   load demo data into the running platform"

$(UV):
	@command -v uv >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --user uv || $(PYTHON) -m pip install --quiet uv

install: | $(UV)
	@$(UV) sync --frozen --all-packages --quiet

# The web apps: the admin UI (Angular 22, Node 22 from the node@22 devDependency) and the
# customer portal (static files built by the Tailwind CLI). The gateway serves their dist/.
NPM_CI := npm ci --no-audit --no-fund --loglevel=error
web:
	@cd customer-portal && $(NPM_CI) && npm run --silent build
	@cd admin-ui && $(NPM_CI) && npm run --silent build

migrate: install
	@for svc in $(SERVICES); do $(UV) run --no-sync python -m mubayiro.$$svc migrate || exit 1; done

up: install web migrate
	@$(UV) run --no-sync python scripts/print_urls.py
	@$(UV) run --no-sync honcho start -f Procfile

lint: install
	@$(UV) run --no-sync ruff check .

test: install web lint
	@cd customer-portal && npm test --silent && npm run --silent weight
	@cd admin-ui && npm test --silent && npm run --silent size
	@$(UV) run --no-sync pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

demo: install
	@$(UV) run --no-sync python scripts/demo_data.py

clean:
	rm -rf data .pytest_cache .ruff_cache
