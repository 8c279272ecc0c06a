"""What a pasted article tells rather than asks: the news of a day after a task, what a report or a forecast says, what
units reported at a meeting, a weekly digest of decisions, units in a figure and what a unit already did. The directive
reader (`bot.parsing.directives`) asks these about a clause before taking it as a task or as part of one."""

from __future__ import annotations

import re
from datetime import date

from bot.parsing.normalise import Analysed
from bot.parsing.roles import find_roles
from bot.parsing.unit_index import UnitIndex

# "Thời gian qua, tỉnh đã nỗ lực …", "Hiện nay, các địa phương đang …": what has been done or is under way, told
# "Theo báo cáo của Trung tâm …, trong tháng 10 vừa qua, số hồ sơ …", "Theo dự báo, …", "Thông tin từ Trung tâm Dự báo …,
# dự báo trong 12 giờ tới …": what a report or a forecast says
_LOOKS_BACK = re.compile(r"[\s\W]*(?:thoi\s+gian\s+(?:vua\s+)?qua|nhung\s+nam\s+qua|(?:hien\s+nay|hien\s+tai)(?=\s*,[^.;]*\bdang\b)"
                         r"|theo\s+(?:bao\s+cao|so\s+lieu|thong\s+ke|du\s+bao|ban\s+tin|ghi\s+nhan)"
                         r"(?:\s+(?:cua|tu)\s+[^,.;:]{1,90})?|thong\s+tin\s+tu\s+[^,.;:]{1,90})\s*,")
# "Chiều 29/10, Chủ tịch UBND tỉnh dẫn đầu đoàn công tác …", "Tiếp đó, đoàn công tác di chuyển …", "Tính đến trưa 19-9, xã X
# đã vận động …": the news of a day after the task, when it reads as news ("Ngày 3/10, các bệnh viện phải báo cáo …",
# "Tiếp đó, tổ chức vệ sinh môi trường …" still go on with it)
_NEWS_OF_A_DAY = re.compile(r"[\s\W]*(?:(?:tinh\s+den\s+)?(?:sang|chieu|toi|trua|dem|ngay)\s+(?:nay\s*[-–]?\s*)?\d{1,2}"
                            r"\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{2,4})?|tiep\s+do)\s*,")
_NEWS_TOLD = re.compile(r"\b(?:da|dan\s+dau|doan\s+cong\s+tac|di\s+chuyen|chu\s+tri\s+(?:cuoc|buoi|phien|hoi\s+nghi))\b")
_MUST_DO = re.compile(r"\b(?:phai|can|khan\s+truong)\b")


# "Đây là mỏ đá mà báo từng phản ánh …", "Vụ việc khiến 6 hộ dân …": what the article explains after the task
_EXPLAINS = re.compile(r"[\s\W]*(?:day\s+la|vu\s+viec\s+(?:khien|lam|gay|xay\s+ra))\b")


_DEMANDS = re.compile(r"\b(?:phai|can|de\s+nghi|yeu\s+cau|bao\s+cao|trinh|hoan\s+thanh|giao|chi\s+dao|khan\s+truong)\b")


def looks_back(msg: Analysed, c_start: int, c_end: int) -> bool:
    """What was done or reported, told after a task: it ends that task when nobody is assigned in it."""
    if _EXPLAINS.match(msg.folded, c_start):
        # (not "Đây là nhiệm vụ cấp bách, phải hoàn thành trước …", "Vụ việc khiến …, yêu cầu xử lý nghiêm …")
        return _DEMANDS.search(msg.folded, c_start, c_end) is None
    if _NEWS_OF_A_DAY.match(msg.folded, c_start):
        return _NEWS_TOLD.search(msg.folded, c_start, c_end) is not None
    return _LOOKS_BACK.match(msg.folded, c_start) is not None and not _MUST_DO.search(msg.folded, c_start, c_end)


# "Tại buổi tiếp, đại diện lãnh đạo Ban Tiếp công dân tỉnh báo cáo tiến độ …", "Mở đầu buổi làm việc, Ban X báo cáo …":
# what was reported at the meeting, not a task
_REPORTED_AT_MEETING = re.compile(r"[\s\W]*(?:(?:tai|trong)\s+(?:buoi|cuoc|phien)\b[^.;:,]{0,40},\s*)?(?:dai\s+dien\s+"
                                  r"(?:lanh\s+dao\s+)?[^.;:]{0,120}?\bbao\s+cao\b|mo\s+dau\s+(?:buoi|cuoc|phien)\b)")
# "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần (…)", and the digest's closing line that names it again: a weekly
# digest of decisions taken
_DIGEST = re.compile(r"[^.;:\n]{0,200}?\b(?:chi\s+dao,?\s+)?dieu\s+hanh\s+noi\s+bat\b")


def reported_at_meeting(msg: Analysed, index: UnitIndex, c_start: int, first: int, last: int, item_last: int) -> bool:
    """What units reported at a meeting, when the clause assigns nothing ("Mở đầu cuộc họp, Chủ tịch UBND tỉnh yêu cầu
    các sở, ngành báo cáo …" is a task)."""
    if not _REPORTED_AT_MEETING.match(msg.folded, c_start):
        return False
    found = find_roles(msg, index, first, last, item_last)
    return found is None or not found.assigned


def digest_heading(msg: Analysed, c_start: int) -> bool:
    return _DIGEST.match(msg.folded, c_start) is not None


# "… của UBND các huyện Phù Mỹ, TX.An Nhơn và TP.Quy Nhơn là 40 hồ sơ": units in a figure, not a subject given work;
# "Sở Giáo dục và Đào tạo cũng đã thông báo đến các xã …": what a unit did, told as news, no task given to it
_A_FIGURE = re.compile(r"\s*la\s+\d")
# (not "vừa kiểm tra vừa hướng dẫn …", both at once, nor "đã và đang …, cần tiếp tục …")
_DID = re.compile(r"\s*(?:cung\s+)?(?:da|vua)\s+(?!duoc\b|co\s+trach\b|va\s+dang\b)(?![^.;]{0,60}\bvua\b)")

# "Giới thiệu ông X, Giám đốc Sở Y bầu giữ chức vụ Phó Chủ tịch UBND tỉnh": a person elected or relieved, not a unit's task
_ELECTED = re.compile(r"\s*(?:(?:duoc\s+)?(?:bau\s+giu\s+chuc|trung\s+cu)|duoc\s+(?:bau|mien\s+nhiem|bo\s+nhiem|dieu\s+dong)"
                      r"|(?:va\s+)?(?:thoi\s+)?giu\s+chuc\s+(?!vu\b|nang\b))")  # "… và giữ chức Phó Bí thư …" (not "thôi giữ chức vụ đối với …", "giữ chức năng thường trực")

# "Chủ tịch UBND xã X cho biết trên địa bàn xã xuất hiện sạt lở …": what a unit or its head says, reported
# "Thành phố Huế chính thức trở thành thành phố trực thuộc Trung ương …": what a unit became
_SAYS = re.compile(r"\s*(?:cung\s+)?(?:cho\s+biet|chia\s+se|khang\s+dinh|nhan\s+dinh|thong\s+tin\s+(?:them|rang)"
                   r"|(?:chinh\s+thuc\s+)?tro\s+thanh)\b")


# "Huyện Sìn Hồ sạt lở 2 đoạn trên tuyến đường …", "TP Hòa Bình, sạt lở đất ở phía Đông …": what a disaster did to a place
_STRUCK = re.compile(r"\s*,?\s*(?:bi\s+)?(?:sat\s+lo|sut\s+lun|ngap\s+(?:lut|ung|sau)|lu\s+quet|lu\s+ong|hu\s+hong|thiet\s+hai)\b")


# … unless the damage is what must be dealt with: "hư hỏng … phải được khắc phục", "ngập sâu tổ chức sơ tán dân" (not what
# was done: "… ngập sâu, lực lượng chức năng đã tổ chức sơ tán …")
_DONE = re.compile(r"\b(?:da|vua)\b")
_DEALT_WITH = re.compile(r"(?<!\bda\s)\b(?:phai|can|khan\s+truong|to\s+chuc|khac\s+phuc|sua\s+chua|thong\s+ke|bao\s+cao"
                         r"|xu\s+ly|so\s+tan|di\s+doi|kiem\s+tra|ra\s+soat|trien\s+khai|bo\s+tri|huy\s+dong)\b")
_CLAUSE_END = re.compile(r"[.;\n]")


def told_as_news(msg: Analysed, content_start: int) -> bool:
    """A subject-first clause whose verb tells a figure, what the unit already did or what it says, or what struck it."""
    if any(p.match(msg.folded, content_start) is not None for p in (_A_FIGURE, _DID, _SAYS, _ELECTED)):
        return True
    if _STRUCK.match(msg.folded, content_start) is None:
        return False
    stop = _CLAUSE_END.search(msg.folded, content_start)
    dealt = _DEALT_WITH.search(msg.folded, content_start, stop.start() if stop else len(msg.folded))
    return dealt is None or _DONE.search(msg.folded, content_start, dealt.start()) is not None


# "Sáng 8-8, tại phường Bà Rịa, Sở Xây dựng TPHCM tổ chức Lễ công bố …", "Sáng cùng ngày (15/8), Ban Chỉ huy … tổ chức
# phiên họp đầu tiên …": a unit holding a ceremony or a meeting that day, told as news (a day named, not after the
# message's own: "Ngày 28/11, Sở X tổ chức cuộc họp …" in a notice sent before is a task; "Ngay sau khi …" is no day;
# "Chiều nay, Bộ Chỉ huy … tổ chức cuộc họp để bố trí lực lượng" in a telegram is a task too)
_THAT_DAY = re.compile(r"[\s\W]*(?:(?:sang|chieu|toi|trua|ngay)\s+(?:cung\s+ngay|(?:(?:thu\s+\w+|chu\s+nhat)\s*\(?\s*)?"
                       r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?)|cung\s+ngay"
                       r"|(?P<today>(?:sang|chieu|toi|trua)\s+nay|hom\s+nay))\b[^.;:\n]{0,100},")
_HELD = re.compile(r"\s*(?:da\s+)?(?:to\s+chuc|chu\s+tri)\s+(?:(?P<ceremony>le|hoi\s+nghi\s+(?:so\s+ket|tong\s+ket|giao\s+ban))"
                   r"|phien\s+hop|cuoc\s+hop|buoi\s+(?:le|hop|lam\s+viec|tiep))\b")


def held_that_day(msg: Analysed, sentence_start: int, content_start: int, today: date) -> bool:
    """A subject-first clause in a sentence opened by that day's time, whose verb holds a ceremony or a meeting."""
    day = _THAT_DAY.match(msg.folded, sentence_start)
    held = _HELD.match(msg.folded, content_start)
    if day is None or held is None:
        return False
    if day["today"] is not None:
        # "Sáng nay, Công an tỉnh tổ chức Lễ ra quân …"; a meeting "chiều nay" may be a telegram's task
        return held["ceremony"] is not None
    if msg.text[day.start():day.end()].lstrip(" \t\n-–•*+").lower().startswith("ngay "):
        return False  # "Ngay sau khi …", "Ngay trong tối nay, …": at once, no day told
    if day["d"] is None:
        return True
    try:
        when = date(int(day["y"] or today.year), int(day["m"]), int(day["d"]))
    except ValueError:
        return False
    return when <= today
