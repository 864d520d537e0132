"""Shared fixtures: databases on both backends, settings, the renderer."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Iterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from digests.config import Settings
from digests.db import create_engine, create_sessionmaker
from digests.text.render import Renderer
from tests.databases import PostgresDatabase, SqliteTemplate, postgres_server_url

TEST_TOKEN = "123456:TEST-token_for-newsbot"
NETWORK_SKIP = "downloads from the package index: run `pytest -m network`"


def _loopback(host: object) -> bool:
    if not isinstance(host, str) or host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing but loopback: a model hub download (or any other) fails the test at once.
    Tests marked `network` are exempt."""
    if request.node.get_closest_marker("network") is not None:
        return
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    connect, connect_ex, getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def refuse(address: object) -> None:
        if isinstance(address, tuple) and not _loopback(address[0]):
            raise ConnectionRefusedError(f"tests may not reach {address[0]} (loopback only)")

    def guarded_connect(self: socket.socket, address: object) -> None:
        refuse(address)
        return connect(self, address)  # type: ignore[arg-type]

    def guarded_connect_ex(self: socket.socket, address: object) -> int:
        refuse(address)
        return connect_ex(self, address)  # type: ignore[arg-type]

    def guarded_getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None and not _loopback(host.decode() if isinstance(host, bytes) else host):
            raise socket.gaierror(socket.EAI_NONAME, f"tests may not resolve {host!r}")
        return getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> SqliteTemplate:
    """A migrated SQLite file to copy per test."""
    template = SqliteTemplate(tmp_path_factory.mktemp("sqlite-template"))
    template.create()
    return template


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[PostgresDatabase | None]:
    """A PostgreSQL database for this test session, or None when none is configured."""
    server = postgres_server_url()
    if server is None:
        yield None
        return
    database = PostgresDatabase(server)
    database.create()
    yield database
    database.drop()


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgres),
    ]
)
async def database_url(
    request: pytest.FixtureRequest,
    tmp_path,
    sqlite_template: SqliteTemplate,
    postgres_database: PostgresDatabase | None,
) -> str:
    """The URL of an empty, migrated database: SQLite, and PostgreSQL when configured."""
    if request.param == "sqlite":
        return sqlite_template.copy_to(tmp_path)
    if postgres_database is None:
        pytest.skip("NEWSBOT_TEST_POSTGRES_URL is not set")
    await postgres_database.truncate()
    return postgres_database.url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test database."""
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """The session factory for the test database."""
    return create_sessionmaker(engine)


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for a bot on the test database, ignoring any .env in the working directory."""
    return Settings(
        _env_file=None,
        telegram_bot_token=TEST_TOKEN,
        database_url=database_url,
        admin_ids=[1001],
        default_timezone="Europe/Warsaw",
        # Handler tests drive the outbox themselves; `newsbot run` tests run the real sender.
        sender_enabled=False,
    )


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    """The shipped templates."""
    return Renderer()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests that download (marked network) unless `-m` names that marker."""
    if "network" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason=NETWORK_SKIP)
    for item in items:
        if item.get_closest_marker("network") is not None:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many database tests ran on each backend, so CI logs show both."""
    counts: dict[str, dict[str, int]] = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            if report.when != "call" and outcome != "skipped":
                continue
            for backend in ("sqlite", "postgresql"):
                if f"[{backend}" in report.nodeid or f"-{backend}]" in report.nodeid:
                    counts.setdefault(backend, {}).setdefault(outcome, 0)
                    counts[backend][outcome] += 1
    for backend, outcomes in sorted(counts.items()):
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        if backend == "postgresql" and postgres_server_url() is None:
            summary += " (set NEWSBOT_TEST_POSTGRES_URL to run them)"
        terminalreporter.write_line(f"database tests on {backend}: {summary}")
    downloads = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if NETWORK_SKIP in str(getattr(report, "longrepr", ""))
    ]
    if downloads:
        count = len(downloads)
        terminalreporter.write_line(f"{count} tests that download skipped: run `pytest -m network`")
