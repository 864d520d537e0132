"""Where the templates, migrations and default configuration live, in a checkout or a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # An installed wheel carries them under digests/_data/; a checkout (or an editable
    # install) has them at the top level beside the package.
    for candidate in (_PACKAGE_DIR / "_data" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"newsbot's {name}/ directory is missing from the installation")


def templates_dir() -> Path:
    """The Jinja2 templates directory."""
    return _data_dir("templates")


def migrations_dir() -> Path:
    """The Alembic migrations directory."""
    return _data_dir("migrations")


def samples_dir() -> Path:
    """The invented sample feed the quick start and `newsbot demo` use."""
    return _data_dir("samples")


def default_config_path() -> Path:
    """The shipped topics-and-sources TOML file."""
    return _PACKAGE_DIR / "default_config.toml"
