"""Telegram in and out: thin handlers that parse an update, call one service, render and reply."""
