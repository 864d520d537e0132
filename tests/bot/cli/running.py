"""Running `newsbot ARGS` as an operator would: in this process (click's CliRunner), or as a
real `python -m bot` process for the smoke tests."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner

from bot.cli.main import cli

# Settings the developer's shell may hold that must not configure the newsbot under test.
INHERITED_PREFIXES = ("TELEGRAM_", "DATABASE_")


@dataclass(frozen=True)
class Ran:
    """What a `newsbot` command left behind: its exit code and both output streams."""

    returncode: int
    stdout: str
    stderr: str


@contextlib.contextmanager
def _logging_restored() -> Iterator[None]:
    # Every command reconfigures the root logger onto the runner's stderr, which is gone once
    # the command returns; pytest's own capture handlers must come back afterwards.
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logger.level for name, logger in _loggers()}
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        for name, logger in _loggers():
            logger.setLevel(levels.get(name, logging.NOTSET))


def _loggers() -> list[tuple[str, logging.Logger]]:
    return [
        (name, logger)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    ]


def newsbot(*args: str, cwd: Path, _input: str | None = None, **env: str) -> Ran:
    """`newsbot ARGS` in this process, in `cwd`, with a clean newsbot environment."""
    unset: dict[str, str | None] = {k: None for k in os.environ if k.startswith(INHERITED_PREFIXES)}
    runner = CliRunner()
    with contextlib.chdir(cwd), _logging_restored():
        result = runner.invoke(
            cli,
            list(args),
            input=_input,
            env={**unset, **env},
            prog_name="newsbot",
            # A bug should fail the test with its traceback, not hide behind exit code 1.
            catch_exceptions=False,
        )
    return Ran(returncode=result.exit_code, stdout=result.stdout, stderr=result.stderr)


async def newsbot_beside(*args: str, cwd: Path, **env: str) -> Ran:
    """`newsbot ARGS` from an async test: the command runs its own event loop, in a thread."""
    return await asyncio.to_thread(newsbot, *args, cwd=cwd, **env)


def newsbot_process(*args: str, cwd: Path, **env: str) -> Ran:
    """`python -m bot ARGS` as a real process, in `cwd`, with a clean newsbot environment."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(INHERITED_PREFIXES)}
    completed = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return Ran(completed.returncode, completed.stdout, completed.stderr)
