"""Who is at the web app: a Telegram Mini App's `initData` checked as Telegram specifies, single-use
sign-in links, sessions in the database, the API's client tokens and the calendar feeds' secret URLs.

Only hashes of tokens are stored. A session is read with its person on every request, so deactivating
the person ends it at once (and `access.deactivate` deletes their sessions and links too).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.errors import DomainError
from bot.runtime import Runtime
from bot.services.common import record
from bot.services.views import Actor, actor_view
from bot.settings import Settings
from storage.db import changed
from storage.models import ApiClient, Person, WebLink, WebSession

MAX_INIT_DATA = 4096
FUTURE_SKEW = timedelta(minutes=5)  # a phone's clock a little ahead is not an attack
_CLIENT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
SESSION_COOKIE = "dondoc_session"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def csrf_token(session_token: str) -> str:
    """The CSRF token of a session: derived from its secret, so it needs no storage and no other
    session's token matches (a page sends it back with every write)."""
    return hmac.new(session_token.encode(), b"dondoc csrf", hashlib.sha256).hexdigest()


def check_csrf(session_token: str, given: str | None) -> None:
    if not given or not hmac.compare_digest(csrf_token(session_token), given):
        raise DomainError("web.csrf")


# -- Telegram Mini App -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TelegramUser:
    id: int
    first_name: str
    language_code: str | None
    auth_date: datetime


def check_init_data(init_data: str, bot_token: str, *, now: datetime, max_age: timedelta) -> TelegramUser:
    """Telegram's rule for Mini Apps: the data-check string is every field but `hash`, sorted by key, as
    key=value lines; its HMAC-SHA256 under the key HMAC-SHA256("WebAppData", bot token) must equal `hash`.
    `auth_date` older than `max_age` (or from the future) is refused: a copied initData does not last."""
    if not init_data or len(init_data) > MAX_INIT_DATA:
        raise DomainError("web.init_data_bad")
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise DomainError("web.init_data_bad") from None
    fields = dict(pairs)
    given = fields.pop("hash", "")
    if len(fields) + 1 != len(pairs) or not given:
        raise DomainError("web.init_data_bad")
    check_string = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    expected = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, given.lower()):
        raise DomainError("web.init_data_bad")
    try:
        auth_date = datetime.fromtimestamp(int(fields.get("auth_date", "")), UTC)
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"])
    except (ValueError, TypeError, KeyError, OverflowError, OSError):
        raise DomainError("web.init_data_bad") from None
    if auth_date < now - max_age or auth_date > now + FUTURE_SKEW:
        raise DomainError("web.init_data_stale")
    return TelegramUser(user_id, str(user.get("first_name") or ""), user.get("language_code"), auth_date)


def sign_init_data(fields: dict[str, str], bot_token: str) -> str:
    """initData as Telegram would sign it (for tests, benchmarks and local trials): `fields` plus `hash`."""
    from urllib.parse import urlencode

    check_string = "\n".join(f"{k}={v}" for k, v in sorted(fields.items()))
    secret = hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()
    digest = hmac.new(secret, check_string.encode(), hashlib.sha256).hexdigest()
    return urlencode({**fields, "hash": digest})


# -- sessions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSession:
    token: str
    actor: Actor
    expires_at: datetime


async def _open_session(rt: Runtime, session: AsyncSession, person: Person, via: str, now: datetime) -> NewSession:
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=rt.settings.web_session_hours)
    session.add(WebSession(token_hash=hash_token(token), person_id=person.id, via=via, created_at=now,
                           expires_at=expires))
    record(session, None, person, "web_signed_in", now, via=via)
    await session.refresh(person, ["unit"])
    return NewSession(token, actor_view(person), expires)


async def sign_in_telegram(rt: Runtime, init_data: str, *, now: datetime) -> NewSession:
    """A Mini App's initData, checked, for a session of the registered person it names."""
    max_age = timedelta(hours=rt.settings.web_init_data_max_age_hours)
    user = check_init_data(init_data, rt.settings.require_token(), now=now, max_age=max_age)
    async with rt.transaction() as session:
        person = await session.scalar(select(Person).where(Person.telegram_id == user.id, Person.active.is_(True)))
        if person is None:
            raise DomainError("auth.not_registered")
        return await _open_session(rt, session, person, "telegram", now)


async def session_actor(rt: Runtime, token: str | None, *, now: datetime) -> Actor | None:
    """The active person a session cookie belongs to, or None (no cookie, expired, signed out, or the
    person deactivated)."""
    if not token or len(token) > 100:
        return None
    async with rt.sessions() as session:
        person = await session.scalar(
            select(Person).join(WebSession, WebSession.person_id == Person.id)
            .where(WebSession.token_hash == hash_token(token), WebSession.expires_at > now, Person.active.is_(True)))
        return actor_view(person) if person is not None else None


async def sign_out(rt: Runtime, token: str) -> None:
    async with rt.transaction() as session:
        await session.execute(delete(WebSession).where(WebSession.token_hash == hash_token(token)))


async def end_sessions(session: AsyncSession, person_id: int) -> None:
    """Everything that lets a person in on the web, gone (called when they are deactivated)."""
    await session.execute(delete(WebSession).where(WebSession.person_id == person_id))
    await session.execute(delete(WebLink).where(WebLink.person_id == person_id))


# -- single-use links --------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewLink:
    url: str
    expires_at: datetime
    actor: Actor


async def create_link(rt: Runtime, *, now: datetime, person_id: int | None = None,
                      telegram_id: int | None = None) -> NewLink:
    """A single-use sign-in link for a registered person (by the id `users` prints, or a Telegram id)."""
    async with rt.transaction() as session:
        if person_id is not None:
            person = await session.get(Person, person_id)
        else:
            person = await session.scalar(select(Person).where(Person.telegram_id == telegram_id))
        if person is None or not person.active:
            if person_id is not None:
                raise DomainError("person.unknown_id", id=person_id)
            raise DomainError("person.unknown", id=telegram_id)
        token = secrets.token_urlsafe(24)
        expires = now + timedelta(minutes=rt.settings.web_link_minutes)
        session.add(WebLink(token_hash=hash_token(token), person_id=person.id, created_at=now, expires_at=expires))
        record(session, None, person, "web_link_created", now, expires_at=expires)
        await session.refresh(person, ["unit"])
        return NewLink(f"{rt.settings.web_url}/auth/link?token={token}", expires, actor_view(person))


async def sign_in_link(rt: Runtime, token: str, *, now: datetime) -> NewSession:
    """Spend a link (a conditional UPDATE: two tabs racing for one link get one session)."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        raise DomainError("web.link_invalid")
    async with rt.transaction() as session:
        link = await session.scalar(select(WebLink).where(WebLink.token_hash == hash_token(token)))
        if link is None:
            raise DomainError("web.link_invalid")
        if link.used_at is not None:
            raise DomainError("web.link_used")
        if link.expires_at <= now:
            raise DomainError("web.link_expired")
        spent = await session.execute(update(WebLink).where(WebLink.id == link.id, WebLink.used_at.is_(None))
                                      .values(used_at=now))
        if changed(spent) != 1:
            raise DomainError("web.link_used")
        person = await session.get(Person, link.person_id)
        if person is None or not person.active:
            raise DomainError("auth.not_registered")
        return await _open_session(rt, session, person, "link", now)


# -- API clients -------------------------------------------------------------------------------------


async def create_api_client(rt: Runtime, name: str, *, now: datetime) -> str:
    """A new read-only API token for a named client; a revoked name may be issued again."""
    name = (name or "").strip()
    if not _CLIENT_NAME.fullmatch(name):
        raise DomainError("api.bad_name")
    token = "dd_" + secrets.token_urlsafe(32)
    async with rt.transaction() as session:
        client = await session.scalar(select(ApiClient).where(ApiClient.name == name))
        if client is not None and client.revoked_at is None:
            raise DomainError("api.name_taken", name=name)
        if client is None:
            session.add(ApiClient(name=name, token_hash=hash_token(token), created_at=now))
        else:
            client.token_hash, client.created_at, client.revoked_at = hash_token(token), now, None
        record(session, None, None, "api_client_created", now, name=name)
    return token


async def revoke_api_client(rt: Runtime, name: str, *, now: datetime) -> None:
    async with rt.transaction() as session:
        client = await session.scalar(select(ApiClient).where(ApiClient.name == (name or "").strip(),
                                                              ApiClient.revoked_at.is_(None)))
        if client is None:
            raise DomainError("api.unknown", name=(name or "")[:64])
        client.revoked_at = now
        record(session, None, None, "api_client_revoked", now, name=client.name)


async def api_client(rt: Runtime, token: str | None) -> str | None:
    """The name of the client whose token this is, if it is not revoked."""
    if not token or len(token) > 100:
        return None
    async with rt.sessions() as session:
        return await session.scalar(select(ApiClient.name).where(ApiClient.token_hash == hash_token(token),
                                                                 ApiClient.revoked_at.is_(None)))


# -- calendar feeds ----------------------------------------------------------------------------------


def _web_key(settings: Settings) -> bytes:
    configured = settings.web_secret_key.get_secret_value()
    if configured:
        return configured.encode()
    return hmac.new(settings.require_token().encode(), b"dondoc web key", hashlib.sha256).digest()


def calendar_secret(settings: Settings, person_id: int) -> str:
    """The secret part of a person's calendar URL: signed, so it needs no table, and the same in every
    replica. It stops working when the person is deactivated."""
    digest = hmac.new(_web_key(settings), f"calendar:{person_id}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{person_id}-{digest}"


def calendar_url(settings: Settings, person_id: int) -> str:
    return f"{settings.web_url}/calendar/{calendar_secret(settings, person_id)}.ics"


async def calendar_person(rt: Runtime, secret: str) -> Actor | None:
    """The active person a calendar secret belongs to, or None."""
    person_part, _, _ = (secret or "").partition("-")
    if not person_part.isdigit() or len(secret) > 64:
        return None
    if not hmac.compare_digest(calendar_secret(rt.settings, int(person_part)), secret):
        return None
    async with rt.sessions() as session:
        person = await session.get(Person, int(person_part))
        return actor_view(person) if person is not None and person.active else None
