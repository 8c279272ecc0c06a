"""Scanned notices and photos imported in chat or on the web: one reading at a time per person, the OCR
off the event loop with its progress, then the same preview and confirmation as any import.

A reading is an `import_batches` row with status "reading" (never process memory), so any replica sees
it: it refuses a second file from the same person while the first is read, and it collects the photos
of an album (Telegram delivers each photo of an album as its own message) until the album is complete.
The reader renews it page by page; one whose process died expires after READING_LIFETIME. When the
reading ends the row becomes the pending import the confirm button names, or is deleted."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot.domain.policy import check_can_assign
from bot.errors import DomainError
from bot.imports import ocr
from bot.imports.files import kind_of
from bot.runtime import Runtime
from bot.services import imports
from bot.services.common import load_actor
from storage.models import ImportBatch, Person

READING = "reading"
READING_LIFETIME = timedelta(minutes=3)  # renewed at every page; past it the reader is taken for dead


@dataclass(frozen=True)
class Claim:
    batch_id: int
    nonce: str
    first: bool  # False: a photo joined the album the person is sending; its first photo's job reads it


def needs_ocr(name: str, data: bytes) -> bool:
    """Whether this file is read by OCR (a photo, or a PDF with a page without text): it then goes
    through `claim` and `read`, else straight to `imports.stage`."""
    kind = kind_of(name, data)
    return kind in ("png", "jpg") or (kind == "pdf" and ocr.needs_ocr([ocr.Source(name, kind, data)]))


async def claim(rt: Runtime, actor_id: int, name: str, *, now: datetime, album: str | None = None,
                file: dict[str, Any] | None = None) -> Claim:
    """Start reading a file for the person, or add a photo (`file`: how the channel finds it again) to
    the album of theirs being collected. DomainError ocr.busy while another of their files is read."""
    async with rt.transaction() as session:
        actor = await load_actor(session, actor_id)
        check_can_assign(actor.role)
        # One claim at a time per person: PostgreSQL locks their row until this transaction ends.
        await session.execute(select(Person.id).where(Person.id == actor_id).with_for_update())
        current = await session.scalar(select(ImportBatch).where(
            ImportBatch.person_id == actor_id, ImportBatch.status == READING, ImportBatch.expires_at > now).limit(1))
        if current is not None:
            summary = dict(current.summary)
            if album is not None and summary.get("album") == album and not summary.get("closed"):
                current.summary = {**summary, "files": [*summary.get("files", []), file]}
                return Claim(current.id, current.nonce, first=False)
            raise DomainError("ocr.busy", file=current.file_name[:60])
        batch = ImportBatch(person_id=actor_id, nonce=secrets.token_hex(4), kind="notice", file_name=name[:255],
                            status=READING, items=[], created_at=now, expires_at=now + READING_LIFETIME,
                            summary={"album": album, "files": [file] if file else [], "closed": album is None})
        session.add(batch)
        await session.flush()
        return Claim(batch.id, batch.nonce, first=True)


async def collect(rt: Runtime, claim_: Claim, seen: int, *, now: datetime) -> tuple[list[dict[str, Any]], bool]:
    """The album's photos so far, and whether it is complete: no new photo came since the last look
    (`seen` of them then). A complete album is closed to late photos."""
    async with rt.transaction() as session:
        batch = await session.get(ImportBatch, claim_.batch_id, with_for_update=True)
        if batch is None or batch.status != READING:
            raise DomainError("import.stale")
        files = list(batch.summary.get("files", []))
        batch.expires_at = now + READING_LIFETIME
        if len(files) != seen:
            return files, False
        batch.summary = {**batch.summary, "closed": True}
        return files, True


async def read(rt: Runtime, actor_id: int, claim_: Claim, files: Sequence[tuple[str, bytes]], *, name: str,
               now: datetime, progress: ocr.Progress | None = None) -> imports.Preview:
    """Read the claimed files as one notice and preview it; a clean one waits for the confirm button as
    any import does. The reading ends here whatever happens: nothing is left claimed."""
    async def beat(page: int, pages: int) -> None:
        async with rt.transaction() as session:
            batch = await session.get(ImportBatch, claim_.batch_id, with_for_update=True)
            if batch is not None and batch.status == READING:
                batch.expires_at = now + READING_LIFETIME
        if progress is not None:
            await progress(page, pages)

    try:
        (_, first), *more = files
        preview = await imports.read_file(rt, name, first, now=now, progress=beat, more=more)
    except BaseException:
        await release(rt, claim_)
        raise
    async with rt.transaction() as session:
        batch = await session.get(ImportBatch, claim_.batch_id, with_for_update=True)
        if batch is None or batch.status != READING:
            raise DomainError("import.stale")
        if not preview.ok:
            await session.delete(batch)
            return preview
        batch.status, batch.file_name = "pending", name[:255]
        batch.items = [i.as_json() for i in preview.items]
        batch.summary = {**preview.counts, "document": preview.document.as_json() if preview.document else None}
        batch.expires_at = now + imports.BATCH_LIFETIME
        return replace(preview, batch_id=batch.id, nonce=batch.nonce)


async def release(rt: Runtime, claim_: Claim) -> None:
    """End a reading that did not become a pending import (a no-op once it has)."""
    async with rt.transaction() as session:
        batch = await session.get(ImportBatch, claim_.batch_id, with_for_update=True)
        if batch is not None and batch.status == READING:
            await session.delete(batch)


async def stage_upload(rt: Runtime, actor_id: int, name: str, data: bytes, *, now: datetime,
                       progress: ocr.Progress | None = None) -> imports.Preview:
    """Any import file uploaded at once (the web app's hook): a scan or a photo is read as the person's one
    reading (DomainError ocr.busy while another is), anything else is staged as in chat. Returns the
    preview; when it is clean, its batch id and nonce confirm it (`imports.confirm`)."""
    if not needs_ocr(name, data):
        return await imports.stage(rt, actor_id, name, data, now=now)
    claimed = await claim(rt, actor_id, name, now=now)
    return await read(rt, actor_id, claimed, [(name, data)], name=name, now=now, progress=progress)
