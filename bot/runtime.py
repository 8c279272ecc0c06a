"""What every use case needs: sessions, settings and the working calendar, built once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from bot.domain.calendar import WorkingCalendar
from bot.domain.directive import Rules
from bot.errors import DomainError
from bot.services.ports import UnitOfWork
from bot.settings import Settings
from storage.db import make_engine, make_sessionmaker, upgrade
from storage.repository import SqlUnitOfWork


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    calendar: WorkingCalendar
    # What is read often and changes rarely (the unit catalogue), with the version it was read at.
    cache: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def build(cls, settings: Settings, database_url: str | None = None) -> Runtime:
        engine = make_engine(database_url or settings.database_url)
        calendar = WorkingCalendar(settings.extra_days_off, settings.extra_working_days)
        return cls(settings, engine, make_sessionmaker(engine), calendar)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One use case, one transaction: commit on success, roll back on any error. A write that lost a
        race on a directive's version (someone changed it meanwhile) becomes a clear 'try again'."""
        try:
            async with self.sessions.begin() as session:
                yield session
        except StaleDataError:
            raise DomainError("action.conflict") from None

    @property
    def rules(self) -> Rules:
        return Rules(self.calendar, self.settings.tz, self.settings.max_text_chars)

    @asynccontextmanager
    async def uow(self, *, read_only: bool = False) -> AsyncIterator[UnitOfWork]:
        """One use case's unit of work: its repositories over one transaction (committed on success, rolled
        back on any error; `read_only`: never committed)."""
        if read_only:
            async with self.sessions() as session:
                yield self.uow_on(session)
            return
        async with self.transaction() as session:
            yield self.uow_on(session)

    def uow_on(self, session: AsyncSession) -> UnitOfWork:
        """The repositories over a transaction a caller already holds (the dispatcher's, a join's)."""
        return SqlUnitOfWork(session, self.rules, self.settings.reminder_policy())

    async def upgrade(self) -> None:
        await upgrade(self.engine)

    async def close(self) -> None:
        await self.engine.dispose()
