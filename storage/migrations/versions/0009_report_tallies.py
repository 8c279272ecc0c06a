"""report tallies: each directive's report marks summed per unit, leader, class and day, month, year, all
time; cancellations indexed with their leader, what awaits confirmation by deadline

Revision ID: 0009_report_tallies
Revises: 0008_import_key
"""

import sqlalchemy as sa
from alembic import op

revision = "0009_report_tallies"
down_revision = "0008_import_key"
branch_labels = None
depends_on = None

_UNMERGED = "merged = false"
_AWAITING = "state = 'awaiting_confirmation'"
_CANCELLED = ["cancelled_on", "assigned_on", "completed_on", "due_on", "reported_on"]
_KEYS: dict[str, list[sa.Column]] = {
    "unit_tallies": [sa.Column("unit_id", sa.Integer(), nullable=False), sa.Column("role", sa.String(8), nullable=False)],
    "leader_tallies": [sa.Column("leader_name", sa.String(200), nullable=True),
                       sa.Column("assigned_by_id", sa.Integer(), nullable=True)],
}


def upgrade() -> None:
    from storage.tallies import rebuild

    with op.batch_alter_table("directives") as batch_op:
        batch_op.add_column(sa.Column("tally", sa.JSON(), nullable=True))
    for name, keys in _KEYS.items():
        op.create_table(
            name,
            sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
            sa.Column("grain", sa.SmallInteger(), nullable=False),
            sa.Column("day", sa.Date(), nullable=False),
            *keys,
            sa.Column("cls", sa.String(2), nullable=False),
            sa.Column("n", sa.Integer(), nullable=False),
            sa.Column("merged", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        )
        op.create_index(f"ix_{name}_read", name, ["grain", "day", *(k.name for k in keys), "cls", "n"])
        op.create_index(f"ix_{name}_unmerged", name, ["id"], sqlite_where=sa.text(_UNMERGED),
                        postgresql_where=sa.text(_UNMERGED))
    op.drop_index("ix_directives_report_cancelled", "directives")
    op.create_index("ix_directives_report_cancelled_by", "directives", [*_CANCELLED, "leader_name", "assigned_by_id"])
    op.create_index("ix_directives_awaiting_due", "directives", ["due_on", "id"], sqlite_where=sa.text(_AWAITING),
                    postgresql_where=sa.text(_AWAITING))
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_directives_awaiting_due", "directives")
    op.drop_index("ix_directives_report_cancelled_by", "directives")
    op.create_index("ix_directives_report_cancelled", "directives", _CANCELLED)
    for name in _KEYS:
        op.drop_table(name)
    # Not in batch mode: SQLite would copy the table and drop the old one, and the drop would cascade to
    # every assignment. SQLite (3.35 and later) drops a column in place.
    op.drop_column("directives", "tally")
