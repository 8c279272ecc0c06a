"""Tests name people and groups by their Telegram chat ids; the outbox names addresses. These translate."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, cast, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.outbox import Delivery, Recipient
from storage.models import Address, Outbox


def to_chat(chat_id: int) -> ColumnElement[bool]:
    """Outbox rows for the Telegram chat `chat_id`."""
    return Outbox.address_id.in_(select(Address.id).where(Address.channel == "telegram",
                                                          Address.external_id == str(chat_id)))


def telegram_address(chat_id: int) -> ColumnElement[bool]:
    return (Address.channel == "telegram") & (Address.external_id == str(chat_id))


async def chat_ids(session: AsyncSession) -> dict[int, int]:
    """Every Telegram address's chat id, by address id."""
    rows = await session.execute(select(Address.id, Address.external_id).where(Address.channel == "telegram"))
    return {address_id: int(external) for address_id, external in rows}


async def chat_of(session: AsyncSession, row: Any) -> int:
    """The Telegram chat id of an outbox row (or a delivery)."""
    external = await session.scalar(select(Address.external_id).where(Address.id == row.address_id))
    assert external is not None
    return int(external)


async def address_for(session: AsyncSession, chat_id: int) -> int:
    """The address of a Telegram chat, made when a test writes outbox rows for a chat nobody registered."""
    found = await session.scalar(select(Address.id).where(telegram_address(chat_id)))
    if found is not None:
        return found
    address = Address(channel="telegram", external_id=str(chat_id), kind="group" if chat_id < 0 else "private",
                      reachable=True, created_at=datetime.now(UTC))
    session.add(address)
    await session.flush()
    return address.id


async def recipient(session: AsyncSession, chat_id: int, language: str | None = "vi") -> Recipient:
    """What the dispatcher hands a channel's sender for a Telegram chat."""
    address_id = await address_for(session, chat_id)
    return Recipient(address_id, "telegram", str(chat_id), "group" if chat_id < 0 else "private", language)


def delivery(row: Outbox) -> Delivery:
    return Delivery(row.id, row.address_id, row.kind, dict(row.payload), row.attempts, row.directive_id)


# An outbox row's Telegram chat id, as a column: select(Outbox, CHAT) or select(CHAT).
CHAT = (select(cast(Address.external_id, BigInteger)).where(Address.id == Outbox.address_id)
        .correlate(Outbox).scalar_subquery().label("chat_id"))
