"""Helpers for the reliability tests: bot processes on a chosen database, a seeded reminder burst,
and who received what according to the emulator.

A burst is written straight into the outbox, as the services would have written it: one open
directive per reminder (deadline a month away), one ``remind_before`` row per (directive, chat), all
due a minute ago. Every directive has its own code, so each delivery is identified by (chat, code)
in the emulator's messages, merged or not.
"""

from __future__ import annotations

import asyncio
import re
import signal
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import func, insert, select

from bot.domain.lifecycle import State
from bot.domain.reminders import BEFORE
from bot.runtime import Runtime
from storage import pending
from storage.models import Address, Directive, Outbox, OutboxHistory, Person
from tests.addressing import CHAT, address_for
from tests.e2e.bot_process import BotProcess
from tests.e2e.harness import Emulator
from tests.outbox_all import every_row

CODE = re.compile(r"CD-\d{4}-\d{5}")


class ReminderBot(BotProcess):
    """``python -m bot run`` on a given database, dispatching in demo mode (no send window)."""

    def __init__(self, emulator: Emulator, workdir: Path, database_url: str, token: str, **env: object):
        super().__init__(emulator, workdir, token=token)
        self.database_url = database_url
        self.extra_env = {
            "DEMO_MODE": "true",
            "DISPATCH_INTERVAL_SECONDS": "0.2",
            "OUTBOX_LEASE_SECONDS": "3",
            **{key.upper(): str(value) for key, value in env.items()},
        }

    def env(self) -> dict[str, str]:
        env = super().env()
        env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    @property
    def worker(self) -> str:
        """The dispatcher's name for this process (``host:pid``) as it appears in ``claimed_by``."""
        assert self.proc is not None
        return f":{self.proc.pid}"

    def kill(self) -> None:
        """kill -9: no shutdown hooks, no commit of what was in flight."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)
        self.stop()


@dataclass(frozen=True)
class Burst:
    pairs: frozenset[tuple[int, str]]  # (chat, directive code), one per outbox row

    @property
    def chats(self) -> set[int]:
        return {chat for chat, _ in self.pairs}


async def seed_burst(rt: Runtime, chats: Iterable[int], per_chat: int, *, now: datetime | None = None,
                     first: int = 1) -> Burst:
    """``per_chat`` due reminders for each chat, a chat's rows side by side (so one pass merges them)."""
    now = now or datetime.now(UTC)
    deadline = (now + timedelta(days=30)).date()
    plan = [(chat, f"CD-2026-{first + n:05d}") for n, (chat, _) in
            enumerate((chat, k) for chat in chats for k in range(per_chat))]
    async with rt.transaction() as session:
        await session.execute(insert(Directive), [
            {"code": code, "content": f"Báo cáo tiến độ {code}", "search_text": code.lower(),
             "state": State.ASSIGNED.value, "deadline": deadline, "original_deadline": deadline,
             "deadline_version": 1, "created_at": now, "updated_at": now, "version": 1}
            for _, code in plan
        ])
        ids = dict((await session.execute(select(Directive.code, Directive.id))).all())
        addresses = {chat: await address_for(session, chat) for chat in {chat for chat, _ in plan}}
        written = await session.execute(insert(Outbox).returning(*pending.WRITTEN), [
            {"key": f"{BEFORE}:{ids[code]}:@{addresses[chat]}:v1:2", "directive_id": ids[code],
             "address_id": addresses[chat],
             "kind": BEFORE, "deadline_version": 1, "due_at": now - timedelta(minutes=1), "status": "pending",
             "attempts": 0, "uncertain": False, "created_at": now,
             "payload": {"text": "remind.before", "code": code,
                         "params": {"code": code, "content": f"Báo cáo tiến độ {code}",
                                    "deadline": deadline.isoformat(), "units": "SXD", "step": 2}}}
            for chat, code in plan
        ])
        await pending.enqueue(session, written)  # as the services do
    return Burst(frozenset(plan))


def deliveries(emulator: Emulator, *tokens: str) -> Counter[tuple[int, str]]:
    """How many times each (chat, directive code) reached Telegram, per the emulator, summed over the
    bots' tokens (replicas poll with their own token: Telegram allows one getUpdates per token)."""
    got: Counter[tuple[int, str]] = Counter()
    for token in tokens:
        for message in emulator.sent(token=token, include_deleted=True):
            for code in set(CODE.findall(message.raw_text or message.text or "")):
                got[(message.chat_id, code)] += 1
    return got


async def outbox_rows(rt: Runtime) -> list[SimpleNamespace]:
    """The outbox's rows, each with its Telegram chat id (`chat_id`) beside its columns."""
    async with rt.sessions() as session:
        rows = await session.execute(select(Outbox, CHAT).order_by(Outbox.id))
        found = [SimpleNamespace(**{c.key: getattr(row, c.key) for c in Outbox.__mapper__.column_attrs}, chat_id=chat)
                 for row, chat in rows]
        # The sent rows moved to the history (storage.history), as the outbox had them.
        moved = await session.execute(select(OutboxHistory, Address.external_id)
                                      .join(Address, Address.id == OutboxHistory.address_id)
                                      .where(OutboxHistory.id.not_in(select(Outbox.id))))  # copied, not yet gone
        found += [SimpleNamespace(**{c.key: getattr(row, c.key) for c in OutboxHistory.__mapper__.column_attrs},
                                  status="sent", lease_until=None, chat_id=int(chat)) for row, chat in moved]
        return sorted(found, key=lambda r: r.id)


async def statuses(rt: Runtime) -> Counter[str]:
    """How many outbox rows are in each status: counted by the database (polled every 0.25 s while a bot
    sends, so it must not load 10,000 rows with their payloads each time, as outbox_rows does)."""
    async with rt.sessions() as session:
        r = every_row()  # with the sent rows moved to the outbox's history
        counted = await session.execute(select(r.c.status, func.count()).group_by(r.c.status))
        return Counter({status: n for status, n in counted.all()})


async def wait_until(predicate, timeout: float, message: str, interval: float = 0.25):  # noqa: ANN001, ANN201, ASYNC109
    """Poll an async predicate (the bots run in other processes); fail with ``message`` on timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if loop.time() >= deadline:
            raise AssertionError(f"{message} (within {timeout:.0f}s)")
        await asyncio.sleep(interval)


async def seed_zalo_burst(rt: Runtime, users: Iterable[str], per_user: int, *, now: datetime | None = None,
                          first: int = 1) -> frozenset[tuple[str, str]]:
    """People reached only on Zalo (no Telegram id, one Zalo address each), and ``per_user`` due reminders
    for each, written as ``seed_burst`` writes them: (Zalo user id, directive code), one per outbox row."""
    now = now or datetime.now(UTC)
    deadline = (now + timedelta(days=30)).date()
    users = list(users)
    plan = [(user, f"CD-2026-{first + n:05d}") for n, (user, _) in
            enumerate((user, k) for user in users for k in range(per_user))]
    async with rt.transaction() as session:
        people = (await session.execute(insert(Person).returning(Person.id), [
            {"telegram_id": None, "full_name": f"Cán bộ {user}", "role": "focal", "language": "vi", "active": True,
             "created_at": now} for user in users])).scalars().all()
        addresses = dict(zip(users, (await session.execute(insert(Address).returning(Address.id), [
            {"channel": "zalo", "external_id": user, "kind": "private", "person_id": person, "reachable": True,
             "created_at": now} for user, person in zip(users, people, strict=True)])).scalars().all(), strict=True))
        await session.execute(insert(Directive), [
            {"code": code, "content": f"Báo cáo tiến độ {code}", "search_text": code.lower(),
             "state": State.ASSIGNED.value, "deadline": deadline, "original_deadline": deadline,
             "deadline_version": 1, "created_at": now, "updated_at": now, "version": 1}
            for _, code in plan
        ])
        ids = dict((await session.execute(select(Directive.code, Directive.id))).all())
        written = await session.execute(insert(Outbox).returning(*pending.WRITTEN), [
            {"key": f"{BEFORE}:{ids[code]}:@{addresses[user]}:v1:2", "directive_id": ids[code],
             "address_id": addresses[user],
             "kind": BEFORE, "deadline_version": 1, "due_at": now - timedelta(minutes=1), "status": "pending",
             "attempts": 0, "uncertain": False, "created_at": now,
             "payload": {"text": "remind.before", "code": code,
                         "params": {"code": code, "content": f"Báo cáo tiến độ {code}",
                                    "deadline": deadline.isoformat(), "units": "SXD", "step": 2}}}
            for user, code in plan
        ])
        await pending.enqueue(session, written)
    return frozenset(plan)


def zalo_deliveries(sent: Iterable[dict]) -> Counter[tuple[str, str]]:
    """How many times each (Zalo user, directive code) arrived, from the Zalo emulator's sends."""
    got: Counter[tuple[str, str]] = Counter()
    for message in sent:
        for code in set(CODE.findall(message.get("text") or "")):
            got[(str(message["chat_id"]), code)] += 1
    return got


async def zalo_outbox_rows(rt: Runtime) -> list[SimpleNamespace]:
    """The outbox's rows on Zalo addresses: status, uncertain and (user, code)."""
    async with rt.sessions() as session:
        r = every_row()
        rows = await session.execute(select(r.c.status, r.c.uncertain, Address.external_id, r.c.payload)
                                     .join(Address, Address.id == r.c.address_id)
                                     .where(Address.channel == "zalo").order_by(r.c.id))
        return [SimpleNamespace(status=status, uncertain=uncertain, pair=(user, payload["code"]))
                for status, uncertain, user, payload in rows]
