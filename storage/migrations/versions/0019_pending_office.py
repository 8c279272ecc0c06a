"""pending office: the queue marks the operations chat's alerts (the only rows claimed outside the send window),
so the night claim is one range of a small partial index instead of a look-up of every due notice's address

Revision ID: 0019_pending_office
Revises: 0018_draft_questions
"""

import sqlalchemy as sa
from alembic import op

revision = "0019_pending_office"
down_revision = "0018_draft_questions"
branch_labels = None
depends_on = None

_ALERTS = "lease_until IS NULL AND alert"
_WAITING = "lease_until IS NULL"


def upgrade() -> None:
    with op.batch_alter_table("outbox_pending") as batch:
        batch.add_column(sa.Column("alert", sa.Boolean(), server_default="0", nullable=False))
    # The rows queued already: a notice to an address that is neither a person's nor a unit's.
    op.execute("UPDATE outbox_pending SET alert = true WHERE kind = 'notify' AND id IN (SELECT o.id FROM outbox o "
               "JOIN addresses a ON a.id = o.address_id WHERE a.person_id IS NULL AND a.unit_id IS NULL)")
    op.drop_index("ix_queue_waiting_kind_due", "outbox_pending")
    op.create_index("ix_queue_waiting_alerts_due", "outbox_pending", ["due_at"], sqlite_where=sa.text(_ALERTS),
                    postgresql_where=sa.text(_ALERTS))


def downgrade() -> None:
    op.drop_index("ix_queue_waiting_alerts_due", "outbox_pending")
    op.create_index("ix_queue_waiting_kind_due", "outbox_pending", ["kind", "due_at"], sqlite_where=sa.text(_WAITING),
                    postgresql_where=sa.text(_WAITING))
    with op.batch_alter_table("outbox_pending") as batch:
        batch.drop_column("alert")
