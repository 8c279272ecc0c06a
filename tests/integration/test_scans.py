"""Scanned notices and photos in chat, on the web's upload hook and in the CLI: read page by page with a
progress message while the bot answers everyone, one reading per person, previewed as read from an
image, refused with the reason when they cannot be read. Tests that run Tesseract skip where it is not
installed (CI installs it); the others replace the reading with a stand-in."""

from __future__ import annotations

import asyncio
import itertools
import json
from datetime import timedelta
from io import BytesIO
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from telegram import Update

from bot.cli import main
from bot.errors import DomainError
from bot.imports import ocr
from bot.services import imports, scans
from handlers import scans as chat_scans
from storage.models import Directive, ImportBatch
from tests.conftest import NOW
from tests.integration.test_imports import BODY, HEADER, notice_docx
from tests.ocr import need_tesseract

ADMIN, LEADER = 1001, 1002
TYPED = "\n".join([f"{a}\n{b}" for a, b in HEADER] + BODY)
_ids = itertools.count(70_000)


@pytest.fixture(scope="module")
def photographed() -> tuple[str, bytes]:
    """The notice of test_imports laid out on paper and photographed: its number and the photo."""
    from tests.ocr.make_pages import notice

    document, pages = notice("\n".join(BODY[2:5]), photo=True)
    return document.number, pages[0]


def _photo(bot: Any, user_id: int, file_id: str, album: str | None = None, chat_id: int | None = None) -> Update:
    number = next(_ids)
    chat_id = chat_id or user_id
    message: dict[str, Any] = {
        "message_id": number, "date": 0, "from": {"id": user_id, "is_bot": False, "first_name": "User"},
        "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
        "photo": [{"file_id": file_id, "file_unique_id": file_id, "width": 1280, "height": 1707, "file_size": 9000}],
    }
    if album:
        message["media_group_id"] = album
    return Update.de_json({"update_id": number, "message": message}, bot)


def _document(bot: Any, user_id: int, file_id: str, name: str, size: int) -> Update:
    from tests.integration.offline import file_update

    return file_update(bot, user_id, name, file_id=file_id, size=size,
                       mime="image/jpeg" if name.endswith(".jpg") else "application/pdf")


async def _send(chat, update: Update) -> None:  # type: ignore[no-untyped-def]
    await chat.app.process_update(update)


def _jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (40, 60), "white").save(out, "JPEG")
    return out.getvalue()


def _scanned_pdf(pages: int) -> bytes:
    images = [Image.new("RGB", (200, 280), "white") for _ in range(pages)]
    out = BytesIO()
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return out.getvalue()


class StandIn:
    """Replaces the OCR: reports the first page, waits for `gate`, then returns the typed notice."""

    def __init__(self) -> None:
        self.gate, self.started = asyncio.Event(), asyncio.Event()
        self.calls: list[list[ocr.Source]] = []

    async def __call__(self, sources, progress=None):  # type: ignore[no-untyped-def]
        self.calls.append(list(sources))
        if progress is not None:
            await progress(1, len(sources))
        self.started.set()
        await self.gate.wait()
        return ocr.Document(TYPED, len(sources), True, 0.914)


@pytest.fixture
def stand_in(monkeypatch) -> StandIn:  # type: ignore[no-untyped-def]
    fake = StandIn()
    monkeypatch.setattr(ocr, "read", fake)
    return fake


async def _count(rt, model) -> int:  # type: ignore[no-untyped-def]
    async with rt.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model))


# In chat.

async def test_a_photographed_notice_is_read_with_its_progress_shown_and_previewed_as_read_from_an_image(
        chat, rt, people, photographed):
    need_tesseract()
    number, photo = photographed
    chat.request.files["giay"] = photo
    await _send(chat, _photo(chat.bot, ADMIN, "giay"))
    await chat_scans.settle()
    texts = chat.texts(ADMIN)
    assert texts[0] == "Đang đọc ảnh chụp…" and "Đang đọc trang 1/1…" in texts
    preview = texts[-1]
    assert "Đọc từ ảnh: 1 trang, độ tin cậy" in preview and "2 nhiệm vụ" in preview, preview
    assert f"Văn bản: {number}" in preview
    reply = await chat.press(ADMIN, chat.button(ADMIN, "Nhập 2 nhiệm vụ"))
    assert "Đã nhập 2 nhiệm vụ" in reply
    async with rt.sessions() as session:
        rows = (await session.scalars(select(Directive).order_by(Directive.code))).all()
    assert [(d.source_number, d.original_deadline.isoformat()) for d in rows] == [
        (number, "2026-12-15"), (number, "2026-12-30")]


async def test_an_album_of_photos_is_read_once_as_one_notice_of_as_many_pages(chat, rt, people, stand_in,
                                                                                  monkeypatch):
    monkeypatch.setattr(chat_scans, "ALBUM_WAIT", 0.5)
    stand_in.gate.set()
    for n in range(3):
        chat.request.files[f"trang-{n}"] = _jpeg()
        await _send(chat, _photo(chat.bot, ADMIN, f"trang-{n}", album="album-1"))
    await chat_scans.settle()
    assert len(stand_in.calls) == 1 and len(stand_in.calls[0]) == 3
    assert [n for n, p in chat.request.calls if n == "sendMessage" and int(p["chat_id"]) == ADMIN] == ["sendMessage"]
    assert "Đọc từ ảnh: 3 trang, độ tin cậy 91,4 %" in chat.texts(ADMIN)[-1]
    assert "Xem trước: 3 ảnh chụp" in chat.texts(ADMIN)[-1]


async def test_while_a_file_is_read_everyone_is_answered_and_the_same_persons_next_file_waits_its_turn(
        chat, rt, people, stand_in):
    chat.request.files["mot"] = chat.request.files["hai"] = _jpeg()
    await _send(chat, _photo(chat.bot, ADMIN, "mot"))
    await asyncio.wait_for(stand_in.started.wait(), 60)  # the reading has started and waits at its gate
    assert chat.texts(ADMIN)[-1] == "Đang đọc trang 1/1…"
    assert await chat.say(LEADER, "/trogiup")  # someone else is answered meanwhile
    await _send(chat, _photo(chat.bot, ADMIN, "hai"))
    assert "Bot đang đọc ảnh chụp bạn gửi trước đó" in chat.texts(ADMIN)[-1]
    assert await chat.say(ADMIN, "/trogiup")  # and so is the sender
    stand_in.gate.set()
    await chat_scans.settle()
    assert "Đọc từ ảnh: 1 trang" in chat.texts(ADMIN)[-1]
    await _send(chat, _photo(chat.bot, ADMIN, "hai"))  # once read, the next file is taken
    await chat_scans.settle()
    assert len(stand_in.calls) == 2


async def test_a_scan_of_more_than_twenty_pages_is_refused_in_chat_and_nothing_stays_claimed(chat, rt, people):
    data = _scanned_pdf(21)
    chat.request.files["dai"] = data
    await _send(chat, _document(chat.bot, ADMIN, "dai", "ban-scan.pdf", len(data)))
    await chat_scans.settle()
    assert "Tệp ban-scan.pdf có 21 trang phải đọc từ ảnh, quá 20 trang mỗi lần" in chat.texts(ADMIN)[-1]
    assert await _count(rt, ImportBatch) == 0


async def test_a_blank_photo_is_answered_with_the_reason_and_nothing_is_imported(chat, rt, people):
    need_tesseract()
    from tests.ocr.make_pages import blank_page

    chat.request.files["trang"] = blank_page()
    await _send(chat, _photo(chat.bot, ADMIN, "trang"))
    await chat_scans.settle()
    assert "chỉ có trang trắng, không có chữ để đọc. Không có gì được nhập." in chat.texts(ADMIN)[-1]
    assert await _count(rt, ImportBatch) == 0 and await _count(rt, Directive) == 0


async def test_a_photo_in_a_units_group_is_not_taken_for_an_import(chat, rt, people, stand_in):
    await _send(chat, _photo(chat.bot, ADMIN, "nhom", chat_id=-500))
    await chat_scans.settle()
    assert not stand_in.calls and not chat.texts(-500)


# The service: one reading per person; the web's upload hook.

async def test_one_reading_at_a_time_per_person_and_a_dead_readers_claim_runs_out(rt, people):
    first = await scans.claim(rt, people.admin, "a.jpg", now=NOW)
    with pytest.raises(DomainError) as busy:
        await scans.claim(rt, people.admin, "b.jpg", now=NOW)
    assert busy.value.key == "ocr.busy" and busy.value.params == {"file": "a.jpg"}
    other = await scans.claim(rt, people.leader, "c.jpg", now=NOW)
    assert other.first
    later = NOW + scans.READING_LIFETIME + timedelta(seconds=1)  # the reader died without a word
    assert (await scans.claim(rt, people.admin, "d.jpg", now=later)).first
    await scans.release(rt, first)
    with pytest.raises(DomainError) as refused:  # a focal point imports nothing
        await scans.claim(rt, people.sxd, "e.jpg", now=NOW)
    assert refused.value.key == "auth.forbidden"


async def test_photos_of_one_album_join_its_reading_until_it_is_complete(rt, people):
    first = await scans.claim(rt, people.admin, "ảnh", now=NOW, album="A", file={"id": "1"})
    second = await scans.claim(rt, people.admin, "ảnh", now=NOW, album="A", file={"id": "2"})
    assert first.first and not second.first and second.batch_id == first.batch_id
    assert await scans.collect(rt, first, 1, now=NOW) == ([{"id": "1"}, {"id": "2"}], False)
    assert await scans.collect(rt, first, 2, now=NOW) == ([{"id": "1"}, {"id": "2"}], True)
    with pytest.raises(DomainError):  # the album is closed: a late photo waits for the reading to end
        await scans.claim(rt, people.admin, "ảnh", now=NOW, album="A", file={"id": "3"})


async def test_the_web_upload_hook_reads_a_scan_and_its_preview_is_confirmed_like_any_import(rt, people,
                                                                                            photographed):
    need_tesseract()
    number, photo = photographed
    preview = await scans.stage_upload(rt, people.admin, "thong-bao.jpg", photo, now=NOW)
    assert preview.ok and preview.document is not None and preview.document.ocr
    assert preview.document.pages == 1 and 0.75 < preview.document.confidence <= 1
    assert [(i.lead, i.support, i.deadline) for i in preview.items] == [
        (["SXD"], ["STC"], "2026-12-15"), (["SYT"], [], "2026-12-30")]
    applied = await imports.confirm(rt, people.admin, preview.batch_id, preview.nonce, now=NOW)
    assert applied.count == 2
    docx = await scans.stage_upload(rt, people.admin, "thong-bao.docx", notice_docx(), now=NOW)
    assert docx.ok and docx.document is None  # any other import file is staged as in chat


async def test_a_stand_in_reading_that_fails_leaves_nothing_claimed(rt, people, monkeypatch):
    async def broken(sources, progress=None):  # type: ignore[no-untyped-def]
        raise DomainError("ocr.blurred", file="x.jpg", page=1)

    monkeypatch.setattr(ocr, "read", broken)
    with pytest.raises(DomainError):
        await scans.stage_upload(rt, people.admin, "x.jpg", _jpeg(), now=NOW)
    assert await _count(rt, ImportBatch) == 0
    assert (await scans.claim(rt, people.admin, "y.jpg", now=NOW)).first


# The CLI's contract: `import FILE --dry-run --json`.

@pytest.fixture
def office(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    for name in ("DATABASE_URL", "TELEGRAM_BOT_TOKEN", "DEFAULT_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    from tests.integration.conftest import UNITS_CSV

    (tmp_path / "units.csv").write_text(UNITS_CSV, encoding="utf-8")
    assert main(["import-units", str(tmp_path / "units.csv")]) == 0
    return tmp_path


def test_the_cli_prints_a_scans_drafts_as_json_in_the_shape_parse_prints_them(office, capsys, photographed):
    need_tesseract()
    from bot.parsing.corpus_json import _directive
    from bot.parsing.result import DraftDirective

    number, photo = photographed
    (office / "scan.jpg").write_bytes(photo)
    (office / "thong-bao.docx").write_bytes(notice_docx())
    capsys.readouterr()
    assert main(["import", "scan.jpg", "--dry-run", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["document"]["pages"] == 1 and out["document"]["ocr"] is True
    assert 0.75 < out["document"]["confidence"] <= 1
    parsed = set(_directive(DraftDirective(("SXD",), (), "x", source="1/TB")))  # what `parse` always prints
    for draft in out["directives"]:
        assert parsed <= set(draft) <= parsed | {"source_date", "leader"}
    assert [(d["lead"], d["support"], d["deadline"], d["source"]) for d in out["directives"]] == [
        (["SXD"], ["STC"], "2026-12-15", number), (["SYT"], [], "2026-12-30", number)]
    assert main(["import", "thong-bao.docx", "--dry-run", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["document"] == {"pages": None, "ocr": False, "confidence": 1.0}


def test_the_cli_exits_1_with_the_reason_on_stderr_when_it_cannot_read_the_file(office, capsys):
    (office / "dai.pdf").write_bytes(_scanned_pdf(21))
    capsys.readouterr()
    assert main(["import", "dai.pdf", "--dry-run", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "có 21 trang phải đọc từ ảnh, quá 20 trang" in captured.err
    (office / "hong.jpg").write_bytes(b"\xff\xd8\xff" + b"\0" * 50)
    assert main(["import", "hong.jpg", "--dry-run", "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and "không phải tệp Excel (.xlsx), Word (.docx), PDF hay ảnh" in captured.err
