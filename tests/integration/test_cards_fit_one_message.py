"""A card is one Telegram message whatever the directive holds: the longest content, thirty units, long
reports, reasons and file names are cut on the card (the history keeps them whole)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.services import directives as svc
from bot.services import units
from tests.conftest import NOW

LEADS = ["SXD", "SNV", "STP", "STC", "SCT", "SNNMT", "SKHCN", "SGDDT", "SYT", "SVHTTDL"]
SUPPORTS = ["SDTTG", "TTR", "BQLKKT", "TTHCC", "CA", "BCHQS", "DPTTH", "THUE", "P-THUANHOA", "P-PHUXUAN",
            "P-KIMLONG", "P-VYDA", "P-ANCUU", "P-THUANAN", "P-HUONGTRA", "P-HUONGTHUY", "X-PHUVANG",
            "X-QUANGDIEN", "X-PHULOC", "X-NAMDONG"]
LIMIT = 4096


async def test_a_directive_with_everything_at_its_limit_shows_as_one_card_with_what_was_cut_said(
        chat, rt, people, sample_units_csv):
    await units.import_units(rt, sample_units_csv, None, now=NOW)
    content = ("Đẩy nhanh tiến độ <giải phóng> mặt bằng & tái định cư dự án đường ven biển; " * 30)[:1999]
    [card] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        content, LEADS, SUPPORTS, date(2026, 12, 15), source_number="245/TB-UBND", source_date=date(2026, 11, 1),
        leader_name="Phó Chủ tịch UBND tỉnh Nguyễn Văn An")], now=NOW)
    at = NOW
    for round_ in range(2):
        at += timedelta(hours=1)
        files = [svc.FileRef("document", f"f{round_}{k}", f"u{round_}{k}",
                             f"Báo cáo kết quả <số {k}> & phụ lục kèm theo có tên tệp rất dài {k} " * 3 + ".pdf",
                             "application/pdf", 1000) for k in range(4)]
        await svc.report_done(rt, people.sxd, card.code, ("Đã hoàn thành <việc> & " * 200)[:2000], now=at, files=files)
        for unit in LEADS[1:]:
            await svc.report_done(rt, people.admin, card.code, "Đã hoàn thành", now=at, unit_code=unit)
        at += timedelta(hours=1)
        await svc.send_back(rt, people.admin, card.code, ("Chưa đạt yêu cầu <lý do> & " * 100)[:1000], now=at)
    await svc.request_extension(rt, people.sxd, card.code, date(2027, 1, 15), ("Vướng <thủ tục> & " * 100)[:1000],
                                now=at + timedelta(hours=1))
    for reader in (1002, 2001, 1001):
        shown = await chat.say(reader, f"/xem {card.code}")
        sent = chat.messages(reader)[-1]["text"]
        assert len(sent) <= LIMIT and len(shown) <= LIMIT
        assert "đơn vị khác" in shown and card.code in shown
