"""Callback data: what a button says when it is pressed. One typed kind per kind of button, each a small
frozen dataclass with its own named fields, and one registry that packs and reads them all.

On the wire a press is `tag|a|b|c` (at most 64 bytes, Telegram's limit): the tag names the kind (and, for
kinds with several tags, which button), and each kind says which of its fields rides in which of the three
slots. The format is the one buttons already sent in chats carry, so they keep working. A press is a claim,
never trusted: `unpack` refuses anything not of the exact shape our own buttons have (plain ASCII, ids and
numbers in range, every field in its place) and the service still checks role, unit and the directive's
current version before anything changes.

The card's buttons, the move each makes and their kind `CardPress` are in ONE table beside the handler
that runs them: handlers/actions.py, `CARD_BUTTONS`. Every other kind is here.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.domain.directive import DATE_QUESTIONS
from bot.errors import DomainError

MAX_BYTES = 64
SEP = "|"
MAX_INT = 2**31 - 1  # an INTEGER column, a version, a page (PostgreSQL refuses a parameter past it)

# The shape of every field, whatever the kind (plain ASCII: no other digits, no control characters).
_TAG = re.compile(r"[a-z]{1,8}")
_SLOTS = (re.compile(r"[A-Za-z0-9_.-]{0,24}"), re.compile(r"[0-9]{0,9}"), re.compile(r"[A-Za-z0-9_.:+ -]{0,48}"))
DIRECTIVE = re.compile(r"CD-[0-9]{4}-[0-9]{1,8}|NHAP-[0-9]{1,9}")  # an assigned directive, or a draft («Nháp 12»)
_KEY = re.compile(r"[a-z0-9_]{1,16}")  # a list, a choice, a part, a recurrence
_UNIT = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,31}")
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,16}")
_NONCE = re.compile(r"[A-Za-z0-9_-]{1,16}")
_PERIOD = re.compile(r"[A-Za-z0-9_.-]{0,24}")
_WORDS = re.compile(r"[A-Za-z0-9 ]{0,48}")


class Bad(Exception):
    """A field not of the shape its kind puts there."""


def text(value: str, pattern: re.Pattern[str]) -> str:
    if not pattern.fullmatch(value):
        raise Bad
    return value


def number(value: str, lo: int = 1, hi: int = MAX_INT) -> int:
    """An integer in [lo, hi], written in ASCII digits (so it fits its column before any query sees it)."""
    if not value.isascii() or not value.isdigit() or not lo <= int(value) <= hi:
        raise Bad
    return int(value)


def empty(*values: str) -> None:
    if any(values):
        raise Bad


@dataclass(frozen=True)
class Press(ABC):
    """A kind of button press. Subclasses name their tags and map their fields to the wire's three slots
    (`slots` and `read`, abstract: a kind that forgets one cannot be made)."""

    TAGS: ClassVar[tuple[str, ...]] = ()

    @property
    def tag(self) -> str:
        return self.TAGS[0]

    @abstractmethod
    def slots(self) -> tuple[str, str, str]:
        """The fields in the wire's three slots."""

    @classmethod
    @abstractmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        """The press the slots say (raises `Bad` for any field not of its shape)."""

    def pack(self) -> str:
        data = SEP.join((self.tag, *self.slots()))
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        if unpack(data) != self:  # a button we could not read back would be dead on arrival
            raise ValueError(f"callback data does not read back: {data!r}")
        return data


_KINDS: dict[str, type[Press]] = {}
P = TypeVar("P", bound=Press)


def kind(cls: type[P]) -> type[P]:
    """Register a kind under its tags (each tag names one kind)."""
    for tag in cls.TAGS:
        if not _TAG.fullmatch(tag) or tag in _KINDS:
            raise ValueError(f"callback tag {tag!r} malformed or taken")
        _KINDS[tag] = cls
    return cls


def unpack(data: str | None) -> Press | None:
    """The typed press, or None for anything malformed (a forged button gets the same answer as a stale one)."""
    if not data or len(data.encode()) > MAX_BYTES:
        return None
    parts = data.split(SEP)
    if len(parts) != 4:
        return None
    tag, *slots = parts
    cls = _KINDS.get(tag)
    if cls is None or not all(pattern.fullmatch(slot) for pattern, slot in zip(_SLOTS, slots, strict=True)):
        return None
    try:
        return cls.read(tag, *slots)
    except Bad:
        return None


def pressed(button: InlineKeyboardButton) -> Press | None:
    """What a button of ours says when pressed, typed (None for a link or web-app button, or data not ours)."""
    return unpack(button.callback_data if isinstance(button.callback_data, str) else None)


def presses(rows: InlineKeyboardMarkup | list[list[InlineKeyboardButton]] | None) -> list[Press]:
    """The buttons of ours on a keyboard (or in its rows), as their typed presses, in order."""
    grid = rows.inline_keyboard if isinstance(rows, InlineKeyboardMarkup) else rows or ()
    return [press for row in grid for button in row if (press := pressed(button)) is not None]


def claimed(update: Update, *kinds: type[P]) -> P:
    """The pressed button as one of `kinds`, or the stale-button refusal."""
    press = unpack(update.callback_query.data if update.callback_query else None)
    if not isinstance(press, kinds):
        raise DomainError("action.stale")
    return press


def pattern(*kinds: type[Press], tags: tuple[str, ...] = ()) -> str:
    """The handler pattern (python-telegram-bot) matching these kinds' tags, and `tags` of others."""
    return r"^(" + "|".join([*tags, *(tag for k in kinds for tag in k.TAGS)]) + r")\|"


# ---------------------------------------------------------------------------------------------------------
# The kinds.


@kind
@dataclass(frozen=True)
class OpenCard(Press):
    """Show the card of `code` (lists, notices)."""

    TAGS = ("open",)
    code: str

    def slots(self) -> tuple[str, str, str]:
        return self.code, "", ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(b, c)
        return cls(text(a, DIRECTIVE))


@kind
@dataclass(frozen=True)
class CardFiles(Press):
    """Send the files kept with `code`."""

    TAGS = ("files",)
    code: str

    def slots(self) -> tuple[str, str, str]:
        return self.code, "", ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(b, c)
        return cls(text(a, DIRECTIVE))


@kind
@dataclass(frozen=True)
class CardHistory(Press):
    """Send the history of `code`. (Older buttons carry the card's version too; it is read and ignored.)"""

    TAGS = ("hist",)
    code: str

    def slots(self) -> tuple[str, str, str]:
        return self.code, "", ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        if b:
            number(b, 0)
        empty(c)
        return cls(text(a, DIRECTIVE))


@kind
@dataclass(frozen=True)
class ListPage(Press):
    """Page `page` of the list `list` (handlers/lists.py: LISTS), of `unit` (or one's own), or of the search
    for `words`."""

    TAGS = ("pg",)
    list: str
    page: int = 1
    unit: str = ""
    words: str = ""

    def slots(self) -> tuple[str, str, str]:
        return self.list, str(self.page), self.words if self.list == "find" else self.unit

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        name, page = text(a, _KEY) if a else "", max(1, number(b, 0)) if b else 1
        if name == "find":
            return cls(name, page, words=text(c, _WORDS))
        return cls(name, page, unit=text(c, _UNIT) if c else "")


@kind
@dataclass(frozen=True)
class UnitPick(Press):
    """The guided assignment's unit picker: on flow `token`, at step `step` ('l' lead, 's' support), showing
    page `page`: toggle `unit`, or turn the page (`page`), show all, next step, abort."""

    TAGS = ("asg",)
    CHOICES: ClassVar[tuple[str, ...]] = ("pg", "all", "next", "abort")
    token: str
    step: str
    page: int
    choice: str  # "unit" | "pg" | "all" | "next" | "abort"
    unit: str = ""

    def slots(self) -> tuple[str, str, str]:
        return f"{self.token}.{self.step}", str(self.page), f"t:{self.unit}" if self.choice == "unit" else self.choice

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        token, dot, step = a.rpartition(".")
        if not dot:
            raise Bad
        token, step, page = text(token, _TOKEN), text(step, _KEY), max(1, number(b, 0)) if b else 1
        if c.startswith("t:"):
            return cls(token, step, page, "unit", text(c[2:], _UNIT))
        if c not in cls.CHOICES:
            raise Bad
        return cls(token, step, page, c)


@kind
@dataclass(frozen=True)
class DeadlinePick(Press):
    """A deadline choice: for the new assignment `token`, or the draft `code` at `version`. `choice` is a
    quick deadline's key, "type" (a date typed next), "rec" (ask whether it recurs) or "r" (the recurrence
    `recurrence` chosen); `along` is a recurrence chosen on a draft's way here, saved with the deadline."""

    TAGS = ("asd",)
    choice: str
    token: str = ""
    code: str = ""
    version: int | None = None
    recurrence: str = ""
    along: str = ""

    def slots(self) -> tuple[str, str, str]:
        arg = f"r:{self.recurrence}" if self.choice == "r" else self.choice + (f"+{self.along}" if self.along else "")
        return self.code or self.token, "" if self.version is None else str(self.version), arg

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        ref: dict[str, Any] = {"code": a, "version": number(b, 0)} if DIRECTIVE.fullmatch(a) \
            else {"token": text(a, _TOKEN), **({"version": number(b, 0)} if b else {})}
        if c.startswith("r:"):
            return cls("r", recurrence=text(c[2:], _KEY), **ref)
        choice, plus, along = c.partition("+")
        if plus:
            text(along, _KEY)
        return cls(text(choice, _KEY), along=along, **ref)


@kind
@dataclass(frozen=True)
class AssignRedo(Press):
    """«Giao nhầm — làm lại» under the directive `code` just assigned by the guided flow's deadline button, at
    the `version` it was assigned at."""

    TAGS = ("aredo",)
    code: str
    version: int

    def slots(self) -> tuple[str, str, str]:
        return self.code, str(self.version), ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(c)
        return cls(text(a, DIRECTIVE), number(b, 0))


@kind
@dataclass(frozen=True)
class SkipSource(Press):
    """The new assignment `token` has no source document."""

    TAGS = ("asks",)
    token: str

    def slots(self) -> tuple[str, str, str]:
        return self.token, "", ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(b, c)
        return cls(text(a, _TOKEN))


@kind
@dataclass(frozen=True)
class EditPart(Press):
    """Correct `part` (assign.DRAFT_PARTS) of the draft `code` at `version`."""

    TAGS = ("dedp",)
    code: str
    version: int
    part: str

    def slots(self) -> tuple[str, str, str]:
        return self.code, str(self.version), self.part

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        return cls(text(a, DIRECTIVE), number(b, 0), text(c, _KEY))


@kind
@dataclass(frozen=True)
class ResolveUnit(Press):
    """A name the parser could not resolve: `unit` becomes the draft's lead (`role` "L") or one more support
    unit ("S"); no unit means skip the question."""

    TAGS = ("res",)
    code: str
    version: int
    role: str
    unit: str = ""

    def slots(self) -> tuple[str, str, str]:
        return self.code, str(self.version), f"{self.role}:{self.unit}"

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        role, colon, unit = c.partition(":")
        if role not in ("L", "S") or not colon:
            raise Bad
        return cls(text(a, DIRECTIVE), number(b, 0), role, text(unit, _UNIT) if unit else "")


@kind
@dataclass(frozen=True)
class QuestionAnswer(Press):
    """An answer to a draft's question (bot/domain/directive.py QUESTION_KINDS): "bg" it is a task as read,
    "u" keep the units read ("các địa phương"), "l" keep the lead read (a doubted lead), "d:ISO" its deadline is that
    day, "d:" it has none."""

    TAGS = ("ans",)
    code: str
    version: int
    answer: str

    def slots(self) -> tuple[str, str, str]:
        return self.code, str(self.version), self.answer

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        if c not in ("bg", "u", "l", "d:"):
            if not c.startswith("d:"):
                raise Bad
            try:
                date.fromisoformat(c[2:])
            except ValueError:
                raise Bad from None
        return cls(text(a, DIRECTIVE), number(b, 0), c)

    @property
    def deadline(self) -> date | None:
        return date.fromisoformat(self.answer[2:]) if self.answer.startswith("d:") and self.answer[2:] else None

    @property
    def kinds(self) -> frozenset[str]:
        """The kinds of question this answers (bot/domain/directive.py QUESTION_KINDS)."""
        return {"bg": frozenset({"background"}), "u": frozenset({"vague_unit"}),
                "l": frozenset({"lead"})}.get(self.answer, DATE_QUESTIONS)


@kind
@dataclass(frozen=True)
class AssignAll(Press):
    """«Giao tất cả» under a pasted notice's previews: the drafts read from chat message `origin`."""

    TAGS = ("dall",)
    origin: int

    def slots(self) -> tuple[str, str, str]:
        return str(self.origin), "", ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(b, c)
        return cls(number(a))


@kind
@dataclass(frozen=True)
class KeepUnitsAll(Press):
    """«Giữ đơn vị như đã đọc» under a pasted notice's previews: the units read kept for the drafts read from chat
    message `origin` that asked about them when it was offered. `versions` has one character per draft, in the
    message's order: that draft's version then, in base 36, or "-" for one the press does not cover; a draft
    changed since is left as it is (bot.services.directives.keep_units_read), in the database or after a
    restart alike, since the claim travels with the button."""

    TAGS = ("dkeep",)
    origin: int
    versions: str

    def slots(self) -> tuple[str, str, str]:
        return str(self.origin), "", self.versions

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(b)
        return cls(number(a), text(c, _VERSIONS))

    @classmethod
    def of(cls, origin: int, versions: dict[int, int], count: int) -> KeepUnitsAll | None:
        """The press for these drafts (their place → version), or None when it cannot say them all (a version
        past one base-36 digit, more drafts than the slot holds): the drafts are then asked one by one."""
        if not versions or count > _MAX_DRAFTS or any(not 0 <= v < 36 for v in versions.values()):
            return None
        return cls(origin, "".join(_base36(versions[p]) if p in versions else "-" for p in range(count)))

    @property
    def offered(self) -> dict[int, int]:
        """Each draft covered: its place in the message → its version when the press was offered."""
        return {place: int(ch, 36) for place, ch in enumerate(self.versions) if ch != "-"}


_MAX_DRAFTS = 48  # the third slot's length; a notice is read into at most bot.services.directives.MAX_BATCH (30)
_VERSIONS = re.compile(rf"(?=[0-9a-z-]*[0-9a-z])[0-9a-z-]{{1,{_MAX_DRAFTS}}}")


def _base36(value: int) -> str:
    return "0123456789abcdefghijklmnopqrstuvwxyz"[value]


@kind
@dataclass(frozen=True)
class Meant(Press):
    """The answer to «Bạn hỏi hay giao việc?» about chat message `origin` (handlers/understand.py `ask_which`):
    "q" it asks a question, "d" it assigns a task."""

    TAGS = ("meant",)
    answer: str
    origin: int

    def slots(self) -> tuple[str, str, str]:
        return self.answer, str(self.origin), ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(c)
        if a not in ("q", "d"):
            raise Bad
        return cls(a, number(b))


@dataclass(frozen=True)
class _OnTheMessage(Press):
    """A press that carries nothing: what it acts on is the pressed message's own buttons."""

    def slots(self) -> tuple[str, str, str]:
        return "", "", ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(a, b, c)
        return cls()


@kind
@dataclass(frozen=True)
class AckAll(_OnTheMessage):
    """«Nhận tất cả» under a notice about several new tasks: each directive whose «Đã nhận» the same message
    shows is acknowledged (the codes are read from those buttons; the service checks each again)."""

    TAGS = ("ackall",)


@kind
@dataclass(frozen=True)
class ConfirmAll(_OnTheMessage):
    """«Xác nhận tất cả» under the office's notice of done reports: each directive whose «Xác nhận» the same
    message shows is confirmed at the version that button names (read from those buttons; the service checks
    each again)."""

    TAGS = ("confall",)


@kind
@dataclass(frozen=True)
class AckListed(Press):
    """The acknowledge button under a unit's daily digest: `code`, the one task it lists; or, empty, every
    task the digest lists (the codes are read from the pressed message's text; the service checks each
    again)."""

    TAGS = ("ackl",)
    code: str = ""

    def slots(self) -> tuple[str, str, str]:
        return self.code, "", ""

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(b, c)
        return cls(text(a, DIRECTIVE) if a else "")


@kind
@dataclass(frozen=True)
class Resend(Press):
    """The office's "Resend" under an uncertain-delivery notice: the event `event_id` is sent again."""

    TAGS = ("rsnd",)
    event_id: int

    def slots(self) -> tuple[str, str, str]:
        return "", "", str(self.event_id)

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(a, b)
        return cls(number(c, 1, 2**63 - 1))


@kind
@dataclass(frozen=True)
class ReportFile(Press):
    """A report summary's button: the same scope (`period`, counted as of `as_of`, of `unit` or all) as a
    chart, a workbook or a Word report."""

    TAGS = ("rpc", "rpx", "rpw")
    FORMATS: ClassVar[dict[str, str]] = {"rpc": "png", "rpx": "xlsx", "rpw": "docx"}
    format: str  # png | xlsx | docx
    period: str
    as_of: date
    unit: str = ""

    @property
    def tag(self) -> str:
        return next(tag for tag, fmt in self.FORMATS.items() if fmt == self.format)

    def slots(self) -> tuple[str, str, str]:
        return self.period, f"{self.as_of:%Y%m%d}", self.unit

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        day = number(b, 10000101, 99991231)
        try:
            as_of = date(day // 10000, day // 100 % 100, day % 100)
        except ValueError:
            raise Bad from None
        return cls(cls.FORMATS[tag], text(a, _PERIOD), as_of, text(c, _UNIT) if c else "")


@kind
@dataclass(frozen=True)
class ImportAnswer(Press):
    """Confirm (or drop) the staged import `batch_id`, whose preview carried `nonce`."""

    TAGS = ("impok", "impno")
    confirm: bool
    batch_id: int
    nonce: str

    @property
    def tag(self) -> str:
        return "impok" if self.confirm else "impno"

    def slots(self) -> tuple[str, str, str]:
        return str(self.batch_id), "", self.nonce

    @classmethod
    def read(cls, tag: str, a: str, b: str, c: str) -> Press:
        empty(b)
        return cls(tag == "impok", number(a), text(c, _NONCE))
