"""Word search over directives, index-served on each database: an FTS5 table kept by triggers on SQLite, a
GIN index over a tsvector on PostgreSQL. Both read `directives.search_text` (accent-folded code, content
and source) as words of letters and digits and match, newest first, every word asked as a whole word but
the last, which may be the beginning of one ("ra soat" finds "rà soát các dự án", "ho so thu t" finds "hồ
sơ thủ tục"). A Vietnamese word is one syllable, typed whole; only the one still being typed may be cut
short. Taking every word as a beginning would also match "hồ" to "hoàn", "họp", "hỗ trợ"… and make a
rare pair of common words walk huge posting lists.

On SQLite a cut-short last word is spelt out, before the search, as the few whole words of the index that
begin with it (read from a per-connection `fts5vocab` table, one seek a word): FTS5 answers a prefix
query by gathering every posting of every word it could be in memory, which at a million directives
costs ~7 ms for "soat*" and is paid by the count and the page alike, where an OR of a few words is read
lazily, newest first, and stops at the page's end. A beginning of more than `SPELT_OUT` words ("s") is
left to FTS5's own prefix query.

The structures are dialect-specific, so they live here rather than in the models: migration 0007 creates
them with `create(connection)`. A later migration that rebuilds the directives table on SQLite (Alembic's
batch mode) drops the triggers with it and must call `create` again."""

from __future__ import annotations

import re

from sqlalchemy import TextClause, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncSession

SAMPLED, NEWEST_TRIED = 2_000, 20_000  # directives a PostgreSQL count looks at first (see `count`)
SPELT_OUT = 24  # on SQLite, a last word cut short is looked up as at most this many whole words
TERMS = "directives_search_terms"  # SQLite: the index's words, a temporary fts5vocab table on each connection
STRUCTURES = ("directives_search", "ix_directives_search", "search_vector")  # left aside by the drift check
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
_POSTGRES = (
    # Stored, so a row is matched without folding its text again, and the planner has statistics on it.
    "ALTER TABLE directives ADD COLUMN search_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', regexp_replace(search_text, '[^a-z0-9]+', ' ', 'g'))) STORED",
    "CREATE INDEX ix_directives_search ON directives USING gin (search_vector)",
)


def create(connection: Connection) -> None:
    for statement in _SQLITE if connection.dialect.name == "sqlite" else _POSTGRES:
        connection.execute(text(statement))


def connect(dbapi_connection) -> None:  # noqa: ANN001 (a DB-API connection)
    """On each new SQLite connection: the temporary table the index's words are read from (its FTS5 table
    is looked up when it is read, so it may be created before the migrations), and `HAS_WORDS`."""
    cursor = dbapi_connection.cursor()
    cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{TERMS} USING fts5vocab(main, directives_search, 'instance')")
    cursor.close()
    dbapi_connection.create_function(HAS_WORDS, 2, has_words, deterministic=True)


HAS_WORDS = "dondoc_has_words"
_TOKEN = re.compile(r"[^\W_]+")  # FTS5's unicode61 tokens: runs of letters and digits


def has_words(search_text: str | None, words: str) -> bool:
    """The index's test for one directive, on its `search_text`: every word of `words` (space-separated,
    of [a-z0-9]+) one of its tokens, the last one the beginning of one. The same as the full-text query
    `_match` builds, for a filter that tests the rows it reads one at a time: FTS5 answers «does this row
    match» only by gathering every match of the words (125,000 rowids for «rà soát» at 1M directives, 23 ms
    a list), or, asked for one rowid, by reading each word's whole list again (0.1–4 ms a row)."""
    *whole, last = words.split()
    tokens = set(_TOKEN.findall(search_text or ""))
    return all(word in tokens for word in whole) and any(token.startswith(last) for token in tokens)


_SPELT = (  # each step one seek of the words' b-tree: the next word after the one found (chr(1) is never in one)
    f"WITH RECURSIVE spelt(term, n) AS (SELECT (SELECT term FROM temp.{TERMS} WHERE term >= :b LIMIT 1), 1 "
    f"UNION ALL SELECT (SELECT term FROM temp.{TERMS} WHERE term >= spelt.term || char(1) LIMIT 1), n + 1 "
    "FROM spelt WHERE spelt.term IS NOT NULL AND substr(spelt.term, 1, length(:b)) = :b AND n <= :most) "
    "SELECT term FROM spelt WHERE term IS NOT NULL AND substr(term, 1, length(:b)) = :b")


async def _spelt_out(session: AsyncSession, beginning: str) -> list[str] | None:
    """The index's words that begin with `beginning` (of [a-z0-9]+), in order, read in one statement; None
    when there are more than `SPELT_OUT`. A session reads them once (the count and the page ask alike)."""
    key = ("search.spelt", beginning)
    if key not in session.info:
        found = list(await session.scalars(text(_SPELT), {"b": beginning, "most": SPELT_OUT}))
        session.info[key] = found if len(found) <= SPELT_OUT else None
    return session.info[key]


async def _query(session: AsyncSession, dialect: str, words: list[str]) -> tuple[str, str]:
    """`_match`, with on SQLite the last word spelt out when it begins few words of the index."""
    condition, q = _match(dialect, words)
    if dialect != "sqlite":
        return condition, q
    spelt = await _spelt_out(session, words[-1])
    if spelt is None:
        return condition, q
    last = " OR ".join(f'"{w}"' for w in spelt) if spelt else f'"{words[-1]}"*'  # none: nothing matches
    return condition, " AND ".join([f'"{w}"' for w in words[:-1]] + [f"({last})"])


def drop(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for trigger in ("insert", "delete", "update"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS directives_search_{trigger}"))
        connection.execute(text("DROP TABLE IF EXISTS directives_search"))
    else:
        connection.execute(text("DROP INDEX IF EXISTS ix_directives_search"))
        connection.execute(text("ALTER TABLE directives DROP COLUMN IF EXISTS search_vector"))


def _match(dialect: str, words: list[str]) -> tuple[str, str]:
    """The condition and its parameter: every word (of [a-z0-9]+, so safe to write as it is) whole, the last
    as a beginning. On PostgreSQL the query is built once in a sub-select: asyncpg's statements end up with
    a generic plan, which would otherwise parse the query again for every row a filter tests."""
    if dialect == "sqlite":
        return "directives_search MATCH :q", " AND ".join([f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*'])
    return ("search_vector @@ (SELECT to_tsquery('simple', :q))",
            " & ".join([*words[:-1], f"{words[-1]}:*"]))


def matches(dialect: str, words: list[str], *, one_row: bool = False) -> TextClause:
    """The search's own condition on the `directives` table (the same words, whole but the last), for a
    query that filters by words among other conditions (the web app's lists). `one_row`: the form for a
    condition tested on one directive at a time (on SQLite `has_words`; the full-text index's form gathers
    every match first, which pays only for a rare word over many rows)."""
    if dialect == "sqlite" and one_row:
        return text(f"{HAS_WORDS}(directives.search_text, :search_words)").bindparams(search_words=" ".join(words))
    if dialect == "sqlite":
        sql = "directives.id IN (SELECT rowid FROM directives_search WHERE directives_search MATCH :search_q)"
    else:
        sql = "directives.search_vector @@ (SELECT to_tsquery('simple', :search_q))"
    return text(sql).bindparams(search_q=_match(dialect, words)[1])


def _dialect(session: AsyncSession) -> str:
    assert session.bind is not None
    return session.bind.dialect.name


async def count(session: AsyncSession, words: list[str], *, at_most: int) -> int:
    """How many non-draft directives match, counting no further than `at_most` + 1. On PostgreSQL a common
    query is counted among the newest directives, where it finds its fill at once and the index would have to
    gather every match of its words. Which queries are common, the planner cannot tell (its estimate of a
    prefix query is poor): the newest `SAMPLED` directives tell it instead."""
    dialect = _dialect(session)
    condition, q = await _query(session, dialect, words)
    params = {"q": q, "limit": at_most + 1}
    if dialect == "sqlite":
        source = "directives_search s JOIN directives d ON d.id = s.rowid"
    else:
        sampled = await _count_newest(session, condition, SAMPLED, {**params, "limit": SAMPLED})
        if sampled * NEWEST_TRIED > at_most * SAMPLED:
            newest = await _count_newest(session, condition, NEWEST_TRIED, params)
            if newest > at_most:
                return newest
        source = "directives d"
    found = await session.scalar(text(f"SELECT count(*) FROM (SELECT 1 FROM {source} WHERE {condition} "
                                      "AND d.state != 'draft' LIMIT :limit) AS found"), params)
    return int(found or 0)


async def _count_newest(session: AsyncSession, condition: str, newest: int, params: dict[str, object]) -> int:
    found = await session.scalar(text(
        f"SELECT count(*) FROM (SELECT 1 FROM (SELECT search_vector, state FROM directives ORDER BY id DESC "
        f"LIMIT {newest}) d WHERE {condition} AND d.state != 'draft' LIMIT :limit) AS found"), params)
    return int(found or 0)


async def matching_ids(session: AsyncSession, words: list[str], *, limit: int, offset: int = 0,
                       many: bool = True) -> list[int]:
    """A page of the matching directives' ids, newest first. On PostgreSQL the way depends on how many
    match (the caller has counted): few are gathered from the index and sorted; many are met walking the
    directives newest first, which the planner must be told (its estimate of a prefix query is poor)."""
    dialect = _dialect(session)
    condition, q = await _query(session, dialect, words)
    params = {"q": q, "limit": limit, "offset": offset}
    if dialect == "sqlite":
        sql = ("SELECT d.id FROM directives_search s JOIN directives d ON d.id = s.rowid "
               f"WHERE {condition} AND d.state != 'draft' ORDER BY s.rowid DESC LIMIT :limit OFFSET :offset")
    elif many:
        await session.execute(text("SET LOCAL enable_bitmapscan = off"))
        sql = (f"SELECT d.id FROM directives d WHERE {condition} AND d.state != 'draft' "
               "ORDER BY d.id DESC LIMIT :limit OFFSET :offset")
    else:
        sql = (f"WITH found AS MATERIALIZED (SELECT d.id FROM directives d WHERE {condition} AND d.state != 'draft') "
               "SELECT id FROM found ORDER BY id DESC LIMIT :limit OFFSET :offset")
    return [row[0] for row in await session.execute(text(sql), params)]
