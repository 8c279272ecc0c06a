"""outbox pending: one send budget shared by every replica (the next free moment per channel and per address)

Revision ID: 0015_outbox_pending
Revises: 0013_message_origin
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_outbox_pending"
down_revision = "0013_message_origin"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "send_budget",
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("next_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_send_budget"),
    )


def downgrade() -> None:
    op.drop_table("send_budget")
