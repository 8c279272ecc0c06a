"""What a spreadsheet's column titles mean. Clerks keep their own tracking sheets: the same columns under
their own words («Số, ký hiệu», «Ngày ban hành», «Nội dung chỉ đạo», «Cơ quan chủ trì», «Thời hạn»), with or
without diacritics, in any case, with a hint in brackets, a star, a line break or a typo. A title is read
by meaning, in this order: one of the words known for a field (`SYNONYMS`), then a title that holds such
words ("Thời hạn hoàn thành theo kết luận"), then a near spelling (rapidfuzz) that points to one field
only. What was understood is shown to the clerk before anything is imported."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.domain.units import fold

FIELDS = ("no", "source_number", "source_date", "leader", "content", "lead", "support", "deadline", "assigned_on",
          "completed_on", "status", "note")
REQUIRED = ("content", "lead")
# The words clerks use for each column, folded (no diacritics, lower case, punctuation as spaces).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "no": ("stt", "tt", "so tt", "so thu tu", "thu tu"),
    "source_number": ("so ky hieu van ban", "so ky hieu", "so hieu van ban", "so hieu", "ky hieu van ban",
                      "so van ban", "van ban so", "so vb", "so thong bao", "so hieu thong bao", "van ban",
                      "van ban chi dao", "van ban nguon", "so ky hieu van ban chi dao", "can cu"),
    "source_date": ("ngay van ban", "ngay ban hanh", "ngay ban hanh van ban", "ngay ky", "ngay ky van ban",
                    "ngay thong bao", "ngay vb", "ngay van ban chi dao"),
    "leader": ("lanh dao chi dao", "lanh dao", "nguoi chi dao", "lanh dao ket luan", "lanh dao giao",
               "lanh dao ubnd tinh", "lanh dao phu trach", "dong chi lanh dao"),
    "content": ("noi dung", "noi dung chi dao", "noi dung nhiem vu", "noi dung cong viec", "noi dung y kien chi dao",
                "noi dung ket luan", "y kien chi dao", "ket luan chi dao", "nhiem vu", "ten nhiem vu",
                "nhiem vu duoc giao", "cong viec", "trich yeu", "trich yeu noi dung", "noi dung giao"),
    "lead": ("don vi chu tri", "chu tri", "co quan chu tri", "don vi chu tri thuc hien", "co quan don vi chu tri",
             "don vi thuc hien", "co quan thuc hien", "don vi duoc giao", "co quan duoc giao", "don vi",
             "don vi chiu trach nhiem", "co quan tham muu", "don vi tham muu", "don vi chu quan"),
    "support": ("don vi phoi hop", "phoi hop", "co quan phoi hop", "don vi phoi hop thuc hien",
                "co quan don vi phoi hop"),
    "deadline": ("han xu ly", "han", "thoi han", "thoi han xu ly", "han hoan thanh", "thoi han hoan thanh",
                 "han bao cao", "thoi han bao cao", "thoi gian hoan thanh", "han chot", "han giai quyet",
                 "thoi han thuc hien", "han thuc hien"),
    "assigned_on": ("ngay giao", "ngay giao nhiem vu", "ngay giao viec", "ngay nhan", "ngay nhan nhiem vu",
                    "ngay chi dao"),
    "completed_on": ("ngay hoan thanh", "ngay hoan thanh thuc te", "ngay xong", "ngay bao cao hoan thanh",
                     "hoan thanh ngay", "thoi gian hoan thanh thuc te"),
    "status": ("trang thai", "tinh trang", "trang thai thuc hien", "tinh trang thuc hien", "tien do",
               "tien do thuc hien", "tinh hinh thuc hien"),
    "note": ("ghi chu", "chu thich", "ghi chu khac"),
}
_HINT = re.compile(r"\(.*?\)|\[.*?\]")
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_BY_NAME = {name: field for field, names in SYNONYMS.items() for name in names}
MAX_WORDS = 10  # a longer cell is a title or a sentence, not a column's title
FUZZY_SCORE, FUZZY_MARGIN = 86.0, 4.0


@dataclass(frozen=True)
class Column:
    index: int  # 0-based
    header: str  # as written in the sheet
    field: str  # one of FIELDS
    how: str  # "name": a known title | "words": holds one | "spelling": a near spelling


def header_key(text: str) -> str:
    """A title as compared: folded, without hints in brackets, punctuation as spaces."""
    return " ".join(_PUNCTUATION.sub(" ", fold(_HINT.sub(" ", text))).split())


def understand(text: str) -> tuple[str, str] | None:
    """The field a column title stands for and how it was recognised, or None."""
    key = header_key(text)
    if not key or len(key.split()) > MAX_WORDS:
        return None
    if key in _BY_NAME:
        return _BY_NAME[key], "name"
    padded = f" {key} "
    held = sorted((name for name in _BY_NAME if len(name.split()) > 1 and f" {name} " in padded), key=len, reverse=True)
    if held and (len(held) == 1 or len(held[0]) > len(held[1]) or _BY_NAME[held[0]] == _BY_NAME[held[1]]):
        return _BY_NAME[held[0]], "words"
    best: dict[str, float] = {}
    for name, field in _BY_NAME.items():
        if len(name) >= 4:
            best[field] = max(best.get(field, 0.0), fuzz.ratio(key, name))
    ranked = sorted(best.items(), key=lambda kv: -kv[1])
    if ranked and ranked[0][1] >= FUZZY_SCORE and (len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= FUZZY_MARGIN):
        return ranked[0][0], "spelling"
    return None


_RANK = {"name": 0, "words": 1, "spelling": 2}


def read_row(values: list[str]) -> dict[str, Column]:
    """Each field's column in a header row; where two columns claim a field, the surer reading (then the
    first) wins."""
    found: dict[str, Column] = {}
    for index, value in enumerate(values):
        meaning = understand(value) if value else None
        if meaning is None:
            continue
        field, how = meaning
        held = found.get(field)
        if held is None or _RANK[how] < _RANK[held.how]:
            found[field] = Column(index, value, field, how)
    return found
