"""The use cases that change a directive, in one place for their callers (chat, CLI, imports, tests):
drafts (`drafts`), a unit's work (`unit_work`) and the office's and leaders' decisions (`decisions`)."""

from bot.services.decisions import cancel, confirm_done, decide_extension, reopen, send_back
from bot.services.drafts import (
    MAX_BATCH,
    RECURRENCES,
    NewDirective,
    check_content,
    check_deadline,
    confirm_draft,
    create_directives,
    discard_draft,
    edit_draft,
)
from bot.services.unit_work import (
    FileRef,
    acknowledge,
    add_files,
    check_action,
    check_extension_date,
    report_done,
    report_progress,
    request_extension,
)

__all__ = [
    "MAX_BATCH",
    "RECURRENCES",
    "FileRef",
    "NewDirective",
    "acknowledge",
    "add_files",
    "cancel",
    "check_action",
    "check_content",
    "check_deadline",
    "check_extension_date",
    "confirm_done",
    "confirm_draft",
    "create_directives",
    "decide_extension",
    "discard_draft",
    "edit_draft",
    "reopen",
    "report_done",
    "report_progress",
    "request_extension",
    "send_back",
]
