"""outbox history: sent outbox rows move to their own table (their keys stay unique there and keep blocking a
second reminder), so the outbox holds what is still to be sent, held or failed

Revision ID: 0021_outbox_history
Revises: 0020_draft_previews
"""

import sqlalchemy as sa
from alembic import op

revision = "0021_outbox_history"
down_revision = "0020_draft_previews"
branch_labels = None
depends_on = None

# Written out rather than imported from storage.models: a migration stays what it was when the models move on.
_COLUMNS = ("id, key, directive_id, address_id, kind, deadline_version, payload, due_at, attempts, claimed_by, "
            "sent_at, last_error, uncertain, created_at")


def upgrade() -> None:
    op.create_table(
        "outbox_history",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("key", sa.String(160), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=True),
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("deadline_version", sa.Integer(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("uncertain", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["directive_id"], ["directives.id"], ondelete="CASCADE",
                                name="fk_outbox_history_directive_id_directives"),
        sa.ForeignKeyConstraint(["address_id"], ["addresses.id"], name="fk_outbox_history_address_id_addresses"),
        sa.PrimaryKeyConstraint("id", name="pk_outbox_history"),
        sa.UniqueConstraint("key", name="uq_outbox_history_key"),
    )
    op.create_index("ix_outbox_history_directive_id", "outbox_history", ["directive_id"])
    # The sent rows there are moved, then leave the outbox at once (nothing writes to it during the upgrade; none
    # is in the queue: a sent row never is).
    op.execute(f"INSERT INTO outbox_history ({_COLUMNS}, moved_at) SELECT {_COLUMNS}, coalesce(sent_at, created_at) "
               "FROM outbox WHERE status = 'sent'")
    op.execute("DELETE FROM outbox WHERE status = 'sent'")
    op.create_index("ix_outbox_sent_id", "outbox", ["id"], sqlite_where=sa.text("status = 'sent'"),
                    postgresql_where=sa.text("status = 'sent'"))


def downgrade() -> None:
    op.drop_index("ix_outbox_sent_id", "outbox")
    op.execute("DELETE FROM outbox WHERE status = 'sent' AND key IN (SELECT key FROM outbox_history)")  # copied
    op.execute(f"INSERT INTO outbox ({_COLUMNS}, status) SELECT {_COLUMNS}, 'sent' FROM outbox_history")
    op.drop_index("ix_outbox_history_directive_id", "outbox_history")
    op.drop_table("outbox_history")
