"""The one error the services raise for bad input or a forbidden act.

It carries a message key from the text catalogue and its parameters, never a rendered text, so the
chat, the CLI and the tests each show it in their own way and language.
"""


class DomainError(Exception):
    def __init__(self, key: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def __repr__(self) -> str:
        return f"DomainError({self.key!r}, {self.params!r})"
