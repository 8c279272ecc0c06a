"""Word search over directives, index-served on each database: an FTS5 table kept by triggers on SQLite, a
GIN index over a tsvector on PostgreSQL. Both read `directives.search_text` (accent-folded code, content
and source) as words of letters and digits, and match every word asked as a prefix ("ra soat" finds "rà
soát các dự án"), newest first.

The structures are dialect-specific, so they live here rather than in the models: migration 0007 creates
them with `create(connection)`. A later migration that rebuilds the directives table on SQLite (Alembic's
batch mode) drops the triggers with it and must call `create` again."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

STRUCTURES = ("directives_search", "ix_directives_search")  # names the schema-drift check leaves aside
_SQLITE = (
    "CREATE VIRTUAL TABLE directives_search USING fts5(search_text, content='directives', content_rowid='id')",
    "CREATE TRIGGER directives_search_insert AFTER INSERT ON directives BEGIN "
    "INSERT INTO directives_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER directives_search_delete AFTER DELETE ON directives BEGIN "
    "INSERT INTO directives_search(directives_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER directives_search_update AFTER UPDATE OF search_text ON directives BEGIN "
    "INSERT INTO directives_search(directives_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO directives_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO directives_search(directives_search) VALUES ('rebuild')",
)
_VECTOR = "to_tsvector('simple', regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g'))"
_POSTGRES = (f"CREATE INDEX ix_directives_search ON directives USING gin ({_VECTOR})",)


def create(connection: Connection) -> None:
    for statement in _SQLITE if connection.dialect.name == "sqlite" else _POSTGRES:
        connection.execute(text(statement))


def drop(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS directives_search_{trigger}"))
        connection.execute(text("DROP TABLE IF EXISTS directives_search"))
    else:
        connection.execute(text("DROP INDEX IF EXISTS ix_directives_search"))


def _query(dialect: str, words: list[str]) -> tuple[str, dict[str, str]]:
    """The ids of non-draft directives holding every word as a prefix, newest first (words are [a-z0-9]+,
    so they go into the match expression as they are)."""
    if dialect == "sqlite":
        match = " AND ".join(f'"{w}"*' for w in words)
        return ("SELECT d.id FROM directives_search s JOIN directives d ON d.id = s.rowid "
                "WHERE directives_search MATCH :q AND d.state != 'draft' ORDER BY s.rowid DESC"), {"q": match}
    query = " & ".join(f"{w}:*" for w in words)
    return (f"SELECT id FROM directives WHERE {_VECTOR} @@ to_tsquery('simple', :q) AND state != 'draft' "
            "ORDER BY id DESC"), {"q": query}


def _dialect(session: AsyncSession) -> str:
    assert session.bind is not None
    return session.bind.dialect.name


async def matching_ids(session: AsyncSession, words: list[str], *, limit: int, offset: int = 0) -> list[int]:
    sql, params = _query(_dialect(session), words)
    rows = await session.execute(text(f"{sql} LIMIT :limit OFFSET :offset"), {**params, "limit": limit,
                                                                                 "offset": offset})
    return [row[0] for row in rows]


async def count(session: AsyncSession, words: list[str], *, at_most: int) -> int:
    """How many match, counting no further than `at_most` + 1."""
    sql, params = _query(_dialect(session), words)
    found = await session.scalar(text(f"SELECT count(*) FROM ({sql} LIMIT :limit) AS found"),
                                 {**params, "limit": at_most + 1})
    return int(found or 0)
