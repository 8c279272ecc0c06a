"""The office's "Resend" button under an uncertain-delivery notice."""

from __future__ import annotations

from telegram import Update

from bot.errors import DomainError
from bot.services import operations
from bot.services.views import Actor
from bot.texts import t
from handlers.callbacks import unpack
from handlers.common import Context, answer, now, registered, runtime


@registered
async def cb_resend(update: Update, context: Context, actor: Actor) -> None:
    claim = unpack(update.callback_query.data if update.callback_query else None)
    if claim is None or not claim.arg.isdigit():
        raise DomainError("action.stale")
    await operations.resend_uncertain(runtime(context), actor.id, int(claim.arg), now=now(context))
    await answer(update, t("done.rsnd", actor.language), alert=True)
