"""A simulated month of a province, replayed through the bot's real chat handlers: how many messages each
person gets a day, and how many taps each assigned directive costs (issue 22's message budget).

    python benchmarks/month.py [--json FILE] [--database URL] [--days 22] [--units 40] [--seed 1]
                               [--per-year 2500]

The province and its month are drawn from a fixed seed (benchmarks/month_plan.py): 40 units, a clerk, two
leaders, a focal point per unit (some units two, some a registered group chat), 2,500 directives a year
(208 over 22 working days) assigned from pasted notices, leaders' messages and the guided flow, a history
import on the first morning, acknowledgements, progress and done reports (some with files, some in the
evening), extensions asked, approved and refused, reports sent back, confirmations; the bot's own daily and
weekly digests and reminders run on a simulated clock through the application's scheduled job.

Everything a person does is what they would do on a phone (benchmarks/phone.py): type a text, press a
button found by its label on the newest message that shows it (a message that names the directive but shows
that button only for other directives is passed over), send a file. Where the bot shows a button that does
more («Nhận tất cả», «Xác nhận tất cả» under the office's notice of a done report, which lists the other
reports awaiting confirmation with their text: pressed when the clerk accepts every report it lists, each
decided as its own decision would be), people press it; where a notice says a reply to it is the report or
the decision (a focal point for half the reports; the clerk for every report sent back from a notice that
says so), they reply with the text instead of pressing the button first. /giaoviec's last step assigns with
the deadline's button, which says «Giao việc». The people and units are set
up with the admin CLI (`python -m bot import-units`, `invite`), the rest only through the chat, so the
figures stay comparable across rewrites of the services and the outbox. SQLite by default (a temporary
file); `--database URL` for another (a PostgreSQL URL names the server's admin database: a throw-away
database is created beside it and dropped afterwards).

A unit acknowledges a task only once something it reads shows it (a support unit's new task may wait for the
unit's next message of the day; until then they look again later, not type /xem for a code they never saw),
and where the newest message about it offers «Nhận tất cả» (a notice of several new tasks, or the unit's
morning digest listing what it has not acknowledged) they press that: the tasks the bot's answer names are
acknowledged, and not acknowledged again (since issue 22's digest change; before, 18 acknowledgements began
with a typed /xem).

Definitions (printed with the figures):
- A message received: a Bot API call that puts a new message in a chat (sendMessage, sendDocument,
  sendPhoto, …; a media group counts each item). Edits of a message already there and callback answers
  (toasts) are not messages. A message to a person's private chat counts for that person; a message to a
  unit's group counts once for each member (the unit's focal points). Counted per person and working day
  (local date, Asia/Ho_Chi_Minh) over every registered person and every working day of the run, zeros
  included; messages sent on days off are reported apart. "pushed" leaves out the answers to a person's
  own action (what the bot sent to that person while handling their update).
- A tap: every update a person sends: a button press, a typed message (commands included) or a file.
  Registration is not counted. Taps per assigned directive: all taps of the run ÷ the directives assigned
  in chat during the run (those whose code reached their lead unit; the history import's rows are not
  counted in the divisor, its taps are).

Figures of the code before issue 22's changes are kept in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import heapq
import io
import itertools
import json
import math
import os
import random
import re
import statistics
import sys
import tempfile
import time as wall
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.month_plan import (  # noqa: E402
    CLERK_ID,
    FOCAL_BASE,
    LEADER_IDS,
    REASONS,
    REFUSALS,
    SEND_BACK,
    START,
    TZ,
    Notice,
    Plan,
    Task,
    item_text,
    local,
    make_plan,
    notice_text,
    office_time,
    read_units,
    units_csv,
    working_days,
)
from benchmarks.phone import SENDS, BotApi, Message, Person, Phones  # noqa: E402
from bot.domain.calendar import WorkingCalendar  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "province-2025"
CODE = re.compile(r"\bCD-\d{4}-\d{3,}\b")
MARKER = re.compile(r"hồ sơ (\d{4})", re.IGNORECASE)
OPEN = ("Mở thẻ",)
ACK_ALL = ("Nhận tất cả",)
CONFIRM_ALL = ("Xác nhận tất cả",)
DECIDE_HINT = "kèm lý do để trả lại báo cáo"  # a done report's notice: a reply to it is the decision
ASSIGN, ASSIGN_ALL = ("Giao việc",), ("Giao tất cả",)
IMPORT_OK = (re.compile(r"^\W*(Nhập|Xác nhận)\b", re.IGNORECASE),)
DATE_LABEL = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
TOKEN = re.compile(r"start=([A-Za-z0-9_-]+)")
TICKS = [time(7, 0), time(7, 31), time(7, 46), time(8, 1)] + [time(h, m) for h in range(8, 18) for m in (30, 0)
                                                              if (h, m) != (8, 0)] + [time(h) for h in range(18, 24)]
EVENING = 0.08  # share of a unit's reports sent after office hours


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass(order=True)
class Event:
    when: datetime
    seq: int
    run: Callable[[], Awaitable[None]] = field(compare=False)


class Month:
    """Replays the plan: each planned action at its moment, the bot's scheduled job after each action and
    every half hour, and the follow-ups an action calls for (a decision after a report, …)."""

    def __init__(self, plan: Plan, app: Any, api: BotApi, clock: Clock, people: dict[str, Person],
                 calendar: WorkingCalendar) -> None:
        self.plan, self.app, self.api, self.clock, self.people, self.calendar = plan, app, api, clock, people, calendar
        self.phones = Phones(app, api, clock)
        self.names = {u.code: u.name for u in plan.units}
        self.tasks: dict[int, Task] = {t.marker: t for n in plan.notices for t in n.tasks}
        self.tasks.update({t.marker: t for t in (*plan.singles, *plan.history)})
        self.queue: list[Event] = []
        self.seq = itertools.count()
        self.missed: Counter[str] = Counter()
        self.done: Counter[str] = Counter()
        self.acked: set[tuple[str, str]] = set()  # (code, unit) acknowledged with others («Nhận tất cả»)
        self.misses: list[str] = []  # who missed which button when (shown with --transcript)
        self.end = datetime.combine(plan.end + timedelta(days=1), time(0), TZ)
        self.jobs = [j for j in app.job_queue.jobs() if j.name != "ops"]  # the outbox and time-driven jobs
        self.sheet = b""  # the history import's workbook
        api.readers.append(self.learn)

    # -- codes -------------------------------------------------------------------------------------------
    def learn(self, text: str) -> None:
        """A directive's code from any message that shows it with the directive's content."""
        found = list(CODE.finditer(text))
        for n, match in enumerate(found):
            segment = text[match.start(): found[n + 1].start() if n + 1 < len(found) else len(text)]
            marker = MARKER.search(segment)
            task = self.tasks.get(int(marker[1])) if marker else None
            if task is not None and task.code is None:
                task.code = match[0]

    # -- time --------------------------------------------------------------------------------------------
    def at(self, when: datetime, run: Callable[[], Awaitable[None]]) -> None:
        if when < self.end:
            heapq.heappush(self.queue, Event(max(when, self.clock.now), next(self.seq), run))

    def day_at(self, day: date, rng: Any, evening: bool = False, after: datetime | None = None) -> datetime:
        """A moment on `day`: office hours, or the evening; never before `after`."""
        moment = local(day, office_time(rng, time(19, 0), time(22, 0)) if evening else office_time(rng))
        if after is not None and moment <= after:
            moment = after + timedelta(minutes=rng.randint(20, 90))
        return moment

    def wd(self, day: date, n: int) -> date:
        return self.calendar.add_working_days(day, n)

    async def tick(self) -> None:
        """The application's own scheduled jobs (digests, reminders, the outbox), at the simulated time."""
        for job in self.jobs:
            await job.run(self.app)

    async def run(self) -> None:
        day = self.plan.days[0]
        while day <= self.plan.end:
            for moment in TICKS if self.calendar.is_working_day(day) else [time(8), time(12)]:
                self.at(local(day, moment), self.tick)
            day += timedelta(days=1)
        for notice in self.plan.notices:
            self.at(local(notice.day, notice.at), lambda n=notice: self.assign_notice(n))
        for task in self.plan.singles:
            self.at(local(task.day, task.at), lambda t=task: self.assign_single(t))
        self.at(local(self.plan.days[0], time(9, 30)), self.import_history)
        while self.queue:
            event = heapq.heappop(self.queue)
            self.clock.now = event.when.astimezone(UTC)
            await event.run()

    # -- acting on a directive ---------------------------------------------------------------------------
    async def pressed(self, person: Person, found: tuple[Any, str], journey: str) -> bool:
        """Press; True when the bot answered with a message or an edit in that chat (a stale button gets
        only an alert)."""
        mark = self.phones.mark()
        await self.phones.press(person, found[0], found[1], journey=journey)
        return bool(self.phones.since(found[0].chat_id, mark))

    async def act(self, person: Person, task: Task, labels: tuple[Any, ...], journey: str) -> int | None:
        """Press `labels` for the directive where the person reads about it: on the message itself when it
        carries the button, else on its card (opened from the message, or with /xem). The chat pressed in."""
        code = task.code
        if code is None:
            self.missed[journey] += 1
            return None
        # A message that names the directive but shows that button only for others (a notice about several,
        # the office's list of reports awaiting confirmation) is passed over.
        found = self.phones.button(person.chats, labels, containing=code, data_has=code, strict=True)
        if found is not None and await self.pressed(person, found, journey):
            return found[0].chat_id
        mark = self.phones.mark()
        opener = self.phones.button(person.chats, OPEN, containing=code, data_has=code, strict=True)
        if opener is not None:
            await self.phones.press(person, opener[0], opener[1], journey=journey)
        else:
            await self.phones.say(person, f"/xem {code}", journey=journey)
        found = self.phones.button(person.chats, labels, containing=code, data_has=code, after=mark)
        if found is not None and code not in found[1]:
            found = None
        if found is not None and await self.pressed(person, found, journey):
            return found[0].chat_id
        self.missed[journey] += 1
        self.misses.append(f"{self.clock.now.astimezone(TZ):%d/%m %H:%M} {person.key} {journey} {code}")
        return None

    async def answer(self, person: Person, chat: int, text: str, journey: str, file: str | None = None) -> None:
        if file:
            await self.phones.send_file(person, file, b"%PDF-1.4 report\n", caption=text, chat=chat, journey=journey)
        else:
            await self.phones.say(person, text, chat=chat, journey=journey)
        await self.tick()

    # -- assigning ---------------------------------------------------------------------------------------
    async def assign_notice(self, notice: Notice) -> None:
        clerk = self.people["clerk"]
        mark = self.phones.mark()
        await self.phones.say(clerk, notice_text(notice, self.names), journey="assign")
        everything = self.phones.button([clerk.telegram_id], ASSIGN_ALL, after=mark)
        if everything is not None:
            await self.pressed(clerk, everything, "assign")
        for task in notice.tasks:
            await self.confirm_draft(clerk, task, mark)
        await self.tick()
        for task in notice.tasks:
            self.plan_work(task)

    async def confirm_draft(self, person: Person, task: Task, mark: int) -> None:
        found = self.phones.button([person.telegram_id], ASSIGN, containing=f"hồ sơ {task.marker}", after=mark)
        if found is not None:
            await self.pressed(person, found, "assign")

    async def assign_single(self, task: Task) -> None:
        person = self.people[task.assigner]
        mark = self.phones.mark()
        if task.how == "free":
            await self.phones.say(person, item_text(task, self.names), journey="assign")
        else:
            await self.guided(person, task, mark)
        await self.confirm_draft(person, task, mark)
        await self.tick()
        self.plan_work(task)

    async def pick_unit(self, person: Person, code: str, mark: int) -> None:
        """Press the unit's button when the picker shows it, else type its name (a name only one unit has
        chooses it; otherwise the list narrows to it and its button is pressed)."""
        name = self.names[code]
        label = re.compile(rf"^{re.escape(name)}$")  # not chosen yet (a chosen one reads «✅ name»)
        found = self.phones.button([person.telegram_id], (label,), after=mark)
        if found is not None:
            await self.pressed(person, found, "assign")
            return
        typed = self.phones.mark()
        await self.phones.say(person, name, journey="assign")
        found = self.phones.button([person.telegram_id], (label,), after=typed)
        if found is not None:
            await self.pressed(person, found, "assign")
            return
        chosen = self.phones.since(person.telegram_id, typed)
        if not any(name in m.text for m in chosen):
            self.missed["assign.unit"] += 1

    async def next_step(self, person: Person, mark: int) -> None:
        found = self.phones.button([person.telegram_id], ("Tiếp",), after=mark)
        if found is None:
            self.missed["assign.next"] += 1
            return
        await self.pressed(person, found, "assign")

    async def guided(self, person: Person, task: Task, mark: int) -> None:
        """/giaoviec: the task's text first (with its source document's number when the clerk records one),
        then what the bot asks for: the lead unit, support units, a deadline button (or a typed date)."""
        rng = task.rng
        # Whether the clerk records the source document: its own stream, so that the task's stream (what
        # the units do later) is drawn as in the flow that asked for the source after the content.
        source = random.Random(task.marker * 7919)
        text = task.content
        if source.random() >= 0.6:
            text += f", theo Thông báo số {source.randint(300, 399)}/TB-UBND"
        await self.phones.say(person, "/giaoviec", journey="assign")
        await self.phones.say(person, text, journey="assign")
        await self.pick_unit(person, task.lead, mark)
        for code in task.support:
            await self.pick_unit(person, code, mark)
        shown = self.phones.since(person.telegram_id, mark)[:1]
        if not any(DATE_LABEL.search(label) for m in shown for label, _ in m.buttons):
            await self.next_step(person, mark)  # the deadline choices come on a step of their own
        choices = [(label, data) for m in self.phones.since(person.telegram_id, mark)[:1] for label, data in m.buttons]
        dated = [(label, data) for label, data in choices if DATE_LABEL.search(label)]
        roll = rng.random()
        standing = [(label, data) for label, data in choices if "thường xuyên" in label.casefold()]
        if roll < 0.1 and standing:
            task.deadline, task.standing = None, True
            await self.pressed(person, (self.phones.since(person.telegram_id, mark)[0], standing[0][1]), "assign")
        elif roll < 0.8 and dated:
            label, data = dated[min(int(rng.random() * len(dated)), len(dated) - 1)]
            d, m, y = DATE_LABEL.search(label).groups()  # type: ignore[union-attr]
            task.deadline = date(int(y), int(m), int(d))
            await self.pressed(person, (self.phones.since(person.telegram_id, mark)[0], data), "assign")
        else:
            task.deadline = self.wd(task.day, rng.randint(12, 30))
            await self.phones.say(person, f"{task.deadline:%d/%m/%Y}", journey="assign")
        if rng.random() >= 0.6:  # the draw the source question took (see above)
            rng.randint(300, 399)

    # -- what units, the office and leaders do with a directive ------------------------------------------
    def focal(self, unit: str, rng: Any) -> Person:
        points = [p for p in self.people.values() if p.role == "focal" and p.unit == unit]
        return points[0] if len(points) == 1 or rng.random() < 0.7 else points[1]

    def plan_work(self, task: Task) -> None:
        """What the units will do with a directive just assigned, drawn from its own random stream."""
        if task.code is None:
            self.missed["assign"] += 1
            return
        rng, now = task.rng, self.clock.now.astimezone(TZ)
        start = now.date()
        if rng.random() < 0.85:
            self.at(self.day_at(self.wd(start, rng.choice((0, 0, 1, 1, 2))), rng, after=now),
                    lambda: self.acknowledge(task, task.lead))
        for code in task.support:
            if rng.random() < 0.5:
                self.at(self.day_at(self.wd(start, rng.randint(0, 3)), rng, after=now),
                        lambda c=code: self.acknowledge(task, c))
        if task.deadline is None:
            if rng.random() < 0.6:
                self.at(self.day_at(self.wd(start, rng.randint(3, 15)), rng), lambda: self.report(task, "progress"))
            return
        deadline = self.calendar.next_working_day(task.deadline)
        span = self.calendar.working_days_between(start, deadline)
        if rng.random() < 0.08 and span >= 4:
            asked = self.wd(deadline, -2)
            self.at(self.day_at(asked, rng, after=now), lambda: self.ask_extension(task, deadline))
            return  # what follows depends on the decision
        self.plan_reports(task, start, deadline, now)

    def plan_reports(self, task: Task, start: date, deadline: date, now: datetime) -> None:
        rng = task.rng
        span = max(self.calendar.working_days_between(start, deadline), 1)
        if rng.random() >= 0.85:
            return  # nothing reported within the run
        on_time = rng.random() < 0.75
        done_day = self.wd(start, rng.randint(1, span)) if on_time else self.wd(deadline, rng.randint(1, 6))
        if span >= 8 and rng.random() < 0.5:
            middle = self.wd(start, max(1, self.calendar.working_days_between(start, done_day) // 2))
            self.at(self.day_at(middle, rng, rng.random() < EVENING, after=now), lambda: self.report(task, "progress"))
        self.at(self.day_at(done_day, rng, rng.random() < EVENING, after=now), lambda: self.report(task, "done"))

    async def acknowledge(self, task: Task, unit: str) -> None:
        if task.history.get("confirmed") or task.history.get("reported") or \
                (unit == task.lead and task.history.get("progress")):
            return  # reported (a report acknowledges too) or finished before they got round to it
        if (task.code, unit) in self.acked:
            return  # acknowledged with others («Nhận tất cả» on a notice or on the unit's digest)
        if task.code is not None and not self.read_about(task, unit):
            # Nothing the unit reads shows the task yet (a support unit's new task waits for the unit's next
            # message of the day): they acknowledge once it has come, not from a code they never saw.
            self.at(self.later(task), lambda: self.acknowledge(task, unit))
            return
        person = self.focal(unit, task.rng)
        if await self.acknowledge_all(person, task, unit):
            await self.tick()
            return
        if await self.act(person, task, ("Đã nhận",), "acknowledge") is not None:
            self.done["acknowledge"] += 1
        await self.tick()

    def read_about(self, task: Task, unit: str) -> bool:
        """Whether a message in a chat of the unit's focal points shows the task's code."""
        chats = {c for p in self.people.values() if p.role == "focal" and p.unit == unit for c in p.chats}
        code = task.code
        return code is not None and any(code in m.text for c in chats for m in self.api.chats.get(c, {}).values())

    def later(self, task: Task) -> datetime:
        """Two hours on, within office hours (else the next working morning): when to look again (a fixed
        offset by directive, so the plan's random draws stay as they were)."""
        now = self.clock.now.astimezone(TZ)
        moment = now + timedelta(hours=2)
        if moment.time() > time(17) or moment.date() != now.date() or not self.calendar.is_working_day(now.date()):
            moment = local(self.wd(now.date(), 1), time(8, 30)) + timedelta(minutes=zlib.crc32(str(task.code).encode()) % 90)
        return moment

    async def acknowledge_all(self, person: Person, task: Task, unit: str) -> bool:
        """Where the newest message about this task shows «Nhận tất cả» (a notice of several new tasks, or the
        unit's morning digest listing the tasks it has not acknowledged), the person presses it: every task
        the bot says it acknowledged (the press's answer names them) is done at once."""
        found = self.phones.button(person.chats, ACK_ALL, containing=task.code) if task.code else None
        if found is None:
            return False
        offered = {m[0] for label, data in found[0].buttons if data.startswith("ack|") for m in [CODE.search(data)] if m}
        if found[1].startswith("ackall|") and task.code not in offered:
            return False  # a notice whose «Đã nhận» for this task is gone
        toasts = len(self.api.toasts)
        if not await self.pressed(person, found, "acknowledge"):
            return False
        codes = {c for toast in self.api.toasts[toasts:] for c in CODE.findall(toast)}
        if not codes:
            return False
        self.acked.update((code, unit) for code in codes)
        self.done["acknowledge"] += len(codes)
        return task.code in codes

    async def report(self, task: Task, kind: str) -> None:
        if kind == "progress" and task.history.get("reported"):
            return
        rng = task.rng
        person = self.focal(task.lead, rng)
        label, text = (("Báo cáo tiến độ",), "Đã triển khai, đang tổng hợp kết quả") if kind == "progress" else \
            (("Báo cáo hoàn thành",), "Đã hoàn thành, kết quả chi tiết trong báo cáo")
        replied = self.to_reply(person, task, label)
        if replied is not None:  # typed as a reply to the notice or card: no button pressed first
            with_file = rng.random() < (0.5 if kind == "done" else 0.3)
            if with_file:
                await self.phones.send_file(person, f"bao-cao-{task.marker}.pdf", b"%PDF-1.4 report\n", caption=text,
                                            chat=replied.chat_id, journey=kind, reply_to=replied)
            else:
                await self.phones.say(person, text, chat=replied.chat_id, journey=kind, reply_to=replied)
            await self.tick()
        else:
            chat = await self.act(person, task, label, kind)
            if chat is None:
                await self.tick()
                return
            with_file = rng.random() < (0.5 if kind == "done" else 0.3)
            await self.answer(person, chat, text, kind, file=f"bao-cao-{task.marker}.pdf" if with_file else None)
        self.done[kind] += 1
        task.history["progress"] = True
        if kind == "done":
            task.history["reported"] = True
            now = self.clock.now.astimezone(TZ)
            day = now.date() if now.time() < time(14) and self.calendar.is_working_day(now.date()) else self.wd(now.date(), 1)
            self.at(self.day_at(day, rng, after=now), lambda: self.decide_report(task))

    def to_reply(self, person: Person, task: Task, labels: tuple[Any, ...]) -> Message | None:
        """The message a focal point would answer with a reply instead of pressing the report button: the newest
        one with that button for this directive and for no other (a reply to a message about several asks
        which), for half of the reports (a fixed draw by directive and kind, which leaves the plan's random
        draws as they were)."""
        code = task.code
        if code is None or zlib.crc32(f"{code}|{labels[0]}".encode()) % 2:
            return None
        found = self.phones.button(person.chats, labels, containing=code, data_has=code)
        if found is None or code not in found[1]:
            return None
        message = found[0]
        if any(CODE.search(data) and code not in data for _, data in message.buttons):
            return None
        return message

    def verdict(self, task: Task) -> bool:
        """Whether the office accepts the report it is reading (else sends it back): drawn once per report from
        the directive's stream (a report sent again is accepted)."""
        if task.history.get("sent_back"):
            return True
        if "verdict" not in task.history:
            task.history["verdict"] = task.rng.random() >= 0.1
        return bool(task.history["verdict"])

    async def decide_report(self, task: Task) -> None:
        clerk, rng = self.people["clerk"], task.rng
        if task.history.get("confirmed"):
            return  # confirmed with other reports («Xác nhận tất cả»)
        if self.verdict(task):
            if await self.confirm_all(clerk, task):
                await self.tick()
                return
            task.history.pop("verdict", None)
            if await self.act(clerk, task, ("Xác nhận",), "confirm") is not None:
                self.done["confirm"] += 1
                task.history["confirmed"] = True
            await self.tick()
            return
        task.history.pop("verdict", None)
        replied = self.phones.button([clerk.telegram_id], ("Trả lại",), containing=task.code, data_has=task.code,
                                     strict=True) if task.code else None
        if replied is not None and DECIDE_HINT in replied[0].text:
            # The notice says a reply to it is the decision: the reason typed as a reply, no button pressed.
            task.history["sent_back"], task.history["reported"] = True, False
            await self.phones.say(clerk, rng.choice(SEND_BACK), chat=replied[0].chat_id, journey="send_back",
                                  reply_to=replied[0])
            await self.tick()
        else:
            chat = await self.act(clerk, task, ("Trả lại",), "send_back")
            if chat is None:
                await self.tick()
                return
            task.history["sent_back"], task.history["reported"] = True, False
            await self.answer(clerk, chat, rng.choice(SEND_BACK), "send_back")
        self.done["send_back"] += 1
        now = self.clock.now.astimezone(TZ)
        self.at(self.day_at(self.wd(now.date(), rng.randint(1, 3)), rng), lambda: self.report(task, "done"))

    async def confirm_all(self, clerk: Person, task: Task) -> bool:
        """Where a message shows this report's «Xác nhận» with «Xác nhận tất cả» (the office's notice of a done
        report lists the others awaiting confirmation, each with its text), the clerk presses it when they
        accept every report it lists (each read as its own decision would: `verdict`)."""
        found = self.phones.button([clerk.telegram_id], CONFIRM_ALL, containing=task.code) if task.code else None
        if found is None:
            return False
        shown = {m[0] for _, data in found[0].buttons if data.startswith("conf|") for m in [CODE.search(data)] if m}
        by_code = {t.code: t for t in self.tasks.values() if t.code in shown}
        listed = [by_code.get(code) for code in shown]
        if task.code not in shown or any(t is None or not t.history.get("reported") or t.history.get("confirmed")
                                         or not self.verdict(t) for t in listed):
            return False
        if not await self.pressed(clerk, found, "confirm"):
            return False
        for t in listed:
            assert t is not None
            t.history["confirmed"] = True
            t.history.pop("verdict", None)
        self.done["confirm"] += len(listed)
        return True

    async def ask_extension(self, task: Task, deadline: date) -> None:
        rng = task.rng
        person = self.focal(task.lead, rng)
        chat = await self.act(person, task, ("Xin gia hạn",), "extension")
        if chat is None:
            await self.tick()
            return
        wanted = self.wd(deadline, 10)
        await self.answer(person, chat, f"{wanted:%d/%m/%Y}", "extension")
        await self.answer(person, chat, rng.choice(REASONS), "extension")
        self.done["extension"] += 1
        now = self.clock.now.astimezone(TZ)
        self.at(self.day_at(self.wd(now.date(), 1), rng), lambda: self.decide_extension(task, deadline, wanted))

    async def decide_extension(self, task: Task, deadline: date, wanted: date) -> None:
        rng = task.rng
        decider = self.people[task.assigner]
        approve = rng.random() < 0.7
        if approve:
            ok = await self.act(decider, task, ("Đồng ý gia hạn",), "decision") is not None
        else:
            chat = await self.act(decider, task, ("Từ chối gia hạn",), "decision")
            ok = chat is not None
            if chat is not None:
                await self.answer(decider, chat, rng.choice(REFUSALS), "decision")
        self.done["extension_approved" if approve else "extension_refused"] += ok
        await self.tick()
        now = self.clock.now.astimezone(TZ)
        self.plan_reports(task, now.date(), wanted if approve else deadline, now)

    # -- the history import ------------------------------------------------------------------------------
    async def import_history(self) -> None:
        clerk = self.people["clerk"]
        mark = self.phones.mark()
        await self.phones.send_file(clerk, "lich-su-nhiem-vu.xlsx", self.sheet,
                                    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                    journey="import")
        for _ in range(3):  # the confirmation (a preview may first ask to confirm how it read the columns)
            found = self.phones.button([clerk.telegram_id], IMPORT_OK, after=mark)
            if found is None:
                break
            mark = self.phones.mark()
            await self.pressed(clerk, found, "import")
        await self.tick()
        now = self.clock.now.astimezone(TZ)
        for task in self.plan.history:
            if task.history["status"] != "Đang thực hiện" or task.code is None:
                continue
            rng = task.rng
            if rng.random() < 0.5:
                self.at(self.day_at(self.wd(now.date(), rng.randint(0, 3)), rng, after=now),
                        lambda t=task: self.acknowledge(t, t.lead))
            if rng.random() < 0.5:
                self.at(self.day_at(self.wd(now.date(), rng.randint(1, 12)), rng, rng.random() < EVENING),
                        lambda t=task: self.report(t, "done"))


def history_sheet(rows: list[Task], names: dict[str, str]) -> bytes:
    """Last months' directives in the bot's own template (from `python -m bot template`), by its headers."""
    from openpyxl import load_workbook

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "mau.xlsx"
        cli("template", str(path))
        wb = load_workbook(path)
    ws = wb.active
    headers = [str(c.value or "") for c in ws[1]]
    ws.delete_rows(2, ws.max_row)

    def column(*words: str) -> int:
        return next(i for i, h in enumerate(headers) if any(w in h.casefold() for w in words))

    cols = {"no": column("stt"), "source": column("số ký hiệu"), "source_date": column("ngày văn bản"),
            "content": column("nội dung"), "lead": column("chủ trì"), "support": column("phối hợp"),
            "deadline": column("hạn"), "assigned": column("ngày giao"), "completed": column("hoàn thành"),
            "status": column("trạng thái")}
    for n, task in enumerate(rows, 1):
        values: list[Any] = [None] * len(headers)
        values[cols["no"]] = n
        values[cols["source"]] = task.history["source"]
        values[cols["source_date"]] = task.history["source_date"]
        values[cols["content"]] = task.content[:1].upper() + task.content[1:]
        values[cols["lead"]] = names[task.lead]
        values[cols["support"]] = "; ".join(names[c] for c in task.support) or None
        values[cols["deadline"]] = task.deadline
        values[cols["assigned"]] = task.day
        values[cols["completed"]] = task.history["completed"]
        values[cols["status"]] = task.history["status"]
        ws.append(values)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# -- set-up through the admin CLI, and the people registering in chat ------------------------------------
def cli(*argv: str) -> str:
    """`python -m bot …` in this process (its settings from the environment); its output."""
    from bot.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    if code != 0:
        raise RuntimeError(f"python -m bot {' '.join(argv[:2])} failed: {err.getvalue().strip()}")
    return out.getvalue()


def make_people(plan: Plan) -> dict[str, Person]:
    people = {"clerk": Person("clerk", CLERK_ID, "Nguyễn Thị Lan", "admin", plan.office[0]),
              "leader1": Person("leader1", LEADER_IDS[0], "Trần Văn Hùng", "leader"),
              "leader2": Person("leader2", LEADER_IDS[1], "Lê Quang Minh", "leader")}
    number = itertools.count(1)
    for unit in plan.units:
        for k in range(1, unit.focal_points + 1):
            n = next(number)
            people[f"focal:{unit.code}:{k}"] = Person(f"focal:{unit.code}:{k}", FOCAL_BASE + n, f"Đầu mối {n}",
                                                      "focal", unit.code, [unit.group] if unit.group else [])
    return people


def invite_all(people: dict[str, Person]) -> dict[str, str]:
    tokens = {}
    # The CLI dates an invite by the wall clock; the month is registered on its own (simulated) day.
    days = max(30, (START - datetime.now(UTC).date()).days + 30)
    for key, person in people.items():
        unit = ["--unit", person.unit] if person.unit else []
        out = cli("invite", "--role", person.role, *unit, "--expires", str(days))
        match = TOKEN.search(out)
        if match is None:
            raise RuntimeError(f"no invite link in: {out!r}")
        tokens[key] = match[1]
    return tokens


async def register(month: Month, tokens: dict[str, str]) -> None:
    month.phones.counting = False
    for key, person in month.people.items():
        await month.phones.say(person, f"/start {tokens[key]}")
    for unit in month.plan.units:
        if unit.group is not None:
            await month.phones.say(month.people[f"focal:{unit.code}:1"], "/dangkynhom", chat=unit.group)
    await month.tick()
    month.phones.counting = True


# -- figures ----------------------------------------------------------------------------------------------
def percentile(values: list[int], share: float) -> float:
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(share * len(ordered)) - 1)]) if ordered else 0.0


def spread(values: list[int]) -> dict[str, float]:
    return {"median": float(statistics.median(values)) if values else 0.0, "p95": percentile(values, 0.95),
            "max": float(max(values, default=0)), "mean": round(statistics.fmean(values), 2) if values else 0.0}


def figures(month: Month) -> dict[str, Any]:
    plan, people = month.plan, month.people
    days = set(plan.days)
    start = datetime.combine(plan.days[0], time(0), TZ)
    by_id = {p.telegram_id: p for p in people.values()}
    members: dict[int, list[Person]] = {}
    for p in people.values():
        for g in p.groups:
            members.setdefault(g, []).append(p)
    received: Counter[tuple[str, date]] = Counter()
    pushed: Counter[tuple[str, date]] = Counter()
    off_days = total = replies = 0
    methods: Counter[str] = Counter()
    for call in month.api.calls:
        if call.method not in SENDS or call.at < start or call.chat_id is None:
            continue
        day = call.at.astimezone(TZ).date()
        total += call.count
        methods[call.method] += call.count
        replies += call.count if call.cause[0] == "reply" else 0
        if day not in days:
            off_days += call.count
            continue
        readers = [by_id[call.chat_id]] if call.chat_id in by_id else members.get(call.chat_id, [])
        for reader in readers:
            received[(reader.key, day)] += call.count
            if call.cause != ("reply", reader.telegram_id):
                pushed[(reader.key, day)] += call.count
    roles = sorted({p.role for p in people.values()})

    def table(counter: Counter[tuple[str, date]], role: str | None = None) -> dict[str, float]:
        return spread([counter[(p.key, d)] for p in people.values() if role in (None, p.role) for d in sorted(days)])

    assigned = []
    for task in (*[t for n in plan.notices for t in n.tasks], *plan.singles):
        lead_chats = [c for p in people.values() if p.role == "focal" and p.unit == task.lead for c in p.chats]
        if task.code and any(task.code in m.text for c in lead_chats for m in month.api.chats.get(c, {}).values()):
            assigned.append(task)
    taps = month.phones.taps
    count = len(assigned)
    return {
        "days": len(plan.days), "first_day": plan.days[0].isoformat(), "last_day": plan.end.isoformat(),
        "units": len(plan.units), "people": {r: sum(1 for p in people.values() if p.role == r) for r in roles},
        "groups": sum(1 for u in plan.units if u.group), "planned_directives": len(month.tasks) - len(plan.history),
        "assigned": count, "imported_rows": len(plan.history),
        "messages_per_person_day": {"all": table(received), "pushed": table(pushed),
                                    **{f"all_{r}": table(received, r) for r in roles},
                                    **{f"pushed_{r}": table(pushed, r) for r in roles}},
        "bot_messages": {"total": total, "answers_to_actions": replies, "pushed": total - replies,
                         "on_days_off": off_days, "by_method": dict(sorted(methods.items()))},
        "taps": {"total": len(taps), "per_assigned_directive": round(len(taps) / count, 2) if count else None,
                 "by_kind": dict(sorted(Counter(t.kind for t in taps).items())),
                 "by_role": dict(sorted(Counter(t.role for t in taps).items())),
                 "by_journey": dict(sorted(Counter(t.journey for t in taps).items())),
                 "by_journey_kind": dict(sorted(Counter(f"{t.journey}/{t.kind}" for t in taps).items()))},
        "actions_done": dict(sorted(month.done.items())), "actions_missed": dict(sorted(month.missed.items())),
    }


def conversation(month: Month, key: str) -> list[str]:
    """One person's side of the run: what they did and each message as it stands at the end."""
    person = month.people[key]
    lines = [f"{t.at.astimezone(TZ):%d/%m %H:%M} TAP {t.kind} ({t.journey})" for t in month.phones.taps
             if t.person == key]
    for chat in person.chats:
        for message in sorted(month.api.chats.get(chat, {}).values(), key=lambda m: m.message_id):
            buttons = " | ".join(label for label, _ in message.buttons)
            lines.append(f"[{chat} #{message.message_id}] {message.text}" + (f"\n    [{buttons}]" if buttons else ""))
    return lines


DEFINITION = __doc__.split("Definitions (printed with the figures):\n", 1)[1].split("\n\nFigures of", 1)[0]


def show(result: dict[str, Any]) -> str:
    m, b, t = result["messages_per_person_day"], result["bot_messages"], result["taps"]
    lines = [f"Simulated month: {result['days']} working days ({result['first_day']} … {result['last_day']}), "
             f"{result['units']} units, people {result['people']}, {result['groups']} group chats; "
             f"{result['assigned']} of {result['planned_directives']} directives assigned in chat, "
             f"{result['imported_rows']} history rows imported; {result['seconds']} s on {result['database']}.",
             "", "Messages received per person per working day (median / p95 / max / mean):"]
    for key, row in m.items():
        lines.append(f"  {key:<16} {row['median']:>5.1f} {row['p95']:>6.1f} {row['max']:>6.1f} {row['mean']:>7.2f}")
    lines += ["", f"Bot messages: {b['total']} in all ({b['answers_to_actions']} answers to a person's action, "
                  f"{b['pushed']} pushed; {b['on_days_off']} on days off); {b['by_method']}",
              f"Taps: {t['total']} ({t['by_kind']}); per assigned directive: {t['per_assigned_directive']}",
              f"  by role {t['by_role']}", f"  by journey {t['by_journey']}",
              f"Actions done: {result['actions_done']}", f"Actions that found no button: {result['actions_missed']}",
              "", "Definitions:", DEFINITION]
    return "\n".join(lines)


async def simulate(plan: Plan, tokens: dict[str, str], people: dict[str, Person], calendar: WorkingCalendar,
                   settings: Any, sheet: bytes) -> Month:
    from bot.app import build_application
    from bot.runtime import Runtime

    clock = Clock(local(plan.days[0] - timedelta(days=3), time(10)).astimezone(UTC))
    api = BotApi(clock)
    rt = Runtime.build(settings)
    app = build_application(settings, rt, request=api, clock=clock, dispatch=True)
    # Telegram's limits are not simulated: PTB's per-group limiter would wait on the wall clock.
    app.bot._rate_limiter = None
    await app.initialize()
    month = Month(plan, app, api, clock, people, calendar)
    month.sheet = sheet
    try:
        await register(month, tokens)
        await month.run()
    finally:
        await app.shutdown()
    return month


@contextlib.contextmanager
def environment(**values: str):  # type: ignore[no-untyped-def]
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def fast_sleep():  # type: ignore[no-untyped-def]
    """The bot's own send pacing (one message a second per chat) waits on the wall clock; the simulated
    clock does not move while it waits, so the wait is skipped."""
    real = asyncio.sleep

    async def no_wait(delay: float, result: Any = None) -> Any:
        return await real(0, result)

    asyncio.sleep = no_wait  # type: ignore[assignment]
    try:
        yield
    finally:
        asyncio.sleep = real


def run(database: str | None = None, *, days: int = 22, units: int = 40, seed: int = 1,
        per_year: int = 2500, data: Path = DATA, transcript: str | None = None) -> dict[str, Any]:
    """Set up the province, replay the month; the figures."""
    started = wall.perf_counter()
    calendar = WorkingCalendar()
    rows, office = read_units(data, units)
    plan = make_plan(seed, rows, office, working_days(calendar, START, days), calendar, per_year)
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        url = database or f"sqlite+aiosqlite:///{folder / 'month.sqlite3'}"
        if url.startswith("postgresql"):
            from tests.databases import create_database, drop_database

            admin, url = url, asyncio.run(create_database(url, "dondoc_month"))
            stack.callback(lambda: asyncio.run(drop_database(admin, url)))  # type: ignore[arg-type]
        stack.enter_context(environment(DATABASE_URL=url, TELEGRAM_BOT_TOKEN="123456:MONTH-BENCH",
                                        BOT_USERNAME="DonDocMonthBot", DEMO_MODE="false"))
        (folder / "units.csv").write_text(units_csv(rows), encoding="utf-8")
        cli("import-units", str(folder / "units.csv"), "--groups", str(data / "groups.csv"))
        people = make_people(plan)
        tokens = invite_all(people)
        from bot.settings import Settings

        settings = Settings(_env_file=None)  # type: ignore[call-arg]
        stack.enter_context(fast_sleep())
        sheet = history_sheet(plan.history, {u.code: u.name for u in plan.units})
        month = asyncio.run(simulate(plan, tokens, people, calendar, settings, sheet))
        result = figures(month)
        if transcript:
            result["transcript"] = month.misses + conversation(month, transcript)
        result["database"] = url.split(":", 1)[0]
    result["seconds"] = round(wall.perf_counter() - started, 1)
    result["seed"], result["per_year"] = seed, per_year
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write the figures here")
    parser.add_argument("--database", help="database URL (default: a temporary SQLite file)")
    parser.add_argument("--days", type=int, default=22, help="working days to replay")
    parser.add_argument("--units", type=int, default=40, help="units that receive work")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-year", type=int, default=2500, help="directives a year")
    parser.add_argument("--transcript", metavar="PERSON",
                        help="also print what one person did and read: clerk, leader1, focal:SXD:1, …")
    args = parser.parse_args(argv)
    result = run(args.database, days=args.days, units=args.units, seed=args.seed, per_year=args.per_year,
                 transcript=args.transcript)
    print(show(result))
    if args.transcript:
        print("\n".join(result.pop("transcript")))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
