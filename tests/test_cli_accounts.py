"""`cardboard accounts add|remove|test`: accounts set up from a script, never by editing a file.

`accounts test` talks to the Kaiten fake served on 127.0.0.1 (the server of
tests/test_cli_e2e.py), since the CLI builds its providers exactly as a user's run does.
"""

from __future__ import annotations

import io
import socket
import stat
import subprocess
import sys

import pytest

from tests.fakes.kaiten import KaitenFake
from tests.support.clock import FakeClock
from tests.support.served import Served
from tui.core import paths
from tui.core.config import load_accounts
from tui.core.plugins import provider_names
from tui.providers import http

KAITEN = ("--provider", "kaiten", "--url", "https://acme.kaiten.ru/api/v1")


def stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


def accounts_toml() -> str:
    return paths.accounts_file().read_text()


# --- add --------------------------------------------------------------------------------


def test_add_with_a_token_from_the_environment_then_list_it(cardboard):
    run = cardboard("accounts", "add", "work", *KAITEN, "--token-env", "KAITEN_TOKEN")
    assert run.code == 0, run.err
    assert run.out == "added work; check it with: cardboard accounts test work\n"
    listed = cardboard("accounts", "--json")
    assert listed.json == [
        {"name": "local", "provider": "local", "url": None},
        {"name": "work", "provider": "kaiten", "url": "https://acme.kaiten.ru/api/v1"},
    ]
    assert 'token_env = "KAITEN_TOKEN"' in accounts_toml()


def test_a_token_from_stdin_is_stored_in_a_private_file_and_never_printed(cardboard, monkeypatch):
    stdin(monkeypatch, "s3cret-from-stdin\n")
    run = cardboard("accounts", "add", "work", *KAITEN, "--token-stdin")
    assert run.code == 0, run.err
    assert "s3cret" not in run.out + run.err
    assert load_accounts()[0].token.get_secret_value() == "s3cret-from-stdin"
    assert stat.S_IMODE(paths.accounts_file().stat().st_mode) == 0o600


def test_a_token_command_is_kept_as_an_argument_list(cardboard):
    run = cardboard("accounts", "add", "work", *KAITEN, "--token-cmd", "pass show 'kaiten token'")
    assert run.code == 0, run.err
    assert load_accounts()[0].token_cmd == ["pass", "show", "kaiten token"]


def test_the_keyring_and_the_providers_own_options(cardboard):
    run = cardboard(
        "accounts", "add", "kitchen", "--provider", "kitchen", "--keyring",
        "--option", "workspace=acme", "--option", "author_name=Ada Okafor",
    )  # fmt: skip
    assert run.code == 0, run.err
    account = load_accounts()[0]
    assert account.keyring and account.options == {"workspace": "acme", "author_name": "Ada Okafor"}


def test_plain_http_to_another_machine_needs_allow_insecure(cardboard):
    url = ("--url", "http://kaiten.lan/api/v1", "--token-env", "T")
    refused = cardboard("accounts", "add", "work", "--provider", "kaiten", *url)
    assert refused.code == 2
    assert "plain http:// to kaiten.lan would send the token unencrypted" in refused.err
    allowed = cardboard("accounts", "add", "work", "--provider", "kaiten", *url, "--allow-insecure")
    assert allowed.code == 0, allowed.err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--provider", "nope"), f"unknown provider 'nope'; installed: {', '.join(provider_names())}"),
        (("--provider", "kaiten", "--url", "ftp://acme.kaiten.ru", "--token-env", "T"),
         "API URL: must be an http:// or https:// URL"),
        (KAITEN, "Kaiten needs API token: Made in Kaiten under Profile > API key"),
        ((*KAITEN, "--token-env", "T", "--option", "colour=red"),
         "Kaiten has no option 'colour'; its options: none"),
        ((*KAITEN, "--token-env", "T", "--option", "colour"), "--option 'colour': write it as KEY=VALUE"),
        (("--provider", "local", "--token-env", "T"), "Local board takes no token"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_with_one_line_and_writes_nothing(cardboard, argv, message):
    run = cardboard("accounts", "add", "work", *argv)
    assert (run.code, run.err) == (2, f"cardboard: {message}\n")
    assert not paths.accounts_file().exists()


def test_two_token_sources_are_a_usage_error(cardboard):
    run = cardboard("accounts", "add", "work", *KAITEN, "--token-env", "T", "--keyring")
    assert run.code == 2 and "not allowed with argument" in run.err


def test_a_name_that_is_taken_is_refused(cardboard):
    assert cardboard("accounts", "add", "work", *KAITEN, "--token-env", "T").code == 0
    before = accounts_toml()
    for name in ("work", "local"):
        run = cardboard("accounts", "add", name, *KAITEN, "--token-env", "T")
        assert (run.code, run.err) == (2, f"cardboard: an account named {name!r} already exists\n")
    assert accounts_toml() == before


def test_an_unreadable_accounts_file_is_named_and_left_alone(cardboard):
    paths.accounts_file().parent.mkdir(parents=True)
    paths.accounts_file().write_text('[accounts.work]\nprovider = "kaiten"\nurl = 7\n')
    run = cardboard("accounts", "add", "home", *KAITEN, "--token-env", "T")
    assert run.code == 2
    assert run.err.startswith(f"cardboard: {paths.accounts_file()}:3: accounts.work.url")
    assert paths.accounts_file().read_text() == '[accounts.work]\nprovider = "kaiten"\nurl = 7\n'


# --- remove -----------------------------------------------------------------------------


def test_remove_with_yes(cardboard):
    cardboard("accounts", "add", "work", *KAITEN, "--token-env", "T")
    run = cardboard("accounts", "remove", "work", "--yes")
    assert (run.code, run.out) == (0, "removed work\n")
    assert load_accounts() == []


def test_remove_from_a_script_without_yes_refuses(cardboard, monkeypatch):
    cardboard("accounts", "add", "work", *KAITEN, "--token-env", "T")
    stdin(monkeypatch, "")
    run = cardboard("accounts", "remove", "work")
    assert run.code == 2 and "add --yes to remove it without asking" in run.err
    assert [a.name for a in load_accounts()] == ["work"]


@pytest.mark.parametrize("answer", ["y\n", "n\n"])
def test_remove_asks_a_person_first(cardboard, monkeypatch, answer):
    cardboard("accounts", "add", "work", *KAITEN, "--token-env", "T")
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: answer)
    run = cardboard("accounts", "remove", "work")
    assert run.code == 0
    assert [a.name for a in load_accounts()] == ([] if answer == "y\n" else ["work"])


@pytest.mark.parametrize(
    ("name", "message"),
    [("ghost", "no account named 'ghost'"), ("local", "the local board is built in")],
)
def test_remove_what_is_not_there_exits_2(cardboard, name, message):
    run = cardboard("accounts", "remove", name, "--yes")
    assert run.code == 2 and message in run.err


# --- test -------------------------------------------------------------------------------


@pytest.fixture
def fake(served: Served, monkeypatch: pytest.MonkeyPatch) -> KaitenFake:
    monkeypatch.setattr(http, "SystemClock", FakeClock)
    fake = KaitenFake(rate_limit=None)
    served.switchboard.fake = fake
    return fake


def add_served(cardboard, served: Served, fake: KaitenFake, *source: str) -> None:
    run = cardboard(
        "accounts", "add", "work", "--provider", "kaiten", "--url", served.origin + fake.base_path, *source
    )  # fmt: skip
    assert run.code == 0, run.err


def test_test_says_ok_and_whose_token_it_is(cardboard, served, fake, monkeypatch):
    monkeypatch.setenv("WORK_TOKEN", fake.token)
    add_served(cardboard, served, fake, "--token-env", "WORK_TOKEN")
    run = cardboard("accounts", "test", "work")
    assert (run.code, run.out, run.err) == (0, "ok: Alex Morgan\n", "")


def test_test_exits_1_when_the_token_is_rejected(cardboard, served, fake, monkeypatch):
    monkeypatch.setenv("WORK_TOKEN", "not-the-token")
    add_served(cardboard, served, fake, "--token-env", "WORK_TOKEN")
    run = cardboard("accounts", "test", "work")
    assert run.code == 1
    assert (
        run.err
        == "cardboard: token rejected for account 'work' by Kaiten (HTTP 401): Invalid token\n"
    )


def test_test_exits_1_when_the_service_is_unreachable(cardboard, fake, monkeypatch):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    monkeypatch.setenv("WORK_TOKEN", fake.token)
    run = cardboard(
        "accounts", "add", "work", "--provider", "kaiten", "--url", f"http://127.0.0.1:{port}/api/v1",
        "--token-env", "WORK_TOKEN",
    )  # fmt: skip
    assert run.code == 0
    run = cardboard("accounts", "test", "work")
    assert run.code == 1
    assert run.err.startswith("cardboard: account 'work' is unreachable: Kaiten")


def test_test_exits_2_when_the_token_command_fails_or_times_out(
    cardboard, served, fake, monkeypatch
):
    add_served(cardboard, served, fake, "--token-cmd", "false")
    run = cardboard("accounts", "test", "work")
    assert (run.code, run.err) == (
        2,
        "cardboard: account 'work': token_cmd 'false': exited with status 1\n",
    )

    def never_answers(argv, **kwargs):
        raise subprocess.TimeoutExpired(argv, kwargs["timeout"])

    monkeypatch.setattr(subprocess, "run", never_answers)
    run = cardboard("accounts", "test", "work")
    assert (run.code, run.err) == (
        2,
        "cardboard: account 'work': token_cmd 'false': no answer within 10s\n",
    )
    assert fake.requests == []


def test_test_of_an_unknown_account_exits_2(cardboard):
    run = cardboard("accounts", "test", "ghost")
    assert (run.code, run.err) == (2, "cardboard: no account named 'ghost'; accounts: local\n")
