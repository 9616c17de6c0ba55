"""notifications (in-app), duty levels, standby posts

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("roster_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_notifications_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    op.create_index("ix_notifications_officer_read", "notifications", ["officer_id", "read_at"])
    with op.batch_alter_table("coverages") as batch:
        batch.add_column(sa.Column("level", sa.String(length=16), server_default="normal", nullable=False))
    with op.batch_alter_table("posts") as batch:
        batch.add_column(sa.Column("standby", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "duty_level_settings",
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("cancels_leave", sa.JSON(), nullable=False),
        sa.Column("cancels_requests", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("level", name=op.f("pk_duty_level_settings")),
    )
    op.create_table(
        "duty_level_declarations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("unit_ids", sa.JSON(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("declared_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_level_declarations")),
    )
    op.create_index("ix_duty_level_declarations_dates", "duty_level_declarations", ["start", "end"])
    op.create_table(
        "owed_rest_rules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("normal_minutes_per_week", sa.Integer(), nullable=False),
        sa.Column("minutes_per_owed_day", sa.Integer(), nullable=False),
        sa.Column("deadline_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owed_rest_rules")),
    )
    op.create_table(
        "owed_rest_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("minutes_over", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("end", sa.Date(), nullable=False),
        sa.Column("declaration_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["declaration_id"],
            ["duty_level_declarations.id"],
            name=op.f("fk_owed_rest_entries_declaration_id_duty_level_declarations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officers.id"],
            name=op.f("fk_owed_rest_entries_officer_id_officers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_owed_rest_entries")),
    )
    op.create_index("ix_owed_rest_entries_officer_id", "owed_rest_entries", ["officer_id"])
    op.create_index("ix_owed_rest_entries_declaration_id", "owed_rest_entries", ["declaration_id"])


def downgrade() -> None:
    op.drop_table("owed_rest_entries")
    op.drop_table("owed_rest_rules")
    op.drop_index("ix_duty_level_declarations_dates", table_name="duty_level_declarations")
    op.drop_table("duty_level_declarations")
    op.drop_table("duty_level_settings")
    with op.batch_alter_table("posts") as batch:
        batch.drop_column("standby")
    with op.batch_alter_table("coverages") as batch:
        batch.drop_column("level")
    op.drop_index("ix_notifications_officer_read", table_name="notifications")
    op.drop_table("notifications")
