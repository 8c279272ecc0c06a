"""Reports in chat: `/thongke [kỳ] [đơn vị]`, the menu's «Thống kê» and questions like "thống kê tháng 11"
get the phone-width summary, with buttons for the chart, the Excel workbook and the Word report. The
buttons carry the period, the as-of date and the unit, so they need no stored state."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update

from bot.domain.deadlines import local_date
from bot.domain.periods import period_range
from bot.errors import DomainError
from bot.reports import counts
from bot.reports.labels import period_name, summary
from bot.services import reports, units
from bot.services.views import Actor
from bot.texts import t
from handlers.callbacks import ReportFile, claimed
from handlers.common import Context, answer, now, registered, runtime, send

FILE_BUTTONS = (("png", "btn.report_chart"), ("xlsx", "btn.report_excel"), ("docx", "btn.report_word"))


@registered
async def cmd_stats(update: Update, context: Context, actor: Actor) -> None:
    """`/thongke 2026-11 SXD`, `/thongke Sở Y tế quý 4`: a period and a unit, in any order."""
    unit, period = await reports.read_request(runtime(context), " ".join(context.args or []), now=now(context))
    await show_report(update, context, actor, unit, period)


def _keyboard(scope: counts.Scope, lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(t(key, lang), callback_data=ReportFile(fmt, scope.period or "", scope.as_of,
                                                                    scope.unit_code or "").pack())
        for fmt, key in FILE_BUTTONS]])


async def show_report(update: Update, context: Context, actor: Actor, unit: str | None, period: str | None) -> None:
    rt = runtime(context)
    scope = reports.scope_for(rt, now=now(context), period=period, unit_code=unit)
    report = await reports.report(rt, actor.id, scope, leaders=False)
    await send(update, summary(report, actor.language), reply_markup=_keyboard(scope, actor.language))


@registered
async def cb_file(update: Update, context: Context, actor: Actor) -> None:
    """One of the summary's buttons: the same scope, as a chart, a workbook or a Word report."""
    press = claimed(update, ReportFile)
    rt, at = runtime(context), now(context)
    today = local_date(at, rt.settings.tz)
    start, end = period_range(press.period, today)
    if press.unit and press.unit not in (await units.catalog(rt)).index.units:
        raise DomainError("action.stale")
    scope = counts.make_scope(start, end, today, press.as_of, press.unit or None, press.period)
    await answer(update)  # the file takes a while; a refusal after this comes as a message
    file = await reports.report_file(rt, actor.id, scope, press.format, actor.language, now=at)
    caption = t("report.file_caption", actor.language, period=period_name(scope, actor.language), as_of=scope.as_of)
    chat = update.effective_chat
    if file.mime == "image/png":
        await chat.send_photo(InputFile(file.data, filename=file.name), caption=caption)
    else:
        await chat.send_document(InputFile(file.data, filename=file.name), caption=caption)
