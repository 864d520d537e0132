"""The house rules a reviewer checks first: small modules, short functions.

Import rules (no cycles, stages import only lower ones, thin handlers) are `lint-imports`
contracts in `.importlinter`, run by `make lint` and CI.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(p for package in ("bot", "digests") for p in (ROOT / package).rglob("*.py"))
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 80


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_no_module_is_longer_than_400_lines():
    long = []
    for path in SOURCES:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES:
            long.append(f"{_name(path)} has {lines} lines: split it")
    assert SOURCES and not long, "\n".join(long)


def test_no_function_is_longer_than_80_lines():
    long = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    long.append(f"{_name(path)}:{node.lineno} {node.name}() is {length} lines")
    assert not long, "\n".join(long)
