"""The province's leaders as `bot.domain.leaders` reads them: one query, for the parser's resolution at creation
and for every place that shows or groups leaders (cards, notices, the reports' leaders, the web's breakdown)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.leaders import Identity, Leader, identify
from bot.domain.policy import Role
from storage.models import Person


async def leader_directory(session: AsyncSession) -> list[Leader]:
    """Every leader (those who left too: their directives still name them), with the title of their invite."""
    rows = await session.execute(select(Person.id, Person.full_name, Person.title, Person.active)
                                 .where(Person.role == Role.LEADER).order_by(Person.id))
    return [Leader(row.id, row.full_name, row.title, bool(row.active)) for row in rows]


def grouped(pairs: Iterable[tuple[str | None, int | None]], leaders: Sequence[Leader]) \
        -> dict[tuple[str | None, int | None], Identity | None]:
    """Each (leader name on the directive, who assigned it) as the one identity it names; a text no registered
    leader matches is shown as written, the same text-key shown by one spelling (the first in order)."""
    found: dict[tuple[str | None, int | None], Identity | None] = {}
    shown: dict[str, str] = {}
    for pair in sorted(set(pairs), key=lambda p: (p[0] or "", p[1] or 0)):
        ident = identify(pair[0], pair[1], leaders)
        if ident is not None and ident.person_id is None:
            ident = Identity(ident.key, shown.setdefault(ident.key, ident.shown))
        found[pair] = ident
    return found
