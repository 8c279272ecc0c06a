"""unit tallies: the report marks summed per lead unit and leader (one unit's breakdown by leader), one
unit's figures read from an index that begins with the unit, and its cancelled and done-after rows
indexed by unit and day (its cancelled count, its overdue list as of a past day), its work in progress by
deadline (its overdue and due-soon lists)

Revision ID: 0014_unit_tallies
Revises: 0013_message_origin
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_unit_tallies"
down_revision = "0013_message_origin"
branch_labels = None
depends_on = None

_UNMERGED = "merged = false"
_DATED = ["assigned_on", "due_on", "reported_on"]
_WORKING = "state IN ('assigned', 'in_progress')"


def upgrade() -> None:
    from storage.tallies import rebuild

    op.create_table(
        "unit_leader_tallies",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("grain", sa.SmallInteger(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("leader_name", sa.String(200), nullable=True),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column("cls", sa.String(2), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.Column("merged", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_unit_leader_tallies"),
    )
    op.create_index("ix_unit_leader_tallies_read", "unit_leader_tallies",
                    ["unit_id", "grain", "day", "cls", "leader_name", "assigned_by_id", "n"])
    op.create_index("ix_unit_leader_tallies_unmerged", "unit_leader_tallies", ["id"],
                    sqlite_where=sa.text(_UNMERGED), postgresql_where=sa.text(_UNMERGED))
    op.create_index("ix_unit_tallies_unit", "unit_tallies", ["unit_id", "grain", "day", "role", "cls", "n"])
    for column in ("cancelled_on", "completed_on"):
        where = sa.text(f"{column} IS NOT NULL")
        op.create_index(f"ix_assignments_unit_{column.removesuffix('_on')}", "assignments",
                        ["unit_id", "role", column, *_DATED], sqlite_where=where, postgresql_where=where)
    op.create_index("ix_assignments_unit_working", "assignments", ["unit_id", "role", "due_sort", "directive_id"],
                    sqlite_where=sa.text(_WORKING), postgresql_where=sa.text(_WORKING))
    rebuild(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_assignments_unit_working", "assignments")
    op.drop_index("ix_assignments_unit_completed", "assignments")
    op.drop_index("ix_assignments_unit_cancelled", "assignments")
    op.drop_index("ix_unit_tallies_unit", "unit_tallies")
    op.drop_table("unit_leader_tallies")
