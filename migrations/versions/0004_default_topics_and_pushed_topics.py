"""default and top-stories topics; when a chat first pressed Start; pushed topics kept;
where each source came from, and the sources removed by hand

Topics the catalogue marks `default = true` are what a first /start subscribes a chat to; a topic
with `top = N` takes the N best items across every topic. `chats.started_at` records the first
/start, so that a later one shows the chat's topics instead of choosing them again.
`articles.pushed_topics` keeps the topics a pushed article named, so retagging keeps them too
(rows from before hold an empty list: what they were pushed with was not stored).
`sources.origin` says where a source came from; `removed_sources` remembers the feeds the desk
or the CLI removed, which the catalogue file then never adds back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("topics") as batch:
        batch.add_column(
            sa.Column("is_default", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("top_items", sa.Integer(), nullable=True))
    op.add_column("chats", sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "articles",
        sa.Column("pushed_topics", sa.JSON(), server_default=sa.text("'[]'"), nullable=False),
    )
    op.add_column("sources", sa.Column("origin", sa.String(length=16), nullable=True))
    op.create_table(
        "removed_sources",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_removed_sources")),
    )


def downgrade() -> None:
    op.drop_table("removed_sources")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("origin")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("pushed_topics")
    with op.batch_alter_table("chats") as batch:
        batch.drop_column("started_at")
    with op.batch_alter_table("topics") as batch:
        batch.drop_column("top_items")
        batch.drop_column("is_default")
