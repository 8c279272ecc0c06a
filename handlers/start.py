"""Start, registration by invite, help, language, and a unit's group chat."""

from __future__ import annotations

from telegram import Update

from bot.domain.people import vietnamese_name
from bot.domain.units import fold
from bot.errors import DomainError
from bot.render import greeting
from bot.services import access
from bot.services.views import Actor
from bot.texts import Html, error_html, h
from handlers.common import (
    Context,
    now,
    refuse_stranger,
    registered,
    runtime,
    send,
    stranger_lang,
)
from handlers.menu_commands import set_chat_commands
from handlers.render import main_menu


async def cmd_start(update: Update, context: Context) -> None:
    """`/start` greets a registered person; `/start <token>` spends an invite; a stranger is refused."""
    user = update.effective_user
    if user is None or update.effective_chat is None or update.effective_chat.type != "private":
        return
    rt = runtime(context)
    actor = await access.identify(rt, user.id)
    known = actor is not None
    token = context.args[0] if context.args else None
    if actor is not None and not token:
        await access.set_chat_reachable(rt, user.id, True, now=now(context))  # they may have unblocked us
        await _greet(update, actor, "start.welcome_back")
        return
    if not token:
        await refuse_stranger(update)
        return
    try:
        actor = await access.register(rt, user.id, token, full_name=vietnamese_name(user.first_name, user.last_name), username=user.username,
                                      language="en" if (user.language_code or "").startswith("en") else "vi",
                                      now=now(context))
    except DomainError as error:
        lang = actor.language if actor is not None else stranger_lang(update)
        await send(update, error_html(error, lang) + "\n" + h("start.your_id", lang, id=user.id))
        return
    await _greet(update, actor, "start.moved" if known else "start.registered")


async def _greet(update: Update, actor: Actor, key: str) -> None:
    text = greeting(actor, key)
    await send(update, Html(text + "\n\n" + h(f"help.{actor.role}", actor.language)), reply_markup=main_menu(actor))


@registered
async def cmd_help(update: Update, context: Context, actor: Actor) -> None:
    await send(update, h(f"help.{actor.role}", actor.language), reply_markup=main_menu(actor))


@registered
async def cmd_language(update: Update, context: Context, actor: Actor) -> None:
    """`/ngonngu en` or `/language vi`."""
    wanted = (context.args[0].lower() if context.args else ("en" if actor.language == "vi" else "vi"))
    actor = await access.set_language(runtime(context), actor.id, wanted, now=now(context))
    if update.effective_chat is not None and update.effective_chat.type == "private":
        await set_chat_commands(context.bot, update.effective_chat.id, actor.language)
    await send(update, h("language.changed", actor.language), reply_markup=main_menu(actor))


@registered
async def cmd_register_group(update: Update, context: Context, actor: Actor) -> None:
    """In a group: tie it to the speaker's unit so the unit's notifications also go there."""
    chat = update.effective_chat
    if chat is None or chat.type not in ("group", "supergroup"):
        await send(update, h("group.only_in_group", actor.language))
        return
    if context.args and fold(context.args[0]) in ("huy", "cancel"):
        unit = await access.release_group(runtime(context), actor.id, chat.id, now=now(context))
        await send(update, h("group.released", actor.language, unit=unit))
        return
    unit = await access.register_group(runtime(context), actor.id, chat.id, chat.title, now=now(context))
    await send(update, h("group.registered", actor.language, unit=unit))
