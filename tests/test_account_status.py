"""Accounts without the UI: checking one, describing it, building one from declared options,
and changing accounts.toml one account at a time."""

from __future__ import annotations

import functools
import stat
import subprocess
from datetime import timedelta

import pytest

from tests.fakes.kaiten import KaitenFake
from tests.support.clock import NOW, FakeClock
from tui.core import paths
from tui.core.account_status import AccountStatus, Health, check_account, describe_time
from tui.core.accounts import (
    AccountFields,
    TokenSource,
    account_config,
    add_account,
    build_account,
    remove_account,
    update_account,
)
from tui.core.config import AccountConfig, load_accounts
from tui.core.connect import LOCAL, connect
from tui.core.errors import ConfigError
from tui.core.plugins import provider_names
from tui.core.secret import Secret
from tui.core.ui_state import UiState, load_ui_state, save_ui_state
from tui.providers import http

EARLIER = NOW - timedelta(days=3)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> KaitenFake:
    monkeypatch.setattr(http, "SystemClock", FakeClock)  # retries wait on virtual time
    return KaitenFake(rate_limit=None)


def write_accounts(text: str) -> None:
    paths.accounts_file().parent.mkdir(parents=True, exist_ok=True)
    paths.accounts_file().write_text(text)


def kaiten(fake: KaitenFake, source: str) -> str:
    return (
        f'[accounts.work]\nprovider = "kaiten"\nurl = "{fake.base_url}"\n'
        f"allow_insecure = true\n{source}\n"
    )


async def check(fake: KaitenFake, previous: AccountStatus | None = None) -> AccountStatus:
    through_fake = functools.partial(connect, transport=fake.transport())
    return await check_account("work", previous, through_fake, now=FakeClock())


# --- checking -------------------------------------------------------------------------


async def test_a_working_token_is_ok_and_names_its_user(fake):
    write_accounts(kaiten(fake, f'token = "{fake.token}"'))
    status = await check(fake)
    assert status == AccountStatus(health=Health.OK, user="Alex Morgan", checked_at=NOW)
    assert status.summary == "ok: Alex Morgan"


async def test_a_wrong_token_is_rejected_with_the_services_words_and_not_the_token(fake):
    write_accounts(kaiten(fake, 'token = "wrong-token-value"'))
    status = await check(fake, AccountStatus(synced_at=EARLIER, user="Alex Morgan"))
    assert status.health is Health.TOKEN_REJECTED
    assert status.summary == "token rejected for account 'work' by Kaiten (HTTP 401): Invalid token"
    assert status.synced_at == EARLIER  # what was known before stays


async def test_a_service_that_cannot_be_reached_is_unreachable(fake):
    write_accounts(kaiten(fake, f'token = "{fake.token}"'))
    fake.faults.drop_before = 10
    status = await check(fake)
    assert status.health is Health.UNREACHABLE
    assert status.summary.startswith(
        "account 'work' is unreachable: Kaiten (work): GET /api/v1/users/current could not connect"
    )


async def test_a_server_error_is_unreachable_too(fake):
    write_accounts(kaiten(fake, f'token = "{fake.token}"'))
    fake.faults.statuses = [503] * 5
    assert (await check(fake)).health is Health.UNREACHABLE


async def test_a_missing_environment_variable_is_a_setup_problem(fake, monkeypatch):
    monkeypatch.delenv("NO_SUCH_TOKEN", raising=False)
    write_accounts(kaiten(fake, 'token_env = "NO_SUCH_TOKEN"'))
    status = await check(fake)
    assert status.health is Health.SETUP_PROBLEM
    assert status.summary == "account 'work': environment variable NO_SUCH_TOKEN is not set"
    assert fake.requests == []


async def test_a_token_command_that_fails_is_a_setup_problem(fake):
    write_accounts(kaiten(fake, 'token_cmd = ["false"]'))
    status = await check(fake)
    assert status.health is Health.SETUP_PROBLEM
    assert status.detail == "account 'work': token_cmd 'false': exited with status 1"


async def test_a_token_command_that_times_out_is_a_setup_problem(fake, monkeypatch):
    def never_answers(argv, **kwargs):
        raise subprocess.TimeoutExpired(argv, kwargs["timeout"], output="half-a-token")

    monkeypatch.setattr(subprocess, "run", never_answers)
    write_accounts(kaiten(fake, 'token_cmd = "pass show kaiten"'))
    status = await check(fake)
    assert status.health is Health.SETUP_PROBLEM
    assert status.detail == "account 'work': token_cmd 'pass': no answer within 10s"


async def test_an_unknown_account_is_a_setup_problem(fake):
    status = await check(fake)
    assert status.detail == "no account named 'work'; accounts: local"


def test_a_status_never_checked_says_so():
    assert AccountStatus().summary == "not checked yet"


def test_a_loaded_board_makes_an_account_ok_and_synced():
    rejected = AccountStatus(health=Health.TOKEN_REJECTED, detail="401", user="Ada")
    assert rejected.synced(NOW) == AccountStatus(health=Health.OK, user="Ada", synced_at=NOW)


@pytest.mark.parametrize(
    ("age", "said"),
    [
        (timedelta(seconds=20), "just now"),
        (timedelta(minutes=5, seconds=59), "5 min ago"),
        (timedelta(hours=3, minutes=59), "3 h ago"),
        (timedelta(days=2), "2026-11-18"),
    ],
)
def test_times_are_said_the_way_people_say_them(age, said):
    assert describe_time(NOW - age, NOW) == said


def test_a_time_never_known_is_never():
    assert describe_time(None, NOW) == "never"


def test_statuses_are_remembered_with_the_rest_of_the_ui_state():
    status = AccountStatus(health=Health.OK, user="Ada", checked_at=NOW, synced_at=EARLIER)
    state = UiState(account_status={"work": status})
    assert save_ui_state(state) is None
    assert load_ui_state() == (state, None)


# --- building an account from what the user gave -------------------------------------


def fields(**given) -> AccountFields:
    defaults = dict(
        name="work",
        provider="kaiten",
        url="https://acme.kaiten.ru/api/v1",
        token_source=TokenSource.STORED,
        token=Secret("t0ken"),
    )
    return AccountFields(**{**defaults, **given})


def test_a_stored_token_stays_secret_on_the_account():
    account = build_account(fields())
    assert account.token.get_secret_value() == "t0ken"
    assert "t0ken" not in repr(account) and "t0ken" not in repr(fields())


@pytest.mark.parametrize(
    ("source", "given", "saved"),
    [
        (TokenSource.ENV, {"token_env": " KAITEN_TOKEN "}, {"token_env": "KAITEN_TOKEN"}),
        (TokenSource.COMMAND, {"token_cmd": "pass show 'my token'"},
         {"token_cmd": ["pass", "show", "my token"]}),
        (TokenSource.KEYRING, {}, {"keyring": True}),
    ],
)  # fmt: skip
def test_each_token_source_is_saved_as_its_own_key(source, given, saved):
    account = build_account(fields(token_source=source, token=Secret(""), **given))
    assert {name: getattr(account, name) for name in saved} == saved
    assert account.token is None


def test_the_providers_own_options_are_kept():
    account = build_account(
        fields(provider="kitchen", url="", options={"workspace": " acme ", "author_name": ""})
    )
    assert account.options == {"workspace": "acme"}


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"provider": "nope"},
         f"unknown provider 'nope'; installed: {', '.join(provider_names())}"),
        ({"url": "ftp://acme.kaiten.ru"}, "API URL: must be an http:// or https:// URL"),
        ({"url": "http://acme.kaiten.ru/api"},
         "url: plain http:// to acme.kaiten.ru would send the token unencrypted; "
         "use https:// or set allow_insecure = true"),
        ({"url": ""}, "Kaiten needs API URL: Your Kaiten API address: "
         "https://<domain>.kaiten.ru/api/v1"),
        ({"token": Secret(" ")}, "Kaiten needs API token: Made in Kaiten under Profile > API key"),
        ({"token_source": None}, "Kaiten needs API token: Made in Kaiten under Profile > API key"),
        ({"token_source": TokenSource.ENV}, "name the environment variable that holds the token"),
        ({"token_source": TokenSource.COMMAND}, "give the command that prints the token"),
        ({"token_source": TokenSource.COMMAND, "token_cmd": "pass 'open"},
         "token command: No closing quotation"),
        ({"options": {"colour": "red"}}, "Kaiten has no option 'colour'; its options: none"),
        ({"provider": "local", "token_source": None}, "Local board takes no URL"),
        ({"provider": "local", "url": ""}, "Local board takes no token"),
        ({"name": "  "}, "name: must not be blank"),
    ],
)  # fmt: skip
def test_what_cannot_be_saved_says_why_in_one_line(given, message):
    with pytest.raises(ConfigError) as refused:
        build_account(fields(**given))
    assert str(refused.value) == message
    assert "t0ken" not in str(refused.value)


@pytest.mark.parametrize(
    "url", ["http://localhost:8799/api/v1", "http://127.0.0.1/api", "http://[::1]/"]
)
def test_plain_http_to_this_machine_needs_no_permission(url):
    assert build_account(fields(url=url)).url == url


def test_plain_http_elsewhere_is_allowed_when_asked_for():
    account = build_account(fields(url="http://kaiten.lan/api/v1", allow_insecure=True))
    assert account.allow_insecure


def test_a_blank_token_keeps_the_one_stored_when_editing():
    previous = build_account(fields())
    edited = build_account(fields(token=Secret(""), url="https://other.kaiten.ru/api/v1"), previous)
    assert edited.token.get_secret_value() == "t0ken" and edited.url.startswith("https://other")


# --- changing accounts.toml -----------------------------------------------------------


def test_add_update_and_remove_one_account_at_a_time():
    add_account(build_account(fields()))
    add_account(build_account(fields(name="home", provider="kanbert", url="")))
    assert [a.name for a in load_accounts()] == ["work", "home"]
    assert stat.S_IMODE(paths.accounts_file().stat().st_mode) == 0o600

    update_account(build_account(fields(url="https://new.kaiten.ru/api/v1")))
    assert account_config("work").url == "https://new.kaiten.ru/api/v1"

    remove_account("work")
    assert [a.name for a in load_accounts()] == ["home"]


@pytest.mark.parametrize("name", ["work", LOCAL])
def test_a_name_that_is_taken_is_refused(name):
    add_account(build_account(fields()))
    with pytest.raises(ConfigError, match=f"an account named '{name}' already exists"):
        add_account(AccountConfig(name=name, provider="local"))


def test_the_built_in_local_board_can_be_changed_but_not_removed():
    assert account_config(LOCAL) == AccountConfig(name=LOCAL, provider=LOCAL)
    with pytest.raises(ConfigError, match="built in: it cannot be removed"):
        remove_account(LOCAL)
    add_account(build_account(fields()))
    update_account(AccountConfig(name=LOCAL, provider=LOCAL, options={"path": "/tmp/b.db"}))
    assert [a.name for a in load_accounts()] == [LOCAL, "work"]
    remove_account(LOCAL)  # back to the built-in one
    assert account_config(LOCAL).options == {}


@pytest.mark.parametrize("change", [remove_account, account_config])
def test_an_unknown_name_is_refused(change):
    with pytest.raises(ConfigError, match="no account named 'ghost'"):
        change("ghost")


def test_a_broken_accounts_file_is_never_overwritten():
    broken = '[accounts.work]\nprovider = "kaiten"\ntoken_env = ""\n'
    write_accounts(broken)
    with pytest.raises(ConfigError) as refused:
        add_account(build_account(fields(name="home")))
    assert str(refused.value).startswith(f"{paths.accounts_file()}:3: accounts.work.token_env")
    assert "accounts were not saved" in str(refused.value)
    assert paths.accounts_file().read_text() == broken
