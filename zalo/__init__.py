"""The Zalo channel's adapter: the Bot API client, the plain-text notices, typed replies in and out."""
