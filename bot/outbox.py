"""The outbox dispatcher: the database is the queue, the JobQueue only a trigger.

One pass: claim due rows under a lease (FOR UPDATE SKIP LOCKED on PostgreSQL, so replicas share the
work; on SQLite a single dispatcher holds a lease row), drop what went stale, coalesce catch-up pings,
merge what is left per chat into one message, send within the rate limits, record each outcome.

Sending is two-phase: a row is marked `sending` (committed) just before the Bot API call and `sent`
just after. A crash in between leaves it `sending`; when its lease lapses it is sent again and flagged
`uncertain`, so duplicates are bounded by the messages in flight and flagged as such.
Rows name an address (a channel and the id the channel knows the chat by); the senders are the
channels' adapters, given by the app, and report trouble with the exceptions below. Nothing here knows
which messenger a chat is on.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    Integer,
    String,
    Table,
    bindparam,
    case,
    delete,
    func,
    literal_column,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.exc import IntegrityError

from bot.domain.deadlines import local_date
from bot.domain.lifecycle import WORKING_STATES, State
from bot.domain.reminders import BEFORE, OVERDUE, REMINDER_KINDS, in_window
from bot.ratelimit import SendLimiter
from bot.runtime import Runtime
from bot.services import notify, operations, reminders
from bot.services.common import record
from storage import pending
from storage.db import changed
from storage.models import (
    QUEUE_ALERTS,
    QUEUE_CLAIMED,
    QUEUE_WAITING,
    UNSENT,
    WAITING,
    Address,
    Directive,
    Lease,
    Outbox,
    Person,
)
from storage.types import UTCDateTime

# How long a send took, read apart from the event loop's own clock (a test replaces it to make a send slow).
monotonic = time.monotonic
log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
BATCH = 100
DISPATCHER_LEASE = "dispatcher"
BEAT_EVERY = timedelta(seconds=1)


class RetryLater(Exception):
    """Rate-limited: try again after `seconds`; not counted as an attempt."""

    def __init__(self, seconds: float) -> None:
        super().__init__(seconds)
        self.seconds = seconds


class Unreachable(Exception):
    """The bot was blocked or the chat is gone."""


class Transient(Exception):
    """A server or connection error: retry with backoff, a bounded number of times."""


class Uncertain(Exception):
    """No answer in time after the request left: Telegram may have delivered it, so it is not resent
    automatically; the office is told and may resend it."""


class Moved(Exception):
    """The chat has a new id on its channel (a Telegram group became a supergroup)."""

    def __init__(self, new_external_id: str) -> None:
        super().__init__(new_external_id)
        self.new_external_id = new_external_id


@dataclass(frozen=True)
class Recipient:
    """An address as its channel's adapter needs it: the id the channel knows, whether it is a group, and
    the reader's language (None for a group: the office's default)."""

    address_id: int
    channel: str
    external_id: str
    kind: str
    language: str | None = None

    @property
    def group(self) -> bool:
        return self.kind == "group"


@dataclass(frozen=True)
class Delivery:
    id: int
    address_id: int
    kind: str
    payload: dict[str, Any]
    attempts: int
    directive_id: int | None = None
    uncertain: bool = False
    deadline_version: int = 0


_OUTBOX = cast(Table, Outbox.__table__)
_QUEUE = pending.QUEUE
# What a pass needs of a claimed row to sort, drop and merge it, read from the queue alone (storage.pending
# copies the outbox row's routing onto it): a notice that may wait is queued as LATER but is a "notify". Its
# payload, attempts and uncertain flag are read from the outbox row as it is sent (`_start_sending`).
_LOADED = [_QUEUE.c.id, _QUEUE.c.address_id,
           case((_QUEUE.c.kind == literal_column(f"'{pending.LATER}'"), literal_column("'notify'")),
                else_=_QUEUE.c.kind).label("kind"),  # constants written in: no parameters beyond the claim's own
           _QUEUE.c.directive_id, _QUEUE.c.deadline_version, _QUEUE.c.due_at]
BatchSender = Callable[[Recipient, list[Delivery]], Awaitable[None]]


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled once, with its parameters' order and bind conversions, run as driver SQL."""
    sql: str
    names: tuple[str, ...]
    convert: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def of(cls, statement: Any, dialect: Any) -> _Compiled:
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        return cls(str(compiled), names, tuple(compiled.binds[name].type.bind_processor(dialect) for name in names))

    def arguments(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """The SQL, then its parameters in order, converted as SQLAlchemy would bind them."""
        return self.sql, *(values[n] if f is None else f(values[n]) for n, f in zip(self.names, self.convert,
                                                                                    strict=True))


_CLAIMS: dict[bool, tuple[_Compiled, _Compiled]] = {}  # PostgreSQL's claim statements, by send window


def _deliveries(rows: list[Any]) -> list[Delivery]:
    """Claimed rows (`_LOADED`'s columns, by position) in due order; payloads, attempts and the uncertain flag
    are loaded as each is sent."""
    rows.sort(key=lambda r: (r[5], r[0]))
    return [Delivery(r[0], r[1], r[2], {}, 0, r[3], False, r[4]) for r in rows]


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def process_gone(worker: str) -> bool:
    """Whether `worker` ("host:pid") names a process on this host that no longer runs (killed, crashed): its
    lease and claims need not be waited out. A process elsewhere, or one we may not signal, is alive."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:
        return False
    return False


class Dispatcher:
    """`send` is one sender for every channel, or one per channel ({"telegram": …}); each channel paces its
    own sends (`limiters`, else `limiter` for all).

    Leases are short (OUTBOX_LEASE_SECONDS) and kept alive by a heartbeat (`start`, every
    OUTBOX_HEARTBEAT_SECONDS) that renews the SQLite dispatcher lease and the rows this process holds: a
    killed process's claims lapse in seconds. `stop` (on SIGTERM) stops claiming at once; the pass under
    way finishes the message in flight and gives the rest back; `release` then gives back the lease."""

    def __init__(self, rt: Runtime, send: BatchSender | Mapping[str, BatchSender], worker: str,
                 limiter: SendLimiter | None = None, limiters: Mapping[str, SendLimiter] | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.rt = rt
        self.senders: Mapping[str, BatchSender] | None = send if isinstance(send, Mapping) else None
        self.send_any: BatchSender | None = None if isinstance(send, Mapping) else send
        self.worker = worker
        self.limiter = limiter or SendLimiter(rt.settings.send_rate_per_second)
        self.limiters = dict(limiters or {})
        self.lease = timedelta(seconds=rt.settings.outbox_lease_seconds)
        self._told_not_dispatching = False
        self._held = False  # this process has held the SQLite lease (and so gives it back on stopping)
        self._beat_at: datetime | None = None
        self.clock = clock or (lambda: datetime.now(UTC))
        # The heartbeat renews leases well before they lapse, whatever OUTBOX_HEARTBEAT_SECONDS says.
        self.heartbeat_every = min(rt.settings.outbox_heartbeat_seconds, self.lease.total_seconds() / 3)
        self._stopping = False
        self._holding: set[int] = set()  # rows this process has claimed and not yet settled
        self._heart: asyncio.Task[None] | None = None
        self._swept = False  # the claims of this host's dead processes were expired (first pass)

    @property
    def stopping(self) -> bool:
        return self._stopping

    def stop(self) -> None:
        """Claim nothing more; the pass under way gives back what it has not sent (safe in a signal handler)."""
        self._stopping = True

    def start(self) -> None:
        """Start the heartbeat (in the running event loop), once."""
        if self._heart is None or self._heart.done():
            self._heart = asyncio.get_running_loop().create_task(self._beat_forever(), name="outbox-heartbeat")

    async def _beat_forever(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_every)
            try:
                await self.heartbeat()
            except Exception as error:  # noqa: BLE001 - a database hiccup: the next beat tries again
                log.warning("outbox heartbeat failed: %s", str(error).splitlines()[0][:200] if str(error) else error)

    async def heartbeat(self, now: datetime | None = None) -> None:
        """Renew the SQLite dispatcher lease (if held) and the lease of every row this process holds."""
        now = now or self.clock()
        until = now + self.lease
        holding = list(self._holding)
        if not self._held and not holding:
            return
        async with self.rt.engine.begin() as conn:
            if self._held:
                await conn.execute(update(Lease).where(Lease.name == DISPATCHER_LEASE, Lease.holder == self.worker)
                                   .values(until=until))
            if holding:
                await conn.execute(update(_QUEUE).where(_QUEUE.c.id.in_(holding), _QUEUE.c.claimed_by == self.worker)
                                   .values(lease_until=until))

    async def sweep_dead(self, now: datetime) -> int:
        """Rows claimed by a process of this host that is gone (kill -9), or by an earlier process with this
        one's name (a container restarted as pid 1), lapse now rather than when their lease runs out: the
        next claim takes them (a row caught "sending" is then flagged uncertain)."""
        async with self.rt.engine.begin() as conn:
            workers = [w for w in (await conn.scalars(select(_QUEUE.c.claimed_by).where(text(QUEUE_CLAIMED))
                                                      .distinct())).all()
                       if w is not None and (w == self.worker or process_gone(w))]
            if not workers:
                return 0
            mine = [_QUEUE.c.id.not_in(list(self._holding))] if self._holding else []
            result = await conn.execute(
                update(_QUEUE).where(text(QUEUE_CLAIMED), _QUEUE.c.claimed_by.in_(workers), *mine)
                .values(lease_until=now - timedelta(microseconds=1)))
            return changed(result)

    async def holds_lease(self, now: datetime) -> bool:
        """On SQLite only one process dispatches: it holds (and keeps renewing) a lease row."""
        if self.rt.engine.dialect.name != "sqlite":
            return True
        until = now + self.lease
        async with self.rt.transaction() as session:
            renewed = await session.execute(
                update(Lease)
                .where(Lease.name == DISPATCHER_LEASE, or_(Lease.holder == self.worker, Lease.until < now))
                .values(holder=self.worker, until=until)
            )
            if changed(renewed) == 1:
                self._told_not_dispatching = False
                self._held = True
                return True
        try:
            async with self.rt.transaction() as session:
                session.add(Lease(name=DISPATCHER_LEASE, holder=self.worker, until=until))
            self._held = True
            return True
        except IntegrityError:
            if await self._take_from_dead(now, until):
                return True
            if not self._told_not_dispatching:
                log.warning("another process holds the dispatcher lease on this SQLite database: "
                            "this one does not send reminders")
                self._told_not_dispatching = True
            return False

    async def _take_from_dead(self, now: datetime, until: datetime) -> bool:
        """The lease's holder is a process of this host that no longer runs: take the lease now."""
        async with self.rt.transaction() as session:
            holder = await session.scalar(select(Lease.holder).where(Lease.name == DISPATCHER_LEASE))
            if holder is None or not process_gone(holder):
                return False
            taken = await session.execute(update(Lease).where(Lease.name == DISPATCHER_LEASE, Lease.holder == holder)
                                          .values(holder=self.worker, until=until))
            if changed(taken) != 1:
                return False
        log.info("the dispatcher lease's holder %s is gone: this process dispatches now", holder)
        self._told_not_dispatching = False
        self._held = True
        return True

    async def release(self) -> None:
        """On a graceful stop: stop the heartbeat, give back the rows still held (a row caught "sending"
        lapses now, to be resent flagged uncertain) and the SQLite dispatcher lease, so another process
        takes them at once rather than after the lease lapses."""
        self.stop()
        if self._heart is not None:
            self._heart.cancel()
            try:
                await self._heart
            except asyncio.CancelledError:
                pass
            self._heart = None
        if self._holding:
            await self._give_back(list(self._holding), self.clock())
        if not self._held:
            return
        async with self.rt.transaction() as session:
            await session.execute(delete(Lease).where(Lease.name == DISPATCHER_LEASE, Lease.holder == self.worker))
        self._held = False

    async def _give_back(self, ids: list[int], now: datetime) -> None:
        """Rows claimed and not sent are unclaimed; a row caught "sending" lapses now (resent, it is flagged
        uncertain)."""
        async with self.rt.engine.begin() as conn:
            sending = list(await conn.scalars(select(_OUTBOX.c.id).where(_OUTBOX.c.id.in_(ids),
                                                                          _OUTBOX.c.status == "sending")))
            mine = (_QUEUE.c.id.in_(ids), _QUEUE.c.claimed_by == self.worker)
            await conn.execute(update(_QUEUE).where(*mine, _QUEUE.c.id.not_in(sending))
                               .values(lease_until=None, claimed_by=None))
            if sending:
                await conn.execute(update(_QUEUE).where(*mine, _QUEUE.c.id.in_(sending))
                                   .values(lease_until=now - timedelta(microseconds=1)))
        self._holding.difference_update(ids)

    async def run_once(self, now: datetime) -> int:
        """One claimed batch; returns how many rows it handled (0: nothing due, not the dispatcher, or
        stopping)."""
        if self._stopping or not await self.holds_lease(now):
            return 0
        if not self._swept:
            await self.sweep_dead(now)
            self._swept = True
        try:
            return await self._pass(now)
        finally:
            self._holding.clear()

    async def _pass(self, now: datetime) -> int:
        if self._beat_at is None or not timedelta(0) <= now - self._beat_at < BEAT_EVERY:
            await operations.beat(self.rt, self.worker, now)
            self._beat_at = now
        window = in_window(now, self.rt.settings.reminder_policy(), self.rt.calendar, self.rt.settings.tz)
        started = time.monotonic()
        items = await self.claim(now, window)
        by_address: dict[int, list[Delivery]] = {}
        for item in await self.drop_stale(items, now):
            by_address.setdefault(item.address_id, []).append(item)
        if window:  # notices that may wait go along with a message that goes now
            for item in await self.claim_later(now, [a for a, rows in by_address.items()
                                                     if any(i.kind != "digest" for i in rows)]):
                if item.id not in {i.id for i in by_address[item.address_id]}:
                    by_address[item.address_id].append(item)
                    items.append(item)
        recipients = await self.recipients(list(by_address))
        batches = list(by_address.items())
        for number, (address_id, batch) in enumerate(batches):
            # Without a heartbeat a slow pass (timeouts, long waits) gives its rows back before its lease
            # lapses; stopping gives them back at once.
            slow = self._heart is None and time.monotonic() - started > self.lease.total_seconds() / 2
            if self._stopping or slow:
                rest = [i.id for _, rows in batches[number:] for i in rows]
                await self._give_back(rest, now)
                break
            recipient = recipients[address_id]
            await self.limiter_for(recipient.channel).acquire(address_id, recipient.group)
            # retry_after, backoff and sent_at count from the moment of the send, not the pass's start.
            await self._deliver(recipient, batch, now, at=now + timedelta(seconds=time.monotonic() - started))
            self._holding.difference_update(i.id for i in batch)
        if items:
            await self.checkpoint()
        return len(items)

    def limiter_for(self, channel: str) -> SendLimiter:
        return self.limiters.get(channel, self.limiter)

    async def recipients(self, address_ids: list[int]) -> dict[int, Recipient]:
        """The addresses of a pass, with their readers' language, in one query."""
        if not address_ids:
            return {}
        async with self.rt.sessions() as session:
            rows = await session.execute(
                select(Address.id, Address.channel, Address.external_id, Address.kind, Person.language)
                .outerjoin(Person, Person.id == Address.person_id).where(Address.id.in_(address_ids)))
            return {r.id: Recipient(r.id, r.channel, r.external_id, r.kind, r.language) for r in rows}

    async def checkpoint(self) -> None:
        """On SQLite, copy what the pass wrote from the write-ahead log into the database now, between passes.
        Left to SQLite, the copy (a thousand pages and an fsync, tens of milliseconds) falls on whichever
        commit fills the log: every ninth claim or so. PASSIVE: it waits for no reader or writer."""
        if self.rt.engine.dialect.name != "sqlite":
            return
        async with self.rt.engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")

    async def claim(self, now: datetime, window: bool) -> list[Delivery]:
        """Claim up to BATCH due rows of the queue (outbox_pending) in due order, then rows whose claim
        lapsed (a crashed or stalled sender), each in one UPDATE … WHERE id IN (index-served SELECT … LIMIT)
        … RETURNING on the small queue table only, whose rows carry what the pass needs to group and drop
        them (address, directive, deadline version, kind, due time); the outbox row (payload, attempts,
        uncertain) is read as its message is sent. One statement per step.
        Outside the send window (quiet hours, for everyone, leaders included) only the operations chat's
        alerts are due; every other notice, reminder and digest waits for the window to open."""
        return _deliveries(await self._claim(now, window))

    async def claim_ids(self, now: datetime, window: bool) -> list[int]:
        """The claim itself: ids leased to this process in the queue table. Outside the send window, the rows
        the queue marks as the operations chat's alerts (storage.pending.is_alert): one range of a small
        partial index, whatever else waits for the morning."""
        return [row[0] for row in await self._claim(now, window)]

    async def _claim(self, now: datetime, window: bool) -> list[Any]:
        if self.rt.engine.dialect.name == "postgresql":
            rows = await self._claim_postgresql(now, window)
        else:
            # Core statements on one connection: the ORM's bookkeeping for an UPDATE (synchronising a session
            # that holds no outbox objects) cost more than the statement itself.
            waiting = QUEUE_WAITING if window else QUEUE_ALERTS
            kinds = [] if window else [_QUEUE.c.alert.is_(True)]
            lease = {"lease_until": now + self.lease, "claimed_by": self.worker}
            due = (select(_QUEUE.c.id).where(text(waiting), _QUEUE.c.due_at <= now)
                   .order_by(_QUEUE.c.due_at).limit(BATCH))
            lapsed = (select(_QUEUE.c.id).where(text(QUEUE_CLAIMED), _QUEUE.c.lease_until < now, *kinds)
                      .limit(BATCH))
            async with self.rt.engine.begin() as conn:
                rows = list(await conn.execute(self._leased(due, lease)))
                if len(rows) < BATCH:
                    rows += list(await conn.execute(self._leased(lapsed.limit(BATCH - len(rows)), lease)))
        self._holding.update(row[0] for row in rows)
        return rows

    async def _claim_postgresql(self, now: datetime, window: bool) -> list[Any]:
        """PostgreSQL's claim: each step one statement, so its own transaction (autocommit): one round trip,
        where BEGIN, SET and COMMIT around it were three more; both steps lease what they select, so they
        need no transaction in common. The statements are compiled once (`_compiled_claims`) and run on the
        driver's connection, whose records are read by position: building the statements for every claim
        and SQLAlchemy's result rows cost more than the server's work (at 1M the server's 0.8 ms of a
        3.9–5.1 ms claim, 2.3–3.1 ms of it the driver's own fetch). A driver error leaves the connection in
        an unknown state, so it is invalidated rather than given back to the pool."""
        due, lapsed = self._compiled_claims(window)
        values = {"now": now, "lease_until": now + self.lease, "claimed_by": self.worker, "n": BATCH}
        async with self.rt.engine.connect() as conn:
            driver: Any = (await conn.get_raw_connection()).driver_connection
            try:
                rows = await driver.fetch(*due.arguments(values))
                if len(rows) < BATCH:
                    rows += await driver.fetch(*lapsed.arguments(values | {"n": BATCH - len(rows)}))
            except BaseException:
                await conn.invalidate()
                raise
        return rows

    def _compiled_claims(self, window: bool) -> tuple[_Compiled, _Compiled]:
        """PostgreSQL's two steps of a claim (`_claim`), compiled once per process: the due rows, then those
        whose lease lapsed; parameters `now`, `lease_until`, `claimed_by` and, for the second, `n` (how many)."""
        found = _CLAIMS.get(window)
        if found is None:
            now, n = bindparam("now", type_=UTCDateTime()), bindparam("n", type_=Integer())
            lease = {"lease_until": bindparam("lease_until", type_=UTCDateTime()),
                     "claimed_by": bindparam("claimed_by", type_=String())}
            waiting = QUEUE_WAITING if window else QUEUE_ALERTS
            kinds = [] if window else [_QUEUE.c.alert.is_(True)]
            # The due step always takes BATCH: written into the statement, so that PostgreSQL keeps one generic
            # plan for it after five runs instead of planning it again at every claim (0.2–0.3 ms of ~2 at 1M).
            due = (select(_QUEUE.c.id).where(text(waiting), _QUEUE.c.due_at <= now).order_by(_QUEUE.c.due_at)
                   .limit(literal_column(str(BATCH))))
            lapsed = select(_QUEUE.c.id).where(text(QUEUE_CLAIMED), _QUEUE.c.lease_until < now, *kinds).limit(n)
            found = _CLAIMS[window] = tuple(  # type: ignore[assignment]
                _Compiled.of(self._leased(self._locked(step), lease), self.rt.engine.dialect) for step in (due, lapsed))
        return found  # type: ignore[return-value]

    def _leased(self, ids: Any, lease: dict[str, Any]) -> Any:
        """One statement: the queue rows `ids` selects leased (`lease`), returning their `_LOADED` (the queue's
        own columns: the outbox is not read). PostgreSQL: `WITH claimed AS (UPDATE … RETURNING …) SELECT …`,
        its commit made asynchronous in the statement itself; SQLite: UPDATE … RETURNING."""
        lease_them = update(_QUEUE).where(_QUEUE.c.id.in_(ids)).values(**lease).returning(*_LOADED)
        if self.rt.engine.dialect.name == "postgresql":
            claimed = lease_them.cte("claimed")
            # A claim lost to a crash leaves its rows unclaimed, to be claimed again: its commit need not wait
            # for the disk (the "sending" mark that follows is committed durably). SET LOCAL in the statement
            # itself: its transaction is the statement's.
            lazy = select(func.set_config(literal_column("'synchronous_commit'"), literal_column("'off'"), true())
                          .label("off")).cte("lazy_commit")
            return select(*(claimed.c[c.name] for c in _LOADED)).join_from(claimed, lazy, true())
        return lease_them

    async def claim_later(self, now: datetime, address_ids: list[int]) -> list[Delivery]:
        """The notices waiting to go with the next message to these addresses (queued as pending.LATER, not
        yet due), claimed under this pass's lease: each reader gets one message, not one more later."""
        if not address_ids:
            return []
        lease = {"lease_until": now + self.lease, "claimed_by": self.worker}
        waiting = (select(_QUEUE.c.id).where(_QUEUE.c.lease_until.is_(None), _QUEUE.c.kind == pending.LATER,
                                             _QUEUE.c.id == _OUTBOX.c.id, _OUTBOX.c.address_id.in_(address_ids),
                                             text(WAITING))  # the outbox's partial index by address serves it
                   .limit(BATCH).correlate(None))  # its own look-up, not one per row of the UPDATE
        if self.rt.engine.dialect.name == "postgresql":  # the queue's rows only: the outbox's are not claimed
            waiting = waiting.with_for_update(skip_locked=True, of=_QUEUE)
        async with self.rt.engine.begin() as conn:
            rows = list(await conn.execute(self._leased(waiting, lease)))
        self._holding.update(row[0] for row in rows)
        return _deliveries(rows)

    def _locked(self, query):
        """On PostgreSQL, rows another replica holds are skipped rather than waited for."""
        if self.rt.engine.dialect.name == "postgresql":
            return query.with_for_update(skip_locked=True)
        return query

    async def drop_stale(self, items: list[Delivery], now: datetime) -> list[Delivery]:
        """Void reminders of finished directives or old deadlines; after downtime keep one ping per
        (directive, address, kind), and none before a deadline that has already passed."""
        ids = {i.directive_id for i in items if i.kind in REMINDER_KINDS and i.directive_id}
        if not ids:
            return items
        today = local_date(now, self.rt.settings.tz)
        async with self.rt.transaction() as session:
            rows = await session.execute(
                select(Directive.id, Directive.state, Directive.due_on, Directive.deadline_version)
                .where(Directive.id.in_(ids))
            )
            directives = {r.id: r for r in rows}
            keep: dict[tuple[int | None, int, str], Delivery] = {}
            void: list[int] = []
            for item in items:
                if item.kind not in REMINDER_KINDS:
                    continue
                d = directives.get(item.directive_id)
                if (d is None or State(d.state) not in WORKING_STATES
                        or item.deadline_version != d.deadline_version
                        or (item.kind == BEFORE and d.due_on is not None and d.due_on < today)):
                    void.append(item.id)
                    continue
                key = (item.directive_id, item.address_id, item.kind)
                previous = keep.get(key)
                if previous is not None:
                    void.append(previous.id)  # items come in due order: the later one wins
                keep[key] = item
            if void:
                await session.execute(update(Outbox).where(Outbox.id.in_(void)).values(status="void"))
                await pending.dequeue(session, void)
        kept = {i.id for i in keep.values()}
        return [i for i in items if i.kind not in REMINDER_KINDS or i.id in kept]

    async def _mark(self, batch: list[Delivery], **values: Any) -> None:
        """Set the rows' status (and more); the queue follows: pending again → in it, unclaimed, at the row's
        due time; anything else → out of it."""
        ids = [i.id for i in batch]
        async with self.rt.transaction() as session:
            await session.execute(update(Outbox).where(Outbox.id.in_(ids)).values(**values))
            if values.get("status") == "pending":
                await pending.requeue(session, ids)
            else:
                await pending.dequeue(session, ids)

    async def _start_sending(self, batch: list[Delivery]) -> list[Delivery]:
        """Mark the batch "sending" (committed before the channel is called) and load the payloads (with the
        attempts so far and the uncertain flag: the outbox row is read here, once, not at the claim). A row
        caught "sending" (its sender crashed or was killed mid-send) may have reached the chat: resent, it
        is flagged uncertain. A row voided meanwhile (the directive finished) is not sent."""
        async with self.rt.engine.begin() as conn:
            rows = {r.id: r for r in await conn.execute(
                update(_OUTBOX).where(_OUTBOX.c.id.in_([i.id for i in batch]), text(UNSENT))
                .values(status="sending", claimed_by=self.worker,
                        uncertain=_OUTBOX.c.uncertain | (_OUTBOX.c.status == "sending"))
                .returning(_OUTBOX.c.id, _OUTBOX.c.payload, _OUTBOX.c.uncertain, _OUTBOX.c.attempts))}
        return [replace(i, payload=dict(rows[i.id].payload), uncertain=rows[i.id].uncertain,
                        attempts=rows[i.id].attempts) for i in batch if i.id in rows]

    def sender_for(self, channel: str) -> BatchSender | None:
        return self.send_any if self.senders is None else self.senders.get(channel)

    async def _deliver(self, recipient: Recipient, batch: list[Delivery], now: datetime, at: datetime) -> None:
        address_id = recipient.address_id
        send = self.sender_for(recipient.channel)
        if send is None:  # a channel this process does not run (its token unset here): left for one that does
            await self._give_back([i.id for i in batch], now)
            return
        started = monotonic()
        batch = await self._start_sending(batch)
        if not batch:
            return
        try:
            await send(recipient, batch)
        except RetryLater as wait:
            # retry_after counts from the refusal, which came after `at` by the commit and the call itself
            # (tens of milliseconds on a loaded machine): counted from `at`, the retry went that much early.
            retry_at = at + timedelta(seconds=monotonic() - started + max(wait.seconds, 0.0))
            await self._mark(batch, status="pending", lease_until=None, due_at=retry_at)
            _outcome("retry", address_id, batch, f"rate limited until {retry_at.isoformat(timespec='seconds')}")
        except Unreachable as error:
            await self._mark(batch, status="unreachable", last_error=str(error)[:500])
            _outcome("unreachable", address_id, batch, str(error))
            await self._unreachable(address_id, now)
        except Uncertain as error:
            await self._uncertain(address_id, batch, str(error)[:500], now)
        except Moved as moved:
            await self._moved(address_id, moved.new_external_id)
        except Transient as error:
            await self._transient(batch, str(error)[:500], now, at)
        except Exception as error:  # noqa: BLE001 - a message we failed to build must not hold back other chats
            log.exception("sending to address %s failed", address_id)
            await self._transient(batch, f"internal error: {error!r}"[:500], now, at)
        else:
            await self._sent(batch, at)

    async def _sent(self, batch: list[Delivery], now: datetime) -> None:
        async with self.rt.transaction() as session:
            uow = self.rt.uow_on(session)
            for item in batch:
                await session.execute(update(Outbox).where(Outbox.id == item.id)
                                      .values(status="sent", sent_at=now, attempts=item.attempts + 1))
            await pending.dequeue(session, [i.id for i in batch])
            for item in batch:
                if item.kind == OVERDUE and item.directive_id is not None:
                    directive = await uow.directives.by_id(item.directive_id)
                    if directive is not None:
                        step = int(item.payload.get("params", {}).get("step", 1))
                        await reminders.chain_overdue(uow, directive, item.address_id, step, now)

    async def _transient(self, batch: list[Delivery], error: str, now: datetime, at: datetime) -> None:
        for item in batch:
            attempts = item.attempts + 1
            if attempts < MAX_ATTEMPTS:
                await self._mark([item], status="pending", attempts=attempts, lease_until=None,
                                 due_at=at + backoff(attempts), last_error=error)
                _outcome("retry", item.address_id, [item], f"attempt {attempts} failed: {error}")
                continue
            _outcome("dead", item.address_id, [item], f"gave up after {attempts} attempts: {error}")
            async with self.rt.transaction() as session:
                await session.execute(update(Outbox).where(Outbox.id == item.id)
                                      .values(status="dead", attempts=attempts, last_error=error))
                await pending.dequeue(session, [item.id])
                event = record(session, None, None, "delivery_failed", now, address=item.address_id, outbox=item.id)
                office = await notify.office_addresses(session)
                await notify.enqueue(session, event, None, office - {item.address_id}, "notify.delivery_failed",
                                     now, chat=await _recipient(session, item.address_id),
                                     code=item.payload.get("code") or "")

    async def _uncertain(self, address_id: int, batch: list[Delivery], error: str, now: datetime) -> None:
        """The channel may or may not have it: record that, and tell the office once (for the whole batch)
        which directives and whom, with a button to resend."""
        _outcome("uncertain", address_id, batch, error)
        async with self.rt.transaction() as session:
            await session.execute(update(Outbox).where(Outbox.id.in_([i.id for i in batch]))
                                  .values(status="uncertain", uncertain=True, last_error=error))
            await pending.dequeue(session, [i.id for i in batch])
            codes = list(dict.fromkeys(code for i in batch if (code := i.payload.get("code"))))
            event = record(session, None, None, "delivery_uncertain", now, address=address_id,
                           outbox=[i.id for i in batch], codes=codes, error=error)
            await session.flush()
            office = await notify.office_addresses(session) - {address_id}
            await notify.enqueue(session, event, None, office, "notify.delivery_uncertain", now,
                                 chat=await _recipient(session, address_id), codes=", ".join(codes) or "—",
                                 payload_extra={"resend": event.id})

    async def _moved(self, address_id: int, new_external_id: str) -> None:
        """The chat has a new id on its channel: what was queued for it goes there. When the new id was
        registered already (the focal point ran /dangkynhom in the supergroup first), that address has its
        own reminders: the old address and its reminders go, and only the notices move."""
        queued = (Outbox.address_id == address_id, Outbox.status.in_(["pending", "claimed", "sending"]))
        async with self.rt.transaction() as session:
            old = await session.get(Address, address_id)
            if old is None:
                return
            other = await session.scalar(select(Address.id).where(Address.channel == old.channel,
                                                                  Address.external_id == new_external_id))
            if other is None:
                old.external_id = new_external_id
                moved = await session.scalars(update(Outbox).where(*queued).values(status="pending", lease_until=None)
                                              .returning(Outbox.id))
                await pending.requeue(session, list(moved))
                return
            voided = await session.scalars(update(Outbox).where(*queued, Outbox.kind.in_(REMINDER_KINDS))
                                           .values(status="void", lease_until=None).returning(Outbox.id))
            await pending.dequeue(session, list(voided))
            moved = await session.scalars(update(Outbox).where(*queued)
                                          .values(address_id=other, status="pending", lease_until=None)
                                          .returning(Outbox.id))
            await pending.requeue(session, list(moved))
            old.reachable, old.unit_id = False, None

    async def _unreachable(self, address_id: int, now: datetime) -> None:
        """Mark the address unreachable and, the first time only, tell the office."""
        async with self.rt.transaction() as session:
            address = await session.get(Address, address_id)
            if address is None or not address.reachable:
                return
            address.reachable = False
            held = await session.scalars(update(Outbox).where(Outbox.address_id == address_id,
                                                               Outbox.status == "pending")
                                         .values(status="unreachable", last_error="chat unreachable")
                                         .returning(Outbox.id))
            await pending.dequeue(session, list(held))
            event = record(session, None, None, "chat_unreachable", now, address=address_id)
            office = await notify.office_addresses(session)
            await notify.enqueue(session, event, None, office - {address_id}, "notify.chat_unreachable", now,
                                 chat=await _recipient(session, address_id))


# The order related notices to one reader are merged in: what is new first (a task assigned), then what
# asks for a decision, what happened, and the reminders last, the most pressing of them first.
_ORDER = {"notify.assigned": 0, "notify.extension_requested": 1, "notify.done_reported": 1}
_REMINDER_ORDER = {"escalation": 3, "remind_overdue": 4, "remind_before": 5}


def merge_order(items: list[Delivery]) -> list[Delivery]:
    """A batch for one address in the order its notices are shown in one message: a new task before a
    reminder of what falls due («📌 Nhiệm vụ mới» before «⏰ … đến hạn»), otherwise as they came."""
    def rank(item: Delivery) -> int:
        if item.kind in _REMINDER_ORDER:
            return _REMINDER_ORDER[item.kind]
        return _ORDER.get(str(item.payload.get("text", "")), 2)

    return sorted(items, key=rank)


def _outcome(outcome: str, address_id: int, batch: list[Delivery], detail: str) -> None:
    """One INFO line per delivery outcome other than sent, with fields a JSON log keeps apart."""
    codes = [str(i.payload["code"]) for i in batch if i.payload.get("code")]
    log.info("delivery %s: address %s, %d item(s) %s: %s", outcome, address_id, len(batch), ",".join(codes) or "-",
             detail, extra={"outcome": outcome, "address_id": address_id, "outbox_ids": [i.id for i in batch]})


async def _recipient(session, address_id: int) -> str:
    """A name the office recognises: the person's or the group's with the channel, else the chat as its
    channel knows it (a chat nobody registered)."""
    row = (await session.execute(
        select(Address.channel, Address.external_id, Address.title, Person.full_name)
        .outerjoin(Person, Person.id == Address.person_id).where(Address.id == address_id))).first()
    if row is None:
        return str(address_id)
    name = row.full_name or row.title
    return f"{name} ({row.channel.capitalize()})" if name else f"{row.channel.capitalize()} {row.external_id}"
