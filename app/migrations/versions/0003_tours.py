"""supervisors' inspection tours: post coordinates, tour plans, their versions and jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lat", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("lon", sa.Float(), nullable=True))
    op.create_table(
        "tour_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("supervisors", sa.JSON(), nullable=False),
        sa.Column("problem", sa.JSON(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_tour_plans_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_plans")),
    )
    op.create_table(
        "tour_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("replan", sa.JSON(), nullable=True),
        sa.Column("days_total", sa.Integer(), nullable=False),
        sa.Column("days_done", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("elapsed", sa.Float(), nullable=False),
        sa.Column("phase", sa.String(length=64), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_tour_jobs_created_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["tour_plans.id"], name=op.f("fk_tour_jobs_plan_id_tour_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_jobs")),
    )
    with op.batch_alter_table("tour_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tour_jobs_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tour_jobs_status"), ["status"], unique=False)

    op.create_table(
        "tour_plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("visits", sa.Integer(), nullable=False),
        sa.Column("drive_minutes", sa.Integer(), nullable=False),
        sa.Column("km", sa.Float(), nullable=False),
        sa.Column("share_met", sa.Float(), nullable=False),
        sa.Column("missed", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name=op.f("fk_tour_plan_versions_created_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["tour_plans.id"],
            name=op.f("fk_tour_plan_versions_plan_id_tour_plans"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tour_plan_versions")),
        sa.UniqueConstraint("plan_id", "version", name=op.f("uq_tour_plan_versions_plan_id_version")),
    )
    with op.batch_alter_table("tour_plan_versions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tour_plan_versions_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("tour_plan_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tour_plan_versions_plan_id"))

    op.drop_table("tour_plan_versions")
    with op.batch_alter_table("tour_jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tour_jobs_status"))
        batch_op.drop_index(batch_op.f("ix_tour_jobs_plan_id"))

    op.drop_table("tour_jobs")
    op.drop_table("tour_plans")
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_column("lon")
        batch_op.drop_column("lat")
