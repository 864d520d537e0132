"""Source administration through both faces: the desk in a chat, and `newsbot sources`.

One table of cases, each run through the command line (click's CliRunner, in process) and
through the desk (real updates through process_update): both must leave the same sources
behind, word a refusal the same way, and only the desk's changes are audited.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot.cli.content import sources
from bot.context import services_of
from digests.db import session_scope
from digests.models import AuditEntry, Source, SourceKind, SourceStatus, Topic, utcnow
from tests.factories import add_source

OWNER = 1001
HEALTHY = "https://feeds.example/world.xml"
BROKEN = "https://feeds.example/broken.xml"


@dataclass(frozen=True)
class Case:
    """One administration step, as typed on the desk and on the command line."""

    name: str
    desk: str  # a command, or a button's callback data
    cli: tuple[str, ...]
    # The sources afterwards: (id, url, status, failures, topics, due at the next run).
    after: list[tuple[int, str, str, int, list[str], bool]]
    refusal: str = ""  # what both faces say instead, when the step is refused


BEFORE = [
    (1, HEALTHY, "active", 0, [], False),
    (2, BROKEN, "paused", 8, [], False),
]

CASES = [
    Case(
        "add a feed with topics",
        "/sources add https://feeds.example/tech.xml tech #Science",
        ("add", "https://feeds.example/tech.xml", "--topic", "tech", "--topic", "#Science"),
        [*BEFORE, (3, "https://feeds.example/tech.xml", "active", 0, ["tech", "science"], True)],
    ),
    Case(
        "refuse what is not a feed address",
        "/sources add ftp://feeds.example/x",
        ("add", "ftp://feeds.example/x"),
        BEFORE,
        "Not a feed address: ftp://feeds.example/x — it must start with http:// or https://.",
    ),
    Case(
        "refuse topics that do not exist",
        "/sources add https://feeds.example/x.xml tech astrology",
        ("add", "https://feeds.example/x.xml", "--topic", "tech", "--topic", "astrology"),
        BEFORE,
        "No such topic: astrology. The topics are: {known}",
    ),
    Case(
        "refuse a duplicate",
        f"/sources add {HEALTHY}",
        ("add", HEALTHY),
        BEFORE,
        "That feed is already source #1.",
    ),
    Case(
        "pause",
        "src:pause:1",
        ("pause", "1"),
        [(1, HEALTHY, "paused", 0, [], False), BEFORE[1]],
    ),
    Case(
        "resume forgets the failures",
        "src:resume:2",
        ("resume", "2"),
        [BEFORE[0], (2, BROKEN, "active", 0, [], True)],
    ),
    Case("remove", "src:rmok:1", ("remove", "1"), [BEFORE[1]]),
    Case(
        "refuse a source that is not there",
        "src:pause:7",
        ("pause", "7"),
        BEFORE,
        "There is no source #7.",
    ),
]


async def _setup(sessionmaker) -> list[str]:
    """A healthy source and one paused after eight failures; returns the topic slugs."""
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        healthy = await add_source(session, HEALTHY)
        healthy.next_fetch_at = now + timedelta(minutes=10)
        broken = await add_source(session, BROKEN)
        broken.status, broken.error_count = SourceStatus.PAUSED, 8
        broken.paused_reason = "8 failures in a row; last: HTTP 503"
        broken.next_fetch_at = now + timedelta(hours=12)
        topics = await session.scalars(select(Topic).where(Topic.active).order_by(Topic.position))
        return [topic.slug for topic in topics]


async def _sources(sessionmaker) -> list[tuple[int, str, str, int, list[str], bool]]:
    now = utcnow()
    async with session_scope(sessionmaker) as session:
        return [
            (
                s.id,
                s.url,
                s.status.value,
                s.error_count,
                s.default_topics,
                s.next_fetch_at is not None and s.next_fetch_at <= now,
            )
            for s in await session.scalars(select(Source).order_by(Source.id))
        ]


async def _through_the_cli(settings, arguments: tuple[str, ...]) -> str:
    """Run `newsbot sources …`; the refusal it printed, or "" when it succeeded."""
    result = await asyncio.to_thread(CliRunner().invoke, sources, list(arguments), obj=settings)
    if result.exit_code == 0:
        return ""
    assert result.exit_code == 2, result.output  # a refusal: one line, like a usage error
    return result.stderr.strip().removeprefix("newsbot: ")


async def _through_the_desk(api, deliver, typed: str) -> str:
    """Send the command or press the button; the refusal the desk showed, or ""."""
    if typed.startswith("/"):
        before = len(api.sent_messages(chat_id=OWNER))
        await deliver(api.user_message(typed))
        [reply] = api.sent_messages(chat_id=OWNER)[before:]
        return "" if reply["plain_text"].startswith("✅") else reply["plain_text"]
    await deliver(api.user_message("/sources"))  # the list the buttons are under
    await deliver(api.callback_query(typed))
    answer = api.calls_to("answerCallbackQuery")[-1].params
    return answer["text"] if answer.get("show_alert") else ""


@pytest.mark.parametrize("face", ["cli", "desk"])
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_both_faces_administer_sources_alike(application, api, deliver, settings, face, case):
    sessionmaker = services_of(application).sessionmaker
    known = await _setup(sessionmaker)

    if face == "cli":
        refusal = await _through_the_cli(settings, case.cli)
    else:
        refusal = await _through_the_desk(api, deliver, case.desk)

    assert refusal == case.refusal.format(known=", ".join(known))
    assert await _sources(sessionmaker) == case.after
    async with session_scope(sessionmaker) as session:
        audited = list(await session.scalars(select(AuditEntry.action)))
    assert len(audited) == (1 if face == "desk" and not case.refusal else 0)


async def test_local_files_are_for_the_command_line_only(application, api, deliver, settings):
    sessionmaker = services_of(application).sessionmaker
    assert await _through_the_cli(settings, ("add", "samples/newsroom.xml")) == ""
    refusal = await _through_the_desk(api, deliver, "/sources add samples/other.xml")
    assert refusal == (
        "Not a feed address: samples/other.xml — it must start with http:// or https://."
    )
    async with session_scope(sessionmaker) as session:
        [source] = list(await session.scalars(select(Source)))
    assert (source.url, source.kind) == ("samples/newsroom.xml", SourceKind.FILE)
