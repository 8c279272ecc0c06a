"""draft questions: what the parser was unsure of; a draft is not assigned before they are answered

Revision ID: 0018_draft_questions
Revises: 0017_day
"""

import sqlalchemy as sa
from alembic import op

revision = "0018_draft_questions"
down_revision = "0017_day"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("directives") as batch:
        batch.add_column(sa.Column("questions", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("directives") as batch:
        batch.drop_column("questions")
