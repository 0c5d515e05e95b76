"""The typed errors: one type per kind of failure, for Cardboard and every provider.

`ProviderError` and its subclasses are what a service (or the local database) did;
`ConfigError` is bad configuration or bad usage. Messages never hold a secret.
"""

from __future__ import annotations

from typing import Any

from tui.core.sanitize import one_line


class ConfigError(Exception):
    """Bad configuration or bad usage: the CLI exits 2 and prints this one line.

    The message names the place ("path:line: what is wrong", or the option), never a
    secret.
    """


class ProviderError(Exception):
    """A service refused or failed a request.

    `message` is for the user: one line naming what failed, with the service's own
    words in `detail`. Neither ever holds a secret: build them from the response body
    and the request's method and path, never from headers or the full URL.
    """

    def __init__(self, message: str, *, detail: str | None = None, status: int | None = None):
        # The service's words reach the screen and stderr: safe text only (tui.core.sanitize).
        self.message = one_line(message)
        self.detail = one_line(detail) if detail is not None else None
        self.status = status
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.detail and self.detail not in self.message:
            return f"{self.message}: {self.detail}"
        return self.message


class AuthError(ProviderError):
    """The credentials were missing or rejected (HTTP 401)."""


class PermissionDenied(ProviderError):
    """The credentials are fine but do not allow this (HTTP 403)."""


class NotFound(ProviderError):
    """The board, card or item does not exist (any more)."""


class RateLimited(ProviderError):
    """The service kept refusing for too many requests, even after waiting."""

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class Conflict(ProviderError):
    """The change clashes with the board's rules, e.g. a WIP limit.

    `overridable` says whether sending the same move again with an override reason
    (`Placement.override_reason`) would be accepted.
    """

    def __init__(self, message: str, *, overridable: bool = False, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.overridable = overridable


class ValidationError(ProviderError):
    """The service, or the provider before sending, rejected the input."""


class Unavailable(ProviderError):
    """The service could not be reached or answered with a server error or garbage.

    `in_doubt` says a write may have been applied all the same (a timeout after sending,
    a dropped connection, a 5xx or a garbled 2xx answer): read the service to find out
    before sending it again. False means the service cannot have acted on it.
    """

    def __init__(self, message: str, *, in_doubt: bool = False, **kwargs: Any):
        super().__init__(message, **kwargs)
        self.in_doubt = in_doubt


class Unsupported(ProviderError):
    """The provider does not declare the capability this call needs."""


class DatabaseError(Unavailable):
    """A local SQLite file (boards, journal, cache, outbox) cannot be opened or used.

    The message names the file and what is wrong with it; nothing was written to it.
    """
