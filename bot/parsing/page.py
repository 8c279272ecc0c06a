"""Lines of a pasted page that hold no task of their own: a citizen's petition and the answer's heading, who attended or
joined a meeting, who a team is made of, a telegram's addressees, a meeting's schedule, a photo's caption or a link of
the page, a sub-heading left between two paragraphs, a title line. The directive reader (`bot.parsing.directives`)
asks these about a line or a clause before reading units and tasks in it."""

from __future__ import annotations

import re

from bot.parsing.normalise import LIST_MARKER, Analysed
from bot.parsing.unit_index import UnitIndex

_PETITION = re.compile(r"\s*(?:(?:cong\s+dan|nguoi\s+dan|ho\s+dan|ba\s+con|doanh\s+nghiep|cu\s+tri)\s+)?"
                       r"(?:kien\s+nghi|phan\s+anh|to\s+cao|khieu\s+nai)\b(?!\s+(?:cua|nay|tren|neu))")


def petition(msg: Analysed, start: int, end: int) -> bool:
    """"Kiến nghị về việc …", "Công dân phản ánh …", "Ông X (…), trú tại …, kiến nghị …": what a citizen or
    a business asked, not a task."""
    if _PETITION.match(msg.folded, start) is not None:
        return True
    if _VOTERS.match(msg.folded, start) is not None and _ASKS.search(msg.folded, start, end) is not None:
        return True  # "Cử tri xã X, huyện Y đề nghị: …"
    return _CITIZEN.match(msg.folded, start) is not None and _SAYS.search(msg.folded, start, end) is not None


ISSUER_FIRST = re.compile(r"\s*(?:(?:pho\s+)?chu\s+tich\s+)?(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+(?:tinh|thanh\s+pho)\b")
ANSWER = re.compile(r"\s*(?:tra\s+loi|y\s+kien\s+tra\s+loi|thong\s+tin\s+phan\s+hoi)\b")
def citizen_asks(msg: Analysed, start: int, end: int) -> bool:
    """"Bà Nguyễn Thị T ở thôn Giữa, xã Quất Lưu: Đề nghị tổ chức …": a line that names a citizen, then what she asked
    after a colon (an answer to voters' petitions quotes each one so); the answer follows on its own line."""
    m = _CITIZEN_NAMED.match(msg.folded, start, end)
    return m is not None and _LIVES.search(msg.folded, start, m.end()) is not None \
        and _OFFICIAL.search(msg.folded, start, m.end()) is None and _ANSWERED.search(msg.folded, m.end(), end) is None


_CITIZEN = re.compile(r"\s*(?:cac\s+)?(?:ong|ba|ho\s+dan|cong\s+dan|nguoi\s+dan|cu\s+tri)\b")
_SAYS = re.compile(r"\b(?:kien\s+nghi|trinh\s+bay|phan\s+anh|to\s+cao|khieu\s+nai)\b")
_VOTERS = re.compile(r"\s*(?:cac\s+)?(?:ho\s+dan|cong\s+dan|nguoi\s+dan|cu\s+tri)\b")
_ASKS = re.compile(r"\bde\s+nghi\b")
_CITIZEN_NAMED = re.compile(r"\s*(?:ong|ba|ho\s+dan|cong\s+dan)\s[^.;:\n]{3,120}:\s*(?:de\s+nghi|kien\s+nghi"
                            r"|phan\s+anh|hoi)\b")
# where the citizen lives ("ở thôn Giữa, xã …"), and no office held ("Ông X, Phó Chủ tịch UBND tỉnh: Đề nghị …" is the
# leader speaking); the answer given on the same line ("… Trả lời: Giao Sở X …") is read
_LIVES = re.compile(r"\b(?:o|tru\s+tai|tru\s+o|ngu\s+tai)\s+(?:thon|xom|ap|ban|to|khu|xa|phuong|so\s+nha|duong)\b")
_OFFICIAL = re.compile(r"\b(?:chu\s+tich|giam\s+doc|bi\s+thu|truong\s+(?:ban|phong)|pho\s+\w+|ubnd|uy\s+ban|so|tinh\s+uy"
                       r"|can\s+bo|lanh\s+dao)\b")
_ANSWERED = re.compile(r"\btra\s+loi\b")


# A sentence that tells who attended a visit or a meeting ("Cùng đi có …", "Tham dự buổi làm việc có …"), and a
# clause that tells whom the leader heard ("Sau khi nghe lãnh đạo Sở X, thị xã Y … báo cáo …"): units named, no task.
ATTENDS = re.compile(r"[\s\W]*(?:cung\s+(?:di|du|tham\s+du)|tham\s+du|du)\s+(?:(?:buoi|cuoc|phien)\s+(?:\S+\s+){1,4}?|hop\s+)?co\s")
ATTENDS_MEETING = re.compile(r"(?:(?:se|cung|truc\s+tiep)\s+)*(?:du|tham\s+du|tham\s+gia)\s+(?:cuoc\s+|phien\s+|buoi\s+)?"
                              r"(?:hop|hoi\s+nghi|giao\s+ban|lam\s+viec)\b")
# "Tham gia cùng Chủ tịch UBND tỉnh trong ngày tiếp công dân có lãnh đạo Văn phòng …", "UBND tỉnh cũng kính mời
# Thường trực HĐND tỉnh … cùng dự": who joins or is invited, no task.
JOINS = re.compile(r"[\s\W]*(?:(?:tham\s+gia|cung\s+tham\s+gia|di)\s+cung\b[^.;:]{0,120}?\bco\s"
                   r"|(?:tham\s+gia|cung\s+di\s+trong|di\s+cung)\s+doan\s+(?:cong\s+tac\s+|kiem\s+tra\s+)?(?:con\s+)?co\s)")
INVITED = re.compile(r"[^.;]{0,60}?\bkinh\s+moi\b")
# "Thành phần đoàn kiểm tra bao gồm …", "Ban chỉ đạo còn có lãnh đạo Công an tỉnh, …": who a team is made of, no task.
MEMBERS = re.compile(r"[\s\W]*(?:thanh\s+phan\s+(?:cua\s+)?(?:doan|to|ban|hoi\s+dong|nhom)\b[^.;:]{0,60}?\b(?:bao\s+gom|gom)\b"
                      r"|(?:ban\s+chi\s+dao|ban\s+chi\s+huy|to\s+cong\s+tac|doan\s+kiem\s+tra|doan\s+cong\s+tac|hoi\s+dong)"
                      r"\s+(?:con\s+)?(?:co|gom|bao\s+gom)\s)")
PARTICIPANTS = re.compile(r"\s*(?:thanh\s+phan(?:\s+(?:tham\s+du|du\s+hop|moi|lam\s+viec))*|kinh\s+gui)\s*:")
TELEGRAM_TO = re.compile(r"\bdien\s*:\s*$")
ASSIGNING = re.compile(r"\b(?:giao|yeu\s+cau|de\s+nghi|chi\s+dao|chu\s+tri)\b")
SCHEDULE = re.compile(r"\s*(?:tu\s+)?\d{1,2}\s*(?:h|gio)\s*\d{0,2}\s*['’′]?\s*(?:phut\s*)?(?:[,-]|ngay\b)")


# A photo caption or a link of the page the text was copied from: "… (Ảnh: Phạm Hơn)", "… ẢNH: ĐỨC NHẬT", "… - Ảnh 1",
# "Ảnh minh họa", an image's file name, "Xem thêm: …", a table cell's "… |".
_CAPTION = re.compile(r"(?:^|[\s(.\-–])anh(?:\s+minh\s+hoa)?\s*:\s*[^:;\n]{1,40}?\)?\.?[ \t]*$|[\-–][ \t]*anh[ \t]*\d{1,2}\.?[ \t]*$"
                      r"|^[ \t]*anh\s+minh\s+hoa\b|\.(?:jpe?g|png|gif|webp)[ \t]*$|^[ \t]*xem\s+them\s*:|(?:^|\s)\|[ \t]*$",
                      re.IGNORECASE | re.MULTILINE)


# A caption's credit after its last full stop, capitalised, at the end of a line: "… găm hàng. Ảnh minh họa".
_CREDIT_AFTER = re.compile(r"[.!?]\s+Ảnh\s+(?:minh\s+h(?:ọa|oạ)|tư\s+liệu)[ \t]*$", re.MULTILINE)


def caption_line(msg: Analysed, start: int, end: int) -> bool:
    """A line of the page around the text, not of the text: a photo caption (with its credit at its end, or the line
    above a credit line of its own: "… không chuyển biến 1" / "Ảnh: NLD"), an image's file name, a link."""
    line_start = msg.text.rfind("\n", 0, start) + 1
    if _CAPTION.search(msg.folded, line_start, end):
        return True
    if _CREDIT_AFTER.search(msg.text, line_start, end) and msg.text[end:].strip():
        return True  # "Tỉnh yêu cầu xử lý nghiêm … găm hàng. Ảnh minh họa" between two paragraphs: the photo's caption
    nxt = end + 1
    if nxt >= len(msg.text) or msg.text[end:nxt] != "\n" or msg.text[start:end].rstrip()[-1:] in (".", ";", ":", "!", "?"):
        return False
    # the photo's title, on the line above its caption ("Bình Thuận: Chủ tịch UBND tỉnh chỉ đạo làm rõ vụ …")
    next_end = msg.text.find("\n", nxt) % (len(msg.text) + 1)
    return _CAPTION.search(msg.folded, nxt, next_end) is not None


_BARE_LINE_WORDS = 20  # syllables


def between_paragraphs(msg: Analysed, index: UnitIndex, start: int, end: int) -> bool:
    """A short line with no stop at its end, naming no unit, between two paragraphs that end with one: a photo's
    caption or a sub-heading left on the page ("Chủ tịch UBND tỉnh chỉ đạo thực hiện công tác tổ chức Tết"), no task."""
    line_start, line_end = msg.text.rfind("\n", 0, start) + 1, msg.text.find("\n", end)
    if line_start == 0 or line_end < 0 or not msg.text[line_end:].strip():
        return False
    line = msg.text[line_start:line_end].strip()
    if not line or line[-1] in ".;:!?…\"”)" or len(line.split()) > _BARE_LINE_WORDS or LIST_MARKER.match(line):
        return False
    before = msg.text[:line_start].rstrip()
    after_line = msg.text[line_end:].strip().split("\n", 1)[0].rstrip()
    if before[-1:] not in (".", "!", "?", "”", '"', "…") or after_line[-1:] not in (".", "!", "?", "”", '"', "…", ":"):
        return False
    first, last = msg.token_at_or_after(line_start), msg.token_at_or_after(line_end)
    return not any(m.kind in ("unit", "group") for m in index.find_all(msg, first, last))


# What a photo shows: "Đặc khu Phú Quốc nhìn từ trên cao", "Quang cảnh buổi làm việc", "Chủ tịch UBND tỉnh phát biểu
# chỉ đạo tại phiên họp", "… kiểm tra thực địa tại …".
_SHOWN = re.compile(r"\b(?:nhin\s+tu\s+tren\s+cao|toan\s+canh|quang\s+canh|phat\s+bieu\s+(?:chi\s+dao|ket\s+luan|tai)"
                    r"|chu\s+tri\s+(?:buoi|cuoc|phien|hoi)|kiem\s+tra\s+(?:thuc\s+te|thuc\s+dia)|(?:trao|tang)\s+qua"
                    r"|tham\s+hoi|neu\s+y\s+kien)\b")


def photo_caption(msg: Analysed, start: int, end: int) -> bool:
    """A short line with no stop at its end telling what a photo shows, units named in it or not, between paragraphs."""
    line = msg.text[start:end].strip()
    if not line or line[-1] in ".;:!?…" or len(line.split()) > _BARE_LINE_WORDS or start == 0 \
            or not msg.text[end:].strip() or ASSIGNING.search(msg.folded, start, end):
        return False
    return _SHOWN.search(msg.folded, start, end) is not None


def heading_line(msg: Analysed, start: int, end: int) -> bool:
    """A title line: in capitals ("THÔNG TIN PHẢN HỒI"), or a letter's subject ("V/v …")."""
    line = msg.text[start:end].strip()
    letters = [ch for ch in line if ch.isalpha()]
    if len(line.split()) >= 2 and letters and all(ch.isupper() for ch in letters):
        return True
    return re.match(r"v/v\b", msg.folded[start:end].strip()) is not None
