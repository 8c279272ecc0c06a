"""The simulated month of benchmarks/month.py: a province's units and people, and what each of them will do,
drawn from a fixed seed.

The province: the 18 departments and agencies of `shared/data/province-2025` and its first 22 communes
(40 units), the office (VP), a clerk, two leaders (Chủ tịch, Phó Chủ tịch) and a focal point per unit;
some units have two focal points, some a registered group chat (its members: the unit's focal points).

The work: 2,500 directives a year is 2,500 × working days ÷ 264 over the run (208 in 22 working days),
assigned three ways: pasted conclusion notices of 3–14 tasks (60 %), a leader's own message (20 %), the
guided assignment (/giaoviec, 20 %); and on the first morning the clerk imports last months' history from
the Excel template. What each unit then does with a directive (acknowledge, report progress, ask for an
extension, report done, with or without a file, on time or late, some in the evening) and what the office
and the leaders decide is drawn per directive from its own random stream, so it does not depend on the
order in which the run happens to meet it.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.domain.calendar import WorkingCalendar

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DIRECTIVES_PER_YEAR = 2500
WORKING_DAYS_PER_YEAR = 264  # 2,500 a year ≈ 208 in a month of 22 working days
START = date(2026, 11, 2)  # a Monday
SHARE_NOTICE, SHARE_FREE = 0.60, 0.20  # the rest is guided
HISTORY_SHARE = 0.6  # history rows imported on day one, as a share of a month's directives
CLERK_ID, LEADER_IDS, FOCAL_BASE, GROUP_BASE = 100_001, (100_002, 100_003), 200_000, -300_000

VERBS = ("rà soát", "kiểm tra", "xây dựng kế hoạch", "tham mưu giải quyết", "đôn đốc thực hiện", "tổng hợp báo cáo",
         "đề xuất phương án xử lý", "hoàn thiện hồ sơ", "đánh giá kết quả", "chấn chỉnh")
OBJECTS = ("tiến độ giải ngân vốn đầu tư công", "công tác giải phóng mặt bằng", "kiến nghị của cử tri",
           "công tác phòng, chống thiên tai", "an toàn thực phẩm", "chuyển đổi số", "thủ tục hành chính",
           "cải cách hành chính", "chất lượng công trình trường học", "quản lý đất đai", "an ninh trật tự",
           "phòng cháy, chữa cháy", "quản lý khoáng sản", "xây dựng nông thôn mới", "thu ngân sách",
           "chính sách an sinh xã hội", "quy hoạch đô thị", "dịch vụ công trực tuyến")
REASONS = ("Cần thêm thời gian lấy ý kiến các đơn vị liên quan", "Chờ kết quả thẩm định của cơ quan chuyên môn",
           "Khối lượng hồ sơ lớn, cần thêm thời gian tổng hợp")
SEND_BACK = ("Báo cáo chưa có số liệu cụ thể, đề nghị bổ sung", "Chưa nêu rõ kết quả xử lý, đề nghị làm rõ")
REFUSALS = ("Nhiệm vụ cấp bách, đề nghị hoàn thành đúng hạn", "Lý do chưa thuyết phục")


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    kind: str
    focal_points: int  # 1 or 2
    group: int | None  # the registered group chat's id


@dataclass
class Task:
    """One directive as the simulation means it; `code` is learned from the bot's messages."""

    marker: int  # a number in the content that tells the directive apart in every message
    content: str
    lead: str
    support: list[str]
    deadline: date | None  # guided ones: chosen from the deadline buttons when assigned
    how: str  # notice | free | guided | import
    assigner: str  # the person's key
    day: date
    at: time
    rng: random.Random
    standing: bool = False
    code: str | None = None
    history: dict[str, object] = field(default_factory=dict)  # import rows: the sheet's other columns


@dataclass
class Notice:
    number: int
    day: date
    at: time
    leader_title: str
    tasks: list[Task]


@dataclass
class Plan:
    units: list[Unit]
    office: tuple[str, str]
    notices: list[Notice]
    singles: list[Task]  # free text and guided
    history: list[Task]
    days: list[date]  # the working days of the run
    end: date  # the last calendar day of the run


def working_days(calendar: WorkingCalendar, start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if calendar.is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def office_time(rng: random.Random, start: time = time(8, 0), end: time = time(16, 45)) -> time:
    minutes = rng.randint(start.hour * 60 + start.minute, end.hour * 60 + end.minute)
    return time(minutes // 60, minutes % 60)


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, TZ)


def read_units(data: Path, count: int) -> tuple[list[dict[str, str]], tuple[str, str]]:
    """The office row and the first `count` other units of the province (departments first)."""
    rows = list(csv.DictReader(io.StringIO((data / "units.csv").read_text(encoding="utf-8"))))
    office = next(r for r in rows if r["kind"] == "office")
    others = [r for r in rows if r["kind"] != "office"]
    departments = [r for r in others if r["kind"] != "commune"]
    communes = [r for r in others if r["kind"] == "commune"]
    chosen = (departments + communes)[:count] if count >= len(departments) else \
        departments[: count - count // 2] + communes[: count // 2]
    return [office, *chosen], (office["code"], office["name"])


def units_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["code", "name", "kind", "groups", "aliases"], lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: row.get(k, "") for k in writer.fieldnames})
    return out.getvalue()


def make_plan(seed: int, unit_rows: list[dict[str, str]], office: tuple[str, str], days: list[date],
              calendar: WorkingCalendar, per_year: int = DIRECTIVES_PER_YEAR) -> Plan:
    rng = random.Random(seed)
    rows = [r for r in unit_rows if r["kind"] != "office"]
    units = []
    for n, row in enumerate(rows):
        two = n % 5 == 1  # every fifth unit has two focal points
        group = GROUP_BASE - n if n % 7 == 3 else None  # every seventh a registered group chat
        units.append(Unit(row["code"], row["name"], row["kind"], 2 if two else 1, group))
    total = max(3, round(per_year * len(days) / WORKING_DAYS_PER_YEAR))
    markers = iter(range(4001, 9000))

    def task(how: str, assigner: str, day: date, at: time) -> Task:
        marker = next(markers)
        task_rng = random.Random(seed * 100_003 + marker)
        # Departments lead most work; communes a third of it.
        pool = [u for u in units if u.kind != "commune"] if task_rng.random() < 0.67 else \
            [u for u in units if u.kind == "commune"] or units
        lead = task_rng.choice(pool)
        support = task_rng.sample([u for u in units if u.code != lead.code], k=task_rng.choice((0, 0, 1, 1, 2, 3)))
        content = f"{task_rng.choice(VERBS)} {task_rng.choice(OBJECTS)} (hồ sơ {marker})"
        standing = task_rng.random() < 0.12
        deadline = None if standing else calendar.add_working_days(day, task_rng.randint(5, 30))
        return Task(marker, content, lead.code, [u.code for u in support], deadline, how, assigner, day, at,
                    task_rng, standing)

    notices: list[Notice] = []
    count = 0
    number = 200
    while count < round(total * SHARE_NOTICE):
        size = min(rng.randint(3, 14), round(total * SHARE_NOTICE) - count)
        day = rng.choice(days)
        at = office_time(rng, time(8, 30), time(15, 30))
        number += rng.randint(1, 9)
        title = rng.choice(("Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh"))
        notices.append(Notice(number, day, at, title, [task("notice", "clerk", day, at) for _ in range(size)]))
        count += size
    singles = []
    free = round(total * SHARE_FREE)
    for n in range(total - count):
        day = rng.choice(days)
        at = office_time(rng)
        how, assigner = ("free", rng.choice(("leader1", "leader2"))) if n < free else ("guided", "clerk")
        singles.append(task(how, assigner, day, at))
    history = _history(rng, task, days[0], calendar, round(total * HISTORY_SHARE))
    return Plan(units, office, notices, singles, history, days, days[-1])


def _history(rng: random.Random, task, first: date, calendar: WorkingCalendar, count: int) -> list[Task]:  # type: ignore[no-untyped-def]
    """Last months' work in the template: over half done, a few cancelled, the rest open, half of those late."""
    rows = []
    for _ in range(count):
        assigned = calendar.add_working_days(first, -rng.randint(8, 60))
        row = task("import", "clerk", first, time(9, 30))
        row.day = assigned
        roll = row.rng.random()
        if row.deadline is not None:
            row.deadline = calendar.add_working_days(assigned, row.rng.randint(5, 30))
        if roll < 0.55 and row.deadline is not None:
            done = min(calendar.add_working_days(row.deadline, row.rng.randint(-4, 3)),
                       calendar.add_working_days(first, -1))
            row.history = {"status": "Đã hoàn thành", "completed": max(done, assigned)}
        elif roll < 0.60:
            row.history = {"status": "Đã huỷ", "completed": None}
        else:
            row.history = {"status": "Đang thực hiện", "completed": None}
        row.history["source"] = f"{rng.randint(100, 199)}/TB-UBND"
        row.history["source_date"] = assigned
        rows.append(row)
    return rows


def notice_text(notice: Notice, names: dict[str, str]) -> str:
    """A conclusion notice as a clerk pastes it from the document."""
    head = (f"Thông báo số {notice.number}/TB-UBND ngày {notice.day:%d/%m/%Y} kết luận của {notice.leader_title} "
            f"tại cuộc họp giao ban:")
    return "\n".join([head, *(f"{n}. {item_text(t, names)}" for n, t in enumerate(notice.tasks, 1))])


def item_text(task: Task, names: dict[str, str]) -> str:
    """One directive in the administrative style, in one of the forms leaders and clerks write."""
    lead = names[task.lead]
    support = [names[c] for c in task.support]
    helpers = ""
    if support:
        helpers = ", phối hợp với " + (", ".join(support[:-1]) + " và " + support[-1] if len(support) > 1
                                         else support[0])
    if task.deadline is None:
        return f"Giao {lead} chủ trì{helpers} thường xuyên {task.content}."
    due = f"{task.deadline:%d/%m/%Y}"
    form = task.marker % 3
    if form == 0:
        return f"Giao {lead} chủ trì{helpers} {task.content}, báo cáo UBND tỉnh trước ngày {due}."
    if form == 1:
        return f"{lead} chủ trì{helpers} {task.content}; hoàn thành trước ngày {due}."
    return f"Giao {lead} chủ trì{helpers} {task.content}, thời hạn hoàn thành trước ngày {due}."
