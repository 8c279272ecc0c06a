"""The fixed lines of an administrative document (Nghị định 30/2020/NĐ-CP), put right after OCR.

The motto, the signer's titles and «Nơi nhận:» are set in capitals or bold, often under the stamp, and
the Vietnamese model loses their accents first ("PHO CHU TỊCH", "TĨNH ĐỒNG THÁP"); the notice reader
finds the leader and the end of the body by them. A line that is one of them once accents and
punctuation are set aside (and a letter in ten misread) is written as it should be; every other line is
left as Tesseract read it. Lines without two letters in them, and the lines between the signer's title
and their name, are what is left of a stamp or a signature and are dropped."""

from __future__ import annotations

import re

from rapidfuzz.distance import Levenshtein

from bot.domain.units import fold

FORMULAE = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "ỦY BAN NHÂN DÂN", "VĂN PHÒNG",
    "THÔNG BÁO", "Nơi nhận:", "- Như trên;", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "TL. CHỦ TỊCH",
    "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG",
)
SIGNERS = frozenset({"CHỦ TỊCH", "PHÓ CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"})
SIGNATURE_LINES = 4
# The issuer's upper line: "UBND TỈNH …", "ỦY BAN NHÂN DÂN TỈNH …", "TỈNH …" (its place is left alone).
_PROVINCE = re.compile(r"^(UBND |ỦY BAN NHÂN DÂN |UỶ BAN NHÂN DÂN )?(T\S{1,2}NH) (?=\S)")
_KEY = re.compile(r"[^a-z]+")


def _key(text: str) -> str:
    return _KEY.sub("", fold(text))


_BY_KEY = {_key(f): f for f in FORMULAE}


def mend(text: str) -> str:
    out: list[str] = []
    for line in text.split("\n"):
        if line and sum(ch.isalpha() for ch in line) < 2:
            continue
        if (formula := _formula(_key(line))) is not None:
            line = formula
        elif line.isupper() and (m := _PROVINCE.match(line)) and fold(m[2]) == "tinh":
            line = line[: m.start(2)] + "TỈNH" + line[m.end(2):]
        out.append(line)
    return "\n".join(_signed(out))


def _signed(lines: list[str]) -> list[str]:
    """Between the signer's title and their name lie the signature and the stamp: what Tesseract made of
    them (a few lines of marks) is dropped when a name follows within SIGNATURE_LINES lines."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        out.append(lines[i])
        if lines[i] in SIGNERS:
            name = next((k for k in range(i + 1, min(len(lines), i + 2 + SIGNATURE_LINES)) if _is_name(lines[k])),
                        None)
            if name is not None:
                i = name - 1
        i += 1
    return out


def _is_name(line: str) -> bool:
    """A person's name as a signature block prints it: two to five words, each a capital and small letters."""
    words = line.split()
    return 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def _formula(key: str) -> str | None:
    """The formula this line is, allowing a letter misread in every ten (none in a short one)."""
    if (formula := _BY_KEY.get(key)) is not None or len(key) < 8:
        return formula
    for known, formula in _BY_KEY.items():
        if Levenshtein.distance(key, known, score_cutoff=len(known) // 10) <= len(known) // 10:
            return formula
    return None
