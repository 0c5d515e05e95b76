"""No token value ever shows: not on a screen, in the log, in an error, an export or a file
other than accounts.toml (which is then private: 0600).

A user adds a Kaiten account by typing its token, uses it, breaks it with another token
and looks at every screen on the way; both tokens are secrets and are then looked for
everywhere. Each place is also checked for something it must contain, so a search that
could not have found anything does not pass.
"""

from __future__ import annotations

import functools
import html
import re
import stat
import traceback

import pytest
from textual.widgets import DataTable, Input, Select

from tests.fakes.kaiten import KaitenFake
from tests.support.clock import FakeClock
from tests.support.pilot import press, settled
from tui.core import exchange, logs, paths
from tui.core.accounts import AccountFields, TokenSource, build_account
from tui.core.config import load_accounts
from tui.core.connect import connect
from tui.core.errors import AuthError, ConfigError
from tui.core.secret import Secret
from tui.providers import http
from tui.ui.app import build_app

TOKEN = "tok-Sekr3t-0f-the-w0rk-account"
WRONG = "tok-Wr0ng-but-st1ll-a-secret"
SECRETS = (TOKEN, WRONG)


pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> KaitenFake:
    monkeypatch.setattr(http, "SystemClock", FakeClock)
    return KaitenFake(token=TOKEN, rate_limit=None)


def screen_text(svg: str) -> str:
    """What a person reads in a screenshot: the SVG's text, without its markup."""
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")


def assert_no_secret(where: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a token shows in {where}"


async def test_a_user_adding_using_and_breaking_an_account_never_sees_a_token(fake):
    log_file = logs.setup_logging(debug=True)
    app = build_app(remember=True)
    app.connect_account = functools.partial(connect, transport=fake.transport())
    seen: list[str] = []

    async def look(pilot) -> None:
        await settled(pilot)
        seen.append(screen_text(app.export_screenshot()))

    async def press_and_look(pilot, *keys: str) -> None:
        for key in keys:
            await press(pilot, key)
            seen.append(screen_text(app.export_screenshot()))

    def field(selector: str) -> Input:
        return app.screen.query_one(selector, Input)

    async with app.run_test(size=(120, 36)) as pilot:
        await look(pilot)
        await press_and_look(pilot, "A", "a")
        field("#name").value = "work"
        field("#url").value = fake.base_url
        app.screen.query_one("#allow-insecure").value = True
        field("#token").focus()
        await pilot.press(*TOKEN[:4])  # typed, as a person would (the rest at once: keys are slow)
        field("#token").insert_text_at_cursor(TOKEN[4:])
        await look(pilot)
        assert field("#token").value == TOKEN
        await press_and_look(pilot, "ctrl+s")
        assert "✓ ok" in seen[-1] and "Alex Morgan" in seen[-1]

        app.screen.query_one(DataTable).move_cursor(row=1)
        await press_and_look(pilot, "e")
        assert field("#token").value == ""  # a stored token is never put back on screen
        app.screen.query_one("#token-source", Select).value = TokenSource.ENV
        field("#token-env").value = "KAITEN_VAR"
        await look(pilot)
        assert "KAITEN_VAR" in seen[-1]  # what a field shows is found: the search can fail
        app.screen.query_one("#token-source", Select).value = TokenSource.STORED
        field("#token").value = WRONG
        field("#url").value = "ftp://nowhere"
        await press_and_look(pilot, "ctrl+s")  # refused: the form shows why, with the token in it
        assert "must be an http:// or https:// URL" in seen[-1]
        field("#url").value = fake.base_url
        await press_and_look(pilot, "ctrl+s")
        assert "token rejected" in seen[-1] and "401" in seen[-1]

        await press_and_look(pilot, "at")
        app.screen.query_one("#filter", Input).value = "work"
        await press_and_look(pilot, "enter")  # opens the broken account: its board says why
        assert app.state.account == "work" and "401" in seen[-1]
        await press_and_look(pilot, "question_mark", "escape", "A", "escape")

    for number, text in enumerate(seen):
        assert_no_secret(f"screen #{number}", text)

    log_text = log_file.read_text(encoding="utf-8")
    assert "401" in log_text  # the failure was logged, the token was not
    assert_no_secret("the log", log_text)

    remembered = paths.ui_state_file().read_text()
    assert "token rejected" in remembered
    assert_no_secret("ui-state.json", remembered)

    assert load_accounts()[0].token.get_secret_value() == WRONG
    assert stat.S_IMODE(paths.accounts_file().stat().st_mode) == 0o600


async def test_errors_and_reprs_carry_no_token(fake):
    typed = AccountFields(
        name="work",
        provider="kaiten",
        url="http://kaiten.example/api",  # refused: plain http to another machine
        token_source=TokenSource.STORED,
        token=Secret(TOKEN),
    )
    with pytest.raises(ConfigError) as refused:
        build_account(typed)
    assert "plain http://" in str(refused.value)
    report = "".join(traceback.format_exception(refused.value))
    assert_no_secret("a refused account's traceback", report + repr(typed))

    write_account(fake, WRONG)
    provider = connect("work", transport=fake.transport())
    with pytest.raises(AuthError) as rejected:
        await provider.whoami()
    assert rejected.value.status == 401
    report = "".join(traceback.format_exception(rejected.value))
    assert_no_secret(
        "a rejected token's error", report + repr(provider) + repr(provider.connection)
    )
    assert_no_secret("the account", repr(load_accounts()))
    await provider.aclose()


def write_account(fake: KaitenFake, token: str) -> None:
    paths.accounts_file().parent.mkdir(parents=True)
    paths.accounts_file().write_text(
        f'[accounts.work]\nprovider = "kaiten"\nurl = "{fake.base_url}"\n'
        f'allow_insecure = true\ntoken = "{token}"\n'
    )


async def test_an_export_carries_no_token(fake):
    write_account(fake, TOKEN)
    provider = connect("work", transport=fake.transport())
    board_id = (await provider.list_boards())[0].id
    document = exchange.dump_document(await exchange.export_board(provider, board_id))
    await provider.aclose()
    assert "Development" in document
    assert_no_secret("an export", document)


def test_the_account_list_carries_no_token(fake, cardboard):
    write_account(fake, TOKEN)
    for argv in (("accounts",), ("accounts", "--json")):
        run = cardboard(*argv)
        assert "work" in run.out
        assert_no_secret(f"`cardboard {' '.join(argv)}`", run.out + run.err)
