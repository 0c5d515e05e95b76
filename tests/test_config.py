"""config.toml and accounts.toml: defaults, validation, one-line errors, safe saving."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tests.support.pilot import notifications, record_notifications
from tui.core.config import (
    AccountConfig,
    BoardSettings,
    Settings,
    TimeSettings,
    load_accounts,
    load_settings,
    save_accounts,
)
from tui.core.connect import connect
from tui.core.errors import ConfigError
from tui.core.models import Account
from tui.core.secret import Secret
from tui.core.toml_fields import InvalidTable, Problem
from tui.ui.app import build_app
from tui.ui.keymap import checked_keymap

SECRET = "tok-5ecret-value"


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CARDBOARD_CONFIG_DIR", str(tmp_path))
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def config_error(load, path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load(path)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --- config.toml -------------------------------------------------------------------


def test_a_missing_config_file_means_the_defaults(config_dir: Path) -> None:
    settings = load_settings()

    assert settings == Settings()
    assert settings.theme == "cardboard-dark"
    assert settings.default_account is None
    assert settings.board.column_widths == (22, 60)


def test_the_config_file_is_found_in_the_config_dir(config_dir: Path) -> None:
    write(
        config_dir / "config.toml",
        'theme = "cardboard-light"\n'
        'default_account = "work"\n'
        "\n"
        "[keymap]\n"
        '"board.move_right" = "L,shift+right"\n'
        "\n"
        "[board]\n"
        "card_width = 40\n",
    )

    settings = load_settings()

    assert settings.theme == "cardboard-light"
    assert settings.default_account == "work"
    assert settings.keymap == {"board.move_right": "L,shift+right"}
    assert settings.board == BoardSettings(card_width=40)


def test_a_value_out_of_bounds_names_the_line_and_the_field(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "x"\n\n[board]\ncard_width = 3\n')

    message = config_error(load_settings, path)

    assert message == (f"{path}:4: board.card_width: Input should be greater than or equal to 16")


def test_an_unknown_key_is_an_error_so_typos_surface(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "[board]\ncard_width = 20\ncard_wdith = 30\n")

    assert config_error(load_settings, path) == f"{path}:3: board.card_wdith: unknown key"


def test_a_dotted_keymap_id_is_quoted_in_the_message(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", '[keymap]\n"board.move_right" = 5\n')

    message = config_error(load_settings, path)

    assert message == f'{path}:2: keymap."board.move_right": Input should be a valid string'


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("default_account = 1\n", "1: default_account: Input should be a valid string"),
        ("board = 5\n", "1: board: Input should be a valid dictionary"),
        ('keymap = "E"\n', "1: keymap: Input should be a valid dictionary"),
        ('[keymap]\n"card.edit" = "E,"\n',
         """2: keymap."card.edit": 'E,' is not a list of keys like "L,shift+right\""""),
        ("[board]\nmax_column_width = 201\n",
         "2: board.max_column_width: Input should be less than or equal to 200"),
        ("[board]\n\ncard_width = 81\n",
         "3: board.card_width: Input should be less than or equal to 80"),
        ('[board]\ncard_width = "40"\n', "2: board.card_width: Input should be a valid integer"),
        ("[board]\ncard_width = 40.0\n", "2: board.card_width: Input should be a valid integer"),
        ("[board]\ncard_width = true\n", "2: board.card_width: Input should be a valid integer"),
        ("[board]\nmin_column_width = 50\nmax_column_width = 40\n",
         "1: board: min_column_width (50) is more than max_column_width (40)"),
        ("[time]\nmax_entry_hours = 0\n",
         "2: time.max_entry_hours: Input should be greater than 0"),
        ("[time]\nmax_entry_hours = 8785\n",
         "2: time.max_entry_hours: Input should be less than or equal to 8784"),
        ('[time]\nmax_entry_hours = "8"\n',
         "2: time.max_entry_hours: Input should be a valid number"),
        ('[time]\nrounding = "sideways"\n',
         "2: time.rounding: Input should be 'nearest', 'up' or 'down'"),
        ("[time]\nrounding = 1\n", "2: time.rounding: Input should be 'nearest', 'up' or 'down'"),
        ("[time]\nhours = 1\n", "2: time.hours: unknown key"),
    ],
)  # fmt: skip
def test_each_kind_of_bad_value_names_its_line_and_field(
    tmp_path: Path, text: str, problem: str
) -> None:
    path = write(tmp_path / "config.toml", text)

    assert config_error(load_settings, path) == f"{path}:{problem}"


def test_a_setting_not_given_keeps_its_default(tmp_path: Path) -> None:
    path = write(
        tmp_path / "config.toml", "[board]\nmax_column_width = 80\n[time]\nmax_entry_hours = 8\n"
    )

    settings = load_settings(path)

    assert settings.board == BoardSettings(max_column_width=80)
    assert settings.time == TimeSettings(max_entry_hours=8.0)
    assert isinstance(settings.time.max_entry_hours, float)


def test_malformed_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", 'theme = "x"\n[board]\ncard_width = \n')

    assert config_error(load_settings, path) == f"{path}:3: Invalid value"


def test_several_problems_are_still_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "config.toml", "theme = 1\n[board]\ncard_width = 2\n")

    assert config_error(load_settings, path) == (
        f"{path}:1: theme: Input should be a valid string (and 1 more)"
    )


def test_an_unreadable_config_file_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "config.toml").mkdir()

    assert config_error(load_settings, tmp_path / "config.toml").startswith(
        f"{tmp_path / 'config.toml'}: cannot read it"
    )


# --- accounts.toml: reading and validation -------------------------------------------


def test_a_missing_accounts_file_means_no_accounts(config_dir: Path) -> None:
    assert load_accounts() == []


def test_accounts_are_read_in_order_with_their_token_source(config_dir: Path) -> None:
    write(
        config_dir / "accounts.toml",
        "[accounts.work]\n"
        'provider = "kaiten"\n'
        'url = "https://team.kaiten.ru/api/latest"\n'
        'token_env = "KAITEN_TOKEN"\n'
        "\n"
        '[accounts."at home"]\n'
        'provider = "kanbert"\n'
        "token_cmd = \"pass show 'kanbert token'\"\n"
        "\n"
        '[accounts."at home".options]\n'
        'workspace = "family"\n',
    )

    work, home = load_accounts()

    assert (work.name, work.provider, work.token_env) == ("work", "kaiten", "KAITEN_TOKEN")
    assert work.url == "https://team.kaiten.ru/api/latest"
    assert home.name == "at home"
    assert home.token_cmd == ["pass", "show", "kanbert token"]
    assert home.options == {"workspace": "family"}


def test_a_problem_in_an_account_names_its_line_and_the_account(tmp_path: Path) -> None:
    path = write(
        tmp_path / "accounts.toml",
        '[accounts.a]\nprovider = "local"\n\n'
        '[accounts.b]\nprovider = "kaiten"\nurl = "ftp://example.com"\n',
    )

    assert config_error(load_accounts, path) == (
        f"{path}:6: accounts.b.url: must be an http:// or https:// URL"
    )


def test_a_bad_option_in_a_nested_table_names_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "accounts.toml",
        '[accounts.a]\nprovider = "local"\n\n'
        '[accounts."my b"]\nprovider = "kaiten"\n\n[accounts."my b".options]\nspace = 7\n',
    )

    assert config_error(load_accounts, path) == (
        f'{path}:8: accounts."my b".options.space: Input should be a valid string'
    )


def test_a_name_given_twice_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "accounts.toml",
        '[accounts.work]\nprovider = "local"\n\n[accounts.work]\nprovider = "kaiten"\n',
    )

    assert config_error(load_accounts, path) == (
        f"{path}:4: Cannot declare ('accounts', 'work') twice"
    )


def test_a_name_that_differs_from_its_table_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "accounts.toml", '[accounts.work]\nprovider = "local"\nname = "home"\n')

    assert config_error(load_accounts, path) == (
        f"{path}:3: accounts.work.name: the table's key is the name; remove this"
    )


def test_a_missing_field_points_at_the_account_table(tmp_path: Path) -> None:
    path = write(tmp_path / "accounts.toml", '# mine\n[accounts.a]\nurl = "https://a.io"\n')

    assert config_error(load_accounts, path) == f"{path}:2: accounts.a.provider: Field required"


def account_from(**fields: object) -> AccountConfig:
    """The account a table of `fields` (name "a" and provider "p" unless given) describes."""
    return AccountConfig.from_table({"name": "a", "provider": "p", **fields})


@pytest.mark.parametrize(
    ("fields", "where", "problem"),
    [
        ({"name": " "}, ("name",), "must not be blank"),
        ({"provider": ""}, ("provider",), "must not be blank"),
        ({"url": "example.com/api"}, ("url",), "must be an http:// or https:// URL"),
        ({"url": "https://me:pw@example.com"}, ("url",), "must not hold credentials"),
        ({"url": "http://example.com"}, (), "url: plain http:// to example.com"),
        ({"token_env": ""}, ("token_env",), "String should have at least 1 character"),
        ({"token_cmd": []}, ("token_cmd",), "must name a program"),
        ({"token_cmd": ""}, ("token_cmd",), "must name a program"),
        ({"token_cmd": "pass 'unclosed"}, ("token_cmd",), "No closing quotation"),
        ({"token_env": "T", "keyring": True}, (),
         "give one token source, not token_env and keyring"),
        ({"token_cmd": ["pass"], "token": SECRET}, (),
         "give one token source, not token_cmd and token"),
        ({"provider": "x", "colour": "red"}, ("colour",), "unknown key"),
    ],
)  # fmt: skip
def test_invalid_accounts_are_refused(fields: dict, where: tuple, problem: str) -> None:
    with pytest.raises(InvalidTable) as caught:
        account_from(**fields)

    (found,) = caught.value.problems
    assert found.location == where
    assert found.message.startswith(problem)


def test_each_field_of_the_wrong_type_is_a_problem_of_its_own() -> None:
    with pytest.raises(InvalidTable) as caught:
        AccountConfig.from_table(
            {"provider": 1, "token_cmd": ["pass", 2], "token": 3, "keyring": "yes", "options": []}
        )

    assert caught.value.problems == (
        Problem(("name",), "Field required"),
        Problem(("provider",), "Input should be a valid string"),
        Problem(("token_cmd", 1), "Input should be a valid string"),
        Problem(("token",), "Input should be a valid string"),
        Problem(("keyring",), "Input should be a valid boolean"),
        Problem(("options",), "Input should be a valid dictionary"),
    )


@pytest.mark.parametrize(
    "url",
    ["http://localhost:8000/api", "http://127.0.0.1:5000", "http://[::1]:8080/v1"],
)
def test_plain_http_to_this_machine_is_allowed(url: str) -> None:
    assert account_from(url=url).url == url


def test_plain_http_elsewhere_needs_allow_insecure() -> None:
    account = account_from(url="http://kanban.lan/api", allow_insecure=True)

    assert account.url == "http://kanban.lan/api"


def test_an_empty_stored_token_is_no_token() -> None:
    assert AccountConfig(name="a", provider="p", token=Secret("")).token is None
    assert account_from(token="", token_env="T").token is None  # and no second token source


def test_a_token_from_the_file_or_a_form_is_kept_secret() -> None:
    assert account_from(token=SECRET).token == Secret(SECRET)
    assert account_from(token=Secret(SECRET)).token == Secret(SECRET)


def test_to_account_keeps_everything_but_the_token_source() -> None:
    config = AccountConfig(
        name="work",
        provider="kaiten",
        url="https://x.kaiten.ru/api/latest",
        token=Secret(SECRET),
        options={"space": "7"},
    )

    assert config.to_account() == Account(
        name="work", provider="kaiten", url="https://x.kaiten.ru/api/latest", options={"space": "7"}
    )


# --- tokens never leak ---------------------------------------------------------------


def test_str_repr_and_json_of_an_account_hide_its_token() -> None:
    account = account_from(token=SECRET)

    for shown in (str(account), repr(account), str(account.token), repr(account.token)):
        assert SECRET not in shown
    assert account.token is not None and account.token.get_secret_value() == SECRET


def test_a_config_error_never_carries_the_token(tmp_path: Path) -> None:
    path = write(
        tmp_path / "accounts.toml",
        f'[accounts.a]\nprovider = "p"\ntoken = "{SECRET}"\ntoken_env = "X"\n',
    )

    with pytest.raises(ConfigError) as caught:
        load_accounts(path)

    assert str(caught.value) == (
        f"{path}:1: accounts.a: give one token source, not token_env and token"
    )
    # Nothing of the reading (whose frames hold the input, token included) is chained
    # for a traceback or a log line to print.
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


# --- accounts.toml: saving -----------------------------------------------------------


def test_saved_accounts_read_back_the_same(config_dir: Path) -> None:
    accounts = [
        AccountConfig(name="local", provider="local"),
        AccountConfig(name="kt", provider="kanbantool", token_cmd=["pass", "show", "kt"]),
        AccountConfig(
            name="kaiten",
            provider="kaiten",
            url="https://x.kaiten.ru/api/latest",
            token=Secret(SECRET),
            options={"space": "7"},
        ),
    ]

    save_accounts(accounts)

    assert load_accounts() == accounts
    assert load_accounts()[2].token == Secret(SECRET)


def test_defaults_and_absent_token_sources_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"

    save_accounts([AccountConfig(name="a", provider="local", token=Secret(""))], path)

    lines = [line for line in path.read_text().splitlines() if not line.startswith("#")]
    assert lines == ["[accounts.a]", 'provider = "local"']


def test_an_account_is_saved_as_the_keys_it_sets_in_field_order(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    account = AccountConfig(
        name="b",
        provider="kaiten",
        url="http://kanban.lan/api",
        token=Secret(SECRET),
        allow_insecure=True,
        options={"space": "7"},
    )

    save_accounts([account, AccountConfig(name="c", provider="p", token_cmd=["pass", "x y"])], path)

    assert path.read_text().splitlines()[1:] == [
        "[accounts.b]",
        'provider = "kaiten"',
        'url = "http://kanban.lan/api"',
        f'token = "{SECRET}"',
        "allow_insecure = true",
        "",
        "[accounts.b.options]",
        'space = "7"',
        "",
        "[accounts.c]",
        'provider = "p"',
        "token_cmd = [",
        '    "pass",',
        '    "x y",',
        "]",
    ]


def test_a_file_holding_a_token_is_private_whatever_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "deeper" / "accounts.toml"
    previous = os.umask(0)
    try:
        save_accounts([AccountConfig(name="a", provider="p", token=Secret(SECRET))], path)
    finally:
        os.umask(previous)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [entry.name for entry in path.parent.iterdir()] == ["accounts.toml"]


def test_saving_replaces_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"
    save_accounts(
        [AccountConfig(name="a", provider="p"), AccountConfig(name="b", provider="p")], path
    )

    save_accounts([AccountConfig(name="b", provider="p")], path)

    assert [account.name for account in load_accounts(path)] == ["b"]


def test_saving_refuses_to_overwrite_an_invalid_file(tmp_path: Path) -> None:
    path = write(tmp_path / "accounts.toml", "[accounts.a]\nprovider = \n")

    with pytest.raises(ConfigError, match=r"accounts.toml:2: Invalid value .*not saved"):
        save_accounts([AccountConfig(name="b", provider="p")], path)

    assert path.read_text() == "[accounts.a]\nprovider = \n"


def test_saving_refuses_duplicate_names(tmp_path: Path) -> None:
    path = tmp_path / "accounts.toml"

    with pytest.raises(ConfigError, match="account 'a' is defined twice"):
        save_accounts(
            [AccountConfig(name="a", provider="p"), AccountConfig(name="a", provider="q")], path
        )

    assert not path.exists()


# --- mistakes found after loading: keymap, default account, theme ----------------------


def keymap_error(config_dir: Path, text: str) -> str:
    """The one-line error build_app gives for config.toml holding `text`."""
    write(config_dir / "config.toml", text)
    with pytest.raises(ConfigError) as caught:
        build_app(remember=False)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_an_unknown_keymap_id_names_its_line_and_the_nearest_id(config_dir: Path) -> None:
    message = keymap_error(config_dir, 'theme = "x"\n\n[keymap]\n"board.opne" = "o"\n')

    assert message == (
        f'{config_dir / "config.toml"}:4: keymap."board.opne": no action has this id; '
        "did you mean board.open?"
    )


def test_a_key_given_twice_to_one_action_names_its_line(config_dir: Path) -> None:
    message = config_error(
        load_settings, write(config_dir / "c.toml", '[keymap]\n"card.edit" = "E, E"\n')
    )

    assert message.endswith('c.toml:2: keymap."card.edit": E is given twice')


def test_an_action_given_keys_twice_names_the_second_line(config_dir: Path) -> None:
    path = write(config_dir / "c.toml", '[keymap]\n"card.edit" = "E"\n"card.edit" = "F"\n')

    assert config_error(load_settings, path).endswith(
        "c.toml:3: a key given twice (each may appear once)"
    )


def test_taking_quit_s_key_is_refused_naming_quit(config_dir: Path) -> None:
    message = keymap_error(config_dir, '[keymap]\n"board.open" = "q"\n')

    assert message == (
        f'{config_dir / "config.toml"}:2: keymap."board.open": q is already the key of '
        "app.quit (Quit); rebind that too, or pick another key"
    )


def test_two_actions_of_one_screen_cannot_share_a_new_key(config_dir: Path) -> None:
    message = keymap_error(config_dir, '[keymap]\n"board.edit" = "E"\n"board.new" = "E"\n')

    assert ':2: keymap."board.edit": E is already the key of board.new (New)' in message


def test_an_app_wide_key_cannot_shadow_a_screen_s(config_dir: Path) -> None:
    message = keymap_error(config_dir, '[keymap]\n"app.help" = "e"\n')

    assert ':2: keymap."app.help": e is already the key of' in message


def test_a_key_is_free_once_its_action_is_rebound_and_screens_may_share_one(
    config_dir: Path,
) -> None:
    keymap = {"app.quit": "ctrl+q", "board.open": "q,enter", "board.edit": "E", "card.edit": "E"}

    assert checked_keymap(keymap, config_dir / "config.toml") == keymap


def test_keeping_a_default_key_is_no_clash(config_dir: Path) -> None:
    # The card screen's q closes it, over the app's q: the shipped default.
    assert checked_keymap({"card.close": "escape,q,x"}) == {"card.close": "escape,q,x"}


async def test_an_accepted_keymap_is_in_force(config_dir: Path) -> None:
    write(config_dir / "config.toml", '[keymap]\n"app.help" = "f1"\n"app.quit" = "ctrl+q"\n')
    app = build_app(remember=False)

    async with app.run_test() as pilot:
        await pilot.press("q")  # no longer quits
        assert app.is_running
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"


def test_an_unknown_default_account_names_the_file_and_line(config_dir: Path) -> None:
    write(config_dir / "config.toml", 'theme = "cardboard-dark"\ndefault_account = "ghost"\n')

    with pytest.raises(ConfigError) as caught:
        build_app(remember=False)

    assert str(caught.value) == (
        f"{config_dir / 'config.toml'}:2: default_account: no account named 'ghost'; "
        "accounts: local"
    )


def test_an_unknown_account_asked_for_on_the_command_line_is_not_blamed_on_the_file(
    config_dir: Path,
) -> None:
    write(config_dir / "config.toml", 'default_account = "local"\n')

    with pytest.raises(ConfigError, match=r"^no account named 'ghost'"):
        build_app("ghost", remember=False)


async def test_a_theme_not_installed_names_its_line(config_dir: Path) -> None:
    write(config_dir / "config.toml", '\ntheme = "no-such-theme"\n')
    app = record_notifications(build_app(remember=False))

    async with app.run_test() as pilot:
        await pilot.pause()

    assert (
        f"{config_dir / 'config.toml'}:2: theme: 'no-such-theme' is not installed; "
        "using cardboard-dark"
    ) in notifications(app)


def test_an_unknown_provider_names_the_line_in_accounts_toml(config_dir: Path) -> None:
    write(config_dir / "accounts.toml", '[accounts.work]\nprovider = "kaitn"\ntoken_env = "T"\n')

    with pytest.raises(ConfigError) as caught:
        connect("work")

    assert str(caught.value).startswith(
        f"{config_dir / 'accounts.toml'}:2: accounts.work.provider: unknown provider 'kaitn'"
    )
