"""Digests count by the report's rule (lead work, support apart), carry buttons to the lists they
summarise, and go as messages of their own, never merged into a reminder batch."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.outbox import Delivery
from bot.services import directives as svc
from bot.services import queries
from bot.services.digests import daily_digest, weekly_digest
from handlers.notifier import messages
from storage.models import JobRun, Outbox
from tests.addressing import CHAT
from tests.integration.report_data import build
from tests.integration.test_reminders import assign, local


async def digests(rt, kind: str) -> dict[int, Outbox]:
    async with rt.sessions() as s:
        rows = await s.execute(select(Outbox, CHAT).where(Outbox.kind == "digest",
                                                          Outbox.payload["text"].as_string() == kind))
        return {chat: row for row, chat in rows}


def delivery(row: Outbox) -> Delivery:
    return Delivery(row.id, row.address_id, row.kind, dict(row.payload), 0, None, False)


async def test_each_units_daily_digest_counts_its_lead_work_and_its_buttons_open_the_matching_lists(rt, people):
    await build(rt, people)
    tuesday = local(date(2026, 12, 8), 7, 45)
    assert await daily_digest(rt, tuesday) == 4, "SXD, STC, SYT and the ward have focal points; Thuận An has none"
    assert await daily_digest(rt, tuesday) == 0, "once a day"
    rows = await digests(rt, "digest.daily")
    text, markup = messages([delivery(rows[2002])], "vi")[0]
    assert "Việc của Sở Tài chính hôm nay" in text and "Đang thực hiện: 2; quá hạn: <b>1</b>; sắp đến hạn: 1." in text
    buttons = [(b.text, b.callback_data) for row in markup.inline_keyboard for b in row]
    # Its two open tasks were never acknowledged: listed, with the one press that acknowledges both first.
    assert "Đơn vị chưa xác nhận đã nhận: 2 nhiệm vụ" in text and text.count("\n• <b>") == 2
    assert buttons == [("✅ Nhận tất cả (2)", "ackl|||"), ("⚠️ Quá hạn (1)", "pg|over|1|STC"),
                       ("⏰ Sắp đến hạn (1)", "pg|soon|1|STC"), ("📋 Việc của đơn vị (2)", "pg|my|1|STC")]
    syt, _ = messages([delivery(rows[2003])], "vi")[0]
    assert "Đang thực hiện: 2; quá hạn: <b>1</b>" in syt and "Phối hợp với đơn vị khác: 1 nhiệm vụ." in syt
    for focal, unit in ((people.sxd, "SXD"), (people.stc, "STC")):
        listed = await queries.overdue(rt, focal, now=tuesday, unit_code=unit)
        assert listed.total == 1, "the «Quá hạn» list the button opens shows the same count"


async def test_the_weekly_digest_gives_overdue_by_unit_the_weeks_deadlines_and_the_rate_against_last_month(rt, people):
    await build(rt, people)
    monday = local(date(2026, 12, 7), 8)
    assert await weekly_digest(rt, monday) == 2, "the office and the leader"
    row = (await digests(rt, "digest.weekly"))[1002]
    text, markup = messages([delivery(row)], "vi")[0]
    assert "Đang thực hiện: 6, trong đó quá hạn <b>3</b>; chờ xác nhận: 2; đến hạn trong tuần: 0." in text
    assert "Tỷ lệ hoàn thành đúng hạn tháng này: 20,0 % (tháng trước: 44,4 %)." in text
    assert "• Sở Xây dựng: 1" in text and "• Sở Y tế: 1" in text
    assert markup.inline_keyboard[0][0].callback_data == "pg|over|1|"
    english, _ = messages([delivery(row)], "en")[0]
    assert "On-time rate this month: 20.0% (last month: 44.4%)." in english


async def test_no_weekly_digest_is_written_while_the_province_has_no_work_at_all(rt, people):
    monday = local(date(2026, 12, 7), 8)
    assert await weekly_digest(rt, monday) == 0, "a digest of zeros says nothing"
    assert await digests(rt, "digest.weekly") == {}
    await assign(rt, people, date(2026, 12, 18))
    assert await weekly_digest(rt, monday) == 2, "once there is work, the same week's digest goes out"


async def test_a_digest_and_reminders_due_together_are_separate_messages(rt, people):
    await build(rt, people)
    await daily_digest(rt, local(date(2026, 12, 8), 7, 45))
    digest = delivery((await digests(rt, "digest.daily"))[2001])
    reminders = [Delivery(900 + n, 2001, "remind_before", {"text": "remind.before", "code": f"CD-2026-000{n}", "params": {
        "code": f"CD-2026-000{n}", "units": "SXD", "deadline": "2026-12-10", "content": "Rà soát"}}, 0, None, False)
        for n in (1, 2)]
    sent = messages([*reminders, digest], "vi")
    assert len(sent) == 2
    assert sent[0][0].startswith("<b>Nhắc việc</b> — 2 nhiệm vụ") and "Việc của" not in sent[0][0]
    assert sent[1][0].startswith("<b>Việc của Sở Xây dựng hôm nay</b>")


async def ran(rt, day: date) -> None:
    async with rt.transaction() as s:
        s.add(JobRun(name="digest_daily", period=day.isoformat(), holder="test", started_at=local(day, 7, 45),
                     finished_at=local(day, 7, 46)))


async def test_a_units_daily_digest_goes_only_with_something_new_or_newly_overdue_since_the_last_one(rt, people):
    await assign(rt, people, date(2026, 11, 25))  # Sở XD's, assigned on Friday 20/11
    assert await daily_digest(rt, local(date(2026, 11, 23), 7, 45)) == 1, "the first digest: everything is new"
    await ran(rt, date(2026, 11, 23))
    assert await daily_digest(rt, local(date(2026, 11, 24), 7, 45)) == 0, "nothing new, nothing overdue since"
    await ran(rt, date(2026, 11, 24))
    await ran(rt, date(2026, 11, 25))
    assert await daily_digest(rt, local(date(2026, 11, 26), 7, 45)) == 1, "its day ended yesterday: overdue"
    await ran(rt, date(2026, 11, 26))
    assert await daily_digest(rt, local(date(2026, 11, 27), 7, 45)) == 0, "still overdue, but not news"
    await svc.create_directives(rt, people.leader, [svc.NewDirective("Báo cáo số liệu", lead=["SXD"],
                                                                     deadline=date(2026, 12, 15))],
                                now=local(date(2026, 11, 27), 10))
    await ran(rt, date(2026, 11, 27))
    assert await daily_digest(rt, local(date(2026, 11, 30), 7, 45)) == 1, "a new directive"
