# Lykta: `make run` serves on SQLite at http://127.0.0.1:8000; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_MODULES := frontend/node_modules/.package-lock.json
DIST := frontend/dist/.built
FRONTEND_SOURCES := $(shell find frontend/src frontend/*.html frontend/vite.config.ts frontend/tsconfig.json frontend/package.json -type f 2>/dev/null)
PYTEST_WORKERS ?= 2

.PHONY: run test test-python test-frontend lint install frontend migrate demo bench clean types types-check frames frames-check

run: install frontend migrate
	@echo ""
	@echo "Lykta is starting on http://127.0.0.1:8000 (console: http://127.0.0.1:8000/console)"
	@echo "Sign in: make a demo counselor and link with '$(BIN)/lykta demo' in another terminal,"
	@echo "         or an account with '$(BIN)/lykta create-user NAME --role counselor --alias ALIAS'."
	@echo ""
	$(BIN)/lykta serve

test: install frontend test-frontend test-python

test-python: install
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup -q

test-frontend: $(NODE_MODULES)
	cd frontend && npm test --silent

lint: install $(NODE_MODULES)
	$(BIN)/ruff check app tests alembic bench
	$(BIN)/ruff format --check app tests alembic bench
	$(BIN)/mypy app tests bench
	$(BIN)/lint-imports  # the layers and contracts in pyproject.toml's [tool.importlinter]
	cd frontend && npm run typecheck --silent
	$(MAKE) --no-print-directory types-check
	$(MAKE) --no-print-directory frames-check

# the pages' HTTP types: the app's OpenAPI schema (built without a server) → frontend/src/api/schema.ts
types: install $(NODE_MODULES)
	$(BIN)/python -m app.export_openapi frontend/src/api/openapi.json
	cd frontend && npm run types --silent  # the generator's options are in package.json's "types" script

# fails when the committed schema or types differ from what the app gives now (run `make types`)
types-check: install $(NODE_MODULES)
	$(BIN)/pytest -q -n 0 -p no:cacheprovider tests/test_generated_types.py

# the pages' socket frame types: the frame catalogue (app/realtime/events.py, and the client frames of protocol.py)
# as JSON Schema → frontend/src/api/frames.ts by json-schema-to-typescript (a target of its own: chain it with others)
FRAMES_SCHEMA := frontend/src/api/frames.schema.json
FRAMES_TS := frontend/src/api/frames.ts

frames: install $(NODE_MODULES)
	$(BIN)/python -m app.realtime.export_schema $(FRAMES_SCHEMA)
	cd frontend && npm run frames --silent

# fails when the committed schema or frame types differ from what the code gives now (run `make frames`)
frames-check: install $(NODE_MODULES)
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(BIN)/python -m app.realtime.export_schema "$$tmp/frames.schema.json" && \
	frontend/node_modules/.bin/json2ts -i "$$tmp/frames.schema.json" -o "$$tmp/frames.ts" && \
	cmp -s $(FRAMES_SCHEMA) "$$tmp/frames.schema.json" && cmp -s $(FRAMES_TS) "$$tmp/frames.ts" \
	|| { echo "$(FRAMES_SCHEMA) or $(FRAMES_TS) is not current: run 'make frames'"; exit 1; }

install: $(INSTALLED)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NODE_MODULES): frontend/package.json frontend/package-lock.json
	cd frontend && npm install --no-audit --no-fund  # npm ci rejects this lock (npm 11 drops other platforms' optional packages)
	touch $@

frontend: $(DIST)

$(DIST): $(NODE_MODULES) $(FRONTEND_SOURCES)
	cd frontend && npm run build --silent
	touch $@

migrate: install
	$(BIN)/lykta migrate

demo: install migrate
	$(BIN)/lykta demo

# the capacity benchmark: writes bench/results/ (35 minutes before pg-1x2 was added); `python -m bench.run --quick`
# is a smoke run that writes bench/results/quick/ and leaves the full run's results alone
bench: install
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist .pytest_cache .mypy_cache .ruff_cache
