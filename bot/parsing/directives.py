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
from dataclasses import dataclass, field, replace
from datetime import date

from bot.domain.calendar import WorkingCalendar
from bot.parsing.background import THRESHOLD, instruction_probability, sentence_at, sentence_spans
from bot.parsing.deadlines import Deadline, find_deadline
from bot.parsing.doubt import doubted
from bot.parsing.news import digest_heading, held_that_day, looks_back, reported_at_meeting, told_as_news
from bot.parsing.normalise import LIST_MARKER, Analysed, fold_same_length
from bot.parsing.page import (
    ANSWER,
    ASSIGNING,
    ATTENDS,
    ATTENDS_MEETING,
    INVITED,
    ISSUER_FIRST,
    JOINS,
    MEMBERS,
    PARTICIPANTS,
    SCHEDULE,
    TELEGRAM_TO,
    between_paragraphs,
    caption_line,
    citizen_asks,
    heading_line,
    petition,
    photo_caption,
)
from bot.parsing.result import (
    PROBLEM_BACKGROUND,
    PROBLEM_HEADLINE_DEADLINE,
    PROBLEM_NO_LEAD,
    PROBLEM_TWO_DEADLINES,
    PROBLEM_UNRESOLVED,
    PROBLEM_UNSURE_LEAD,
    PROBLEM_VAGUE_UNIT,
    DraftDirective,
)
from bot.parsing.roles import (
    CARRY_OUT_FIRST,
    HELPS,
    Roles,
    case_opening,
    continues_task,
    ends_with_objects,
    find_roles,
    group_phrase,
    names_of_instruction,
    names_someone,
    narrowed,
    only_carries_out,
    only_helps,
    others_of,
    praised,
    province_committee,
    skip_opening,
    spoken_after,
    starts,
    subject_breaks,
    unit_list,
)
from bot.parsing.unit_index import Mention, UnitIndex

# A stop before a space, or a full stop glued to the next sentence's capital ("… (Sơn La).Ông Lò Minh Hùng …").
_CLAUSE_END = re.compile(r"[.;:!?](?=\s|$)|(?<=[^\W\d_)])\.(?=[A-ZĐÀ-Ỹ][a-zà-ỹđ])|(?<=\))\.(?=[A-ZĐÀ-Ỹ])"
                         r"|(?<=[^\W\d_])\.{2,}(?=[A-ZĐÀ-Ỹ])"  # "… để thông đường...Huyện X phối hợp …"
                         # a quotation cut by an ellipsis before the next assignment ("… gói thầu số 7… giao cho Sở X …")
                         r"|(?:…|\.{3})(?=[ \t]+(?:giao|yêu cầu|đề nghị)\s)")
_DOCUMENT_NUMBER = re.compile(r"(?<![\w/])\d{1,5}/(?:\d{4}/)?(?P<kind>[A-ZĐ][A-ZĐ0-9]*)(?:-[A-ZĐ0-9]+)+")
_NOTICE_KINDS = ("TB", "KL", "TBKL")
_RELAY = re.compile(r"\bde\s+(?:tong\s+hop|tham\s+muu|bao\s+cao)\b")
_TAIL = re.compile(r"(?:\s*[,;:.\-]\s*(?:(?:thoi\s+gian|thoi\s+han)\s*)?(?:hoan\s+thanh|xong|thuc\s+hien)?\s*(?:la|vao)?)?"
                   r"[\s,;:.\-/]*$")  # "…, hoàn thành trước ngày 15/12/2026./.": a notice's last full stop


@dataclass
class _Open:
    """A directive being read: its roles and the span of text that belongs to it."""

    roles: Roles
    start: int
    content_start: int
    end: int
    extra_support: list[Mention] = field(default_factory=list)

    def extend_support(self, mentions: list[Mention]) -> None:
        self.extra_support.extend(mentions)


def parse_directives(msg: Analysed, index: UnitIndex, today: date, calendar: WorkingCalendar) -> list[DraftDirective]:
    opened: list[_Open] = []
    current: _Open | None = None
    heading: Roles | None = None  # "a) Cục Thuế có trách nhiệm:" gives its unit to the entries below
    heading_end = -10  # where the heading line ended
    listing = False  # after "Nội dung thanh tra gồm:" a subject-first clause is an entry of that list
    attending = False  # the lines after "Thành phần:" name who attends, until a line assigns
    addressees = _addressee_span(msg)
    asked = False  # the lines after "Cử tri xã X đề nghị:" say what the voters asked, until the answer's heading
    line_before = (0, 0)
    owner: Roles | None = None  # the task of the paragraph a list of points without subjects follows
    for item_start, item_end, new_item, marked in _lines(msg):
        # "… yêu cầu X chỉ đạo và thực hiện tốt các nội dung sau:" then lines with no marker: X's task, its points
        points = current is not None and current.start >= line_before[0] and not marked \
            and _POINTS_FOLLOW.search(msg.folded, *line_before) is not None
        line_before = (item_start, item_end)
        if not marked and new_item:
            owner = None  # a paragraph of its own: the list of points it may own starts after it
        if new_item and not points:
            current = None
        if heading_line(msg, item_start, item_end) or ANSWER.match(msg.folded, item_start, item_end):
            current, asked = None, False  # "THÔNG TIN PHẢN HỒI", "V/v điều chỉnh …": a title, no task
            continue
        if asked and item_end > item_start and not ISSUER_FIRST.match(msg.folded, item_start, item_end):
            continue
        asked = False  # a blank line, or the issuer speaking, ends what the voters asked
        if msg.text[item_start:item_end].rstrip().endswith(":") and petition(msg, item_start, item_end):
            current, asked = None, True
            continue
        if citizen_asks(msg, item_start, item_end):
            current = None
            continue
        if caption_line(msg, item_start, item_end):
            current = None  # "Nhà dân bị hư hại sau vụ sạt lở ẢNH: CTV": a page's photo caption or link, no task
            continue
        if between_paragraphs(msg, index, item_start, item_end) or photo_caption(msg, item_start, item_end):
            continue  # "Đặc khu Phú Quốc nhìn từ trên cao" between two paragraphs: a photo's caption, no task
        if PARTICIPANTS.match(msg.folded, item_start) or TELEGRAM_TO.search(msg.folded, item_start, item_end):
            # "Thành phần:" lists who attends a meeting; "CHỦ TỊCH UBND TỈNH … điện:" heads a telegram's addressees
            attending, current = True, None
            continue
        if attending and not ASSIGNING.search(msg.folded, item_start, item_end):
            continue
        attending = False
        if SCHEDULE.match(msg.folded, item_start):
            current = None  # "07h00’ ngày 06/9, đoàn xuất phát …": a meeting's schedule
            continue
        if (listed := _addressee_line(msg, index, item_start, item_end)) is not None:
            # "Thủ trưởng các Sở, ban, ngành; các cơ quan Trung ương …; Chủ tịch UBND các huyện, thành phố:" on a line of
            # its own: whom the lines below are for, the bodies the list lacks left out
            heading, current, heading_end = Roles(listed, [], msg.token_at_or_after(item_end), False), None, item_end
            continue
        item_last = msg.token_at_or_after(item_end)
        clauses = [part for clause in _clauses(msg, item_start, item_end) if not petition(msg, *clause)
                   for part in ([clause] if _HEARD.match(msg.folded, clause[0]) or _helpers_first(msg, *clause) else
                                _split_subjects(msg, index, *clause))]
        skip_to = 0
        for n, (c_start, c_end) in enumerate(clauses):
            if c_start < skip_to:
                if c_end > skip_to and current:
                    current.end = c_end
                continue
            if addressees[0] <= c_start < addressees[1]:
                continue  # "… Công điện gửi: Thủ trưởng các sở, …; Chủ tịch UBND các huyện, …": the letter's addressees
            first, last = msg.token_at_or_after(c_start), msg.token_at_or_after(c_end)
            if last - first == 1 and len(msg.tokens[first].text) <= 2:
                continue  # a list number left alone on one line of the message
            if ATTENDS.match(msg.folded, c_start) or JOINS.match(msg.folded, c_start) \
                    or reported_at_meeting(msg, index, c_start, first, last, item_last) \
                    or INVITED.match(msg.folded, c_start, c_end) or MEMBERS.match(msg.folded, c_start):
                # "Cùng đi có Giám đốc Sở Du lịch; lãnh đạo thị xã Sa Pa.": who came, to the end of the sentence, or to
                # the clause where someone is told a task ("…; Chủ tịch UBND tỉnh yêu cầu Sở Y tế …")
                stop = _sentence_end(msg, c_start)
                skip_to = stop.end() if stop else item_end
                came = ATTENDS.match(msg.folded, c_start) or JOINS.match(msg.folded, c_start)
                if came and (told := ASSIGNING.search(msg.folded, c_end, skip_to)) is not None \
                        and not _OF_IT.match(msg.folded, told.end()):
                    skip_to = next((c[0] for c in clauses[n + 1:] if c[1] > told.start()), c_end)
                elif ASSIGNING.search(msg.folded, c_start, c_end) is None or not JOINS.match(msg.folded, c_start):
                    continue
                else:
                    skip_to = 0  # "Tham gia đoàn có lãnh đạo Sở X, yêu cầu Sở X kiểm tra …": the task in it is read
                if skip_to:
                    continue
            if current is not None and (_BEFORE_THAT.match(msg.folded, c_start) or looks_back(msg, c_start, c_end)) \
                    and find_roles(msg, index, first, last, item_last) is None:
                current = None  # "Trước đó, tại cuộc họp … do Ban Tuyên giáo phối hợp với Sở X tổ chức, …": what went before
                continue
            if digest_heading(msg, c_start):
                current = None  # "Chỉ đạo, điều hành nổi bật của UBND tỉnh trong tuần …": a digest's heading, this clause
                continue
            if _CLOSING.search(msg.folded, c_start, c_end):
                current = None  # "… thông báo để các cơ quan, đơn vị biết, thực hiện./": the notice's formula
                # "Chánh Văn phòng …, Giám đốc Sở …; Thủ trưởng … chịu trách nhiệm thi hành Quyết định này": the
                # units named earlier in the same sentence belong to the formula too
                begun = max((m.end() for m in _SENTENCE_END.finditer(msg.text, 0, c_start)), default=0)
                opened = [o for o in opened if o.start < begun]
                continue
            headline = names_of_instruction(msg, index, first, last)
            if headline is not None and not opened and item_start > 0:
                # the line before is the task ("Kiểm tra, xử lý nghiêm …" / "Đó là chỉ đạo của … đối với …")
                top = msg.text.rfind("\n", 0, max(0, item_start - 1)) + 1
                current = _Open(headline, top, top, max(top, item_start - 1))  # the headline, not "Đó là …"
                opened.append(current)
                skip_to = c_end
                continue
            found = find_roles(msg, index, first, last, item_last)
            if found and found.assigned and len(found.lead) == 1 and _vague(msg, found.lead[0]) \
                    and found.content_from == found.lead[0].last \
                    and msg.words(found.lead[0].first, found.lead[0].last) in _LOCAL_AUTHORITIES \
                    and not set(msg.texts[found.lead[0].last:found.lead[0].last + 1]) & _SOME_OF_THEM \
                    and len(named := praised(msg, index, msg.token_at_or_after(_sentence_begun(msg, c_start)),
                                             found.lead[0].first)) > 1 \
                    and all(m.code in index.units and index.units[m.code].kind in ("district", "commune") for m in named):
                # "Ghi nhận sự nỗ lực của UBND TP X và huyện Y …, đồng chí Z đề nghị các địa phương tiếp tục …": those
                found = replace(found, lead=named)
            opened_at = msg.tokens[o].start if (o := skip_opening(msg, first, last)) < len(msg.tokens) else c_start
            if found and not found.spoken and (_HEARD.match(msg.folded, c_start) or _HEARD.match(msg.folded, opened_at)):
                # whom the leader heard; "Sau khi nghe báo cáo, Chủ tịch UBND tỉnh yêu cầu X …" still assigns
                found = spoken_after(msg, index, first, last, item_last)
            if found and found.content_from < len(msg.tokens) \
                    and ATTENDS_MEETING.match(msg.folded, msg.tokens[found.content_from].start):
                current = None  # "Các sở, ban, ngành dự họp tại phòng họp lớn …": where they attend, no task
                continue
            if found and _forecast_or_figures(msg, found, c_start, marked):
                current = None  # "Đài Khí tượng thủy văn cảnh báo …", "… huyện Kim Bảng 150-250mm": news, no task
                continue
            if found and not found.assigned and len(found.lead) == 1 and province_committee(msg, found.lead[0]) \
                    and found.content_from < len(msg.tokens) and not marked and not msg.listed(c_start) \
                    and msg.text[:c_start].rstrip()[-1:] in ("", ".", "!", "?") \
                    and _OWN_ACT.match(msg.folded, msg.tokens[found.content_from].start):
                current = None  # "Ban Chỉ huy phòng thủ dân sự tỉnh phát lệnh báo động số 3 …": the province's own act
                continue
            if found and _issuers_body_will(msg, found):
                current = None  # "Ban Chỉ đạo thành phố sẽ kiểm tra …": the issuer's own committee, its own plan
                continue
            if found and found.assigned and found.lead and not found.support and all(_ministry(msg, m) for m in found.lead) \
                    and any(msg.words(m.first, m.first + 1) == ("bo",) for m in found.lead):
                current = None  # "UBND tỉnh đề nghị Cục Báo chí, Bộ Thông tin và Truyền thông quan tâm …": asked of the
                continue  # central government, no unit of the province's
            if found and _province_asked(msg, index, found):
                current = None  # "Thủ tướng Chính phủ yêu cầu UBND tỉnh Hà Nam chỉ đạo …": the province's own task from above
                continue
            if _answerable(msg, found, c_start, c_end):
                # "… chịu trách nhiệm trước UBND tỉnh nếu để xảy ra …": a warning that makes someone answerable
                if found is not None:
                    current = None
                continue
            if found and current and not found.assigned and _these_again(msg, found, current):
                found = None  # "… Các đơn vị này có trách nhiệm hướng dẫn …": the units just told, their task goes on
            if found and opened:
                found = _referred(msg, found, opened[-1].roles)
                found = _helped_by_the_place(msg, index, found, opened[-1].roles)
            if found and current and only_helps(msg, found, last):
                current.extend_support(found.lead)
                continue
            if found and current and not found.assigned and msg.original_token(first)[:1].isupper() \
                    and starts(msg, skip_opening(msg, first, last), HELPS) and found.lead:
                # "Phối hợp với Báo X, Đài Y, UBND các huyện triển khai mạnh mẽ …" opening a paragraph with no subject of
                # its own: the task before goes on, with them to help
                current.extend_support([*found.lead, *found.support])
                found = None
            if found and not found.assigned and len(found.lead) == 1 and found.lead[0].kind == "group" \
                    and _only_names(msg, found.content_from, last):
                found = None  # "… ; các xã Xuân Lộc, Tuy An Đông, Hòa Xuân...": places named, the clause gives no task
            if found and current and found.assigned and len(found.lead) == 1 and found.lead[0].kind == "generic" \
                    and msg.words(found.lead[0].first, found.lead[0].first + 2) == ("cac", "chu") \
                    and find_deadline(msg.folded, c_start, c_end, today, calendar) is not None \
                    and find_deadline(msg.folded, current.start, c_start, today, calendar) is None:
                found = None  # "… kiểm tra các hồ chứa; đồng thời yêu cầu các chủ hồ báo cáo trước ngày 25/11": one task, its date
            said_again = False
            if found and current and (again := _the_same_again(msg, found, current, c_start)) is not None:
                found, said_again = again, True  # "… yêu cầu UBND các xã, phường … . Các đơn vị báo cáo kết quả …": them again
            if found and current and not names_someone(found) and not (found.spoken or _generic_subject(
                    msg, found, first, last, _own_sentence_task(msg, current, c_start, today, calendar))):
                found = None  # "Đề nghị khẩn trương …", "đề nghị các đơn vị báo cáo …" go on with the task
            if found and current and found.assigned and only_carries_out(msg, found, last) and _given(found, opened):
                continue  # "… yêu cầu Giám đốc Sở X và các đơn vị liên quan triển khai thực hiện.": nothing new
            if found and current and not found.assigned and found.lead and not said_again \
                    and _reports_back(msg, found, current):
                found = None  # "… Trong quá trình điều tra, Công an tỉnh thường xuyên báo cáo …": the same task's report
            if found and current and _goes_on(msg, index, found, clauses, n, first, last, listing):
                found = None
            if found and current and not marked and _directs_own(msg, found, current, first):
                found = None
            if found and not names_someone(found) and _announces(msg, found, item_end):
                found = None  # "Các cơ quan, đơn vị sau đây chịu trách nhiệm …:" announces the entries below
            if found and found.assigned:
                listing = False
            if _opens_list(msg, c_start, c_end):
                listing = True
            if found and _is_heading(msg, found, c_end, item_end, marked):
                heading, current, heading_end = found, None, item_end
                break
            if found is None and n == 0 and msg.text[:item_end].rstrip().endswith(":") and c_end >= item_end:
                heading = None  # "Nơi nhận:", "Về y tế:": a new heading that names no unit
            if found and heading and marked and n == 0 and current is None and found.assigned \
                    and msg.words(first, first + 2) == ("chi", "dao"):
                found = None  # "…các nội dung sau: … 3. Chỉ đạo UBND các xã …": the heading's units direct the communes
            if found is None and heading and (marked or new_item and _right_after(msg, heading_end, item_start)) \
                    and n == 0 and current is None:
                # "Thủ trưởng các sở, ban, ngành; Chủ tịch UBND các huyện:" then the task on the next line, numbered or not
                found = Roles(heading.lead, heading.support, first, False)
            if found is None and owner is not None and marked and n == 0 and current is None and heading is None \
                    and (opening_end := skip_opening(msg, first, last)) < last \
                    and _POINT_TASK.match(msg.folded, msg.tokens[opening_end].start) \
                    and msg.text[item_start:item_end].rstrip().endswith((".", ";")) \
                    and not index.find_all(msg, first, min(last, first + 4)):
                # each point a task of theirs: a point that opens with what to do ("Kêu gọi …", "Cần sẵn sàng …"), not
                # a figure, a detail ("Địa điểm: …"), a heading or the issuer's own decision ("Đồng ý chủ trương …")
                found = Roles(list(owner.lead), list(owner.support), first, False)
            if found is None and current is None and (told := _DETAILS_TOLD.match(msg.folded, c_start)) is not None:
                # "Theo đó, cần chủ động theo dõi …": the letter's details, told to nobody named; the draft asks whose
                found = Roles([], [], msg.token_at_or_after(told.end()), True)
            if current and (found is None or (len(found.lead) == 1 and found.lead[0].kind == "unknown")) \
                    and (again := _named_again(msg, index, c_start, next(
                        (o for o in reversed(opened) if any(m.kind in ("unit", "group") for m in o.roles.lead)),
                        current))) is not None:
                found = again  # "… UBND huyện X theo dõi … . Địa phương sẵn sàng …": X again, a new task
            if found and found.assigned and not found.spoken and not found.past and _told_before(msg, c_start):
                found = replace(found, past=True)  # "Ngày 25/2, Chủ tịch UBND tỉnh đã có Công văn …; đồng thời, giao …"
            if found:
                content_start = msg.tokens[found.content_from].start if found.content_from < len(msg.tokens) else c_end
                content_start = min(content_start, item_end)
                current = _Open(found, c_start, max(content_start, c_start), max(c_end, content_start))
                opened.append(current)
                skip_to = content_start
            elif current:
                current.end = c_end
        if not marked and current is not None and current.start >= item_start and any(
                m.kind in ("unit", "group") for m in current.roles.lead) \
                and msg.text[item_start:item_end].rstrip().endswith("."):
            owner = current.roles  # "UBND tỉnh yêu cầu UBND các huyện thực hiện … .\nMột là, …\nHai là, …"
        if not marked and not new_item:
            continue
    opened = _addressed(msg, index, opened)
    _to_the_addressees(msg, index, opened)
    _announced_units(msg, opened)
    opened = _without_announcements(msg, opened)
    # "… của UBND các huyện Phù Mỹ, TX.An Nhơn và TP.Quy Nhơn là 40 hồ sơ": units in a figure, not a subject given work;
    # "Sở Giáo dục và Đào tạo cũng đã thông báo đến các xã …": what a unit did, told as news, no task given to it
    opened = [o for o in opened if o.roles.assigned or not told_as_news(msg, max(o.content_start, o.start))]
    opened = [o for o in opened if o.roles.assigned
              or not held_that_day(msg, _sentence_begun(msg, o.start), max(o.content_start, o.start), today)]
    # "Giao Giám đốc Sở A, Sở B; thành viên Ban Chỉ huy …; Thủ trưởng … chịu trách nhiệm thi hành Quyết định này": the
    # decision's closing formula, however long its list of addressees
    opened = [o for o in opened if not _CLOSING.match(msg.folded, max(o.content_start, o.start))]
    if len(opened) > 1 and opened[0].roles.past \
            and set(_refs(opened[0].roles.lead)) & {r for o in opened[1:] if not o.roles.past and not _also(msg, o)
                                                    and not _refers_back(msg, o) for r in _refs(o.roles.lead)}:
        # "…, tỉnh đã chỉ đạo các sở, ngành và UBND phường X khẩn trương … UBND phường X được yêu cầu …": the
        # article's summary of the instructions it then details
        opened = opened[1:]
    if len(opened) > 1 and not names_someone(opened[0].roles) and _ANNOUNCING.search(
            msg.folded, opened[0].start, max(opened[0].content_start, opened[0].start)) \
            and any(names_someone(o.roles) for o in opened[1:]) \
            and "\n" in msg.text[opened[0].start:opened[1].start] \
            and find_deadline(msg.folded, opened[0].start, opened[0].end, today, calendar) is None:
        # "Ngày 7-10, Chủ tịch UBND tỉnh ký ban hành Công văn số … chỉ đạo khẩn cấp ứng phó mưa lũ …" and, in the
        # paragraphs below, whom it tells what: the announcement names the letter's subject, the tasks follow (in the same
        # paragraph, "… ban hành văn bản số 2125 chỉ đạo tăng cường trực 24/24 giờ. Giám đốc Sở Y tế chủ trì …" is a task
        # beside another, its lead asked; so is one with a deadline of its own: "… đề nghị các cơ quan, đơn vị … báo cáo kết
        # quả trước ngày 30/11")
        opened = opened[1:]
    opened = _without_formula(msg, opened)
    # "Trước đó, ngày 6/4, UBND tỉnh đã ban hành kế hoạch … . Trong kế hoạch này, UBND tỉnh chỉ đạo X …": the letter told
    # before, and what it said, are background alike
    opened = [replace(o, roles=replace(o.roles, past=True)) if _in_the_letter_before(msg, o) else o for o in opened]
    if any(not o.roles.past for o in opened):
        # "… thời gian qua, tỉnh đã chỉ đạo nhiều giải pháp …": what was done before, told to nobody in particular,
        # beside the tasks given now
        # "… UBND tỉnh đã có nhiều văn bản chỉ đạo UBND thành phố X nhưng chưa …", "UBND TP sẽ chỉ đạo …": a letter told
        # as sent before, or the issuer's own commitment, beside the tasks given now (unless a task given now runs
        # on inside it: "… đã ban hành văn bản về việc giao Sở X … Theo đó, … giao Giám đốc Sở X: …")
        # "Trước đó, …" tells what happened before the news: background beside the tasks given now
        opened = [o for o in opened if not o.roles.past
                  or (names_someone(o.roles) and not _BEFORE_THAT.match(msg.folded, o.start)
                      and not _in_the_letter_before(msg, o)
                      and (not _earlier_letter(msg, o, today) or _gives_later(msg, o)))]
    if _VOTERS_ANSWERED.search(msg.folded):
        # "Tiếp thu ý kiến của cử tri, UBND tỉnh đã chỉ đạo Sở X …": an answer to voters tells what was already done
        opened = [o for o in opened if not (o.roles.past and _DONE_ALREADY.search(
            msg.folded, o.start, max(o.content_start, o.start)))]
    if len(opened) > 1 and not names_someone(opened[0].roles) and _in_headline(msg, opened[0].start) \
            and any(names_someone(o.roles) for o in opened[1:]):
        opened = opened[1:]  # "Chỉ đạo, đôn đốc triển khai công tác chuyển đổi số" above the article: its title
    if len(opened) > 1 and not names_someone(opened[0].roles) and "\n" in msg.text[opened[0].start:opened[1].start] \
            and not opened[0].roles.lead and any(names_someone(o.roles) for o in opened[1:]) \
            and _repeated_below(msg, opened[0], opened[1].start) and _dated_as_below(msg, opened, today, calendar):
        # "(PLO)- Chủ tịch UBND tỉnh yêu cầu phân công rõ trách nhiệm và phải hoàn thành công tác phòng, chống bão trong
        # ngày 24-9." above the paragraphs that tell whom: the article's lead, its words the tasks' own below
        opened = opened[1:]
    if today < TWO_LEVELS:
        _districts_again(msg, opened)
    _the_place_visited(msg, index, opened)
    source = _source(msg, opened[0].start if opened else len(msg.text))
    unsure = _unsure(msg, opened)
    if len(opened) == 1 and _summarises(msg, opened[0]):
        unsure = [True]
    read = [(o, _draft(msg, index, o, today, calendar, source, o_unsure)) for o, o_unsure in zip(opened, unsure, strict=True)]
    kept = [(o, d) for o, d in read if d.content or d.deadline_phrase]  # a bare unit name asks nothing
    drafts = [d for _, d in kept]
    titled = _headline_deadline(msg, opened, today, calendar)
    if titled is not None and len(drafts) == 1 and drafts[0].deadline is None and not drafts[0].recurrence:
        # "Kiên quyết xử lý các chung cư vi phạm PCCC trong quý 2/2019" above the article: the only time given is the
        # headline's; the draft proposes it and asks
        drafts[0] = replace(drafts[0], deadline=titled.day, deadline_phrase=msg.text[titled.start:titled.end],
                            problems=(*drafts[0].problems, PROBLEM_HEADLINE_DEADLINE))
    # the learned doubt check (bot.parsing.doubt): a draft whose lead is likely wrong asks; it reads nothing anew
    return doubted(msg, [o for o, _ in kept], drafts)


# A headline: the message's first line, short, with no stop at its end, above at least one more line.
_HEADLINE_CHARS = 160


def _in_headline(msg: Analysed, at: int) -> bool:
    """`at` is on the message's first line, and that line is a headline: short, with no stop at its end, above more."""
    line_end = msg.text.find("\n")
    line = msg.text[:line_end].rstrip() if line_end > 0 else ""
    return 0 <= at < line_end <= _HEADLINE_CHARS and bool(line) and line[-1] not in ".:;!?" \
        and not LIST_MARKER.match(msg.folded, 0)


def _headline_deadline(msg: Analysed, opened: list[_Open], today: date, calendar: WorkingCalendar) -> Deadline | None:
    """The deadline an article's headline states, when the headline is no task of its own."""
    line_end = msg.text.find("\n")
    if line_end <= 0 or line_end > _HEADLINE_CHARS or not opened or opened[0].start < line_end:
        return None
    line = msg.text[:line_end].rstrip()
    if not line or line[-1] in ".:;!?" or LIST_MARKER.match(msg.folded, 0):
        return None
    found = find_deadline(msg.folded, 0, line_end, today, calendar)
    return found if found is not None and found.day is not None and not found.problem and not found.recurrence \
        and not found.alternatives else None


def _unsure(msg: Analysed, opened: list[_Open]) -> list[bool]:
    """Whether the sentence each task was read from may be background rather than an instruction, by the
    learned sentence model (bot.parsing.background): the draft then asks instead of guessing."""
    if not opened or len(msg.text) < PASTED_CHARS:
        return [False] * len(opened)  # a task typed in the chat is an instruction by intent
    # the rules are sure of a clause an assignment verb opens ("Giao …", "UBND tỉnh yêu cầu …") and of a numbered entry
    doubtful = [n for n, o in enumerate(opened) if not o.roles.assigned and not msg.listed(o.start)]
    spans = sentence_spans(msg.text) if doubtful else []
    probs = instruction_probability([sentence_at(msg.text, opened[n].start, spans) for n in doubtful])
    unsure = [False] * len(opened)
    for n, p in zip(doubtful, probs or (), strict=False):
        unsure[n] = p < THRESHOLD or _own_plan(msg, opened[n])
    return unsure


_EARLIER_LETTER = re.compile(r"\b(?:da|vua)\s+(?:co\s+(?:nhieu\s+|cac\s+)?(?:van\s+ban|cong\s+van|cong\s+dien|y\s+kien)"
                             r"|ban\s+hanh|ky|chi\s+dao\s+tai)\b|\bse\s+(?:chi\s+dao|giao|yeu\s+cau|de\s+nghi)\b")


_BEFORE_THAT = re.compile(r"[\s\W]*truoc\s+do\s*,")
_IN_THAT_LETTER = re.compile(r"[\s\W]*(?:trong|tai|theo)\s+(?:ke\s+hoach|van\s+ban|cong\s+van|cong\s+dien|quyet\s+dinh"
                             r"|chi\s+thi|thong\s+bao)\s+(?:nay|do|tren)\s*,")


def _in_the_letter_before(msg: Analysed, o: _Open) -> bool:
    """The task opens with "Trong kế hoạch này, …" right after a sentence that opens with "Trước đó, …"."""
    if not _IN_THAT_LETTER.match(msg.folded, o.start):
        return False
    ends = [m.end() for m in _SENTENCE_END.finditer(msg.text, 0, max(0, o.start - 1))]
    begun = ends[-1] if ends else 0
    return _BEFORE_THAT.match(msg.folded, begun) is not None
_DAY_TOLD = re.compile(r"\bngay\s+(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})(?:\s*[/.-]\s*(?P<y>\d{4}))?")


def _earlier_letter(msg: Analysed, o: _Open, today: date) -> bool:
    """The sentence a task told in the past was read from tells of a letter sent before ("UBND tỉnh đã có nhiều văn
    bản chỉ đạo …", "đã chỉ đạo tại Công văn số …") or of what the issuer will do ("UBND TP sẽ chỉ đạo …"); a press
    report's "Ngày 28-8, ông X đã giao Công an tỉnh …" is the instruction itself. Only the clause's own words count:
    "… đã có Công văn số … thống nhất …; đồng thời, giao Sở X …" may be that letter's task or a new one, and is asked."""
    span = (o.start, max(o.content_start, o.start))
    if _EARLIER_LETTER.search(msg.folded, *span) is None:
        return False
    told = _DAY_TOLD.search(msg.folded, *span)
    if told is not None:  # "Ngày 02/11/2010 UBND tỉnh đã có công văn … chỉ đạo X …" sent that day: the letter itself
        try:
            day = date(int(told["y"] or today.year), int(told["m"]), int(told["d"]))
        except ValueError:
            return True
        return not 0 <= (today - day).days <= 7
    return True


def _gives_later(msg: Analysed, o: _Open) -> bool:
    """After the sentence a task was read from, its span goes on with another sentence that assigns."""
    stop = _sentence_end(msg, max(o.content_start, o.start))
    return stop is not None and stop.end() < o.end and ASSIGNING.search(msg.folded, stop.end(), o.end) is not None


def _issuers_body_will(msg: Analysed, found: Roles) -> bool:
    """A body of the province itself (its name ends on "tỉnh" or "thành phố", not in the unit list) that "sẽ" do
    something: the issuer's side telling its own plan ("Ban Chỉ đạo tỉnh sẽ kiểm tra …"), not a task it is given."""
    if found.assigned or not found.lead or any(m.kind != "unknown" for m in found.lead):
        return False
    m = found.lead[-1]
    own = msg.words(m.last - 1, m.last) == ("tinh",) or msg.words(m.last - 2, m.last) == ("thanh", "pho")
    return own and msg.words(m.last, m.last + 1) == ("se",) and msg.original_token(m.last).lower() == "sẽ"


# "Đài Khí tượng thủy văn tỉnh cảnh báo nguy cơ …": what a body not in the list forecasts, told as news
_FORECASTS = re.compile(r"\s*(?:(?:da|dang|cung)\s+)?(?:canh\s+bao|du\s+bao|nhan\s+dinh|thong\s+bao\s+ve\s+tinh\s+hinh)"
                        r"(?!\s*,?\s*(?:kip\s+thoi|thuong\s+xuyen|som|day\s+du|chinh\s+xac|ca\s+nhan|de|cho|den\s+nguoi)\b)\b")
# "… các huyện Thanh Liêm, Kim Bảng 150-250mm": places with their figures (rain, water levels), no task
_FIGURES = re.compile(r"[\s,:;]*(?:(?:[A-ZĐ][^\W\d_]*|và)[\s,:;]+){0,6}(?:(?:từ|khoảng|trên|dưới)\s+)?\d+(?:[.,]\d+)?"
                      r"\s*(?:(?:[-–]\s*\d+(?:[.,]\d+)?\s*)?mm|[-–]\s*\d+(?:[.,]\d+)?\s*(?:cm|m|km|%|độ))(?!\w)")


_OWN_ACT = re.compile(r"\s*(?:(?:da|vua|cung)\s+)?(?:phat\s+lenh|ban\s+hanh|phat\s+di|co\s+cong\s+(?:dien|van)|ky\s+ban\s+hanh)\b")


def _forecast_or_figures(msg: Analysed, found: Roles, c_start: int, marked: bool) -> bool:
    """A sentence no one is told that gives a forecast by a body not in the list ("Trước tình hình trên, Đài Khí tượng
    thủy văn tỉnh cảnh báo nguy cơ …"; not a point or a clause after ";" of a list of tasks, nor "… cảnh báo kịp thời"),
    or places' figures."""
    if found.assigned or not found.lead or found.content_from >= len(msg.tokens):
        return False
    at = msg.tokens[found.content_from].start
    k = found.content_from
    while k < min(len(msg.tokens) - 1, found.content_from + 3) and msg.tokens[k].is_word \
            and msg.original_token(k)[0].isupper():
        k += 1  # "Cơ quan chức năng Quảng Nam cảnh báo …": the province's name after the body's
    before = msg.text[:c_start].rstrip()
    stop = _sentence_end(msg, at)
    if all(m.kind in ("unknown", "generic") for m in found.lead) and (forecast := _FORECASTS.match(
            msg.folded, msg.tokens[k].start)) and not marked \
            and (all(m.kind == "unknown" for m in found.lead) or msg.folded.startswith("nguy co", forecast.end() + 1)) \
            and not _ASSIGNS_IN.search(msg.folded, forecast.end(), stop.start() if stop else len(msg.folded)) \
            and (not before or before[-1] in ".!?") and not msg.listed(c_start):
        return True
    return _FIGURES.match(msg.text, at) is not None


def _own_plan(msg: Analysed, o: _Open) -> bool:
    """"Thời gian tới, Thanh tra Sở X sẽ tiếp tục phối hợp tổ chức …": a unit telling what it will do, in a sentence
    no assignment verb opens, may be its own plan reported, not a task given to it."""
    first = msg.token_at_or_after(o.start)
    last = min(msg.token_at_or_after(o.end), max(msg.token_at_or_after(o.content_start), first) + 12)
    return any(msg.tokens[k].text == "se" and msg.original_token(k).lower() == "sẽ" for k in range(first, last))


def _summarises(msg: Analysed, o: _Open) -> bool:
    """The only task read is an article's lead that announces a letter ("Chủ tịch UBND tỉnh vừa ban hành Chỉ thị …
    yêu cầu các sở, ngành, địa phương …") and the letter's tasks follow ("Theo đó, …") in a shape not read: the
    lead may only summarise them, so the draft asks rather than assign the summary."""
    if _ANNOUNCES.search(msg.folded, o.start, max(o.content_start, o.start)) is None:
        return False
    stop = _sentence_end(msg, max(o.content_start, o.start))
    return stop is not None and _DETAILS_BETWEEN.search(msg.folded, stop.end()) is not None


# "ký ban hành Công văn số …", "vừa ban hành Chỉ thị …": a letter announced, before its verb.
_ANNOUNCING = re.compile(r"\b(?:(?:(?:vua|da|moi)\s+)?(?:co|ban\s+hanh|gui|phat\s+di)|ky(?:\s+ban\s+hanh)?)\s+(?:\S+\s+){0,2}?"
                         r"(?:van\s+ban|cong\s+van|cong\s+dien|chi\s+thi|quyet\s+dinh|ke\s+hoach|thong\s+bao)\b")


# Shorter than this, a message is typed, not pasted from an article or a letter: the sentence model is not asked.
PASTED_CHARS = 300


# "UBND tỉnh vừa có văn bản chỉ đạo …", "Chủ tịch UBND tỉnh đã ký ban hành công điện yêu cầu …": a sentence that
# announces a letter, before its assignment verb.
_ANNOUNCES = re.compile(r"\b(?:vua|da|moi)\s+(?:co|ban\s+hanh|ky(?:\s+ban\s+hanh)?|gui|phat\s+di)\s+(?:\S+\s+){0,2}?"
                        r"(?:van\s+ban|cong\s+van|cong\s+dien|chi\s+thi|quyet\s+dinh|ke\s+hoach|thong\s+bao)\b")
# "Chủ tịch UBND tỉnh vừa có chỉ đạo dừng tổ chức lễ hội …": a decision reported, when it names nobody
_REPORTED_ORDER = re.compile(r"\b(?:vua|moi)\s+co\s+chi\s+dao\b")
# "Chiều 24.8, UBND tỉnh ban hành Công điện số 05/CĐ-UBND yêu cầu …": a letter's news told without "vừa" or "đã"
_ISSUES = re.compile(r"\b(?:ky\s+)?ban\s+hanh\s+(?:\S+\s+){0,2}?"
                     r"(?:van\s+ban|cong\s+van|cong\s+dien|chi\s+thi|quyet\s+dinh|ke\s+hoach|thong\s+bao)\b")


# "… ban hành công văn số 1232/UBND-VP gửi các sở, ngành …; UBND các huyện … về việc …": whom a letter is sent to.
_SENT_TO = re.compile(r"\b(?:van\s+ban|cong\s+van|cong\s+dien|chi\s+thi|thong\s+bao|ke\s+hoach)\b[^.\n]{0,60}?"
                      r"\b(?:gui(?:\s+toi|\s+den)?|chi\s+dao\s+(?:den|toi))\s*:?\s+")
_ON = re.compile(r"\bve\s+viec\s+")
_QUALIFIER_TOKENS = 24
_ASSIGNS_IN = re.compile(r"\b(?:yeu\s+cau|de\s+nghi|chi\s+dao|giao|ve\s+viec)\b")
# "… gửi …; chủ tịch UBND các huyện … về chủ động ứng phó với bão số 1": the letter's subject right after its addressees
_ABOUT = re.compile(r"\s*ve\s+(?:viec\s+)?(?=(?:chu\s+dong|tang\s+cuong|tap\s+trung|khan\s+truong|trien\s+khai|thuc\s+hien"
                    r"|to\s+chuc|day\s+manh|ung\s+pho|phong|khac\s+phuc|bao\s+dam|dam\s+bao|kiem\s+tra|ra\s+soat)\b)")
_ABOUT_IN = re.compile(r"(?<=[a-z0-9])" + _ABOUT.pattern)
# "… ký công văn gửi Sở X, Sở Y, yêu cầu kiểm điểm …": what the letter asks, right after whom it is sent to
_ASKS_AFTER = re.compile(r"\s*,?\s*(?:yeu\s+cau|de\s+nghi|chi\s+dao)\s*:?\s+")
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")
_BACK_SUBJECT = re.compile(r"(?:^|[,:;]\s*)cac\s+(?:co\s+quan,\s*)?don\s+vi\s+(?=[a-z])", re.MULTILINE)
_BARE_BACK = frozenset({("cac", "don", "vi"), ("cac", "co", "quan"), ("cac", "co", "quan", ",", "don", "vi"),
                        ("cac", "don", "vi", "tren"), ("cac", "co", "quan", ",", "don", "vi", "tren")})


def _addressed(msg: Analysed, index: UnitIndex, opened: list[_Open]) -> list[_Open]:
    """The units a letter is "gửi" to: the task of a message that only announces the letter ("… Công điện số
    08/CĐ-UBND gửi các sở, ngành, UBND các huyện … về việc khẩn trương khắc phục …"), and who "các đơn vị"
    are in the tasks that follow it."""
    sent = _SENT_TO.search(msg.folded)
    if sent is None:
        return opened
    at = msg.token_at_or_after(sent.end())
    end = len(msg.tokens)
    sentence_end = _sentence_end(msg, sent.end())
    limit = msg.token_at_or_after(sentence_end.start()) if sentence_end else end
    named, after = unit_list(msg, index, at, limit)
    on_at = _ON.search(msg.folded, sent.end(), sentence_end.start() if sentence_end else len(msg.text)) or _ABOUT_IN.search(
        msg.folded, sent.end(), sentence_end.start() if sentence_end else len(msg.text))
    while named and after + 1 < limit:  # "gửi: A; B; C về việc …"
        if msg.tokens[after].text != ";":
            # "gửi các ngành thành viên Ban Chỉ huy PCTT-TKCN tỉnh; UBND các huyện … về việc …": a group's
            # qualifier before the next addressee, skipped
            semi = next((k for k in range(after, min(limit, after + _QUALIFIER_TOKENS))
                         if msg.tokens[k].text in (";", ".")), None)
            if semi is None or msg.tokens[semi].text != ";" or on_at is None \
                    or msg.tokens[semi].start > on_at.start() or named[-1].kind != "group":
                break
            after = semi
        more, beyond = unit_list(msg, index, after + 1, limit)
        if not more:
            # "…; thủ trưởng các cơ quan trung ương đóng trên địa bàn tỉnh; chủ tịch UBND các huyện … về …": an
            # addressee not in the list, skipped to the next
            semi = next((k for k in range(after + 1, min(limit, after + 1 + _QUALIFIER_TOKENS))
                         if msg.tokens[k].text in (";", ".")), None)
            if semi is None or msg.tokens[semi].text != ";" or _ASSIGNS_IN.search(
                    msg.folded, msg.tokens[after].end, msg.tokens[semi].start):
                break
            after = semi
            continue
        named, after = named + more, beyond
    units = [u for u in named if u.kind in ("unit", "group")]
    if not units and (opened or not any(u.kind == "unknown" for u in named)):
        return opened  # (a letter sent only to bodies the list lacks is still asked about, when nothing else is read)
    for o in opened:
        if not o.roles.lead or o.start < sent.start():
            continue
        if all(m.kind == "generic" and msg.words(m.first, m.last) in _BARE_BACK for m in o.roles.lead):
            o.roles = Roles(list(units), o.roles.support, o.roles.content_from, o.roles.assigned, o.roles.past)
    # (in the same sentence too: "… vừa có công văn gửi Sở X và UBND các huyện yêu cầu khẩn trương …")
    alone = opened[0] if len(opened) == 1 and (opened[0].start >= sent.start()
                                               or opened[0].content_start >= sent.end()) else None
    if alone is not None and not alone.roles.lead and alone.roles.assigned and not alone.roles.past \
            and all(m.kind in ("unit", "group", "generic") for m in named):
        # "Chủ tịch UBND tỉnh vừa có Công văn … gửi thủ trưởng các cơ quan …, Chủ tịch UBND các huyện … Cụ thể,
        # Chủ tịch UBND tỉnh yêu cầu tổ chức tốt …": a request with no addressee of its own goes to them
        r = alone.roles
        alone.roles = Roles(list(units), r.support, r.content_from, r.assigned, r.past, r.spoken)
    if opened:
        return opened
    back = _BACK_SUBJECT.search(msg.folded, sentence_end.end() if sentence_end else len(msg.text)) if units else None
    if back is not None:  # "… yêu cầu: từ ngày …, các Đơn vị bố trí, phân công trực …": the addressees
        back_stop = _sentence_end(msg, back.end())
        return [_Open(Roles(list(units), [], msg.token_at_or_after(back.end()), True), back.start(), back.end(),
                      back_stop.end() if back_stop else len(msg.text))]
    on = _ASKS_AFTER.match(msg.folded, msg.tokens[after - 1].end if after else sent.end()) or (
        _ABOUT.match(msg.folded, msg.tokens[after - 1].end) if after else None) or _ON.search(
        msg.folded, msg.tokens[after - 1].end if after else sent.end(),
        sentence_end.start() if sentence_end else len(msg.text))
    if on is None and after and (later := _ABOUT_IN.search(msg.folded, msg.tokens[after - 1].end, msg.tokens[
            min(limit, after + _QUALIFIER_TOKENS) - 1].end)) is not None \
            and not _ASSIGNS_IN.search(msg.folded, msg.tokens[after - 1].end, later.start()):
        on = later  # "… gửi …; các cơ quan thông tấn, báo chí về khẩn trương ứng phó …": past an addressee not read
    if on is None:
        return opened
    content_from = msg.token_at_or_after(on.end())
    stop = sentence_end.end() if sentence_end else len(msg.text)
    told = [u for u in named if u.kind in ("unit", "group", "unknown")]  # a body not in the list is asked about
    if not units and any(msg.words(u.first, u.first + 1) == ("bo",) for u in told):
        return opened  # "… có văn bản gửi Bộ Nông nghiệp và Môi trường về …": what the province asks of a ministry
    return [_Open(Roles(told, [], content_from, True), sent.start(), on.end(), stop)]


_DEAR = re.compile(r"^\s*kinh\s+gui\s*:?[ \t]*", re.MULTILINE)
_DASHED = re.compile(r"\s*[-+•*]")


def _dear(msg: Analysed, index: UnitIndex) -> tuple[list[Mention], int]:
    """The units a letter's «Kính gửi:» names (on its line, or one per dashed line below), and where the list ends."""
    m = _DEAR.search(msg.folded)
    if m is None:
        return [], 0
    spans, pos = [], m.end()
    line_end = msg.text.find("\n", pos) % (len(msg.text) + 1)
    if msg.text[pos:line_end].strip():
        spans.append((pos, line_end))
    else:
        while line_end < len(msg.text) and _DASHED.match(msg.text, line_end + 1):
            start, line_end = line_end + 1, msg.text.find("\n", line_end + 1) % (len(msg.text) + 1)
            spans.append((start, line_end))
    units: list[Mention] = []
    for a, b in spans:
        named, _ = unit_list(msg, index, msg.token_at_or_after(a), msg.token_at_or_after(b))
        units.extend(u for u in named if u.kind in ("unit", "group"))
    return units, spans[-1][1] if spans else m.end()


def _to_the_addressees(msg: Analysed, index: UnitIndex, opened: list[_Open]) -> None:
    """A letter's task for "các đơn vị", or for nobody named ("Chủ tịch UBND tỉnh yêu cầu khẩn trương …"), is for
    the units its «Kính gửi:» names."""
    units, end = _dear(msg, index)
    if not units:
        return
    for o in opened:
        r = o.roles
        bare = bool(r.lead) and all(m.kind == "generic" and msg.words(m.first, m.last) in _BARE_BACK for m in r.lead)
        if o.start >= end and (bare or (not r.lead and r.assigned and not r.past)):
            o.roles = Roles(list(units), r.support, r.content_from, r.assigned, r.past, r.spoken)


def _sentence_end(msg: Analysed, pos: int) -> re.Match[str] | None:
    """The first stop after `pos` that ends a sentence: not the dot of "TP. Huế", "Q. Hải Châu"."""
    for m in _SENTENCE_END.finditer(msg.text, pos):
        if m.group() != "." or not _ABBREVIATED.search(msg.folded, max(0, m.start() - 6), m.start()):
            return m
    return None


def _addressee_span(msg: Analysed) -> tuple[int, int]:
    """Where the list of a letter's addressees runs ("… gửi: A; B; C về việc …"), within its sentence: no
    clause that starts inside it opens a task of its own (`_addressed` gives them the letter's subject)."""
    sent = _SENT_TO.search(msg.folded)
    if sent is None:
        return (0, 0)
    sentence_end = _sentence_end(msg, sent.end())
    stop = sentence_end.start() if sentence_end else len(msg.text)
    on = _ON.search(msg.folded, sent.end(), stop)
    return (msg.folded.rfind("gui", sent.start(), sent.end()) + 3, on.start() if on else stop)


def _directs_own(msg: Analysed, found: Roles, current: _Open, first: int) -> bool:
    """"Chủ tịch UBND tỉnh yêu cầu Sở X tiếp tục nắm tình hình … / Chỉ đạo Công ty … và UBND các huyện kiểm tra
    …": a sentence that opens with "Chỉ đạo" and no subject, after a task the issuer told a department in so many
    words, is what the department directs, not a new task of the province (a notice's bare "Giao Sở X …" line
    followed by "Chỉ đạo UBND các huyện …" is two tasks)."""
    lead = current.roles.lead
    return (bool(lead) and all(m.kind == "unit" for m in lead) and current.roles.spoken
            and msg.words(first, first + 2) == ("chi", "dao") and found.assigned
            and msg.original_token(first)[0].isupper())


def _districts_again(msg: Analysed, opened: list[_Open]) -> None:
    """Before 1/7/2025, "các địa phương" after a task given to "UBND các huyện, thành phố" names those districts
    again ("UBND tỉnh yêu cầu UBND các huyện … Các địa phương tập trung chỉ đạo …")."""
    districts: Mention | None = None
    for o in opened:
        lead = o.roles.lead
        if districts is not None and any(_vague(msg, m) for m in lead):
            o.roles = replace(o.roles, lead=[districts if _vague(msg, m) else m for m in lead])
        for m in o.roles.lead:
            if m.kind == "group" and "huyen" in group_phrase(msg, m):
                districts = m


def _the_place_visited(msg: Analysed, index: UnitIndex, opened: list[_Open]) -> None:
    """"… kiểm tra tình hình sạt lở tại khu tái định cư X, xã Đam Rông 4. … Yêu cầu chính quyền địa phương bố trí lực lượng
    …": the local government is the one commune (district) the message names, when it names exactly one place."""
    for o in opened:
        lead = o.roles.lead
        if len(lead) != 1 or lead[0].kind != "group" or group_phrase(msg, lead[0]) != ("chinh", "quyen", "dia", "phuong"):
            continue
        m = lead[0]
        if msg.words(m.last, m.last + 2) == ("cac", "cap") or m.last < len(msg.tokens) and msg.texts[m.last] in _SOME_OF_THEM:
            continue  # "chính quyền địa phương các cấp": every level
        places = {code for codes in index.places_named(msg).values() for code in codes}
        code = next(iter(places)) if len(places) == 1 else None
        if code is None or code not in index.units or index.units[code].kind not in ("district", "commune"):
            return
        if any(r.code == code for other in opened for r in (*other.roles.lead, *other.roles.support)) \
                or not index.place_named_before(msg, code, m.first):
            return  # the place is another task's, or named only after: not where the leader went
        o.roles = replace(o.roles, lead=[Mention("unit", code, m.first, m.last, m.text)])


def _vague(msg: Analysed, m: Mention) -> bool:
    """A bare "các địa phương"; "UBND các địa phương" names the local committees, whichever level they are (the real-text
    corpus labels them so; one fresh message, f489, reads them as the districts)."""
    return m.kind == "group" and group_phrase(msg, m) in _LOCAL_AUTHORITIES


_LOCAL_AUTHORITIES = (("cac", "dia", "phuong"), ("chinh", "quyen", "dia", "phuong"), ("chinh", "quyen", "cac", "dia", "phuong"))


# The words of a closing formula: "Các sở, ban, ngành, địa phương căn cứ chức năng, nhiệm vụ được giao khẩn trương
# triển khai thực hiện (nghiêm túc, có hiệu quả) nội dung Thông báo này".
_FORMULA_WORDS = CARRY_OUT_FIRST | frozenset(
    "can cu chuc nang nhiem vu duoc giao nghiem tuc co hieu qua noi dung tren nay thong bao ke hoach quyet dinh chi thi "
    "cong van dien van ban cac yeu cau neu theo phan cong linh vuc pham vi quan ly dia ban minh mot cach dong bo "
    "ket luan y kien chi dao dia phuong don vi lien quan "
    # the admonition a telegram closes with: "… nghiêm túc triển khai thực hiện, không (được) chủ quan, lơ là, mất cảnh giác"
    "khong chu quan lo la mat canh giac".split())


def _without_formula(msg: Analysed, opened: list[_Open]) -> list[_Open]:
    """A task after others that names only groups and says only "carry this out" is the text's closing formula
    ("Các sở, ban, ngành, địa phương căn cứ chức năng, nhiệm vụ khẩn trương triển khai thực hiện."), not a task."""
    kept = []
    for n, o in enumerate(opened):
        first, last = msg.token_at_or_after(o.content_start), msg.token_at_or_after(o.end)
        words = [t.text for t in msg.tokens[first:last] if t.is_word]
        # the first may announce the tasks below it ("… triển khai thực hiện một số nội dung sau")
        vocabulary = _FORMULA_WORDS if n else _FORMULA_WORDS | _ANNOUNCED
        if (n or len(opened) > 1) and (o.roles.lead or n) and all(m.kind in ("group", "generic") for m in o.roles.lead) \
                and words and all(w in vocabulary for w in words) and (n or set(words) & _ANNOUNCED):
            continue
        kept.append(o)
    return kept


# "… (tập trung chỉ đạo) thực hiện các nhiệm vụ, giải pháp trọng tâm sau:": words that announce the tasks below.
_ANNOUNCED = frozenset({"mot", "so", "sau", "nhu", "nhung", "giai", "phap", "trong", "tam", "chu", "yeu", "tap", "trung"})


_DETAILS = re.compile(r"[\s\W]*(?:theo\s+do|cu\s+the)\b")
_DETAILS_TOLD = re.compile(r"[\s\W]*(?:theo\s+do|cu\s+the)\s*,\s*(?=(?:can|phai|khan\s+truong|chu\s+dong)\s)")
_DETAILS_BETWEEN = re.compile(r"(?:^|(?<=[.:\n]))[\s\W]*(?:theo\s+do|cu\s+the)\b", re.MULTILINE)


_VOTERS_ANSWERED = re.compile(r"\b(?:tiep\s+thu\s+y\s+kien(?:,?\s+kien\s+nghi)?(?:\s+cua)?\s+cu\s+tri"
                              r"|tra\s+loi\s+(?:nhu\s+sau|kien\s+nghi|y\s+kien)|kien\s+nghi\s+cua\s+cu\s+tri)\b")
_DONE_ALREADY = re.compile(r"\bda\s+(?:chi\s+dao|giao|yeu\s+cau|co\s+van\s+ban\s+chi\s+dao)\b")


def _also(msg: Analysed, o: _Open) -> bool:
    """"… Chủ tịch UBND tỉnh cũng giao Sở X …": "also" adds a task to the one told before, it does not detail it."""
    return re.search(r"\bcung\b", msg.folded[o.start:max(o.content_start, o.start)]) is not None


_PROVINCE_SPEAKS = re.compile(r"\b(?:ubnd|uy\s+ban\s+nhan\s+dan|chu\s+tich(?:\s+ubnd)?)\s+(?:tinh|thanh\s+pho|tp)\b")


def _announced_units(msg: Analysed, opened: list[_Open]) -> None:
    """"… đã ký công văn khẩn yêu cầu các sở, ban, ngành và địa phương triển khai … . … UBND TP yêu cầu các đơn vị hoàn
    thành …": "các đơn vị" of the letter's tasks are the units its announcement named."""
    if len(opened) < 2:
        return
    first = opened[0]
    told = (first.start, max(first.content_start, first.start))
    named = [m for m in first.roles.lead if m.kind in ("unit", "group")]
    if not named or not (_ANNOUNCES.search(msg.folded, *told) or _ISSUES.search(msg.folded, *told)):
        return
    for o in opened[1:]:
        lead = o.roles.lead
        told_by = (o.start, max(o.content_start, o.start))
        if not _PROVINCE_SPEAKS.search(msg.folded, *told_by):
            continue  # "Giám đốc Sở Y tế yêu cầu các đơn vị …": the department's own units, not the letter's
        bare = bool(lead) and all(m.kind == "generic" and msg.words(m.first, m.last) in _BARE_BACK for m in lead)
        if bare or (not lead and o.roles.assigned and not o.roles.past and _TOLD_THE_UNITS.search(msg.folded, *told_by)):
            o.roles = replace(o.roles, lead=list(named))


def _without_announcements(msg: Analysed, opened: list[_Open]) -> list[_Open]:
    """A sentence announcing a letter ("UBND tỉnh vừa có văn bản chỉ đạo Sở X …") followed by the letter's
    tasks ("Theo đó, Sở X được giao …") is the article's lead, not a task of its own: the tasks that follow
    say what it asks."""
    if len(opened) < 2:
        return opened
    first = opened[0]
    nxt = opened[1]
    # "Theo đó, …" opens the next task, or a sentence between ("Theo đó, Chủ tịch UBND tỉnh giao nhiệm vụ … như sau:")
    details = _DETAILS.match(msg.folded, nxt.start) is not None or _DETAILS_BETWEEN.search(
        msg.folded, first.end, nxt.start) is not None
    if not first.roles.lead and _REPORTED_ORDER.search(msg.folded, first.start, max(first.content_start, first.start)) \
            and any(names_someone(o.roles) for o in opened[1:]):
        return opened[1:]  # "… vừa có chỉ đạo dừng tổ chức Lễ hội vải thiều …. UBND tỉnh yêu cầu Sở Công Thương …"
    if first.roles.lead and all(m.kind == "group" for m in first.roles.lead) \
            and _HAS_ORDERED.search(msg.folded, first.start, max(first.content_start, first.start)) \
            and _sentence_end(msg, first.start) is not None and msg.text[:first.start].count(".") == 0 \
            and sum(any(m.kind == "unit" for m in o.roles.lead) for o in opened[1:]) >= 2:
        # "TPO - Ngày 20/9, Phó Chủ tịch UBND tỉnh … có chỉ đạo các sở ngành, địa phương khẩn trương … . Lãnh đạo tỉnh yêu
        # cầu phường X …, giao Sở Y …": the article's opening sums up the tasks it then gives unit by unit
        return opened[1:]
    if not first.roles.lead and _DETAILS.match(msg.folded, nxt.start) is not None and names_someone(nxt.roles):
        return opened[1:]  # "UBND tỉnh chỉ đạo tiếp tục … (Công văn số 1307 …). Theo đó, UBND huyện Văn Lãng …": its lead
    if not first.roles.lead and details and re.search(r"\bvua\b", msg.folded[first.start:first.content_start]):
        return opened[1:]  # "Chủ tịch UBND TP vừa thống nhất tạm giao quyền cho … Theo đó, UBND xã, phường …"
    told = (first.start, max(first.content_start, first.start))
    if not _ANNOUNCES.search(msg.folded, *told):
        if _ISSUES.search(msg.folded, *told) is not None and (
                (first.roles.lead and details)  # the details follow ("Theo đó, trước 18 giờ ngày 24.8, các xã, phường …")
                or (not first.roles.lead and any(names_someone(o.roles) for o in opened[1:])
                    and (details or _DETAILS_BETWEEN.search(msg.folded, max(first.content_start, first.start),
                                                            nxt.start)))):
            return opened[1:]  # "Chủ tịch UBND tỉnh ban hành văn bản số 2125 chỉ đạo tăng cường …. … giao Sở Y tế …"
        return opened
    if not first.roles.lead and any(names_someone(o.roles) for o in opened[1:]):
        return opened[1:]  # "UBND tỉnh vừa ban hành Văn bản số … chỉ đạo kiểm tra dự án X. … giao Sở Y …": whose, below
    same = bool(first.roles.lead) and _refs(first.roles.lead) == _refs(nxt.roles.lead) and not _also(msg, nxt)
    if not (details or same):
        return opened
    named = [m for m in first.roles.lead if m.kind in ("unit", "group")]
    if details and named and not first.roles.past:
        for o in opened[1:]:
            # "… vừa ban hành công văn … yêu cầu các sở, ngành và UBND các xã, phường … . Theo đó, Chủ tịch UBND tỉnh
            # giao các đơn vị …": the letter's addressees, named in the announcement
            if not o.roles.lead and not o.roles.past and _TOLD_THE_UNITS.search(msg.folded, o.start, o.content_start):
                o.roles = replace(o.roles, lead=list(named))
    return opened[1:]


_HAS_ORDERED = re.compile(r"\bco\s+(?:y\s+kien\s+)?chi\s+dao\b")
_TOLD_THE_UNITS = re.compile(r"\b(?:giao|yeu\s+cau|de\s+nghi|chi\s+dao)\s+cac\s+(?:co\s+quan\s*,\s*)?don\s+vi\s*$")


_HEARD = re.compile(r"[\s\W]*(?:sau\s+khi\s+|qua\s+)?(?:lang\s+)?nghe\s")


# A task's line that ends announcing its points ("… chỉ đạo và thực hiện tốt các nội dung sau:").
# The verbs a point of a task's list opens with ("Một là, bằng mọi biện pháp kêu gọi …", "2. Cần sẵn sàng di dời …")
_POINT_TASK = re.compile(r"(?:bang\s+moi\s+bien\s+phap\s*,?\s*)?(?:can|phai|khan\s+truong|tap\s+trung|chu\s+dong|tiep\s+tuc"
                         r"|to\s+chuc|trien\s+khai|kiem\s+tra|ra\s+soat|huong\s+dan|bo\s+tri|xay\s+dung|thuc\s+hien"
                         r"|tang\s+cuong|dam\s+bao|bao\s+dam|keu\s+goi|kiem\s+dem|san\s+sang|theo\s+doi|chi\s+dao"
                         r"|tuyen\s+truyen|di\s+doi|so\s+tan|chuan\s+bi|xu\s+ly|gia\s+co|nghiem\s+cam|ngung|tam\s+dung"
                         r"|phoi\s+hop|quyet\s+liet|kip\s+thoi|nghiem\s+tuc|khac\s+phuc|cung\s+co|duy\s+tri|day\s+manh"
                         r"|huy\s+dong|bao\s+cao|tham\s+muu|de\s+xuat|hoan\s+thanh|lap|cap\s+nhat)\b")
_POINTS_FOLLOW = re.compile(r"\b(?:noi\s+dung|nhiem\s+vu|viec|giai\s+phap|yeu\s+cau)(?:\s+\S+){0,3}?\s+"
                            r"(?:sau(?:\s+day)?|nhu\s+sau)\s*:\s*$")


# Local government has two levels since 1 July 2025: before it, "các địa phương" a province addresses may be its
# districts as well as its communes.
TWO_LEVELS = date(2025, 7, 1)
# "… thông báo để các cơ quan, đơn vị biết, thực hiện", and a decision's executing formula "Chánh Văn phòng …,
# Giám đốc các sở … chịu trách nhiệm thi hành Quyết định này".
# "… thông báo cho ngư dân … biết thời gian cấm biển", "… thông báo để nhân dân biết chủ động phòng tránh" are tasks:
# the formula ends on "biết, thực hiện" or on "biết" itself.
_CLOSING = re.compile(r"\bthong\s+bao\b[^.;]{0,40}\b(?:de|cho)\b[^.;]{0,60}\bbiet\s*"
                      r"(?:(?:,|va)\s*(?:cung\s+)?(?:thuc\s+hien|phoi\s+hop|theo\s+doi|trien\s+khai|chi\s+dao)|[./]|$)"
                      r"|\bnhan\s+duoc\s+(?:cong\s+van|van\s+ban|cong\s+dien|thong\s+bao|chi\s+thi)\s+nay\b"
                      r"|\bchiu\s+trach\s+nhiem\s+thi\s+hanh\s+(?:cac\s+)?(?:quyet\s+dinh|chi\s+thi|van\s+ban)"
                      r"(?:\s+nay\b|\s+(?:so\s+)?\d|\s*(?:[.;]|$))")
_RECIPIENTS = re.compile(r"^\s*noi\s+nhan\s*:", re.MULTILINE)
_BACK_PHRASE = re.compile(r"(?:ubnd\s+)?cac\s+(?:dia\s+phuong|don\s+vi|co\s+quan|huyen|xa|so|nganh)(?:\s+(?:noi|neu))?"
                          r"\s+(?:tren|nay)\b(?!\s+(?:dia\s+ban|toan|ca\s+nuoc))")  # not "trên địa bàn tỉnh"
_BACK = (("noi", "tren"), ("neu", "tren"), ("tren",), ("do",), ("nay",))  # "Các địa phương này phải báo cáo …"


# "(phải) chịu (hoàn toàn) trách nhiệm trước UBND tỉnh …": who answers to whom if the work fails.
_ANSWERABLE = re.compile(r"[\s,]*(?:\w+\s+){0,3}?(?:(?:se|phai|cung|tiep\s+tuc)\s+)*chiu\s+(?:hoan\s+toan\s+|toan\s+bo\s+)?trach\s+nhiem\s+"
                         r"(?:hoan\s+toan\s+)?truoc\b")
_ANSWERABLE_LATER = re.compile(r"[^.;:]{0,160}?\bchiu\s+(?:hoan\s+toan\s+|toan\s+bo\s+)?trach\s+nhiem\s+"
                               r"(?:hoan\s+toan\s+)?truoc\b")
_IF_FAILS = re.compile(r"\b(?:neu|trong\s+truong\s+hop|de\s+xay\s+ra|de\s+phat\s+sinh|khi\s+de)\b")


def _answerable(msg: Analysed, found: Roles | None, c_start: int, c_end: int) -> bool:
    """A clause whose predicate is "chịu trách nhiệm trước X" gives no task: it is a warning ("Chủ tịch UBND các
    huyện chịu trách nhiệm trước Chủ tịch UBND tỉnh nếu để xảy ra …"). Given with an assignment verb and no
    condition ("Giao Sở X chịu trách nhiệm trước UBND tỉnh về tiến độ dự án") it stays a task."""
    at = msg.tokens[found.content_from].start if found and found.content_from < len(msg.tokens) else c_start
    if at >= c_end:
        return False
    begun = max((m.end() for m in _SENTENCE_END.finditer(msg.text, 0, c_start)), default=0)
    fails = _IF_FAILS.search(msg.folded, begun, c_end) is not None
    if _ANSWERABLE.match(msg.folded, at, c_end) is None:
        # the list of who answers runs on past what the rules read as names ("…, chủ tịch UBND 168 phường, xã, đặc
        # khu chịu trách nhiệm trước … trong trường hợp chậm trễ …"): with the condition only
        return fails and _ANSWERABLE_LATER.match(msg.folded, at, c_end) is not None
    return not (found and found.assigned) or fails




_RELATED_LIST_WORDS = frozenset({",", "don", "vi", "doanh", "nghiep", "ca", "nhan", "to", "chuc", "co", "quan", "dia",
                                 "phuong", "tinh", "nganh", "ban", "doan", "the", "hoi"})


def _related_only(msg: Analysed, index: UnitIndex, m: Mention) -> bool:
    """"… phối hợp với các sở, ngành, đơn vị, doanh nghiệp liên quan và UBND huyện …", "các ngành, địa phương liên
    quan": "liên quan" narrows the bodies of the list to those concerned, whom the text does not name: no support. Right
    after a group of localities alone ("UBND các quận, huyện liên quan") it rather tells where the matter lies."""
    j = m.last
    while j < len(msg.tokens) and j - m.last < 10 and msg.tokens[j].text in _RELATED_LIST_WORDS:
        if msg.words(j, j + 3) == ("co", "lien", "quan"):
            break
        j += 1
    if msg.words(j, j + 2) != ("lien", "quan") and msg.words(j, j + 3) != ("co", "lien", "quan"):
        return False
    group = index.groups.get(m.code or "")
    places = group is not None and all(
        (u := index.units.get(c)) is not None and u.kind in ("district", "commune") for c in group.members)
    return j > m.last or not places




def _refers_back(msg: Analysed, o: _Open) -> bool:
    """"Các địa phương này phải báo cáo …": a task whose units are those of the task before, which it adds to."""
    return _BACK_PHRASE.search(msg.folded, o.start, max(o.content_start, o.start)) is not None


def _referred(msg: Analysed, found: Roles, before: Roles) -> Roles:
    """"các địa phương trên", "các đơn vị nói trên": the units the directive before named."""
    if not found.lead and found.assigned and before.lead and found.content_from < len(msg.tokens):
        phrase = _BACK_PHRASE.match(msg.folded, msg.tokens[found.content_from].start)
        if phrase:
            return Roles(list(before.lead), found.support, msg.token_at_or_after(phrase.end()), True, found.past)
    if len(found.lead) != 1 or found.lead[0].kind not in ("group", "generic") or not before.lead:
        return found
    m = found.lead[0]
    back = next((b for b in _BACK if msg.words(m.last, m.last + len(b)) == b), None)
    if back is None or not (msg.tokens[m.first].text == "cac" or msg.words(m.first, m.first + 2) == ("ubnd", "cac")) \
            or msg.words(m.last + len(back), m.last + len(back) + 2) == ("dia", "ban"):
        return found  # "các địa phương trên địa bàn tỉnh" is every locality, not those named above
    content_from = max(found.content_from, m.last + len(back))
    return Roles(list(before.lead), found.support, content_from, found.assigned, found.past)


_NEW_SUBJECT = re.compile(r"[\s,]*(?:dong\s+thoi|ngoai\s+ra|ben\s+canh\s+do|cung\s+voi\s+do|truoc\s+mat"
                          r"|ve\s+(?:ha\s+tang|lau\s+dai|truoc\s+mat)|sau\s+do)\s*,\s*")
_TASK_VERB = re.compile(r"\s*(?:theo\s+doi|kiem\s+tra|ra\s+soat|chi\s+dao|huong\s+dan|xu\s+ly|to\s+chuc|bo\s+tri"
                        r"|phan\s+cong|tang\s+cuong|trien\s+khai\s+(?!thuc\s+hien\b)|chuan\s+bi|thong\s+tin|tuyen\s+truyen"
                        r"|giam\s+sat|dam\s+bao|bao\s+dam|theo\s+sat|nam\s+(?:chac|bat)|san\s+sang|don\s+doc"
                        r"|co\s+(?:bien\s+phap|phuong\s+an|ke\s+hoach))\b")
_MODAL = re.compile(r"\s*(?:can|phai|khan\s+truong|tap\s+trung|chu\s+dong|kip\s+thoi|tiep\s+tuc|quyet\s+liet)\b")


def _own_sentence_task(msg: Analysed, current: _Open, c_start: int, today: date, calendar: WorkingCalendar) -> bool:
    """A sentence that opens with a generic subject and a task verb may be a task of its own within a paragraph when the
    task before already has its deadline or this sentence sets none ("… báo cáo trước ngày 25/11. Các lực lượng chức
    năng tổ chức tuần tra …"); one that sets the deadline the task before lacks goes on with it ("Giao Công an tỉnh chủ
    trì điều tra. Các đơn vị chức năng kiểm tra, xử lý nghiêm …, báo cáo kết quả trước ngày 5/12")."""
    first = msg.token_at_or_after(c_start)
    if first == 0 or msg.tokens[first - 1].text not in (".", "!", "?"):
        return False
    stop = _sentence_end(msg, c_start)
    here = find_deadline(msg.folded, c_start, stop.start() if stop else len(msg.folded), today, calendar)
    return here is None or find_deadline(msg.folded, current.start, c_start, today, calendar) is not None


_GIVEN_ANEW = re.compile(r"[\s,]*(?:(?:dong\s+thoi|ngoai\s+ra|ben\s+canh\s+do|cung\s+voi\s+do)\s*,\s*)?giao\s+(?:cho\s+)?")
_BY_ROLE = frozenset({("chu", "dau", "tu"), ("nha", "thau"), ("chu", "du", "an"), ("nha", "thau", "thi", "cong")})
# After a subject, words that tell what it did or is rather than what it must do
_TOLD_AS_DONE = frozenset({"da", "dang", "van", "chua", "moi", "la", "duoc", "bi", "cham", "khong", "se", "vua", "cho"})


def _generic_subject(msg: Analysed, found: Roles, first: int, last: int, own_sentence: bool = False) -> bool:
    """"Các lực lượng chức năng cần tập trung …": a sentence whose subject is a generic phrase and whose verb
    gives a task of its own (not only "triển khai thực hiện") starts a task without a lead."""
    if found.assigned and found.lead and all(m.kind == "generic" for m in found.lead) and own_sentence \
            and _GIVEN_ANEW.fullmatch(msg.folded[msg.tokens[first].start:msg.tokens[found.lead[0].first].start]) \
            and found.content_from < last and not all(
                t.text in CARRY_OUT_FIRST | {"phoi", "hop", "chat", "che"} for t in msg.tokens[found.content_from:last]
                if t.is_word) and not _told_before(msg, msg.tokens[first].start):
        return True  # "… . Đồng thời, giao các sở, ngành, đơn vị liên quan thông tin …": a task of its own, whose lead is asked
    if found.assigned or not found.lead or any(m.kind != "generic" for m in found.lead):
        return False
    opened_by = msg.folded[msg.tokens[first].start:msg.tokens[found.lead[0].first].start]
    if found.lead[0].first != first and not _NEW_SUBJECT.fullmatch(opened_by) \
            and first + case_opening(msg, first, last) != found.lead[0].first:
        return False
    if found.content_from >= last:
        return False
    if found.lead[0].first != first and first + case_opening(msg, first, last) == found.lead[0].first \
            and msg.words(found.lead[0].first, found.lead[0].last) in _BY_ROLE:
        # "Đối với các khu vực …, chủ đầu tư lắp đặt …": the case, then who by role, then any verb that is no news
        return msg.texts[found.content_from] not in _TOLD_AS_DONE
    if any(msg.original_token(k) == "đã" for k in range(found.content_from, last)):
        return False  # "Các lực lượng chức năng nắm bắt tình hình từ sớm nên đã kịp thời sơ tán …": what was done
    if not _MODAL.match(msg.folded, msg.tokens[found.content_from].start) and not (
            (opened_by or own_sentence or _paragraph_start(msg, first) or _after_semicolon(msg, first))
            and _TASK_VERB.match(msg.folded, msg.tokens[found.content_from].start)):
        return False  # "Đồng thời, ngành chức năng theo dõi chặt …": a task verb after an opener that adds a task
    words = []
    for t in msg.tokens[found.content_from:last]:
        if t.text in (",", ";"):
            break
        if t.is_word:
            words.append(t.text)
    return not all(w in CARRY_OUT_FIRST for w in words)  # "… khẩn trương triển khai thực hiện, nếu …": the formula


def _repeated_below(msg: Analysed, o: _Open, below: int) -> bool:
    """Most pairs of words of the task's first sentence come again in the text from `below` on."""
    start = max(o.content_start, o.start)
    stop = _sentence_end(msg, start)
    first, last = msg.token_at_or_after(start), msg.token_at_or_after(stop.start() if stop else o.end)
    words = [t.text for t in msg.tokens[first:last] if t.is_word]
    pairs = set(zip(words, words[1:], strict=False))
    if len(pairs) < 4:
        return False
    later = [t.text for t in msg.tokens[msg.token_at_or_after(below):] if t.is_word]
    again = pairs & set(zip(later, later[1:], strict=False))
    return len(again) >= 0.6 * len(pairs)


def _dated_as_below(msg: Analysed, opened: list[_Open], today: date, calendar: WorkingCalendar) -> bool:
    """The lead's deadline, if it has one, is one of the tasks' below ("… hoàn thành … trong ngày 24-9" and "… phải
    hoàn thành … xong trong ngày 24/9"): a lead with a date of its own gives a task of its own."""
    first = opened[0]
    stop = _sentence_end(msg, max(first.content_start, first.start))
    own = find_deadline(msg.folded, first.start, stop.end() if stop else first.end, today, calendar)
    return own is None or any((d := find_deadline(msg.folded, o.start, o.end, today, calendar)) is not None
                              and d.day == own.day for o in opened[1:])


# The ministries' first words ("Bộ Y tế", "Bộ Công Thương", "Bộ Thông tin và Truyền thông", …): not "Bộ phận", "Bộ đội",
# "Bộ Chỉ huy", "Bộ CHQS", "Bộ Tư lệnh", which are the province's own.
_MINISTRIES = frozenset({"y", "cong", "quoc", "tai", "xay", "noi", "ngoai", "nong", "giao", "khoa", "van", "thong",
                         "lao", "ke", "dan", "tu"})


# "… thực hiện chỉ đạo của …": the verb's word as a noun, owned by someone
_OF_IT = re.compile(r"\s+cua\b")


def _ministry(msg: Analysed, m: Mention) -> bool:
    """A body the list lacks named as a ministry ("Bộ Thông tin và Truyền thông") or a department of one ("Cục Báo
    chí"), not one of the province's own ("… tỉnh", "Bộ phận một cửa …", "Bộ Tư lệnh Thành phố")."""
    words = msg.words(m.first, m.last)
    if m.kind != "unknown" or "tinh" in words or "huyen" in words:
        return False
    if words[:1] == ("cuc",):
        return True
    return words[:1] == ("bo",) and words[1:2] != () and words[1] in _MINISTRIES and words[1:3] != ("tu", "lenh")


def _province_asked(msg: Analysed, index: UnitIndex, found: Roles) -> bool:
    """A clause that assigns no unit but the province's own leadership, named right before the task: a higher body
    speaking to the province ("Thủ tướng Chính phủ yêu cầu UBND tỉnh Hà Nam chỉ đạo …"), which the office does not track
    as a unit's task."""
    if not found.assigned or found.lead or found.support:
        return False
    for k in range(max(0, found.content_from - 8), found.content_from):
        m = index.match_at(msg, k)
        if m is not None and m.kind == "issuer" and (msg.words(m.first - 2, m.first) in (("yeu", "cau"), ("de", "nghi"))
                                                     or msg.words(m.first - 1, m.first) == ("giao",)):
            end = _own_place_end(msg, m.last)
            end += 2 * (msg.words(end, end + 2) == ("chi", "dao"))  # "… chỉ đạo thực hiện": the task read after it
            if end == found.content_from:
                return True
    return False


def _own_place_end(msg: Analysed, k: int) -> int:
    """Past the province's name after "UBND tỉnh" ("… tỉnh Hà Nam"): up to three words in capitals."""
    j = k
    while msg.has_capitals and j < len(msg.tokens) and j - k < 3 and msg.tokens[j].is_word \
            and msg.original_token(j)[0].isupper():
        j += 1
    return j


def _after_semicolon(msg: Analysed, first: int) -> bool:
    """"…; lực lượng chức năng bố trí chốt chặn …": a clause of its own, after a semicolon, with a subject of its own."""
    if first == 0 or msg.tokens[first - 1].text != ";":
        return False
    begun = _sentence_begun(msg, msg.tokens[first].start)
    return ":" not in msg.text[begun:msg.tokens[first].start]  # "Giao UBND huyện X: …; lực lượng …": X's points


def _sentence_begun(msg: Analysed, at: int) -> int:
    """Where the sentence that holds character `at` begins."""
    return max((m.end() for m in _SENTENCE_END.finditer(msg.text, 0, at)), default=0)


def _helpers_first(msg: Analysed, c_start: int, c_end: int) -> bool:
    """A clause that opens a line with "Phối hợp với …" and no subject: its units help, none begins a task."""
    first, last = msg.token_at_or_after(c_start), msg.token_at_or_after(c_end)
    return first < last and (first == 0 or _paragraph_start(msg, first)) and msg.original_token(first)[:1].isupper() \
        and bool(starts(msg, first, HELPS))


def _paragraph_start(msg: Analysed, i: int) -> bool:
    """Token i opens a line: "… trước ngày 25/10.\n\nCác sở, ngành, đơn vị liên quan hướng dẫn …" is a subject of its
    own (within a paragraph, "… . Các đơn vị chức năng kiểm tra, …, báo cáo trước ngày …" may go on with the task)."""
    return i > 0 and "\n" in msg.text[msg.tokens[i - 1].end:msg.tokens[i].start]


_TOLD_BEFORE = re.compile(r"\b(?:da|vua)\s+(?:co|ban\s+hanh|ky(?:\s+ban\s+hanh)?|gui|chi\s+dao|giao)\b")


def _told_before(msg: Analysed, c_start: int) -> bool:
    """The clause goes on with a sentence that tells what the issuer did before ("Ngày 25/2/2021, Chủ tịch UBND tỉnh
    đã có Công văn số … thống nhất …; đồng thời, giao Sở X …"): its bare "giao" may be that letter's, long done."""
    begun = max((m.end() for m in _SENTENCE_END.finditer(msg.text, 0, c_start)), default=0)
    return begun < c_start and _TOLD_BEFORE.search(msg.folded, begun, c_start) is not None


_REPORTS = re.compile(r"[\s,]*(?:thuong\s+xuyen\s+|dinh\s+ky\s+|kip\s+thoi\s+|tong\s+hop,?\s+)?bao\s+cao\b")


def _reports_back(msg: Analysed, found: Roles, current: _Open) -> bool:
    """The units of the task being read, again, only to report on it."""
    if _refs(found.lead) != _refs(current.roles.lead) or found.content_from >= len(msg.tokens):
        return False
    return _REPORTS.match(msg.folded, msg.tokens[found.content_from].start) is not None


# A singular kind noun opening a sentence names again the one unit of that kind the task before went to: "UBND tỉnh
# yêu cầu UBND huyện X theo dõi … . Địa phương sẵn sàng lực lượng …", "Sở A … . Cùng với đó, Sở khảo sát, …".
_KIND_AGAIN = ((("dia", "phuong"), ("district", "commune")), (("huyen",), ("district",)), (("so",), ("department",)),
               (("xa",), ("commune",)), (("phuong",), ("commune",)), (("thanh", "pho"), ("district",)),
               (("thi", "xa"), ("district",)))
_AGAIN_OPENING = re.compile(r"[\s\W]*(?:(?:dong\s+thoi|cung\s+voi\s+do|ben\s+canh\s+do|ngoai\s+ra|ve\s+lau\s+dai|truoc\s+mat|dac\s+biet"
                            r"|doi\s+voi\s+[^,.;]{1,100})\s*,\s*)?")


def _named_again(msg: Analysed, index: UnitIndex, c_start: int, current: _Open) -> Roles | None:
    gap = msg.text[:c_start]
    stripped = gap.rstrip()
    if stripped and stripped[-1] not in ".!?" and "\n" not in gap[len(stripped):]:
        return None  # only a sentence's subject
    opening = _AGAIN_OPENING.match(msg.folded, c_start)
    i = msg.token_at_or_after(opening.end() if opening else c_start)
    if i >= len(msg.tokens) or not msg.has_capitals or not (msg.original_token(i)[0].isupper() or opening and opening.group()
                                                             and msg.tokens[i].start > c_start):
        return None  # (after "Đặc biệt, …" the word is in small letters)
    for kind, unit_kinds in _KIND_AGAIN:
        j = i + len(kind)
        if msg.words(i, j) != kind or j >= len(msg.tokens) or not msg.tokens[j].is_word \
                or msg.original_token(j)[0].isupper() or msg.tokens[j].text in ("cac", "nay", "tren", "do"):
            continue
        if opening and opening.group().strip() and (msg.texts[j] in _TOLD_AS_DONE or msg.texts[j] == "co" and msg.words(
                j + 1, j + 3) not in (("trach", "nhiem"), ("phuong", "an"), ("bien", "phap"), ("ke", "hoach"))):
            return None  # "Đặc biệt, huyện có 3 điểm sạt lở …": what the district has, told
        before = [m for m in current.roles.lead
                  if m.kind == "unit" and m.code in index.units and index.units[m.code].kind in unit_kinds]
        if len(before) == 1 and len(current.roles.lead) == 1:
            return Roles(before, [], j, False)
        return None
    return None


def _only_names(msg: Analysed, first: int, last: int) -> bool:
    """Tokens first..last hold names only (capitalised words, commas, "và"), no word of a task."""
    words = [k for k in range(first, last) if msg.tokens[k].is_word]
    return bool(words) and msg.has_capitals and all(
        msg.original_token(k)[0].isupper() or msg.tokens[k].text == "va" for k in words)


# "các địa phương còn lại / khác / trong tỉnh / có …": some or all of them, not those just named
_SOME_OF_THEM = frozenset({"con", "khac", "trong", "tren", "co", "chua", "nao", "thuoc", "lien", "o", "tai"})


def _these_again(msg: Analysed, found: Roles, current: _Open) -> bool:
    """"Các đơn vị này …", "các cơ quan, đơn vị này …" after a task given to named units: those units, the same task
    going on (the word "này" points back at the subject just named)."""
    lead = found.lead
    return not found.assigned and not found.support and len(lead) == 1 and lead[0].kind == "generic" \
        and msg.words(lead[0].first, lead[0].last) in _BARE_BACK and msg.words(lead[0].last, lead[0].last + 1) == ("nay",) \
        and any(m.kind in ("unit", "group") for m in current.roles.lead) and found.content_from < len(msg.tokens) \
        and not _REPORTS.match(msg.folded, msg.tokens[found.content_from].start) \
        and not _REPORTS.match(msg.folded, msg.tokens[min(found.content_from + 1, len(msg.tokens) - 1)].start) \
        and msg.texts[min(found.content_from + 1, len(msg.tokens) - 1)] not in _TOLD_AS_DONE | {"cho", "gom", "deu"}


def _the_same_again(msg: Analysed, found: Roles, current: _Open, c_start: int) -> Roles | None:
    """"Các đơn vị …" opening a sentence of its own after a task given to named units: those units again, told a task
    of their own (a report, a further step), not a task for whom the text does not say."""
    if found.assigned or found.spoken or len(found.lead) != 1 or found.lead[0].kind != "generic" \
            or msg.words(found.lead[0].first, found.lead[0].last) not in _BARE_BACK:
        return None
    stripped = msg.text[:c_start].rstrip()
    if not stripped or stripped[-1] not in ".!?" or msg.tokens[found.lead[0].first].start != c_start + (
            len(msg.text[c_start:]) - len(msg.text[c_start:].lstrip())):
        return None  # only a sentence's subject
    lead = current.roles.lead
    if not lead or any(m.kind not in ("unit", "group") for m in lead):
        return None
    if current.roles.past and not _REPORTS.match(msg.folded, msg.tokens[found.content_from].start) \
            and not msg.words(found.content_from, found.content_from + 1) == ("phai",):
        return None
    # "… giao Công an tỉnh chủ trì, phối hợp với UBND các huyện A, B … . Các đơn vị phải báo cáo …": all of them
    lead = lead + [m for m in current.roles.support if m.kind in ("unit", "group")]
    if found.content_from != found.lead[0].last:
        return None  # "Các cơ quan, đơn vị, tổ chức, cá nhân là đối tượng …": the list of names goes on
    if found.content_from >= len(msg.tokens) or not (_MODAL.match(msg.folded, msg.tokens[found.content_from].start)
                                                     or _TASK_VERB.match(msg.folded, msg.tokens[found.content_from].start)
                                                     or _REPORTS.match(msg.folded, msg.tokens[found.content_from].start)):
        return None  # "Các cơ quan thông tấn, báo chí …": more words of a name, no task
    return Roles(list(lead), [], found.content_from, False, current.roles.past)  # told as the task before was


def _helped_by_the_place(msg: Analysed, index: UnitIndex, found: Roles, before: Roles) -> Roles:
    """"Sở X phối hợp với địa phương theo dõi …" after a task of one district or commune: that place helps."""
    k = found.content_from
    n = starts(msg, k, HELPS)
    if not n and any(msg.words(k - len(p), k) == p for p in HELPS):
        n = 0  # the words of help already read, the place not
    elif not n:
        return found
    if not found.lead or found.support or msg.words(k + n, k + n + 2) != ("dia", "phuong"):
        return found
    places = [m for m in before.lead if m.kind == "unit" and m.code in index.units
              and index.units[m.code].kind in ("district", "commune")]
    if len(places) != 1 or len(before.lead) != 1:
        return found
    return Roles(found.lead, places, k + n + 2, found.assigned, found.past, found.spoken)


def _given(found: Roles, opened: list[_Open]) -> bool:
    """Every lead `found` names leads a directive already read."""
    return set(_refs(found.lead)) <= {r for o in opened for r in _refs(o.roles.lead)}


def _goes_on(msg: Analysed, index: UnitIndex, found: Roles, clauses: list[tuple[int, int]], n: int,
             first: int, last: int, listing: bool) -> bool:
    """A clause naming units that still belongs to the directive being read."""
    same_sentence = n > 0 and msg.text[: clauses[n - 1][1]].endswith(";")
    if same_sentence and continues_task(msg, first, last):
        return True  # "…; chỉ đạo các đơn vị trực thuộc …": the lead directs its own units
    if found.assigned:
        return False
    if listing:
        return True
    if not same_sentence:
        return False
    prev_first, prev_last = msg.token_at_or_after(clauses[n - 1][0]), msg.token_at_or_after(clauses[n - 1][1])
    return ends_with_objects(msg, index, prev_first, prev_last)


def _split_subjects(msg: Analysed, index: UnitIndex, start: int, end: int) -> list[tuple[int, int]]:
    first, last = msg.token_at_or_after(start), msg.token_at_or_after(end)
    cuts = [msg.tokens[k].end for k in subject_breaks(msg, index, first, last)]
    bounds = [start, *cuts, end]
    return list(zip(bounds, bounds[1:], strict=False))


def _announces(msg: Analysed, roles: Roles, item_end: int) -> bool:
    """The words after the units end their line with ":" and no sentence ends before."""
    if roles.content_from >= len(msg.tokens):
        return False
    rest = msg.text[msg.tokens[roles.content_from].start : item_end].rstrip()
    return rest.endswith(":") and not _CLAUSE_END.search(rest[:-1])


def _opens_list(msg: Analysed, c_start: int, c_end: int) -> bool:
    """"Nội dung thanh tra gồm:", "… bao gồm:": what follows lists parts of the task."""
    return re.search(r"\bgom\s*:\s*$", msg.folded[c_start:c_end]) is not None


_POINTS_BELOW = re.compile(r"\b(?:cac|mot\s+so|nhung)\s+(?:noi\s+dung|nhiem\s+vu|giai\s+phap|viec|yeu\s+cau)"
                           r"(?:\s+(?:trong\s+tam|chu\s+yeu|cu\s+the|cap\s+bach|can\s+thiet))?\s+(?:sau|duoi)(?:\s+day)?$")


def _addressee_line(msg: Analysed, index: UnitIndex, start: int, end: int) -> list[Mention] | None:
    """A line of addressees separated by «;» and ending with a colon, two of them at least naming the province's units or
    groups (each right at the start of its part, after a title): the units and groups it names, else None."""
    line = msg.text[start:end].rstrip()
    if not line.endswith(":") or line.count(";") < 1 \
            or ASSIGNING.search(msg.folded, start, start + line.index(";")):  # "UBND tỉnh giao …; …:" assigns itself
        return None
    found: list[Mention] = []
    named_parts, pos = 0, start
    for part in line[:-1].split(";"):
        first, last = msg.token_at_or_after(pos), msg.token_at_or_after(pos + len(part))
        pos += len(part) + 1
        units, _ = unit_list(msg, index, first, last)
        named = [m for m in units if m.kind in ("unit", "group")]
        named_parts += bool(named)
        found += [m for m in named if all(f.code != m.code for f in found)]
    return found if named_parts >= 2 else None


def _right_after(msg: Analysed, heading_end: int, item_start: int) -> bool:
    """The line starting at item_start is the one right below the heading line that ended at heading_end."""
    return 0 <= item_start - heading_end <= 2 and not msg.text[heading_end:item_start].strip()


_COUNTED_POINTS = re.compile(r"\b\d{1,2}\s+(?:nhom\s+)?(?:noi\s+dung|nhiem\s+vu|giai\s+phap|viec|yeu\s+cau)\b")


def _is_heading(msg: Analysed, roles: Roles, c_end: int, item_end: int, marked: bool = False) -> bool:
    """"Sở Y tế:" or "Cục Thuế có trách nhiệm:" on a line of its own, before the tasks listed under it; without
    the colon, a numbered "1. Sở Công Thương chủ trì, phối hợp với …" whose tasks are the entries "a) …" below."""
    read_past = roles.content_from < len(msg.tokens) and msg.tokens[roles.content_from].start >= c_end
    if c_end < item_end and not read_past or not names_someone(roles):
        return False  # (the addressees may run past a «;»: "… Thủ trưởng các ban, ngành; Chủ tịch UBND … nội dung sau:")
    below = msg.text[item_end:].lstrip()
    numbered = bool(below) and LIST_MARKER.match(fold_same_length(below[:14])) is not None
    if numbered and roles.content_from < len(msg.tokens) \
            and _COUNTED_POINTS.search(msg.folded, msg.tokens[roles.content_from].start, item_end):
        return True  # "… chỉ đạo UBND các huyện triển khai 5 nhóm giải pháp cấp bách …" then "Thứ nhất, …": the points
    if not msg.text[:item_end].rstrip().endswith(":"):
        if not marked or not numbered:
            return False
    last = msg.token_at_or_after(item_end)
    words = [t.text for t in msg.tokens[roles.content_from:last] if t.is_word]
    directs = words[:2] == ["chi", "dao"]  # "… chỉ đạo các Đài Phát thanh - Truyền hình cấp huyện … các nội dung sau:"
    if numbered and len(words) <= (24 if directs else 14) and _POINTS_BELOW.search(" ".join(words)):
        return True  # "… tập trung triển khai quyết liệt, đồng bộ một số nội dung sau:" then "1. …": how, then the points
    rest = set(words)
    return rest <= {"co", "trach", "nhiem", "chiu", "thuc", "hien", "cac", "vu", "sau", "nhu", "tap", "trung", "mot",
                    "so", "cong", "viec", "noi", "dung", "giai", "phap", "trien", "khai", "nhung", "day", "duoi",
                    "cu", "the", "chu", "yeu", "trong", "tam"}


def _lines(msg: Analysed) -> Iterator[tuple[int, int, bool, bool]]:
    """Each line without its list marker, whether it opens a new item (a list entry, a heading ("Về y
    tế:") or the line after one; other lines go on with the item before: "Thời gian: trong quý II"),
    and whether it had a list marker."""
    pos, after_heading = 0, True
    recipients = _RECIPIENTS.search(msg.folded)
    text = msg.text[: recipients.start()] if recipients else msg.text  # "Nơi nhận:" lists who gets the notice
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        marker = LIST_MARKER.match(msg.folded, start, end)
        heading = line.endswith(":")
        yield (marker.end() if marker else start), end, bool(marker) or after_heading or heading, bool(marker)
        after_heading = heading


# A dot after an abbreviation ends no sentence: "UBND TP. Đà Nẵng giao …", "Q. Hải Châu", "TS. Nguyễn …".
_ABBREVIATED = re.compile(r"(?:^|[\s(,])(?:tp|tx|tt|q|h|p|ts|ths|bs|ks|gs|pgs|ong|ba)$")


# A headline run into its text with no stop: "… khởi công cầu vượt trước 20/8 Chủ tịch UBND tỉnh giao …".
_RUN_ON = re.compile(r"(?<=\d)(?=\s+(?:Phó\s+)?(?:Chủ\s+tịch\s+(?:UBND|Ủy\s+ban)|UBND\s+tỉnh|Ủy\s+ban\s+nhân\s+dân\s+tỉnh)\b)|"
                     + _CLAUSE_END.pattern)


# A colon that opens the members of a group, not a new clause: "hướng dẫn UBND các huyện: Giao Thủy, Xuân Trường",
# "phối hợp các Sở: Tài nguyên và Môi trường, Tư pháp", "Chủ tịch các huyện bị phê bình gồm: huyện Diễn Châu, …".
_MEMBERS_FOLLOW = re.compile(r"(?:\bcac\s+(?:huyen|xa|phuong|so|nganh|quan|thi\s+xa|thanh\s+pho|don\s+vi|dia\s+phuong"
                             r"|co\s+quan|luc\s+luong|tinh|dac\s+khu)(?:\s*,\s*(?:huyen|xa|phuong|thi\s+xa|thanh\s+pho|dac\s+khu"
                             r"|ban|nganh|thi|thanh))*|\b(?:bao\s+)?gom|\b(?:giao|yeu\s+cau|de\s+nghi)\s+(?:giam\s+doc"
                             r"|thu\s+truong(?:\s+cac\s+(?:don\s+vi|co\s+quan|so))?|chu\s+tich))\s*$")
# The members: names with a capital, the first no longer than a name ("Giao Thủy, Xuân Trường …", "Tài nguyên và Môi
# trường, Tư pháp …"), not a task given to one of them ("phường Thuận An rà soát …, báo cáo …").
_MEMBER_LIST = re.compile(r"\s*(?:(?:huyện|xã|phường|quận|thị xã|thành phố|đặc khu)\s+)?[A-ZĐÀ-Ỹ][^\s,.;:]*(?:\s+[^\s,.;:]+){0,4},[^\n.;:]{1,60}")


def _members_follow(msg: Analysed, colon: int) -> bool:
    """The ":" at `colon` is followed on its line by a comma list of names after a group's plural noun."""
    if not _MEMBERS_FOLLOW.search(msg.folded, max(0, colon - 60), colon):
        return False
    rest = msg.text[colon + 1 : msg.text.find("\n", colon) if "\n" in msg.text[colon:] else len(msg.text)]
    return _MEMBER_LIST.match(rest) is not None


def _clauses(msg: Analysed, start: int, end: int) -> Iterator[tuple[int, int]]:
    for m in _RUN_ON.finditer(msg.text, start, end):
        if m.group() == "." and _ABBREVIATED.search(msg.folded, max(0, m.start() - 6), m.start()):
            continue
        if m.group() == ":" and _members_follow(msg, m.start()):
            continue
        if not m.group() and len(msg.text[start : m.start()].split()) < 6:
            continue  # "Sáng 6/11 UBND tỉnh …": a date before the subject, no headline
        yield start, m.end()
        start = m.end()
    if start < end:
        yield start, end


def _draft(msg: Analysed, index: UnitIndex, o: _Open, today: date, calendar: WorkingCalendar,
           source: str | None, unsure: bool = False) -> DraftDirective:
    end = o.end
    relay = _RELAY.search(msg.folded, o.start, o.end)
    if relay and find_deadline(msg.folded, o.start, relay.start(), today, calendar):
        end = relay.start()  # "… trước ngày 10-5 để tổng hợp, báo cáo UBND tỉnh trước ngày 18-5": the 18th is not theirs
    deadline = find_deadline(msg.folded, o.start, end, today, calendar)
    if deadline and deadline.start < o.content_start and _PURPOSE.match(msg.folded, o.start):
        # "Để …, nhằm giảm số vụ cháy rừng trong năm 2025, UBND tỉnh yêu cầu …": the aim's time, not the task's
        deadline = find_deadline(msg.folded, o.content_start, end, today, calendar)
    support = o.roles.support + o.extra_support + _support_in_content(msg, index, o)
    # "… phối hợp với các địa phương ven biển …": which of them help the text does not say; none is named as support
    support = [m for m in support if not (m.kind == "group" and (narrowed(msg, m) and not others_of(msg, m)
                                                                 or _related_only(msg, index, m)))]
    # Before 1/7/2025 a province's bare "các địa phương" are its districts, when the unit list has them (still asked)
    districts = today < TWO_LEVELS and DISTRICTS in index.groups
    lead_refs = _without_inner_groups(_refs(o.roles.lead, msg if districts else None), index)
    support_refs = tuple(r for r in _refs(support, msg if districts else None) if r not in lead_refs)
    unresolved = tuple(dict.fromkeys(m.text for m in o.roles.lead + support if m.kind == "unknown"))
    problems = []
    if deadline and deadline.problem:
        problems.append(deadline.problem)
    if deadline and deadline.alternatives and not deadline.problem:
        problems.append(PROBLEM_TWO_DEADLINES)
    if o.roles.past or unsure:
        problems.append(PROBLEM_BACKGROUND)
    vague = tuple(m.text for m in o.roles.lead if m.kind == "group" and (
        (today < TWO_LEVELS and group_phrase(msg, m)[-2:] == ("dia", "phuong"))
        or msg.words(m.first, m.last)[-2:] == ("so", "tai")  # "chính quyền sở tại": which places, asked
        or narrowed(msg, m)))  # "UBND các huyện có rừng": which of them, asked
    if vague:
        problems.append(PROBLEM_VAGUE_UNIT)  # before 1/7/2025 "các địa phương" may mean the districts
    if unresolved:
        problems.append(PROBLEM_UNRESOLVED)
    elif not lead_refs:
        problems.append(PROBLEM_NO_LEAD)
    guessed = [m for m in o.roles.lead if m.kind == "unit" and msg.words(m.first, m.first + 1) == ("ubnd",)
               and m.last - m.first <= 3 and not (msg.has_capitals and msg.original_token(m.last - 1)[0].isupper())]
    if guessed and PROBLEM_UNSURE_LEAD not in problems:
        # "UBND phường cần …" read as the one ward the text names elsewhere: a guess from the context, asked
        problems.append(PROBLEM_UNSURE_LEAD)
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
        alternatives=deadline.alternatives if deadline else (),
        vague=vague,
        doubted_lead=", ".join(msg.original(m.first, m.last) for m in guessed),
    )


DISTRICTS = "huyen"
_PURPOSE = re.compile(r"[\s\W]*(?:de|nham)\s")


def _refs(mentions: list[Mention], districts_of: Analysed | None = None) -> tuple[str, ...]:
    """Unit codes and #groups of `mentions`; with `districts_of`, a bare "các địa phương" is the districts."""
    refs = (m.code if m.kind == "unit" else f"#{DISTRICTS}" if districts_of is not None and _vague(districts_of, m)
            else f"#{m.code}" for m in mentions if m.kind in ("unit", "group"))
    return tuple(dict.fromkeys(r for r in refs if r))


def _without_inner_groups(refs: tuple[str, ...], index: UnitIndex) -> tuple[str, ...]:
    """"các sở, ban, ngành, cơ quan, đơn vị, địa phương": a group whose members another group of the same list holds
    is that group said again."""
    members = {r: set(index.groups[r[1:]].members) for r in refs if r.startswith("#") and r[1:] in index.groups}
    return tuple(r for r in refs if r not in members
                 or not any(o != r and members[r] < members[o] for o in members))


def _support_in_content(msg: Analysed, index: UnitIndex, o: _Open) -> list[Mention]:
    """"… thực hiện X, phối hợp với Sở Y": support named after the task has begun."""
    first, last = msg.token_at_or_after(o.content_start), msg.token_at_or_after(o.end)
    found: list[Mention] = []
    for i in range(first, last):
        n = starts(msg, i, HELPS) or _members_of_team(msg, i)
        if n:
            units, _ = unit_list(msg, index, i + n, last)
            found.extend(units)
    return found


_TEAM = re.compile(r"(?:to|doan|nhom)\s+(?:cong\s+tac|kiem\s+tra|thanh\s+tra|lien\s+nganh|giam\s+sat|khao\s+sat)"
                   r"(?:\s+lien\s+nganh)?\s+(?:gom|gom\s+co|gom\s+dai\s+dien|voi\s+thanh\s+phan\s+gom)\s+")


def _members_of_team(msg: Analysed, i: int) -> int:
    """"… chủ trì thành lập Tổ công tác gồm Thanh tra tỉnh, Sở Tư pháp … kiểm tra …": the team's members help."""
    m = _TEAM.match(msg.folded, msg.tokens[i].start)
    return msg.token_at_or_after(m.end()) - i if m else 0


_PAGE_META = re.compile(r"\s*(?:Ngày đăng|Lượt xem|Cập nhật lúc|Lượt đọc)\s*:.*$", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\s*\(\s*(?:(?:hoàn thành|xong|thời hạn|hạn)\s*:?\s*)?\)", re.IGNORECASE)


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
    text = _EMPTY_BRACKETS.sub("", text)  # "(đến ngày 31.1.2021)" once its date is taken: nothing left to say
    text = _PAGE_META.sub("", text)  # "… Ngày đăng: 01/03/2023 | 18:38 | Lượt xem: 1215": the page's, not the task's
    tail = _TAIL.search(fold_same_length(text))
    text = text[: tail.start() if tail else len(text)]
    return re.sub(r"\s+([,;.])", r"\1", text).strip(" ,;:-")


def _source(msg: Analysed, first_directive: int) -> str | None:
    """The notice the directives come from: a document number in the preamble, or any notice
    (TB, KL) number; a number cited inside a task ("Chỉ thị số 15/CT-UBND") is not the source."""
    for m in _DOCUMENT_NUMBER.finditer(msg.text):
        if m.start() < first_directive or m["kind"] in _NOTICE_KINDS:
            return m.group()
    return None
