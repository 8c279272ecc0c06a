"""Who a clause of a directive assigns: the lead units, the units that support them, and where the task
itself begins.

A clause may open with an assignment verb ("Giao X chủ trì, phối hợp với Y …"), with the issuer
speaking first ("UBND tỉnh yêu cầu X …", "Chủ tịch UBND tỉnh vừa có công văn giao X …"), with its
subject ("X phối hợp Y …"), or with an opening phrase before any of these ("Theo đó, …", "Điều 2.").
Units are read as lists joined by commas, "và" and ";", sharing a head word ("các Sở: Tài chính, Xây
dựng"); generic phrases ("các đơn vị liên quan") are read but assign nobody.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from bot.parsing.normalise import Analysed, name_tokens
from bot.parsing.unit_index import BODY_HEADS, Mention, UnitIndex, dateline_end


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((name_tokens(t) for t in texts), key=len, reverse=True))


_ASSIGN = _phrases("giao", "giao cho", "giao nhiệm vụ cho", "đề nghị", "yêu cầu", "chỉ đạo", "phân công",
                   "phân công cho", "ủy quyền cho", "ủy quyền", "giao trách nhiệm cho", "giao trách nhiệm",
                   # "Chủ tịch UBND tỉnh chỉ đạo và giao trách nhiệm cho Chủ tịch UBND xã, phường …": one verb, two words
                   "chỉ đạo và giao trách nhiệm cho", "chỉ đạo và giao nhiệm vụ cho", "chỉ đạo và giao")
# Verbs that assign only when someone speaks them ("Chủ tịch UBND tỉnh lưu ý / nhắc nhở / quán triệt / chỉ thị …").
_SPOKEN_ASSIGN = _phrases("lưu ý", "nhắc nhở", "quán triệt", "chỉ thị")
# Words that open a sentence before its subject: "Theo đó, UBND tỉnh yêu cầu …", "Đồng thời, giao …".
_OPENERS = _phrases("theo đó", "đồng thời", "ngoài ra", "bên cạnh đó", "cùng với đó", "trong đó", "cụ thể",
                    "mặt khác", "đối với", "tiếp đó", "sau đó", "vì vậy", "do đó", "tiếp theo", "thời gian tới",
                    "trong thời gian tới", "thời gian tiếp theo", "sắp tới", "trong thời gian tiếp theo", "từ nay",
                    "tới đây", "trước mắt", "về lâu dài", "về phía", "phía", "trong khi", "còn",
                    # "Chỉ đạo nội dung này, sau khi nghe …, Chủ tịch UBND tỉnh kết luận, giao …": on the matter raised
                    "chỉ đạo nội dung này", "chỉ đạo về nội dung này", "về nội dung này", "đối với nội dung này",
                    "chỉ đạo vấn đề này", "về vấn đề này", "đối với kiến nghị này", "về kiến nghị này")
# An issuer's sentence may name the letter it signed before the verb that assigns ("UBND tỉnh vừa có
# công văn số 12/UBND-KT giao …"); these say the issuer is about to assign, never what the task is.
_ISSUER_FILLER_LIMIT = 40
_ISSUER_FILLER_FAR = 80  # tokens, when the verb follows "và"
# Before a subject after a comma, a condition ("Trong quá trình triển khai nếu …, Sở X báo cáo") is no
# new task: it goes on with the directive before it.
_CONDITION = frozenset({"neu", "khi"})
_LEADS = _phrases("chủ trì", "làm đầu mối", "là đầu mối")
HELPS = _phrases("phối hợp", "phối hợp với", "phối hợp chặt chẽ với", "với sự phối hợp của",
                 "cùng phối hợp với", "cùng với", "phối hợp cùng")
# A person's title before a unit stands for the unit: "Giám đốc Sở Y tế", "Chủ tịch UBND xã Phú Vang".
_TITLES = _phrases("chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc", "thủ trưởng", "trưởng ban",
                   "lãnh đạo", "người đứng đầu", "chỉ huy trưởng", "cục trưởng", "chánh thanh tra",
                   "chánh văn phòng", "quyền chủ tịch", "trưởng các", "chi cục trưởng", "tổng giám đốc",
                   "bí thư", "phó bí thư", "phó bí thư thường trực",
                   # "… đề nghị các đồng chí thành viên Ban Chỉ huy X, …": the members of a body speak for it
                   "thành viên", "các thành viên", "đồng chí thành viên", "các đồng chí thành viên")
# The party committee whose secretary is named with the local government's chairman ("Bí thư Đảng ủy, Chủ tịch UBND …").
_PARTY_BODIES = _phrases("đảng ủy", "huyện ủy", "thị ủy", "thành ủy", "quận ủy", "cấp ủy", "đảng ủy xã", "đảng ủy phường")
# "Chủ tịch UBND tỉnh ghi nhận nỗ lực của hai phường X, Y và yêu cầu kiện toàn …": whom the leader praises before the
# request, with no one named after it, is whom the request is for.
_PRAISE = _phrases("ghi nhận", "biểu dương", "đánh giá cao", "khen ngợi", "hoan nghênh", "chúc mừng")


def _leader_before(msg: Analysed, index: UnitIndex, i: int) -> bool:
    """The sentence before token i names the province's leader ("Chủ tịch UBND tỉnh … cho rằng …, ông đề nghị …"):
    the pronoun that speaks at i is that leader, not a citizen."""
    begun = max((k + 1 for k in range(i) if msg.tokens[k].text in (".", "!", "?", "\n")), default=0)
    return any((m := index.match_at(msg, k)) is not None and m.kind == "issuer" and msg.texts[k] in ("chu", "pho", "lanh")
               for k in range(begun, i))


def _praised(msg: Analysed, index: UnitIndex, first: int, verb: int) -> list[Mention]:
    at = next((k + n for k in range(first, verb) if (n := starts(msg, k, _PRAISE))), None)
    if at is None:
        return []
    found: list[Mention] = []
    k = at
    while k < verb:
        units, end = unit_list(msg, index, k, verb) if _assignee_at(msg, index, k, verb) is not None else ([], k)
        named = [m for m in units if m.kind in ("unit", "group")]
        if not named:
            k += 1
            continue
        found += [m for m in named if all(f.code != m.code for f in found)]
        k = max(end, k + 1)
    return found


def praised(msg: Analysed, index: UnitIndex, first: int, verb: int) -> list[Mention]:
    """The units a sentence praises before its verb ("Ghi nhận sự nỗ lực của UBND huyện X và Y, … đề nghị …")."""
    return _praised(msg, index, first, verb)


_HELPS_ONLY = _phrases("phối hợp", "phối hợp thực hiện", "cùng phối hợp", "cùng phối hợp thực hiện")
# After a subject, words that report what it did or is, not a task given to it: "Sở X đã thống nhất …",
# "UBND huyện Y đang chỉ đạo …", "… huyện Cam Lộ do Văn phòng Chính phủ chuyển đến", "Sở X tại văn bản …".
_NOT_A_TASK = frozenset({"da", "dang", "vua", "do", "cua", "tai", "thuoc", "bi", "hien", "van", "chua", "khong",
                         "sang", "qua"})
_SUBMITTED = _phrases("tờ trình", "văn bản", "kiến nghị", "đơn", "báo cáo", "công văn", "ý kiến", "đề xuất",
                      "đề nghị", "thông báo", "quyết định")
_ISSUED = _phrases("ban hành", "ký ban hành", "đã ban hành", "vừa ban hành", "đã ký ban hành", "vừa ký ban hành",
                   "phát đi", "vừa phát đi", "đã phát đi", "ký", "đã ký", "vừa ký")
_DOCUMENTS = _phrases("văn bản", "công văn", "công điện", "quyết định", "chỉ thị", "kế hoạch", "thông báo")
_ROLE_SUBJECTS = _phrases("các chủ đầu tư", "chủ đầu tư các dự án", "các nhà thầu", "các đơn vị chủ đầu tư",
                          "các chủ đầu tư dự án", "các chủ đầu tư dự án đang thi công", "chủ đầu tư các dự án đang thi công",
                          "các nhà thầu thi công")
_ROLE_BARE = _phrases("chủ đầu tư", "nhà thầu thi công", "nhà thầu", "chủ dự án")
_OWNERS = ("các chủ đập", "các chủ hồ", "các chủ hồ đập", "các chủ rừng", "các chủ dự án", "các chủ công trình")
_OWNER_PHRASES = _phrases(*_OWNERS)


def _owners_at(msg: Analysed, i: int) -> int:
    """"các chủ đập", "các chủ hồ": owners of works, written so (not "các chủ hộ", households, folded alike)."""
    n = starts(msg, i, _OWNER_PHRASES)
    return n if n and " ".join(msg.original(i, i + n).lower().split()) in _OWNERS else 0
_TEAMS = _phrases("các tổ công tác", "các đoàn công tác", "các tổ kiểm tra", "các đoàn kiểm tra", "các tổ kiểm soát")
_MUST = _phrases("phải", "cần", "khẩn trương", "tập trung", "chủ động")
_SAID = _phrases("kiến nghị", "trình bày", "phản ánh", "tố cáo", "khiếu nại", "đề nghị", "nêu")
_STATEMENTS = _phrases("cho biết", "cho hay", "nhận định", "thông tin", "khẳng định", "chia sẻ", "phát biểu", "trình bày",
                       "báo cáo cho biết")
_SANCTIONS = frozenset({("se", "phai", "chiu", "trach", "nhiem"), ("phai", "chiu", "trach", "nhiem", "truoc"),
                        ("se", "bi", "xu", "ly", "trach")})
# A closing line that only orders the above carried out ("… và các đơn vị liên quan triển khai thực hiện.").
_CARRY_OUT = frozenset({"trien", "khai", "thuc", "hien", "to", "chuc", "nghiem", "tuc", "theo", "quy", "dinh"})
CARRY_OUT_FIRST = _CARRY_OUT | {"khan", "truong", "kip", "thoi", "day", "du"}
# Verbs whose object is a list of units that may run on after a "; " ("đôn đốc các sở; UBND các huyện …").
_OBJECT_VERBS = _phrases("đôn đốc", "hướng dẫn", "chỉ đạo", "yêu cầu", "đề nghị", "nhắc nhở", "gửi")


@dataclass
class Roles:
    lead: list[Mention]
    support: list[Mention]
    content_from: int  # token index where the task itself begins
    assigned: bool  # an assignment verb ("Giao", "Đề nghị" …) opened the clause
    past: bool = False  # told as done ("… đã chỉ đạo …"): it may be background, the draft asks
    spoken: bool = False  # someone speaks first ("UBND tỉnh yêu cầu …", "Ông X cũng yêu cầu …"): a new task


def names_someone(roles: Roles) -> bool:
    return any(m.kind in ("unit", "group", "unknown") for m in roles.lead)


def starts(msg: Analysed, i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the phrase at token i, 0 if none."""
    texts = msg.texts
    if i >= len(texts):
        return 0
    first = texts[i]
    for p in phrases:
        if p[0] == first and texts[i:i + len(p)] == p:
            return len(p)
    return 0


def _skip(msg: Analysed, i: int, last: int, punctuation: str = ",") -> int:
    while i < last and msg.tokens[i].text in punctuation:
        i += 1
    return i


_SITE_DATELINE = re.compile(r"\s*\(\s*[\w.]+\.(?:vn|com|net|org)\s*\)\s*[-–]\s*", re.IGNORECASE)
_THAT_IS = _phrases("đó là", "đây là")
_INSTRUCTION_NOUNS = _phrases("chỉ đạo", "yêu cầu", "đề nghị", "nội dung chỉ đạo", "ý kiến chỉ đạo", "yêu cầu chỉ đạo")
_TOWARDS = _phrases("đối với", "gửi", "với", "tới", "đến")


def names_of_instruction(msg: Analysed, index: UnitIndex, first: int, last: int) -> Roles | None:
    """"Đó là chỉ đạo của UBND tỉnh đối với các sở, ban, ngành, UBND các huyện …": an article whose headline
    is the task names its addressees after it; the task is the headline before."""
    i = _skip_opening(msg, first, last)
    if i < last and (site := _SITE_DATELINE.match(msg.text, msg.tokens[first].start)) is not None:
        i = _skip_opening(msg, msg.token_at_or_after(site.end()), last)  # "(binhdinh.gov.vn) - Đó là yêu cầu …"
    n = starts(msg, i, _THAT_IS)
    if not n or not (m := starts(msg, i + n, _INSTRUCTION_NOUNS)):
        return None
    for k in range(i + n + m, min(last, i + n + m + 20)):
        if t := starts(msg, k, _TOWARDS):
            lead, end = unit_list(msg, index, k + t, last)
            if any(x.kind in ("unit", "group") for x in lead):
                return Roles(lead, [], end, True, False, True)
            break
    of = i + n + m
    if msg.words(of, of + 1) == ("cua",) and (who := _issuer_named(msg, index, of + 1, last)):
        # "Đó là yêu cầu của Phó Chủ tịch UBND tỉnh … tại buổi làm việc …": the headline is the leader's task for
        # whom the text does not say; the draft asks
        return Roles([], [], who, True, False, True)
    return None


def _issuer_named(msg: Analysed, index: UnitIndex, i: int, last: int) -> int:
    """The end of the province's leader or committee named at token i (after a title), else 0."""
    if (speaker := index.match_at(msg, i)) is not None and speaker.kind == "issuer":
        return speaker.last
    return 0


def find_roles(msg: Analysed, index: UnitIndex, first: int, last: int, limit: int) -> Roles | None:
    """Who a clause assigns, read from its start, after an issuer ("UBND tỉnh yêu cầu X …"), or after a
    comma that ends an opening phrase ("Trước ngày 15/12, giao X …", "Hằng tháng, Sở X báo cáo …")."""
    if (forwarded := _forwarded_to(msg, index, first, last)) is not None:
        return forwarded
    if _told_as_past(msg, first, last):
        return None
    i = _skip_opening(msg, first, last)
    if _asks_the_province(msg, index, i, last):
        return None  # "…; yêu cầu tỉnh chỉ đạo, đôn đốc cơ quan chức năng, UBND cấp huyện giải quyết …": asked of the province
    if n := starts(msg, i, _BEFORE_THAT):
        roles = find_roles(msg, index, _skip(msg, i + n, last), last, limit)
        return replace(roles, past=True) if roles is not None else None
    if msg.words(i, i + 4) == ("chi", "dao", "cong", "tac") and msg.original_token(i) == "Chỉ":
        # "Chỉ đạo công tác phòng, chống bão số 11, UBND tỉnh tiếp tục phát đi công điện …": what the issuer acts on,
        # then the issuer; whom it tells, if anyone, comes after
        for k in range(i + 4, min(last - 1, i + 24)):
            if msg.tokens[k].text == "," and (who := index.match_at(msg, k + 1)) is not None and who.kind == "issuer":
                return _issuer_assigns(msg, index, k + 1, last, limit)
    roles = _issuer_assigns(msg, index, i, last, limit) or _roles_at(msg, index, i, last, limit)
    if roles:
        return roles
    if (passive := _passive_subject(msg, i, last, limit)) is not None:
        return passive
    if starts(msg, i, _BASIS):
        # "Thực hiện Công văn số 123/BYT-KHTC của Bộ Y tế …, Chủ tịch UBND tỉnh yêu cầu …": what the task rests on,
        # bodies named in it included, then the issuer speaking
        for k in range(i + 1, last - 1):
            if msg.tokens[k].text == "," and (roles := _issuer_assigns(msg, index, _skip_opening(msg, k + 1, last),
                                                                        last, limit)) is not None:
                return roles
    if (ordered := _by_order_of_the_issuer(msg, index, i, last, limit)) is not None:
        return ordered
    for k in range(i + 1, last - 1):
        if msg.tokens[k].text != "," or _in_brackets(msg, i, k):
            continue  # "… bờ sông Giao Hòa (ấp Châu Thành, xã Giao Long, Vĩnh Long) đã …": where it happened
        j = _skip_opening(msg, k + 1, last)
        if _address_goes_on(msg, i, k, j) or _said_from(msg, j, last):
            continue  # "… trú tại khu phố 2, phường 5, thành phố Đông Hà kiến nghị …": an address, not a subject
        if starts(msg, j, _ASSIGN):
            roles = _roles_at(msg, index, j, last, limit)
            if roles and roles.lead:
                return roles
            continue
        if _conditional(msg, i, k):
            continue
        if _reports_to(msg, i, k) or index.find_all(msg, i, k):
            # units named in an opening phrase ("Sau khi báo chí phản ánh … tại các huyện A, B, C, ông X - Chủ tịch
            # UBND tỉnh chỉ đạo …"): only someone speaking after it assigns, not the next name of the list
            title = starts(msg, j, _PERSON)  # "…, đồng chí Chủ tịch UBND tỉnh yêu cầu …": the leader by title
            speaks = _named_person(msg, j, last) is not None or (
                (who := index.match_at(msg, j + title)) is not None and who.kind == "issuer")
            j += title if speaks and _named_person(msg, j, last) is None else 0
            roles = _issuer_assigns(msg, index, j, last, limit) if speaks else None
            if roles and roles.assigned:
                return roles
            continue
        roles = _issuer_assigns(msg, index, j, last, limit)
        if roles is None and _LETTER_SAYS.match(msg.folded, msg.tokens[i].start):
            roles = _roles_at(msg, index, j, last, limit)
            if roles and roles.lead and all(m.kind == "generic" for m in roles.lead) and not roles.assigned \
                    and roles.content_from < last and msg.tokens[roles.content_from].text not in _NOT_A_TASK:
                # "Văn bản của UBND tỉnh nêu rõ, trong thời gian …, các đơn vị, địa phương chỉ đạo …": the letter
                # tells a generic subject a task; the draft asks whose
                return Roles([], roles.support, roles.content_from, True)
            roles = None
        if roles is None:
            roles = _roles_at(msg, index, j, last, limit)
            if roles and (roles.assigned or not names_someone(roles) or roles.content_from >= last
                          or not msg.tokens[roles.content_from].is_word or msg.tokens[roles.content_from].text == "de"):
                roles = None  # "… báo cáo về UBND tỉnh, Bộ X để theo dõi": whom a report goes to, for a purpose
        if roles:
            return roles
    return None


_BASIS = _phrases("thực hiện", "căn cứ", "trên cơ sở", "triển khai", "để", "nhằm", "xét")
# "Văn bản của UBND tỉnh nêu rõ, …", "Công điện yêu cầu, …": the letter speaks for the issuer.
_LETTER_SAYS = re.compile(r"(?:van\s+ban|cong\s+van|cong\s+dien|chi\s+thi|thong\s+bao|ke\s+hoach)\b[^,.;:]{0,60}?"
                          r"\b(?:neu\s+ro|nhan\s+manh|chi\s+ro|yeu\s+cau)\s*,")
_REPORT_TO = _phrases("báo cáo", "gửi", "trình", "xin ý kiến", "của")


# A place below a district ("xã Hải Ba", "phường 5", "thôn 3", "khu phố 2", "bản Co Pục") and the kinds of place above it.
_LOWER_PLACES = _phrases("xã", "phường", "thị trấn", "thôn", "khóm", "khu phố", "tổ dân phố", "bản", "ấp", "làng", "khu",
                         "đội", "xóm", "tổ")
_UPPER_PLACES = _phrases("huyện", "thị xã", "thành phố", "tp", "quận", "tỉnh")


def _in_brackets(msg: Analysed, first: int, k: int) -> bool:
    depth = 0
    for t in msg.tokens[first:k]:
        depth += (t.text == "(") - (t.text == ")")
    return depth > 0


def spoken_after(msg: Analysed, index: UnitIndex, first: int, last: int, limit: int) -> Roles | None:
    """"Sau khi lắng nghe công dân, lãnh đạo UBND xã X và …, Chủ tịch UBND tỉnh đã giao UBND xã X …": past whom the
    leader heard, the first comma after which someone speaks and assigns."""
    for k in range(first + 1, last - 1):
        if msg.tokens[k].text == "," and (roles := _issuer_assigns(msg, index, _skip_opening(msg, k + 1, last), last,
                                                                    limit)) is not None and roles.assigned:
            return roles
    return None


def _address_goes_on(msg: Analysed, first: int, k: int, j: int) -> bool:
    """The comma at k separates two parts of an address: a place below a district before it, a district, town or
    city after it ("… tại xã Hải Ba, huyện Hải Lăng về …")."""
    if not starts(msg, j, _UPPER_PLACES) or not msg.has_capitals:
        return False
    begun = max((p + 1 for p in range(first, k) if msg.tokens[p].text in (",", ";", ":")), default=first)
    place = next((p for p in range(begun, k) if starts(msg, p, _LOWER_PLACES)), None)
    return place is not None and place + starts(msg, place, _LOWER_PLACES) < k and (
        msg.original_token(place + starts(msg, place, _LOWER_PLACES))[0].isupper()
        or msg.tokens[place + starts(msg, place, _LOWER_PLACES)].text.isdigit())


# "Theo yêu cầu của UBND tỉnh, …", "Theo chỉ đạo của Chủ tịch UBND tỉnh, …": the province's own order opens the sentence
_BY_ORDER_OF = _phrases("theo yêu cầu của", "theo chỉ đạo của", "theo ý kiến chỉ đạo của", "thực hiện chỉ đạo của",
                        "thực hiện ý kiến chỉ đạo của")
_OBLIGED = re.compile(r"\b(?:phai|can)\b")


def _by_order_of_the_issuer(msg: Analysed, index: UnitIndex, i: int, last: int, limit: int) -> Roles | None:
    """"Theo yêu cầu của UBND tỉnh, Sở Y tế phải hoàn thành …": the units after the comma are told by the issuer; with
    none named, a clause that must be done ("…, việc cấp phát gạo phải được hoàn thành trước ngày …") is a task whose
    lead is asked."""
    n = starts(msg, i, _BY_ORDER_OF)
    if not n or (who := index.match_at(msg, i + n)) is None or who.kind != "issuer" \
            or who.last >= last or msg.tokens[who.last].text != ",":
        return None
    j = _skip_opening(msg, who.last + 1, last)
    if j >= last:
        return None
    roles = _roles_at(msg, index, j, last, limit, told=True)
    if roles and names_someone(roles):
        return Roles(roles.lead, roles.support, roles.content_from, True, roles.past, True)
    end = msg.tokens[min(last, limit) - 1].end if min(last, limit) > j else msg.tokens[j].end
    if roles is None and msg.tokens[j].text not in _NOT_A_TASK and _OBLIGED.search(msg.folded, msg.tokens[j].start, end):
        return Roles([], [], j, True, False, True)
    return None


def _reports_to(msg: Analysed, first: int, k: int) -> bool:
    """Before the comma at k, a verb whose objects are named ("… sẽ báo cáo Thủ tướng, Bộ Nông nghiệp …"), or whose
    bodies ("chỉ đạo của Thủ tướng Chính phủ, Ban Chỉ đạo …"): the names after the comma go on with that list, they
    are no subject; only the issuer speaking after it ("Theo đề nghị của Sở X, UBND tỉnh giao …") assigns."""
    for j in range(k - 1, first - 1, -1):
        if n := starts(msg, j, _REPORT_TO):
            return j + n < k and msg.has_capitals and msg.tokens[j + n].is_word \
                and msg.original_token(j + n)[0].isupper()
        if msg.tokens[j].text == "," and j + 1 < k and msg.tokens[j + 1].is_word \
                and not msg.original_token(j + 1)[0].isupper():
            return False  # "… nêu rõ, trong thời gian …,": a phrase in lower case, no list of names
        if msg.tokens[j].text in (";", ":"):
            return False
    return False
_FORWARD = _phrases("chuyển")
_FORWARD_TO = _phrases("đến", "tới", "cho")


def _forwarded_to(msg: Analysed, index: UnitIndex, first: int, last: int) -> Roles | None:
    """"Văn phòng UBND tỉnh chuyển nội dung nêu trên đến Ban X để nghiên cứu, xử lý", "UBND tỉnh đã chuyển đơn
    đến Chủ tịch UBND TP Y chỉ đạo kiểm tra …": whoever the issuer (or its office) forwards a matter to is told
    what follows."""
    for start in [first] + [k + 1 for k in range(first, last) if msg.tokens[k].text == ","]:
        if (roles := _forwarded_at(msg, index, _skip_opening(msg, start, last), last)) is not None:
            return roles
    return None


def _forwarded_at(msg: Analysed, index: UnitIndex, i: int, last: int) -> Roles | None:
    speaker = index.match_at(msg, i, unknown=True)
    if speaker is None or speaker.kind not in ("issuer", "unit", "unknown") or \
            (speaker.kind != "issuer" and msg.words(speaker.first, speaker.first + 2) != ("van", "phong")):
        return None  # the issuer or its office
    j = _past_name(msg, speaker.last, last) if speaker.kind == "issuer" else speaker.last
    while j < last and msg.tokens[j].text in ("da", "vua", "cung", "se"):
        j += 1
    if msg.words(j, j + 3) in (("co", "van", "ban"), ("co", "cong", "van")):
        j += 3  # "UBND tỉnh Hưng Yên có văn bản chuyển đơn đến UBND huyện X để xem xét …"
    if not starts(msg, j, _FORWARD) or msg.words(j, j + 2) in (("chuyen", "giao"), ("chuyen", "doi")):
        return None
    for k in range(j + 1, min(last, j + 15)):
        if msg.tokens[k].text in (".", ";"):
            return None
        if starts(msg, k, _FORWARD_TO):
            units, end = unit_list(msg, index, k + 1, last)
            if not units or any(m.kind not in ("unit", "group") for m in units) or end >= last:
                return None
            if msg.tokens[end].text == "de":
                end += 1
            return Roles(units, [], end, True) if msg.tokens[end].is_word else None
    return None


_PAST_OPENINGS = _phrases("thời gian qua", "vừa qua", "thời gian vừa qua", "những năm qua", "năm qua", "các năm qua",
                          "thời gian trước")
# "Trước đó, …": what happened before the news; a task told in it is kept only when nothing is given now.
_BEFORE_THAT = _phrases("trước đó")


def _told_as_past(msg: Analysed, first: int, last: int) -> bool:
    """"Trong thời gian qua, UBND tỉnh đã chỉ đạo …", "Trước đó, …": what was done before, told as
    background to the task that follows."""
    for k in range(first, min(last, first + 6)):
        if msg.tokens[k].text == ",":
            return False
        if n := starts(msg, k, _PAST_OPENINGS):
            # "Vừa qua, Chủ tịch UBND tỉnh đã ban hành Công điện …, yêu cầu …": the news of a letter just issued
            return not (msg.words(k, k + n) == ("vua", "qua") and any(
                starts(msg, j, _ISSUED) and starts(msg, j + starts(msg, j, _ISSUED), _DOCUMENTS)
                for j in range(k + n, min(last, k + n + 14))))
    return False


def _conditional(msg: Analysed, first: int, last: int) -> bool:
    """"Nếu …", "khi …" open a condition; "Sau khi xem xét báo cáo, …" only says when."""
    return any(_if(msg, k) and not (msg.tokens[k].text == "khi" and k > first
                                    and msg.tokens[k - 1].text in ("sau", "truoc"))
               for k in range(first, last))


def _if(msg: Analysed, k: int) -> bool:
    """"nếu", "khi" at token k; "nêu" ("Văn bản … nêu rõ, …") folds to the same letters and states, no condition."""
    return msg.tokens[k].text in _CONDITION and msg.original_token(k).lower() != "nêu"


def skip_opening(msg: Analysed, i: int, last: int) -> int:
    return _skip_opening(msg, i, last)


def _after_case(msg: Analysed, i: int) -> bool:
    """Token i follows only a capitalised case its sentence opens with ("Đối với các khu vực …, chủ đầu tư …")."""
    s = i - 1
    while s > 0 and i - s < 40 and not _sentence_start(msg, s):
        s -= 1
    return _sentence_start(msg, s) and msg.original_token(s)[:1].isupper() and 0 < _case_opening(msg, s, i) == i - s


def case_opening(msg: Analysed, i: int, last: int) -> int:
    return _case_opening(msg, i, last)


def _skip_opening(msg: Analysed, i: int, last: int) -> int:
    """Past punctuation, "Điều 2.", "Theo đó," and the like at the start of a clause."""
    if i < (dateline := dateline_end(msg)) <= last:
        i = dateline  # "VOV.VN - …"
    while i < last:
        tok = msg.tokens[i]
        if not tok.is_word and tok.text not in ("@",):
            i += 1
        elif tok.text == "dieu" and i + 1 < last and msg.tokens[i + 1].text.isdigit():
            i += 2
        elif n := _case_opening(msg, i, last):
            i += n
        elif n := starts(msg, i, _OPENERS):
            i += n
        elif n := _topic_opening(msg, i, last):
            i += n  # "Về hạ tầng, các đơn vị chuyên môn phải …"
        elif msg.tokens[i].text == "ngay" and i + 1 < last and msg.tokens[i + 1].text.isdigit():
            i += 2  # "Ngày 02/11/2010 UBND tỉnh đã có công văn …"
            while i < last and (msg.tokens[i].text in ("/", ".", "-") or msg.tokens[i].text.isdigit()):
                i += 1
        else:
            break
    return i


def _case_opening(msg: Analysed, i: int, last: int) -> int:
    """"Đối với những khu vực đã bị sụt lún, lực lượng chức năng …": the case a sentence is about, in small letters and
    naming no unit, before its subject ("Đối với UBND huyện X, …" names whom it is for and is left to the opener)."""
    if msg.original_token(i) != "Đối" or msg.words(i + 1, i + 2) != ("voi",) or not msg.has_capitals:
        return 0
    for j in range(i + 2, min(i + 30, last)):
        if msg.tokens[j].text == ",":
            return j + 1 - i if j > i + 3 else 0
        if not msg.tokens[j].is_word or not msg.original_token(j).islower() or msg.tokens[j].text in ("ubnd", "so"):
            return 0
    return 0


def _topic_opening(msg: Analysed, i: int, last: int) -> int:
    """"Về hạ tầng, …", "Về công tác y tế, …": a sentence that names its topic before its subject (a capital "Về",
    at most five words, a comma); "Về việc …" is a letter's subject line, no topic."""
    if msg.original_token(i) != "Về" or msg.words(i + 1, i + 2) == ("viec",):
        return 0
    for j in range(i + 1, min(i + 7, last)):
        if msg.tokens[j].text == ",":
            return j + 1 - i if j > i + 1 else 0
        if not msg.tokens[j].is_word:
            return 0
    return 0


_NOT_ASSIGNING = frozenset({"thong", "duc", "dich", "luu", "ket", "nhan", "khoan", "thuong", "dat", "uoc", "thua"})


def _addressee_follows(msg: Analysed, k: int) -> bool:
    """"… nhấn mạnh yêu cầu các sở, ngành …", "… Sở Nông nghiệp …": whom the request is for comes next (a plural or a
    capitalised name), so "yêu cầu" is the verb."""
    return k < len(msg.tokens) and (msg.tokens[k].text in ("cac", "ubnd", "chu", "giam", "thu")
                                    or (msg.has_capitals and msg.original_token(k)[0].isupper()))


def _assigns_at(msg: Analysed, j: int, spoken: bool = False) -> int:
    """Length of an assignment verb at token j; "giao" in "bàn giao", "giao thông", "Sở GTVT" is none."""
    n = starts(msg, j, _ASSIGN) or (starts(msg, j, _SPOKEN_ASSIGN) if spoken else 0)
    if n and j >= 2 and msg.words(j - 2, j) == ("ve", "viec") and msg.tokens[j].text != "giao":
        return 0  # "Công văn … về việc đề nghị bổ sung …": the letter's subject, a noun («về việc giao X …» assigns)
    if n and msg.words(j, j + 2) == ("yeu", "cau") and j > 0 and (
            msg.texts[j - 1] in ("do", "theo") or msg.words(j - 2, j) == ("dap", "ung")
            or (msg.words(j - 2, j) == ("nhan", "manh") and not _addressee_follows(msg, j + 2))):
        return 0  # "nhấn mạnh yêu cầu siết chặt …", "do yêu cầu làm việc 24/24 giờ": the noun, not the verb
    if n and msg.words(j, j + 2) == ("phan", "cong") and j > 0 and (
            msg.texts[j - 1] in ("theo", "su") or msg.words(j - 2, j) == ("quy", "che")):
        return 0  # "… điều hành theo quy chế phân công công tác", "theo sự phân công": the noun
    if n and msg.words(j, j + 2) == ("chi", "dao") and j > 0 and (
            msg.texts[j - 1] == "de" or msg.words(j - 3, j) == ("kiem", "tra", ",")) \
            and msg.words(j + 2, j + 4) == ("cong", "tac"):
        return 0  # "… đến các xã để kiểm tra, chỉ đạo công tác ứng phó …": why a leader went, no task given
    if n and msg.words(j, j + 2) == ("chi", "thi"):
        after = j + 2
        if after < len(msg.tokens) and (msg.original_token(after).lower() in ("số", "này", "của", "về", "trên")
                                        or msg.tokens[after].text.isdigit() or msg.tokens[after].text == "/"
                                        or (msg.tokens[after].is_word and msg.original_token(after)[0].isupper()
                                            and msg.tokens[after].text not in ("so", "ubnd", "cong", "ban"))):
            return 0  # "Chỉ thị số 15/CT-UBND", "Chỉ thị này": the document, not the verb
        if j > 0 and msg.tokens[j - 1].text in ("tai", "theo", "cac", "va", "ban", "hanh", "thuc", "hien"):
            return 0
    if not n or msg.tokens[j].text != "giao":
        return n
    if j + 1 < len(msg.tokens) and msg.tokens[j + 1].text in _NOT_ASSIGNING \
            and msg.words(j + 1, j + 3) != ("thong", "ke"):  # "được giao thống kê …" assigns; "giao thông" does not
        return 0
    if j > 0 and (msg.tokens[j - 1].text in ("ban", "chuyen") or msg.tokens[j - 1].start == msg.tokens[j].start):
        if msg.original_token(j - 1).lower() != "bản":
            return 0  # "bàn giao", "chuyển giao"; but "văn bản giao nhiệm vụ cho …" assigns
    if (j > 0 and msg.tokens[j - 1].text in (",", ":") and msg.original_token(j)[0].isupper()
            and j + 1 < len(msg.tokens) and msg.tokens[j + 1].is_word and msg.original_token(j + 1)[0].isupper()
            and msg.tokens[j + 1].text not in ("so", "ubnd", "ban", "cong", "trung", "van", "thanh", "chi", "cuc")):
        return 0  # "… các huyện: Giao Thuỷ, Xuân Trường": a place's name in a list
    return n


def _issuer_assigns(msg: Analysed, index: UnitIndex, i: int, last: int, limit: int) -> Roles | None:
    """"UBND tỉnh yêu cầu X …", "Chủ tịch UBND tỉnh Bình Định vừa có công văn giao X …", "Văn phòng UBND
    tỉnh đề nghị X …", "Cục Văn hóa cơ sở đề nghị X …": whoever speaks first assigns the units after the
    verb."""
    if i >= last:
        return None
    named = _named_person(msg, i, last)
    if named is None and (n := starts(msg, i, _PERSON)) and i + n < last and msg.has_capitals \
            and (msg.original_token(i)[0].isupper() or i > 0 and msg.tokens[i - 1].text == ","):
        named = i + n  # "… Chủ tịch UBND tỉnh X nhận định … . Ông yêu cầu các địa phương …": the leader named before
        if msg.tokens[named].is_word and msg.original_token(named)[0].isupper() and named + 1 < last \
                and (msg.tokens[named + 1].text == "cung" or _assigns_at(msg, named + 1, spoken=True)):
            named += 1  # "Ông Mỹ cũng yêu cầu …": the leader named before, by the last word of the name
    if named is not None:
        while named < last and named - i < 12 and msg.tokens[named].text in ("cung", "vua", "tiep", "tuc"):
            named += 1  # "Ông X cũng yêu cầu …"
    if named is not None and starts(msg, named, _PRAISE):
        # "Ông Trần Phong ghi nhận nỗ lực của hai phường X, Y và yêu cầu kiện toàn …": the request is for them
        verb = next((k for k in range(named, min(last, named + 40)) if _assigns_at(msg, k, spoken=True)), None)
        if verb is not None and (praised := _praised(msg, index, named, verb)):
            after = _skip(msg, verb + _assigns_at(msg, verb, spoken=True), last, ",:")
            roles = _roles_at(msg, index, after, last, limit, told=True)
            if roles is None or not names_someone(roles):
                return Roles(praised, [], after, True, False, True)
    if named is not None and (n := _assigns_at(msg, named, spoken=True)):
        # "Ông Lò Minh Hùng yêu cầu Sở X …": a person named before the verb speaks for the province
        after = _skip(msg, named + n, last, ",:")
        roles = _roles_at(msg, index, after, last, limit, told=True)
        if roles and names_someone(roles):
            return Roles(roles.lead, roles.support, roles.content_from, True, roles.past, True)
        if roles and roles.lead and all(m.kind == "generic" for m in roles.lead):
            return Roles([], roles.support, roles.content_from, True, roles.past, True)  # "… các đơn vị chức năng …"
        if roles is None and (other := _other_addressee(msg, after, last)) is not None:
            return Roles([other], [], other.last, True, False, True)
        if roles is None and _leader_before(msg, index, i) and _task_follows(msg, index, after, last):
            # "Chủ tịch UBND tỉnh cho rằng …, ông đề nghị cung cấp toàn bộ nội dung đề án …": the leader asks, for whom
            # the text does not say; the draft asks
            return Roles([], [], after, True, False, True)
    i = _past_person(msg, index, i, last)
    speaker = index.match_at(msg, i, unknown=True)
    if speaker is None and starts(msg, i, _TITLES):
        speaker = index.match_at(msg, i + starts(msg, i, _TITLES), unknown=True)
    if speaker is None:
        speaker = _place_speaks(msg, i, last)
    if speaker is None and (n := _province_again(msg, i)):
        speaker = Mention("issuer", None, i, i + n, msg.original(i, i + n))
    if speaker is None or speaker.kind == "generic":
        return None
    j = speaker.last
    stop = min(last, j + _ISSUER_FILLER_LIMIT)
    # "Chủ tịch UBND tỉnh đã cho ý kiến chỉ đạo cụ thể đối với vụ việc … (a long case) … và giao Giám đốc Sở X …": the
    # verb after "và" ends a longer filler
    far = next((k for k in range(stop, min(last, j + _ISSUER_FILLER_FAR))
                if msg.tokens[k - 1].text == "va" and _assigns_at(msg, k, spoken=speaker.kind == "issuer")), None)
    if far is not None and not any(starts(msg, k, _LEADS) or starts(msg, k, HELPS) for k in range(stop, far)) \
            and not any(starts(msg, k, _STATEMENTS) for k in range(j, far)) and not any(
                (m := index.match_at(msg, k)) is not None and m.kind in ("unit", "group") for k in range(j, far)):
        # (not "… cho biết, thời gian qua UBND huyện X đã … và giao cho các xã …": what a unit did, told)
        stop = far + 1
    past = False
    while j < stop:
        if msg.tokens[j].text == "," and (other := index.match_at(msg, j + 1)) is not None and other.kind == "issuer":
            return None  # "UBND huyện X đã có Báo cáo số …, UBND tỉnh yêu cầu …": the issuer speaks in a clause of its own
        past = past or (msg.tokens[j].text in ("da", "dang", "se") and msg.original_token(j).lower() in ("đã", "đang", "sẽ"))
        if starts(msg, j, _LEADS) or starts(msg, j, HELPS):
            return None
        if n := _assigns_at(msg, j, spoken=speaker.kind == "issuer"):
            after = j + n
            while after < last and msg.tokens[after].text in (",", ":"):
                after += 1
            roles = _roles_at(msg, index, after, last, limit, told=True)
            if after < last and _if(msg, after):
                # "UBND tỉnh yêu cầu, khi đoàn kiểm tra có đề nghị thì UBND các huyện … cử cán bộ …": the units
                # after the condition are the ones told
                then = next((k for k in range(after + 1, last) if msg.tokens[k].text == "thi"), None)
                if then is not None:
                    after = then + 1
                    roles = _roles_at(msg, index, after, last, limit, told=True)
                    if roles and names_someone(roles):
                        return Roles(roles.lead, roles.support, roles.content_from, True, past)
                    j += 1  # on to the next verb (a `continue` without this read the same verb for ever)
                    continue
            roles = _roles_at(msg, index, after, last, limit, told=True)
            if (roles is None or not roles.lead) and (dated := _time_before_units(msg, after, last)) > after:
                # "… yêu cầu trước ngày 26/4 UBND cấp xã … trình …": the time first, then whom it tells
                dated_roles = _roles_at(msg, index, dated, last, limit, told=True)
                if dated_roles is not None and dated_roles.lead:  # "… chỉ đạo chậm nhất đến ngày 15/11 phải trình …": nobody
                    after, roles = dated, dated_roles
            if roles is None and (told := index.match_at(msg, after)) is not None and told.kind == "generic" \
                    and msg.words(told.last, told.last + 1) == ("duoc",):
                roles = Roles([told], [], told.last, False)  # "… giao các đơn vị được phân cấp, ủy quyền … tiếp tục …"
            if roles is None and speaker.kind == "issuer" and not past and starts(msg, after, _BODY_NOUNS) \
                    and (other := _other_addressee(msg, after, last)) is not None:
                # "… yêu cầu công an khẩn trương điều tra …": the one unit whose name holds those words, or asked
                words = msg.words(other.first, other.last)
                if words[-2:] == ("dia", "phuong"):
                    words = words[:-2]  # "công an địa phương": the police
                code = index.within_one(words) if 0 < len(words) <= 3 else None
                if code is not None:
                    other = Mention("unit", code, other.first, other.last, other.text)
                elif words[-2:] == ("chuc", "nang"):  # "… yêu cầu cơ quan chức năng phải …": whoever is concerned
                    return Roles([], [], other.last, True, past, True)
                return Roles([other], [], other.last, True, past, True)
            if (roles is None or not roles.lead) and speaker.kind == "issuer" \
                    and (not past or _only_name_between(msg, speaker.last, j)) and _task_follows(msg, index, after, last):
                # "UBND tỉnh Gia Lai ban hành công điện khẩn yêu cầu huy động tối đa lực lượng …": a task for
                # whom the text does not say; the draft asks for its lead rather than drop it. Inside a task
                # already being read ("UBND tỉnh cũng yêu cầu kiểm điểm …") it goes on with that task, unless the
                # issuer speaks in a sentence of its own: "… . Chủ tịch UBND tỉnh cũng yêu cầu đẩy nhanh …" is a new
                # request whose lead the draft asks
                # request whose lead the draft asks; "… . UBND tỉnh cũng yêu cầu …" right at a sentence's start still
                # adds to the task before, after a topic's opening phrase ("Ở lĩnh vực y tế, …") it does not
                if not past and (praised := _praised(msg, index, speaker.last, j)):
                    return Roles(praised, [], after, True, past, True)  # "… ghi nhận nỗ lực của huyện X và yêu cầu …"
                also = "cung" in msg.texts[speaker.last:j]
                own = not past and (_sentence_start(msg, i) and not also or not _sentence_start(msg, i) and _own_sentence(msg, i))
                if own and _REPORT_BACK.match(msg.folded, msg.tokens[after].start):
                    own = False  # "… . UBND tỉnh yêu cầu báo cáo kết quả thanh tra …": the report of the task before
                if own and msg.words(after, after + 1) == ("can",) and _sentence_start(msg, i) and j == speaker.last:
                    own = False  # "… . Chủ tịch UBND tỉnh yêu cầu cần thông tin …": what those just told "cần" do
                return Roles([], [], after, True, past, own)
            if roles and not roles.lead:
                roles = None
            if roles is None and speaker.kind == "issuer" and not past \
                    and (other := _other_addressee(msg, after, last)) is not None:
                return Roles([other], [], other.last, True, past)  # "… chỉ đạo các chủ đầu tư cần tập trung …"
            if roles and names_someone(roles):
                if speaker.kind == "group" and not past and msg.words(j, j + 2) == ("chi", "dao") \
                        and all(m.kind == "unknown" for m in roles.lead):
                    # "Các địa phương chỉ đạo Đài Truyền thanh địa phương thông tin …": the group directs its own body
                    return Roles([speaker], [], j, False)
                if speaker.kind == "unit" and not any(m.kind in ("unit", "group") for m in roles.lead):
                    return None
                return Roles(roles.lead, roles.support, roles.content_from, True, past, True)
            if roles and speaker.kind == "unit" and all(m.kind == "generic" for m in roles.lead) and not past \
                    and msg.words(j, j + 2) == ("chi", "dao"):
                # "Sở Giáo dục và Đào tạo chỉ đạo các đơn vị trực thuộc, các trường học …": a unit directing its own
                # units does the task itself ("Công an tỉnh, Sở GTVT chỉ đạo lực lượng chức năng …": each of them)
                listed, _ = unit_list(msg, index, i, j)
                return Roles([m for m in listed if m.kind == "unit"] or [speaker], [], j, False)
            if roles and (speaker.kind in ("issuer", "unit") or province_committee(msg, speaker)) \
                    and all(m.kind == "generic" for m in roles.lead):
                # "Phó Chủ tịch UBND tỉnh yêu cầu các cơ quan, đơn vị liên quan phải …": a task for whom
                # the text does not say; the draft asks for its lead rather than drop it. Told in a sentence of its
                # own, a group the issuer names ("… cũng yêu cầu ngành chuyên môn hướng dẫn …") is a new task.
                own = _sentence_start(msg, i) and not all(msg.words(m.first, m.last) in _BARE_BACK for m in roles.lead)
                return Roles([], roles.support, roles.content_from, True, past, own)
        j += 1
    return None


# A report asked for with nobody named: the report of the task before, not a new task.
_REPORT_BACK = re.compile(r"(?:kip\s+thoi\s+|thuong\s+xuyen\s+|dinh\s+ky\s+)?bao\s+cao\s+(?:ket\s+qua|tien\s+do|tinh\s+hinh)\b")
# Lower-case nouns that name a body rather than begin a task: "… yêu cầu công an khẩn trương …".
_BODY_NOUNS = _phrases("công an", "lực lượng", "chính quyền", "cơ quan", "quân đội", "bộ đội", "kiểm lâm", "ngành",
                       "lãnh đạo", "đơn vị")
# "các đơn vị", "các cơ quan": the units named before, again ("Văn bản đề nghị các đơn vị gửi kết quả …").
_BARE_BACK = frozenset({("cac", "don", "vi"), ("cac", "co", "quan"), ("cac", "co", "quan", ",", "don", "vi"),
                        ("cac", "don", "vi", "tren"), ("cac", "co", "quan", ",", "don", "vi", "tren")})


def _own_sentence(msg: Analysed, i: int) -> bool:
    """Token i opens a sentence, or follows only an opening phrase closed by a comma at a sentence's start ("Ở lĩnh
    vực y tế, Chủ tịch UBND tỉnh …", "Về thu ngân sách, ông X …")."""
    if _sentence_start(msg, i):
        return True
    if i == 0 or msg.tokens[i - 1].text != ",":
        return False
    k = i - 2
    while k >= 0 and i - k < 12 and msg.tokens[k].is_word:
        k -= 1
    return k < 0 or (i - k < 12 and msg.tokens[k].text in (".", "!", "?")) or (
        k >= 0 and i - k < 12 and "\n" in msg.text[msg.tokens[k].end:msg.tokens[k + 1].start])


def _sentence_start(msg: Analysed, i: int) -> bool:
    """Token i opens a sentence: nothing before it, or a full stop or a line break."""
    return i == 0 or msg.tokens[i - 1].text in (".", "!", "?") or "\n" in msg.text[msg.tokens[i - 1].end:msg.tokens[i].start]


# Words that begin what a body told is to do: "… các chủ đầu tư cần tập trung …", "… khách sạn X khẩn trương …".
_TASK_OPENERS = _phrases("khẩn trương", "cần", "phải", "tập trung", "sớm", "chủ động", "tiếp tục", "nghiêm túc",
                         "kịp thời", "có trách nhiệm", "khẩn cấp", "quyết liệt", "có phương án", "có biện pháp",
                         "có kế hoạch", "phối hợp với", "đôn đốc")


def _other_addressee(msg: Analysed, i: int, last: int) -> Mention | None:
    """A body the list lacks, told a task by the issuer: up to six words, no comma, then words that begin a
    task ("chỉ đạo các chủ đầu tư cần tập trung giải ngân …"); the draft asks who it is."""
    for k in range(i + 1, min(last - 2, i + 7)):
        if not msg.tokens[k].is_word:
            return None
        if starts(msg, k, _TASK_OPENERS):
            if starts(msg, i, _TASK_OPENERS) or msg.tokens[i].text in ("toan", "moi", "tat", "nhan") \
                    or msg.words(i, i + 2) in _THE_PUBLIC:
                return None  # "… yêu cầu toàn dân phải …", "Nhân dân": the public, no body
            return Mention("unknown", None, i, k, msg.original(i, k))
    return None


def _only_name_between(msg: Analysed, first: int, last: int) -> bool:
    """Between the issuer and its verb only a name and "đã", "vừa", "cũng" ("Chủ tịch UBND tỉnh Quảng Ngãi Đặng
    Văn Minh đã chỉ đạo …"), no other verb ("… cùng đoàn công tác đã đến kiểm tra và chỉ đạo …")."""
    k = first
    while k < last and (msg.tokens[k].text in ("da", "vua", "cung", ",", "-")
                        or (msg.tokens[k].is_word and msg.original_token(k)[0].isupper())):
        k += 1
    if k < last and (signed := _SIGNED_LETTER.match(msg.folded, msg.tokens[k].start)) is not None:
        # "… đã ký văn bản yêu cầu tạm dừng …": the letter signed that day is the request itself
        return msg.token_at_or_after(signed.end()) >= last
    return k >= last


# "ký văn bản", "ký ban hành Công điện số 12/CĐ-UBND": the letter a leader signs, before its verb (not "Tỉnh ủy đã ban hành
# Công văn … chỉ đạo …", a body's letter told as what was done)
_SIGNED_LETTER = re.compile(r"ky\s+(?:ban\s+hanh\s+)?(?:van\s+ban|cong\s+van|cong\s+dien(?:\s+khan)?"
                            r"|chi\s+thi)(?:\s+so\s+[\w/.-]+)?\s*,?\s*")


_NOT_A_TASK_START = frozenset({"cac", "nhung", "toan", "moi", "tat", "tung", "cua", "van", "ve", "tai", "voi", "theo",
                               "nay", "do", "nhu", "la", "cho", "tren", "tu", "den", "so", "thi", "phai", "khi", "neu"})


def _task_follows(msg: Analysed, index: UnitIndex, i: int, last: int) -> bool:
    """After an assignment verb, the words of a task rather than an addressee: lower-case words that name no
    unit, no person and no body ("huy động tối đa lực lượng …", "khẩn trương tháo gỡ …")."""
    words = [t for t in msg.tokens[i:last] if t.is_word]
    if len(words) < 3 or msg.tokens[i].text in (",", ":", "(") or not msg.tokens[i].is_word:
        return False
    if msg.has_capitals and msg.original_token(i)[0].isupper():
        return False
    if starts(msg, i, _PERSON) or starts(msg, i, _TITLES) or index.match_at(msg, i, unknown=True) is not None:
        return False
    if i >= 3 and msg.texts[i - 3:i - 1] == ("y", "kien"):
        return False  # "ý kiến chỉ đạo của …": a noun, not the verb that assigns
    if msg.words(i, i + 2) in _THE_PUBLIC:
        return False  # "… đề nghị công dân không tiếp tục đến …": the public asked, no body given a task
    if msg.tokens[i].text.isdigit() and msg.words(i + 1, i + 3) in (("chi", "tieu"), ("nhiem", "vu"), ("de", "an")):
        return False  # "UBND tỉnh giao 24 chỉ tiêu phát triển …": what is given, counted, not a task
    if i > 0 and msg.texts[i - 1] == "giao" and msg.words(i, i + 2) in (("nhiem", "vu"), ("chi", "tieu")):
        return False  # "… ký ban hành Chỉ thị số 13 giao nhiệm vụ và chỉ tiêu giải ngân …": the text's subject
    if msg.tokens[i].text == "su" and msg.original_token(i).lower() == "sự":
        return False  # "… yêu cầu sự phối hợp chặt chẽ giữa các ngành": a noun, what is wanted, no task given
    return msg.tokens[i].text not in _NOT_A_TASK_START or msg.original_token(i).lower() in _TASK_WORDS_ALIKE


# Verbs folded alike with a word that starts no task: "dỡ bỏ cách ly …" is no "do …", "vận động" no "vẫn"
_TASK_WORDS_ALIKE = frozenset({"dỡ", "dọn", "vận"})


_THE_PUBLIC = frozenset({("cong", "dan"), ("nguoi", "dan"), ("nhan", "dan"), ("ba", "con"), ("toan", "dan")})
_PERSON = _phrases("ông", "bà", "đồng chí")


_THIS_PLACE = _phrases("địa phương này", "tỉnh này")
_THE_PROVINCE_SPOKE = re.compile(r"(?:[^,.]{0,40},\s*)?(?:chu\s+tich\s+)?(?:ubnd|uy\s+ban\s+nhan\s+dan)\s+tinh\b")


def _province_again(msg: Analysed, i: int) -> int:
    """"Cùng ngày, Chủ tịch UBND tỉnh X có Công điện … . Địa phương này cũng chỉ đạo …": "địa phương này", "tỉnh này"
    opening a sentence right after one the province's committee or chairman spoke in is the province again."""
    n = starts(msg, i, _THIS_PLACE)
    if not n or not _sentence_start(msg, i) or i == 0:
        return 0
    before = msg.tokens[i - 1].end
    begun = max((m.end() for m in re.finditer(r"[.!?](?=\s)|\n", msg.text[:before])), default=0)
    return n if _THE_PROVINCE_SPOKE.match(msg.folded[begun:before].strip()) else 0


def _named_person(msg: Analysed, i: int, last: int) -> int | None:
    """Where the verb may start after "Ông/Bà/Đồng chí <Name>" (a name in capitals), or None."""
    n = starts(msg, i, _PERSON)
    if not n or not msg.has_capitals:
        return None
    j = i + n
    while j < last and j - i - n < 5 and msg.tokens[j].is_word and msg.original_token(j)[0].isupper():
        j += 1
    return j if j - i - n >= 2 else None


def _place_speaks(msg: Analysed, i: int, last: int) -> Mention | None:
    """"Hà Nội yêu cầu các đơn vị …", "Đà Nẵng cũng đề nghị …": a place's name of two or three capitalised words
    right before an assignment verb is the province speaking, as the press writes it."""
    if not msg.has_capitals or (i > 0 and msg.tokens[i - 1].text not in (".", ",", ";", ":")):
        return None
    k = i
    while k < last and k - i < 3 and msg.tokens[k].is_word and msg.original_token(k)[0].isupper() \
            and msg.original_token(k)[1:].islower():
        k += 1
    if k - i < 2 or k >= last:
        return None
    verb = k + (msg.words(k, k + 1) == ("cung",))
    if not _assigns_at(msg, verb, spoken=True) or starts(msg, i, _PERSON):
        return None
    return Mention("issuer", None, i, k, msg.original(i, k))


def _past_person(msg: Analysed, index: UnitIndex, i: int, last: int) -> int:
    """Past a person's name before the office they speak for: "bà Hồ Thị B - Phó Chủ tịch UBND tỉnh đề
    nghị …", "đồng chí Lý Văn C, Phó Chủ tịch UBND tỉnh …"; i itself when no such office follows."""
    n = starts(msg, i, _PERSON)
    if not n or not msg.has_capitals:
        return i
    for k in range(i + n, min(last, i + n + 6)):
        if not msg.original_token(k)[0].isupper() and msg.tokens[k].text != ",":
            return i
        j = _skip(msg, k, last)
        if starts(msg, j, _TITLES) or (found := index.match_at(msg, j)) and found.kind == "issuer":
            return j
    return i


def _roles_at(msg: Analysed, index: UnitIndex, i: int, last: int, limit: int | None = None,
              told: bool = False) -> Roles | None:
    """Who a clause names from token i and where the task begins; `told` when an issuer's verb comes just before
    ("… yêu cầu UBND huyện X có văn bản trả lời …": the letter is the task, not what the unit sent)."""
    limit = last if limit is None else limit
    assigned = starts(msg, i, _ASSIGN)
    if assigned and msg.texts[i] == "giao" and msg.texts[i + 1:i + 2] in (("thong",), ("dich",), ("thua",), ("luu",)) \
            and msg.words(i + 1, i + 3) != ("thong", "ke"):
        return None  # "Đồng thời, giao thông đi lại … bị ách tắc": traffic, not a task given; "Giao thừa", "giao lưu"
    if not assigned:
        issuer = index.match_at(msg, i)
        # "UBND tỉnh Đắk Lắk yêu cầu các chủ rừng …": the province's name may follow the issuer before its verb
        said = _past_name(msg, issuer.last, last) if issuer and issuer.kind == "issuer" else i
        if issuer and issuer.kind == "issuer" and starts(msg, said, _ASSIGN):
            assigned = said - i + starts(msg, said, _ASSIGN)
    i += assigned
    if assigned and i < len(msg.tokens) and msg.tokens[i].text in _OF_A_NOUN:
        return None  # "Đề nghị của cử tri …", "Yêu cầu này …": the noun, not the verb that assigns
    if assigned and _AT_A_MEETING.match(msg.folded, msg.tokens[i].start if i < len(msg.tokens) else len(msg.folded)):
        return None  # "Chỉ đạo tại buổi kiểm tra, ông X nhấn mạnh …": where a leader spoke, the task comes after
    if assigned and (to := index.match_at(msg, i)) is not None and to.kind == "issuer" \
            and msg.texts[to.last - 1] in ("tinh", "pho", "phu"):
        return None  # "Đề nghị UBND tỉnh sớm chỉ đạo …": asked of the province, no task it gives
    if assigned and msg.texts[i:i + 1] == ("tinh",) and i + 1 < last and msg.tokens[i + 1].is_word \
            and not (msg.has_capitals and msg.original_token(i + 1)[0].isupper()):
        return None  # "… yêu cầu tỉnh chỉ đạo, đôn đốc …": what someone asked of the province
    lead, i = unit_list(msg, index, i, limit)
    if not assigned and not told and len(lead) == 1 and province_committee(msg, lead[0]) and starts(msg, i, _ASSIGN) \
            and (addressed := _roles_at(msg, index, i, last, limit)) is not None and addressed.assigned:
        # "Ban Chỉ huy Phòng thủ dân sự tỉnh Cà Mau đề nghị các đơn vị …": the province's committee, chaired by its
        # leaders, speaks for it; whom it asks is told ("các địa phương, đơn vị liên quan": nobody named, asked)
        if addressed.lead and all(m.kind == "generic" for m in addressed.lead):
            return Roles([], addressed.support, addressed.content_from, True, addressed.past, True)
        return replace(addressed, spoken=True)
    if lead and (told or assigned):
        i = _past_especially(msg, i, limit)
    if lead and (told or assigned) and msg.words(i, i + 1) == ("va",) and (n := _assigns_at(msg, i + 1)):
        # "… giao Giám đốc Sở, …, Chủ tịch UBND xã, phường và đề nghị Ủy ban MTTQ tỉnh tập trung …": one task for all
        more, after = unit_list(msg, index, i + 1 + n, limit)
        if more and any(m.kind in ("unit", "group", "unknown") for m in more):
            lead, i = lead + more, after
    if not assigned and not told and len(lead) == 1 and lead[0].kind == "generic" \
            and msg.words(lead[0].first, lead[0].last + 3) == ("cac", "don", "vi", "chu", "dau", "tu"):
        lead, i = [], lead[0].first  # "Các đơn vị chủ đầu tư đôn đốc nhà thầu …": investors, by their role
    if not lead and not assigned and not told and ((n := starts(msg, i, _ROLE_SUBJECTS))
                                                   or (n := starts(msg, i, _ROLE_BARE)) and _after_case(msg, i)):
        n = _with_other_roles(msg, i + n, last) - i
        if starts(msg, i + n, _MUST) or starts(msg, i + n, _TASK_OPENERS) or (
                _after_case(msg, i) and i + n < last and msg.tokens[i + n].is_word):
            # ("Đối với các khu vực …, chủ đầu tư lắp đặt …": after the case it is about, whatever the verb)
            # "Các chủ đầu tư phải đẩy nhanh …", "Các chủ đầu tư, ban quản lý dự án quyết liệt …": bodies named by
            # their role, told what they must do; whose, the draft asks
            return Roles([Mention("generic", None, i, i + n, msg.original(i, i + n))], [], i + n, False)
    if not lead and assigned and not told and i > 0 and msg.texts[i - 1] != "giao" \
            and (n := _owners_at(msg, i) or starts(msg, i, _ROLE_SUBJECTS)) and i + n < last:
        # "…; đồng thời yêu cầu các chủ đập tăng cường kiểm tra …": owners of works the province tells a task of their own,
        # no unit of the list (asked); not households or boat owners, the public
        return Roles([Mention("generic", None, i, i + n, msg.original(i, i + n))], [], i + n, True, False, True)
    if not lead and not assigned and not told and (n := starts(msg, i, _TEAMS)) and starts(msg, i + n, _MUST):
        # "Các tổ công tác phải kiên quyết …": teams set up for the work, bodies the list lacks: asked about
        return Roles([Mention("unknown", None, i, i + n, msg.original(i, i + n))], [], i + n, False)
    if not lead:
        rest = sum(1 for t in msg.tokens[i:last] if t.is_word)
        if assigned and 0 < i < last and msg.texts[i - 1] == "giao" and (
                msg.words(i, i + 2) in (("nhiem", "vu"), ("chi", "tieu")) or msg.tokens[i].text.isdigit()) \
                and "cho" not in msg.texts[i:last] and not index.find_all(msg, i, last):
            return None  # "Giao nhiệm vụ và chỉ tiêu giải ngân …", "giao 24 chỉ tiêu": a title, what is given, not to whom
        return Roles([], [], i, True) if assigned and rest >= 2 else None
    support: list[Mention] = []
    if not assigned:
        at = _past_place(msg, i, limit)  # "Sở Xây dựng TP Cần Thơ được giao …": the province's name first
        if passive := _passive_at(msg, at, limit):
            i = at + passive  # "Sở X được giao chủ trì …", "UBND cấp xã cũng được yêu cầu …": the unit is assigned
            assigned = passive
    chaired = starts(msg, i, _LEADS)
    i += chaired
    j = _skip(msg, i, limit)
    helps = starts(msg, j, HELPS)
    if not helps and chaired and j < limit and msg.texts[j] == "cung":
        helps = 1  # "Sở X chủ trì, cùng Đài Y, UBND các huyện triển khai …": those with it help, as after "phối hợp"
    if helps:
        support, after_support = _helpers(msg, index, j + helps, limit)
        # "… phối hợp chặt chẽ đẩy nhanh tiến độ …": with nobody after it, working together is the task itself
        i = after_support if support or chaired else i
    elif chaired:
        # "Sở A chủ trì, Sở B, Sở C phối hợp …"
        others, k = unit_list(msg, index, j, limit)
        if others and starts(msg, k, HELPS):
            support, i = others, k + starts(msg, k, HELPS)
    if not assigned and msg.texts[i:i + 2] == (",", "tinh"):
        return None  # "…, huyện Vị Xuyên, tỉnh Hà Giang": an address, not a subject
    if i < limit and msg.texts[i] == "tinh" and not (i + 1 < limit and msg.has_capitals
                                                    and msg.original_token(i + 1)[0].isupper()):
        i += 1  # "Sở Nông nghiệp và Phát triển nông thôn tỉnh đề xuất …": the unit's "tỉnh"
    elif i < limit and msg.texts[i] in ("tinh", "thanh") and msg.has_capitals:
        k = i + 1 + (msg.texts[i] == "thanh" and msg.texts[i + 1:i + 2] == ("pho",))
        if k < limit and msg.original_token(k)[0].isupper():  # "Sở Y tế tỉnh Sóc Trăng": the province's name
            while k < limit and msg.tokens[k].is_word and msg.original_token(k)[0].isupper():
                k += 1
            i = k
    i = _skip(msg, i, limit, ",:-")
    if not assigned and i > 0 and msg.texts[i - 1] == "tinh" and msg.has_capitals:
        at = i  # "Phó Giám đốc Công an tỉnh Điện Biên cho biết, …": the province's name after the unit's "tỉnh"
        while at < limit and at - i < 4 and msg.tokens[at].is_word and msg.original_token(at)[0].isupper():
            at += 1
        if at > i and starts(msg, _past_day(msg, at, limit), _STATEMENTS):
            return None
    if not assigned and starts(msg, _past_day(msg, i, limit), _STATEMENTS):
        return None  # "Giám đốc Sở X cho biết: …": what someone says, not a task
    if not assigned and i > 0 and msg.texts[i - 1] == "uy" and starts(msg, _past_day(msg, _past_capitals(msg, i, limit),
                                                                                     limit), _STATEMENTS):
        return None  # "lãnh đạo Ban Tổ chức Tỉnh ủy Khánh Hòa cho hay …": the province's name after its party committee
    if not assigned and msg.words(i, i + 2) == ("ve", "viec"):
        return None  # "…; UBND các huyện về việc tổ chức trực …": the end of a letter's address and subject
    if i < limit and msg.tokens[i].text == "(":  # "Sở KH&ĐT (nay là Sở Tài chính) rà soát …"
        close = next((k for k in range(i, limit) if msg.tokens[k].text == ")"), None)
        if close is not None:
            i = _skip(msg, close + 1, limit, ",:-")
    if not assigned and (n := starts(msg, i, _ISSUED)) and starts(msg, i + n, _DOCUMENTS):
        return None  # "Sở X ban hành Công văn số … về việc …": the letter it sent, told; its tasks follow
    if not assigned and not told and msg.words(i, i + 2) == ("co",) + msg.words(i + 1, i + 2) \
            and starts(msg, i + 1, _SUBMITTED):
        return None  # "Công ty X có tờ trình về việc …", "Sở Y có văn bản …": what it sent, not a task
    if not assigned and len(lead) == 1 and lead[0].kind == "unknown" and any(
            msg.texts[k] == "co" and starts(msg, k + 1, _SUBMITTED) for k in range(i, min(limit, i + 8))):
        return None  # a long name the list lacks, then "có tờ trình …"
    if not assigned and msg.texts[i:i + 1] == ("co",) and i + 1 < limit and msg.tokens[i + 1].text.isdigit():
        return None  # "Công ty X có 69 cửa hàng": what a body has, counted, no task
    if not assigned and msg.words(i, i + 5) in _SANCTIONS:
        return None  # "… Chủ tịch UBND các huyện sẽ phải chịu trách nhiệm.": a warning, not a task
    if not assigned and msg.words(i, i + 3) == ("chiu", "trach", "nhiem") and any(
            msg.tokens[k].text == "neu" for k in range(i + 3, min(limit, i + 20))):
        return None  # "Chủ tịch UBND huyện X chịu trách nhiệm toàn diện trước UBND tỉnh nếu để …": a warning
    if not assigned and (asks := starts(msg, i, _PROPOSES)):
        to = index.match_at(msg, i + asks + (msg.words(i + asks, i + asks + 1) == ("voi",)))
        if to is not None and to.kind == "issuer":
            return None  # "Sở Xây dựng đề nghị UBND tỉnh bố trí vốn …": what a unit asked of the province, no task
    if not assigned and len(lead) == 1 and starts(msg, lead[0].first, _UPPER_PLACES) and _place_told(msg, i, limit):
        return None  # "Huyện KBang, Đăk Pơ, thị xã An Khê đang ở cấp III", "Huyện Ninh Hải: Cấp độ 3 toàn huyện": a state
    if not assigned and _meets(msg, index, i, limit):
        return None  # "Ban X và Thường trực UBND tỉnh họp bàn …", "…, Chủ tịch UBND tỉnh, chủ trì cuộc họp": a meeting told
    said = i + 3 + (msg.words(i + 3, i + 4) == ("tinh",)) + 2 * (msg.words(i + 3, i + 5) == ("thanh", "pho")) \
        if msg.words(i, i + 3) == ("tren", "dia", "ban") else i  # "các địa phương trên địa bàn tỉnh đang …"
    if said < limit and msg.tokens[said].text in ("dang", "da", "vua") and not assigned:
        return None
    if i < limit and (msg.tokens[i].text.isdigit() or msg.tokens[i].text in _NOT_A_TASK
                      and not (msg.texts[i] == "khong" and i + 1 < limit
                               and msg.original_token(i + 1).lower() == "để")  # "không để xảy ra …": a task
                      or msg.words(i, i + 1) == ("duoc",)
                      or msg.words(i, i + 2) in (("thong", "bao"), ("truyen", "dat"), ("phan", "dau")))\
            and not assigned and not (told and support) \
            and not (msg.tokens[i].text.isdigit() and i > 0 and msg.tokens[i - 1].text == ":"
                     and msg.texts[i + 1:i + 2] == ("%",)
                     and any(msg.original_token(k) == "phải" for k in range(i + 1, min(limit, i + 12)))
                     and not any(msg.original_token(k) in ("đã", "bị", "được", "không") for k in range(i + 1, min(limit, i + 14)))):
        # ("UBND huyện X: 100% tàu thuyền phải vào nơi neo đậu …": the unit's point, a figure it must reach, is a task;
        # told by the issuer's verb, with bodies that help: "… giao UBND thành phố X chủ trì, phối hợp với Ban Di dân, tái
        # định cư … khẩn trương …" is that task, the helper's long name cut at its comma)
        return None  # "UBND huyện X được phân bổ …", "… 450 triệu đồng", "Văn phòng thông báo để …", "… truyền đạt ý kiến"
    return Roles(lead, support, i, bool(assigned))


def province_committee(msg: Analysed, m: Mention) -> bool:
    """m is the province's own steering or disaster command ("Ban Chỉ huy Phòng thủ dân sự tỉnh Bắc Ninh")."""
    return m.kind == "unknown" and _PROVINCE_COMMITTEE.fullmatch(" ".join(name_tokens(m.text))) is not None


# The province's own command or steering committee, named in full ("Ban Chỉ huy Phòng thủ dân sự tỉnh Cà Mau").
_PROVINCE_COMMITTEE = re.compile(r"ban chi (?:huy|dao) (?!.*\b(?:huyen|xa|phuong|cac|cap|quan su)\b).*\b(?:tinh|thanh pho)"
                                 r"(?: \w+){0,3}")
# After "đề nghị", "yêu cầu", "chỉ đạo": words that make it a noun ("Đề nghị của cử tri là chính đáng").
_OF_A_NOUN = frozenset({"cua", "nay", "tren", "do"})
_AT_A_MEETING = re.compile(r"tai\s+(?:buoi|cuoc|hoi\s+nghi|phien|le)\b")
_PROPOSES = _phrases("đề nghị", "kiến nghị", "xin", "xin ý kiến")
_PASSIVE_BEFORE = frozenset({"cung", "vua", "se", "da", "con", "tiep", "tuc", "deu"})
_DUTY = _phrases("nhiệm vụ", "trách nhiệm")


def _past_day(msg: Analysed, i: int, limit: int) -> int:
    """Past "ngày 1.10", "ngày 28/8" at i ("Văn phòng UBND tỉnh Quảng Bình ngày 1.10 cho hay …"); i when none."""
    if i + 1 >= limit or msg.texts[i] != "ngay" or not msg.tokens[i + 1].text.isdigit():
        return i
    i += 1
    while i < limit and (msg.tokens[i].text.isdigit() or msg.tokens[i].text in ("/", ".", "-")):
        i += 1
    return i


def _past_name(msg: Analysed, i: int, limit: int) -> int:
    """Past a capitalised name (a province's, "Đắk Lắk"; at most four words) right after an issuer that ends on "tỉnh"
    or "thành phố"; i itself when none follows."""
    if not msg.has_capitals or i < 1 or msg.texts[i - 1] not in ("tinh", "pho"):
        return i
    k = i
    while k < min(limit, i + 4) and msg.tokens[k].is_word and msg.original_token(k)[0].isupper():
        k += 1
    return k


def _past_capitals(msg: Analysed, i: int, limit: int) -> int:
    """Past up to four words in capitals (a place's name)."""
    k = i
    while msg.has_capitals and k < min(limit, i + 4) and msg.tokens[k].is_word and msg.original_token(k)[0].isupper():
        k += 1
    return k


_ESPECIALLY = _phrases("nhất là", "đặc biệt là", "trong đó có", "trong đó")


def _past_especially(msg: Analysed, i: int, limit: int) -> int:
    """Past ", nhất là các xã Măng Bút, Kon Plông, …, Sơn Tây Thượng," after the units told: the places the text
    stresses among them, before the task; i itself when no such aside follows."""
    if msg.texts[i:i + 1] != (",",) or not msg.has_capitals or not (n := starts(msg, i + 1, _ESPECIALLY)):
        return i
    k = i + 1 + n
    k += msg.texts[k:k + 1] == ("cac",)
    kind = next((len(p) for p in _UPPER_PLACES + _LOWER_PLACES if msg.words(k, k + len(p)) == p), 0) if k < limit else 0
    k += kind
    names = 0
    while k < limit and (msg.tokens[k].text in (",", "va") or (msg.tokens[k].is_word
                                                                 and msg.original_token(k)[0].isupper())):
        names += msg.tokens[k].is_word and msg.tokens[k].text != "va"
        k += 1
    if not names and kind and msg.tokens[k - 1].text != ",":
        # "…, đặc biệt là các xã ven biển không được …": a group narrowed by a few words, to the task's first word
        j = k
        while j < min(limit, k + 3) and msg.tokens[j].is_word and not _MUST_OR_NOT.match(msg.folded, msg.tokens[j].start):
            j += 1
        if j > k and j < limit and _MUST_OR_NOT.match(msg.folded, msg.tokens[j].start):
            return j
        return i
    if not names or k >= limit or msg.tokens[k - 1].text != ",":
        return i
    return k


_MUST_OR_NOT = re.compile(r"(?:khong\s+duoc|phai|can|khan\s+truong|tap\s+trung|chu\s+dong)\b")


def _past_place(msg: Analysed, i: int, limit: int) -> int:
    """Past "tỉnh Sóc Trăng", "TP Cần Thơ" written after a unit's name; i itself when none follows."""
    if i >= limit or not msg.has_capitals or msg.texts[i] not in ("tinh", "thanh"):
        return i
    k = i + 1 + (msg.texts[i] == "thanh" and msg.texts[i + 1:i + 2] == ("pho",))
    if k >= limit or not msg.tokens[k].is_word or not msg.original_token(k)[0].isupper():
        return i
    while k < limit and msg.tokens[k].is_word and msg.original_token(k)[0].isupper():
        k += 1
    return k


_PASSIVE_WORDS = 10  # tokens of a subject before its "được giao"
# "các cơ sở khám, chữa bệnh …", "các đơn vị …": a plural body's phrase (not "các công việc, công trình, hồ sơ, chỉ tiêu,
# trường hợp, vụ việc được giao")
_BODIES_TOLD = _phrases("cơ sở", "cơ quan", "đơn vị", "lực lượng", "tổ chức", "ban quản lý", "bệnh viện", "trường học",
                        "doanh nghiệp", "hội", "chủ đầu tư", "chủ rừng", "nhà máy", "trạm", "trung tâm", "chi cục", "phòng",
                        "đội", "hộ dân", "hộ gia đình", "công ty", "hợp tác xã")


def _passive_subject(msg: Analysed, i: int, last: int, limit: int) -> Roles | None:
    """"Cùng với đó, các cơ sở khám, chữa bệnh được chỉ đạo tập trung cấp cứu …": whoever is told, passively, is the
    assignee, a body the unit list lacks (asked), when its words name bodies ("các cơ sở …") and hold no verb."""
    if i + 1 >= last or msg.tokens[i].text != "cac" or not starts(msg, i + 1, _BODIES_TOLD):
        return None
    for j in range(i + 2, min(last, i + _PASSIVE_WORDS)):
        word = msg.tokens[j].text
        if word in _PASSIVE_BEFORE or word == "duoc":
            if n := _passive_at(msg, j, limit):
                if any(_assigns_at(msg, k) or starts(msg, k, _LEADS) or starts(msg, k, HELPS) for k in range(i, j)):
                    return None
                return Roles([Mention("unknown", None, i, j, msg.original(i, j))], [], j + n, True)
            return None
        if not (msg.tokens[j].is_word or word in (",", "-")):
            return None
    return None


def _passive_at(msg: Analysed, i: int, limit: int) -> int:
    """Length of a passive assignment after a unit's name ("được giao", "cũng được yêu cầu", "vừa được giao
    nhiệm vụ"), 0 if none: the unit before it is the one assigned."""
    j = i
    while j < limit and j - i < 3 and msg.tokens[j].text in _PASSIVE_BEFORE and msg.tokens[j].text != "duoc":
        j += 1
    if j >= limit or msg.tokens[j].text != "duoc":
        return 0
    n = _assigns_at(msg, j + 1)
    if not n:
        return 0
    k = j + 1 + n
    k += starts(msg, k, _DUTY)
    return k - i


_MEETINGS = _phrases("cuộc họp", "phiên họp", "buổi làm việc", "hội nghị", "buổi tiếp", "phiên tiếp", "buổi họp",
                     "cuộc làm việc", "buổi gặp mặt", "buổi đối thoại")
def _with_other_roles(msg: Analysed, k: int, last: int) -> int:
    """Past ", ban quản lý dự án" and the like after "Các chủ đầu tư": more bodies named by their role, in lower case."""
    if k >= last or msg.tokens[k].text not in (",", "va"):
        return k
    j = k + 1
    while j < last and j - k <= 7 and msg.tokens[j].is_word and not (msg.has_capitals and msg.original_token(j)[0].isupper()):
        if starts(msg, j, _MUST) or starts(msg, j, _TASK_OPENERS):
            return j if j > k + 1 else k
        j += 1
    return k


def _place_told(msg: Analysed, k: int, limit: int) -> bool:
    """After a place named bare ("Huyện X", known or not), more names of places, then what they are ("đang …",
    ": cấp độ 4"), no task."""
    while k < limit and msg.texts[k] != "cap" and (
            msg.texts[k] in (",", ":", "va") or starts(msg, k, _UPPER_PLACES) or starts(msg, k, _LOWER_PLACES)
            or (msg.tokens[k].is_word and msg.has_capitals and msg.original_token(k)[0].isupper())):
        k += 1
    return k < limit and (msg.texts[k] == "cap" or msg.texts[k] in _NOT_A_TASK)


def _meets(msg: Analysed, index: UnitIndex, i: int, limit: int) -> bool:
    """After a subject, the issuer joined to it ("và Thường trực UBND tỉnh", ", Chủ tịch UBND tỉnh,") and words that
    tell a meeting: who chaired it, who met or heard reports; no task."""
    while i < limit and (who := index.match_at(msg, i + (msg.tokens[i].text in (",", "va")))) is not None \
            and who.kind == "issuer":
        i = _skip(msg, who.last, limit)
    if (n := starts(msg, i, _LEADS)) and starts(msg, i + n, _MEETINGS):
        return True
    return msg.words(i, i + 1) == ("nghe",) or msg.words(i, i + 2) == ("hop", "ban")


# What joins the names of a list; a slash joins two as a letter's addressees write it ("UBND các huyện/UBND cấp xã").
_LIST_GLUE = frozenset({",", "va", "&", ";", ":", "cung", "/"})
_HEAD_WORDS = {"so": ("so",), "ubnd": ("ubnd",)}
# The first words of the heads of other bodies' names: past one of them a list's names no longer share "Sở"
_OTHER_HEADS = frozenset(name_tokens(h)[0] for h in BODY_HEADS) - {"so", "ubnd"}
_PLACE_KINDS = (("thi", "xa"), ("thi", "tran"), ("thanh", "pho"), ("dac", "khu"), ("huyen",), ("xa",), ("phuong",),
                ("quan",))


def _other_head(msg: Analysed, index: UnitIndex, m: Mention, prefix: tuple[str, ...]) -> bool:
    """m is a body whose own name has another head than the list's first ("Sở X, Ban Chỉ huy Y, Cảng vụ Z": past "Ban
    Chỉ huy Y" the names no longer share "Sở"; "Sở X, NN&PTNT, Xây dựng" they still do)."""
    if m.kind == "unit" and m.code in index.units:
        return name_tokens(index.units[m.code].name)[: len(prefix)] != prefix
    return msg.texts[m.first] in _OTHER_HEADS


def unit_list(msg: Analysed, index: UnitIndex, i: int, last: int) -> tuple[list[Mention], int]:
    """Units and groups joined by commas, "và", ";" from token i; generic phrases are read but assign
    nobody, and the province's leadership ends the list. A list may share its head word: "các Sở: Tài
    chính, Xây dựng", "Sở Tài chính, NN&PTNT", "UBND các huyện: Đakrông, Hải Lăng"."""
    found: list[Mention] = []
    shared_list = False  # "các Sở: Tài chính, Xây dựng": names after the colon share the head word
    own_prefix = False  # the head word is the first name's own ("Sở Tài chính, NN&PTNT"), not a list's shared one
    forces = _counted_forces(msg, index, i, last)
    if forces:
        return forces
    prefix: tuple[str, ...] = ()
    if (places := _places_named(msg, index, i, last)) is not None:
        found, i = places  # "2 huyện Vị Xuyên và Hoàng Su Phì", "các xã A, B và C"
        j = i
        while j < last and msg.tokens[j].text in (",", "va", ";"):
            j += 1
        m = _assignee_at(msg, index, j, last) if j > i else None
        if m is None:
            return found, i
    else:
        shared = _shared_head(msg, index, i, last)
        if shared is None and (title := starts(msg, i, _TITLES)):
            shared = _shared_head(msg, index, i + title, last)  # "Giám đốc các Sở: Xây dựng, Tài chính"
        if shared:
            prefix, i = shared
            shared_list = True
        # the first after a shared head may be named in full ("các đơn vị: Công an tỉnh, Y tế, …")
        m = _assignee_at(msg, index, i, last, prefix) or (_assignee_at(msg, index, i, last) if shared else None)
    while m is not None:
        bracket = _members_in_brackets(msg, index, m, last) if m.kind == "group" else None
        if bracket is not None:  # "UBND các huyện, thị xã ven biển (Hoàng Mai, Quỳnh Lưu, …)": those members
            found.extend(bracket[0])
            m = replace(m, last=bracket[1])
            members = False
        else:
            named_from = _names_districts(msg, index, m) if m.kind == "group" and m.last < last else None
            members = named_from is not None
            if named_from is not None and named_from > m.last:
                m = replace(m, last=named_from)  # the narrowing words belong to the group's phrase
            elif not members and m.kind == "group" and (n := starts(msg, m.last, _NARROWING)) and m.last + n <= last:
                m = replace(m, last=m.last + n)  # "UBND các huyện có rừng …": which of them is not said (asked)
        if bracket is not None:
            pass
        elif members or (m.kind == "group" and _heads_member_list(msg, index, m, last)):
            prefix = _district_prefix(msg, m)  # "UBND các huyện: A, B" names the districts A and B
        else:
            found.append(m)
            if (not prefix or own_prefix) and msg.tokens[m.first].text in _HEAD_WORDS and m.kind == "unit":
                # (the latest name's own head: "Sở Y tế; Chủ tịch UBND huyện An Lão, Vĩnh Thạnh")
                prefix = _HEAD_WORDS[msg.tokens[m.first].text]
                own_prefix = True
                place = msg.words(m.first + 1, m.first + 3)
                kind = next((k for k in _PLACE_KINDS if place[: len(k)] == k), None)
                if prefix == ("ubnd",) and kind:  # "UBND huyện Quang Bình, Bắc Quang": two districts
                    prefix = ("ubnd", *kind)
        i = j = m.last
        if m.kind in ("unit", "unknown") and (short := _abbreviation_after(msg, j, last)) > j:
            i = j = short  # "Sở Giáo dục và Đào tạo (GD&ĐT), Sở …": the name's short form, given once
        if m.kind == "unit" and (named := _own_place_name(msg, index, j, last)) > j:
            i = j = named  # "Đài Phát thanh và Truyền hình Hải Phòng, …", "Cục Thuế tỉnh Kiên Giang phối hợp …"
        elif m.kind == "unit" and msg.words(j, j + 1) == ("tinh",) and j + 1 < last and (
                msg.tokens[j + 1].text in (";", ",") or msg.texts[j + 1] == "va" and _assignee_at(msg, index, j + 2, last)):
            i = j = j + 1  # "…; Ban quản lý các Khu công nghiệp tỉnh; UBND …": the province's, as its name says
        if m.kind == "unknown" and j < last and "-" in msg.text[msg.tokens[j - 1].end:msg.tokens[j].start]:
            owner = _assignee_at(msg, index, j, last)  # "Ban Quản lý dự án 85 - Bộ GTVT": whose board it is
            if owner is not None:
                i = j = owner.last
        if m.kind == "group" and msg.words(j, j + 2) == ("thanh", "vien") \
                and (semi := next((k for k in range(j + 2, min(last, j + 24)) if msg.tokens[k].text in (";", ".")),
                                  None)) is not None and msg.tokens[semi].text == ";" \
                and not any(_assigns_at(msg, k) for k in range(j + 2, semi)):
            i = j = semi  # "các sở, ban, ngành thành viên Ban Chỉ huy … tỉnh; Chủ tịch UBND các huyện …": the group's qualifier
        while j < last and msg.tokens[j].text in _LIST_GLUE:
            j += 1
        if j == i and not members and j < last and m.kind in ("group", "generic") \
                and (past := _other_bodies(msg, index, j, last)) is not None:
            m = _assignee_at(msg, index, past, last)  # "các sở, …, các cơ quan Trung ương đóng trên địa bàn, UBND …"
            continue
        if j == i and not members and not (j < last and msg.tokens[j].text == "@"):
            break
        title = starts(msg, j, _TITLES) if not members else 0
        shared = _shared_head(msg, index, j + title, last) if not members else None
        # a shared head goes first ("…; Giám đốc các Sở: Xây dựng; Y tế; …", its title too): "các Sở: …" is also the
        # phrase of every department, which would end the list
        nxt = None if members or shared else _assignee_at(msg, index, j, last)
        if shared:
            prefix, j = shared
            shared_list = True
            nxt = _assignee_at(msg, index, j, last, prefix) or _assignee_at(msg, index, j, last)
        elif nxt is None and prefix:
            # "Sở Tài chính, NN&PTNT": the head word shared; past a name with a head of its own only for a unit the list
            # has ("Sở Y tế, Công an tỉnh, Tài chính"; "Sở X, Ban Chỉ huy Y, Cảng vụ Z" is no "Sở Cảng vụ Z")
            nxt = _assignee_at(msg, index, j, last, prefix)
            if nxt is not None and nxt.kind == "unknown" and own_prefix and _other_head(msg, index, m, prefix):
                nxt = None
            if (nxt is None or nxt.kind == "unknown") and prefix[:1] == ("ubnd",) and len(prefix) > 1 \
                    and any(msg.words(j, j + len(k)) == k for k in _PLACE_KINDS) \
                    and (other := _assignee_at(msg, index, j, last, ("ubnd",))) is not None and other.kind == "unit":
                nxt = other  # "UBND phường Thuận An, đặc khu Cồn Cỏ": the committees of two kinds of place
            if nxt is not None and nxt.kind == "unknown" and ":" in msg.texts[i:j] and not shared_list:
                nxt = None  # "Sở Công Thương: Theo dõi, đánh giá …": the task after the unit's heading, no "Sở Theo dõi"
        if nxt is None and j > i and m.kind == "group" and msg.texts[m.first] == "ubnd" and msg.texts[j:j + 1] == ("cap",):
            nxt = _assignee_at(msg, index, j, last, ("ubnd",))  # "UBND cấp xã, cấp huyện": one head for two levels
        if nxt is None and j > i and m.kind == "group" and (bare := index.group_without_cac(msg, j)) is not None \
                and bare.kind == "group" and bare.last <= last and msg.words(bare.last, bare.last + 1) != ("lien",):
            nxt = bare  # "UBND các huyện, thị, ban, ngành cấp tỉnh": another group's phrase, its "các" left out
        if nxt is None and j > i and m.kind in ("group", "generic") and (past := _other_bodies(msg, index, j, last)) is not None:
            j = past  # "các sở, …, các cơ quan Trung ương đóng trên địa bàn, UBND các huyện …": bodies the list lacks
            nxt = _assignee_at(msg, index, j, last)
        m = nxt
    return found, i


_BY_WHEN = _phrases("trước ngày", "chậm nhất ngày", "chậm nhất là ngày", "chậm nhất đến ngày", "chậm nhất vào ngày",
                    "chậm nhất đến", "trước", "chậm nhất", "trong ngày")
# "… yêu cầu, thời gian tới, huyện X cần …": when, before whom it tells
_FROM_NOW = _phrases("thời gian tới", "trong thời gian tới", "thời gian sắp tới", "trong thời gian sắp tới", "sắp tới",
                     "từ nay đến cuối năm", "tới đây", "trong những ngày tới", "những ngày tới")


def _time_before_units(msg: Analysed, i: int, last: int) -> int:
    """Past a deadline written right after the issuer's verb, before whom it tells ("trước ngày 26/4,"), else i."""
    if n := starts(msg, i, _FROM_NOW):
        return _skip(msg, i + n, last)
    if msg.words(i, i + 2) in (("tu", "nay"), ("sau", "khi")) or (
            msg.words(i, i + 2) in (("tu", "ngay"), ("ngay", "tu")) and any(t.text.isdigit() for t in msg.tokens[i + 2:i + 5])):
        # "… yêu cầu từ nay cho đến Tết Nguyên đán, lực lượng chức năng …", "… yêu cầu sau khi được cơ quan có thẩm quyền
        # phê duyệt …, UBND phường X phối hợp …": when, before whom it tells
        comma = next((k for k in range(i + 2, min(last, i + 24)) if msg.tokens[k].text == ","), None)
        return _skip(msg, comma, last) if comma is not None else i
    n = starts(msg, i, _BY_WHEN)
    if not n:
        return i
    j = i + n
    if j >= last or not msg.tokens[j].text.isdigit():
        return i
    while j < last and (msg.tokens[j].text.isdigit() or msg.tokens[j].text in ("/", ".", "-")):
        j += 1
    if j < last and msg.tokens[j].text == "nam" and j + 1 < last and msg.tokens[j + 1].text.isdigit():
        j += 2
    return _skip(msg, j, last)


def _asks_the_province(msg: Analysed, index: UnitIndex, i: int, last: int) -> bool:
    """A clause that opens with a request to the province itself ("yêu cầu tỉnh chỉ đạo …", "Đề nghị UBND tỉnh …")."""
    n = starts(msg, i, _ASSIGN)
    if not n or msg.texts[i] == "giao" or i + n >= last:
        return False
    j = i + n
    if msg.texts[j] == "tinh":
        return j + 1 < last and msg.tokens[j + 1].is_word and not (
            msg.has_capitals and msg.original_token(j + 1)[0].isupper())
    to = index.match_at(msg, j)
    return to is not None and to.kind == "issuer" and msg.texts[to.last - 1] in ("tinh", "pho", "phu")


def _own_place_name(msg: Analysed, index: UnitIndex, k: int, last: int) -> int:
    """Past the province's or city's name written after a unit of it ("Sở Y tế tỉnh Sóc Trăng", "Báo … Hải Phòng"):
    "tỉnh" or "thành phố" and up to four words in capitals that name no unit, then a list's glue or lower case."""
    if not msg.has_capitals or k >= last:
        return k
    j = k + (msg.texts[k] == "tinh") + 2 * (msg.words(k, k + 2) == ("thanh", "pho"))
    start = j
    while j < last and j - start < 4 and msg.tokens[j].is_word and msg.original_token(j)[0].isupper() \
            and index.match_at(msg, j) is None:
        j += 1
    if j == start or j - start < 2 and msg.texts[k] not in ("tinh", "thanh"):
        return k  # one word in capitals alone may be a sentence's next word
    if j < last and msg.tokens[j].is_word and msg.original_token(j)[0].isupper():
        return k
    return j


def _other_bodies(msg: Analysed, index: UnitIndex, j: int, last: int) -> int | None:
    """Where a list of groups goes on after bodies that are no units ("các sở, ban, ngành, đoàn thể cấp tỉnh,
    các cơ quan Trung ương đóng trên địa bàn, UBND các huyện …"): the next unit or group after a comma or "và",
    within ten words that say no task."""
    for k in range(j, min(last, j + 24)):
        tok = msg.tokens[k]
        if tok.text in (",", "va", ";") and k > j:
            m = _assignee_at(msg, index, k + 1, last)
            if m is not None and m.kind in ("unit", "group"):
                return k + 1
            continue  # "…, cơ quan đơn vị đoàn thể, các cơ quan Trung ương …": more bodies
        if not tok.is_word or tok.text in _TASK_WORDS or tok.text.isdigit():
            return None
    return None


# Words of a task or a role, never of a body's name: a list does not run on over them.
_TASK_WORDS = frozenset({"chu", "tri", "phoi", "hop", "thuc", "hien", "khan", "truong", "tham", "muu", "de", "giao",
                         "tiep", "tuc", "trien", "khai", "kiem", "tra", "bao", "cao", "can", "phai", "theo", "tai",
                         "ve", "viec", "chi", "dao", "huong", "dan", "yeu", "cau", "nghi", "tang", "cuong", "ra", "soat"})


def _counted_forces(msg: Analysed, index: UnitIndex, i: int, last: int) -> tuple[list[Mention], int] | None:
    """"3 lực lượng Công an, Quân sự, Biên phòng", "các lực lượng: Công an, Quân sự": forces named by the
    word their unit's name holds."""
    j = i + 1 if i < last and (msg.tokens[i].text.isdigit() or msg.tokens[i].text == "cac") else i
    if msg.words(j, j + 2) != ("luc", "luong") or not msg.has_capitals:
        return None
    j += 2
    if j < last and msg.tokens[j].text == ":":
        j += 1
    found: list[Mention] = []
    while j < last and msg.tokens[j].is_word and msg.original_token(j)[0].isupper():
        code, k = None, j + 1
        for end in range(j + 1, min(last, j + 4) + 1):  # the longest run of words one unit's name holds
            if not msg.tokens[end - 1].is_word:
                break
            if (one := index.within_one(msg.words(j, end))) is not None:
                code, k = one, end
        if code is None:
            return None
        found.append(Mention("unit", code, j, k, msg.original(j, k)))
        j = k
        if j < last and msg.tokens[j].text in (",", "va"):
            j += 1
        else:
            break
    return (found, j) if len(found) >= 2 else None


_NAME_WORDS = 6  # a department's bare name, before the comma or «;» that lists the next
_DEPARTMENTS_SAID = (("cac", "so", ",", "nganh", ":"), ("cac", "so", "nganh", ":"), ("cac", "so", ",", "ban", ",", "nganh", ":"),
                     ("cac", "so", ",", "ban", "nganh", ":"))


def _shared_head(msg: Analysed, index: UnitIndex, i: int, last: int) -> tuple[tuple[str, ...], int] | None:
    """"các Sở: …", "Các sở Xây dựng, Tài chính" open a list of departments named without their head word."""
    words = msg.words(i, i + 3)
    if words[:2] == ("cac", "so") and i + 2 < last and msg.has_capitals and msg.original_token(i + 2)[0].isupper():
        first = index.match_at(msg, i + 2, prefix=("so",))
        if first is not None and first.kind == "unit":
            return ("so",), i + 2
    if words[:3] == ("cac", "so", ":"):
        return ("so",), i + 3
    for said in _DEPARTMENTS_SAID:  # "gửi các sở, ngành: Lao động - TBXH; Y tế, …": departments named bare
        k = i + len(said)
        if msg.words(i, k) == said and k < last and msg.texts[k] not in ("so", "ubnd") \
                and any(msg.texts[p] in (",", ";") for p in range(k + 1, min(last, k + _NAME_WORDS + 1))):
            # (not "các sở, ngành: Sở Y tế, Sở Tài chính …", named in full, nor "Các sở, ban, ngành: Tập trung chỉ đạo
            # đẩy nhanh …", the task of a heading: the names after the colon are short and listed)
            return ("so",), k
    if words[:2] == ("so", ":"):
        return ("so",), i + 2
    if msg.words(i, i + 4) == ("cac", "don", "vi", ":"):
        return ("so",), i + 4  # "Thủ trưởng các đơn vị: Y tế, Bộ Chỉ huy Quân sự, Công Thương, …": departments bare
    if msg.words(i, i + 4) == ("ubnd", "cac", "huyen", ":"):
        return ("ubnd", "huyen"), i + 4
    if msg.words(i, i + 2) == ("ubnd", ":"):
        return ("ubnd",), i + 2  # "giao UBND: thành phố Vị Thanh, huyện Vị Thủy có trách nhiệm …"
    return None


def _places_named(msg: Analysed, index: UnitIndex, i: int, last: int) -> tuple[list[Mention], int] | None:
    """Places of one kind named after the kind word once: "2 huyện Vị Xuyên và Hoàng Su Phì", "các xã A, B và C",
    "UBND huyện A, B" (two or more names; after a count or "các", one is enough)."""
    j = i + 1 if i < last and msg.tokens[i].text == "ubnd" else i
    counted = j < last and (msg.tokens[j].text.isdigit() or msg.tokens[j].text == "cac")
    j += counted
    kind = next((k for k in _PLACE_KINDS if msg.words(j, j + len(k)) == k), None)
    if kind is None:
        return None
    j += len(kind)
    found: list[Mention] = []
    end = j
    while j < last and msg.tokens[j].is_word and msg.original_token(j)[0].isupper():
        m = index.match_at(msg, j, prefix=("ubnd", *kind)) or index.match_at(msg, j, prefix=kind)
        if m is None or m.kind != "unit":
            break
        found.append(m)
        end = j = m.last
        if j < last and msg.tokens[j].text in (",", "va"):
            j += 1
            if j < last and msg.tokens[j].text == "va":
                j += 1
    if len(found) >= (1 if counted else 2):
        return found, end
    return None


def _members_in_brackets(msg: Analysed, index: UnitIndex, group: Mention, last: int) -> tuple[list[Mention], int] | None:
    """A group narrowed by a few words in lower case and its members in brackets ("UBND các huyện, thị xã ven biển
    (Hoàng Mai, Quỳnh Lưu, Diễn Châu)"): the members, every one of them a unit of the list, and where the bracket
    closes."""
    j = group.last
    while j < last and j - group.last < 3 and msg.tokens[j].is_word and not msg.original_token(j)[0].isupper():
        j += 1
    if j >= last or msg.tokens[j].text != "(":
        return None
    j += 1
    found: list[Mention] = []
    while j < last and msg.tokens[j].text != ")":
        m = next((x for k in _PLACE_KINDS if (x := index.match_at(msg, j, prefix=("ubnd", *k))) is not None
                  and x.kind == "unit"), None) or index.match_at(msg, j)
        if m is None or m.kind != "unit" or not msg.original_token(j)[0].isupper():
            return None
        found.append(m)
        j = m.last
        while j < last and msg.tokens[j].text in (",", "va", ";"):
            j += 1
    return (found, j + 1) if found and j < last else None


# Words that narrow a group to some of its members without naming them: "các huyện có rừng", "các xã ven biển".
_NARROWING = _phrases("ven biển", "biên giới", "miền núi", "vùng cao", "có rừng", "có biển", "ven sông", "có đê",
                      "trọng điểm", "vùng trũng", "thấp trũng", "có dự án", "vùng sâu, vùng xa",
                      "vùng sâu", "đồng bằng", "ven đô", "có cửa khẩu", "có đường biên giới", "khu vực biên giới")


def narrowed(msg: Analysed, m: Mention) -> bool:
    """A group whose phrase ends with words that narrow it ("UBND các huyện có rừng"): which members, asked."""
    return len(group_phrase(msg, m)) < m.last - m.first


def others_of(msg: Analysed, m: Mention) -> bool:
    """"các sở, ngành khác": the group but those named already (as support, the group; as lead, which ones is asked)."""
    return m.kind == "group" and m.last - m.first > 1 and msg.texts[m.last - 1] == "khac"


def group_phrase(msg: Analysed, m: Mention) -> tuple[str, ...]:
    """The words of a mention without the words that narrow a group ("các địa phương" of "các địa phương ven biển")."""
    words = msg.words(m.first, m.last)
    if m.kind == "group" and len(words) > 1 and words[-1] == "khac":
        words = words[:-1]  # "các địa phương khác": the others of the group
    if m.kind == "group":
        for p in _NARROWING:
            if len(words) > len(p) and words[-len(p):] == p:
                return words[: -len(p)]
    return words


def _names_districts(msg: Analysed, index: UnitIndex, group: Mention) -> int | None:
    """"UBND các huyện An Lão, Vĩnh Thạnh": the group's words go on with the name of one of its members, maybe after
    a word or two that narrow it ("chính quyền các huyện biên giới Phong Thổ, Sìn Hồ"); where the names begin."""
    prefix = _district_prefix(msg, group)
    if not prefix:
        return None
    for at in range(group.last, min(group.last + 3, len(msg.tokens))):
        if at > group.last and not (msg.tokens[at - 1].is_word and msg.original_token(at - 1).islower()):
            return None
        m = index.match_at(msg, at, prefix=prefix)
        if m is not None and m.kind == "unit":
            return at
    return None


def _heads_member_list(msg: Analysed, index: UnitIndex, group: Mention, last: int) -> bool:
    """"UBND các huyện: Đakrông, Hải Lăng" heads a list of its members (known, or names we do not know,
    written with a capital); "Các sở, ban, ngành: tập trung …" is the group itself, told what to do after
    the colon."""
    after = group.last + 1
    if after >= last or msg.tokens[group.last].text != ":":
        return False
    prefix = _district_prefix(msg, group)
    m = index.match_at(msg, after, prefix=prefix) if prefix else None
    if m is None or m.kind != "unit":
        m = index.match_at(msg, after)
    if m is not None and m.kind == "unit":  # "… xã, phường: phường Thuận An" names one of them
        return True
    # A name we do not know is written with capitals to its end ("Đakrông, Hải Lăng"); "Tập trung chỉ
    # đạo …" is a task written with a capital after the colon.
    name = msg.tokens[after:last]
    return msg.text[name[0].start].isupper() and (
        len(name) == 1 or not name[1].text.isalpha() or msg.text[name[1].start].isupper())


_DEPARTMENT_HEADS = re.compile(r"giam\s+doc\s+(?:cac\s+)?so\s*,\s*(?:thu\s+truong|truong)\s+(?:cac\s+)?(?:co\s+quan\s*,\s*)?"
                               r"ban\s*,?\s*nganh(?:\s+(?:tinh|thanh\s+pho)\b)?\b"
                               r"(?:\s*,\s*(?:co\s+quan\s*,\s*)?don\s+vi(?:\s+cap\s+tinh)?\b)?")


def _district_prefix(msg: Analysed, group: Mention) -> tuple[str, ...]:
    words = [t.text for t in msg.tokens[group.first:group.last] if t.text not in ("cac", ",")]
    if words[:2] == ["chinh", "quyen"]:
        words = ["ubnd", *words[2:]]  # "chính quyền các huyện Phong Thổ, Sìn Hồ": the districts' committees
    return tuple(words[:2]) if len(words) >= 2 else ()


def _assignee_at(msg: Analysed, index: UnitIndex, i: int, last: int, prefix: tuple[str, ...] = ()) -> Mention | None:
    if msg.words(i, i + 2) == ("luc", "luong"):  # "lực lượng công an tỉnh" is the unit; "lực lượng thanh tra" is not
        behind = index.match_at(msg, i + 2)
        if behind and behind.kind == "unit" and behind.last - (i + 2) >= 3:
            i += 2
    if i < last and (split := _DEPARTMENT_HEADS.match(msg.folded, msg.tokens[i].start)) is not None:
        # "Giám đốc (các) Sở, Thủ trưởng các Ban, ngành": every department's head, the title said twice
        whole = index.resolve("các sở, ban, ngành")
        end = msg.token_at_or_after(split.end())
        if whole is not None and whole.startswith("#") and end <= last:
            return Mention("group", whole[1:], i, end, msg.original(i, end))
    if msg.words(i, i + 3) == ("cac", "dong", "chi") and starts(msg, i + 3, _TITLES):
        i += 3  # "các đồng chí lãnh đạo các địa phương": the comrades are the title's holders
    while (title := starts(msg, i, _TITLES)) and i + title + 1 < last and msg.tokens[i + title].text in (",", "va") \
            and starts(msg, i + title + 1, _TITLES):
        i += title + 1  # "Bí thư, Chủ tịch UBND các xã …", "Giám đốc, Phó Giám đốc Sở X": titles of one body's heads
    while (title := starts(msg, i, _TITLES)) and (party := starts(msg, i + title, _PARTY_BODIES)) \
            and i + title + party + 1 < last and msg.tokens[i + title + party].text in (",", "va") \
            and starts(msg, i + title + party + 1, _TITLES):
        i += title + party + 1  # "Bí thư Đảng ủy, Chủ tịch UBND các xã, phường": the party's head beside the council's
    if title := starts(msg, i, _TITLES):
        if i + title + 1 < last and msg.tokens[i + title].text == ":":
            title += 1  # "Giao Giám đốc: Sở A, Sở B, Đài C …": one title shared by the list after the colon
        if msg.tokens[i + title - 1].text == "cac" and index.match_at(msg, i + title) is None:
            title -= 1  # "Trưởng các ban, ngành": the title is "Trưởng", the group "các ban, ngành"
        behind = index.match_at(msg, i + title, unknown=True)
        if behind is None and (group := index.group_without_cac(msg, i + title)) is not None:
            return group if group.last <= last else None  # "thủ trưởng sở, ban, ngành": "các" left out
        if behind and behind.kind != "issuer":
            i += title
        elif (inner := index.match_at(msg, i + 1)) and inner.kind == "unit" and inner.last > i + title:
            i += 1  # "Chánh Thanh tra tỉnh", "Chánh Văn phòng UBND tỉnh": the title's last words begin the unit
    if i >= last:
        return None
    if not prefix and msg.texts[i] == "nganh" and (dept := index.match_at(msg, i + 1, prefix=("so",))) \
            and dept.kind == "unit":  # "ngành nông nghiệp" is the department
        return Mention("unit", dept.code, i, dept.last, msg.original(i, dept.last))
    m = index.match_at(msg, i, prefix=prefix) if prefix else index.match_at(msg, i, unknown=True)
    if m is None and prefix == ("so",):
        m = _unknown_department(msg, i, last)
    if m and m.kind == "unknown" and msg.has_capitals and not msg.original_token(i)[0].isupper() \
            and msg.words(i, i + 2) != ("cap", "uy"):  # "cấp ủy" is written so, and is a body the list lacks
        return None  # "chỉ đạo phòng NN&PTNT …": a district's own office, not one of the province's units
    if m and m.kind == "unit" and msg.has_capitals and not msg.original_token(m.first)[0].isupper() \
            and msg.words(m.first, m.first + 1) not in _LOWER_NAME_HEADS and starts(msg, m.first, _BODY_NOUNS) == 0 \
            and i > 0 and msg.texts[i - 1] in (",", "nhu", "va") and _listed_fields(msg, i):
        return None  # "các lĩnh vực như kế hoạch, tài chính, xây dựng": fields named in lower case, no departments
    if m and m.kind == "unknown" and (city := _city_unit(msg, index, m)) is not None:
        m = city  # "Công an TP", "Sở Xây dựng TP": in a city that is a province, its "TP" is the province's "tỉnh"
    if m and m.kind == "unit" and msg.words(m.first, m.last) in _ALSO_VERBS \
            and msg.words(m.last, m.last + 2) in ((",", "kiem"), ("kiem", "tra"), (",", "giam")):
        return None  # "Thanh tra, kiểm tra, xử lý vi phạm …": the verb, not the inspectorate
    if m and m.kind == "unit" and msg.words(m.first, m.last) in _ALSO_VERBS and msg.has_capitals \
            and not msg.original_token(m.first)[0].isupper() and i > 0 and msg.texts[i - 1] in (",", "va") \
            and msg.words(m.last, m.last + 1) in ((",",), ("va",)):
        return None  # "… kiểm tra, thanh tra và xử lý nghiêm …": in lower case inside a row of verbs, the verb
    if m and m.kind == "unit" and (level := _lower_level(msg, m, last)):
        # "Thanh tra huyện", "Công an xã Phú Lộc": a district's or commune's body of that name, not the province's
        return Mention("unknown", None, m.first, level, msg.original(m.first, level))
    return m if m and m.kind != "issuer" and m.last <= last else None


_LOWER_NAME_HEADS = frozenset({("so",), ("ubnd",), ("nganh",), ("ban",), ("cuc",), ("chi",), ("uy",)})


def _listed_fields(msg: Analysed, i: int) -> bool:
    """Token i is in a list after "lĩnh vực (như)", "ngành (như)" or "như": fields, not bodies."""
    for k in range(i - 1, max(-1, i - 12), -1):
        if msg.texts[k] in (".", ";", ":"):
            return False
        if msg.words(k, k + 2) == ("linh", "vuc") or msg.texts[k] == "nhu":
            return True
    return False


def _city_unit(msg: Analysed, index: UnitIndex, m: Mention) -> Mention | None:
    """The unit an unknown name means when its "TP" / "thành phố" (with no place's name after it) stands for the
    province's "tỉnh": "Công an TP" is "Công an tỉnh" in Hà Nội's texts."""
    words = msg.words(m.first, m.last)
    for k in range(1, len(words)):
        city = 1 if words[k] == "tp" else 2 if words[k:k + 2] == ("thanh", "pho") else 0
        if not city:
            continue
        end = m.first + k + city
        if end < len(msg.tokens) and msg.tokens[end].is_word and msg.original_token(end)[0].isupper():
            return None  # "Sở Xây dựng TP Cần Thơ", "UBND TP Huế": a place's name follows
        code = index.resolve(msg.original(m.first, m.first + k) + " tỉnh")
        return Mention("unit", code, m.first, end, msg.original(m.first, end)) if code else None
    return None


# Unit names that are also verbs of a task.
_ALSO_VERBS = frozenset({("thanh", "tra")})
_LEVELS = (("huyen",), ("xa",), ("phuong",), ("quan",), ("thi", "xa"), ("thi", "tran"), ("cap", "huyen"), ("cap", "xa"))


def _lower_level(msg: Analysed, m: Mention, last: int) -> int | None:
    """Where a province's department name goes on with a lower level ("Thanh tra huyện", "Công an xã X"): the end of
    that body's name, or None. A district's own committee ("UBND huyện X") is no department."""
    if msg.tokens[m.first].text in ("ubnd", "uy") or any(msg.words(m.first, m.first + len(k)) == k for k in _PLACE_KINDS):
        return None
    if m.last > 0 and msg.tokens[m.last - 1].text == "tinh":
        return None  # "Công an tỉnh": the province's own
    level = next((k for k in _LEVELS if msg.words(m.last, m.last + len(k)) == k), None)
    if level is None or m.last + len(level) > last:
        return None
    end = m.last + len(level)
    if end < len(msg.tokens) and msg.tokens[end].text == "hoi" or msg.tokens[m.last - 1].end != msg.tokens[m.last].start - 1:
        return None  # "… Xã hội"; the level word must follow the name after one space
    while end < last and end - m.last < 6 and msg.tokens[end].is_word and msg.has_capitals \
            and msg.original_token(end)[0].isupper():
        end += 1  # "Công an xã Phú Lộc"
    return end


def _unknown_department(msg: Analysed, i: int, last: int) -> Mention | None:
    """"các sở: Du lịch, Tài chính": a department named without its head word that the list lacks is asked
    about as "Sở Du lịch"; its name runs in capitals to the next comma."""
    if not msg.has_capitals or i >= last or not msg.tokens[i].is_word or not msg.original_token(i)[0].isupper():
        return None
    j = i + 1
    while j < last and msg.tokens[j].is_word and msg.tokens[j].text not in ("va", "cung", "voi") and j - i < 6:
        j += 1
    if j < last and msg.tokens[j].text not in (",", ";", "va", "cung"):
        return None
    if starts(msg, i, _OTHER_BODIES):  # "các Sở, ngành: …, Vườn quốc gia Yok Don, Tổ công tác 1938": no department
        return Mention("unknown", None, i, j, msg.original(i, j))
    return Mention("unknown", None, i, j, "Sở " + msg.original(i, j))


_OTHER_BODIES = _phrases("vườn quốc gia", "tổ công tác", "tổ", "đoàn", "ban", "trung tâm", "chi cục", "công ty", "đài",
                         "viện", "bệnh viện", "trường", "cục", "hội", "bộ chỉ huy", "công an", "kho bạc", "ngân hàng",
                         "văn phòng", "thanh tra", "ủy ban", "liên đoàn", "bảo hiểm xã hội", "quỹ", "hạt kiểm lâm")


def only_helps(msg: Analysed, roles: Roles, last: int) -> bool:
    """"Sở B phối hợp." after a directive: Sở B supports it, it is no new task."""
    end = roles.lead[-1].last if roles.lead else last
    rest = tuple(t.text for t in msg.tokens[end:last] if t.is_word)
    return bool(roles.lead) and not roles.assigned and rest in _HELPS_ONLY


def continues_task(msg: Analysed, first: int, last: int) -> bool:
    """A clause that goes on with the directive before it although it names units: "…; chỉ đạo Trung
    tâm Y tế các huyện hướng dẫn …" (the lead directs its own units)."""
    i = _skip_opening(msg, first, last)
    return msg.words(i, i + 2) == ("chi", "dao")


def only_carries_out(msg: Analysed, roles: Roles, last: int) -> bool:
    """"… yêu cầu Giám đốc Ban X và Thủ trưởng các đơn vị có liên quan triển khai thực hiện.": the task
    is the one already given."""
    rest = [t.text for t in msg.tokens[roles.content_from:last] if t.is_word]
    return bool(rest) and all(w in _CARRY_OUT for w in rest)


def ends_with_objects(msg: Analysed, index: UnitIndex, first: int, last: int) -> bool:
    """The clause ends with the units a verb acts on ("Sở X đôn đốc các sở, ngành liên quan;"): units
    opening the next clause may still belong to that list."""
    for k in range(last - 1, first - 1, -1):
        if n := starts(msg, k, _OBJECT_VERBS):
            units, end = unit_list(msg, index, k + n, last)
            return bool(units) and end >= last - 1
    return False


_TIME_OPENING = frozenset({"truoc", "cham", "muon", "han", "trong", "den", "tu", "sau"})


_WHILE = _phrases("trong khi")


def _helpers(msg: Analysed, index: UnitIndex, i: int, limit: int) -> tuple[list[Mention], int]:
    """The units after "phối hợp với", a name written with capitals the list lacks among them ("Báo Bình Phước")."""
    found: list[Mention] = []
    while i < limit:
        units, end = unit_list(msg, index, i, limit)
        if units:
            found += units
            i = end
        elif msg.has_capitals and msg.tokens[i].is_word and msg.original_token(i)[0].isupper() and found is not None:
            run = i
            while run < limit and msg.tokens[run].is_word and msg.original_token(run)[0].isupper():
                run += 1
            if run - i < 2 or run >= limit or msg.tokens[run].text not in (",", "va"):
                break  # a name needs two capitalised words and a list that goes on
            found.append(Mention("unknown", None, i, run, msg.original(i, run)))
            i = run
        else:
            break
        if i + 1 < limit and msg.tokens[i].text in (",", "va") and msg.tokens[i + 1].is_word \
                and msg.original_token(i + 1)[0].isupper():
            i += 1
            continue
        break
    return found, i


def _abbreviation_after(msg: Analysed, j: int, last: int) -> int:
    """Past "(GD&ĐT)", "(Sở TN&MT)" right after a unit's name: a short form in brackets (expanded to its words when
    read), one part of it written in capitals."""
    if j >= last or msg.tokens[j].text != "(":
        return j
    close = next((k for k in range(j + 1, min(last, j + 12)) if msg.tokens[k].text == ")"), None)
    if close is None or close == j + 1:
        return j
    inside = msg.original(j + 1, close)
    return close + 1 if any(w.isupper() and len(w) >= 2 for w in re.split(r"[\s&/.-]+", inside)) else j


def _names_after_helps(msg: Analysed, first: int, k: int) -> bool:
    """Between the last "phối hợp với" before the comma at k and the comma, only names written with capitals."""
    at = next((j + n for j in range(k - 1, first - 1, -1) if (n := starts(msg, j, HELPS))), None)
    if at is None or at >= k or not msg.has_capitals:
        return False
    return all(not t.is_word or msg.original_token(j)[0].isupper() or t.text in ("va", "&")
               for j, t in enumerate(msg.tokens[at:k], start=at))


def _time_after_assigning(msg: Analysed, first: int, k: int) -> bool:
    """"Chủ tịch UBND tỉnh yêu cầu chậm nhất đến ngày 7/8, Sở Nội vụ phải …": the verb's first words before the
    comma are the time of the task that follows it, not a task of their own."""
    for j in range(k - 2, first - 1, -1):
        if n := _assigns_at(msg, j):
            return j + n < k and msg.tokens[j + n].text in _TIME_OPENING
    return False


def subject_breaks(msg: Analysed, index: UnitIndex, first: int, last: int) -> list[int]:
    """Commas in a clause after which another subject takes its own task: "Sở A nhắc nhở các nhà thầu, Ban
    B, Sở C nhắc nhở các doanh nghiệp …". Not after a unit (a list goes on), a condition ("nếu …, Sở X
    báo cáo"), or before units that only help ("…, Sở B phối hợp")."""
    breaks: list[int] = []
    if _asks_the_province(msg, index, _skip_opening(msg, first, last), last):
        return breaks  # "yêu cầu tỉnh chỉ đạo, đôn đốc cơ quan chức năng, UBND cấp huyện giải quyết …": all asked of the province
    for k in range(first + 3, last - 2):
        if msg.tokens[k].text != "," or not msg.tokens[k - 1].is_word or _in_brackets(msg, first, k):
            continue
        at = k + 1 + (len(_WHILE[0]) if msg.words(k + 1, k + 3) == _WHILE[0] else 0)  # "…, trong khi Sở X chủ trì …"
        after = _assignee_at(msg, index, at, last)
        if after is None or after.kind not in ("unit", "group"):
            continue
        if msg.has_capitals and not msg.original_token(at)[0].isupper():
            continue  # "… của thanh tra sở, thanh tra huyện": a unit's name is written with a capital
        before = [t.text for t in msg.tokens[first:k]]
        if sum(w.isalpha() for w in before) < 4 or any(_if(msg, t) for t in range(first, k)):
            continue  # "Ngày 08/4, Văn phòng …" states no task before the comma
        if _names_after_helps(msg, first, k):
            continue  # "… phối hợp với Báo Bình Phước, Đài Phát thanh - Truyền hình tỉnh tổ chức …": the helpers go on
        if before[0] in _TIME_OPENING or _time_after_assigning(msg, first, k):
            continue  # "Chậm nhất đến ngày 18/11/2025, Sở X phải …": the time of the task after the comma
        if _ends_a_name(msg, index, max(first, k - 12), k):
            continue
        units, end = unit_list(msg, index, at, last)
        if not units or any(m.kind not in ("unit", "group") for m in units) or end >= last:
            continue
        if not msg.tokens[end].is_word or msg.tokens[end].text in _NOT_A_TASK or msg.tokens[end].text in ("va", "tinh"):
            continue  # "…, xã Vĩnh Sơn, huyện Vĩnh Linh, tỉnh Quảng Trị": an address goes on
        if starts(msg, end, _SAID) or _an_address(msg, first, k, end, last):
            continue  # "Ông X, trú tại …, huyện Cam Lộ, kiến nghị …": a citizen speaks, no unit is told
        if msg.words(end, end + 2) == ("trong", "viec"):
            continue  # "trách nhiệm của ngành Thuế, Sở Tài chính và các huyện trong việc …": a noun phrase goes on
        if starts(msg, end, HELPS) or (starts(msg, end, _LEADS) and at == k + 1) or starts(msg, end, _ASSIGN):
            continue
        breaks.append(k)
    return breaks


_LIVES_AT = re.compile(r"\b(?:tru\s+tai|tru\s+o|dia\s+chi|thuong\s+tru|tam\s+tru|que\s+quan)\b")
_ADDRESS_PARTS = frozenset({",", "-", "thanh", "pho", "tinh", "huyen", "xa", "phuong", "quan", "thi", "tran"})


def _said_from(msg: Analysed, j: int, last: int) -> bool:
    """"…, xã Đại Đình, phản ánh …": a place, then the rest of an address, then a citizen's saying."""
    k = j
    while k < last and (msg.tokens[k].text in _ADDRESS_PARTS or msg.tokens[k].is_word and msg.has_capitals
                        and msg.original_token(k)[0].isupper() and not starts(msg, k, _SAID)):
        k += 1
    return k > j and k < last and starts(msg, k, _SAID) > 0 and msg.words(k, k + 2) != ("de", "nghi")


def _an_address(msg: Analysed, first: int, k: int, end: int, last: int) -> bool:
    """The units after the comma are where a citizen lives: "trú tại …, quận Cầu Giấy, thành phố Hà Nội kiến nghị …",
    "công dân X – Trưởng thôn Đồng Cà, xã Đại Đình, phản ánh …"."""
    if _said_from(msg, end, last) or end < last and starts(msg, end, _SAID):
        return True
    return _LIVES_AT.search(msg.folded, msg.tokens[max(first, k - 12)].start, msg.tokens[k].start) is not None


def _ends_a_name(msg: Analysed, index: UnitIndex, first: int, k: int) -> bool:
    """A unit, group or generic name ends just before token k ("Sở A, Sở B …" is a list going on)."""
    i = first
    while i < k:
        m = index.match_at(msg, i, unknown=True)
        if m and m.last == k:
            return True
        i = m.last if m and m.last < k else i + 1
    return False
