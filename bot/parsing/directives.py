"""Directive messages: which units must do what, by when.

A message is cut into items (lines, list entries) and clauses (sentences, "; ", ": "). A clause that
opens with an assignment ("Giao X chủ trì, phối hợp với Y …", "X phối hợp Y …", "@CODE …") starts a
directive; the clauses after it in the same item continue it ("…; hoàn thành trước 30/11"); clauses
before the first one (the "Kết luận của …:" preamble, "Thống nhất chủ trương …") assign nothing.
Units named after the assignment ("báo cáo UBND tỉnh", "hướng dẫn các địa phương") are objects of
the task, not assignees.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from bot.domain.calendar import WorkingCalendar
from bot.parsing.deadlines import Deadline, find_deadline
from bot.parsing.normalise import Analysed, fold_same_length, name_tokens
from bot.parsing.result import PROBLEM_NO_LEAD, PROBLEM_UNRESOLVED, DraftDirective
from bot.parsing.unit_index import Mention, UnitIndex

_LIST_MARKER = re.compile(r"(?:\(?(?:\d{1,2}(?:\.\d{1,2})*|[a-z]|[ivx]{1,4})[.)]|[-+•*])\s+")
_CLAUSE_END = re.compile(r"[.;:!?](?=\s|$)")
_DOCUMENT_NUMBER = re.compile(r"(?<![\w/])\d{1,5}/(?:\d{4}/)?(?P<kind>[A-ZĐ][A-ZĐ0-9]*)(?:-[A-ZĐ0-9]+)+")
_NOTICE_KINDS = ("TB", "KL", "TBKL")
_RELAY = re.compile(r"\bde\s+(?:tong\s+hop|tham\s+muu|bao\s+cao)\b")
_TAIL = re.compile(r"(?:\s*[,;:.\-]\s*(?:(?:thoi\s+gian|thoi\s+han)\s*)?(?:hoan\s+thanh|xong|thuc\s+hien)?\s*(?:la|vao)?)?"
                   r"[\s,;:.\-]*$")


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((name_tokens(t) for t in texts), key=len, reverse=True))


_ASSIGN = _phrases("giao", "giao cho", "giao nhiệm vụ cho", "đề nghị", "yêu cầu", "chỉ đạo", "phân công",
                   "phân công cho", "ủy quyền cho", "ủy quyền", "giao trách nhiệm cho")
# Words that open a sentence before its subject: "Theo đó, UBND tỉnh yêu cầu …", "Đồng thời, giao …".
_OPENERS = _phrases("theo đó", "đồng thời", "ngoài ra", "bên cạnh đó", "cùng với đó", "trong đó", "cụ thể",
                    "mặt khác", "đối với", "tiếp đó", "sau đó", "vì vậy", "do đó", "tiếp theo")
# An issuer's sentence may name the letter it signed before the verb that assigns ("UBND tỉnh vừa có
# công văn số 12/UBND-KT giao …"); these say the issuer is about to assign, never what the task is.
_ISSUER_FILLER_LIMIT = 40
# Before a subject after a comma, a condition ("Trong quá trình triển khai nếu …, Sở X báo cáo") is no
# new task: it goes on with the directive before it.
_CONDITION = frozenset({"neu", "khi"})
_LEADS = _phrases("chủ trì", "làm đầu mối", "là đầu mối")
_HELPS = _phrases("phối hợp", "phối hợp với", "phối hợp chặt chẽ với", "với sự phối hợp của",
                  "cùng phối hợp với", "cùng với")
# A person's title before a unit stands for the unit: "Giám đốc Sở Y tế", "Chủ tịch UBND xã Phú Vang".
_TITLES = _phrases("chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc", "thủ trưởng", "trưởng ban",
                   "lãnh đạo", "người đứng đầu", "chỉ huy trưởng", "cục trưởng", "chánh thanh tra",
                   "chánh văn phòng", "quyền chủ tịch", "trưởng các")
_HELPS_ONLY = _phrases("phối hợp", "phối hợp thực hiện", "cùng phối hợp", "cùng phối hợp thực hiện")


@dataclass
class _Roles:
    lead: list[Mention]
    support: list[Mention]
    content_from: int  # token index where the task itself begins
    assigned: bool  # an assignment verb ("Giao", "Đề nghị" …) opened the clause


@dataclass
class _Open:
    """A directive being read: its roles and the span of text that belongs to it."""

    roles: _Roles
    start: int
    content_start: int
    end: int
    extra_support: list[Mention] = field(default_factory=list)

    def extend_support(self, mentions: list[Mention]) -> None:
        self.extra_support.extend(mentions)


def parse_directives(msg: Analysed, index: UnitIndex, today: date, calendar: WorkingCalendar) -> list[DraftDirective]:
    opened: list[_Open] = []
    current: _Open | None = None
    heading: _Roles | None = None  # "a) Cục Thuế có trách nhiệm:" gives its unit to the entries below
    for item_start, item_end, new_item, marked in _lines(msg):
        if new_item:
            current = None
        item_last = msg.token_at_or_after(item_end)
        clauses = list(_clauses(msg, item_start, item_end))
        skip_to = 0
        for n, (c_start, c_end) in enumerate(clauses):
            if c_start < skip_to:
                if c_end > skip_to and current:
                    current.end = c_end
                continue
            first, last = msg.token_at_or_after(c_start), msg.token_at_or_after(c_end)
            if last - first == 1 and len(msg.tokens[first].text) <= 2:
                continue  # a list number left alone on one line of the message
            found = _find_roles(msg, index, first, last, item_last)
            if found and current and _only_helps(msg, found, last):
                current.extend_support(found.lead)
                continue
            if found and current and not _names_someone(found):
                found = None  # "Đề nghị khẩn trương …", "đề nghị các đơn vị báo cáo …" go on with the task
            if found and _is_heading(msg, found, c_end, item_end):
                heading, current = found, None
                break
            if found is None and n == 0 and msg.text[:item_end].rstrip().endswith(":") and c_end >= item_end:
                heading = None  # "Nơi nhận:", "Về y tế:": a new heading that names no unit
            if found is None and heading and marked and n == 0 and current is None:
                found = _Roles(heading.lead, heading.support, first, False)
            if found:
                content_start = msg.tokens[found.content_from].start if found.content_from < len(msg.tokens) else c_end
                content_start = min(content_start, item_end)
                current = _Open(found, c_start, max(content_start, c_start), max(c_end, content_start))
                opened.append(current)
                skip_to = content_start
            elif current:
                current.end = c_end
        if not marked and not new_item:
            continue
    source = _source(msg, opened[0].start if opened else len(msg.text))
    drafts = (_draft(msg, index, o, today, calendar, source) for o in opened)
    return [d for d in drafts if d.content or d.deadline_phrase]  # a bare unit name asks nothing


def _names_someone(roles: _Roles) -> bool:
    return any(m.kind in ("unit", "group", "unknown") for m in roles.lead)


def _is_heading(msg: Analysed, roles: _Roles, c_end: int, item_end: int) -> bool:
    """"Sở Y tế:" or "Cục Thuế có trách nhiệm:" on a line of its own, before the tasks listed under it."""
    if not msg.text[:item_end].rstrip().endswith(":") or c_end < item_end or not _names_someone(roles):
        return False
    last = msg.token_at_or_after(item_end)
    rest = {t.text for t in msg.tokens[roles.content_from:last] if t.is_word}
    return rest <= {"co", "trach", "nhiem", "chiu", "thuc", "hien", "cac", "vu", "sau", "nhu"}


def _lines(msg: Analysed) -> Iterator[tuple[int, int, bool, bool]]:
    """Each line without its list marker, whether it opens a new item (a list entry, a heading ("Về y
    tế:") or the line after one; other lines go on with the item before: "Thời gian: trong quý II"),
    and whether it had a list marker."""
    pos, after_heading = 0, True
    for line in msg.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        marker = _LIST_MARKER.match(msg.folded, start, end)
        heading = line.endswith(":")
        yield (marker.end() if marker else start), end, bool(marker) or after_heading or heading, bool(marker)
        after_heading = heading


def _clauses(msg: Analysed, start: int, end: int) -> Iterator[tuple[int, int]]:
    for m in _CLAUSE_END.finditer(msg.text, start, end):
        yield start, m.end()
        start = m.end()
    if start < end:
        yield start, end


def _starts(msg: Analysed, i: int, phrases: tuple[tuple[str, ...], ...]) -> int:
    """Length of the phrase at token i, 0 if none."""
    for p in phrases:
        if msg.words(i, i + len(p)) == p:
            return len(p)
    return 0


def _skip(msg: Analysed, i: int, last: int, punctuation: str = ",") -> int:
    while i < last and msg.tokens[i].text in punctuation:
        i += 1
    return i


def _find_roles(msg: Analysed, index: UnitIndex, first: int, last: int, limit: int) -> _Roles | None:
    """Who a clause assigns, read from its start, after an issuer ("UBND tỉnh yêu cầu X …"), or after a
    comma that ends an opening phrase ("Trước ngày 15/12, giao X …", "Hằng tháng, Sở X báo cáo …")."""
    i = _skip_opening(msg, first, last)
    roles = _issuer_assigns(msg, index, i, last, limit) or _roles_at(msg, index, i, last, limit)
    if roles:
        return roles
    for k in range(i + 1, last - 1):
        if msg.tokens[k].text != ",":
            continue
        j = _skip_opening(msg, k + 1, last)
        if _starts(msg, j, _ASSIGN):
            roles = _roles_at(msg, index, j, last, limit)
            if roles and roles.lead:
                return roles
            continue
        before = msg.tokens[i:k]
        if any(t.text in _CONDITION for t in before) or index.find_all(msg, i, k):
            continue
        roles = _issuer_assigns(msg, index, j, last, limit)
        if roles is None:
            roles = _roles_at(msg, index, j, last, limit)
            if roles and (roles.assigned or not _names_someone(roles) or roles.content_from >= last
                          or not msg.tokens[roles.content_from].is_word):
                roles = None
        if roles:
            return roles
    return None


def _skip_opening(msg: Analysed, i: int, last: int) -> int:
    """Past punctuation, "Điều 2.", "Theo đó," and the like at the start of a clause."""
    while i < last:
        tok = msg.tokens[i]
        if not tok.is_word and tok.text not in ("@",):
            i += 1
        elif tok.text == "dieu" and i + 1 < last and msg.tokens[i + 1].text.isdigit():
            i += 2
        elif n := _starts(msg, i, _OPENERS):
            i += n
        elif msg.tokens[i].text == "ngay" and i + 1 < last and msg.tokens[i + 1].text.isdigit():
            i += 2  # "Ngày 02/11/2010 UBND tỉnh đã có công văn …"
            while i < last and (msg.tokens[i].text in ("/", ".", "-") or msg.tokens[i].text.isdigit()):
                i += 1
        else:
            break
    return i


_NOT_ASSIGNING = frozenset({"thong", "duc", "dich", "luu", "ket", "nhan", "khoan"})


def _assigns_at(msg: Analysed, j: int) -> int:
    """Length of an assignment verb at token j; "giao" in "bàn giao", "giao thông", "Sở GTVT" is none."""
    n = _starts(msg, j, _ASSIGN)
    if not n or msg.tokens[j].text != "giao":
        return n
    if j + 1 < len(msg.tokens) and msg.tokens[j + 1].text in _NOT_ASSIGNING:
        return 0
    if j > 0 and (msg.tokens[j - 1].text in ("ban", "chuyen") or msg.tokens[j - 1].start == msg.tokens[j].start):
        return 0
    return n


def _issuer_assigns(msg: Analysed, index: UnitIndex, i: int, last: int, limit: int) -> _Roles | None:
    """"UBND tỉnh yêu cầu X …", "Chủ tịch UBND tỉnh Bình Định vừa có công văn giao X …", "Văn phòng UBND
    tỉnh đề nghị X …", "Cục Văn hóa cơ sở đề nghị X …": whoever speaks first assigns the units after the
    verb."""
    if i >= last:
        return None
    speaker = index.match_at(msg, i, unknown=True)
    if speaker is None and _starts(msg, i, _TITLES):
        speaker = index.match_at(msg, i + _starts(msg, i, _TITLES), unknown=True)
    if speaker is None or speaker.kind == "generic":
        return None
    j = speaker.last
    stop = min(last, j + _ISSUER_FILLER_LIMIT)
    while j < stop:
        if _starts(msg, j, _LEADS) or _starts(msg, j, _HELPS):
            return None
        if n := _assigns_at(msg, j):
            after = j + n
            while after < last and msg.tokens[after].text in (",", ":"):
                after += 1
            roles = _roles_at(msg, index, after, last, limit)
            if roles and not roles.lead:
                roles = None
            if roles and _names_someone(roles):
                if speaker.kind == "unit" and not any(m.kind in ("unit", "group") for m in roles.lead):
                    return None
                return _Roles(roles.lead, roles.support, roles.content_from, True)
        j += 1
    return None


def _roles_at(msg: Analysed, index: UnitIndex, i: int, last: int, limit: int | None = None) -> _Roles | None:
    limit = last if limit is None else limit
    assigned = _starts(msg, i, _ASSIGN)
    if not assigned:
        issuer = index.match_at(msg, i)
        if issuer and issuer.kind == "issuer" and _starts(msg, issuer.last, _ASSIGN):
            assigned = issuer.last - i + _starts(msg, issuer.last, _ASSIGN)
    i += assigned
    lead, i = _unit_list(msg, index, i, limit)
    if not lead:
        rest = sum(1 for t in msg.tokens[i:last] if t.is_word)
        return _Roles([], [], i, True) if assigned and rest >= 2 else None
    support: list[Mention] = []
    chaired = _starts(msg, i, _LEADS)
    i += chaired
    j = _skip(msg, i, limit)
    helps = _starts(msg, j, _HELPS)
    if helps:
        support, i = _unit_list(msg, index, j + helps, limit)
    elif chaired:
        # "Sở A chủ trì, Sở B, Sở C phối hợp …"
        others, k = _unit_list(msg, index, j, limit)
        if others and _starts(msg, k, _HELPS):
            support, i = others, k + _starts(msg, k, _HELPS)
    i = _skip(msg, i, limit, ",:-")
    if i < limit and msg.tokens[i].text == "(":  # "Sở KH&ĐT (nay là Sở Tài chính) rà soát …"
        close = next((k for k in range(i, limit) if msg.tokens[k].text == ")"), None)
        if close is not None:
            i = _skip(msg, close + 1, limit, ",:-")
    if i < limit and (msg.tokens[i].text.isdigit() or msg.words(i, i + 1) == ("duoc",)
                      or msg.words(i, i + 2) == ("thong", "bao")) and not assigned:
        return None  # "UBND huyện X được phân bổ …", "… 450 triệu đồng", "Văn phòng thông báo để …"
    return _Roles(lead, support, i, bool(assigned))



_LIST_GLUE = frozenset({",", "va", "&", ";", ":"})
_HEAD_WORDS = {"so": ("so",), "ubnd": ("ubnd",)}


def _unit_list(msg: Analysed, index: UnitIndex, i: int, last: int) -> tuple[list[Mention], int]:
    """Units and groups joined by commas, "và", ";" from token i; generic phrases are read but assign
    nobody, and the province's leadership ends the list. A list may share its head word: "các Sở: Tài
    chính, Xây dựng", "Sở Tài chính, NN&PTNT", "UBND các huyện: Đakrông, Hải Lăng"."""
    found: list[Mention] = []
    prefix: tuple[str, ...] = ()
    shared = _shared_head(msg, i, last)
    if shared:
        prefix, i = shared
    m = _assignee_at(msg, index, i, last, prefix)
    while m is not None:
        if m.kind == "group" and m.last < last and msg.tokens[m.last].text == ":":
            prefix = _district_prefix(msg, m)  # "UBND các huyện: A, B" names the districts A and B
        else:
            found.append(m)
            if not prefix and msg.tokens[m.first].text in _HEAD_WORDS and m.kind == "unit":
                prefix = _HEAD_WORDS[msg.tokens[m.first].text]
        i = j = m.last
        if m.kind == "unknown" and j < last and "-" in msg.text[msg.tokens[j - 1].end:msg.tokens[j].start]:
            owner = _assignee_at(msg, index, j, last)  # "Ban Quản lý dự án 85 - Bộ GTVT": whose board it is
            if owner is not None:
                i = j = owner.last
        while j < last and msg.tokens[j].text in _LIST_GLUE:
            j += 1
        if j == i and not (j < last and msg.tokens[j].text == "@"):
            break
        nxt = _assignee_at(msg, index, j, last)
        if nxt is None and (shared := _shared_head(msg, j, last)):
            prefix, j = shared
            nxt = _assignee_at(msg, index, j, last, prefix)
        elif nxt is None and prefix:
            nxt = _assignee_at(msg, index, j, last, prefix)
        m = nxt
    return found, i


def _shared_head(msg: Analysed, i: int, last: int) -> tuple[tuple[str, ...], int] | None:
    """"các Sở: …" opens a list of departments named without their head word."""
    words = msg.words(i, i + 3)
    if words[:3] == ("cac", "so", ":"):
        return ("so",), i + 3
    if words[:2] == ("so", ":"):
        return ("so",), i + 2
    if msg.words(i, i + 4) == ("ubnd", "cac", "huyen", ":"):
        return ("ubnd", "huyen"), i + 4
    return None


def _district_prefix(msg: Analysed, group: Mention) -> tuple[str, ...]:
    words = [t.text for t in msg.tokens[group.first:group.last] if t.text not in ("cac", ",")]
    return tuple(words[:2]) if len(words) >= 2 else ()


def _assignee_at(msg: Analysed, index: UnitIndex, i: int, last: int, prefix: tuple[str, ...] = ()) -> Mention | None:
    if title := _starts(msg, i, _TITLES):
        behind = index.match_at(msg, i + title, unknown=True)
        if behind and behind.kind != "issuer":
            i += title
    if i >= last:
        return None
    m = index.match_at(msg, i, prefix=prefix) if prefix else index.match_at(msg, i, unknown=True)
    if m and m.kind == "unknown" and msg.has_capitals and not msg.original_token(i)[0].isupper():
        return None  # "chỉ đạo phòng NN&PTNT …": a district's own office, not one of the province's units
    return m if m and m.kind != "issuer" and m.last <= last else None


def _only_helps(msg: Analysed, roles: _Roles, last: int) -> bool:
    """"Sở B phối hợp." after a directive: Sở B supports it, it is no new task."""
    end = roles.lead[-1].last if roles.lead else last
    rest = tuple(t.text for t in msg.tokens[end:last] if t.is_word)
    return bool(roles.lead) and not roles.assigned and rest in _HELPS_ONLY


def _draft(msg: Analysed, index: UnitIndex, o: _Open, today: date, calendar: WorkingCalendar,
           source: str | None) -> DraftDirective:
    end = o.end
    relay = _RELAY.search(msg.folded, o.start, o.end)
    if relay and find_deadline(msg.folded, o.start, relay.start(), today, calendar):
        end = relay.start()  # "… trước ngày 10-5 để tổng hợp, báo cáo UBND tỉnh trước ngày 18-5": the 18th is not theirs
    deadline = find_deadline(msg.folded, o.start, end, today, calendar)
    support = o.roles.support + o.extra_support + _support_in_content(msg, index, o)
    lead_refs = _refs(o.roles.lead)
    support_refs = tuple(r for r in _refs(support) if r not in lead_refs)
    unresolved = tuple(dict.fromkeys(m.text for m in o.roles.lead + support if m.kind == "unknown"))
    problems = []
    if deadline and deadline.problem:
        problems.append(deadline.problem)
    if unresolved:
        problems.append(PROBLEM_UNRESOLVED)
    elif not lead_refs:
        problems.append(PROBLEM_NO_LEAD)
    return DraftDirective(
        lead=lead_refs,
        support=support_refs,
        content=_content(msg, o, deadline),
        deadline=deadline.day if deadline else None,
        deadline_phrase=msg.text[deadline.start : deadline.end] if deadline else None,
        recurrence=deadline.recurrence if deadline else None,
        unresolved=unresolved,
        source=source,
        problems=tuple(problems),
    )


def _refs(mentions: list[Mention]) -> tuple[str, ...]:
    refs = (m.code if m.kind == "unit" else f"#{m.code}" for m in mentions if m.kind in ("unit", "group"))
    return tuple(dict.fromkeys(r for r in refs if r))


def _support_in_content(msg: Analysed, index: UnitIndex, o: _Open) -> list[Mention]:
    """"… thực hiện X, phối hợp với Sở Y": support named after the task has begun."""
    first, last = msg.token_at_or_after(o.content_start), msg.token_at_or_after(o.end)
    found: list[Mention] = []
    for i in range(first, last):
        n = _starts(msg, i, _HELPS)
        if n:
            units, _ = _unit_list(msg, index, i + n, last)
            found.extend(units)
    return found


def _content(msg: Analysed, o: _Open, deadline: Deadline | None) -> str:
    start = max(o.content_start, o.start)
    parts, pos = [], start
    for a, b in (deadline.spans if deadline else ()):
        if b <= pos:
            continue
        parts.append(msg.text[pos : max(a, pos)])
        pos = b
    parts.append(msg.text[pos : o.end])
    text = " ".join(parts)
    text = " ".join(text.split())
    text = text[: _TAIL.search(fold_same_length(text)).start()]
    return re.sub(r"\s+([,;.])", r"\1", text).strip(" ,;:-")


def _source(msg: Analysed, first_directive: int) -> str | None:
    """The notice the directives come from: a document number in the preamble, or any notice
    (TB, KL) number; a number cited inside a task ("Chỉ thị số 15/CT-UBND") is not the source."""
    for m in _DOCUMENT_NUMBER.finditer(msg.text):
        if m.start() < first_directive or m["kind"] in _NOTICE_KINDS:
            return m.group()
    return None
