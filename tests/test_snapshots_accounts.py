"""The accounts screen, the account form and the quick switcher, at 80x24 and 160x48.

Built like tests/test_snapshots.py: the app from `build_app`, the clock frozen. The
accounts come from an accounts.toml and the statuses from a remembered ui-state.json,
both written here, so every state a row can be in is on screen and nothing is
fetched. Accept a change with `pytest --snapshot-update` only after looking at the SVGs.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import NOW
from tests.support.snapshots import SIZES, after
from tui.core import paths
from tui.core.account_status import AccountStatus, Health
from tui.core.ui_state import UiState, save_ui_state
from tui.ui.app import build_app

ACCOUNTS = """\
[accounts.work]
provider = "kaiten"
url = "https://acme.kaiten.ru/api/v1"
token_env = "KAITEN_TOKEN"

[accounts.client]
provider = "kanbantool"
url = "https://client.kanbantool.com/api/v1"
token = "not-shown-anywhere"

[accounts.home]
provider = "kanbert"
token_cmd = ["pass", "show", "kanbert"]

[accounts.studio]
provider = "kitchen"
keyring = true

[accounts.studio.options]
workspace = "studio"
"""

STATUSES = {
    "local": AccountStatus(health=Health.OK, user="ada", synced_at=NOW - timedelta(minutes=2)),
    "work": AccountStatus(
        health=Health.OK, user="Ada Okafor", checked_at=NOW - timedelta(hours=3),
        synced_at=NOW - timedelta(minutes=25),
    ),
    "client": AccountStatus(
        health=Health.TOKEN_REJECTED,
        detail="token rejected for account 'client' by KanbanTool (HTTP 401): Invalid API token",
        checked_at=NOW - timedelta(minutes=7), synced_at=NOW - timedelta(days=4),
    ),
    "home": AccountStatus(
        health=Health.UNREACHABLE,
        detail="account 'home' is unreachable: Kanbert (home): GET /api/v1/me could not connect: "
        "All connection attempts failed",
        checked_at=NOW - timedelta(hours=1),
    ),
}  # fmt: skip
"""Every state but "not checked", which the kitchen account shows."""


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture(autouse=True)
def accounts() -> None:
    paths.accounts_file().parent.mkdir(parents=True)
    paths.accounts_file().write_text(ACCOUNTS)
    assert save_ui_state(UiState(account_status=STATUSES)) is None


@pytest.fixture(params=SIZES.values(), ids=SIZES.keys())
def size(request) -> tuple[int, int]:
    return request.param


def shows(snap_compare, size, *keys: str) -> bool:
    return snap_compare(build_app(remember=False), terminal_size=size, run_before=after(*keys))


def test_accounts_screen_with_a_rejected_token_highlighted(snap_compare, size):
    assert shows(snap_compare, size, "A", "j", "j")


def test_new_account_form(snap_compare, size):
    assert shows(snap_compare, size, "A", "a")


def test_edit_account_form_refusing_plain_http(snap_compare, size):
    async def run(pilot) -> None:
        await after("A", "j", "e")(pilot)
        pilot.app.screen.query_one("#url").value = "http://kaiten.lan/api/v1"
        await after("ctrl+s")(pilot)

    assert snap_compare(build_app(remember=False), terminal_size=size, run_before=run)


def test_quick_switcher(snap_compare, size):
    assert shows(snap_compare, size, "at")
