"""Retention of the outbox rows never to be sent (issue 23): the voided, dead, uncertain and unreachable rows
of directives closed more than N days ago leave the outbox (a notice for good; a reminder for the history,
its key kept and its payload emptied), and the reminder rows the history keeps keep only their keys. A key
kept so still blocks a reminder planned again; rows of open or recently closed directives are not touched;
a dry run changes nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select, update

from bot.cli import main
from bot.domain.reminders import ESCALATION, OVERDUE, REMINDER_KINDS
from bot.services import directives as svc
from bot.services import reminders, retention
from bot.services.ports import Row
from bot.services.verification import verify_log
from storage import history, pending
from storage.addressing import Directory
from storage.models import Outbox, OutboxHistory
from storage.repository import SqlOutbox
from tests.conftest import NOW
from tests.integration.test_outbox_retention import _id, local
from tests.integration.test_outbox_retention import run as run  # noqa: F401 - the fixture
from tests.outbox_all import every_row

NEVER_SENT = ("void", "dead", "uncertain", "unreachable")
CLOSED_ON = local(date(2026, 12, 8), 9)
RECENTLY = local(date(2027, 3, 5), 9)  # 10 days before LATER
LATER = local(date(2027, 3, 15), 9)  # a Monday, 97 days after CLOSED_ON: the cutoff is 15/12/2026


async def _mark(rt, directive_id: int) -> None:
    """A notice that failed for good (dead), the next overdue ping maybe sent (uncertain: a crash while it was
    being sent) and the escalation given up (dead)."""
    async with rt.transaction() as session:
        notice = await session.scalar(select(Outbox.id).where(
            Outbox.directive_id == directive_id, Outbox.kind == "notify", Outbox.status == "sent").limit(1))
        await session.execute(update(Outbox).where(Outbox.id == notice).values(
            status="dead", sent_at=None, last_error="gave up after 5 attempts"))
        marked = []
        for kind, values in ((OVERDUE, {"status": "uncertain", "uncertain": True}), (ESCALATION, {"status": "dead"})):
            row = await session.scalar(select(Outbox.id).where(
                Outbox.directive_id == directive_id, Outbox.kind == kind, Outbox.status == "pending").limit(1))
            assert row is not None, kind
            await session.execute(update(Outbox).where(Outbox.id == row).values(**values))
            marked.append(row)
        await pending.dequeue(session, marked)


async def _scene(rt, people, run) -> dict[str, int]:
    """Four directives reminded until 2/12: two closed on 8/12 (done, cancelled), one cancelled on 5/3, one
    still open; each with a dead notice, an uncertain overdue ping and a dead escalation."""
    make = svc.NewDirective
    codes = [c.code for c in await svc.create_directives(rt, people.leader, [
        make("Rà soát hồ sơ đất đai", lead=["SXD"], deadline=date(2026, 11, 27)),
        make("Báo cáo tiến độ giải ngân", lead=["STC"], deadline=date(2026, 11, 27)),
        make("Kiểm tra an toàn thực phẩm", lead=["SYT"], deadline=date(2026, 11, 27)),
        make("Chỉnh trang vỉa hè phường Thuận Hoà", lead=["P-THUANHOA"], deadline=date(2026, 11, 27)),
    ], now=NOW)]
    ids = dict(zip(("done", "cancelled", "recent", "open"), [await _id(rt, c) for c in codes], strict=True))
    for moment in (NOW, local(date(2026, 11, 27)), local(date(2026, 11, 30)), local(date(2026, 12, 2))):
        await run(moment)
    for i in ids.values():
        await _mark(rt, i)
    await svc.report_done(rt, people.sxd, codes[0], "Đã rà soát xong 120 hồ sơ", now=CLOSED_ON)
    await svc.confirm_done(rt, people.admin, codes[0], now=CLOSED_ON)
    await svc.cancel(rt, people.leader, codes[1], "Không còn cần thiết", now=CLOSED_ON)
    await run(CLOSED_ON + timedelta(hours=1))
    await svc.cancel(rt, people.leader, codes[2], "Đã giao cho đơn vị khác", now=RECENTLY)
    await run(RECENTLY + timedelta(hours=1))
    return ids


async def _everything(rt) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the outbox, its history and its queue, every column."""
    async with rt.sessions() as session:
        return {str(table): [tuple(r) for r in await session.execute(select(table).order_by(table.c.id))]
                for table in (Outbox.__table__, OutboxHistory.__table__, pending.QUEUE)}


async def _rows_of(rt, directive_id: int) -> set[tuple[str, str, str]]:
    """(key, status, payload) of one directive's rows, in the outbox or its history (counted once)."""
    async with rt.sessions() as session:
        r = every_row()
        return {(k, s, repr(p)) for k, s, p in await session.execute(
            select(r.c.key, r.c.status, r.c.payload).where(r.c.directive_id == directive_id))}


async def _never_sent(rt, directive_id: int) -> dict[str, Outbox]:
    async with rt.sessions() as session:
        return {r.key: r for r in await session.scalars(select(Outbox).where(
            Outbox.directive_id == directive_id, Outbox.status.in_(NEVER_SENT)))}


async def test_rows_never_to_be_sent_of_directives_closed_long_ago_leave_the_outbox(rt, people, run):
    ids = await _scene(rt, people, run)
    unsent = {name: await _never_sent(rt, i) for name, i in ids.items()}
    for name in ids:  # each has a dead notice and an uncertain and a dead reminder; the closed ones voided more
        statuses = {(r.kind in REMINDER_KINDS, r.status) for r in unsent[name].values()}
        assert {(False, "dead"), (True, "uncertain"), (True, "dead")} <= statuses, name
    assert any(r.status == "void" for r in unsent["done"].values())
    old = [*unsent["done"].values(), *unsent["cancelled"].values()]
    notices, kept = [r for r in old if r.kind not in REMINDER_KINDS], [r for r in old if r.kind in REMINDER_KINDS]
    untouched = {name: await _rows_of(rt, ids[name]) for name in ("recent", "open")}

    # A dry run counts them and changes nothing.
    before = await _everything(rt)
    dry = await retention.prune_outbox(rt, now=LATER, dry_run=True, batch=1)
    assert (dry.directives, dry.dropped, dry.retired) == (2, len(notices), len(kept))
    assert await _everything(rt) == before

    done = await retention.prune_outbox(rt, now=LATER, batch=1)
    assert (done.directives, done.dropped, done.retired, done.kept, done.cleared) == (
        2, dry.dropped, dry.retired, dry.kept, dry.cleared)
    for name in ("done", "cancelled"):
        assert await _never_sent(rt, ids[name]) == {}, name
    async with rt.sessions() as session:
        moved = {r.key: r for r in await session.scalars(select(OutboxHistory).where(
            OutboxHistory.key.in_([r.key for r in old])))}
        assert not await session.scalar(select(Outbox.id).where(Outbox.key.in_([r.key for r in old])).limit(1))
        assert await history.keys_twice(session) == 0
        assert await pending.differences(session) == (0, 0, 0, 0)
    # The notices are gone for good; the reminders keep their keys, and nothing else.
    assert moved.keys() == {r.key for r in kept}
    for row in kept:
        got = moved[row.key]
        assert (got.payload, got.sent_at, got.uncertain) == ({}, None, row.uncertain)
        assert (got.directive_id, got.kind, got.address_id, got.deadline_version) == (
            row.directive_id, row.kind, row.address_id, row.deadline_version)
    # Those of the directive still open and of the one closed 10 days ago stay as they were.
    for name, rows in untouched.items():
        assert await _rows_of(rt, ids[name]) == rows, name
        assert {k: r.status for k, r in (await _never_sent(rt, ids[name])).items()} == {
            k: r.status for k, r in unsent[name].items()}, name
    again = await retention.prune_outbox(rt, now=LATER, batch=1)
    assert (again.dropped, again.retired, again.cleared) == (0, 0, 0)
    assert (await verify_log(rt)).ok


async def test_a_kept_key_uncertain_or_not_still_blocks_the_reminder_planned_again(rt, people, run):
    ids = await _scene(rt, people, run)
    unsent = await _never_sent(rt, ids["cancelled"])  # STC never reported: its pings would reach it again
    kept = [key for key, r in unsent.items() if r.kind in REMINDER_KINDS]
    uncertain = next(r for r in unsent.values() if r.status == "uncertain")
    assert uncertain.kind == OVERDUE and len(kept) > 2
    async with rt.sessions() as session:
        directive = await rt.uow_on(session).directives.by_id(ids["cancelled"])
        escalated = await rt.uow_on(session).outbox.escalation_sent(directive)
    await retention.prune_outbox(rt, now=LATER)
    recorder = await run(LATER)
    seen = len(recorder.got)

    # The overdue ping before the uncertain one planned again (the office resends it): the next one, maybe
    # sent already, is not queued a second time.
    step = int(uncertain.key.rsplit(":", 1)[1])
    async with rt.transaction() as session:
        uow = rt.uow_on(session)
        await reminders.chain_overdue(uow, directive, uncertain.address_id, step - 1, LATER)
        assert await uow.outbox.escalation_sent(directive) == escalated  # a row never sent is not a sent one
    # Every kept key written again by hand, as one INSERT and with a look-up first (an address coming back).
    rows = [Row(r.key, r.address_id, r.kind, {"text": "remind.overdue"}, LATER, r.deadline_version)
            for r in unsent.values() if r.kind in REMINDER_KINDS]
    for revive in (False, True):
        async with rt.transaction() as session:
            await SqlOutbox(session, Directory(session)).add(rows, None, LATER, revive=revive)
    async with rt.sessions() as session:
        assert list(await session.scalars(select(Outbox.key).where(Outbox.key.in_(kept)))) == []
        assert set(await session.scalars(select(OutboxHistory.key).where(OutboxHistory.key.in_(kept)))) == set(kept)
        assert await pending.differences(session) == (0, 0, 0, 0)
        assert await history.keys_twice(session) == 0
        assert (await session.get(OutboxHistory, uncertain.id)).uncertain
    await run(LATER + timedelta(hours=1))
    assert [g for g in recorder.got[seen:] if g[2] == directive.code] == [], \
        "a reminder of a directive closed long ago went out again"
    assert (await verify_log(rt)).ok


async def test_the_reminder_rows_kept_for_their_keys_keep_no_payload(rt, people, run):
    ids = await _scene(rt, people, run)
    await retention.move_sent(rt, RECENTLY + timedelta(hours=2))
    await retention.move_sent(rt, RECENTLY + timedelta(hours=4))  # the sent rows are all in the history now

    async def payloads(directive_id: int) -> list[dict[str, Any]]:
        async with rt.sessions() as session:
            return list(await session.scalars(select(OutboxHistory.payload).where(
                OutboxHistory.directive_id == directive_id, OutboxHistory.kind.in_(REMINDER_KINDS))))

    full = {name: await payloads(i) for name, i in ids.items()}
    for name, found in full.items():
        assert found and all(p.get("text") for p in found), name
    before = await _everything(rt)
    dry = await retention.prune_outbox(rt, now=LATER, dry_run=True)
    assert dry.cleared == len(full["done"]) + len(full["cancelled"])
    assert await _everything(rt) == before
    done = await retention.prune_outbox(rt, now=LATER)
    assert done.cleared == dry.cleared
    for name in ("done", "cancelled"):
        assert await payloads(ids[name]) == [{}] * len(await payloads(ids[name])), name
    for name in ("recent", "open"):
        assert await payloads(ids[name]) == full[name], name
    assert (await retention.prune_outbox(rt, now=LATER)).cleared == 0
    assert (await verify_log(rt)).ok


def test_the_command_tells_what_never_to_be_sent_would_go(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "DEFAULT_LANGUAGE", "OUTBOX_RETENTION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["prune-outbox", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "0 tin sẽ không bao giờ gửi" in out and "sẽ xoá nội dung của 0 nhắc việc" in out
    assert main(["prune-outbox"]) == 0
    out = capsys.readouterr().out
    assert "0 nhắc việc chưa gửi đã chuyển khỏi hàng đợi" in out and "đã xoá nội dung của 0 nhắc việc" in out
