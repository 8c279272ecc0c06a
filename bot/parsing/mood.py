"""Whether a chat message asks the bot something or instructs units: its mood, read from its form.

Officials ask without a question mark («Sở Y tế thực hiện nhiệm vụ đến đâu») and instruct with the words a
question uses («báo cáo tình hình thực hiện …»), so the mood is read from features of the sentence, not from
its words' topic:

- commanded: the message opens with an issuer's verb of command («Giao …», «Yêu cầu …», «Đề nghị …», «Chỉ đạo
  …», «Phân công …», «Nhờ …»), possibly after the issuer («Phó Chủ tịch UBND tỉnh Nguyễn Văn A giao …») or a
  list marker;
- asked: an interrogative form: a question mark at the end, a final particle («… không», «… chưa», «… nhỉ»),
  an interrogative phrase anywhere («bao nhiêu», «mấy việc», «việc nào», «việc gì», «đến đâu», «thế nào»,
  «ra sao», «khi nào», «bao giờ»), or a request to the bot at the start («cho biết …», «báo cáo tôi …»,
  «kiểm tra giúp …», «xem giúp …», «cho tôi xem …»). A word that only reads as a question after negation
  («không để sót trường hợp nào», «không có vướng mắc gì») is no question;
- progress: the message is about how work is going («tình hình thực hiện», «tiến độ», «kết quả triển
  khai», «đến đâu», «xong chưa») and that phrase is not the object of a task verb («đẩy nhanh tiến độ»,
  «kiểm tra tiến độ»: a task). A report verb before it («Sở Y tế báo cáo tình hình …») leaves it open: the
  leader may ask the bot, or order the unit to report.

Folding drops the accents that tell «đâu» (where) from «dầu» (oil), «mấy» (how many) from «máy» (machine),
«trễ» (late) from «trẻ» (young): where the message is typed with diacritics, those words must be typed as the
interrogative; a message typed without any is read on its folded words alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.parsing.normalise import Analysed, fold_same_length

# An issuer's verb of command; not when the word is a noun («chỉ đạo của …», «yêu cầu về …», «giao đã …»).
_COMMAND = re.compile(r"(?:giao|yeu\s+cau|de\s+nghi|chi\s+dao|phan\s+cong|uy\s+quyen|nho)\b"
                      r"(?!\s+(?:cua|ve|nao|gi|da|nay|do|tai|thi|la|duoc|chua|khong)\b)")
# Who issues it, before the command verb («Đồng chí Phó Chủ tịch UBND tỉnh Nguyễn Văn A giao …», «Thường trực
# UBND tỉnh yêu cầu …», «UBND tỉnh đề nghị …»); a person's name after it is skipped by its capitals.
_ISSUER = re.compile(r"(?:(?:dong\s+chi|ong|ba)\s+)?(?:(?:pho\s+)?chu\s+tich|lanh\s+dao|thuong\s+truc|van\s+phong"
                     r"|ubnd|uy\s+ban|tm|kt)\b(?:\s*(?:\.|ubnd|tinh|hdnd|thuong\s+truc|(?:pho\s+)?chu\s+tich)\b)*")
# Requests to the bot at the start: «cho (tôi) biết», «(tôi) muốn biết», «báo cáo (cho) tôi», «kiểm tra giúp»,
# «xem giúp», «tra cứu hộ», «cho xem», «cho hỏi»; «xem …» but not «xem xét», «xem lại» (tasks).
_PRONOUN = r"(?:toi|minh|em|anh|chi|chung\s+toi|lanh\s+dao)"
_REQUEST = re.compile(
    r"(?:(?:ban|bot|hay|vui\s+long|xin|nho|de\s+nghi)\s+)?(?:"
    rf"cho\s+(?:{_PRONOUN}\s+)?(?:biet|xem|hoi|nam)\b"
    rf"|{_PRONOUN}\s+(?:(?:muon|can)\s+(?:biet|xem|hoi|nam)|hoi)\b"
    rf"|(?:bao\s+cao|thong\s+tin|gui|tong\s+hop|cap\s+nhat)\s+(?:lai\s+)?(?:cho\s+|voi\s+)?{_PRONOUN}\b"
    r"|(?:kiem\s+tra|xem|tra(?:\s+cuu)?|tim|loc|liet\s+ke|check|ra\s+soat|thong\s+ke|tong\s+hop|coi)"
    rf"\s+(?:giup|ho(?!\s+so\b)|gium|dum|cho\s+{_PRONOUN})\b"
    r"|cho\s+hoi\b|xem\b(?!\s+(?:xet|lai)\b))")
# A request to the bot at the end: «… giúp tôi», «… giúp với», «… hộ mình».
_REQUEST_END = re.compile(rf"\b(?:giup|ho|gium|dum)\s+(?:{_PRONOUN}|voi)\s*$")
# The forms words of a request must be typed in when the message has diacritics («hộ», not «hồ» or «họ»;
# «tôi», not «tới»; «chị», not «chỉ»).
_REQUEST_FORMS = {"ho": ("hộ",), "toi": ("tôi",), "minh": ("mình",), "chi": ("chị",), "em": ("em",),
                  "anh": ("anh",), "giup": ("giúp",), "gium": ("giùm",), "dum": ("dùm",), "xem": ("xem",),
                  "biet": ("biết",), "tim": ("tìm",), "loc": ("lọc",), "voi": ("với",)}
# Trailing softeners a question ends on («… chưa ạ», «… đến đâu rồi nhỉ», «… sao vậy»), with the forms they are
# typed in; «nhỉ» and «hả» ask by themselves.
_SOFT = {"a": ("ạ", "à", "a"), "nhe": ("nhé", "nhe"), "nha": ("nha", "nhá"), "vay": ("vậy", "vay"),
         "day": ("đấy", "day"), "the": ("thế", "the"), "roi": ("rồi", "roi"), "nhi": ("nhỉ", "nhi"),
         "ha": ("hả", "ha"), "ah": ("ah",), "hen": ("hen",)}
_SOFT_ASKING = frozenset({"nhi", "ha"})
# Interrogative words, with the forms they must be typed in when the message has diacritics.
_FINAL = {"khong": ("không", "khong"), "chua": ("chưa", "chua"), "nao": ("nào", "nao"), "gi": ("gì", "gi"),
          "dau": ("đâu", "dau"), "sao": ("sao",), "chu": ("chứ", "chu"), "ko": ("ko",), "k": ("k",),
          "hong": ("hông",)}
# Interrogative phrases anywhere in the message (folded; each word's typed form checked as above).
_ASKING_PHRASES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    (tuple(fold_same_length(p).split()), tuple(p.split())) for p in (
        "bao nhiêu", "bao giờ", "khi nào", "thế nào", "ra sao", "đến đâu", "tới đâu", "tại sao", "vì sao", "ở đâu"))
# «mấy», «nào», «gì» after a noun they ask about («mấy việc», «việc nào», «những gì», «đơn vị nào»).
_ASKED_NOUN = frozenset("viec vu nhiem cong van ban don vi so xa phuong nganh dia phuong nhung cac cai "
                        "truong hop du an linh vuc han ngay luc".split())
# Negation before an interrogative word makes it an indefinite: «không để sót trường hợp nào».
_NEGATION = frozenset({"khong", "chang", "bat", "moi", "chua", "ky", "cu"})
# Progress: how work is going.
_PROGRESS = re.compile(r"\b(?:tinh\s+hinh|tien\s+do|ket\s+qua\s+(?:thuc\s+hien|trien\s+khai|xu\s+ly)"
                       r"|den\s+dau|toi\s+dau|the\s+nao|ra\s+sao|sao\s+roi|(?:xong|hoan\s+thanh|hoan\s+tat)\s+chua)\b")
# A task verb whose object the progress phrase is («đẩy nhanh tiến độ», «kiểm tra tiến độ»), or a word that makes
# it an attribute («dự án chậm tiến độ», «đúng tiến độ»): a task.
_TASK_ON_PROGRESS = re.compile(
    r"\b(?:day\s+nhanh|day\s+manh|kiem\s+tra|don\s+doc|ra\s+soat|danh\s+gia|theo\s+doi|giam\s+sat|bao\s+dam"
    r"|dam\s+bao|nam|cap\s+nhat|tong\s+hop|kiem\s+diem|so\s+ket|tong\s+ket|thanh\s+tra|khac\s+phuc|lam\s+ro"
    r"|phan\s+tich|nghien\s+cuu|khao\s+sat|xem\s+xet|cham|dung|vuot|kip|theo|ung\s+pho\s+voi)"
    r"(?:\s+(?:chat\s+che|ky|lai|sat|viec|cac|ve))*\s+$")


# A question typed in chat is one line of a few words; more is a pasted text.
MAX_QUESTION_WORDS = 40


# What only a directive says: the roles it gives («chủ trì», «phối hợp») and whom the unit reports to («báo cáo UBND
# tỉnh», «báo cáo Chủ tịch …»).
_ROLES = re.compile(r"\b(?:chu\s+tri|phoi\s+hop|bao\s+cao\s+(?:ve\s+|cho\s+|len\s+)?(?:ubnd|uy\s+ban|chu\s+tich"
                    r"|thuong\s+truc|tinh\s+uy|van\s+phong|bo|lanh\s+dao\s+tinh))\b")


@dataclass(frozen=True, slots=True)
class Mood:
    commanded: bool  # opens with an issuer's verb of command
    asked: bool  # an interrogative form, or a request to the bot
    progress: bool  # asks how work goes, not as the object of a task verb
    chat: bool = True  # typed in chat (one short line); a pasted text has no mood
    roles: bool = False  # says what only a directive says («chủ trì», «phối hợp», «báo cáo UBND tỉnh»)


def has_diacritics(msg: Analysed) -> bool:
    """The message is typed with Vietnamese diacritics (somewhere): its words can be told by their accents."""
    return any(c.lower() != f for c, f in zip(msg.text, msg.folded, strict=True))


def read_mood(msg: Analysed) -> Mood:
    """The mood of a message typed in chat; a pasted text (several lines, or longer than a question is typed) has
    none: its questions are the writer's («… làm đến đâu, chắc đến đó»), not asked of the bot."""
    words = msg.texts
    if "\n" in msg.text or sum(w[0].isalnum() for w in words) > MAX_QUESTION_WORDS:
        return Mood(commanded=False, asked=False, progress=False, chat=False)
    accented = has_diacritics(msg)
    originals = tuple(msg.original_token(i).lower() for i in range(len(words)))

    def typed(i: int, forms: tuple[str, ...]) -> bool:
        """Token i is typed as one of `forms` (only its folded form is checked in a message without diacritics)."""
        return not accented or originals[i] in forms

    def request(found: re.Match[str] | None) -> bool:
        """A request to the bot, its words typed as the request's words."""
        if found is None:
            return False
        first, last = msg.token_at_or_after(found.start()), msg.token_at_or_after(found.end())
        return all(typed(i, _REQUEST_FORMS[words[i]]) for i in range(first, last) if words[i] in _REQUEST_FORMS)

    asked = msg.text.rstrip(" .!…").endswith("?") or request(_REQUEST_END.search(msg.folded))
    opening = _opening_word(msg)
    if opening is not None and request(_REQUEST.match(msg.folded, msg.tokens[opening].start)):
        asked = True
    ends = [i for i, w in enumerate(words) if w[0].isalnum()]
    while len(ends) > 1 and words[ends[-1]] in _SOFT and typed(ends[-1], _SOFT[words[ends[-1]]]):
        asked = asked or words[ends[-1]] in _SOFT_ASKING
        ends.pop()
    if ends and (w := words[ends[-1]]) in _FINAL and typed(ends[-1], _FINAL[w]) \
            and not (w in ("nao", "gi", "dau") and _negated(words, ends[-1])):
        asked = True
    for i in range(len(words)):
        if asked:
            break
        for folded, phrase in _ASKING_PHRASES:
            if (words[i : i + len(folded)] == folded and all(typed(i + k, (p,)) for k, p in enumerate(phrase))
                    and not _negated(words, i) and not _relative(words, i, i + len(folded))):
                asked = True
        if words[i] == "may" and typed(i, ("mấy",)) and i + 1 < len(words) and words[i + 1] in _ASKED_NOUN:
            asked = True
        if (words[i] in ("nao", "gi") and typed(i, _FINAL[words[i]]) and i
                and (words[i - 1] in _ASKED_NOUN or words[i] == "gi") and not _negated(words, i)
                and words[i + 1 : i + 2] != ("do",) and not _relative(words, i, i + 1)):  # «nào đó»: some
            asked = True
    first = _command_place(msg)
    commanded = first is not None and _COMMAND.match(msg.folded, msg.tokens[first].start) is not None
    progress = any(not _TASK_ON_PROGRESS.search(msg.folded[max(0, m.start() - 40) : m.start()])
                   for m in _PROGRESS.finditer(msg.folded))
    return Mood(commanded, asked, progress, roles=_ROLES.search(msg.folded) is not None)


def _relative(words: tuple[str, ...], first: int, last: int) -> bool:
    """«…, khi nào xong báo cáo», «cơ sở nào chưa đạt thì xử lý», «làm đến đâu chắc đến đó»: a clause of the
    sentence (a condition, a correlative), not a question."""
    return (words[first - 1 : first] in ((",",), ("thi",), ("va",)) and last < len(words)
            or "thi" in words[last:]
            or any(words[j : j + 2] in (("den", "do"), ("toi", "do")) for j in range(last, last + 6)))


def _negated(words: tuple[str, ...], i: int) -> bool:
    """An interrogative word read as an indefinite: a negation or «bất kỳ», «mọi» shortly before it."""
    return any(w in _NEGATION for w in words[max(0, i - 6) : i])


def _opening_word(msg: Analysed) -> int | None:
    """The message's first word, after a list marker or decoration."""
    return next((i for i, w in enumerate(msg.texts) if w[0].isalpha()), None)


def _command_place(msg: Analysed) -> int | None:
    """Where the command verb would stand: the first word after the issuer («Phó Chủ tịch UBND tỉnh Nguyễn Văn A»)
    and a colon; None when the text has no word."""
    i = _opening_word(msg)
    if i is None:
        return None
    issuer = _ISSUER.match(msg.folded, msg.tokens[i].start)
    if issuer is None:
        return i
    i = msg.token_at_or_after(issuer.end())
    while i < len(msg.tokens) and (not msg.texts[i][0].isalnum() or msg.original_token(i)[:1].isupper()) \
            and not _COMMAND.match(msg.folded, msg.tokens[i].start):
        i += 1  # the issuer's name, a colon
    return i if i < len(msg.tokens) else None
