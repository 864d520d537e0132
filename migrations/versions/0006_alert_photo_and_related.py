"""alert photo and related links

A breaking alert can carry a photo: the file id Telegram gave the editor's picture, sent again
by id to every reader (never downloaded or uploaded again); and the related coverage of the
archived article it links to, fixed when it is drafted (so every copy and edit shows the same).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A nullable column: plain ALTER TABLE on both SQLite and PostgreSQL.
    op.add_column("alerts", sa.Column("photo_file_id", sa.String(length=256), nullable=True))
    op.add_column("alerts", sa.Column("related", sa.JSON(), nullable=True))


def downgrade() -> None:
    # SQLite rebuilds the table to drop a column (batch mode); PostgreSQL alters it in place.
    with op.batch_alter_table("alerts") as batch:
        batch.drop_column("related")
        batch.drop_column("photo_file_id")
