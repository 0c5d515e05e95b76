"""What the app remembers between runs: never fatal, always written whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tui.core.account_status import AccountStatus, Health
from tui.core.ui_state import UiState, load_ui_state, save_ui_state


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CARDBOARD_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def test_nothing_remembered_yet_means_the_defaults(data_dir: Path) -> None:
    assert load_ui_state() == (UiState(), None)
    assert UiState() == UiState(theme=None, last_account=None, last_board={})


def test_saved_state_is_read_back_from_the_data_dir(data_dir: Path) -> None:
    state = UiState(theme="cardboard-light").with_board("work", "b-7").with_board("home", "3")

    assert save_ui_state(state) is None

    assert (data_dir / "ui-state.json").is_file()
    assert [entry.name for entry in data_dir.iterdir()] == ["ui-state.json"]
    assert load_ui_state() == (state, None)
    assert state.last_account == "home"
    assert state.last_board == {"work": "b-7", "home": "3"}


def test_opening_a_board_leaves_the_old_state_alone() -> None:
    before = UiState(last_board={"work": "1"})

    after = before.with_board("work", "2")

    assert before.last_board == {"work": "1"} and before.last_account is None
    assert after.last_board == {"work": "2"} and after.last_account == "work"


@pytest.mark.parametrize(
    "content",
    [
        '{"theme": "cardboard-dark", "last_bo',
        '{"last_board": ["not", "a", "map"]}',
        "\xff\xfe",
        '{"theme": 7}',
        '{"last_board": {"work": 7}}',
        '["a list"]',
        '{"account_status": {"work": {"health": "sleepy"}}}',
        '{"account_status": {"work": {"checked_at": "yesterday"}}}',
    ],
)
def test_a_corrupt_file_gives_the_defaults_and_a_warning(data_dir: Path, content: str) -> None:
    data_dir.mkdir()
    (data_dir / "ui-state.json").write_text(content, encoding="latin-1")

    state, warning = load_ui_state()

    assert state == UiState()
    assert warning is not None and warning.startswith(f"{data_dir / 'ui-state.json'}: ")


def test_keys_from_a_newer_version_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    path.write_text('{"theme": "cardboard-16", "sidebar_width": 30}')

    assert load_ui_state(path) == (UiState(theme="cardboard-16"), None)


def test_a_state_that_cannot_be_saved_is_a_warning_not_an_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")

    warning = save_ui_state(UiState(theme="x"), blocker / "ui-state.json")

    assert warning is not None and warning.startswith(f"{blocker / 'ui-state.json'}: cannot save")


def test_saving_replaces_the_previous_state(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    save_ui_state(UiState(theme="one", last_board={"a": "1"}), path)

    save_ui_state(UiState(theme="two"), path)

    assert load_ui_state(path) == (UiState(theme="two"), None)


def test_account_statuses_and_their_moments_survive_a_save(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    checked = datetime(2026, 11, 30, 9, 15, 2, 123456, tzinfo=UTC)
    synced = datetime(2026, 11, 30, 11, 0, tzinfo=timezone(timedelta(hours=3)))
    statuses = {
        "work": AccountStatus(health=Health.OK, user="Ada", checked_at=checked, synced_at=synced),
        "home": AccountStatus(health=Health.UNREACHABLE, detail="account 'home' is unreachable"),
    }
    state = UiState(last_account="work", account_status=statuses)

    assert save_ui_state(state, path) is None

    assert load_ui_state(path) == (state, None)


def test_a_file_written_by_the_pydantic_version_is_read(tmp_path: Path) -> None:
    path = tmp_path / "ui-state.json"
    path.write_text(
        '{"theme": null, "last_account": "work", "last_board": {"work": "1"}, '
        '"account_status": {"work": {"health": "token rejected", "detail": "401", '
        '"user": null, "checked_at": "2026-11-30T09:15:02Z", "synced_at": null}}}'
    )

    state, warning = load_ui_state(path)

    assert warning is None
    assert state.account_status["work"] == AccountStatus(
        health=Health.TOKEN_REJECTED,
        detail="401",
        checked_at=datetime(2026, 11, 30, 9, 15, 2, tzinfo=UTC),
    )
