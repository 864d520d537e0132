"""article embeddings

Each article's dense embedding (headline and lead) with the name of the model that made it,
and the progress of `newsbot related rebuild` so an interrupted backfill resumes. New tables
only: nothing existing is rewritten; the archive gains vectors at ingest or by the rebuild.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 23:07:04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "rebuild_progress",
        sa.Column("job", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=64), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("job", name=op.f("pk_rebuild_progress")),
    )
    op.create_table(
        "article_embeddings",
        sa.Column(
            "article_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("model", sa.String(length=64), nullable=False),
        # BLOB on SQLite, BYTEA on PostgreSQL.
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_embeddings_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_embeddings")),
    )
    op.create_index(
        op.f("ix_article_embeddings_model"), "article_embeddings", ["model"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_article_embeddings_model"), table_name="article_embeddings")
    op.drop_table("article_embeddings")
    op.drop_table("rebuild_progress")
