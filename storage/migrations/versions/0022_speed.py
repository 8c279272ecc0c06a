"""speed (issue 23): on SQLite, one INSERT writes a change's rows of the three report tallies; an index of a
unit's part newest first for the web list of a past period

SQLite cannot write several tables in one statement (PostgreSQL does it with a data-modifying WITH), so a
move wrote its tally rows in three INSERTs. `tally_rows` is a view that holds nothing and takes inserts:
its INSTEAD OF trigger puts each row into the table its `tbl` names (0 unit_tallies, 1 leader_tallies,
2 unit_leader_tallies); storage/tallies.py writes through it. PostgreSQL is unchanged.

`ix_assignments_unit_role_directive` (unit, role, directive, assignment day): the web list of a past period
read a unit's new work newest first by walking the (directive, unit) index over every unit's rows newer than
the period (PostgreSQL) or the (unit, directive) one reading each row's day from the table (SQLite).

A later migration that rebuilds one of the three tables on SQLite (batch mode) drops this view and its
trigger first and makes them again after: SQLite checks the views' tables when a table is renamed.

Revision ID: 0022_speed
Revises: 0020_draft_previews
"""

from alembic import op

revision = "0022_speed"
down_revision = "0021_outbox_history"
branch_labels = None
depends_on = None

VIEW = """
CREATE VIEW tally_rows AS
SELECT 0 AS tbl, grain, day, unit_id, role, NULL AS leader_name, NULL AS assigned_by_id, cls, n, merged
FROM unit_tallies WHERE 0
"""
TRIGGER = """
CREATE TRIGGER tally_rows_insert INSTEAD OF INSERT ON tally_rows
BEGIN
    INSERT INTO unit_tallies (grain, day, unit_id, role, cls, n, merged)
    SELECT NEW.grain, NEW.day, NEW.unit_id, NEW.role, NEW.cls, NEW.n, NEW.merged WHERE NEW.tbl = 0;
    INSERT INTO leader_tallies (grain, day, leader_name, assigned_by_id, cls, n, merged)
    SELECT NEW.grain, NEW.day, NEW.leader_name, NEW.assigned_by_id, NEW.cls, NEW.n, NEW.merged WHERE NEW.tbl = 1;
    INSERT INTO unit_leader_tallies (grain, day, unit_id, leader_name, assigned_by_id, cls, n, merged)
    SELECT NEW.grain, NEW.day, NEW.unit_id, NEW.leader_name, NEW.assigned_by_id, NEW.cls, NEW.n, NEW.merged
    WHERE NEW.tbl = 2;
END
"""


def upgrade() -> None:
    op.create_index("ix_assignments_unit_role_directive", "assignments",
                    ["unit_id", "role", "directive_id", "assigned_on"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(VIEW)
        op.execute(TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS tally_rows_insert")
        op.execute("DROP VIEW IF EXISTS tally_rows")
    op.drop_index("ix_assignments_unit_role_directive", table_name="assignments")
