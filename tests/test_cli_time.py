"""`cardboard time ...` in-process: the timer, logging, reports, and sync to a fake Kaiten.

Time is frozen at NOW (time-machine) and moved by the tests; the local account's demo
board names the cards, and a Kaiten fake reached in-process stands for a service.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import httpx
import pytest

from tests.fakes.kaiten import KaitenFake
from tests.support.cli import DEMO, Run, assert_usage_error, local_board, run_cardboard
from tests.support.clock import FakeClock
from tui.cli import common
from tui.core import paths
from tui.core.connect import connect
from tui.providers import http

Cardboard = Callable[..., Run]


@pytest.fixture
def frozen(frozen_clock: FakeClock) -> FakeClock:
    return frozen_clock


@pytest.fixture
def cardboard(capsys: pytest.CaptureFixture[str], frozen) -> Cardboard:
    return lambda *argv: run_cardboard(capsys, *argv)


def title(card_id: str) -> str:
    return next(card.title for card in local_board().cards if card.id == card_id)


# --- the timer --------------------------------------------------------------------------


def test_start_status_stop(cardboard: Cardboard, frozen: FakeClock):
    started = cardboard("time", "start", "1", "--board", DEMO, "--json")
    assert started.code == 0, started.err
    timer = {
        "account": "local",
        "board_id": DEMO,
        "card_id": "1",
        "card_title": title("1"),
        "started_at": "2026-11-20T09:30:00Z",
    }
    assert started.json == {"timer": timer, "stopped": None}
    frozen.advance(minutes=25)
    status = cardboard("time", "status")
    assert status.out == f"running on {title('1')} (local, card 1) since 09:30: 25m\n"
    assert cardboard("time", "status", "--json").json == {"timer": timer, "unsynced": []}
    stopped = cardboard("time", "stop", "--json")
    assert stopped.code == 0
    assert {
        k: stopped.json[k] for k in ("card_id", "started_at", "seconds", "sync", "remote_id")
    } == {
        "card_id": "1",
        "started_at": "2026-11-20T09:30:00Z",
        "seconds": 1500,
        "sync": "local",
        "remote_id": None,
    }
    assert cardboard("time", "status").out == "no timer is running\n"
    again = cardboard("time", "stop", "--json")
    assert (again.code, again.json) == (0, None)


def test_start_on_the_running_card_keeps_it_running(cardboard: Cardboard, frozen):
    first = cardboard("time", "start", "1", "--board", DEMO, "--json").json
    frozen.advance(minutes=10)
    again = cardboard("time", "start", "1", "--board", DEMO, "--json")
    assert again.json == first
    assert cardboard("time", "report", "--json").json == []


def test_start_on_another_card_stops_the_first(cardboard: Cardboard, frozen):
    cardboard("time", "start", "1", "--board", DEMO)
    frozen.advance(minutes=10)
    switched = cardboard("time", "start", "2", "--board", DEMO)
    assert switched.code == 0
    assert switched.out.splitlines() == [
        f"stopped {title('1')} (local): 10m, local",
        f"running on {title('2')} (local, card 2) since 09:40: 0s",
    ]


def test_a_card_not_on_the_board_exits_1(cardboard: Cardboard):
    run = cardboard("time", "start", "987654", "--board", DEMO)
    assert run.code == 1 and "card '987654' not found on board" in run.err
    assert cardboard("time", "status").out == "no timer is running\n"


# --- logging ----------------------------------------------------------------------------


def test_log_a_duration_or_a_span(cardboard: Cardboard):
    logged = cardboard("time", "log", "3", "1h30m", "--board", DEMO, "--note", "pairing", "--json")
    assert logged.code == 0, logged.err
    assert {k: logged.json[k] for k in ("card_title", "started_at", "seconds", "note", "sync")} == {
        "card_title": title("3"),
        "started_at": "2026-11-20T08:00:00Z",  # ends now
        "seconds": 5400,
        "note": "pairing",
        "sync": "local",
    }
    span = cardboard("time", "log", "3", "13:00-14:30", "--board", DEMO, "--date", "2026-11-18")
    assert span.out == f"logged {title('3')} (local): 1h 30m, local\n"
    earlier = cardboard(
        "time", "log", "3", "45m", "--board", DEMO, "--date", "2026-11-18", "--json"
    )
    assert earlier.json["started_at"] == "2026-11-18T14:30:00Z"  # after that day's last entry


@pytest.mark.parametrize(
    ("duration", "fragment"),
    [
        ("soon", "DURATION: 'soon' is not a duration: expected e.g. 1h30m"),
        ("0m", "DURATION: '0m' is no time at all"),
        ("14:30-13:00", "DURATION: '14:30-13:00' ends before it starts"),
    ],
)
def test_a_bad_duration_is_a_usage_error(cardboard: Cardboard, duration: str, fragment: str):
    assert_usage_error(cardboard("time", "log", "3", duration, "--board", DEMO), fragment)
    assert cardboard("time", "report", "--json").json == []


@pytest.mark.parametrize(
    "argv",
    [
        ("time", "log", "3", "1h", "--board", DEMO, "--date", "friday"),
        ("time", "report", "--since", "2026-13-01"),
        ("time", "report", "--by", "week"),
        ("time", "report", "--json", "--csv"),
    ],
)
def test_bad_options_exit_2(cardboard: Cardboard, argv: tuple[str, ...]):
    assert cardboard(*argv).code == 2


def test_since_after_until_is_a_usage_error(cardboard: Cardboard):
    run = cardboard("time", "report", "--since", "2026-11-20", "--until", "2026-11-19")
    assert_usage_error(run, "--since 2026-11-20 is after --until 2026-11-19")


# --- reports ----------------------------------------------------------------------------


@pytest.fixture
def logged(cardboard: Cardboard) -> None:
    for card, duration, day in [
        ("1", "30m", "2026-11-17"),
        ("1", "1h", "2026-11-18"),
        ("2", "15m", "2026-11-18"),
        ("2", "2h", "2026-11-20"),
    ]:
        assert cardboard("time", "log", card, duration, "--board", DEMO, "--date", day).code == 0


def test_report_json_by_day_within_since_and_until(cardboard: Cardboard, logged):
    run = cardboard("time", "report", "--since", "2026-11-18", "--until", "2026-11-19", "--json")
    assert run.json == [
        {"key": "2026-11-18", "label": "Wed 2026-11-18", "seconds": 4500, "entries": 2},
    ]


def test_report_csv_by_card(cardboard: Cardboard, logged):
    run = cardboard("time", "report", "--by", "card", "--csv")
    assert list(csv.DictReader(io.StringIO(run.out))) == [
        {"key": f"local/{DEMO}/2", "label": title("2"), "seconds": "8100", "entries": "2"},
        {"key": f"local/{DEMO}/1", "label": title("1"), "seconds": "5400", "entries": "2"},
    ]


def test_report_by_board_names_the_board(cardboard: Cardboard, logged):
    run = cardboard("time", "report", "--by", "board", "--json")
    assert run.json == [
        {"key": f"local/{DEMO}", "label": "local › Cardboard demo", "seconds": 13500, "entries": 4}
    ]


def test_report_text_has_a_total(cardboard: Cardboard, logged):
    run = cardboard("time", "report", "--by", "account")
    assert [line.split() for line in run.out.splitlines()] == [
        ["local", "3h", "45m", "4"],
        ["total", "3h", "45m", "4"],
    ]


# --- sync to a service ------------------------------------------------------------------


class TimeLogsDown(httpx.AsyncBaseTransport):
    """The fake, except that its time-logs answer 503 while `down` (the cards still load)."""

    def __init__(self, inner: httpx.AsyncBaseTransport):
        self.inner = inner
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down and "/time-logs" in request.url.path:
            return httpx.Response(503, json={"message": "maintenance"})
        return await self.inner.handle_async_request(request)


@pytest.fixture
def kaiten(monkeypatch: pytest.MonkeyPatch) -> tuple[KaitenFake, TimeLogsDown]:
    """An account "work" on a Kaiten fake, reached in-process on virtual time."""
    fake = KaitenFake(rate_limit=None)
    transport = TimeLogsDown(fake.transport())
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(
        f'[accounts.work]\nprovider = "kaiten"\nurl = "{fake.base_url}"\n'
        'allow_insecure = true\ntoken_env = "KAITEN_TOKEN"\n'
    )
    monkeypatch.setenv("KAITEN_TOKEN", fake.token)
    monkeypatch.setattr(http, "SystemClock", FakeClock)
    monkeypatch.setattr(common, "connect", lambda name=None: connect(name, transport=transport))
    return fake, transport


def kaiten_args(fake: KaitenFake, title: str) -> list[str]:
    card = next(c for c in fake.cards.values() if c["title"] == title)
    return [str(card["id"]), "--board", str(card["board_id"]), "--account", "work"]


def test_time_logged_while_kaiten_is_down_reaches_it_once_it_is_back(
    cardboard: Cardboard, kaiten: tuple[KaitenFake, TimeLogsDown], frozen
):
    fake, outage = kaiten
    outage.down = True
    dark_theme = kaiten_args(fake, "Dark theme")
    down = cardboard("time", "log", *dark_theme, "25m", "--note", "triage", "--json")
    assert down.code == 0, down.err  # kept and queued: not a failure of the command
    assert down.json["sync"] == "pending"
    assert "HTTP 503 Service Unavailable" in down.json["sync_error"]
    assert "maintenance" in down.json["sync_error"]  # the service's own words
    status = cardboard("time", "status", "--json").json
    assert [entry["id"] for entry in status["unsynced"]] == [down.json["id"]]
    outage.down = False
    frozen.advance(minutes=1)
    back = cardboard("time", "log", *kaiten_args(fake, "Timer persistence"), "10m", "--json")
    assert back.json["sync"] == "synced"
    for entry_id, minutes in ((down.json["id"], 25), (back.json["id"], 10)):
        marker = f"[cardboard:{entry_id}]"
        logs = [log for log in fake.time_logs.values() if marker in (log["comment"] or "")]
        assert [log["time_spent"] for log in logs] == [minutes]
    assert cardboard("time", "status", "--json").json["unsynced"] == []


def test_a_timer_on_kaiten_is_logged_when_it_stops(
    cardboard: Cardboard, kaiten: tuple[KaitenFake, TimeLogsDown], frozen
):
    fake, _ = kaiten
    assert cardboard("time", "start", *kaiten_args(fake, "Dark theme")).code == 0
    frozen.advance(minutes=40)
    stopped = cardboard("time", "stop", "--json").json
    assert (stopped["sync"], stopped["card_title"]) == ("synced", "Dark theme")
    log = fake.time_logs[int(stopped["remote_id"])]
    assert (log["time_spent"], log["for_date"]) == (40, "2026-11-20")


# --- sanity: long or future entries need --force ----------------------------------------


def config(text: str) -> None:
    paths.config_file().parent.mkdir(parents=True, exist_ok=True)
    paths.config_file().write_text(text)


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (["25h"], "25h is longer than the 24h an entry may last; --force logs it anyway"),
        (["1h", "--date", "2026-11-21"], "which is still to come; --force logs it anyway"),
        (["09:00-10:00"], "would end at 2026-11-20 10:00, which is still to come"),
    ],
)
def test_a_long_or_future_entry_is_refused_unless_forced(
    cardboard: Cardboard, argv: list[str], fragment: str
):
    assert_usage_error(cardboard("time", "log", "3", *argv, "--board", DEMO), fragment)
    assert cardboard("time", "report", "--json").json == []
    forced = cardboard("time", "log", "3", *argv, "--board", DEMO, "--force", "--json")
    assert forced.code == 0, forced.err
    assert cardboard("time", "report", "--json").json[0]["entries"] == 1


def test_the_longest_entry_is_configurable(cardboard: Cardboard):
    config("[time]\nmax_entry_hours = 2\n")
    assert_usage_error(
        cardboard("time", "log", "3", "3h", "--board", DEMO), "longer than the 2h an entry"
    )
    assert cardboard("time", "log", "3", "2h", "--board", DEMO).code == 0


def test_a_bad_rounding_names_the_config_file_and_line(cardboard: Cardboard):
    config('theme = "cardboard-dark"\n[time]\nrounding = "sideways"\n')
    assert_usage_error(
        cardboard("time", "log", "3", "1h", "--board", DEMO),
        f"{paths.config_file()}:3: time.rounding",
    )


def test_minutes_sent_to_kaiten_follow_the_configured_rounding(
    cardboard: Cardboard, kaiten: tuple[KaitenFake, TimeLogsDown]
):
    fake, _ = kaiten
    config('[time]\nrounding = "up"\n')
    run = cardboard("time", "log", *kaiten_args(fake, "Dark theme"), "08:00-08:20", "--json")
    assert run.code == 0, run.err
    assert fake.time_logs[int(run.json["remote_id"])]["time_spent"] == 20
    short = cardboard("time", "log", *kaiten_args(fake, "Dark theme"), "45s", "--json")
    assert (short.json["sync"], short.json["remote_id"]) == ("local", None)
