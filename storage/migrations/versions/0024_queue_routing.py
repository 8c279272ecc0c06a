"""queue routing (issue 23): a queued row carries its outbox row's address, directive and deadline version

The claim reads only the queue: what the dispatcher needs to group a batch by address and to drop stale
reminders (address, directive, deadline version, kind, due time) is copied onto the queue row when it is
queued, and the outbox row itself is read once, as it is sent (its payload, attempts, uncertain flag). At
1M directives on PostgreSQL, joining the 100 claimed ids to the outbox (4.7M rows, far larger than the
server's buffers) read about 100 heap pages from outside them at every claim. The three values never change
while a row is queued except by a requeue (an address moved), which copies them again; `verify-log` checks
that every queue row agrees with its outbox row.

Revision ID: 0024_queue_routing
Revises: 0023_queue_vacuum
"""

import sqlalchemy as sa
from alembic import op

revision = "0024_queue_routing"
down_revision = "0023_queue_vacuum"
branch_labels = None
depends_on = None

COLUMNS = ("address_id", "directive_id", "deadline_version")


def upgrade() -> None:
    # NOT NULL with a default only so the column can be added to a filled table; every row is set below.
    op.add_column("outbox_pending", sa.Column("address_id", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("outbox_pending", sa.Column("directive_id", sa.Integer(), nullable=True))
    op.add_column("outbox_pending", sa.Column("deadline_version", sa.Integer(), nullable=False,
                                              server_default="0"))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("UPDATE outbox_pending q SET address_id = o.address_id, directive_id = o.directive_id, "
                   "deadline_version = o.deadline_version FROM outbox o WHERE o.id = q.id")
    else:
        op.execute("UPDATE outbox_pending SET (address_id, directive_id, deadline_version) = "
                   "(SELECT o.address_id, o.directive_id, o.deadline_version FROM outbox o "
                   "WHERE o.id = outbox_pending.id)")


def downgrade() -> None:
    with op.batch_alter_table("outbox_pending") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
