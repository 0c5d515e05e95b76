"""Secret: a token held so that printing, logging or comparing it never shows it.

Every token lives in one of these from the moment it is read (a file, a command, the
keyring, a form) until an HTTP header is built from it: its repr and str are a mask,
so a stray f-string, a log line or a traceback's locals show `**********`.
"""

from __future__ import annotations

import hmac


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        """The token itself: only for the one place that sends it."""
        return self._value

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        # Constant time: a comparison must not tell how much of a guess was right.
        return isinstance(other, Secret) and hmac.compare_digest(
            self._value.encode(), other._value.encode()
        )

    def __hash__(self) -> int:
        return hash(self._value)

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"

    def __str__(self) -> str:
        return "**********" if self._value else ""
