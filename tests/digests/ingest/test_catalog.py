"""The topics-and-sources file: validation with clear errors, and syncing into the database."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from digests.db import session_scope
from digests.desk.sources_admin import add_source, remove_source
from digests.ingest.catalog import CatalogError, load_catalog, sync_catalog
from digests.models import Source, Topic, utcnow
from digests.resources import default_config_path


def test_the_shipped_config_loads_with_a_general_topic():
    catalog = load_catalog(default_config_path())
    assert "general" in catalog.topic_slugs()
    assert len(catalog.topic_slugs()) == len(set(catalog.topic_slugs()))
    [top] = [topic for topic in catalog.topics if topic.default]
    assert (top.slug, top.name, top.top) == ("top", "Top stories", 5)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[[topics]]\nslug = 'World News'\nname = 'World'\n", "topics.0.slug"),
        ("[[topics]\n", "not valid TOML"),
        ("[[topics]]\nslug='a'\nname='A'\n[[topics]]\nslug='a'\nname='B'\n", "used twice: a"),
        ("[[sources]]\nurl='https://x/feed'\ntopics=['nope']\n", "unknown topics nope"),
        ("[[topics]]\nslug='a'\nname='A'\ncolour='red'\n", "topics.0.colour"),
        ("[[topics]]\nslug='a'\nname='A'\ntop=5\nkeywords=['x']\n", "takes no keywords"),
        ("[[topics]]\nslug='a'\nname='A'\ntop=0\n", "topics.0.top"),
    ],
)
def test_an_invalid_file_names_the_problem(tmp_path, content, message):
    path = tmp_path / "newsbot.toml"
    path.write_text(content)
    with pytest.raises(CatalogError, match=message):
        load_catalog(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CatalogError, match="cannot read"):
        load_catalog(tmp_path / "absent.toml")


async def test_sync_adds_updates_and_deactivates_topics_and_adds_sources(sessionmaker, tmp_path):
    path = tmp_path / "newsbot.toml"
    path.write_text(
        "[[topics]]\nslug='world'\nname='World'\n"
        "[[topics]]\nslug='tech'\nname='Tech'\nkeywords=['chip']\n"
        "[[sources]]\nurl='https://example.org/feed.xml'\ntopics=['tech']\n"
    )
    async with session_scope(sessionmaker) as session:
        await sync_catalog(session=session, catalog=load_catalog(path))
    path.write_text("[[topics]]\nslug='tech'\nname='Technology'\nkeywords=['chip', 'AI']\n")
    async with session_scope(sessionmaker) as session:
        await sync_catalog(session=session, catalog=load_catalog(path))
    async with session_scope(sessionmaker) as session:
        topics = {t.slug: t for t in await session.scalars(select(Topic))}
        sources = (await session.scalars(select(Source))).all()
    assert set(topics) == {"world", "tech", "general"}
    assert topics["world"].active is False
    assert (topics["tech"].name, topics["tech"].keywords) == ("Technology", ["chip", "AI"])
    assert [(s.url, s.default_topics) for s in sources] == [
        ("https://example.org/feed.xml", ["tech"])
    ]


async def test_a_catalogue_source_removed_by_hand_stays_removed_until_added_again(
    sessionmaker, tmp_path
):
    path = tmp_path / "newsbot.toml"
    path.write_text("[[sources]]\nurl='https://example.org/feed.xml'\n")
    catalog = load_catalog(path)

    async def urls_and_origins():
        async with session_scope(sessionmaker) as session:
            return [(s.url, s.origin) for s in await session.scalars(select(Source))]

    async with session_scope(sessionmaker) as session:
        await sync_catalog(session=session, catalog=catalog)
    assert await urls_and_origins() == [("https://example.org/feed.xml", "catalog")]
    async with session_scope(sessionmaker) as session:
        await remove_source(session=session, key="https://example.org/feed.xml", now=utcnow())
    async with session_scope(sessionmaker) as session:
        await sync_catalog(session=session, catalog=catalog)  # the next start
    assert await urls_and_origins() == []

    async with session_scope(sessionmaker) as session:
        await add_source(
            session=session, url="https://example.org/feed.xml", now=utcnow(), actor_id=1001
        )
    async with session_scope(sessionmaker) as session:
        await remove_source(session=session, key="https://example.org/feed.xml", now=utcnow())
        await add_source(session=session, url="https://example.org/feed.xml", now=utcnow())
        await sync_catalog(session=session, catalog=catalog)
    assert await urls_and_origins() == [("https://example.org/feed.xml", "cli")]
