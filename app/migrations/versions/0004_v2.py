"""scenario format 2: a coverage entry's over_weight (the overstaffing term)

The v2 working-time rules need no migration: the detachment's rules and an officer's overrides are
JSON objects already.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("coverages") as batch:
        batch.add_column(sa.Column("over_weight", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("coverages") as batch:
        batch.drop_column("over_weight")
