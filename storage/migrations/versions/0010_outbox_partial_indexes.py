"""outbox partial indexes: the dispatcher's and the health check's indexes hold only the rows they look for

Revision ID: 0010_outbox_partial_indexes
Revises: 0009_report_tallies
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_outbox_partial_indexes"
down_revision = "0009_report_tallies"
branch_labels = None
depends_on = None

# Written out rather than imported from storage.models: a migration stays what it was when the models move on.
_PARTIAL = {
    "ix_outbox_pending_due": (["due_at"], "status = 'pending'"),
    "ix_outbox_pending_kind_due": (["kind", "due_at"], "status = 'pending'"),
    "ix_outbox_in_flight_lease": (["lease_until"], "status IN ('claimed', 'sending')"),
    "ix_outbox_failed_status_due": (["status", "due_at"], "status IN ('dead', 'uncertain', 'unreachable')"),
}
_WHOLE = {
    "ix_outbox_status_due_at": ["status", "due_at"],
    "ix_outbox_status_kind_due_at": ["status", "kind", "due_at"],
    "ix_outbox_status_lease_until": ["status", "lease_until"],
}


def upgrade() -> None:
    for name, (columns, where) in _PARTIAL.items():
        op.create_index(name, "outbox", columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    for name in _WHOLE:
        op.drop_index(name, "outbox")


def downgrade() -> None:
    for name, columns in _WHOLE.items():
        op.create_index(name, "outbox", columns)
    for name in _PARTIAL:
        op.drop_index(name, "outbox")
