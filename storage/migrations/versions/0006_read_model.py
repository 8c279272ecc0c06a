"""read model: assignments carry their directive's state and dates; list, report and outbox indexes

Revision ID: 0006_read_model
Revises: 0005_reports
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_read_model"
down_revision = "0005_reports"
branch_labels = None
depends_on = None

_OPEN = "completed_on IS NULL AND cancelled_on IS NULL"
_WORKING = "state IN ('assigned', 'in_progress')"
_REPORT = {
    "ix_assignments_report_assigned": ["assigned_on", "unit_id", "role", "due_on", "completed_on", "reported_on",
                                       "cancelled_on"],
    "ix_assignments_report_completed": ["completed_on", "assigned_on", "unit_id", "role", "due_on", "reported_on"],
    "ix_assignments_report_cancelled": ["cancelled_on", "assigned_on", "unit_id", "role", "due_on", "reported_on"],
}


def upgrade() -> None:
    from storage.read_model import refresh_all

    with op.batch_alter_table("assignments") as batch_op:
        batch_op.add_column(sa.Column("state", sa.String(length=24), nullable=False, server_default="draft"))
        batch_op.add_column(sa.Column("is_open", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("due_sort", sa.Date(), nullable=False, server_default="9999-12-31"))
        for name in ("due_on", "assigned_on", "reported_on", "completed_on", "cancelled_on"):
            batch_op.add_column(sa.Column(name, sa.Date(), nullable=True))
    refresh_all(op.get_bind())
    with op.batch_alter_table("assignments") as batch_op:
        for name in ("state", "is_open", "due_sort"):
            batch_op.alter_column(name, server_default=None)
    op.create_index("ix_assignments_unit_list", "assignments", ["unit_id", "role", "is_open", "due_sort", "directive_id"])
    for name, columns in _REPORT.items():
        op.create_index(name, "assignments", columns)
    # Still open now (the bulk of a report's carried-over part), unit by unit: by an equality the planners
    # prefer to "completed_on IS NULL" (which another index leads with), grouped as it is read.
    op.create_index("ix_assignments_report_open", "assignments", ["is_open", "unit_id", "role", "assigned_on",
                                                                  "due_on", "reported_on"])
    op.drop_index("ix_directives_report_open", "directives")
    op.create_index("ix_directives_report_open", "directives", ["state", "assigned_on", "due_on", "reported_on"])
    op.create_index("ix_outbox_status_kind_due_at", "outbox", ["status", "kind", "due_at"])
    op.create_index("ix_directives_working_due", "directives", ["due_on", "id"], sqlite_where=sa.text(_WORKING),
                    postgresql_where=sa.text(_WORKING))


def downgrade() -> None:
    op.drop_index("ix_directives_working_due", "directives")
    op.drop_index("ix_outbox_status_kind_due_at", "outbox")
    op.drop_index("ix_directives_report_open", "directives")
    op.create_index("ix_directives_report_open", "directives", ["assigned_on", "due_on", "reported_on"],
                    sqlite_where=sa.text(_OPEN), postgresql_where=sa.text(_OPEN))
    for name in ("ix_assignments_unit_list", "ix_assignments_report_open", *_REPORT):
        op.drop_index(name, "assignments")
    with op.batch_alter_table("assignments") as batch_op:
        for name in ("state", "is_open", "due_sort", "due_on", "assigned_on", "reported_on", "completed_on",
                     "cancelled_on"):
            batch_op.drop_column(name)
