"""duty leaders (带班) and positions: posts.positions, posts.leader_skill, officers.phone,
roster_assignments.leader and .position

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("positions", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("leader_skill", sa.String(length=64), nullable=True))
    with op.batch_alter_table("officers") as batch:
        batch.add_column(sa.Column("phone", sa.String(length=200), server_default="", nullable=False))
    with op.batch_alter_table("roster_assignments") as batch:
        batch.add_column(sa.Column("leader", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("position", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("roster_assignments") as batch:
        batch.drop_column("position")
        batch.drop_column("leader")
    with op.batch_alter_table("officers") as batch:
        batch.drop_column("phone")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("leader_skill")
        batch.drop_column("positions")
