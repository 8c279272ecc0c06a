"""The web app from the chat: `/web` sends a single-use sign-in link, `/lich` the calendar feed's address,
and a card gets a button that opens it in the app (a Mini App in a private chat, a link in a group)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, LinkPreviewOptions, Update, WebAppInfo

from bot.services import web_auth
from bot.services.views import Actor
from bot.texts import h, t
from handlers.common import Context, now, registered, runtime, send
from handlers.menu_commands import web_app_ready

NO_PREVIEW = LinkPreviewOptions(is_disabled=True)  # a preview fetch must not even see a sign-in link


def _private(update: Update) -> bool:
    return update.effective_chat is None or update.effective_chat.type == "private"


def app_button(update: Update, context: Context, code: str, lang: str) -> InlineKeyboardButton | None:
    """«Open in the app» for a card, when the web app has a public address."""
    settings = runtime(context).settings
    if not settings.web_base_url:
        return None
    url = f"{settings.web_url}/d/{code}"
    if web_app_ready(settings) and _private(update):
        return InlineKeyboardButton(t("btn.open_app", lang), web_app=WebAppInfo(url))
    return InlineKeyboardButton(t("btn.open_app", lang), url=url)


@registered
async def cmd_web(update: Update, context: Context, actor: Actor) -> None:
    """`/web`: a sign-in link for this person, in their private chat only (a group would share it)."""
    rt = runtime(context)
    if not rt.settings.web_base_url:
        await send(update, h("web.chat.no_app", actor.language))
        return
    if not _private(update):
        await send(update, h("web.chat.private_only", actor.language))
        return
    link = await web_auth.create_link(rt, person_id=actor.id, now=now(context))
    await send(update, h("web.chat.link", actor.language, url=link.url, minutes=rt.settings.web_link_minutes),
               link_preview_options=NO_PREVIEW)


@registered
async def cmd_calendar(update: Update, context: Context, actor: Actor) -> None:
    """`/lich`: the secret address of this person's deadlines calendar, in their private chat only."""
    rt = runtime(context)
    if not _private(update):
        await send(update, h("web.chat.private_only", actor.language))
        return
    await send(update, h("web.chat.calendar", actor.language, url=web_auth.calendar_url(rt.settings, actor.id)),
               link_preview_options=NO_PREVIEW)
