"""The office's "Resend" button under an uncertain-delivery notice."""

from __future__ import annotations

from telegram import Update

from bot.services import operations
from bot.services.views import Actor
from bot.texts import t
from handlers.callbacks import Resend, claimed
from handlers.common import Context, answer, now, registered, runtime


@registered
async def cb_resend(update: Update, context: Context, actor: Actor) -> None:
    press = claimed(update, Resend)
    await operations.resend_uncertain(runtime(context), actor.id, press.event_id, now=now(context))
    await answer(update, t("done.rsnd", actor.language), alert=True)
