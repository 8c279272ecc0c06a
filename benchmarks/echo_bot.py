"""The baseline of benchmarks/run.py's reply throughput: a bare python-telegram-bot application with one
handler that echoes text, polling the Bot API emulator with its own token.

    python benchmarks/echo_bot.py http://127.0.0.1:PORT TOKEN
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_chat is not None and update.effective_message is not None:
        await update.effective_chat.send_message(update.effective_message.text or "")


def main() -> None:
    base, token = sys.argv[1], sys.argv[2]
    app = ApplicationBuilder().token(token).base_url(f"{base}/bot").base_file_url(f"{base}/file/bot").build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=Update.ALL_TYPES)


if __name__ == "__main__":
    main()
