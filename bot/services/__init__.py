"""Use cases: one function each, authorisation inside, one transaction, one event per change.

They take plain arguments (ids, codes, text, `now`) and return plain results (`bot.services.views`), so
the same function serves a button, a command, free text, the CLI and a test.
"""
