"""outbox pending: the rows due to be sent in their own small table (ids and due times, claimed there), and
one send budget shared by every replica (the next free moment per channel and per address)

Revision ID: 0015_outbox_pending
Revises: 0014_unit_tallies
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_outbox_pending"
down_revision = "0014_unit_tallies"
branch_labels = None
depends_on = None

_QUEUE_INDEXES = [
    ("ix_queue_waiting_due", ["due_at"], "lease_until IS NULL"),
    ("ix_queue_waiting_kind_due", ["kind", "due_at"], "lease_until IS NULL"),
    ("ix_queue_claimed_lease", ["lease_until"], "lease_until IS NOT NULL"),
]


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("next_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_send_budget"),
    )
    op.create_table(
        "outbox_pending",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["id"], ["outbox.id"], ondelete="CASCADE", name="fk_outbox_pending_id_outbox"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_pending"),
    )
    for name, columns, where in _QUEUE_INDEXES:
        op.create_index(name, "outbox_pending", columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    # A claim is now a lease on the queue's row: rows the old dispatcher had claimed are pending again, with
    # their lease kept (a row caught "sending" keeps its status: resent, it is flagged uncertain).
    op.execute("UPDATE outbox SET status = 'pending' WHERE status = 'claimed'")
    op.execute("INSERT INTO outbox_pending (id, kind, due_at, lease_until, claimed_by) "
               "SELECT id, kind, due_at, lease_until, claimed_by FROM outbox WHERE status IN ('pending', 'sending')")


def downgrade() -> None:
    op.execute("UPDATE outbox SET lease_until = (SELECT q.lease_until FROM outbox_pending q WHERE q.id = outbox.id), "
               "status = CASE WHEN status = 'pending' AND id IN (SELECT id FROM outbox_pending "
               "WHERE lease_until IS NOT NULL) THEN 'claimed' ELSE status END "
               "WHERE id IN (SELECT id FROM outbox_pending)")
    for name, _, _ in _QUEUE_INDEXES:
        op.drop_index(name, "outbox_pending")
    op.drop_table("outbox_pending")
    op.drop_table("send_budget")
