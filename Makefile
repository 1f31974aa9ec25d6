# The two commands of the README: `make demo` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_FOLDER := src/myotrack/data/demo
DEMO_OUT := demo
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

## demo: registry (SQLite, myotrack.db) + bundled demo cohort, its report, then the web app
demo: $(BIN)/.installed
	$(BIN)/myotrack init
	$(BIN)/myotrack import $(DEMO_FOLDER)
	$(BIN)/myotrack images demo
	$(BIN)/myotrack summary
	mkdir -p $(DEMO_OUT)
	$(BIN)/myotrack report --format html --out $(DEMO_OUT)/report.html
	$(BIN)/myotrack serve --demo --host $(HOST) --port $(PORT)

## test: lint, type-check and run the whole test suite
test: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

## bench: whole commands, web report and load against their baselines -> docs/benchmarks.md
## (BENCH_SIZES=1000,10000,100000 for the largest; BENCH_DATABASE=postgresql+psycopg://...
## on 127.0.0.1 for the load test, which needs PostgreSQL)
BENCH_SIZES ?= 1000,10000
BENCH_REPEAT ?= 3
BENCH_REPEAT_LARGE ?= 1
BENCH_DATABASE ?= $(MYOTRACK_BENCH_DATABASE_URL)
bench: $(BIN)/.installed
	$(BIN)/python benchmarks/bench_commands.py --sizes $(BENCH_SIZES) --repeat $(BENCH_REPEAT) --repeat-large $(BENCH_REPEAT_LARGE)
	$(BIN)/python benchmarks/bench_web_report.py --patients 1000
	$(if $(BENCH_DATABASE),$(BIN)/python benchmarks/bench_load.py --database $(BENCH_DATABASE),@echo "bench_load.py skipped: give BENCH_DATABASE (PostgreSQL on 127.0.0.1)")
	$(BIN)/python benchmarks/bench_report.py --sizes 1000,10000
	$(BIN)/python benchmarks/bench_worklist.py
	$(BIN)/python benchmarks/bench_concurrency.py
	$(BIN)/python benchmarks/bench_exchange.py
	$(BIN)/python benchmarks/write_benchmarks_doc.py

clean:
	rm -rf $(VENV) myotrack.db $(DEMO_OUT)
