"""message origin: which chat message each draft was read from, so an edited message updates its drafts

Revision ID: 0013_message_origin
Revises: 0012_web
"""

import sqlalchemy as sa
from alembic import op

revision = "0013_message_origin"
down_revision = "0012_web"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "message_origins",
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["directive_id"], ["directives.id"], ondelete="CASCADE",
                                name="fk_message_origins_directive_id_directives"),
        sa.PrimaryKeyConstraint("chat_id", "message_id", "position", name="pk_message_origins"),
    )
    op.create_index("ix_message_origins_directive_id", "message_origins", ["directive_id"])


def downgrade() -> None:
    op.drop_index("ix_message_origins_directive_id", "message_origins")
    op.drop_table("message_origins")
