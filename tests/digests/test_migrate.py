"""Migrations produce the schema the models describe, on both backends."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, Table, text

from digests import migrate
from digests.db import create_engine
from digests.models import Base
from digests.resources import migrations_dir
from tests.databases import PostgresDatabase, postgres_server_url


def assert_one_head(location: Path) -> None:
    """Fail, saying how to fix it, when the revisions in location end in more than one head."""
    heads = sorted(ScriptDirectory(str(location)).get_heads())
    assert len(heads) == 1, (
        f"the migrations end in {len(heads)} heads ({', '.join(heads)}), and `newsbot db upgrade` "
        "refuses to choose: rebase your revision onto the current head (set its down_revision "
        "to the newest revision on main and renumber its file)"
    )


def test_the_migrations_end_in_one_head():
    assert_one_head(migrations_dir())


def test_a_revision_written_in_parallel_is_a_second_head_and_fails(tmp_path):
    copy = Path(shutil.copytree(migrations_dir(), tmp_path / "migrations"))
    script = ScriptDirectory(str(copy))
    head = script.get_revision(script.get_current_head())
    # Another branch added its revision on top of the same parent as ours: siblings.
    (copy / "versions" / "0099_parallel_branch.py").write_text(
        f'revision = "0099"\ndown_revision = {head.down_revision!r}\n'
        "branch_labels = None\ndepends_on = None\n\n\n"
        "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"
    )
    heads = re.escape(", ".join(sorted([head.revision, "0099"])))
    with pytest.raises(AssertionError, match=rf"2 heads \({heads}\).*rebase your revision"):
        assert_one_head(copy)


def test_sqlite_upgrade_from_empty_file_reaches_head_without_drift(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    assert migrate.current_revision(url) is None
    migrate.upgrade(url)
    assert migrate.current_revision(url) == migrate.head_revision()
    assert migrate.schema_drift(url) == []


@pytest.mark.postgres
def test_postgres_upgrade_from_empty_database_reaches_head_without_drift():
    server = postgres_server_url()
    if server is None:
        pytest.skip("NEWSBOT_TEST_POSTGRES_URL is not set")
    database = PostgresDatabase(server)
    database.create()
    try:
        assert migrate.current_revision(database.url) == migrate.head_revision()
        assert migrate.schema_drift(database.url) == []
    finally:
        database.drop()


def test_a_model_change_without_a_revision_is_reported_as_drift(tmp_path):
    url = f"sqlite:///{tmp_path / 'drift.sqlite3'}"
    migrate.upgrade(url)
    extra = Table("unmigrated_table", Base.metadata, Column("id", Integer, primary_key=True))
    try:
        drift = migrate.schema_drift(url)
    finally:
        Base.metadata.remove(extra)
    assert [d[0] for d in drift] == ["add_table"]
    assert drift[0][1].name == "unmigrated_table"


async def _fts_objects(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                rows = await connection.execute(
                    text("SELECT name FROM sqlite_master WHERE name LIKE 'articles_fts%'")
                )
            else:
                rows = await connection.execute(
                    text(
                        "SELECT indexname FROM pg_indexes WHERE indexname = "
                        "'ix_article_search_vector'"
                    )
                )
            return [row[0] for row in rows]
    finally:
        await engine.dispose()


def test_full_text_index_exists_after_upgrade(database_url):
    objects = asyncio.run(_fts_objects(database_url))
    if database_url.startswith("sqlite"):
        assert "articles_fts" in objects
    else:
        assert objects == ["ix_article_search_vector"]
