"""Time tracking as a person sees it, at 80x24 and at 160x48: the time screen, its form,
the timer badge and the long-timer prompt.

The app is built by the same factory as `cardboard`, on the demo board, with a journal
seeded for a frozen week: entries of every sync state (one refused with the service's
message), an overlap, and time on a second account. Accept a change with
`pytest --snapshot-update` only after looking at the SVGs.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.conftest import NOW
from tests.support.clock import FakeClock
from tests.support.snapshots import SIZES, after
from tui.core.errors import Unavailable, ValidationError
from tui.core.models import SyncState
from tui.core.provider import Capability
from tui.core.time import CardRef, TimeJournal, TimeSync
from tui.ui.app import build_app

DARK_MODE = CardRef("local", "1", "1", "Dark mode for the settings page")
INVOICES = CardRef("local", "1", "2", "Export invoices as CSV")
SSO = CardRef("local", "1", "6", "Support SSO login with Okta and Azure AD for the enterprise "
              "customers who asked for it during the quarterly review")  # fmt: skip
BILLING = CardRef("work", "42", "901", "Billing: retry failed card payments")
ONBOARDING = CardRef("work", "42", "902", "Onboarding emails")


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(params=SIZES.values(), ids=SIZES.keys())
def size(request) -> tuple[int, int]:
    return request.param


@pytest.fixture
def journal(private_dirs):
    return TimeJournal(private_dirs / "journal.db")  # the app closes it


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


class ScriptedTimeService:
    """A service that logs time, answering each log with the next scripted outcome."""

    def __init__(self, *outcomes: str | Exception):
        self.outcomes = list(outcomes)

    def supports(self, capability: Capability) -> bool:
        return capability is Capability.TIME_LOGGING

    async def log_time(
        self, board_id: str, card_id: str, minutes: int, day: date, note: str
    ) -> str:
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def seed_week(journal: TimeJournal) -> None:
    local = SyncState.LOCAL
    journal.add(DARK_MODE, at(16, 9), 2 * 3600, "first pass", sync=local)
    journal.add(INVOICES, at(17, 13), 90 * 60, sync=local)
    journal.add(SSO, at(18, 10), 45 * 60, "spike", sync=local)
    journal.add(DARK_MODE, at(18, 10, 30), 3600, sync=local)  # overlaps the spike
    journal.add(DARK_MODE, at(20, 8), 75 * 60, sync=local)
    # The second account's time, pushed once: logged, refused, and the service down.
    journal.add(BILLING, at(17, 9), 3 * 3600, sync=SyncState.PENDING)
    journal.add(ONBOARDING, at(19, 15), 40 * 60, "copy review", sync=SyncState.PENDING)
    journal.add(BILLING, at(20, 7), 30 * 60, sync=SyncState.PENDING)
    service = ScriptedTimeService(
        "log-1",
        ValidationError("Kaiten: 422", detail="for_date is in a closed period"),
        Unavailable("Kaiten: 503 Service Unavailable", status=503),
    )

    async def provider_for(account: str) -> ScriptedTimeService:
        return service

    asyncio.run(TimeSync(journal, provider_for).push_pending())


def shows(snap_compare, size, journal: TimeJournal, *keys: str) -> bool:
    app = build_app(remember=False, journal=journal)
    return snap_compare(app, terminal_size=size, run_before=after(*keys))


def started(journal: TimeJournal, clock: FakeClock, card: CardRef, ago: timedelta) -> None:
    clock.move_to(NOW - ago)
    journal.start(card, sync=SyncState.LOCAL)
    clock.move_to(NOW)


def test_time_screen(snap_compare, size, journal, frozen_clock):
    seed_week(journal)
    started(journal, frozen_clock, INVOICES, timedelta(minutes=25, seconds=7))
    assert shows(snap_compare, size, journal, "T")


def test_time_screen_totals_by_board(snap_compare, size, journal):
    seed_week(journal)
    assert shows(snap_compare, size, journal, "T", "g")


def test_time_screen_empty_week(snap_compare, size, journal):
    assert shows(snap_compare, size, journal, "T")


def test_log_time_form(snap_compare, size, journal):
    seed_week(journal)
    assert shows(snap_compare, size, journal, "T", "a")


def test_board_with_a_running_timer(snap_compare, size, journal, frozen_clock):
    started(journal, frozen_clock, SSO, timedelta(hours=1, minutes=2, seconds=3))
    assert shows(snap_compare, size, journal)


def test_long_timer_prompt(snap_compare, size, journal, frozen_clock):
    started(journal, frozen_clock, DARK_MODE, timedelta(hours=11, minutes=7))
    assert shows(snap_compare, size, journal)


def test_long_timer_prompt_trim_refused(snap_compare, size, journal, frozen_clock):
    started(journal, frozen_clock, DARK_MODE, timedelta(hours=11, minutes=7))
    assert shows(snap_compare, size, journal, "t", *"21:00", "enter")
