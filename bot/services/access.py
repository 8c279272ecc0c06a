"""Invite-only access: invites, registration, who someone is, group chats of units."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.policy import Role, check_can_administer
from bot.domain.text import MAX_NAME_CHARS, check_text
from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services import reminders, web_auth
from bot.services.common import load_actor, load_unit, next_number, record
from bot.services.views import Actor, actor_view
from storage import pending
from storage.db import changed
from storage.models import WAITING, Address, Invite, Outbox, Person, Sequence, Unit

MAX_INVITE_DAYS = 90


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewInvite:
    token: str
    link: str
    role: str
    unit_code: str | None
    expires_at: datetime


async def create_invite(
    rt: Runtime, *, role: str, unit_code: str | None, now: datetime, days: int | None = None, actor_id: int | None = None,
    person_id: int | None = None, title: str | None = None, name: str | None = None,
) -> NewInvite:
    """A single-use, expiring invite bound to a role and a unit; only its hash is stored. `title` («Phó Chủ
    tịch UBND tỉnh») and `name` («Lê Quang Minh», family name first) are who the person is, as the office
    writes it: registering keeps them, whatever the person's Telegram profile says.
    `actor_id` None means the admin CLI (whoever holds the server). With `person_id`, it is for someone
    registered already (of that role): spent on another channel, it adds that channel to them."""
    title = check_text(title, MAX_NAME_CHARS, required=False, key="title") or None
    name = " ".join((check_text(name, MAX_NAME_CHARS, required=False, key="name") or "").split()) or None
    try:
        role_ = Role(role)
    except ValueError:
        raise DomainError("invite.bad_role", role=role[:16]) from None
    days = rt.settings.invite_default_days if days is None else days
    if not 0 < days <= MAX_INVITE_DAYS:
        raise DomainError("invite.bad_expiry", limit=MAX_INVITE_DAYS)
    if role_ == Role.FOCAL and not unit_code and person_id is None:  # a registered person's is their unit
        raise DomainError("invite.focal_needs_unit")
    async with rt.transaction() as session:
        actor = None
        if actor_id is not None:
            actor = await load_actor(session, actor_id)
            check_can_administer(actor.role)
        unit = await load_unit(session, unit_code) if unit_code else None
        if person_id is not None:
            person = await session.get(Person, person_id)
            if person is None or not person.active:
                raise DomainError("person.unknown_id", id=person_id)
            if person.role != role_:
                raise DomainError("invite.person_role", role=person.role)
            unit = person.unit
        token = secrets.token_urlsafe(18)
        invite = Invite(
            token_hash=hash_token(token), role=role_, unit_id=unit.id if unit else None,
            created_by=actor.id if actor else None, created_at=now, expires_at=now + timedelta(days=days),
            person_id=person_id, title=title, full_name=name,
        )
        session.add(invite)
        record(session, None, actor, "invite_created", now, role=role_, unit=unit.code if unit else None,
               expires_at=invite.expires_at)
        link = f"https://t.me/{rt.settings.bot_username}?start={token}"
        return NewInvite(token, link, role_, unit.code if unit else None, invite.expires_at)


async def _spend_invite(session: AsyncSession, invite: Invite, before: tuple[str, int | None] | None,
                        now: datetime) -> None:
    """Spend `invite` for someone who is `before` (their active role and unit, or None): single use (a
    conditional UPDATE, so two people racing for one token get one win), unexpired, for the role they have.
    An office clerk checking a focal point's link before passing it on must not become one: a new invite
    moves someone between units, a change of role goes through `deactivate` first."""
    if before is not None and invite.role != before[0]:
        raise DomainError("invite.other_role")
    if invite.used_at is not None:
        raise DomainError("invite.used")
    if invite.expires_at <= now:
        raise DomainError("invite.expired")
    claimed = await session.execute(
        update(Invite).where(Invite.id == invite.id, Invite.used_at.is_(None)).values(used_at=now))
    if changed(claimed) != 1:
        raise DomainError("invite.used")


async def register(
    rt: Runtime, telegram_id: int, token: str, *, full_name: str, username: str | None, language: str | None,
    now: datetime,
) -> Actor:
    """Spend an invite: single use (a conditional UPDATE, so two people racing for one token get one win).
    A registered person who opens a new invite for their own role takes its unit (the office moves someone
    from one unit to another by inviting them again): the old unit's pings to them stop, the new unit's
    start. The invite is left unused when it is for another role."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise DomainError("invite.invalid")
    async with rt.transaction() as session:
        existing = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        invite = await session.scalar(select(Invite).where(Invite.token_hash == hash_token(token)))
        if invite is None:
            raise DomainError("invite.invalid")
        linked = by_telegram = None
        if invite.person_id is not None:  # someone registered on another channel adds Telegram
            linked = await session.get(Person, invite.person_id)
            if linked is None or not linked.active or (existing is not None and existing.active
                                                       and existing.id != linked.id):
                raise DomainError("invite.invalid")
            by_telegram, existing = existing, linked
        before = (existing.role, existing.unit_id) if existing is not None and existing.active else None
        await _spend_invite(session, invite, before, now)
        lang = language if language in ("vi", "en") else rt.settings.default_language
        name = invite.full_name or check_text(full_name, 200, required=False) or str(telegram_id)
        if existing is None:
            person = Person(telegram_id=telegram_id, created_at=now, full_name=name, role=invite.role,
                            unit_id=invite.unit_id, username=username, language=lang, active=True, title=invite.title)
            session.add(person)
        elif linked is not None:
            person = linked
            if by_telegram is not None and by_telegram.id != linked.id:  # someone who left had this Telegram id
                by_telegram.telegram_id = None
                await session.flush()
            person.telegram_id, person.preferred_channel = telegram_id, "telegram"
        else:
            person = existing
            person.full_name, person.role, person.unit_id, person.active = name, invite.role, invite.unit_id, True
            person.title = invite.title or person.title
        await session.flush()
        await changed_identities(session)
        invite.used_by = person.id
        address = await _ensure_address(session, "telegram", str(telegram_id), "private", None, None, person.id, now)
        if before is not None and before != (person.role, person.unit_id):
            await _stop_pings(session, person_id=person.id)
        record(session, None, person, "registered", now, role=person.role, invite=invite.id,
               before={"role": before[0], "unit_id": before[1]} if before else None)
        if person.role == Role.FOCAL and person.unit_id is not None:
            await _join_unit_reminders(rt, session, person.unit_id, address.id, now)
        await session.refresh(person, ["unit"])
        return actor_view(person)


async def register_on(rt: Runtime, channel: str, external_id: str, token: str, *, full_name: str,
                      language: str | None, now: datetime) -> Actor:
    """Spend an invite from a chat on another channel than Telegram (Zalo): the same single use, expiry and
    role rules as `register`. An invite made for a registered person adds this chat to them, and they are
    reached here from now on (their preferred channel); any other makes or moves the person this chat is."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise DomainError("invite.invalid")
    async with rt.transaction() as session:
        address = await session.scalar(select(Address).where(Address.channel == channel,
                                                             Address.external_id == external_id))
        existing = await session.get(Person, address.person_id) if address and address.person_id else None
        invite = await session.scalar(select(Invite).where(Invite.token_hash == hash_token(token)))
        if invite is None:
            raise DomainError("invite.invalid")
        if invite.person_id is not None:
            if existing is not None and existing.id != invite.person_id and existing.active:
                raise DomainError("invite.other_role")  # this chat is someone else's already
            existing = await session.get(Person, invite.person_id)
            if existing is None or not existing.active:
                raise DomainError("invite.invalid")
        before = (existing.role, existing.unit_id) if existing is not None and existing.active else None
        await _spend_invite(session, invite, before, now)
        lang = language if language in ("vi", "en") else rt.settings.default_language
        if invite.person_id is not None and existing is not None:
            person = existing
            person.preferred_channel = channel
        elif existing is None:
            name = invite.full_name or check_text(full_name, 200, required=False) or f"{channel} {external_id}"
            person = Person(telegram_id=None, created_at=now, full_name=name, role=invite.role, unit_id=invite.unit_id,
                            username=None, language=lang, active=True, preferred_channel=channel, title=invite.title)
            session.add(person)
        else:
            person = existing
            person.role, person.unit_id, person.active = invite.role, invite.unit_id, True
            person.full_name, person.title = invite.full_name or person.full_name, invite.title or person.title
        await session.flush()
        invite.used_by = person.id
        address = await _ensure_address(session, channel, external_id, "private", None, None, person.id, now)
        if before is not None and before != (person.role, person.unit_id):
            await _stop_pings(session, person_id=person.id)
        record(session, None, person, "registered", now, role=person.role, invite=invite.id, channel=channel,
               before={"role": before[0], "unit_id": before[1]} if before else None)
        if person.role == Role.FOCAL and person.unit_id is not None:
            await _join_unit_reminders(rt, session, person.unit_id, address.id, now)
        await session.refresh(person, ["unit"])
        return actor_view(person)


async def identify_on(rt: Runtime, channel: str, external_id: str) -> tuple[Actor, int] | None:
    """The registered, active person behind a private chat on a channel, with the chat's address id; None
    for a stranger."""
    async with rt.sessions() as session:
        found = (await session.execute(
            select(Person, Address.id).join(Address, Address.person_id == Person.id)
            .where(Address.channel == channel, Address.external_id == external_id, Address.kind == "private",
                   Person.active.is_(True)))).first()
        return (actor_view(found[0]), found[1]) if found is not None else None


async def deactivate(rt: Runtime, telegram_id: int | None = None, *, now: datetime,
                     person_id: int | None = None) -> Actor:
    """Someone who left: no more access, no more pings; their history stays. An invite brings them back.
    Named by their Telegram id or by the id `users` prints (a person on Zalo only has no Telegram id)."""
    async with rt.transaction() as session:
        if person_id is not None:
            person = await session.get(Person, person_id)
            if person is None or not person.active:
                raise DomainError("person.unknown_id", id=person_id)
        else:
            person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None or not person.active:
            raise DomainError("person.unknown", id=telegram_id)
        person.active = False
        await changed_identities(session)
        await _stop_pings(session, person_id=person.id)
        await web_auth.end_sessions(session, person.id)
        record(session, None, person, "deactivated", now, role=person.role)
        await session.refresh(person, ["unit"])
        return actor_view(person)


async def _stop_pings(session: AsyncSession, *, person_id: int | None = None, address_id: int | None = None) -> None:
    """What was queued for this person's addresses (or this address) on behalf of their old role or unit."""
    target: ColumnElement[bool] = Outbox.address_id == address_id
    if person_id is not None:
        target = Outbox.address_id.in_(select(Address.id).where(Address.person_id == person_id).scalar_subquery())
    voided = await session.scalars(update(Outbox).where(target, text(WAITING)).values(status="void")
                                   .returning(Outbox.id))
    await pending.dequeue(session, list(voided))


async def _join_unit_reminders(rt: Runtime, session: AsyncSession, unit_id: int, address_id: int,
                               now: datetime) -> None:
    """An address that joins a unit gets the pings of the unit's open directives from now on."""
    uow = rt.uow_on(session)
    await reminders.join_unit(uow, await uow.directives.working_for_unit(unit_id), unit_id, address_id, now)


async def _ensure_address(
    session: AsyncSession, channel: str, external_id: str, kind: str, title: str | None, unit_id: int | None,
    person_id: int | None, now: datetime,
) -> Address:
    address = await session.scalar(select(Address).where(Address.channel == channel,
                                                         Address.external_id == external_id))
    known = address is not None
    if address is None:
        address = Address(channel=channel, external_id=external_id, kind=kind, created_at=now)
        session.add(address)
    owned = (address.person_id, address.unit_id) != (None, None)
    address.title, address.unit_id, address.person_id, address.reachable = title, unit_id, person_id, True
    await session.flush()
    if known and owned != ((person_id, unit_id) != (None, None)):
        await pending.readdress(session, address.id)  # the operations chat's alerts are no longer, or now, alerts
    return address


IDENTITIES = "identities"  # the counter every change of who someone is bumps, and the cache's key
MAX_CACHED = 20_000  # identities kept per process; past it the cache starts again


@dataclass
class Identities:
    """Who each Telegram id is (or None: a stranger), as read at `version` of the identities counter."""

    version: int
    actors: dict[int, Actor | None]


async def changed_identities(session: AsyncSession) -> None:
    """Call in the transaction that changes who someone is (registration, deactivation, role, unit, language,
    a unit's name): every process's cached identities are dropped at their next update, since the counter
    is read before each one."""
    await next_number(session, IDENTITIES)


_WHO = (Person.id, Person.telegram_id, Person.full_name, Person.role, Unit.code, Unit.name, Person.language,
        Person.title)  # the fields of `Actor`, in its order
# Built once: building and keying a statement cost more than running it (0.6 ms against 0.26 ms a miss).
_COUNTER = select(Sequence.value).where(Sequence.name == IDENTITIES)
_PERSON = (select(*_WHO, _COUNTER.scalar_subquery()).outerjoin(Unit, Unit.id == Person.unit_id)
           .where(Person.telegram_id == bindparam("telegram_id"), Person.active.is_(True)))


async def identify(rt: Runtime, telegram_id: int) -> Actor | None:
    """The registered, active person behind a Telegram id, or None for a stranger. Kept in the process and
    checked against the identities counter on every call (one read of one row by its key); a person not
    kept yet is read together with the counter, in one statement: a change committed by the CLI or another
    replica is seen at the very next update. Plain rows on a connection, the statements built once: the ORM's
    session and entities, and building the statement each time, cost more than the statement (a miss was
    1.13x the previous release's look-up)."""
    async with rt.engine.connect() as conn:
        cached: Identities | None = rt.cache.get(IDENTITIES)
        if cached is not None and telegram_id in cached.actors:
            if cached.version == (await conn.scalar(_COUNTER) or 0):
                return cached.actors[telegram_id]
        found = (await conn.execute(_PERSON, {"telegram_id": telegram_id})).first()
        if found is None:
            actor, version = None, await conn.scalar(_COUNTER) or 0
        else:
            actor, version = Actor(*found[:len(_WHO)]), found[len(_WHO)] or 0
        if cached is None or cached.version != version or len(cached.actors) >= MAX_CACHED:
            cached = rt.cache[IDENTITIES] = Identities(version, {})
        cached.actors[telegram_id] = actor
        return actor


async def set_language(rt: Runtime, actor_id: int, language: str, *, now: datetime) -> Actor:
    if language not in ("vi", "en"):
        raise DomainError("language.unknown")
    async with rt.transaction() as session:
        person = await load_actor(session, actor_id)
        before = person.language
        person.language = language
        await changed_identities(session)
        record(session, None, person, "language_changed", now, before=before, after=language)
        return actor_view(person)


async def set_preferred_channel(rt: Runtime, actor_id: int, channel: str, *, now: datetime) -> Actor:
    """The messenger a person on several hears from (each notice once, there)."""
    async with rt.transaction() as session:
        person = await load_actor(session, actor_id)
        has = await session.scalar(select(Address.id).where(Address.person_id == person.id, Address.channel == channel,
                                                             Address.kind == "private"))
        if has is None:
            raise DomainError("channel.not_joined", channel=channel[:16].capitalize())
        before = person.preferred_channel
        person.preferred_channel = channel
        record(session, None, person, "channel_preferred", now, before=before, after=channel)
        return actor_view(person)


async def register_group(rt: Runtime, actor_id: int, chat_id: int, title: str | None, *, now: datetime) -> str:
    """A focal point (or the office, naming no unit) ties a group chat to their unit; returns the unit name."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        if actor.role not in (Role.FOCAL, Role.ADMIN) or actor.unit is None:
            raise DomainError("group.needs_unit")
        owner = await _group_owner(session, chat_id)
        if owner is not None and owner.id != actor.unit_id:
            raise DomainError("group.taken", unit=owner.name)  # its unit would stop hearing, unaware
        address = await _ensure_address(session, "telegram", str(chat_id), "group",
                                        check_text(title, 200, required=False) or None, actor.unit_id, None, now)
        record(session, None, actor, "group_registered", now, address=address.id, unit=actor.unit.code)
        await _join_unit_reminders(rt, session, actor.unit.id, address.id, now)
        return actor.unit.name


async def release_group(rt: Runtime, actor_id: int, chat_id: int, *, now: datetime) -> str:
    """The unit a group was registered for lets it go (a focal point of that unit, or the office): nothing
    more is sent there, and another unit may register it. Returns the unit's name."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        owner = await _group_owner(session, chat_id)
        if owner is None:
            raise DomainError("group.not_registered")
        if not (actor.role == Role.ADMIN or (actor.role == Role.FOCAL and actor.unit_id == owner.id)):
            raise DomainError("group.taken", unit=owner.name)
        address = await session.scalar(select(Address).where(Address.channel == "telegram",
                                                             Address.external_id == str(chat_id)))
        assert address is not None  # the owner was found through it
        address.unit_id = None
        await session.flush()
        await _stop_pings(session, address_id=address.id)
        await pending.readdress(session, address.id)  # what is still on its way there
        record(session, None, actor, "group_released", now, address=address.id, unit=owner.code)
        return owner.name


async def _group_owner(session: AsyncSession, chat_id: int) -> Unit | None:
    return await session.scalar(select(Unit).join(Address, Address.unit_id == Unit.id)
                                .where(Address.channel == "telegram", Address.external_id == str(chat_id),
                                       Address.kind == "group"))


async def list_users(rt: Runtime) -> list[Actor]:
    async with rt.sessions() as session:
        # Those deactivated are no longer users: they are left out (their history keeps their name).
        people = await session.scalars(select(Person).where(Person.active.is_(True))
                                       .order_by(Person.role, Person.full_name))
        return [actor_view(p) for p in people]


async def set_chat_reachable(rt: Runtime, chat_id: int | str, reachable: bool, *, now: datetime,
                             channel: str = "telegram") -> bool:
    """Mark a chat's address (un)reachable; True when this changed it (so the office is told once)."""
    async with rt.transaction() as session:
        address = await session.scalar(select(Address).where(Address.channel == channel,
                                                             Address.external_id == str(chat_id)))
        if address is None:
            address = Address(channel=channel, external_id=str(chat_id), kind="private", created_at=now,
                              reachable=not reachable)
            session.add(address)
            await session.flush()
        if address.reachable == reachable:
            return False
        address.reachable = reachable
        unit_id = address.unit_id if address.kind == "group" else await session.scalar(
            select(Person.unit_id).where(Person.id == address.person_id, Person.role == Role.FOCAL,
                                         Person.active.is_(True)))
        if reachable and unit_id is not None:
            # The unit's pings as they stand now (not as they stood when the chat was blocked): the
            # dispatcher's catch-up keeps one per directive and kind of what fell due meanwhile.
            await _join_unit_reminders(rt, session, unit_id, address.id, now)
        record(session, None, None, "chat_reachable" if reachable else "chat_unreachable", now, address=address.id)
        return True
