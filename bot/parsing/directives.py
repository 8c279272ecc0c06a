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
_TAIL = re.compile(r"(?:\s*[,;:.\-]\s*(?:(?:thoi\s+gian|thoi\s+han)\s*)?(?:hoan\s+thanh|xong|thuc\s+hien)?\s*(?:la|vao)?)?"
                   r"[\s,;:.\-]*$")


def _phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted((name_tokens(t) for t in texts), key=len, reverse=True))


_ASSIGN = _phrases("giao", "giao cho", "giao nhiệm vụ cho", "đề nghị", "yêu cầu", "chỉ đạo", "phân công",
                   "phân công cho", "ủy quyền cho", "ủy quyền")
_LEADS = _phrases("chủ trì", "làm đầu mối", "là đầu mối")
_HELPS = _phrases("phối hợp", "phối hợp với", "phối hợp chặt chẽ với", "với sự phối hợp của",
                  "cùng phối hợp với", "cùng với")
# A person's title before a unit stands for the unit: "Giám đốc Sở Y tế", "Chủ tịch UBND xã Phú Vang".
_TITLES = _phrases("chủ tịch", "phó chủ tịch", "giám đốc", "phó giám đốc", "thủ trưởng", "trưởng ban",
                   "lãnh đạo", "người đứng đầu", "chỉ huy trưởng")
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


def parse_directives(msg: Analysed, index: UnitIndex, today: date, calendar: WorkingCalendar) -> list[DraftDirective]:
    opened: list[_Open] = []
    current: _Open | None = None
    for item_start, item_end, new_item in _lines(msg):
        if new_item:
            current = None
        for c_start, c_end in _clauses(msg, item_start, item_end):
            first, last = msg.token_at_or_after(c_start), msg.token_at_or_after(c_end)
            if last - first == 1 and len(msg.tokens[first].text) <= 2:
                continue  # a list number left alone on one line of the message
            found = _find_roles(msg, index, first, last)
            if found and current and _only_helps(msg, found, last):
                current.extra_support.extend(found.lead)
                continue
            if found and current and not found.lead and found.assigned:
                found = None  # "Đề nghị khẩn trương …" goes on with the directive before it
            if found:
                content_start = msg.tokens[found.content_from].start if found.content_from < last else c_end
                current = _Open(found, c_start, content_start, c_end)
                opened.append(current)
            elif current:
                current.end = c_end
    source = _source(msg, opened[0].start if opened else len(msg.text))
    drafts = (_draft(msg, index, o, today, calendar, source) for o in opened)
    return [d for d in drafts if d.content or d.deadline_phrase]  # a bare unit name asks nothing


def _lines(msg: Analysed) -> Iterator[tuple[int, int, bool]]:
    """Each line without its list marker, and whether it opens a new item: a list entry, a heading
    ("Về y tế:") or the line after one. Other lines go on with the item before ("Thời gian: trong
    quý II")."""
    pos, after_heading = 0, True
    for line in msg.text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        marker = _LIST_MARKER.match(msg.folded, start, end)
        heading = line.endswith(":")
        yield (marker.end() if marker else start), end, bool(marker) or after_heading or heading
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


def _find_roles(msg: Analysed, index: UnitIndex, first: int, last: int) -> _Roles | None:
    roles = _roles_at(msg, index, first, last)
    if roles:
        return roles
    # "Trước ngày 15/12, giao Sở X …": the assignment may follow a comma inside the clause.
    for i in range(first + 1, last - 1):
        if msg.tokens[i].text == "," and _starts(msg, i + 1, _ASSIGN):
            roles = _roles_at(msg, index, i + 1, last)
            if roles and roles.lead:
                return roles
    return None


def _roles_at(msg: Analysed, index: UnitIndex, i: int, last: int) -> _Roles | None:
    assigned = _starts(msg, i, _ASSIGN)
    if not assigned:
        issuer = index.match_at(msg, i)
        if issuer and issuer.kind == "issuer" and _starts(msg, issuer.last, _ASSIGN):
            assigned = issuer.last - i + _starts(msg, issuer.last, _ASSIGN)
    i += assigned
    lead, i = _unit_list(msg, index, i, last)
    if not lead:
        rest = sum(1 for t in msg.tokens[i:last] if t.is_word)
        return _Roles([], [], i, True) if assigned and rest >= 2 else None
    support: list[Mention] = []
    chaired = _starts(msg, i, _LEADS)
    i += chaired
    j = _skip(msg, i, last)
    helps = _starts(msg, j, _HELPS)
    if helps:
        support, i = _unit_list(msg, index, j + helps, last)
    elif chaired:
        # "Sở A chủ trì, Sở B, Sở C phối hợp …"
        others, k = _unit_list(msg, index, j, last)
        if others and _starts(msg, k, _HELPS):
            support, i = others, k + _starts(msg, k, _HELPS)
    i = _skip(msg, i, last, ",:-")
    if i < last and msg.tokens[i].text == "(":  # "Sở KH&ĐT (nay là Sở Tài chính) rà soát …"
        close = next((k for k in range(i, last) if msg.tokens[k].text == ")"), None)
        if close is not None:
            i = _skip(msg, close + 1, last, ",:-")
    return _Roles(lead, support, i, bool(assigned))


def _unit_list(msg: Analysed, index: UnitIndex, i: int, last: int) -> tuple[list[Mention], int]:
    """Units and groups joined by commas or "và" from token i; generic phrases are read but assign
    nobody, and the province's leadership ends the list."""
    found: list[Mention] = []
    m = _assignee_at(msg, index, i, last)
    while m is not None:
        found.append(m)
        i = j = m.last
        while j < last and msg.tokens[j].text in (",", "va", "&"):
            j += 1
        if j == i and not (j < last and msg.tokens[j].text == "@"):
            break
        m = _assignee_at(msg, index, j, last)
    return found, i


def _assignee_at(msg: Analysed, index: UnitIndex, i: int, last: int) -> Mention | None:
    if title := _starts(msg, i, _TITLES):
        behind = index.match_at(msg, i + title, unknown=True)
        if behind and behind.kind != "issuer":
            i += title
    m = index.match_at(msg, i, unknown=True) if i < last else None
    return m if m and m.kind != "issuer" and m.last <= last else None


def _only_helps(msg: Analysed, roles: _Roles, last: int) -> bool:
    """"Sở B phối hợp." after a directive: Sở B supports it, it is no new task."""
    end = roles.lead[-1].last if roles.lead else last
    rest = tuple(t.text for t in msg.tokens[end:last] if t.is_word)
    return bool(roles.lead) and not roles.assigned and rest in _HELPS_ONLY


def _draft(msg: Analysed, index: UnitIndex, o: _Open, today: date, calendar: WorkingCalendar,
           source: str | None) -> DraftDirective:
    deadline = find_deadline(msg.folded, o.start, o.end, today, calendar)
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
    if deadline and deadline.start >= start:
        text = msg.text[start : deadline.start] + " " + msg.text[deadline.end : o.end]
    else:
        text = msg.text[start : o.end]
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
