"""owed rest granted by a published roster: owed_rest_entries.roster_id

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("owed_rest_entries") as batch:
        batch.add_column(sa.Column("roster_id", sa.Integer(), nullable=True))
    op.create_index("ix_owed_rest_entries_roster_id", "owed_rest_entries", ["roster_id"])


def downgrade() -> None:
    op.drop_index("ix_owed_rest_entries_roster_id", table_name="owed_rest_entries")
    with op.batch_alter_table("owed_rest_entries") as batch:
        batch.drop_column("roster_id")
