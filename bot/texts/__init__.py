"""The text catalogue: every word the bot says, Vietnamese by default and English on request.

`t(key, lang, **params)` formats dates as dd/mm/yyyy and instants in the office's time zone.
"""

from __future__ import annotations

import string
from datetime import date, datetime
from zoneinfo import ZoneInfo

from bot.errors import DomainError
from bot.texts.en import EN
from bot.texts.vi import VI

CATALOGUES: dict[str, dict[str, str]] = {"vi": VI, "en": EN}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def fmt_value(value: object, tz: ZoneInfo = DEFAULT_TZ) -> object:
    if isinstance(value, datetime):
        return value.astimezone(tz).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return fmt_date(value)
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return fmt_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value


def t(key: str, lang: str | None = "vi", /, **params: object) -> str:
    catalogue = CATALOGUES.get(lang or "vi", VI)
    template = catalogue.get(key) or VI.get(key) or key
    return template.format(**{k: fmt_value(v) for k, v in params.items()})


def error_text(error: DomainError, lang: str | None = "vi") -> str:
    """A service error in the reader's language; a state in its parameters is named, not coded."""
    params = dict(error.params)
    if "state" in params:
        params["state"] = t(f"state.{params['state']}", lang)
    return t(error.key, lang, **params)


def fmt_percent(rate: float | None, lang: str | None = "vi") -> str:
    """33,3 % in Vietnamese (decimal comma, a space before the sign); 33.3% in English; — for none."""
    if rate is None:
        return "—"
    text = f"{rate * 100:.1f}"
    return f"{text.replace('.', ',')} %" if (lang or "vi") == "vi" else f"{text}%"


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def has(key: str) -> bool:
    return key in VI
