"""TimeSync against the Kaiten and KanbanTool fakes: never dropped, never duplicated.

The journal and the sync run on a test clock (retries are "next attempt at", compared
with it); the HTTP clients run on virtual time, so nothing really waits.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.conftest import NOW, make_local
from tests.fakes.kaiten import KaitenFake
from tests.fakes.kanbantool import KanbanToolFake
from tests.fakes.service import FakeService, Faults
from tests.support.clock import FakeClock
from tui.core.errors import ConfigError
from tui.core.models import SyncState, TimeEntry
from tui.core.provider import Connection, Provider
from tui.core.secret import Secret
from tui.core.time import CardRef, TimeJournal, TimeSync
from tui.providers.kaiten import KaitenProvider
from tui.providers.kanbantool import KanbanToolProvider

KAITEN = "work"
KANBANTOOL = "tool"


class Accounts:
    """provider_for: the test's providers by account name; others are not configured."""

    def __init__(self, **providers: Provider):
        self.providers = providers

    async def __call__(self, account: str) -> Provider:
        if account not in self.providers:
            raise ConfigError(f"no account named {account!r}")
        return self.providers[account]


def connection(account: str, fake: FakeService) -> Connection:
    return Connection(
        account=account, url=fake.base_url, token=Secret(fake.token), transport=fake.transport()
    )


@pytest.fixture
def http_clock() -> FakeClock:
    return FakeClock(start=NOW.timestamp())


@pytest.fixture
def kaiten_fake(http_clock: FakeClock) -> KaitenFake:
    fake = KaitenFake(clock=http_clock.monotonic)
    fake.wall_clock = http_clock.time
    return fake


@pytest.fixture
def tool_fake() -> KanbanToolFake:
    return KanbanToolFake()


@pytest.fixture
async def accounts(
    kaiten_fake: KaitenFake, tool_fake: KanbanToolFake, http_clock: FakeClock, tmp_path: Path
) -> AsyncIterator[Accounts]:
    accounts = Accounts(
        work=KaitenProvider(connection(KAITEN, kaiten_fake), clock=http_clock),
        tool=KanbanToolProvider(connection(KANBANTOOL, tool_fake), clock=http_clock),
        local=make_local(tmp_path / "local"),
    )
    yield accounts
    for provider in accounts.providers.values():
        await provider.aclose()


@pytest.fixture
def journal(tmp_path: Path, clock: FakeClock) -> Iterator[TimeJournal]:
    journal = TimeJournal(tmp_path / "journal.db", now=clock)
    yield journal
    journal.close()


@pytest.fixture
def sync(journal: TimeJournal, accounts: Accounts, clock: FakeClock) -> TimeSync:
    return TimeSync(journal, accounts, now=clock)


def kaiten_card(fake: KaitenFake, title: str = "Dark theme") -> CardRef:
    card = next(c for c in fake.cards.values() if c["title"] == title)
    return CardRef(KAITEN, str(card["board_id"]), str(card["id"]), title)


def task(fake: KanbanToolFake, name: str = "Dark theme") -> CardRef:
    found = next(t for t in fake.tasks.values() if t["name"] == name)
    return CardRef(KANBANTOOL, str(found["board_id"]), str(found["id"]), name)


def logs_of(fake: KaitenFake, entry: TimeEntry) -> list[dict]:
    """The time logs on the service that carry the entry's marker."""
    return [
        log
        for log in fake.time_logs.values()
        if f"[cardboard:{entry.id}]" in (log["comment"] or "")
    ]


def trackers_of(fake: KanbanToolFake, card: CardRef) -> list[dict]:
    return [t for t in fake.time_trackers.values() if t["task_id"] == int(card.card_id)]


def after_pass(journal: TimeJournal, entry: TimeEntry) -> TimeEntry:
    return next(e for e in journal.entries() if e.id == entry.id)


def back_up(faults: Faults) -> None:
    faults.statuses.clear()
    faults.drop_before = faults.drop_after = 0


# --- Kaiten: queued, retried, exactly once ----------------------------------------------

OUTAGES = {
    "5xx": lambda faults: faults.statuses.extend([503] * 50),
    "no connection": lambda faults: setattr(faults, "drop_before", 50),
    "answers lost": lambda faults: setattr(faults, "drop_after", 50),
}


@pytest.mark.parametrize("outage", OUTAGES)
async def test_an_entry_logged_while_kaiten_is_down_reaches_it_exactly_once(
    outage: str, journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake, clock: FakeClock
):
    card = kaiten_card(kaiten_fake)
    entry = journal.add(card, NOW - timedelta(hours=2), 5400, "pairing", sync=SyncState.PENDING)
    OUTAGES[outage](kaiten_fake.faults)
    [queued] = await sync.push_pending()
    for _ in range(3):
        assert queued.sync is SyncState.PENDING and queued.remote_id is None
        assert queued.sync_error.startswith("Kaiten (work): ")
        assert f"/api/v1/cards/{card.card_id}/time-logs" in queued.sync_error
        clock.advance(hours=1)
        await sync.push_pending()
        queued = after_pass(journal, entry)
    back_up(kaiten_fake.faults)
    clock.advance(hours=1)
    assert [e.sync for e in await sync.push_pending()] == [SyncState.SYNCED]
    synced = after_pass(journal, entry)
    [log] = logs_of(kaiten_fake, entry)
    assert (synced.sync, synced.sync_error) == (SyncState.SYNCED, None)
    assert synced.remote_id == str(log["id"])
    assert (log["card_id"], log["time_spent"], log["for_date"]) == (
        int(card.card_id),
        90,
        "2026-11-20",
    )
    assert log["comment"] == f"pairing [cardboard:{entry.id}]"
    requests = len(kaiten_fake.requests)
    clock.advance(days=2)
    assert await sync.push_pending() == []
    assert len(kaiten_fake.requests) == requests  # nothing left to do


async def test_a_post_whose_answer_was_lost_is_found_not_repeated(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake, clock: FakeClock
):
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    kaiten_fake.faults.drop_after = 1
    await sync.push_pending()
    lost = after_pass(journal, entry).sync_error
    assert "lost the connection (the change may have been applied" in lost
    [landed] = logs_of(kaiten_fake, entry)  # the server did act
    clock.advance(minutes=1)
    await sync.push_pending()
    assert after_pass(journal, entry).remote_id == str(landed["id"])
    assert logs_of(kaiten_fake, entry) == [landed]
    assert kaiten_fake.count("POST", "/cards") == 1


async def test_retries_back_off_from_a_minute_to_an_hour(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake, clock: FakeClock
):
    journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    kaiten_fake.faults.statuses.extend([503] * 500)
    await sync.push_pending()
    gaps = []
    for _ in range(8):
        waited = 0
        while waited < 2 * 60 * 60:  # past the longest backoff: a retry never sent fails below
            clock.advance(seconds=30)
            waited += 30
            sent = len(kaiten_fake.requests)
            await sync.push_pending()
            if len(kaiten_fake.requests) > sent:
                break
        gaps.append(waited / 60)
    assert gaps == [1, 2, 4, 8, 16, 32, 60, 60]


@pytest.mark.parametrize("status", [400, 402, 403, 404, 409, 422])
async def test_a_refused_log_fails_with_the_services_message_and_is_kept(
    status: int, journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake, clock: FakeClock
):
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    kaiten_fake.faults.statuses.append(status)
    [failed] = await sync.push_pending()
    assert failed.sync is SyncState.FAILED
    assert f"HTTP {status}" in failed.sync_error and f"injected {status}" in failed.sync_error
    assert journal.entries() == [failed]
    clock.advance(hours=23)  # a refusal waits a day, or an edit
    sent = len(kaiten_fake.requests)
    assert await sync.push_pending() == []
    assert len(kaiten_fake.requests) == sent
    assert journal.edit(entry.id).sync is SyncState.PENDING
    [synced] = await sync.push_pending()
    assert synced.sync is SyncState.SYNCED and len(logs_of(kaiten_fake, entry)) == 1
    # A refused post did not land: the retry posted without looking first.
    assert [r.method for r in kaiten_fake.requests[sent:]] == ["POST"]


async def test_a_card_deleted_on_the_service_keeps_its_entry_title_and_report(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake, clock: FakeClock
):
    card = kaiten_card(kaiten_fake)
    entry = journal.add(card, NOW, 600, sync=SyncState.PENDING)
    del kaiten_fake.cards[int(card.card_id)]
    [failed] = await sync.push_pending()
    assert (failed.sync, failed.card_title) == (SyncState.FAILED, "Dark theme")
    assert "HTTP 404" in failed.sync_error and "Card not found" in failed.sync_error
    clock.advance(days=1)  # retried once a day
    await sync.push_pending()
    assert kaiten_fake.count("POST", f"/cards/{card.card_id}/time-logs") == 2
    assert journal.entries() == [after_pass(journal, entry)]


@pytest.mark.parametrize("status", [401, 429, 500, 503])
async def test_a_transient_failure_stays_pending(
    status: int, journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake
):
    journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    kaiten_fake.faults.statuses.extend([status] * 20)
    [queued] = await sync.push_pending()
    assert queued.sync is SyncState.PENDING and f"HTTP {status}" in queued.sync_error


async def test_an_edited_entry_updates_its_log(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake
):
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    await sync.push_pending()
    edited = journal.edit(entry.id, seconds=3600, note="review", started_at=NOW - timedelta(days=1))
    assert edited.sync is SyncState.PENDING
    [synced] = await sync.push_pending()
    assert (
        synced.sync is SyncState.SYNCED and synced.remote_id == after_pass(journal, entry).remote_id
    )
    [log] = logs_of(kaiten_fake, entry)
    assert (log["time_spent"], log["for_date"], log["comment"]) == (
        60,
        "2026-11-19",
        f"review [cardboard:{entry.id}]",
    )
    assert kaiten_fake.count("POST", "/cards") == 1


async def test_a_log_deleted_on_the_service_is_logged_again(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake
):
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    [first] = await sync.push_pending()
    del kaiten_fake.time_logs[int(first.remote_id)]
    journal.edit(entry.id, note="again")
    [second] = await sync.push_pending()
    [log] = logs_of(kaiten_fake, entry)
    assert second.sync is SyncState.SYNCED and second.remote_id == str(log["id"]) != first.remote_id


async def test_a_deleted_entry_deletes_its_log_then_goes(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake, clock: FakeClock
):
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    await sync.push_pending()
    journal.delete(entry.id)
    assert journal.entries() == []
    assert await sync.push_pending() == []
    assert logs_of(kaiten_fake, entry) == []
    assert kaiten_fake.count("DELETE", "/cards") == 1
    clock.advance(days=2)
    sent = len(kaiten_fake.requests)
    await sync.push_pending()
    assert len(kaiten_fake.requests) == sent  # the tombstone is gone too


async def test_a_delete_the_service_refuses_brings_the_entry_back_failed(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake
):
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    await sync.push_pending()
    journal.delete(entry.id)
    kaiten_fake.faults.statuses.append(403)
    [back] = await sync.push_pending()
    assert back.id == entry.id and back.sync is SyncState.FAILED
    assert back.sync_error.startswith("still on the service, which refused to delete it: ")
    assert len(logs_of(kaiten_fake, entry)) == 1


async def test_deleting_an_entry_whose_post_answer_was_lost_deletes_what_landed(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake
):
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, sync=SyncState.PENDING)
    kaiten_fake.faults.drop_after = 1
    await sync.push_pending()
    assert len(logs_of(kaiten_fake, entry)) == 1
    journal.delete(entry.id)
    await sync.push_pending()
    assert logs_of(kaiten_fake, entry) == []


async def test_an_edit_made_while_the_log_is_sent_is_pushed_next(
    journal: TimeJournal, kaiten_fake: KaitenFake, http_clock: FakeClock, clock: FakeClock
):
    class EditedMeanwhile(KaitenProvider):
        async def log_time(self, *args, **kwargs) -> str:
            remote_id = await super().log_time(*args, **kwargs)
            journal.edit(entry.id, note="changed meanwhile")
            return remote_id

    provider = EditedMeanwhile(connection(KAITEN, kaiten_fake), clock=http_clock)
    sync = TimeSync(journal, Accounts(work=provider), now=clock)
    entry = journal.add(kaiten_card(kaiten_fake), NOW, 600, "first", sync=SyncState.PENDING)
    [sent] = await sync.push_pending()
    assert sent.sync is SyncState.PENDING and sent.remote_id is not None
    [synced] = await sync.push_pending()
    assert synced.sync is SyncState.SYNCED
    [log] = logs_of(kaiten_fake, entry)
    assert log["comment"] == f"changed meanwhile [cardboard:{entry.id}]"
    await provider.aclose()


async def test_two_passes_at_once_never_post_one_entry_twice(
    journal: TimeJournal,
    accounts: Accounts,
    kaiten_fake: KaitenFake,
    http_clock: FakeClock,
    clock: FakeClock,
):
    """The TUI and the CLI push from two journals on one file; one pass runs while the
    other's post is on its way."""
    other_journal = TimeJournal(journal.path, now=clock)
    other = TimeSync(other_journal, accounts, now=clock)
    raced: list[TimeEntry] = []

    class Racing(KaitenProvider):
        async def log_time(self, *args, **kwargs) -> str:
            if not raced:
                raced.extend(await other.push_pending())
            return await super().log_time(*args, **kwargs)

    provider = Racing(connection(KAITEN, kaiten_fake), clock=http_clock)
    sync = TimeSync(journal, Accounts(work=provider), now=clock)
    card = kaiten_card(kaiten_fake)
    entries = [journal.add(card, NOW, 60 * n, sync=SyncState.PENDING) for n in (1, 2, 3)]
    await sync.push_pending()
    _being_posted, *rest = sorted(entries, key=lambda e: (e.started_at, e.id))  # pass order
    assert sorted(e.id for e in raced) == sorted(e.id for e in rest)  # not `being_posted`
    assert [len(logs_of(kaiten_fake, entry)) for entry in entries] == [1, 1, 1]
    assert {e.sync for e in journal.entries()} == {SyncState.SYNCED}
    other_journal.close()
    await provider.aclose()


async def test_a_provider_without_time_logging_keeps_entries_local(
    journal: TimeJournal, sync: TimeSync
):
    card = CardRef("local", "1", "1", "Dark mode")
    local = journal.add(card, NOW, 600, sync=SyncState.LOCAL)
    assert await sync.push_pending() == []
    queued = journal.add(card, NOW, 600, sync=SyncState.PENDING)
    [kept] = await sync.push_pending()
    assert (kept.id, kept.sync, kept.sync_error) == (queued.id, SyncState.LOCAL, None)
    assert await sync.timer_stopped(local) == local


async def test_an_account_that_is_gone_keeps_its_entries_queued(
    journal: TimeJournal, sync: TimeSync
):
    journal.add(CardRef("gone", "1", "1", "Old"), NOW, 600, sync=SyncState.PENDING)
    [queued] = await sync.push_pending()
    assert (queued.sync, queued.sync_error) == (SyncState.PENDING, "no account named 'gone'")


async def test_stopping_a_kaiten_timer_logs_it_at_once(
    journal: TimeJournal, sync: TimeSync, kaiten_fake: KaitenFake, clock: FakeClock
):
    timer, _ = journal.start(kaiten_card(kaiten_fake), sync=SyncState.PENDING)
    await sync.timer_started(timer)  # Kaiten runs no timers: nothing is sent
    assert kaiten_fake.requests == []
    clock.advance(minutes=45)
    entry = await sync.timer_stopped(journal.stop())
    [log] = logs_of(kaiten_fake, entry)
    assert (entry.sync, entry.remote_id, log["time_spent"]) == (
        SyncState.SYNCED,
        str(log["id"]),
        45,
    )


# --- KanbanTool: its own timer runs along -----------------------------------------------


@pytest.fixture
def shared_clock(http_clock: FakeClock) -> FakeClock:
    """KanbanTool's trackers are stamped by the provider's clock: make it the journal's."""
    return http_clock


@pytest.fixture
def tool_journal(tmp_path: Path, shared_clock: FakeClock) -> Iterator[TimeJournal]:
    journal = TimeJournal(tmp_path / "tool.db", now=shared_clock)
    yield journal
    journal.close()


@pytest.fixture
def tool_sync(tool_journal: TimeJournal, accounts: Accounts, shared_clock: FakeClock) -> TimeSync:
    return TimeSync(tool_journal, accounts, now=shared_clock)


async def test_kanbantool_sees_the_timer_start_and_stop(
    tool_journal: TimeJournal,
    tool_sync: TimeSync,
    tool_fake: KanbanToolFake,
    shared_clock: FakeClock,
):
    card = task(tool_fake)
    before = trackers_of(tool_fake, card)
    timer, _ = tool_journal.start(card, sync=SyncState.PENDING)
    await tool_sync.timer_started(timer)
    [running] = [t for t in trackers_of(tool_fake, card) if t not in before]
    assert (running["started_at"], running["ended_at"]) == ("2026-11-20T09:30:00+00:00", None)
    shared_clock.advance(minutes=90)
    sent = len(tool_fake.requests)
    entry = await tool_sync.timer_stopped(tool_journal.stop())
    assert (entry.sync, entry.remote_id) == (SyncState.SYNCED, str(running["id"]))
    assert running["ended_at"] == "2026-11-20T11:00:00+00:00"
    assert [r.method for r in tool_fake.requests[sent:]] == ["PUT"]  # stopped, nothing more
    assert len(trackers_of(tool_fake, card)) == len(before) + 1


async def test_a_trimmed_kanbantool_timer_is_cut_there_too(
    tool_journal: TimeJournal,
    tool_sync: TimeSync,
    tool_fake: KanbanToolFake,
    shared_clock: FakeClock,
):
    card = task(tool_fake)
    timer, _ = tool_journal.start(card, sync=SyncState.PENDING)
    await tool_sync.timer_started(timer)
    shared_clock.advance(hours=9)
    trimmed = tool_journal.stop(end=timer.started_at + timedelta(minutes=40))
    entry = await tool_sync.timer_stopped(trimmed)
    tracker = tool_fake.time_trackers[int(entry.remote_id)]
    assert entry.sync is SyncState.SYNCED
    assert (tracker["started_at"], tracker["ended_at"]) == (
        "2026-11-20T09:30:00+00:00",
        "2026-11-20T10:10:00+00:00",
    )


async def test_switching_cards_stops_one_kanbantool_timer_and_starts_another(
    tool_journal: TimeJournal,
    tool_sync: TimeSync,
    tool_fake: KanbanToolFake,
    shared_clock: FakeClock,
):
    first, second = task(tool_fake), task(tool_fake, "Export time as CSV")
    timer, _ = tool_journal.start(first, sync=SyncState.PENDING)
    await tool_sync.timer_started(timer)
    shared_clock.advance(minutes=20)
    timer, stopped = tool_journal.start(second, sync=SyncState.PENDING)
    stopped = await tool_sync.timer_stopped(stopped)
    await tool_sync.timer_started(timer)
    assert (
        tool_fake.time_trackers[int(stopped.remote_id)]["ended_at"] == "2026-11-20T09:50:00+00:00"
    )
    assert [t["ended_at"] for t in trackers_of(tool_fake, second)] == [None]


async def test_a_kanbantool_timer_that_did_not_start_there_is_logged_when_it_stops(
    tool_journal: TimeJournal,
    tool_sync: TimeSync,
    tool_fake: KanbanToolFake,
    shared_clock: FakeClock,
):
    card = task(tool_fake)
    before = len(trackers_of(tool_fake, card))
    timer, _ = tool_journal.start(card, sync=SyncState.PENDING)
    tool_fake.faults.statuses.append(503)
    await tool_sync.timer_started(timer)  # failed: the timer runs here all the same
    assert tool_journal.running() == timer and len(trackers_of(tool_fake, card)) == before
    shared_clock.advance(minutes=30)
    entry = await tool_sync.timer_stopped(tool_journal.stop())
    tracker = tool_fake.time_trackers[int(entry.remote_id)]
    assert entry.sync is SyncState.SYNCED and len(trackers_of(tool_fake, card)) == before + 1
    assert (tracker["started_at"], tracker["ended_at"]) == (
        "2026-11-20T12:00:00+00:00",
        "2026-11-20T12:30:00+00:00",
    )


async def test_a_kanbantool_timer_that_could_not_stop_there_is_stopped_later(
    tool_journal: TimeJournal,
    tool_sync: TimeSync,
    tool_fake: KanbanToolFake,
    shared_clock: FakeClock,
):
    card = task(tool_fake)
    timer, _ = tool_journal.start(card, sync=SyncState.PENDING)
    await tool_sync.timer_started(timer)
    shared_clock.advance(minutes=50)
    tool_fake.faults.statuses.extend([503] * 3)  # every try of the stop
    entry = await tool_sync.timer_stopped(tool_journal.stop())
    tracker = tool_fake.time_trackers[int(entry.remote_id)]
    assert entry.sync is SyncState.PENDING and tracker["ended_at"] is None
    shared_clock.advance(minutes=5)
    [synced] = await tool_sync.push_pending()
    assert synced.sync is SyncState.SYNCED and synced.remote_id == entry.remote_id
    assert tracker["ended_at"] == "2026-11-20T10:20:00+00:00"  # its start + the 50 minutes


async def test_a_kanbantool_log_whose_answer_was_lost_is_found_by_day_and_length(
    tool_journal: TimeJournal,
    tool_sync: TimeSync,
    tool_fake: KanbanToolFake,
    shared_clock: FakeClock,
):
    card = task(tool_fake)
    # Same card, day and length: a tracker the journal owns already, not to be taken.
    owned = tool_journal.add(card, NOW - timedelta(hours=1), 1800, sync=SyncState.PENDING)
    await tool_sync.push_pending()
    before = len(trackers_of(tool_fake, card))
    entry = tool_journal.add(card, NOW, 1800, sync=SyncState.PENDING)
    tool_fake.faults.drop_after = 1
    await tool_sync.push_pending()
    assert len(trackers_of(tool_fake, card)) == before + 1  # it landed, unknown to us
    shared_clock.advance(minutes=1)
    [synced] = await tool_sync.push_pending()
    assert synced.id == entry.id and synced.sync is SyncState.SYNCED
    assert synced.remote_id != after_pass(tool_journal, owned).remote_id
    assert len(trackers_of(tool_fake, card)) == before + 1


async def test_a_timer_stopped_while_kanbantool_starts_its_own_leaves_no_tracker(
    tool_journal: TimeJournal,
    tool_fake: KanbanToolFake,
    http_clock: FakeClock,
    shared_clock: FakeClock,
):
    class StoppedMeanwhile(KanbanToolProvider):
        async def start_timer(self, board_id: str, card_id: str) -> str:
            tracker_id = await super().start_timer(board_id, card_id)
            tool_journal.stop()
            return tracker_id

    provider = StoppedMeanwhile(connection(KANBANTOOL, tool_fake), clock=http_clock)
    sync = TimeSync(tool_journal, Accounts(tool=provider), now=shared_clock)
    card = task(tool_fake)
    before = trackers_of(tool_fake, card)
    timer, _ = tool_journal.start(card, sync=SyncState.PENDING)
    await sync.timer_started(timer)
    assert trackers_of(tool_fake, card) == before
    assert tool_fake.count("DELETE", "/time_trackers") == 1
    await provider.aclose()


# --- what a service that counts minutes gets (tui.core.time.rounding) -------------------


@pytest.mark.parametrize(
    ("rounding", "seconds", "minutes"),
    [
        ("nearest", 89, 1),
        ("nearest", 90, 2),
        ("up", 61, 2),
        ("down", 119, 1),
    ],
)
async def test_minutes_sent_follow_the_rounding_rule(
    journal, accounts, clock, kaiten_fake, rounding, seconds, minutes
):
    sync = TimeSync(journal, accounts, now=clock, rounding=rounding)
    entry = journal.add(
        kaiten_card(kaiten_fake), NOW - timedelta(hours=1), seconds, sync=SyncState.PENDING
    )
    await sync.push_pending()
    assert [log["time_spent"] for log in logs_of(kaiten_fake, entry)] == [minutes]
    assert after_pass(journal, entry).sync is SyncState.SYNCED


@pytest.mark.parametrize("rounding", ["nearest", "up", "down"])
async def test_an_entry_under_a_minute_stays_in_the_journal(
    journal, accounts, clock, kaiten_fake, rounding
):
    sync = TimeSync(journal, accounts, now=clock, rounding=rounding)
    entry = journal.add(
        kaiten_card(kaiten_fake), NOW - timedelta(hours=1), 59, sync=SyncState.PENDING
    )
    await sync.push_pending()
    assert logs_of(kaiten_fake, entry) == []
    kept = after_pass(journal, entry)
    assert (kept.sync, kept.seconds) == (SyncState.LOCAL, 59)


async def test_a_logged_entry_cut_under_a_minute_leaves_the_service(journal, sync, kaiten_fake):
    entry = journal.add(
        kaiten_card(kaiten_fake), NOW - timedelta(hours=1), 600, sync=SyncState.PENDING
    )
    await sync.push_pending()
    assert len(logs_of(kaiten_fake, entry)) == 1
    journal.edit(entry.id, seconds=30)
    await sync.push_pending()
    assert logs_of(kaiten_fake, entry) == []
    assert after_pass(journal, entry).sync is SyncState.LOCAL
