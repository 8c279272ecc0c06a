"""The card's text moved to bot/render.py (channel-neutral: Zalo shows it too). These names stay importable
from here only for handlers/assign.py, which another branch is changing; import them from bot.render."""

from bot.render import card_text, code_label

__all__ = ["card_text", "code_label"]
