"""conversation state

What a chat was last shown or asked (list pages, pending questions), the group-admin cache and
flood buckets, in the database so that every instance can answer every update and a restart
loses none of it.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conversation_state",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(
            "chat_id", "user_id", "kind", "key", name=op.f("pk_conversation_state")
        ),
    )
    op.create_index(
        "ix_conversation_state_expires_at", "conversation_state", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_conversation_state_expires_at", table_name="conversation_state")
    op.drop_table("conversation_state")
