"""Settings from the environment and `.env` (see `.env.example`)."""

from __future__ import annotations

from datetime import date, time
from functools import cached_property
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.domain.reminders import Policy

OFFICIAL_API_BASE = "https://api.telegram.org"
ZALO_API_BASE = "https://bot-api.zaloplatforms.com"
_PLACEHOLDERS = {"", "changeme", "your-bot-token", "123456:replace-me"}


class MissingToken(Exception):
    """The bot cannot start without a real token."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_bot_token: SecretStr = SecretStr("")
    telegram_api_base_url: str = OFFICIAL_API_BASE
    bot_username: str = "DonDocBot"
    database_url: str = "sqlite+aiosqlite:///./dondoc.sqlite3"
    timezone: str = "Asia/Ho_Chi_Minh"
    default_language: str = "vi"

    webhook_url: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret_token: SecretStr = SecretStr("")

    # Zalo (the channel is on when ZALO_BOT_TOKEN is set): long polling, or a webhook on the web app's server
    # (WEB_PORT) at the path of ZALO_WEBHOOK_URL when that is set. Its rates are the platform's unpublished
    # ones: kept conservative (an overall rate, and at most one message a second to a person).
    zalo_bot_token: SecretStr = SecretStr("")
    zalo_api_base_url: str = ZALO_API_BASE
    zalo_webhook_url: str = ""
    zalo_webhook_secret: SecretStr = SecretStr("")
    zalo_send_rate_per_second: float = 5.0
    zalo_private_per_second: float = 1.0
    zalo_poll_timeout_seconds: int = 30
    zalo_request_timeout_seconds: float = 15.0

    # The web app (the leaders' dashboard and the directive card; a Telegram Mini App too): served in the
    # bot's process when WEB_PORT is set, in polling and webhook mode alike.
    web_host: str = "127.0.0.1"
    web_port: int | None = None
    web_base_url: str = ""  # the public URL (https://…) the links, the menu button and the cards open
    web_init_data_max_age_hours: float = 24.0  # a Mini App's initData older than this is refused
    web_session_hours: float = 12.0
    web_link_minutes: int = 10  # a single-use sign-in link's life
    web_max_upload_mb: int = 20  # Telegram's bots download at most 20 MB, so a bigger file could not reach it
    web_cookie_samesite: Literal["lax", "strict", "none"] = "lax"
    # Signs the calendar feeds' secret URLs; derived from the bot token when empty (the same in every replica).
    web_secret_key: SecretStr = SecretStr("")

    # Reminder policy (DESIGN §6): working-day offsets before the deadline, overdue repeat, escalation.
    remind_before_working_days: list[int] = Field(default_factory=lambda: [5, 2, 0])
    remind_overdue_every_working_days: int = 2
    escalate_after_working_days: int = 5
    due_soon_working_days: int = 5
    send_window_start: time = time(7, 30)
    send_window_end: time = time(17, 0)
    weekly_digest_weekday: int = 0
    weekly_digest_time: time = time(8, 0)
    daily_digest_time: time = time(7, 45)
    # Where a unit is told (issue 22's message budget): "group" sends one copy, to the unit's registered group
    # when it has one (a focal point reachable only on another channel, Zalo, gets their own), else to each
    # focal point; "everyone" sends to the group and to every focal point as well.
    unit_notices_to: Literal["group", "everyone"] = "group"
    extra_days_off: list[date] = Field(default_factory=list)
    extra_working_days: list[date] = Field(default_factory=list)
    demo_mode: bool = False
    dispatch_interval_seconds: float = 5.0
    send_rate_per_second: float = 25.0
    # A claim (and, on SQLite, the dispatcher lease) lapses this long after its holder's last heartbeat: a
    # killed process's reminders wait only this long. The heartbeat renews them while the process runs.
    outbox_lease_seconds: float = 10.0
    outbox_heartbeat_seconds: float = 2.0

    invite_default_days: int = 7
    # The province («Quảng Trị») and the place written in a document's date line («Quảng Trị», or the seat
    # «Đông Hà»). The Word report's issuing body, its superior and place default from them; OFFICE_* override.
    province_name: str = ""
    province_place: str = ""
    office_parent_name: str = ""  # default «UBND tỉnh <PROVINCE_NAME>»
    office_name: str = ""  # default «Văn phòng UBND tỉnh <PROVINCE_NAME>»; the header then says «VĂN PHÒNG»
    office_place: str = ""  # default PROVINCE_PLACE, else PROVINCE_NAME
    # Who signs the Word report: the title above the signature (default «CHÁNH VĂN PHÒNG») and the name below.
    report_signer_title: str = ""
    report_signer_name: str = ""
    max_text_chars: int = 2000

    # Operations: logging, health thresholds, alerts to an operations chat.
    log_level: str = "INFO"
    log_format: Literal["text", "json"] = "text"
    health_max_due_age_seconds: float = 900.0
    health_max_dispatch_silence_seconds: float = 300.0
    health_max_dead: int = 0
    health_max_uncertain: int = 0
    health_window_hours: float = 24.0
    ops_chat_id: int | None = None
    ops_check_interval_seconds: float = 300.0
    ops_alert_repeat_hours: float = 6.0
    ops_error_repeats: int = 5
    # `python -m bot prune-outbox`: sent notices of directives done or cancelled more than this many days ago
    # are deleted (the reminders' rows stay: their keys keep a reminder from going out twice).
    outbox_retention_days: int = 90

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in ("vi", "en"):
            raise ValueError("default_language must be 'vi' or 'en'")
        return value

    @field_validator("ops_chat_id", "web_port", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        if value.upper() not in ("CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"):
            raise ValueError("log_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return value.upper()

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def reminder_policy(self) -> Policy:
        return Policy(
            before=tuple(self.remind_before_working_days),
            overdue_every=self.remind_overdue_every_working_days,
            escalate_after=self.escalate_after_working_days,
            window_start=self.send_window_start,
            window_end=self.send_window_end,
            window=not self.demo_mode,
            every_member=self.unit_notices_to == "everyone",
        )

    def document_names(self) -> dict[str, str]:
        """The Word report's header and signature (Nghị định 30/2020/NĐ-CP): `parent` (the issuing body's
        superior, «UBND tỉnh Quảng Trị»), `office` (the issuing body as the text names it), `heading` (the
        issuing body under its superior, «Văn phòng»), `place` (the date line's), `signer_title` and
        `signer_name` ("" for the catalogue's title and an empty line)."""
        province = " ".join(self.province_name.split())
        of_province = f" {province}" if province else ""
        return {
            "parent": self.office_parent_name.strip() or f"UBND tỉnh{of_province}",
            "office": self.office_name.strip() or f"Văn phòng UBND tỉnh{of_province}",
            "heading": self.office_name.strip() or "Văn phòng",
            "place": self.office_place.strip() or self.province_place.strip() or province or "……",
            "signer_title": self.report_signer_title.strip(),
            "signer_name": self.report_signer_name.strip(),
        }
    @property
    def web_url(self) -> str:
        """Where people open the web app: WEB_BASE_URL, else the address it listens on."""
        if self.web_base_url:
            return self.web_base_url.rstrip("/")
        return f"http://{self.web_host}:{self.web_port or 8080}"

    @property
    def zalo_enabled(self) -> bool:
        return bool(self.zalo_bot_token.get_secret_value().strip())

    def require_token(self) -> str:
        token = self.telegram_bot_token.get_secret_value().strip()
        if token.lower() in _PLACEHOLDERS or ":" not in token:
            raise MissingToken()
        return token
