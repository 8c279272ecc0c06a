"""reminders: leases, uncertain deliveries, an index for lapsed claims

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "leases",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("holder", sa.String(length=64), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_leases")),
    )
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("uncertain", sa.Boolean(), server_default="0", nullable=False))
        batch_op.create_index("ix_outbox_status_lease_until", ["status", "lease_until"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_index("ix_outbox_status_lease_until")
        batch_op.drop_column("uncertain")
    op.drop_table("leases")
