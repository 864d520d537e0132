"""delivery error codes

Why each delivery failed, as a code (digests.delivery.failures.FailureCode) beside Telegram's
own words. Rows from before keep a NULL code, which reads as "other": no data is rewritten here.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column and an index: plain ALTER TABLE on both SQLite and PostgreSQL.
    op.add_column("deliveries", sa.Column("error_code", sa.String(length=32), nullable=True))
    op.create_index(
        "ix_deliveries_failures",
        "deliveries",
        ["status", "created_at", "error_code"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_deliveries_failures", table_name="deliveries")
    # SQLite rebuilds the table to drop a column (batch mode); PostgreSQL alters it in place.
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("error_code")
