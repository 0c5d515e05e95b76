"""How to build each provider against its fake: the contract suite's one registry.

Keyed by entry-point name. The contract suite runs over every provider the registry
lists, and one listed there but not here fails it, so no provider ships without
contract coverage. Provider classes are loaded through the registry, never imported
here: an entry for a provider that is not registered yet is simply not used.

A remote provider talks to its fake in-process, on a virtual clock the fake shares,
so rate limits and retries are honoured without anyone really waiting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import make_local
from tests.fakes.kaiten import KaitenFake
from tests.fakes.kanbantool import KanbanToolFake
from tests.fakes.kanbert import KanbertFake
from tests.fakes.kitchen import KitchenFake
from tests.fakes.kitemaker import KitemakerFake
from tests.fakes.service import FakeService
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core import plugins as registry
from tui.core.provider import Provider

LOCAL = "local"
ACCOUNT = "contract"


@dataclass(frozen=True)
class Subject:
    """A provider ready for a test, and the fake behind it (None for the local board)."""

    provider: Provider
    fake: FakeService | None = None


def _kaiten(clock: FakeClock) -> FakeService:
    fake = KaitenFake(clock=clock.monotonic)
    fake.wall_clock = clock.time  # X-RateLimit-Reset is read against the same clock
    return fake


@dataclass(frozen=True)
class Remote:
    """A remote provider's fake, freshly seeded on the test's clock, and account options."""

    make_fake: Callable[[FakeClock], FakeService]
    options: Mapping[str, str] = field(default_factory=dict)


REMOTES: dict[str, Remote] = {
    "kaiten": Remote(_kaiten),
    "kanbantool": Remote(lambda clock: KanbanToolFake()),
    "kitemaker": Remote(lambda clock: KitemakerFake(clock=clock.monotonic)),
    "kanbert": Remote(lambda clock: KanbertFake(clock=clock.monotonic)),
    "kitchen": Remote(
        lambda clock: KitchenFake(clock=clock.monotonic),
        # New projects need an author; the service creates one it does not know.
        options={"author_name": "Contract Suite", "author_email": "contract@example.test"},
    ),
}


def require_entry(name: str) -> None:
    """Fail (never skip) the calling test when `name` cannot be built here."""
    if name != LOCAL and name not in REMOTES:
        pytest.fail(
            f"no fake for provider {name}: add one to tests/providers_under_test.py",
            pytrace=False,
        )


def build(name: str, tmp_path: Path, clock: FakeClock, *, token: str | None = None) -> Subject:
    """The registered provider `name` on a fresh demo database, or on a fresh fake.

    `token` replaces the one the fake accepts (remote providers only).
    """
    require_entry(name)
    provider_class = registry.load_provider(name)
    if name == LOCAL:
        return Subject(make_local(tmp_path / "data", provider_class))
    remote = REMOTES[name]
    fake = remote.make_fake(clock)
    provider = against_fake(
        provider_class, fake, clock, token=token, options=remote.options, account=ACCOUNT
    )
    return Subject(provider, fake)
