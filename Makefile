# The two commands a newcomer needs (README): `make up` runs the platform, `make test` tests it.
# Both install what they need on a fresh machine (Python 3.11, Node 20 and the package
# registries; an empty HOME and a minimal PATH are enough): uv goes into .tools/ (a venv of
# its own, since Debian's Python refuses `pip install --user`), everything else into .venv/
# and the web apps' node_modules/. Nothing started later relies on uv being on PATH.

SHELL := /bin/bash
PYTHON ?= python3
TOOLS := $(CURDIR)/.tools
UV := $(TOOLS)/bin/uv
VENV := $(CURDIR)/.venv/bin
export UV_LINK_MODE ?= copy
# Use the machine's Python 3.11; never download an interpreter. Trust the machine's certificate
# store (as pip, npm and curl do), so a registry behind a company's TLS proxy works too.
export UV_PYTHON_DOWNLOADS ?= never
export UV_SYSTEM_CERTS ?= 1
SERVICES := auth loyalty notifications referrals reports
# A service refuses to start without an explicit environment (so a deployment cannot
# forget it and get development's conveniences); here, on a developer's machine, it is
# development unless the caller says otherwise.
export AUTH_ENVIRONMENT ?= development
export LOYALTY_ENVIRONMENT ?= development
export NOTIFICATIONS_ENVIRONMENT ?= development
export REFERRALS_ENVIRONMENT ?= development
export REPORTS_ENVIRONMENT ?= development
export MCP_ENVIRONMENT ?= development
export CHATBOT_ENVIRONMENT ?= development

.PHONY: help install web up migrate test lint demo clean fresh-check bench fuzz

help:
	@echo "make up     run the whole platform locally (https://localhost:8443)"
	@echo "make test   install everything and run every test"
	@echo "make demo   load demo data into the running platform"
	@echo "make bench  performance figures beside their ceilings (BENCH_ARGS=--quick)"
	@echo "make fuzz   schemathesis against every service through the gateway, at length"

$(UV):
	@$(PYTHON) -m venv $(TOOLS) && $(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv

# Bytecode is compiled here, once, as the production image does: a process that finds
# none compiles every module it imports at start-up, which costs seconds and leaves some
# 6 MB more resident in each service (and PYTHONDONTWRITEBYTECODE, set on some machines,
# would make every start pay again). compileall skips files already up to date.
install: | $(UV)
	@UV_COMPILE_BYTECODE=1 $(UV) sync --frozen --all-packages --quiet
	@$(VENV)/python -m compileall -q -j 0 libs/*/src services/*/src gateway/src

# The web apps: the admin UI (Angular 22, Node 22 from the node@22 devDependency) and the
# customer portal (static files built by the Tailwind CLI). The web app behind Traefik
# serves their dist/ folders.
NPM_CI := npm ci --no-audit --no-fund --loglevel=error
web:
	@cd customer-portal && $(NPM_CI) && npm run --silent build
	@cd admin-ui && $(NPM_CI) && npm run --silent build

migrate: install
	@for svc in $(SERVICES); do $(VENV)/python -m mubayiro.$$svc migrate || exit 1; done

# Every service, the web app and Traefik (Procfile), in the foreground; Ctrl-C stops them all.
up: install web migrate
	@$(VENV)/python scripts/print_urls.py
	@$(VENV)/honcho start -f Procfile

lint: install
	@$(VENV)/ruff check .

test: install web lint
	@cd customer-portal && npm test --silent && npm run --silent weight
	@cd admin-ui && npm test --silent && npm run --silent size
	@$(VENV)/pytest -q -n 2 --dist loadgroup $(PYTEST_ARGS)

# `make up` from a clean clone of this checkout, with an empty HOME and a minimal PATH:
# waits for https://localhost:8443/readyz and checks that Traefik is what listens (CI runs it).
fresh-check:
	@scripts/fresh_machine_check.sh

# Performance figures, each beside its ceiling (bench/run.py; needs wrk: apt-get install wrk).
# `make bench BENCH_ARGS=--quick` takes under two minutes.
bench: install
	@$(VENV)/python bench/run.py $(BENCH_ARGS)

# Schemathesis against every service through the gateway, many more examples than
# `make test` runs (tests/integration/test_fuzz.py; FUZZ_EXAMPLES sets how many).
FUZZ_EXAMPLES ?= 150
fuzz: install web
	@FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(VENV)/pytest -q -s -p no:xdist tests/integration/test_fuzz.py

demo: install
	@$(VENV)/python scripts/demo_data.py

clean:
	rm -rf data .pytest_cache .ruff_cache .mypy_cache test-artifacts
