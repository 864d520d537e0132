# The two quick-start commands: `make run` (the bot on SQLite) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint check-migrations clean

$(BIN)/newsbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/newsbot
	$(BIN)/newsbot run

test: $(BIN)/newsbot
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(BIN)/newsbot
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
