"""Retiring units into their successor (`python -m bot merge-units OLD... --into NEW`): open work and drafts
move with their progress, closed work keeps naming the retired unit, the log still rebuilds every directive,
the retired names read as the successor's, and the new province list (../shared/data/province-2025) loads."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.domain.calendar import WorkingCalendar
from bot.errors import DomainError
from bot.parsing import load_units_from_csv_files, parse_message
from bot.services import directives as svc
from bot.services import queries, units
from bot.services.verification import verify_log
from storage.models import Event, Unit
from tests.conftest import IN_CI, NOW

PROVINCE_2025 = Path(__file__).resolve().parents[3] / "shared" / "data" / "province-2025"


async def test_merging_a_ward_moves_its_open_work_and_keeps_its_history(rt, people):
    open_, done, draft = await svc.create_directives(rt, people.leader, [
        svc.NewDirective("Rà soát điểm sạt lở", ["P-THUANHOA"], ["SYT"], date(2026, 12, 15)),
        svc.NewDirective("Thống kê hộ nghèo", ["P-THUANHOA"], deadline=date(2026, 12, 1)),
        svc.NewDirective("Kiểm tra chợ", ["SYT"], ["P-THUANHOA"], date(2026, 12, 20)),
    ], now=NOW)
    await svc.acknowledge(rt, people.ward, open_.code, now=NOW + timedelta(hours=1))
    await svc.report_done(rt, people.ward, done.code, "Xong", now=NOW + timedelta(hours=2))
    await svc.confirm_done(rt, people.admin, done.code, now=NOW + timedelta(hours=3))
    [new_draft] = await svc.create_directives(rt, people.leader, [svc.NewDirective(
        "Lập danh sách", ["P-THUANHOA"], deadline=date(2026, 12, 30))], now=NOW, as_draft=True)

    result = await units.merge_units(rt, ["p-thuanhoa"], "P-THUANAN", now=NOW + timedelta(days=1))
    assert result.moved == tuple(sorted((open_.code, draft.code, new_draft.code)))

    card = await queries.card(rt, people.leader, open_.code, now=NOW + timedelta(days=1))
    assert (card.lead_codes, card.support_codes) == (["P-THUANAN"], ["SYT"])
    assert card.leads[0].acknowledged, "the successor takes over the retired ward's progress"
    card = await queries.card(rt, people.leader, draft.code, now=NOW + timedelta(days=1))
    assert (card.lead_codes, card.support_codes) == (["SYT"], ["P-THUANAN"])
    card = await queries.card(rt, people.leader, done.code, now=NOW + timedelta(days=1))
    assert card.lead_codes == ["P-THUANHOA"], "closed work keeps the unit that did it"

    async with rt.sessions() as s:
        retired = await s.scalar(select(Unit).where(Unit.code == "P-THUANHOA"))
        heir = await s.scalar(select(Unit).where(Unit.code == "P-THUANAN"))
        kinds = list(await s.scalars(select(Event.kind).where(Event.kind == "units_merged", Event.directive_id.is_not(None))))
    assert retired.active is False and "UBND phường Thuận Hóa" in heir.aliases
    assert len(kinds) == 3
    assert (await verify_log(rt)).ok, "the log rebuilds every directive, merges included"

    index = (await units.catalog(rt)).index
    read = parse_message("Giao UBND phường Thuận Hóa dọn vệ sinh môi trường.", at=NOW, calendar=WorkingCalendar(),
                         index=index)
    assert read.directives[0].lead == ("P-THUANAN",), "the retired name reads as its successor"


async def test_a_merge_that_names_no_unit_or_itself_changes_nothing(rt, people):
    for retired, successor, key in ((["P-THUANHOA"], "P-THUANHOA", "unit.merge_into_itself"),
                                    (["P-NOWHERE"], "P-THUANAN", "unit.unknown"), ([], "P-THUANAN", "unit.merge_none")):
        with pytest.raises(DomainError) as refused:
            await units.merge_units(rt, retired, successor, now=NOW)
        assert refused.value.key == key
    async with rt.sessions() as s:
        assert all(u.active for u in await s.scalars(select(Unit)))


async def test_the_merged_province_of_2025_loads_with_its_communes_and_special_zone(rt):
    if not PROVINCE_2025.is_dir():
        if IN_CI:
            pytest.fail(f"{PROVINCE_2025} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"the shared data is not checked out at {PROVINCE_2025}")
    result = await units.import_units(rt, (PROVINCE_2025 / "units.csv").read_text(encoding="utf-8"),
                                      (PROVINCE_2025 / "groups.csv").read_text(encoding="utf-8"), now=NOW)
    catalog = await units.catalog(rt)
    communes = [u for u in catalog.units if u.kind == "commune"]
    assert result.created == len(catalog.units) and len(communes) == 78
    read = parse_message("UBND các xã, phường, đặc khu chủ động rà soát các điểm sạt lở trước ngày 15/12/2026.",
                         at=NOW, calendar=WorkingCalendar(), index=catalog.index)
    [draft] = read.directives
    assert draft.lead == ("#dia-phuong",) and "đặc khu" not in draft.content
    assert "DK-CONCO" in catalog.index.expand(draft.lead) and len(catalog.index.expand(draft.lead)) == 78
    file_units, _ = load_units_from_csv_files(PROVINCE_2025 / "units.csv", PROVINCE_2025 / "groups.csv")
    assert len(file_units) == len(catalog.units)
