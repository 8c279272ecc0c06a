"""people's titles: an invite may carry the person's title and display name; a person keeps their title

Revision ID: 0017_day
Revises: 0016_zalo
"""

import sqlalchemy as sa
from alembic import op

revision = "0017_day"
down_revision = "0016_zalo"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("invites") as batch:
        batch.add_column(sa.Column("full_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("title", sa.String(200), nullable=True))
    with op.batch_alter_table("people") as batch:
        batch.add_column(sa.Column("title", sa.String(200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("people") as batch:
        batch.drop_column("title")
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("title")
        batch.drop_column("full_name")
