# Two commands a newcomer needs: `make demo` (set up, assess a sample municipality, write a report)
# and `make test` (set up, run the whole test suite). Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench golden clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/dxassess validate questionnaires/
	$(BIN)/dxassess sample --count 1 --seed 7 -o demo
	$(BIN)/dxassess score demo/*.yaml
	$(BIN)/dxassess report demo/*.yaml --format html -o demo/report.html
	$(BIN)/dxassess report demo/*.yaml --format md -o demo/report.md
	@echo "Report / 報告書: demo/report.html , demo/report.md"

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check dxassess tests benchmarks
	$(BIN)/ruff format --check dxassess tests benchmarks
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/startup.py
	$(BIN)/python benchmarks/batch.py

golden: $(STAMP)
	DXASSESS_UPDATE_GOLDEN=1 $(BIN)/python -m pytest tests/test_reports.py -k golden

clean:
	rm -rf $(VENV) demo build dist
