"""Typed SQLAlchemy 2 models. Datetimes are UTC-aware; dates are local calendar days."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from bot.domain.lifecycle import WORKING_STATES as WORKING
from bot.domain.lifecycle import State
from storage.types import UTCDateTime

BigId = BigInteger().with_variant(Integer, "sqlite")

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


NO_DEADLINE = date(9999, 12, 31)  # where standing tasks sort: after every deadline


def state_in(states: frozenset[State]) -> str:
    """A set of states (bot.domain.lifecycle) as SQL, written out the same way wherever a partial index and
    the queries it serves must match word for word."""
    return "state IN (" + ", ".join(f"'{s.value}'" for s in sorted(states)) + ")"


WORKING_STATES = state_in(WORKING)  # "state IN ('assigned', 'in_progress')"
AWAITING = state_in(frozenset({State.AWAITING})).replace(" IN (", " = ").removesuffix(")")
# The outbox's indexes hold only the rows the dispatcher and the health check look for: claiming a row takes
# it out of the small "pending" index instead of rewriting its entries in indexes of the whole table (most
# rows are sent and stay so). Queries say these predicates literally, as `text(...)`, so that SQLite and a
# prepared PostgreSQL statement can tell the partial index applies.
PENDING = "status = 'pending'"
IN_FLIGHT = "status IN ('claimed', 'sending')"
FAILED = "status IN ('dead', 'uncertain', 'unreachable')"
WAITING = "status IN ('pending', 'unreachable')"
# The rows of the outbox that are due to be sent (storage.pending keeps outbox_pending equal to them).
UNSENT = "status IN ('pending', 'claimed', 'sending')"
# Sent rows wait in the outbox for the daily move to outbox_history (storage.history): a small index.
SENT = "status = 'sent'"
QUEUE_WAITING = "lease_until IS NULL"  # outbox_pending: waiting to be claimed
QUEUE_CLAIMED = "lease_until IS NOT NULL"
# outbox_pending: an alert to the operations chat waiting to be claimed, the only rows claimed outside the send
# window (one range of a small partial index)
QUEUE_ALERTS = "lease_until IS NULL AND alert"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[str]: JSON()}


class Unit(Base):
    __tablename__ = "units"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    aliases: Mapped[list[str]] = mapped_column(default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class UnitGroup(Base):
    __tablename__ = "unit_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phrases: Mapped[list[str]] = mapped_column(default=list)
    members: Mapped[list[Unit]] = relationship(secondary="unit_group_members", lazy="selectin")


class UnitGroupMember(Base):
    __tablename__ = "unit_group_members"
    group_id: Mapped[int] = mapped_column(ForeignKey("unit_groups.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)


class Person(Base):
    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    # Who this person is on Telegram (a person reached only on another channel has none).
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str] = mapped_column(String(200))  # Vietnamese order: family name first
    title: Mapped[str | None] = mapped_column(String(200))  # «Phó Chủ tịch UBND tỉnh», from the invite
    username: Mapped[str | None] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="vi")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The channel a person reached on several hears from (None: the first they joined on).
    preferred_channel: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    unit: Mapped[Unit | None] = relationship(lazy="joined")


class Invite(Base):
    __tablename__ = "invites"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # An invite for someone already registered: spent on another channel, it adds that channel's address.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    full_name: Mapped[str | None] = mapped_column(String(200))  # the invited person's name, as the office writes it
    title: Mapped[str | None] = mapped_column(String(200))


class Address(Base):
    """Where the bot reaches someone: a channel and the id that channel knows the chat by (a person's
    private chat, or a unit's group). Delivery, rate limits, retries and "unreachable" are per address;
    only the channel's adapter reads `external_id`."""

    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # telegram | zalo
    external_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # private | group
    title: Mapped[str | None] = mapped_column(String(200))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("channel", "external_id"),)


class Offer(Base):
    """The numbered replies a text channel's reader was last offered (a notice's or a card's last line), so
    that a bare «1» answers what they read."""

    __tablename__ = "offers"
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id", ondelete="CASCADE"), primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    actions: Mapped[list[str]]
    offered_at: Mapped[datetime]


class Directive(Base):
    __tablename__ = "directives"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    content: Mapped[str] = mapped_column(Text)
    search_text: Mapped[str] = mapped_column(Text)  # accent-folded code, content and source
    source_number: Mapped[str | None] = mapped_column(String(64))
    source_date: Mapped[date | None] = mapped_column(Date)
    leader_name: Mapped[str | None] = mapped_column(String(200))
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    state: Mapped[str] = mapped_column(String(24))
    deadline: Mapped[date | None] = mapped_column(Date)  # as the leader wrote it
    # The day the deadline really ends: the next working day when it falls on a day off (Bộ luật Dân sự
    # 2015, Điều 148). Lateness, reminders and statistics compare against this one.
    due_on: Mapped[date | None] = mapped_column(Date)
    original_deadline: Mapped[date | None] = mapped_column(Date)
    deadline_version: Mapped[int] = mapped_column(Integer, default=1)
    recurrence: Mapped[str | None] = mapped_column(String(16))
    # A recurring directive's previous occurrence; each occurrence has at most one next one.
    previous_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id"), unique=True)
    assigned_on: Mapped[date | None] = mapped_column(Date)  # local day it was assigned; None for drafts
    reported_on: Mapped[date | None] = mapped_column(Date)  # local day every lead unit had reported done
    completed_on: Mapped[date | None] = mapped_column(Date)  # done: the day of the accepted report
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    cancel_reason: Mapped[str | None] = mapped_column(Text)
    # Imported directives only: bot.imports.sheet.import_key, unique so a file sent twice cannot add it twice.
    import_key: Mapped[str | None] = mapped_column(String(64))
    # A draft's open questions (bot.domain.directive.QUESTION_KINDS); None when it has none.
    questions: Mapped[list[str] | None] = mapped_column(JSON)
    # The report marks last added to the tallies for it, and where (storage/tallies.py): what a change takes back.
    tally: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="directive", lazy="selectin", order_by="Assignment.id", cascade="all, delete-orphan"
    )
    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_directives_state_deadline", "state", "deadline"),
        Index("ix_directives_import_key", "import_key", unique=True),
        # Reports (bot/reports/numbers.py): directives assigned in a period, those still open, and those
        # closed since a day; each index carries the dates the classes are judged by.
        Index("ix_directives_report_assigned", "assigned_on", "due_on", "completed_on", "reported_on",
              "cancelled_on"),
        Index("ix_directives_report_open", "state", "assigned_on", "due_on", "reported_on"),
        Index("ix_directives_report_completed", "completed_on", "assigned_on", "due_on", "reported_on"),
        # Cancelled in a period: what the reports' parts and their split of new from carried read, per leader.
        Index("ix_directives_report_cancelled_by", "cancelled_on", "assigned_on", "completed_on", "due_on",
              "reported_on", "leader_name", "assigned_by_id"),
        # The province's overdue and due-soon lists: working directives by the day their deadline ends.
        Index("ix_directives_working_due", "due_on", "id", sqlite_where=text(WORKING_STATES),
              postgresql_where=text(WORKING_STATES)),
        # What awaits confirmation, by deadline: the overdue list's awaiting part, the most overdue first.
        Index("ix_directives_awaiting_due", "due_on", "id", sqlite_where=text(AWAITING),
              postgresql_where=text(AWAITING)),
    )


HAS_CANCELLED = "cancelled_on IS NOT NULL"
HAS_COMPLETED = "completed_on IS NOT NULL"


class Assignment(Base):
    """One unit's part in a directive: lead (chủ trì) or support (phối hợp)."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    role: Mapped[str] = mapped_column(String(8))  # lead | support
    acknowledged_at: Mapped[datetime | None]
    reported_done_at: Mapped[datetime | None]
    last_report: Mapped[str | None] = mapped_column(Text)
    last_report_at: Mapped[datetime | None]
    # Copies of the directive's state and dates (kept by storage.read_model on every flush), so a unit's
    # lists and report rows are read from one index of this table, never a join over a million directives.
    state: Mapped[str] = mapped_column(String(24), default="draft")
    is_open: Mapped[bool] = mapped_column(Boolean, default=False)  # assigned, in progress or awaiting
    due_sort: Mapped[date] = mapped_column(Date, default=NO_DEADLINE)  # due_on, standing tasks last
    due_on: Mapped[date | None] = mapped_column(Date)
    assigned_on: Mapped[date | None] = mapped_column(Date)
    reported_on: Mapped[date | None] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    directive: Mapped[Directive] = relationship(back_populates="assignments")
    unit: Mapped[Unit] = relationship(lazy="joined")
    __table_args__ = (
        UniqueConstraint("directive_id", "unit_id"),
        Index("ix_assignments_unit_directive", "unit_id", "directive_id"),
        Index("ix_assignments_directive_role_unit", "directive_id", "role", "unit_id"),  # reports: index-only
        # A unit's lists, in the order they are shown.
        Index("ix_assignments_unit_list", "unit_id", "role", "is_open", "due_sort", "directive_id"),
        # A unit's part (lead or support) newest first, the assignment day tested in the index: the web list
        # of a past period walks it from the newest row to the period's (issue 23), not every unit's rows.
        Index("ix_assignments_unit_role_directive", "unit_id", "role", "directive_id", "assigned_on"),
        # Report rows per unit: each part of a report's scope is one range of one of these.
        Index("ix_assignments_report_assigned", "assigned_on", "unit_id", "role", "due_on", "completed_on",
              "reported_on", "cancelled_on"),
        # Still open now, read unit by unit (a report's largest part is grouped as it is read, no sort).
        Index("ix_assignments_report_open", "is_open", "unit_id", "role", "assigned_on", "due_on", "reported_on"),
        Index("ix_assignments_report_completed", "completed_on", "assigned_on", "unit_id", "role", "due_on",
              "reported_on"),
        Index("ix_assignments_report_cancelled", "cancelled_on", "assigned_on", "unit_id", "role", "due_on",
              "reported_on"),
        # One unit's cancelled count and its overdue list as of a past day (done or cancelled after it):
        # each begins with its conditions, the unit and the day, and holds only the rows that have one.
        Index("ix_assignments_unit_cancelled", "unit_id", "role", "cancelled_on", "assigned_on", "due_on",
              "reported_on", sqlite_where=text(HAS_CANCELLED), postgresql_where=text(HAS_CANCELLED)),
        # A unit's overdue and due-soon lists: its lead work in progress by deadline (queries say the state's
        # condition literally, so both planners match the partial index).
        Index("ix_assignments_unit_working", "unit_id", "role", "due_sort", "directive_id",
              sqlite_where=text(WORKING_STATES), postgresql_where=text(WORKING_STATES)),
        Index("ix_assignments_unit_completed", "unit_id", "role", "completed_on", "assigned_on", "due_on",
              "reported_on", sqlite_where=text(HAS_COMPLETED), postgresql_where=text(HAS_COMPLETED)),
    )


UNMERGED = "merged = false"


class UnitTally(Base):
    """Report marks (bot/domain/tally.py) summed per unit, role, class and day (grain 0), month (1, on the
    month's first day), year (3, on 1 January) or all time (2). Rows are only ever added; a daily job merges
    those of one key."""

    __tablename__ = "unit_tallies"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    grain: Mapped[int] = mapped_column(SmallInteger)
    day: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(8))
    cls: Mapped[str] = mapped_column(String(2))
    n: Mapped[int] = mapped_column(Integer)
    merged: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        Index("ix_unit_tallies_read", "grain", "day", "unit_id", "role", "cls", "n"),
        Index("ix_unit_tallies_unit", "unit_id", "grain", "day", "role", "cls", "n"),  # one unit's figures
        Index("ix_unit_tallies_unmerged", "id", sqlite_where=text(UNMERGED), postgresql_where=text(UNMERGED)),
    )


class LeaderTally(Base):
    """The same per leader (the name on the directive and who assigned it): each directive once, so their
    sum is the province's."""

    __tablename__ = "leader_tallies"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    grain: Mapped[int] = mapped_column(SmallInteger)
    day: Mapped[date] = mapped_column(Date)
    leader_name: Mapped[str | None] = mapped_column(String(200))
    assigned_by_id: Mapped[int | None] = mapped_column(Integer)
    cls: Mapped[str] = mapped_column(String(2))
    n: Mapped[int] = mapped_column(Integer)
    merged: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        Index("ix_leader_tallies_read", "grain", "day", "leader_name", "assigned_by_id", "cls", "n"),
        Index("ix_leader_tallies_unmerged", "id", sqlite_where=text(UNMERGED), postgresql_where=text(UNMERGED)),
    )


class UnitLeaderTally(Base):
    """The same per lead unit and leader: one unit's breakdown by leader (a directive counts once in each
    of its lead units, as in the unit's own figures)."""

    __tablename__ = "unit_leader_tallies"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    grain: Mapped[int] = mapped_column(SmallInteger)
    day: Mapped[date] = mapped_column(Date)
    unit_id: Mapped[int] = mapped_column(Integer)
    leader_name: Mapped[str | None] = mapped_column(String(200))
    assigned_by_id: Mapped[int | None] = mapped_column(Integer)
    cls: Mapped[str] = mapped_column(String(2))
    n: Mapped[int] = mapped_column(Integer)
    merged: Mapped[bool] = mapped_column(Boolean, default=False)
    __table_args__ = (
        Index("ix_unit_leader_tallies_read", "unit_id", "grain", "day", "cls", "leader_name", "assigned_by_id", "n"),
        Index("ix_unit_leader_tallies_unmerged", "id", sqlite_where=text(UNMERGED),
              postgresql_where=text(UNMERGED)),
    )


class ExtensionRequest(Base):
    __tablename__ = "extension_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    requested_at: Mapped[datetime]
    old_deadline: Mapped[date | None] = mapped_column(Date)
    new_deadline: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | approved | refused
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_extension_requests_status_directive", "status", "directive_id"),)


class Event(Base):
    """Append-only log: who did what when, with the state before and after."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    __table_args__ = (Index("ix_events_directive_id_id", "directive_id", "id"),)


class Outbox(Base):
    """A message to send: notifications and reminders, written in the transaction that caused them."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    directive_id: Mapped[int | None] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), index=True
    )
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
    kind: Mapped[str] = mapped_column(String(32))
    deadline_version: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    # Resent after a crash between "sending" and "sent": Telegram may already have delivered it.
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime]
    __table_args__ = (
        Index("ix_outbox_pending_due", "due_at", sqlite_where=text(PENDING), postgresql_where=text(PENDING)),
        Index("ix_outbox_pending_kind_due", "kind", "due_at", sqlite_where=text(PENDING),  # outside the window
              postgresql_where=text(PENDING)),
        Index("ix_outbox_in_flight_lease", "lease_until", sqlite_where=text(IN_FLIGHT),
              postgresql_where=text(IN_FLIGHT)),
        Index("ix_outbox_failed_status_due", "status", "due_at", sqlite_where=text(FAILED),
              postgresql_where=text(FAILED)),
        # What waits for one address: voided when it leaves a unit, held when it is unreachable.
        Index("ix_outbox_waiting_address", "address_id", sqlite_where=text(WAITING),
              postgresql_where=text(WAITING)),
        Index("ix_outbox_sent_id", "id", sqlite_where=text(SENT), postgresql_where=text(SENT)),
    )


class OutboxHistory(Base):
    """Sent outbox rows, moved here from the outbox in batches (storage.history, by the daily "outbox" job
    and `python -m bot prune-outbox`), so that the outbox holds what is still to be sent, held or failed. The
    key stays unique here, and a key here is never written to the outbox again (storage.history.unsent_only:
    a reminder sent once is never queued a second time). The id is the outbox row's. A reminder never sent
    (voided, dead, uncertain) of a directive closed long ago is kept here too, for its key only
    (storage.retention): it has no `sent_at`, and its payload, like every reminder row's kept that long, is
    emptied ({})."""

    __tablename__ = "outbox_history"
    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    directive_id: Mapped[int | None] = mapped_column(
        ForeignKey("directives.id", ondelete="CASCADE"), index=True
    )
    address_id: Mapped[int] = mapped_column(ForeignKey("addresses.id"))
    kind: Mapped[str] = mapped_column(String(32))
    deadline_version: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the process that sent it
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    uncertain: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    created_at: Mapped[datetime]
    moved_at: Mapped[datetime]  # copied here; it leaves the outbox once this is storage.history.GRACE ago


class OutboxPending(Base):
    """The outbox rows due to be sent, and only those: an outbox row's id, due time and routing while its status is
    pending or sending (storage.pending keeps the two in step, wherever outbox rows are written). The
    dispatcher claims ids here (a lease per row; FOR UPDATE SKIP LOCKED on PostgreSQL) and loads a row's
    payload as it sends it; a row that is sent, voided, dead or held leaves this table, while its key (the
    reminder's de-duplication) stays on the outbox row."""

    __tablename__ = "outbox_pending"
    id: Mapped[int] = mapped_column(BigId, ForeignKey("outbox.id", ondelete="CASCADE"), primary_key=True,
                                    autoincrement=False)
    kind: Mapped[str] = mapped_column(String(32))
    due_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]  # claimed by `claimed_by` until then; NULL: waiting to be claimed
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    # A notice to the operations chat (an address of no person and no unit), set when the row is queued
    # (storage.pending.is_alert): outside the send window nothing else is claimed.
    alert: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Copies of the outbox row's, written with it (storage.pending): what a pass needs to group its claim by
    # address and to drop stale reminders, so that the claim reads the queue alone (migration 0024).
    address_id: Mapped[int] = mapped_column(Integer, server_default="0")
    directive_id: Mapped[int | None] = mapped_column(Integer)
    deadline_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    __table_args__ = (
        Index("ix_queue_waiting_due", "due_at", sqlite_where=text(QUEUE_WAITING), postgresql_where=text(QUEUE_WAITING)),
        Index("ix_queue_waiting_alerts_due", "due_at", sqlite_where=text(QUEUE_ALERTS),
              postgresql_where=text(QUEUE_ALERTS)),
        Index("ix_queue_claimed_lease", "lease_until", sqlite_where=text(QUEUE_CLAIMED),
              postgresql_where=text(QUEUE_CLAIMED)),
    )


class Attachment(Base):
    """A file sent with a report: kept with the directive so whoever reads it can have it."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    kind: Mapped[str] = mapped_column(String(16))  # document | photo
    file_id: Mapped[str] = mapped_column(String(256))
    file_unique_id: Mapped[str] = mapped_column(String(128))
    file_name: Mapped[str | None] = mapped_column(String(255))
    mime_type: Mapped[str | None] = mapped_column(String(128))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    __table_args__ = (Index("ix_attachments_directive_id_id", "directive_id", "id"),)


class Conversation(Base):
    """What the bot is waiting for from one person in one chat (a typed reason, a date, a guided
    assignment, a draft being corrected), bound to the directive and version it is about. Kept here, not
    in process memory, so it survives a restart and any replica can take the answer."""

    __tablename__ = "conversations"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(32))
    directive_id: Mapped[int | None] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"))
    directive_version: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    __table_args__ = (UniqueConstraint("person_id", "chat_id"),)


class JobRun(Base):
    """A time-driven job's run for one period (the daily digest of 2026-11-23, the weekly one of 2026-W48):
    kept so a job missed while the bot was down runs once when it is back, on one replica only."""

    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class Sequence(Base):
    """Counters for human codes (CD-2026-0012), one row per year."""

    __tablename__ = "sequences"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Lease(Base):
    """A named lease one process holds for a while (on SQLite: the single dispatcher)."""

    __tablename__ = "leases"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    until: Mapped[datetime]


class SendBudget(Base):
    """The next moment a message may go, shared by every replica (bot.ratelimit.SharedSendLimiter): one row
    per channel ("telegram": the overall rate) and one per address ("telegram:@12": its chat's rate)."""

    __tablename__ = "send_budget"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    next_at: Mapped[float] = mapped_column(Double)


class Heartbeat(Base):
    """A named moment shared by every replica: the dispatcher's last pass, the last alert of a kind."""

    __tablename__ = "heartbeats"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    worker: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]


class ImportBatch(Base):
    """A file read and checked, waiting for its importer's confirmation: the confirm button carries its id
    and nonce, so the pending import survives a restart and any replica can take the press."""

    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    nonce: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(16))  # sheet | notice
    file_name: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | applied | dropped
    items: Mapped[list[Any]] = mapped_column(JSON, default=list)
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    applied_at: Mapped[datetime | None]
    __table_args__ = (Index("ix_import_batches_person_id_status", "person_id", "status"),)


class WebSession(Base):
    """A signed-in browser or Mini App: only the token's hash is kept. It ends when it expires, when the
    person signs out, and at once when the person is deactivated (the row is deleted with them)."""

    __tablename__ = "web_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    via: Mapped[str] = mapped_column(String(16))  # telegram | link
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class WebLink(Base):
    """A single-use sign-in link, valid a few minutes; only the token's hash is kept."""

    __tablename__ = "web_links"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ApiClient(Base):
    """One of the province's other systems reading the API with its own token (hash kept), read-only."""

    __tablename__ = "api_clients"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class FileBlob(Base):
    """The bytes of a file uploaded on the web (a Telegram file lives at Telegram; its attachment keeps the
    file_id). In the database, so every replica on one PostgreSQL serves it; an attachment names it as
    file_id "blob:<id>"."""

    __tablename__ = "file_blobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    mime_type: Mapped[str] = mapped_column(String(128))
    name: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]


class MessageOrigin(Base):
    """The chat message a draft was read from, and its place among the directives that message held: an edit
    of the message then updates those drafts instead of making new ones (Telegram sends the edited message
    as an update of its own)."""

    __tablename__ = "message_origins"
    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    position: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime]
    # The bot's preview of the draft in that chat («Giao tất cả» turns it into the directive's card).
    preview_message_id: Mapped[int | None] = mapped_column(BigInteger)
