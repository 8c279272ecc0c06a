"""import key: an imported directive keeps the fingerprint of its row, so a file sent again skips it

Revision ID: 0008_import_key
Revises: 0007_search
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_import_key"
down_revision = "0007_search"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("directives") as batch_op:
        batch_op.add_column(sa.Column("import_key", sa.String(length=64), nullable=True))
    _backfill()
    op.create_index("ix_directives_import_key", "directives", ["import_key"], unique=True)


def _backfill() -> None:
    """Directives imported before this revision get their key from their "imported" event's snapshot, so
    the sheets already sent are recognised too; of a file already imported twice, the first copy keeps it."""
    from bot.imports.sheet import import_key

    events = sa.table("events", sa.column("directive_id", sa.Integer), sa.column("kind", sa.String),
                      sa.column("data", sa.JSON), sa.column("id", sa.Integer))
    directives = sa.table("directives", sa.column("id", sa.Integer), sa.column("import_key", sa.String))
    bind = op.get_bind()
    seen: set[str] = set()
    rows = bind.execute(sa.select(events.c.directive_id, events.c.data)
                        .where(events.c.kind == "imported").order_by(events.c.id)).all()
    for directive_id, data in rows:
        after = (data or {}).get("after") or {}
        if directive_id is None or not after.get("content"):
            continue
        key = import_key(after["content"], list(after.get("lead") or []), after.get("source_number"),
                         after.get("source_date"))
        if key not in seen:
            seen.add(key)
            bind.execute(directives.update().where(directives.c.id == directive_id).values(import_key=key))


def downgrade() -> None:
    op.drop_index("ix_directives_import_key", "directives")
    with op.batch_alter_table("directives") as batch_op:
        batch_op.drop_column("import_key")
