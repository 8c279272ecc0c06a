"""Who signed a notice, from its sign-off block at the foot."""

from __future__ import annotations

import re

# The sign-off at the foot: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / (Đã ký) / Nguyễn Văn A", "TM. ỦY BAN NHÂN DÂN /
# CHỦ TỊCH / Nguyễn Văn B". The title line, then within a few lines the signer's name.
_SIGN_TITLE = re.compile(r"^[ \t]*(?P<title>(?:(?:QUYỀN|PHÓ)\s+)?CHỦ\s+TỊCH(?:\s+THƯỜNG\s+TRỰC)?)[ \t]*$", re.MULTILINE)
_SIGN_SKIP = re.compile(r"^\W*(?:\(?\s*(?:đã\s+ký|ký|ký\s+bởi|signed|chữ\s+ký|đóng\s+dấu)[^\n]*)?\W*$", re.IGNORECASE)
_SIGN_NAME = re.compile(r"^[ \t]*(?P<name>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:[ \t]+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,4})[ \t]*$")
_TITLES = {"CHỦ TỊCH": "Chủ tịch", "PHÓ CHỦ TỊCH": "Phó Chủ tịch", "QUYỀN CHỦ TỊCH": "Quyền Chủ tịch",
           "CHỦ TỊCH THƯỜNG TRỰC": "Chủ tịch", "PHÓ CHỦ TỊCH THƯỜNG TRỰC": "Phó Chủ tịch Thường trực"}
_SIGN_LINES = 5
_CITY = re.compile(r"(?:UBND|ỦY\s+BAN\s+NHÂN\s+DÂN|UỶ\s+BAN\s+NHÂN\s+DÂN)\s+THÀNH\s+PHỐ")


def sign_off(text: str) -> str | None:
    """The leader who signed the notice, read from its sign-off ("Phó Chủ tịch UBND tỉnh Nguyễn Văn A"), or
    None when it has none."""
    for title in reversed(list(_SIGN_TITLE.finditer(text))):
        lines = text[title.end():].split("\n")[1:_SIGN_LINES + 1]
        for line in lines:
            name = _SIGN_NAME.match(line)
            if name and not _SIGN_TITLE.match(line):
                said = " ".join(w.capitalize() if name["name"].isupper() else w for w in name["name"].split())
                words = " ".join(title["title"].split())
                level = "thành phố" if _CITY.search(text) else "tỉnh"
                return f"{_TITLES.get(words, words.capitalize())} UBND {level} {said}"
            if not _SIGN_SKIP.match(line):
                break
    return None
