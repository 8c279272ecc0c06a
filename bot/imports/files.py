"""What a file really is, whatever its name says; the refusals every import shares."""

from __future__ import annotations

import zipfile
from io import BytesIO

from bot.errors import DomainError

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
        except zipfile.BadZipFile:
            raise DomainError("import.unreadable", file=name[:60]) from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
    raise DomainError("import.unreadable", file=name[:60])
