"""Đôn Đốc: the application (settings, domain rules, services, parser, reminders, texts)."""
