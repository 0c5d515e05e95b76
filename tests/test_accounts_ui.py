"""Accounts in the TUI, tried as a new user would: add one, see it connect, switch, break it.

The app is built by `build_app` like `cardboard` builds it, on the user's (private)
files; its one seam, `app.connect_account`, hands every provider the Kaiten fake's
in-process transport instead of the network. The HTTP client's clock is virtual, so
nothing really waits.
"""

from __future__ import annotations

import functools
import stat

import pytest
from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import NOW
from tests.fakes.kaiten import KaitenFake
from tests.support.clock import FakeClock
from tests.support.pilot import notifications, press, record_notifications, settled
from tui.core import paths
from tui.core.account_status import Health
from tui.core.config import load_accounts
from tui.core.connect import LOCAL, connect
from tui.core.plugins import load_provider
from tui.core.ui_state import load_ui_state
from tui.providers import http
from tui.ui.app import CardboardApp, build_app
from tui.ui.commands import keyed_actions
from tui.ui.screens.account_form import AccountFormScreen
from tui.ui.screens.accounts import AccountsScreen
from tui.ui.screens.board import BoardScreen
from tui.ui.screens.card import CardScreen
from tui.ui.screens.dialogs import ConfirmScreen
from tui.ui.screens.switcher import SwitcherScreen
from tui.ui.widgets.status_bar import StatusBar

SIZE = (120, 36)


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> KaitenFake:
    monkeypatch.setattr(http, "SystemClock", FakeClock)
    return KaitenFake(rate_limit=None)


def make_app(fake: KaitenFake, *, remember: bool = False) -> CardboardApp:
    app = build_app(remember=remember)
    app.connect_account = functools.partial(connect, transport=fake.transport())
    return record_notifications(app)


@pytest.fixture
def app(fake: KaitenFake) -> CardboardApp:
    return make_app(fake)


def write_accounts(text: str) -> None:
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(text)


def kaiten_account(fake: KaitenFake, name: str = "work", token: str | None = None) -> str:
    return (
        f'[accounts.{name}]\nprovider = "kaiten"\nurl = "{fake.base_url}"\n'
        f'allow_insecure = true\ntoken = "{token or fake.token}"\n'
    )


async def type_into(pilot, selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, Input)
    field.focus()
    field.value = text
    await settled(pilot)


async def choose(pilot, selector: str, value: object) -> None:
    pilot.app.screen.query_one(selector, Select).value = value
    await settled(pilot)


def row(app: CardboardApp, name: str) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(cell) for cell in table.get_row(name)]


def detail(app: CardboardApp) -> str:
    return str(app.screen.query_one("#detail", Static).render())


def status_bar_text(app: CardboardApp) -> str:
    """The status bar's text, whatever Static widgets it is made of."""
    bar = app.screen.query_one(StatusBar)
    return " ".join(
        str(part.render()) for part in [bar, *bar.query(Static)] if isinstance(part, Static)
    )


async def open_accounts(pilot) -> AccountsScreen:
    await settled(pilot)
    await press(pilot, "A")
    assert isinstance(pilot.app.screen, AccountsScreen)
    return pilot.app.screen


async def add_kaiten(pilot, fake: KaitenFake, name: str = "work") -> None:
    await press(pilot, "a")
    assert isinstance(pilot.app.screen, AccountFormScreen)
    await type_into(pilot, "#name", name)
    await choose(pilot, "#provider", "kaiten")
    await type_into(pilot, "#url", fake.base_url)
    pilot.app.screen.query_one("#allow-insecure").value = True
    await type_into(pilot, "#token", fake.token)
    await press(pilot, "ctrl+s")


# --- the new user's path --------------------------------------------------------------


async def test_a_new_user_adds_a_kaiten_account_sees_it_connect_switches_to_it_and_back(app, fake):
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert isinstance(app.screen, BoardScreen) and app.state.account == LOCAL
        assert "A: add an account" in status_bar_text(app)

        await open_accounts(pilot)
        await add_kaiten(pilot, fake)

        assert isinstance(app.screen, AccountsScreen)
        assert row(app, "work")[1:3] == ["kaiten", "✓ ok"]
        assert detail(app).startswith("ok: Alex Morgan")
        assert fake.count("GET", "/users/current") == 1
        saved = load_accounts()
        assert [a.name for a in saved] == ["work"] and saved[
            0
        ].token.get_secret_value() == fake.token
        assert stat.S_IMODE(paths.accounts_file().stat().st_mode) == 0o600

        await press(pilot, "enter")  # the highlighted row: the account just added
        assert isinstance(app.screen, BoardScreen)
        assert app.state.account == "work" and app.state.board.board.name == "Development"
        assert "add an account" not in status_bar_text(app)

        await press(pilot, "at")
        assert isinstance(app.screen, SwitcherScreen)
        await press(pilot, *"loc", "enter")
        assert isinstance(app.screen, BoardScreen)
        assert app.state.account == LOCAL and app.state.board.board.name == "Cardboard demo"


async def test_a_board_that_loads_marks_its_account_synced(app, fake):
    write_accounts(kaiten_account(fake))
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        assert app.account_status("work").synced_at is None
        app.open_account("work")
        await settled(pilot)
        status = app.account_status("work")
        assert status.health is Health.OK and status.synced_at == NOW
        await open_accounts(pilot)
        assert row(app, "work")[2:4] == ["✓ ok", "just now"]
        assert row(app, "work")[0] == "● work"


async def test_a_broken_token_marks_the_account_and_the_app_keeps_running(app, fake):
    write_accounts(kaiten_account(fake))
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await press(pilot, "e")
        form = app.screen
        assert isinstance(form, AccountFormScreen)
        assert form.query_one("#token", Input).value == ""  # never put back on screen
        await type_into(pilot, "#token", "not-the-token")
        await press(pilot, "ctrl+s")

        assert isinstance(app.screen, AccountsScreen)
        assert row(app, "work")[2] == "✗ token rejected"
        assert detail(app).startswith(
            "token rejected for account 'work' by Kaiten (HTTP 401): Invalid token"
        )

        await press(pilot, "enter")  # open it anyway: the board says why it cannot
        assert isinstance(app.screen, BoardScreen) and app.state.account == "work"
        assert app.state.board is None and "401" in app.state.error
        await press(pilot, "at", *"local", "enter")
        assert app.state.account == LOCAL and app.state.board is not None


async def test_t_tests_again_unreachable_then_ok(app, fake):
    write_accounts(kaiten_account(fake))
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        await press(pilot, "j")
        fake.faults.drop_before = 10
        await press(pilot, "t")
        assert row(app, "work")[2] == "⚠ unreachable"
        assert detail(app).startswith("account 'work' is unreachable: Kaiten")
        fake.faults.drop_before = 0  # back up
        await press(pilot, "t")
        assert row(app, "work")[2] == "✓ ok"


async def test_a_token_command_that_fails_is_a_setup_problem_naming_the_command(app, fake):
    write_accounts(
        f'[accounts.work]\nprovider = "kaiten"\nurl = "{fake.base_url}"\n'
        'allow_insecure = true\ntoken_cmd = ["false"]\n'
    )
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await press(pilot, "t")
        assert row(app, "work")[2] == "✗ setup problem"
        assert "token_cmd 'false': exited with status 1" in detail(app)
        await press(pilot, "enter")  # the switch fails and says why; nothing changes
        assert app.state.account == LOCAL and isinstance(app.screen, AccountsScreen)


async def test_statuses_are_remembered_between_runs(fake):
    write_accounts(kaiten_account(fake))
    app = make_app(fake, remember=True)
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await press(pilot, "t")
    remembered, _ = load_ui_state()
    assert remembered.account_status["work"].health is Health.OK
    assert remembered.account_status["work"].user == "Alex Morgan"

    again = make_app(fake)
    async with again.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        assert row(again, "work")[2] == "✓ ok"


# --- the form -------------------------------------------------------------------------


async def test_the_form_shows_the_providers_declared_options_with_the_token_masked(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        await press(pilot, "a")
        form = app.screen
        await choose(pilot, "#provider", "kitchen")
        labels = [str(label.render()) for label in form.query("#provider-fields Label")]
        declared = [option.label for option in load_provider("kitchen").options]
        assert labels == [f"{label}, from" if label == "API token" else label for label in declared]
        assert len(declared) > 3  # more than the url and the token: options of its own
        assert form.query_one("#token", Input).password
        await choose(pilot, "#provider", "local")
        assert [str(label.render()) for label in form.query("#provider-fields Label")] == [
            "Database file"
        ]
        assert not form.query("#token")


async def test_the_token_source_picks_which_field_shows_and_is_saved(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        await press(pilot, "a")
        form = app.screen
        await type_into(pilot, "#name", "ci")
        await choose(pilot, "#provider", "kanbert")
        await choose(pilot, "#token-source", "command")
        assert [w.id for w in form.query("#token, #token-env, #token-cmd") if w.display] == [
            "token-cmd"
        ]
        await type_into(pilot, "#token-cmd", "pass show 'kanbert token'")
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, AccountsScreen)
    saved = load_accounts()[0]
    assert saved.provider == "kanbert"
    assert saved.token_cmd == ["pass", "show", "kanbert token"] and saved.token is None


async def test_a_refused_save_says_why_and_keeps_what_was_typed(app):
    url = "http://example.com/api"  # plain http to another machine, not allowed
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        await press(pilot, "a")
        await type_into(pilot, "#name", "work")
        await type_into(pilot, "#url", url)
        await type_into(pilot, "#token", "typed-token")
        await press(pilot, "ctrl+s")

        form = app.screen
        assert isinstance(form, AccountFormScreen)
        assert str(form.query_one("#form-error", Static).render()) == (
            "url: plain http:// to example.com would send the token unencrypted; "
            "use https:// or set allow_insecure = true"
        )
        assert form.query_one("#name", Input).value == "work"
        assert form.query_one("#url", Input).value == url
        assert form.query_one("#token", Input).value == "typed-token"

        form.query_one("#allow-insecure").value = True
        await press(pilot, "ctrl+s")
        assert isinstance(app.screen, AccountsScreen)
    assert load_accounts()[0].allow_insecure


async def test_a_duplicate_name_is_refused_and_the_file_is_left_alone(app, fake):
    write_accounts(kaiten_account(fake))
    before = paths.accounts_file().read_bytes()
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        await add_kaiten(pilot, fake, name="work")
        assert isinstance(app.screen, AccountFormScreen)
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error == "an account named 'work' already exists"
    assert paths.accounts_file().read_bytes() == before


async def test_a_broken_accounts_file_is_shown_and_never_overwritten(app, fake):
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        write_accounts('[accounts.work]\nprovider = "kaiten"\nurl = 12\n')
        app.screen.reload()
        await settled(pilot)
        problem = str(app.screen.query_one("#problem", Static).render())
        assert f"{paths.accounts_file()}:3: accounts.work.url" in problem
        await add_kaiten(pilot, fake, name="home")
        error = str(app.screen.query_one("#form-error", Static).render())
        assert error.startswith(f"{paths.accounts_file()}:3: accounts.work.url")
        assert error.endswith("(fix it first: accounts were not saved)")
    assert paths.accounts_file().read_text() == '[accounts.work]\nprovider = "kaiten"\nurl = 12\n'


async def test_escape_on_a_changed_form_asks_before_losing_it(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        await press(pilot, "a")
        await type_into(pilot, "#name", "half-typed")
        await press(pilot, "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert app.screen.query_one("#name", Input).value == "half-typed"
        await press(pilot, "escape", "y")
        assert isinstance(app.screen, AccountsScreen)


# --- remove and switch ----------------------------------------------------------------


async def test_remove_asks_first_then_the_account_is_gone(app, fake):
    write_accounts(kaiten_account(fake) + kaiten_account(fake, name="other"))
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        app.screen.query_one(DataTable).move_cursor(row=1)
        await press(pilot, "d")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert [a.name for a in load_accounts()] == ["work", "other"]
        await press(pilot, "d", "y")
        assert [a.name for a in load_accounts()] == ["other"]
        assert [a.name for a in app.accounts] == [LOCAL, "other"]


async def test_the_open_account_cannot_be_removed(app):
    async with app.run_test(size=SIZE) as pilot:
        await open_accounts(pilot)
        await press(pilot, "d")
        assert isinstance(app.screen, AccountsScreen)
        assert notifications(app) == ["local is open: switch to another account first."]


async def test_the_switcher_filters_by_name_and_provider(app, fake):
    write_accounts(kaiten_account(fake) + '[accounts.notes]\nprovider = "local"\n')
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await press(pilot, "at")
        switcher = app.screen
        options = switcher.query_one("#accounts")
        assert options.option_count == 3 and options.highlighted_option.id == LOCAL
        await press(pilot, *"kait")
        assert [options.get_option_at_index(i).id for i in range(options.option_count)] == ["work"]
        await press(pilot, "escape")
        assert isinstance(app.screen, BoardScreen) and app.state.account == LOCAL


async def test_both_keys_work_from_the_card_screen_and_do_not_stack(app):
    async with app.run_test(size=SIZE) as pilot:
        await settled(pilot)
        await press(pilot, "enter")
        assert isinstance(app.screen, CardScreen)
        await press(pilot, "A", "A")  # the second: "A: add an account", as the hint says
        assert sum(isinstance(s, AccountsScreen) for s in app.screen_stack) == 1
        assert isinstance(app.screen, AccountFormScreen)
        await press(pilot, "escape", "at", "at")
        assert sum(isinstance(s, SwitcherScreen) for s in app.screen_stack) == 1
        # every key is a command: the palette and the help screen offer these two
        ids = {action.binding.id for action in keyed_actions(app.screen_stack[1])}
        assert {"app.accounts", "app.switch_account"} <= ids
