"""forum topics as targets: the thread a delivery goes to, and each forum's routes

`deliveries.thread_id` is the forum thread (Telegram's message_thread_id) a row is sent to, 0
for none; it is part of the outbox key, so a digest split across threads is queued once per
part and thread. `forum_routes` says which thread of a forum supergroup receives a topic's
digest, every digest, or breaking alerts (set with /here inside the thread).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(
            sa.Column("thread_id", sa.BigInteger(), server_default="0", nullable=False)
        )
        batch.drop_constraint("uq_deliveries_kind_ref_chat_id_part", type_="unique")
        batch.create_unique_constraint(
            "uq_deliveries_kind_ref_chat_id_thread_id_part",
            ["kind", "ref", "chat_id", "thread_id", "part"],
        )
    op.create_table(
        "forum_routes",
        sa.Column("chat_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("thread_id", sa.BigInteger(), nullable=False),
        sa.Column("set_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chat_id"],
            ["chats.id"],
            name=op.f("fk_forum_routes_chat_id_chats"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("chat_id", "target", name=op.f("pk_forum_routes")),
    )


def downgrade() -> None:
    op.drop_table("forum_routes")
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_constraint("uq_deliveries_kind_ref_chat_id_thread_id_part", type_="unique")
        batch.create_unique_constraint(
            "uq_deliveries_kind_ref_chat_id_part", ["kind", "ref", "chat_id", "part"]
        )
        batch.drop_column("thread_id")
