"""What the parser understood from one message: draft directives, a query, or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

ResultKind = Literal["directives", "query", "unknown"]
Intent = Literal["my_tasks", "due_soon", "overdue", "stats", "search"]

# Reason keys (for the text catalogue) when a message yields nothing usable.
REASON_EMPTY = "parse.empty"
REASON_TOO_LONG = "parse.too_long"
REASON_NOT_UNDERSTOOD = "parse.not_understood"

# Problem keys a draft directive can carry; the chat shows them before "Giao việc".
PROBLEM_NO_LEAD = "no_lead"
PROBLEM_UNRESOLVED = "unresolved_unit"
PROBLEM_IMPOSSIBLE_DATE = "impossible_date"
PROBLEM_PAST_DATE = "deadline_in_past"
PROBLEM_TWO_DEADLINES = "two_deadlines"  # two dates that could each be the deadline: `alternatives`
PROBLEM_BACKGROUND = "maybe_background"  # the sentence may only tell what happened, not assign a task
PROBLEM_HEADLINE_DEADLINE = "headline_deadline"  # the deadline is read from the article's headline only
PROBLEM_VAGUE_UNIT = "vague_unit"  # a phrase that may mean more than one group ("các địa phương" before 7/2025)
PROBLEM_UNSURE_LEAD = "unsure_lead"  # the learned doubt check (bot.parsing.doubt) finds the lead likely wrong


@dataclass(frozen=True)
class DraftDirective:
    """One task as understood, before anyone confirms it.

    `lead` and `support` hold unit codes and `#group` markers in the order the message names them;
    a group stays a group until `UnitIndex.expand` turns it into its members.
    """

    lead: tuple[str, ...]
    support: tuple[str, ...]
    content: str
    deadline: date | None = None
    deadline_phrase: str | None = None
    recurrence: str | None = None
    unresolved: tuple[str, ...] = ()
    source: str | None = None
    source_date: date | None = None  # the date of the notice `source` names, when an import read it
    leader: str | None = None  # whose conclusion the notice records ("Phó Chủ tịch UBND tỉnh Nguyễn Văn A")
    problems: tuple[str, ...] = ()
    alternatives: tuple[date, ...] = ()  # with PROBLEM_TWO_DEADLINES: the other date(s) the text gives
    vague: tuple[str, ...] = ()  # with PROBLEM_VAGUE_UNIT: the phrases as written
    doubted_lead: str = ""  # with PROBLEM_UNSURE_LEAD: the lead as the text wrote it

    @property
    def questions(self) -> tuple[str, ...]:
        """What the draft must ask before it is assigned (bot.domain.directive.QUESTION_KINDS): the parser
        was unsure, and says so rather than guess."""
        found = []
        phrase = " ".join((self.deadline_phrase or "").split())
        if PROBLEM_IMPOSSIBLE_DATE in self.problems:
            found.append(f"impossible_date:{phrase}")
        if PROBLEM_PAST_DATE in self.problems:
            found.append(f"past_date:{phrase}")
        if PROBLEM_HEADLINE_DEADLINE in self.problems and self.deadline:
            found.append(f"headline_deadline:{self.deadline.isoformat()}")
        if PROBLEM_TWO_DEADLINES in self.problems and self.deadline:
            days = dict.fromkeys([self.deadline, *self.alternatives])
            found.append("two_deadlines:" + " ".join(d.isoformat() for d in days))
        if PROBLEM_BACKGROUND in self.problems:
            found.append("background")
        found.extend(f"unit:{name}" for name in self.unresolved)
        found.extend(f"vague_unit:{name}" for name in self.vague)
        if PROBLEM_UNSURE_LEAD in self.problems:
            found.append(f"lead:{self.doubted_lead}")
        return tuple(found)

    @property
    def lead_units(self) -> tuple[str, ...]:
        return tuple(r for r in self.lead if not r.startswith("#"))

    @property
    def lead_groups(self) -> tuple[str, ...]:
        return tuple(r[1:] for r in self.lead if r.startswith("#"))

    @property
    def support_units(self) -> tuple[str, ...]:
        return tuple(r for r in self.support if not r.startswith("#"))

    @property
    def support_groups(self) -> tuple[str, ...]:
        return tuple(r[1:] for r in self.support if r.startswith("#"))


@dataclass(frozen=True)
class Query:
    """A question about directives: which list or figure, for whom, over which period."""

    intent: Intent
    unit: str | None = None  # unit code, "#group", or None for all / the asker's own
    period: str | None = None  # YYYY, YYYY-MM, YYYY-Qn, YYYY-Hn, this_week, YYYY-MM-DD..YYYY-MM-DD
    text: str | None = None  # what to look for, with intent "search"
    unresolved: tuple[str, ...] = ()
    unread_period: str | None = None  # a period named as typed but not understood: ask, never guess


@dataclass(frozen=True)
class ParseResult:
    """`directives` to draft, a `query` to answer, or neither with a `reason`. Directives with a query as well are a
    message that reads either way («Sở Y tế báo cáo tình hình thực hiện nhiệm vụ»: an order to report, or a question
    about the unit's work): the person is asked which is meant, never given a draft silently."""

    kind: ResultKind
    directives: tuple[DraftDirective, ...] = field(default=())
    query: Query | None = None
    reason: str | None = None

    @property
    def ambiguous(self) -> bool:
        """Directives that may as well be the question `query`: ask which is meant."""
        return self.kind == "directives" and bool(self.directives) and self.query is not None

    def as_read_by(self, can_assign: bool) -> ParseResult:
        """The result for a person who may assign or not: who cannot assign can only be asking, so a message that
        reads either way is their question; for who can, it stays ambiguous (they are asked which is meant)."""
        if self.ambiguous and not can_assign:
            return ParseResult("query", query=self.query)
        return self

    @classmethod
    def unknown(cls, reason: str) -> ParseResult:
        return cls("unknown", reason=reason)
