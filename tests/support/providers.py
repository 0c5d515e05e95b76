"""A remote provider talking to its fake in-process, on the test's clock."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from tests.fakes.service import FakeService
from tests.support.clock import FakeClock
from tui.core.provider import Connection, Provider
from tui.core.secret import Secret

P = TypeVar("P", bound=Provider)


def against_fake(
    provider_class: type[P],
    fake: FakeService,
    clock: FakeClock,
    *,
    token: str | None = None,
    options: Mapping[str, str] | None = None,
    transport=None,
    account: str = "work",
) -> P:
    """`token` replaces the one the fake accepts; `transport` the fake's own (to wrap it)."""
    connection = Connection(
        account=account,
        url=fake.base_url,
        token=Secret(token or fake.token),
        options=dict(options or {}),
        transport=transport or fake.transport(),
    )
    return provider_class(connection, clock=clock)
