"""Understanding Vietnamese chat messages: directives to assign and questions to answer.

Pure code: no I/O except `load_units_from_csv_files`, no clock (the send time is passed in).
"""

from bot.parsing.corpus_json import to_corpus_json
from bot.parsing.message import MAX_MESSAGE_CHARS, OFFICE_TZ, parse_message
from bot.parsing.notice import MAX_NOTICE_CHARS, parse_notice
from bot.parsing.result import (
    REASON_EMPTY,
    REASON_NOT_UNDERSTOOD,
    REASON_TOO_LONG,
    DraftDirective,
    ParseResult,
    Query,
)
from bot.parsing.unit_files import load_units_from_csv_files
from bot.parsing.unit_index import Mention, UnitIndex

__all__ = [
    "MAX_MESSAGE_CHARS",
    "MAX_NOTICE_CHARS",
    "OFFICE_TZ",
    "REASON_EMPTY",
    "REASON_NOT_UNDERSTOOD",
    "REASON_TOO_LONG",
    "DraftDirective",
    "Mention",
    "ParseResult",
    "Query",
    "UnitIndex",
    "load_units_from_csv_files",
    "parse_message",
    "parse_notice",
    "to_corpus_json",
]
