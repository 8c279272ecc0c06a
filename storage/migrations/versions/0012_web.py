"""web app: sessions, single-use sign-in links, API clients, and the bytes of files uploaded on the web

Revision ID: 0012_web
Revises: 0010_outbox_partial_indexes
"""

import sqlalchemy as sa
from alembic import op

revision = "0012_web"
down_revision = "0011_addresses"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_web_sessions_person_id_people",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_web_sessions"),
        sa.UniqueConstraint("token_hash", name="uq_web_sessions_token_hash"),
    )
    op.create_index("ix_web_sessions_person_id", "web_sessions", ["person_id"])
    op.create_table(
        "web_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_web_links_person_id_people",
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name="pk_web_links"),
        sa.UniqueConstraint("token_hash", name="uq_web_links_token_hash"),
    )
    op.create_index("ix_web_links_person_id", "web_links", ["person_id"])
    op.create_table(
        "api_clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_api_clients"),
        sa.UniqueConstraint("name", name="uq_api_clients_name"),
        sa.UniqueConstraint("token_hash", name="uq_api_clients_token_hash"),
    )
    op.create_table(
        "file_blobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("mime_type", sa.String(length=128), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name="fk_file_blobs_person_id_people",
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_file_blobs"),
    )


def downgrade() -> None:
    op.drop_table("file_blobs")
    op.drop_table("api_clients")
    op.drop_index("ix_web_links_person_id", "web_links")
    op.drop_table("web_links")
    op.drop_index("ix_web_sessions_person_id", "web_sessions")
    op.drop_table("web_sessions")
