"""search: word search served by FTS5 (SQLite) or a GIN index over a tsvector (PostgreSQL)

Revision ID: 0007_search
Revises: 0006_read_model
"""

from alembic import op

revision = "0007_search"
down_revision = "0006_read_model"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from storage import search

    search.create(op.get_bind())


def downgrade() -> None:
    from storage import search

    search.drop(op.get_bind())
