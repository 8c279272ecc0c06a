"""Bad input and forbidden acts get a domain error with a message key, and nothing is written."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.errors import DomainError
from bot.services import access, units
from bot.services import directives as svc
from storage.models import Directive, Event, Invite, Outbox, Unit
from tests.conftest import NOW


async def _counts(rt) -> tuple[int, int, int]:
    async with rt.sessions() as s:
        return tuple([await s.scalar(select(func.count()).select_from(m)) for m in (Directive, Event, Outbox)])  # type: ignore[return-value]


async def _refused(rt, key: str, call) -> None:
    before = await _counts(rt)
    with pytest.raises(DomainError) as error:
        await call
    assert error.value.key == key
    assert await _counts(rt) == before, "nothing is half-written"


def spec(**overrides) -> svc.NewDirective:
    base = {"content": "Rà soát", "lead": ["SXD"], "deadline": date(2026, 12, 15)}
    base.update(overrides)
    return svc.NewDirective(**base)


async def test_an_unknown_unit_refuses_the_whole_batch(rt, people):
    await _refused(rt, "unit.unknown", svc.create_directives(rt, people.leader, [spec(), spec(lead=["XYZ"])], now=NOW))


async def test_a_past_deadline_is_refused(rt, people):
    await _refused(rt, "deadline.past", svc.create_directives(rt, people.leader, [spec(deadline=date(2026, 11, 19))], now=NOW))


async def test_oversized_text_is_refused(rt, people):
    await _refused(rt, "text.too_long", svc.create_directives(rt, people.leader, [spec(content="x" * 10_000)], now=NOW))


async def test_a_focal_point_cannot_assign(rt, people):
    await _refused(rt, "auth.forbidden", svc.create_directives(rt, people.sxd, [spec()], now=NOW))


async def test_confirming_what_was_never_reported_is_refused(rt, people):
    [card] = await svc.create_directives(rt, people.leader, [spec()], now=NOW)
    await _refused(rt, "lifecycle.illegal", svc.confirm_done(rt, people.admin, card.code, now=NOW))


async def test_another_units_focal_point_cannot_act_and_a_support_unit_cannot_report_done(rt, people):
    [card] = await svc.create_directives(rt, people.leader, [spec(support=["STC"])], now=NOW)
    await _refused(rt, "auth.not_your_unit", svc.acknowledge(rt, people.syt, card.code, now=NOW))
    await _refused(rt, "auth.not_your_unit", svc.report_done(rt, people.stc, card.code, "Xong", now=NOW))
    await _refused(rt, "auth.forbidden", svc.acknowledge(rt, people.viewer, card.code, now=NOW))


async def test_a_stale_version_changes_nothing(rt, people):
    [card] = await svc.create_directives(rt, people.leader, [spec()], now=NOW)
    await svc.acknowledge(rt, people.sxd, card.code, now=NOW, expected_version=card.version)
    await _refused(rt, "action.stale", svc.report_done(rt, people.sxd, card.code, "Xong", now=NOW,
                                                       expected_version=card.version))


async def test_two_people_acting_at_once_cannot_overwrite_each_other(rt, people):
    [card] = await svc.create_directives(rt, people.leader, [spec()], now=NOW)
    await svc.report_done(rt, people.sxd, card.code, "Xong", now=NOW)
    results = await asyncio.gather(
        svc.confirm_done(rt, people.admin, card.code, now=NOW),
        svc.send_back(rt, people.leader, card.code, "Thiếu", now=NOW),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError)
    assert errors[0].key in ("action.conflict", "lifecycle.illegal")


async def test_an_extension_must_move_the_deadline_later_and_only_one_may_wait(rt, people):
    [card] = await svc.create_directives(rt, people.leader, [spec()], now=NOW)
    await _refused(rt, "extension.not_later", svc.request_extension(rt, people.sxd, card.code, date(2026, 12, 1), "x", now=NOW))
    await svc.request_extension(rt, people.sxd, card.code, date(2026, 12, 31), "Chờ số liệu", now=NOW)
    await _refused(rt, "extension.pending_exists",
                   svc.request_extension(rt, people.sxd, card.code, date(2027, 1, 5), "x", now=NOW))
    await _refused(rt, "auth.forbidden", svc.decide_extension(rt, people.sxd, card.code, True, now=NOW))


async def test_an_expired_or_reused_invite_is_refused(rt, people):
    invite = await access.create_invite(rt, role="viewer", unit_code=None, now=NOW, days=1)
    with pytest.raises(DomainError, match="invite.expired"):
        await access.register(rt, 5555, invite.token, full_name="A", username=None, language="vi", now=NOW + timedelta(days=2))
    await access.register(rt, 5555, invite.token, full_name="A", username=None, language="vi", now=NOW)
    with pytest.raises(DomainError, match="invite.used"):
        await access.register(rt, 6666, invite.token, full_name="B", username=None, language="vi", now=NOW)
    async with rt.sessions() as s:
        stored = await s.scalar(select(Invite.token_hash).where(Invite.id == 8))
    assert stored != invite.token and len(stored) == 64, "only the hash is stored"


async def test_importing_units_twice_changes_nothing_and_a_bad_row_imports_nothing(rt, sample_units_csv):
    first = await units.import_units(rt, sample_units_csv, None, now=NOW)
    second = await units.import_units(rt, sample_units_csv, None, now=NOW)
    assert (first.created, second.created, second.updated) == (31, 0, 0)
    bad = sample_units_csv + "NEW,Sở Mới,department,,\nbad code,X,department,,\n"
    with pytest.raises(DomainError) as error:
        await units.import_units(rt, bad, None, now=NOW)
    assert error.value.key == "csv.bad_row" and error.value.params["line"] == 34
    async with rt.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Unit)) == 31


async def test_search_ignores_diacritics(rt, people):
    from bot.services import queries

    await svc.create_directives(rt, people.leader, [spec(content="Rà soát các dự án chậm tiến độ")], now=NOW)
    page = await queries.search(rt, people.viewer, "du an cham tien do", now=NOW)
    assert page.total == 1
    assert (await queries.search(rt, people.viewer, "100%_", now=NOW)).total == 0


async def test_a_draft_is_seen_only_by_leaders_and_the_office(rt, people):
    from bot.services import queries

    [draft] = await svc.create_directives(rt, people.leader, [spec()], now=NOW, as_draft=True)
    assert (await queries.card(rt, people.admin, draft.code, now=NOW)).code == draft.code
    for person in (people.sxd, people.viewer):
        with pytest.raises(DomainError, match="directive.not_found"):
            await queries.card(rt, person, draft.code, now=NOW)
        with pytest.raises(DomainError, match="directive.not_found"):
            await queries.history(rt, person, draft.code)
