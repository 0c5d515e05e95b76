"""Snoozed cards stay hidden until their day, survive a restart, and wake on undo."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tui.core.snooze import Snoozes

TODAY = date(2026, 11, 20)


def test_a_snooze_hides_a_card_until_its_day_and_survives_a_restart(tmp_path: Path):
    path = tmp_path / "snoozed.db"
    snoozes = Snoozes(path)
    snoozes.snooze("work", "b1", "c1", TODAY + timedelta(days=3))
    snoozes.snooze("work", "b2", "c9", TODAY + timedelta(days=3))
    snoozes.close()
    again = Snoozes(path)
    assert again.sleeping("work", "b1", TODAY) == {"c1": TODAY + timedelta(days=3)}
    assert again.sleeping("work", "b1", TODAY + timedelta(days=2)) == {"c1": date(2026, 11, 23)}
    assert again.sleeping("work", "b1", TODAY + timedelta(days=3)) == {}
    assert again.sleeping("home", "b1", TODAY) == {}


def test_snoozing_again_moves_the_day_and_waking_ends_it(tmp_path: Path):
    snoozes = Snoozes(tmp_path / "snoozed.db")
    snoozes.snooze("work", "b1", "c1", TODAY + timedelta(days=1))
    snoozes.snooze("work", "b1", "c1", TODAY + timedelta(days=7))
    assert snoozes.sleeping("work", "b1", TODAY) == {"c1": TODAY + timedelta(days=7)}
    snoozes.wake("work", "b1", "c1")
    assert snoozes.sleeping("work", "b1", TODAY) == {}


def test_the_default_file_is_in_the_data_dir(private_dirs: Path):
    snoozes = Snoozes()
    assert snoozes.path == private_dirs / "data" / "snoozed.db"
    snoozes.close()
