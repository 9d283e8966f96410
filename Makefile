# Two commands matter: `make run` (serve the demo) and `make test` (the whole suite).
# PYTHON=/path/to/python3.12 picks the interpreter; otherwise scripts/find-python looks.

VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app surveyapp
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup translations db demo lint bench extract-messages clean

$(BIN)/python:
	"$$(./scripts/find-python)" -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile -d surveyapp/translations 2>&1 | grep -v "^compiling" || true

db: setup
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load --if-empty

run: demo
	@$(FLASK) demo logins --url http://$(HOST):$(PORT)/login
	$(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check surveyapp tests

# make bench [BENCH_SCALE=0.01] [BENCH_POSTGRES=postgresql:///surveyapp_bench] (see benchmarks/README.md)
BENCH_SCALE ?= 1
BENCH_POSTGRES ?=
bench: setup
	$(BIN)/python -m benchmarks --scale $(BENCH_SCALE) $(if $(BENCH_POSTGRES),--postgres $(BENCH_POSTGRES))

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o surveyapp/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i surveyapp/translations/messages.pot -d surveyapp/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache
