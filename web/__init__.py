"""The web app: the leaders' dashboard, the lists and the directive card in a browser or as a Telegram Mini
App, the read-only API and the calendar feed. An entry point beside `handlers/`: thin, over `bot/services`."""
