"""Notices that are not about a change of a directive (those go through bot.services.notices): the
operations chat's alerts, the office's word of a failed or uncertain delivery. Rows in the outbox, written
in the same transaction as what they announce; each address's channel renders them when they are sent."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.common import jsonable
from storage import pending
from storage.addressing import Directory, chosen_addresses, office_people
from storage.models import Address, Directive, Event, Outbox


async def unit_addresses(session: AsyncSession, unit_ids: Iterable[int], *, every_member: bool = False) -> set[int]:
    """Where a unit is told (storage/addressing.py: unit_copies): its registered group, else its focal points'
    chosen addresses; `every_member`: both."""
    return await Directory(session, every_member=every_member).unit_addresses(unit_ids)


async def office_addresses(session: AsyncSession) -> set[int]:
    return await chosen_addresses(session, await office_people(session))


async def address_of(session: AsyncSession, channel: str, external_id: str, kind: str, now: datetime) -> int:
    """The address of a chat named in the settings (the operations chat), made on first use."""
    found = await session.scalar(select(Address.id).where(Address.channel == channel,
                                                          Address.external_id == external_id))
    if found is not None:
        return found
    address = Address(channel=channel, external_id=external_id, kind=kind, reachable=True, created_at=now)
    session.add(address)
    await session.flush()
    return address.id


async def enqueue(
    session: AsyncSession,
    event: Event,
    directive: Directive | None,
    addresses: set[int],
    text_key: str,
    now: datetime,
    *,
    exclude_person: int | None = None,
    lines: list[dict[str, Any]] | None = None,
    files: list[dict[str, Any]] | None = None,
    due_at: datetime | None = None,
    payload_extra: dict[str, Any] | None = None,
    **params: Any,
) -> int:
    """One outbox row per address for this event (none to the person who caused it); returns how many. The
    text is rendered when it is sent, for each address's channel and in its reader's language: a parameter
    {"key": …} is a catalogue text, `lines` are more catalogue lines, `files` (attachment ids) are sent
    after the text; `payload_extra` rides along for the sender (e.g. the event a resend button acts on)."""
    if not addresses:
        return 0
    held: ColumnElement[bool] = Address.reachable.is_(False)
    if exclude_person is not None:
        held = or_(held, Address.person_id == exclude_person)
    # One look-up: the addresses held back, and those of the operations chat (whose notices are alerts).
    looked_up = list(await session.execute(select(Address.id, held.label("held"), Address.person_id, Address.unit_id)
                                           .where(Address.id.in_(addresses))))
    targets = sorted(addresses - {r.id for r in looked_up if r.held})
    if not targets:
        return 0
    alerts = {r.id for r in looked_up if pending.is_alert("notify", r.person_id, r.unit_id)}
    await session.flush()
    payload: dict[str, Any] = {"text": text_key, "params": jsonable(params),
                               "code": directive.code if directive else None}
    if lines:
        payload["lines"] = lines
    if files:
        payload["files"] = files
    payload.update(jsonable(payload_extra or {}))
    rows = []
    for address_id in targets:
        rows.append(
            Outbox(
                key=f"event:{event.id}:@{address_id}",
                directive_id=directive.id if directive is not None else None,
                address_id=address_id,
                kind="notify",
                deadline_version=directive.deadline_version if directive is not None else 0,
                payload=payload,
                due_at=due_at or now,
                created_at=now,
            )
        )
    session.add_all(rows)
    await session.flush()
    await pending.enqueue(session, rows, alerts=alerts)
    return len(targets)
