"""job leases (the owner of a queued or running job, until when it holds it); fan-out parts

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("owner", sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_solve_jobs_lease_until"), ["lease_until"], unique=False)
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("result", sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f("ix_solve_jobs_parent_id"), ["parent_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_solve_jobs_parent_id_solve_jobs"),
            "solve_jobs",
            ["parent_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("solve_jobs", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_solve_jobs_parent_id_solve_jobs"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_solve_jobs_parent_id"))
        batch_op.drop_column("result")
        batch_op.drop_column("parent_id")
        batch_op.drop_index(batch_op.f("ix_solve_jobs_lease_until"))
        batch_op.drop_column("lease_until")
        batch_op.drop_column("owner")
