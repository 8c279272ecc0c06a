"""What a file really is, whatever its name says; the refusals every import shares."""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Iterable, Iterator
from io import BytesIO
from typing import TypeVar

from bot.errors import DomainError
from bot.imports.limits import MAX_DOCX_XML_BYTES, MAX_XLSX_WHOLE_BYTES

log = logging.getLogger(__name__)
T = TypeVar("T")

MAX_FILE_BYTES = 5 * 2**20
MAX_SCAN_BYTES = 20 * 2**20  # a scanned PDF or a photo (Telegram lets a bot download up to 20 MB)
SCANNED = ("pdf", "png", "jpg")  # kinds that may need OCR
_IMAGES = {b"\x89PNG\r\n\x1a\n": "png", b"\xff\xd8\xff": "jpg"}
MAX_UNZIPPED_BYTES = 60 * 2**20  # a zip bomb is refused before anything is parsed
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


def kind_of(name: str, data: bytes) -> str:
    """'xlsx', 'docx', 'pdf', 'png' or 'jpg', from the content; DomainError naming the problem otherwise."""
    if not data:
        raise DomainError("import.empty_file", file=name[:60])
    image = next((kind for magic, kind in _IMAGES.items() if data.startswith(magic)), None)
    limit = MAX_SCAN_BYTES if image or data.startswith(b"%PDF-") else MAX_FILE_BYTES
    if len(data) > limit:
        raise DomainError("import.too_big", file=name[:60], limit=limit // 2**20)
    if image:
        return image
    if data.startswith(_OLE):
        # Office files saved with a password are OLE containers holding an "EncryptionInfo" stream.
        key = "import.password" if _ENCRYPTED in data else "import.old_format"
        raise DomainError(key, file=name[:60])
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                names = set(archive.namelist())
                if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED_BYTES:
                    raise DomainError("import.too_big", file=name[:60], limit=MAX_FILE_BYTES // 2**20)
                _check_whole_parts(name, archive)
        except DomainError:
            raise
        except Exception:  # noqa: BLE001 - zipfile raises more than BadZipFile for a damaged archive
            raise DomainError("import.unreadable", file=name[:60]) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
    raise DomainError("import.unreadable", file=name[:60])


def _check_whole_parts(name: str, archive: zipfile.ZipFile) -> None:
    """The parts a reader takes into memory whole are refused past their cap (limits.py), from the sizes the zip
    declares (zipfile never returns more than a member declares)."""
    names = {i.filename for i in archive.infolist()}
    if "xl/workbook.xml" in names:
        whole = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))
                 and not i.filename.startswith("xl/worksheets/")]
        limit = MAX_XLSX_WHOLE_BYTES
    elif "word/document.xml" in names:
        whole = [i for i in archive.infolist() if i.filename.endswith((".xml", ".rels"))]
        limit = MAX_DOCX_XML_BYTES
    else:
        return
    if sum(i.file_size for i in whole) > limit:
        raise DomainError("import.too_much_inside", file=name[:60], limit=limit // 2**20)


class Damaged(Exception):
    """A reading library failed on a file's content (openpyxl, python-docx, pypdf and the XML and zip code under
    them raise every kind of exception for a damaged file, at any row or page, not only when it is opened)."""


def damaged(error: BaseException, what: str) -> Damaged:
    """The failure, logged with its cause for whoever investigates (never as a traceback: it is the file's
    fault, not ours)."""
    log.info("a damaged %s: %s: %s", what, type(error).__name__, str(error)[:200])
    return Damaged(what)


def guarded(rows: Iterable[T], what: str) -> Iterator[T]:
    """`rows` as a reading library yields them, its failures raised as `Damaged`; what the caller does with
    each row is not guarded (a failure there is a bug of ours, and must show as one)."""
    iterator = iter(rows)
    while True:
        try:
            row = next(iterator)
        except StopIteration:
            return
        except Exception as error:  # noqa: BLE001 - see Damaged
            raise damaged(error, what) from error
        yield row
