"""Scanned-looking pages of real notices, for the OCR tests and benchmark.

Each document takes its body from `tests/corpus/real/directives-real.jsonl` (text copied from public
documents) and is laid out as Nghị định 30/2020/NĐ-CP lays out an administrative document: the issuer
and the motto side by side, the number and the place-and-date line, the title, the body, the closing
formula, «Nơi nhận:» at the foot on the left and the signature block on the right, signed in blue ink
and stamped in red over part of the signature. Pages are drawn with DejaVu (Vietnamese-capable) at
150–300 dpi, tilted by 0.5–3°, speckled and JPEG-compressed as a scanner leaves them; some are phone
photos instead (perspective, uneven light, a desk around the page).

`python -m tests.ocr.make_pages` writes the JPEGs and `pages.jsonl` beside this file; the set is
committed, so the tests never depend on the fonts or Pillow version of the machine that runs them. The
manifest keeps for every document the text it was made from (as it would have been typed) and, for every
page, the text drawn on it in reading order, so that a test compares what OCR read with what was there.
"""

from __future__ import annotations

import io
import json
import math
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
MANIFEST = PAGES / "pages.jsonl"
CORPUS = HERE.parent / "corpus" / "real" / "directives-real.jsonl"
FONTS = Path("/usr/share/fonts/truetype/dejavu")
A4_MM = (210.0, 297.0)
SEED = 20_301

LEADERS = ["Nguyễn Văn Phương", "Trần Thị Hồng Nhung", "Lê Quang Hiếu", "Phạm Đức Thắng", "Hoàng Minh Tuấn",
           "Võ Thị Thanh Hà", "Đặng Xuân Trường", "Bùi Quốc Khánh", "Đỗ Thị Lan Anh", "Huỳnh Tấn Lộc"]
TOPICS = ["tình hình thực hiện các dự án đầu tư công", "công tác quản lý đất đai, khoáng sản",
          "kiến nghị của doanh nghiệp và người dân", "công tác cải cách hành chính",
          "tiến độ giải ngân vốn đầu tư công", "công tác phòng, chống thiên tai"]
CITIES = {"Hà Nội", "Đà Nẵng", "TP Hồ Chí Minh", "Hải Phòng", "Cần Thơ"}


def places(province: str) -> tuple[str, str, str]:
    """(the issuer's upper line, its place name in the date line, the stamp's ring text)."""
    if province in CITIES:
        name = "Hồ Chí Minh" if province == "TP Hồ Chí Minh" else province
        return f"UBND THÀNH PHỐ {name.upper()}", "Thành phố " + name if name == "Hồ Chí Minh" else name, \
            f"ỦY BAN NHÂN DÂN THÀNH PHỐ {name.upper()}"
    return f"UBND TỈNH {province.upper()}", province, f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}"


@dataclass
class Style:
    dpi: int
    tilt: float  # degrees, counter-clockwise
    photo: bool
    quality: int
    serif: bool = True
    body_pt: float = 13.0


@dataclass
class Text:
    x: float  # px; `anchor` tells which point of the text it is
    y: float
    text: str
    font: ImageFont.FreeTypeFont
    anchor: str = "la"


@dataclass
class Sheet:
    """One page being laid out: what to draw."""

    texts: list[Text] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)
    seal: tuple[float, float] | None = None  # where the signature and the stamp go


class Layout:
    def __init__(self, style: Style) -> None:
        self.s = style
        self.px_per_mm = style.dpi / 25.4
        self.width, self.height = (round(v * self.px_per_mm) for v in A4_MM)
        self.left, self.right = self.mm(30), self.width - self.mm(15)
        self.top, self.bottom = self.mm(20), self.height - self.mm(20)
        family = "DejaVuSerifCondensed" if style.serif else "DejaVuSansCondensed"
        slant = "Italic" if style.serif else "Oblique"
        self._faces = {"": f"{family}.ttf", "b": f"{family}-Bold.ttf", "i": f"{family}-{slant}.ttf",
                       "bi": f"{family}-Bold{slant}.ttf"}
        self.sheets = [Sheet()]
        self.y = float(self.top)

    def mm(self, value: float) -> int:
        return round(value * self.px_per_mm)

    def font(self, points: float, face: str = "") -> ImageFont.FreeTypeFont:
        return ImageFont.truetype(str(FONTS / self._faces[face]), round(points * self.s.dpi / 72))

    @property
    def sheet(self) -> Sheet:
        return self.sheets[-1]

    @staticmethod
    def wrap(text: str, font: ImageFont.FreeTypeFont, width: float, indent: float = 0) -> list[str]:
        lines, line = [], ""
        for word in text.split():
            trial = f"{line} {word}".strip()
            if line and font.getlength(trial) > width - (indent if not lines else 0):
                lines.append(line)
                line = word
            else:
                line = trial
        if line:
            lines.append(line)
        return lines

    def need(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.sheets.append(Sheet())
            self.sheet.texts.append(Text(self.width / 2, self.mm(10), str(len(self.sheets)), self.font(13), "ma"))
            self.y = float(self.top)

    def centred(self, lines: list[str], font: ImageFont.FreeTypeFont, cx: float, y: float, gap: float = 1.2) -> float:
        step = font.size * gap
        for i, line in enumerate(lines):
            self.sheet.texts.append(Text(cx, y + i * step, line, font, "ma"))
        return y + len(lines) * step

    def paragraph(self, text: str, font: ImageFont.FreeTypeFont, indent_mm: float = 10) -> None:
        indent = self.mm(indent_mm)
        step = font.size * 1.32
        for i, line in enumerate(self.wrap(text, font, self.right - self.left, indent)):
            self.need(step)
            self.sheet.texts.append(Text(self.left + (indent if i == 0 else 0), self.y, line, font))
            self.y += step
        self.y += font.size * 0.25


@dataclass
class Document:
    id: str
    case: str
    kind: str  # TB (a conclusion notice) or CV (a letter)
    number: str
    day: str  # dd/mm/yyyy
    sent_at: str
    text: str  # as it would be typed: what the drafts from the image are compared with
    pages: list[dict]


def compose(case: dict, doc_id: str, style: Style, rng: random.Random) -> tuple[Document, list[Image.Image]]:
    lay = Layout(style)
    day = case["sent_at"][:10]
    y_, m_, d_ = (int(v) for v in day.split("-"))
    number_match = re.search(r"(\d{1,5}/(?:UBND|TB|VP)[A-ZĐ0-9\-]*)", case["source"])
    kind = "TB" if rng.random() < 0.5 else "CV"
    number = number_match[1] if number_match and kind == "CV" else \
        f"{rng.randint(12, 980)}/{'TB-UBND' if kind == 'TB' else 'UBND-' + rng.choice(['KT', 'TH', 'NC', 'VX'])}"
    upper, place, ring = places(case["province"])
    leader = rng.choice(LEADERS)
    deputy = rng.random() < 0.7
    title = ("Phó Chủ tịch" if deputy else "Chủ tịch") + " UBND tỉnh"
    typed: list[str] = []

    # Header: the issuer and the motto side by side, then the number and the place-and-date line.
    left_cx = lay.left + lay.mm(30)
    right_cx = lay.right - lay.mm(48)
    small, small_b = lay.font(12), lay.font(12, "b")
    motto_b = lay.font(13, "b")
    issuer = [(upper, small), ("VĂN PHÒNG", small_b)] if kind == "TB" else \
        [("ỦY BAN NHÂN DÂN", small_b), (upper.replace("UBND ", ""), small_b)]
    y0 = lay.y
    left_lines = []
    for i, (line, font) in enumerate(issuer):
        lay.sheet.texts.append(Text(left_cx, y0 + i * font.size * 1.2, line, font, "ma"))
        left_lines.append(line)
    rule_y = y0 + len(issuer) * small.size * 1.2 + lay.mm(1)
    lay.sheet.rules.append((left_cx - lay.mm(12), rule_y, left_cx + lay.mm(12), rule_y))
    right_lines = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    lay.sheet.texts.append(Text(right_cx, y0, right_lines[0], small_b, "ma"))
    lay.sheet.texts.append(Text(right_cx, y0 + small.size * 1.2, right_lines[1], motto_b, "ma"))
    half = motto_b.getlength(right_lines[1]) / 2
    lay.sheet.rules.append((right_cx - half, rule_y, right_cx + half, rule_y))
    row_y = rule_y + lay.mm(5)
    number_line = f"Số: {number}"
    date_line = f"{place}, ngày {d_:02d} tháng {m_:02d} năm {y_}"
    body_font = lay.font(style.body_pt)
    lay.sheet.texts.append(Text(left_cx, row_y, number_line, body_font, "ma"))
    lay.sheet.texts.append(Text(right_cx, row_y, date_line, lay.font(style.body_pt, "i"), "ma"))
    left_lines.append(number_line)
    right_lines.append(date_line)
    lay.y = row_y + body_font.size * 1.4
    if kind == "CV":
        subject = f"V/v {rng.choice(TOPICS)}"
        sub_lines = Layout.wrap(subject, small, lay.mm(56))
        lay.y = lay.centred(sub_lines, small, left_cx, lay.y)
        left_lines += sub_lines
    typed += left_lines + right_lines  # as a table of two cells would hold them
    lay.y += lay.mm(6)

    if kind == "TB":
        head = lay.font(14, "b")
        topic = rng.choice(TOPICS)
        subtitle = f"Kết luận của {title} {leader} tại buổi làm việc về {topic}"
        lines = ["THÔNG BÁO"] + Layout.wrap(subtitle, lay.font(13.5, "b"), lay.mm(140))
        lay.sheet.texts.append(Text(lay.width / 2 + lay.mm(7), lay.y, lines[0], head, "ma"))
        lay.y = lay.centred(lines[1:], lay.font(13.5, "b"), lay.width / 2 + lay.mm(7), lay.y + head.size * 1.3)
        lay.sheet.rules.append((lay.width / 2 - lay.mm(13), lay.y + lay.mm(1), lay.width / 2 + lay.mm(27),
                                lay.y + lay.mm(1)))
        typed += lines
        lay.y += lay.mm(6)

    paragraphs = [p.strip() for p in case["text"].split("\n") if p.strip()]
    closing = ("Văn phòng UBND tỉnh" if kind == "TB" else "UBND tỉnh") + \
        " thông báo để các cơ quan, đơn vị biết, thực hiện./."
    for text in paragraphs + [closing]:
        lay.paragraph(" ".join(text.split()), body_font)
        typed.append(" ".join(text.split()))

    # The foot: «Nơi nhận:» on the left, the signature block on the right.
    recipients = ["Nơi nhận:", "- Như trên;", "- CT, các PCT UBND tỉnh;", "- Lưu: VT, " +
                  rng.choice(["KT", "TH", "NC"]) + "."]
    lay.need(lay.mm(48))
    lay.y += lay.mm(4)
    foot_y = lay.y
    sign_cx = lay.right - lay.mm(45)
    signer = ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"] if deputy else ["CHỦ TỊCH"]
    tiny = lay.font(11)
    lay.sheet.texts.append(Text(lay.left, foot_y, recipients[0], lay.font(12, "bi")))
    for i, line in enumerate(recipients[1:], start=1):
        lay.sheet.texts.append(Text(lay.left, foot_y + lay.mm(1) + i * tiny.size * 1.25, line, tiny))
    sign_font = lay.font(13, "b")
    end = lay.centred(signer, sign_font, sign_cx, foot_y)
    name_y = end + lay.mm(24)
    lay.sheet.texts.append(Text(sign_cx, name_y, leader, sign_font, "ma"))
    lay.sheet.seal = (sign_cx, (end + name_y) / 2)
    typed += recipients + signer + [leader]

    images = [render(lay, sheet, style, ring, rng) for sheet in lay.sheets]
    pages = [{"file": f"{doc_id}-{i + 1}.jpg", "text": "\n".join(rows(sheet)),
              "dpi": style.dpi, "tilt": round(style.tilt, 2), "photo": style.photo}
             for i, sheet in enumerate(lay.sheets)]
    document = Document(doc_id, case["id"], kind, number, f"{d_:02d}/{m_:02d}/{y_}", case["sent_at"],
                        "\n".join(typed), pages)
    return document, images


def rows(sheet: Sheet) -> list[str]:
    """The page's text line by line as a person reads it: texts side by side (the issuer and the motto,
    «Nơi nhận:» and the signature) one column after the other, the left one first; no page number."""
    def extent(t: Text) -> tuple[float, float]:
        width = t.font.getlength(t.text)
        return (t.x - width / 2, t.x + width / 2) if t.anchor == "ma" else (t.x, t.x + width)

    visual: list[list[Text]] = []
    for t in sorted((t for t in sheet.texts if not t.text.isdigit()), key=lambda t: t.y):  # not the page number
        if visual and abs(visual[-1][0].y - t.y) < 0.6 * visual[-1][0].font.size:
            visual[-1].append(t)
        else:
            visual.append([t])
    visual = [sorted(row, key=lambda t: t.x) for row in visual]
    out: list[str] = []
    i = 0
    while i < len(visual):
        if len(visual[i]) == 1:
            out.append(visual[i][0].text)
            i += 1
            continue
        split = (extent(visual[i][0])[1] + extent(visual[i][1])[0]) / 2
        left: list[str] = []
        right: list[str] = []
        while i < len(visual):
            row = visual[i]
            if len(row) > 1:
                left.append(row[0].text)
                right += [t.text for t in row[1:]]
            elif extent(row[0])[1] < split:
                left.append(row[0].text)
            elif extent(row[0])[0] > split:
                right.append(row[0].text)
            else:
                break
            i += 1
        out += left + right
    return out


def render(lay: Layout, sheet: Sheet, style: Style, ring: str, rng: random.Random) -> Image.Image:
    page = Image.new("RGB", (lay.width, lay.height), "white")
    draw = ImageDraw.Draw(page)
    ink = (25, 25, 28)
    for t in sheet.texts:
        draw.text((t.x, t.y), t.text, font=t.font, fill=ink, anchor=t.anchor)
    for x0, y0, x1, y1 in sheet.rules:
        draw.line((x0, y0, x1, y1), fill=ink, width=max(1, lay.mm(0.25)))
    if sheet.seal is not None:
        signature(page, lay, sheet.seal, rng)
        stamp(page, lay, (sheet.seal[0] - lay.mm(rng.uniform(14, 22)), sheet.seal[1] + lay.mm(rng.uniform(-4, 2))),
              ring, rng)
    return photograph(page, lay, rng) if style.photo else scan(page, style, rng)


def signature(page: Image.Image, lay: Layout, centre: tuple[float, float], rng: random.Random) -> None:
    """A pen scribble in blue ink across the signature space."""
    draw = ImageDraw.Draw(page)
    cx, cy = centre
    width = max(2, lay.mm(0.45))
    colour = (28, 48, 150) if rng.random() < 0.8 else (40, 30, 90)
    points = []
    x = cx - lay.mm(22)
    for _ in range(9):
        x += lay.mm(rng.uniform(2.5, 6))
        points.append((x, cy + lay.mm(rng.uniform(-9, 7))))
    for a, b in zip(points, points[1:], strict=False):
        for s in range(12):
            t0, t1 = s / 12, (s + 1) / 12
            bend = lay.mm(2.5) * math.sin(math.pi * t0)
            draw.line((a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0 - bend,
                       a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1 - lay.mm(2.5) * math.sin(math.pi * t1)),
                      fill=colour, width=width)
    draw.line((points[0][0], points[-1][1] + lay.mm(3), points[-1][0] + lay.mm(6), points[-3][1] + lay.mm(4)),
              fill=colour, width=width)


def stamp(page: Image.Image, lay: Layout, centre: tuple[float, float], ring: str, rng: random.Random) -> None:
    """The red round seal, printed with uneven ink, multiplied over what is under it."""
    radius = lay.mm(rng.uniform(17, 20))
    size = 2 * radius + 8
    layer = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(layer)
    c = size / 2
    for r, w in ((radius, lay.mm(0.9)), (radius - lay.mm(1.6), lay.mm(0.35)), (radius * 0.42, lay.mm(0.35))):
        draw.ellipse((c - r, c - r, c + r, c + r), outline=255, width=max(1, w))
    letter = lay.font(9.5, "b")
    chars = list(ring)
    span = 300.0
    for i, ch in enumerate(chars):
        angle = math.radians(-240 + span * i / max(1, len(chars) - 1))
        glyph = Image.new("L", (letter.size * 2, letter.size * 2), 0)
        ImageDraw.Draw(glyph).text((letter.size, letter.size), ch, font=letter, fill=255, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.Resampling.BICUBIC)
        r = radius - lay.mm(4.2)
        layer.paste(glyph, (round(c + r * math.cos(angle) - letter.size), round(c + r * math.sin(angle) - letter.size)),
                    glyph)
    star = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), round(20 * lay.s.dpi / 72))
    draw.text((c, c), "★", font=star, fill=255, anchor="mm")
    ink = np.asarray(layer, dtype=np.float32) / 255
    ink *= np.clip(np.random.default_rng(rng.randrange(2**32)).normal(0.85, 0.12, ink.shape), 0.3, 1)
    x0, y0 = round(centre[0] - c), round(centre[1] - c)
    region = np.asarray(page.crop((x0, y0, x0 + size, y0 + size)), dtype=np.float32)
    red = np.array([214, 32, 42], dtype=np.float32)
    mixed = region * (1 - ink[..., None]) + (region * red / 255) * ink[..., None]
    page.paste(Image.fromarray(mixed.astype(np.uint8)), (x0, y0))


def scan(page: Image.Image, style: Style, rng: random.Random) -> Image.Image:
    page = page.rotate(style.tilt, resample=Image.Resampling.BICUBIC, fillcolor="white")
    array = np.asarray(page, dtype=np.float32)
    noise = np.random.default_rng(rng.randrange(2**32))
    array = array * rng.uniform(0.93, 0.98) + noise.normal(0, 4.0, array.shape[:2])[..., None]
    specks = noise.random(array.shape[:2]) < 0.0004
    array[specks] = 60
    out = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.5))
    return out


def _coefficients(source: list[tuple[float, float]], target: list[tuple[float, float]]) -> list[float]:
    """PIL's perspective coefficients mapping each `target` corner (output) to its `source` corner."""
    rows = []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    rhs = [c for point in source for c in point]
    return list(np.linalg.solve(np.array(rows, dtype=float), np.array(rhs, dtype=float)))


def photograph(page: Image.Image, lay: Layout, rng: random.Random) -> Image.Image:
    """The page on a desk, photographed from a little off-centre: perspective, uneven light, blur."""
    out_h = rng.choice([2000, 2200, 2400])
    out_w = round(out_h * 0.75)
    w, h = page.size
    margin_x, margin_y = out_w * 0.05, out_h * 0.04
    usable_h = out_h - 2 * margin_y
    scale = min(usable_h / h, (out_w - 2 * margin_x) / w)
    pw, ph = w * scale, h * scale
    ox, oy = (out_w - pw) / 2, (out_h - ph) / 2

    def jitter(x: float, y: float) -> tuple[float, float]:
        return x + rng.uniform(-0.045, 0.045) * pw, y + rng.uniform(-0.03, 0.03) * ph

    quad = [jitter(ox, oy), jitter(ox + pw, oy), jitter(ox + pw, oy + ph), jitter(ox, oy + ph)]
    corners = [(0, 0), (w, 0), (w, h), (0, h)]
    mask = Image.new("L", page.size, 255)
    size = (out_w, out_h)
    coeffs = _coefficients(corners, quad)
    warped = page.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    inside = mask.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    noise = np.random.default_rng(rng.randrange(2**32))
    desk_colour = np.array(rng.choice([(120, 90, 60), (90, 92, 98), (150, 130, 110)]), dtype=np.float32)
    desk = desk_colour + noise.normal(0, 9, (out_h, out_w, 1))
    alpha = np.asarray(inside, dtype=np.float32)[..., None] / 255
    array = np.asarray(warped, dtype=np.float32) * alpha + desk * (1 - alpha)
    yy, xx = np.mgrid[0:out_h, 0:out_w].astype(np.float32)
    lx, ly = rng.uniform(0, out_w), rng.uniform(0, out_h)
    light = 1.0 - 0.28 * np.hypot(xx - lx, yy - ly) / math.hypot(out_w, out_h)
    if rng.random() < 0.6:  # the shadow of the phone or the hand over part of the page, soft-edged
        sx, sy, reach = rng.uniform(0, out_w), rng.uniform(0.4 * out_h, out_h), rng.uniform(0.25, 0.45) * out_h
        light *= 1 - rng.uniform(0.35, 0.5) * np.clip(1.5 - np.hypot(xx - sx, (yy - sy) * 1.3) / reach, 0, 1)
    array = array * light[..., None] * rng.uniform(0.85, 0.95) + noise.normal(0, 3.5, (out_h, out_w, 1))
    image = Image.fromarray(np.clip(array, 0, 255).astype(np.uint8))
    return image.filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 0.9)))


def jpeg(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True)
    return out.getvalue()


def notice(body: str, *, day: str = "2026-11-19", province: str = "Thừa Thiên Huế", photo: bool = False,
           seed: int = 1) -> tuple[Document, list[bytes]]:
    """A notice of one's own (its body `body`) laid out and scanned or photographed as the set's pages
    are: the document (its typed text) and its pages as JPEG bytes."""
    case = {"id": "own", "province": province, "source": "", "sent_at": f"{day}T09:00:00+07:00", "text": body}
    document, images = compose(case, "own", Style(200, 1.0, photo, 80), random.Random(seed))
    return document, [jpeg(image, 80) for image in images]


def blank_page(seed: int = 1) -> bytes:
    """An empty sheet through the scanner: paper, noise and dust, nothing written."""
    lay = Layout(Style(200, 0.0, False, 70))
    return jpeg(scan(Image.new("RGB", (lay.width, lay.height), "white"), Style(200, 0.8, False, 70),
                     random.Random(seed)), 70)


def handwritten_page(seed: int = 1) -> bytes:
    """A note written by hand in ballpoint: lines of joined-up loops, no printed letter."""
    rng = random.Random(seed)
    lay = Layout(Style(200, 0.0, False, 80))
    page = Image.new("RGB", (lay.width, lay.height), (246, 246, 242))
    draw = ImageDraw.Draw(page)
    y = lay.mm(30)
    while y < lay.height - lay.mm(40):
        x = lay.left + rng.uniform(0, lay.mm(5))
        while x < lay.right - lay.mm(30):
            loops = rng.randint(2, 7)
            points = []
            for k in range(loops * 12 + 1):
                turn = k / 12
                tall = 1.6 if int(turn) % 3 == 1 else 1.0
                points.append((x + turn * lay.mm(3.3) + lay.mm(1.1) * math.sin(2 * math.pi * turn),
                               y - lay.mm(2) * (1 - math.cos(2 * math.pi * turn)) * tall + rng.uniform(-1.5, 1.5)))
            draw.line(points, fill=(20, 20, 60) if seed % 2 else (30, 40, 120), width=3, joint="curve")
            x += loops * lay.mm(3.3) + rng.uniform(lay.mm(3), lay.mm(6))
        y += rng.uniform(lay.mm(9.5), lay.mm(11.5))
    return jpeg(page, 80)


def blurred(data: bytes, radius: float = 6.0) -> bytes:
    """The picture out of focus."""
    return jpeg(Image.open(io.BytesIO(data)).convert("RGB").filter(ImageFilter.GaussianBlur(radius)), 85)


def shrunk(data: bytes, factor: float = 0.18) -> bytes:
    """The picture taken from too far away: the page a few hundred pixels high."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    return jpeg(image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS), 85)


def cases() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def plan(rng: random.Random) -> list[tuple[dict, Style]]:
    """Which corpus messages become which kind of page: 26 scans (150, 200 or 300 dpi), 10 photos, and two
    long notices over two pages each."""
    chosen = [c for c in cases() if len(c["text"]) <= 900]
    rng.shuffle(chosen)
    long_ones = [c for c in cases() if len(c["text"]) > 1300]
    out = []
    for i, case in enumerate(chosen[:36]):
        photo = i >= 26
        dpi = 200 if photo else (150, 200, 200, 200, 300)[i % 5]
        out.append((case, Style(dpi, rng.choice([-1, 1]) * rng.uniform(0.5, 3.0), photo,
                                rng.randint(76, 85) if photo else rng.randint(60, 75), serif=i % 4 != 3,
                                body_pt=rng.choice([13.0, 13.5, 14.0]))))
    out += [(case, Style(200, 1.2 - i, False, 70, body_pt=15.0)) for i, case in enumerate(long_ones[:2])]
    return out


def main() -> None:
    rng = random.Random(SEED)
    PAGES.mkdir(exist_ok=True)
    for old in PAGES.glob("*.jpg"):
        old.unlink()
    records = []
    for n, (case, style) in enumerate(plan(rng), start=1):
        doc_id = f"{'photo' if style.photo else 'scan'}{n:02d}"
        document, images = compose(case, doc_id, style, rng)
        for image, page in zip(images, document.pages, strict=True):
            (PAGES / page["file"]).write_bytes(jpeg(image, style.quality))
        records.append(document.__dict__)
    MANIFEST.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    total = sum(p.stat().st_size for p in PAGES.glob("*.jpg"))
    print(f"{sum(len(r['pages']) for r in records)} pages, {len(records)} documents, {total / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
