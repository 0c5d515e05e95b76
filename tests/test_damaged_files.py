"""Damaged files: a garbage time journal turns time tracking off (the boards still open);
an empty local.db is reported, never silently replaced by a fresh demo board."""

from __future__ import annotations

import pytest

from tests.support.cli import DEMO
from tests.support.pilot import notifications, press, record_notifications, settled
from tui.core import paths
from tui.core.errors import DatabaseError
from tui.core.provider import Connection
from tui.providers.local import LocalProvider
from tui.ui.app import build_app
from tui.ui.screens.board import BoardScreen

GARBAGE = b"this is no SQLite file " * 200


@pytest.fixture
def damaged_journal() -> bytes:
    journal = paths.journal_database()
    journal.parent.mkdir(parents=True, exist_ok=True)
    journal.write_bytes(GARBAGE)
    return GARBAGE


TIME_COMMANDS = {
    "start": ["time", "start", "1", "--board", DEMO],
    "stop": ["time", "stop"],
    "status": ["time", "status"],
    "log": ["time", "log", "1", "10m", "--board", DEMO],
    "report": ["time", "report"],
}


@pytest.mark.parametrize("argv", TIME_COMMANDS.values(), ids=TIME_COMMANDS.keys())
def test_time_commands_on_a_damaged_journal_say_so_in_one_line_and_exit_1(
    cardboard, damaged_journal, argv
):
    run = cardboard(*argv)
    assert run.code == 1, run
    assert run.out == ""
    assert run.err.count("\n") == 1 and "Traceback" not in run.err
    assert f"{paths.journal_database()}" in run.err and "time tracking is off" in run.err
    assert paths.journal_database().read_bytes() == damaged_journal, "left for the user"


def test_the_boards_still_work_from_the_cli(cardboard, damaged_journal):
    assert cardboard("cards", "--board", DEMO).code == 0


async def test_the_tui_opens_the_board_and_says_time_is_off(damaged_journal):
    app = record_notifications(build_app(remember=False))
    async with app.run_test(size=(100, 30)) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, BoardScreen)
        assert app.store.state.board is not None
        told = list(notifications(app))
        assert any("Time tracking is off" in message for message in told), told
        await press(pilot, "t")
        after_t = notifications(app)[len(told) :]
        assert any("time tracking is off" in message for message in after_t), after_t
        await press(pilot, "T")
        assert isinstance(app.screen, BoardScreen), "the time screen stays closed"
    assert paths.journal_database().read_bytes() == damaged_journal


# --- an empty local.db --------------------------------------------------------------------


@pytest.fixture
def empty_local_db():
    database = paths.local_database()
    database.parent.mkdir(parents=True, exist_ok=True)
    database.write_bytes(b"")
    return database


async def test_an_empty_local_db_is_refused_naming_it(empty_local_db):
    provider = LocalProvider(Connection(account="local", data_dir=paths.data_dir()))
    try:
        with pytest.raises(DatabaseError, match=r"local\.db is empty \(0 bytes\)") as raised:
            await provider.list_boards()
        assert str(empty_local_db) in str(raised.value)
    finally:
        await provider.aclose()
    assert empty_local_db.read_bytes() == b"", "not replaced by a demo board"


def test_the_cli_reports_an_empty_local_db(cardboard, empty_local_db):
    run = cardboard("boards")
    assert run.code == 1
    assert run.err.count("\n") == 1 and str(empty_local_db) in run.err
    assert empty_local_db.read_bytes() == b""
