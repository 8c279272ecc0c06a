"""addresses: people and units are reached at channel addresses; the outbox names an address, not a chat

Revision ID: 0011_addresses
Revises: 0010_outbox_partial_indexes

Every Telegram chat the bot knew (`chats`), every registered person's private chat and every chat the
outbox held rows for becomes an address (channel "telegram", the chat id as text). Outbox rows name the
address, and their de-duplicating keys name it too (`…:@<address id>` where the chat id was), so a
reminder planned again after the upgrade finds the row planned before it.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0011_addresses"
down_revision = "0010_outbox_partial_indexes"
branch_labels = None
depends_on = None

BATCH = 5000
REMINDER_KINDS = ("remind_before", "remind_overdue", "escalation")
_PARTIAL = {
    "ix_outbox_pending_due": (["due_at"], "status = 'pending'"),
    "ix_outbox_pending_kind_due": (["kind", "due_at"], "status = 'pending'"),
    "ix_outbox_in_flight_lease": (["lease_until"], "status IN ('claimed', 'sending')"),
    "ix_outbox_failed_status_due": (["status", "due_at"], "status IN ('dead', 'uncertain', 'unreachable')"),
}
_WAITING = ("ix_outbox_waiting_address", ["address_id"], "status IN ('pending', 'unreachable')")


def _recipient_at(key: str) -> int | None:
    """Which ':'-separated part of an outbox key names the recipient: the last of a notice's or a digest's
    key, the third of a reminder's (`remind_before:<directive>:<chat>:v<n>:<step>`)."""
    parts = key.split(":")
    if parts[0] in REMINDER_KINDS and len(parts) == 5:
        return 2
    if parts[0] in ("event", "digest") and len(parts) >= 3:
        return len(parts) - 1
    return None


def rekey(key: str, old: str, new: str) -> str:
    parts = key.split(":")
    at = _recipient_at(key)
    if at is None or parts[at] != old:
        return key
    parts[at] = new
    return ":".join(parts)


def _rewrite_keys(bind: sa.engine.Connection, to_address: bool) -> None:
    """Keyset pages of the outbox; each row's key gets its recipient written the new (or old) way."""
    outbox = sa.table("outbox", sa.column("id", sa.Integer), sa.column("key", sa.String),
                      sa.column("chat_id", sa.BigInteger), sa.column("address_id", sa.Integer))
    after = 0
    while True:
        rows = bind.execute(sa.select(outbox.c.id, outbox.c.key, outbox.c.chat_id, outbox.c.address_id)
                            .where(outbox.c.id > after).order_by(outbox.c.id).limit(BATCH)).all()
        if not rows:
            return
        changes = []
        for row in rows:
            old, new = (str(row.chat_id), f"@{row.address_id}") if to_address \
                else (f"@{row.address_id}", str(row.chat_id))
            key = rekey(row.key, old, new)
            if key != row.key:
                changes.append({"b_id": row.id, "b_key": key})
        if changes:
            bind.execute(outbox.update().where(outbox.c.id == sa.bindparam("b_id")).values(key=sa.bindparam("b_key")),
                         changes)
        after = rows[-1].id


def upgrade() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC)
    op.create_table(
        "addresses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_addresses_person_id_people")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_addresses_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_addresses")),
        sa.UniqueConstraint("channel", "external_id", name=op.f("uq_addresses_channel")),
    )
    op.create_index(op.f("ix_addresses_person_id"), "addresses", ["person_id"])
    op.create_index(op.f("ix_addresses_unit_id"), "addresses", ["unit_id"])
    text_id = "CAST({} AS VARCHAR(64))"
    bind.execute(sa.text(
        "INSERT INTO addresses (channel, external_id, kind, title, person_id, unit_id, reachable, created_at) "
        f"SELECT 'telegram', {text_id.format('telegram_chat_id')}, kind, title, person_id, unit_id, reachable, "
        "created_at FROM chats"))
    missing = ("NOT EXISTS (SELECT 1 FROM addresses a WHERE a.channel = 'telegram' "
               "AND a.external_id = {})")
    bind.execute(sa.text(
        "INSERT INTO addresses (channel, external_id, kind, person_id, reachable, created_at) "
        f"SELECT 'telegram', {text_id.format('p.telegram_id')}, 'private', p.id, :yes, p.created_at FROM people p "
        f"WHERE {missing.format(text_id.format('p.telegram_id'))}"), {"yes": True})
    # A private chat's address belongs to its person even where the chat row did not say so.
    bind.execute(sa.text(
        "UPDATE addresses SET person_id = (SELECT p.id FROM people p WHERE "
        f"{text_id.format('p.telegram_id')} = addresses.external_id) "
        "WHERE kind = 'private' AND person_id IS NULL AND channel = 'telegram'"))
    chats = [row[0] for row in bind.execute(sa.text("SELECT DISTINCT chat_id FROM outbox"))]
    known = {row[0] for row in bind.execute(sa.text("SELECT external_id FROM addresses WHERE channel = 'telegram'"))}
    for chat in chats:
        if str(chat) not in known:
            bind.execute(sa.text(
                "INSERT INTO addresses (channel, external_id, kind, reachable, created_at) "
                "VALUES ('telegram', :id, :kind, :yes, :now)"),
                {"id": str(chat), "kind": "group" if chat < 0 else "private", "yes": True, "now": now})
    for name in _PARTIAL:
        op.drop_index(name, "outbox")
    op.add_column("outbox", sa.Column("address_id", sa.Integer(), nullable=True))
    bind.execute(sa.text(
        "UPDATE outbox SET address_id = (SELECT a.id FROM addresses a WHERE a.channel = 'telegram' "
        f"AND a.external_id = {text_id.format('outbox.chat_id')})"))
    _rewrite_keys(bind, to_address=True)
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("address_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(op.f("fk_outbox_address_id_addresses"), "addresses", ["address_id"], ["id"])
        batch.drop_column("chat_id")
    for name, (columns, where) in _PARTIAL.items():
        op.create_index(name, "outbox", columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    name, columns, where = _WAITING
    op.create_index(name, "outbox", columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    with op.batch_alter_table("people") as batch:
        batch.alter_column("telegram_id", existing_type=sa.BigInteger(), nullable=True)
        batch.add_column(sa.Column("preferred_channel", sa.String(length=16), nullable=True))
    op.drop_index("ix_chats_person_id", "chats")
    op.drop_index("ix_chats_unit_id", "chats")
    op.drop_table("chats")


def downgrade() -> None:
    bind = op.get_bind()
    op.create_table(
        "chats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("reachable", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["people.id"], name=op.f("fk_chats_person_id_people")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_chats_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chats")),
        sa.UniqueConstraint("telegram_chat_id", name=op.f("uq_chats_telegram_chat_id")),
    )
    op.create_index("ix_chats_person_id", "chats", ["person_id"])
    op.create_index("ix_chats_unit_id", "chats", ["unit_id"])
    bind.execute(sa.text(
        "INSERT INTO chats (telegram_chat_id, kind, title, unit_id, person_id, reachable, created_at) "
        "SELECT CAST(external_id AS BIGINT), kind, title, unit_id, person_id, reachable, created_at "
        "FROM addresses WHERE channel = 'telegram'"))
    # What only another channel could carry has nowhere to go in the older schema.
    bind.execute(sa.text("DELETE FROM outbox WHERE address_id IN (SELECT id FROM addresses WHERE channel <> 'telegram')"))
    op.drop_index(_WAITING[0], "outbox")
    for name in _PARTIAL:
        op.drop_index(name, "outbox")
    op.add_column("outbox", sa.Column("chat_id", sa.BigInteger(), nullable=True))
    bind.execute(sa.text("UPDATE outbox SET chat_id = (SELECT CAST(a.external_id AS BIGINT) FROM addresses a "
                         "WHERE a.id = outbox.address_id)"))
    _rewrite_keys(bind, to_address=False)
    with op.batch_alter_table("outbox") as batch:
        batch.alter_column("chat_id", existing_type=sa.BigInteger(), nullable=False)
        batch.drop_constraint(op.f("fk_outbox_address_id_addresses"), type_="foreignkey")
        batch.drop_column("address_id")
    for name, (columns, where) in _PARTIAL.items():
        op.create_index(name, "outbox", columns, sqlite_where=sa.text(where), postgresql_where=sa.text(where))
    with op.batch_alter_table("people") as batch:
        batch.drop_column("preferred_channel")
        batch.alter_column("telegram_id", existing_type=sa.BigInteger(), nullable=False)
    op.drop_index(op.f("ix_addresses_unit_id"), "addresses")
    op.drop_index(op.f("ix_addresses_person_id"), "addresses")
    op.drop_table("addresses")
