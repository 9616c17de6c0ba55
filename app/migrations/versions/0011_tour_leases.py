"""tour jobs are leased like roster jobs (one job engine for both): owner, lease_until

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tour_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_tour_jobs_lease_until"), ["lease_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tour_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tour_jobs_lease_until"))
        batch_op.drop_column("lease_until")
        batch_op.drop_column("owner")
