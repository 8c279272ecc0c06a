"""zalo: what a text channel's reader was last offered to reply (the numbered replies of the last notice or
card), and an invite that adds a channel to a person already registered

Revision ID: 0016_zalo
Revises: 0015_outbox_pending
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_zalo"
down_revision = "0015_outbox_pending"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("address_id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["address_id"], ["addresses.id"], ondelete="CASCADE",
                                name="fk_offers_address_id_addresses"),
        sa.ForeignKeyConstraint(["directive_id"], ["directives.id"], ondelete="CASCADE",
                                name="fk_offers_directive_id_directives"),
        sa.PrimaryKeyConstraint("address_id", name="pk_offers"),
    )
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_invites_person_id_people", "people", ["person_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.drop_constraint("fk_invites_person_id_people", type_="foreignkey")
        batch.drop_column("person_id")
    op.drop_table("offers")
