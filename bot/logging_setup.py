"""Logging for operators: a level and a format from the settings, and no secret in any line.

Redaction is done on the finished text of each record (message, arguments, traceback, stack), so a
secret inside an exception's message or a URL an HTTP library prints is caught wherever it sits. The
secrets are held by one `Redactor` that more can be added to while the bot runs (a webhook secret it
generates at start). The traceback Python prints for an uncaught exception at exit goes through the
same redactor.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import traceback
from datetime import UTC, datetime
from types import TracebackType
from urllib.parse import quote

from sqlalchemy.engine import make_url

MASK = "***"
MIN_SECRET_CHARS = 6  # shorter "secrets" (a test password like "x") would mask ordinary words
_STANDARD_ATTRS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}
# PTB's AIORateLimiter logs this at ERROR for every 429 when it may not retry; the outbox handles 429.
RATE_LIMIT_NOISE = "Rate limit hit after maximum of"


class Redactor:
    """The secrets known so far, and their URL-encoded forms, masked in any text."""

    def __init__(self, *secrets: str) -> None:
        self._lock = threading.Lock()
        self._secrets: tuple[str, ...] = ()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        if not secret or len(secret) < MIN_SECRET_CHARS:
            return
        forms = {secret, quote(secret, safe=""), quote(secret)}
        with self._lock:
            # Longest first, so a secret that contains another is masked whole.
            self._secrets = tuple(sorted(set(self._secrets) | forms, key=len, reverse=True))

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text


def settings_secrets(settings) -> list[str]:
    """Every secret the settings hold: the token, the webhook secret, the database password."""
    found = [settings.telegram_bot_token.get_secret_value(), settings.webhook_secret_token.get_secret_value(),
             settings.zalo_bot_token.get_secret_value(), settings.zalo_webhook_secret.get_secret_value()]
    try:
        found.append(make_url(settings.database_url).password or "")
    except Exception:  # noqa: BLE001 - a malformed URL fails later, with its own clear error
        pass
    return [s for s in found if s]


class RedactingFormatter(logging.Formatter):
    """The usual one-line text format, redacted."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, traceback, and any `extra` fields."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self.redact = redact

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self.redact(record.getMessage()),
        }
        if record.exc_info:
            line["exception"] = self.redact(self.formatException(record.exc_info))
        if record.stack_info:
            line["stack"] = self.redact(self.formatStack(record.stack_info))
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS and not key.startswith("_"):
                plain = value is None or isinstance(value, bool | int | float)
                line[key] = value if plain else self.redact(str(value))
        return json.dumps(line, ensure_ascii=False, default=str)


class DropRateLimitNoise(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (isinstance(record.msg, str) and record.msg.startswith(RATE_LIMIT_NOISE))


def configure_logging(settings, redact: Redactor | None = None, stream=None) -> Redactor:
    """Root logging at LOG_LEVEL in LOG_FORMAT on stderr (or `stream`), every line redacted; uncaught
    exceptions redacted too. Returns the redactor, to add secrets learnt later."""
    redact = redact or Redactor()
    for secret in settings_secrets(settings):
        redact.add(secret)
    level = logging.getLevelName(settings.log_level.upper())
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter(redact) if settings.log_format == "json" else RedactingFormatter(redact))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # httpx logs every request at INFO (the URL carries the token, masked, but it is noise); DEBUG shows it.
    logging.getLogger("httpx").setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)
    # The scheduler says "job executed" on every dispatcher tick; only DEBUG wants that.
    logging.getLogger("apscheduler").setLevel(logging.DEBUG if level <= logging.DEBUG else logging.WARNING)
    rate_limiter = logging.getLogger("telegram.ext.AIORateLimiter")
    if not any(isinstance(f, DropRateLimitNoise) for f in rate_limiter.filters):
        rate_limiter.addFilter(DropRateLimitNoise())
    sys.excepthook = _redacting_excepthook(redact)
    return redact


def _redacting_excepthook(redact: Redactor):
    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        sys.stderr.write(redact("".join(traceback.format_exception(kind, error, tb))))
        sys.stderr.flush()

    return hook


class ErrorCounter(logging.Handler):
    """Counts ERROR records by where they come from and what they say (the message before its
    arguments), so a periodic check can tell the operations chat about an error that keeps repeating."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__(level=logging.ERROR)
        self.redact = redact
        self._counts: dict[tuple[str, str], list] = {}  # (logger, template) -> [count, a redacted sample]
        self._lock_counts = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        key = (record.name, str(record.msg))
        with self._lock_counts:
            entry = self._counts.setdefault(key, [0, ""])
            entry[0] += 1
            if not entry[1]:
                try:
                    sample = record.getMessage()
                except Exception:  # noqa: BLE001 - a malformed record still counts
                    sample = str(record.msg)
                if record.exc_info and record.exc_info[1] is not None:
                    sample += f" ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
                entry[1] = self.redact(sample)

    def take(self, at_least: int) -> list[tuple[str, str, int, str]]:
        """(logger, template, count, sample) of errors seen at least `at_least` times since the last
        call; every count starts again from zero."""
        with self._lock_counts:
            counts, self._counts = self._counts, {}
        return [(name, template, count, sample) for (name, template), (count, sample) in counts.items()
                if count >= at_least]
