"""The pages of a job's files: a PDF's pages (with their text layer when they have one, else rendered with
pypdfium2 at the scan's own resolution) or a photo. A page is only named here; its picture is decoded
when it is read, so a job holds one page image at a time."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from typing import TYPE_CHECKING, Any

from bot.errors import DomainError

if TYPE_CHECKING:
    import numpy as np

    from bot.imports.ocr import Source

MIN_LETTERS = 20  # a page with fewer letters in its text layer is a scan (or blank) and is read by OCR
RENDER_DPI = (200, 300)  # a scanned page is rendered at its image's own resolution, kept within these
MAX_PIXELS = 60_000_000  # a photo larger than this (decoded) is refused before it fills the memory
PHOTO_SIDE = 4000  # px: larger photos are decoded at a reduced size (JPEG draft mode), enough for A4 text


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, across the files of one job
    source: int  # which file of the job
    index: int  # which page of that file
    text: str | None  # the text layer, when the page has one: nothing to recognise


def pdf_pages(data: bytes, name: str, *, first: int = 1, source: int = 0) -> list[Page]:
    """The pages of a PDF, each with its text layer as the typed-PDF import has always read it (pypdf)."""
    from pypdf.errors import PdfReadError

    from bot.imports.notice import pdf_page_texts

    try:
        texts = pdf_page_texts(data, name)  # within the import's caps, before any page is rendered
    except PdfReadError:
        raise DomainError("import.unreadable", file=name[:60]) from None
    return [Page(first + i, source, i, text if sum(ch.isalpha() for ch in text) >= MIN_LETTERS else None)
            for i, text in enumerate(texts)]


def image_page(data: bytes, name: str, *, number: int = 1, source: int = 0) -> Page:
    """A photo or a scanned image (PNG, JPEG), refused when it could not be decoded within memory."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(BytesIO(data)) as probe:
            width, height = probe.size
    except (UnidentifiedImageError, OSError):
        raise DomainError("import.unreadable", file=name[:60]) from None
    if width * height > MAX_PIXELS:
        raise DomainError("ocr.image_too_big", file=name[:60])
    return Page(number, source, 0, None)


def picture(source: Source, page: Page) -> np.ndarray:
    """The page as an RGB array: a PDF page rendered, a photo decoded upright."""
    import numpy as np

    if source.kind == "pdf":
        return np.asarray(_render(source.data, page.index))
    from PIL import Image, ImageOps

    with Image.open(BytesIO(source.data)) as image:
        if image.format == "JPEG" and max(image.size) > PHOTO_SIDE:
            factor = PHOTO_SIDE / max(image.size)
            image.draft("RGB", (round(image.size[0] * factor), round(image.size[1] * factor)))
        upright = ImageOps.exif_transpose(image)
        if upright.mode in ("RGBA", "LA", "P", "PA"):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", upright.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            upright = flat
        return np.asarray(upright.convert("RGB"))


def _render(data: bytes, index: int) -> Any:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(data)
    try:
        page = document[index]
        dpi = _scan_dpi(page, raw) or RENDER_DPI[1]
        bitmap = page.render(scale=min(max(dpi, RENDER_DPI[0]), RENDER_DPI[1]) / 72)
        return bitmap.to_pil().convert("RGB")
    finally:
        document.close()


def _scan_dpi(page: Any, raw: Any) -> int | None:
    """The resolution of the largest image on the page (the scan), in dots per inch of the page."""
    best = None
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=2):
        width_px, _ = obj.get_px_size()
        left, _, right, _ = obj.get_bounds()
        if right - left > 72 and (best is None or width_px > best[0]):
            best = (width_px, right - left)
    return round(best[0] / (best[1] / 72)) if best else None
