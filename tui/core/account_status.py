"""What is known of each account: whether its credentials last worked, and when it synced.

`AccountStatus` is remembered between runs in tui.core.ui_state; `check_account` asks
the service (`whoami`, the cheapest call that proves a token). Nothing here puts a
token in a message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from tui.core.connect import connect
from tui.core.errors import AuthError, ConfigError, PermissionDenied, ProviderError
from tui.core.logs import redact
from tui.core.provider import Provider

Connector = Callable[[str], Provider]
"""Account name -> its provider (tui.core.connect.connect, or a test's stand-in)."""


def _utc_now() -> datetime:
    return datetime.now(UTC)


# --- what is known of an account ----------------------------------------------------


class Health(StrEnum):
    NOT_CHECKED = "not checked"
    OK = "ok"
    TOKEN_REJECTED = "token rejected"
    UNREACHABLE = "unreachable"
    SETUP_PROBLEM = "setup problem"
    """No connection could even be built: the token's source failed, the provider is missing."""


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountStatus:
    """The last word on one account; remembered between runs, so no secret in it."""

    health: Health = Health.NOT_CHECKED
    detail: str | None = None
    """Why the last check failed, in one line that names the account."""
    user: str | None = None
    """Who the credentials belong to, as the service last said."""
    checked_at: datetime | None = None
    synced_at: datetime | None = None
    """When a board (or the list of boards) last loaded from the service."""

    def synced(self, at: datetime) -> AccountStatus:
        """After a board loaded: that proves the credentials as well as a check does."""
        return replace(self, health=Health.OK, detail=None, synced_at=at)

    @property
    def summary(self) -> str:
        """One line for the user: the CLI's answer to `accounts test`, the screen's detail."""
        if self.health is Health.OK:
            return f"ok: {self.user}" if self.user else "ok"
        return self.detail or "not checked yet"


async def check_account(
    name: str,
    previous: AccountStatus | None = None,
    connect: Connector = connect,
    *,
    now: Callable[[], datetime] = _utc_now,
) -> AccountStatus:
    """Ask the service who the account's credentials belong to; the account's new status.

    Never raises for what the user can fix: a rejected token, a service that is down
    and a token source that fails all become the status.
    """
    previous = previous or AccountStatus()

    def verdict(health: Health, detail: str | None = None, **more: Any) -> AccountStatus:
        # redact: the net under the rule that no message holds a token
        detail = redact(detail) if detail else None
        return replace(previous, health=health, detail=detail, checked_at=now(), **more)

    try:
        # A token_cmd may take seconds: never on the event loop.
        provider = await asyncio.to_thread(connect, name)
    except ConfigError as problem:
        return verdict(Health.SETUP_PROBLEM, str(problem))
    try:
        user = await provider.whoami()
    except (AuthError, PermissionDenied) as refusal:
        return verdict(Health.TOKEN_REJECTED, _rejection(name, provider.title, refusal))
    except ProviderError as failure:
        return verdict(Health.UNREACHABLE, f"account {name!r} is unreachable: {failure}")
    finally:
        await provider.aclose()
    return verdict(Health.OK, user=user.name)


def _rejection(name: str, service: str, refusal: ProviderError) -> str:
    status = f" (HTTP {refusal.status})" if refusal.status else ""
    words = f": {refusal.detail}" if refusal.detail else ""
    return f"token rejected for account {name!r} by {service}{status}{words}"


def describe_time(when: datetime | None, now: datetime) -> str:
    """How long ago, as people say it: just now, 5 min ago, 3 h ago, then the date."""
    if when is None:
        return "never"
    age = now - when
    if age < timedelta(minutes=1):
        return "just now"
    if age < timedelta(hours=1):
        return f"{age // timedelta(minutes=1)} min ago"
    if age < timedelta(days=1):
        return f"{age // timedelta(hours=1)} h ago"
    return when.astimezone().date().isoformat()
