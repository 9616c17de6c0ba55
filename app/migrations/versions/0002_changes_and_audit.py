"""change requests, coverage changes from a date, audit trail

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("roster_id", sa.Integer(), nullable=True),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("officer_id", sa.String(length=64), nullable=True),
        sa.Column("post_id", sa.String(length=64), nullable=True),
        sa.Column("shift_id", sa.String(length=64), nullable=True),
        sa.Column("date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_change", ["change_id"], unique=False)
        batch_op.create_index("ix_audit_events_duty", ["post_id", "date", "shift_id"], unique=False)
        batch_op.create_index("ix_audit_events_officer", ["officer_id"], unique=False)
        batch_op.create_index("ix_audit_events_roster", ["roster_id"], unique=False)

    op.create_table(
        "coverage_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.String(length=64), nullable=False),
        sa.Column("shift_id", sa.String(length=64), nullable=False),
        sa.Column("from_date", sa.Date(), nullable=False),
        sa.Column("previous", sa.JSON(), nullable=False),
        sa.Column("coverage", sa.JSON(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["posts.id"], name=op.f("fk_coverage_changes_post_id_posts"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage_changes")),
    )
    with op.batch_alter_table("coverage_changes", schema=None) as batch_op:
        batch_op.create_index("ix_coverage_changes_post_shift", ["post_id", "shift_id"], unique=False)

    op.create_table(
        "roster_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("requester_name", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("base_roster_id", sa.Integer(), nullable=True),
        sa.Column("applied_roster_id", sa.Integer(), nullable=True),
        sa.Column("scope", sa.JSON(), nullable=True),
        sa.Column("validation", sa.JSON(), nullable=True),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column("proposal", sa.JSON(), nullable=True),
        sa.Column("proposal_roster_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["applied_roster_id"],
            ["rosters.id"],
            name=op.f("fk_roster_changes_applied_roster_id_rosters"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["base_roster_id"],
            ["rosters.id"],
            name=op.f("fk_roster_changes_base_roster_id_rosters"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["solve_jobs.id"],
            name=op.f("fk_roster_changes_job_id_solve_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["proposal_roster_id"],
            ["rosters.id"],
            name=op.f("fk_roster_changes_proposal_roster_id_rosters"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["users.id"],
            name=op.f("fk_roster_changes_requested_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roster_changes")),
    )
    with op.batch_alter_table("roster_changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_changes_status"), ["status"], unique=False)

    op.create_table(
        "roster_change_officers",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["roster_changes.id"],
            name=op.f("fk_roster_change_officers_change_id_roster_changes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("change_id", "officer_id", name=op.f("pk_roster_change_officers")),
    )
    with op.batch_alter_table("roster_change_officers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_roster_change_officers_officer_id"), ["officer_id"], unique=False
        )

    op.create_table(
        "roster_change_units",
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["roster_changes.id"],
            name=op.f("fk_roster_change_units_change_id_roster_changes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("change_id", "unit_id", name=op.f("pk_roster_change_units")),
    )
    with op.batch_alter_table("roster_change_units", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_roster_change_units_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("roster_change_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_change_units_unit_id"))

    op.drop_table("roster_change_units")
    with op.batch_alter_table("roster_change_officers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_change_officers_officer_id"))

    op.drop_table("roster_change_officers")
    with op.batch_alter_table("roster_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_roster_changes_status"))

    op.drop_table("roster_changes")
    with op.batch_alter_table("coverage_changes", schema=None) as batch_op:
        batch_op.drop_index("ix_coverage_changes_post_shift")

    op.drop_table("coverage_changes")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_roster")
        batch_op.drop_index("ix_audit_events_officer")
        batch_op.drop_index("ix_audit_events_duty")
        batch_op.drop_index("ix_audit_events_change")

    op.drop_table("audit_events")
