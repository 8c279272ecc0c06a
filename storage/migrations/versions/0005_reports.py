"""reports: indexes the report's aggregates are served by; pending imports

Revision ID: 0005_reports
Revises: 0004_ops
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_reports"
down_revision = "0004_ops"
branch_labels = None
depends_on = None

_OPEN = "completed_on IS NULL AND cancelled_on IS NULL"


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_import_batches_person_id_people"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index("ix_import_batches_person_id_status", "import_batches", ["person_id", "status"])
    op.create_index("ix_directives_report_assigned", "directives",
                    ["assigned_on", "due_on", "completed_on", "reported_on", "cancelled_on"])
    op.create_index("ix_directives_report_open", "directives", ["assigned_on", "due_on", "reported_on"],
                    sqlite_where=sa.text(_OPEN), postgresql_where=sa.text(_OPEN))
    op.create_index("ix_directives_report_completed", "directives", ["completed_on", "assigned_on", "due_on",
                                                                    "reported_on"])
    op.create_index("ix_directives_report_cancelled", "directives", ["cancelled_on", "assigned_on",
                                                                    "completed_on", "due_on", "reported_on"])
    op.create_index("ix_assignments_directive_role_unit", "assignments", ["directive_id", "role", "unit_id"])


def downgrade() -> None:
    op.drop_index("ix_assignments_directive_role_unit", "assignments")
    for name in ("cancelled", "completed", "open", "assigned"):
        op.drop_index(f"ix_directives_report_{name}", "directives")
    op.drop_index("ix_import_batches_person_id_status", "import_batches")
    op.drop_table("import_batches")
