"""The text catalogue: every word the bot says, Vietnamese by default and English on request.

`t(key, lang, **params)` gives plain text (button labels, alerts, the CLI); `h(key, lang, **params)` gives
Telegram HTML: the template's own tags stay, every parameter is escaped unless it is `Html` already.
Both write dates as dd/mm/yyyy, instants in the office's time zone and numbers the reader's way.
"""

from __future__ import annotations

import string
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.errors import DomainError
from bot.texts.en import EN
from bot.texts.vi import VI

CATALOGUES: dict[str, dict[str, str]] = {"vi": VI, "en": EN}
LANGUAGES = tuple(CATALOGUES)
DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


class Html(str):
    """Text that is Telegram HTML already (rendered from the catalogue, or escaped): never escaped again."""

    __slots__ = ()


def html_escape(text: str) -> Html:
    return text if isinstance(text, Html) else Html(escape(text, quote=False))


def fmt_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def fmt_number(value: float, lang: str | None = "vi", digits: int = 1) -> str:
    """33.333 → '33,3' in Vietnamese, '33.3' in English; whole numbers without decimals."""
    text = f"{value:,.{digits}f}" if value != int(value) else f"{int(value):,}"
    if (lang or "vi") == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def fmt_percent(ratio: float | None, lang: str | None = "vi") -> str:
    """A ratio as reports write it, to one decimal: '33,3 %' (Vietnamese), '33.3%' (English); '—' when
    there is none."""
    if ratio is None:
        return "—"
    number = f"{ratio * 100:,.1f}"
    if (lang or "vi") == "vi":
        return number.replace(",", " ").replace(".", ",").replace(" ", ".") + " %"
    return f"{number}%"


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


class _Formatter(string.Formatter):
    """str.format with plurals and numbers: "{days} {days:plural:day|days}" writes the word that fits the
    number (English needs it; Vietnamese nouns do not change); "{total:num}" writes 2.500 or 2,500."""

    def __init__(self, lang: str | None) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "num" and isinstance(value, int | float):
            return fmt_number(value, self.lang)
        if format_spec.startswith("plural:"):
            one, _, other = format_spec.removeprefix("plural:").partition("|")
            number = value if isinstance(value, int) else int(str(value).replace(",", "").replace(".", "") or 0)
            return one if number == 1 else other
        return super().format_field(value, format_spec)


_FORMATTERS = {lang: _Formatter(lang) for lang in LANGUAGES}


def _template(key: str, lang: str | None) -> str:
    catalogue = CATALOGUES.get(lang or "vi", VI)
    return catalogue.get(key) or VI.get(key) or key


def t(key: str, lang: str | None = "vi", /, **params: object) -> str:
    return _FORMATTERS.get(lang or "vi", _FORMATTERS["vi"]).vformat(
        _template(key, lang), (), {k: fmt_value(v) for k, v in params.items()})


def h(key: str, lang: str | None = "vi", /, **params: object) -> Html:
    """The catalogue text as Telegram HTML, its parameters escaped."""

    def safe(value: object) -> object:
        value = fmt_value(value)
        return html_escape(value) if isinstance(value, str) else value

    formatter = _FORMATTERS.get(lang or "vi", _FORMATTERS["vi"])
    return Html(formatter.vformat(_template(key, lang), (), {k: safe(v) for k, v in params.items()}))


def _error_params(error: DomainError, lang: str | None) -> dict[str, object]:
    params = dict(error.params)
    if "state" in params:
        params["state"] = t(f"state.{params['state']}", lang)
    if "reason" in params and has(f"reason.{params['reason']}"):  # a coded reason, with its value
        params["reason"] = t(f"reason.{params['reason']}", lang, value=params.get("value", ""))
    return params


def error_text(error: DomainError, lang: str | None = "vi") -> str:
    """A service error in the reader's language, as plain text; a state in its parameters is named."""
    return t(error.key, lang, **_error_params(error, lang))


def error_html(error: DomainError, lang: str | None = "vi") -> Html:
    """The same, for an HTML message: whatever the person typed is escaped."""
    return h(error.key, lang, **_error_params(error, lang))


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def has(key: str) -> bool:
    return key in VI
