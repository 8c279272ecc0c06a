"""draft previews: the bot's preview message of each draft read from a pasted message, kept with the draft's
origin so that «Giao tất cả» turns the previews into cards after a restart too

Revision ID: 0020_draft_previews
Revises: 0019_pending_office
"""

import sqlalchemy as sa
from alembic import op

revision = "0020_draft_previews"
down_revision = "0019_pending_office"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("message_origins") as batch:
        batch.add_column(sa.Column("preview_message_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("message_origins") as batch:
        batch.drop_column("preview_message_id")
