"""Resolving an account's token from its one source, and failing without leaking it."""

from __future__ import annotations

import subprocess
import sys
from types import ModuleType

import pytest

from tui.core.config import AccountConfig
from tui.core.errors import ConfigError
from tui.core.secret import Secret
from tui.core.secrets import resolve_token

SECRET = "tok-5ecret-value"


def account(**source: object) -> AccountConfig:
    return AccountConfig.from_table({"name": "work", "provider": "kaiten", **source})


def python(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", code, *args]


def resolution_error(config: AccountConfig, **options: float) -> str:
    with pytest.raises(ConfigError) as caught:
        resolve_token(config, **options)
    error = caught.value
    # Nothing chained for a traceback or a log line to print: TimeoutExpired, for
    # one, carries what the command printed.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return str(error)


def test_no_source_means_no_token() -> None:
    assert resolve_token(account()) is None


def test_a_stored_token_is_returned_as_a_secret() -> None:
    token = resolve_token(account(token=SECRET))

    assert isinstance(token, Secret) and token.get_secret_value() == SECRET


# --- token_env -----------------------------------------------------------------------


def test_the_token_comes_from_the_named_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARDBOARD_TEST_TOKEN", SECRET)

    assert resolve_token(account(token_env="CARDBOARD_TEST_TOKEN")) == Secret(SECRET)


def test_a_missing_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CARDBOARD_TEST_TOKEN", raising=False)

    assert resolution_error(account(token_env="CARDBOARD_TEST_TOKEN")) == (
        "account 'work': environment variable CARDBOARD_TEST_TOKEN is not set"
    )


def test_an_empty_variable_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CARDBOARD_TEST_TOKEN", "")

    assert resolution_error(account(token_env="CARDBOARD_TEST_TOKEN")) == (
        "account 'work': environment variable CARDBOARD_TEST_TOKEN is empty"
    )


# --- token_cmd -----------------------------------------------------------------------


def test_the_token_is_the_first_line_the_command_prints() -> None:
    config = account(token_cmd=python(f"print('  {SECRET}  '); print('other line')"))

    assert resolve_token(config) == Secret(SECRET)


def test_the_command_runs_without_a_shell() -> None:
    # A shell would expand $HOME and split at the semicolon; argv reaches the program
    # exactly as written.
    config = account(token_cmd=python("import sys; print(sys.argv[1])", "$HOME;echo x"))

    assert resolve_token(config) == Secret("$HOME;echo x")


def test_a_failing_command_is_named_with_its_status_but_not_its_output() -> None:
    config = account(
        token_cmd=python(
            f"import sys; print('{SECRET}'); print('{SECRET}', file=sys.stderr); sys.exit(3)"
        )
    )

    message = resolution_error(config)

    assert message == f"account 'work': token_cmd {sys.executable!r}: exited with status 3"
    assert SECRET not in message


def test_a_command_that_prints_nothing_is_an_error() -> None:
    assert resolution_error(account(token_cmd=python("print()"))) == (
        f"account 'work': token_cmd {sys.executable!r}: printed no token"
    )


def test_a_missing_program_is_named() -> None:
    assert resolution_error(account(token_cmd="cardboard-no-such-program --get")) == (
        "account 'work': token_cmd 'cardboard-no-such-program': program not found"
    )


def test_a_command_that_hangs_times_out(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, object]] = []

    def hang(argv: list[str], **options: object) -> subprocess.CompletedProcess[str]:
        calls.append({"argv": argv, **options})
        raise subprocess.TimeoutExpired(argv, options["timeout"], output=SECRET)

    monkeypatch.setattr(subprocess, "run", hang)

    message = resolution_error(account(token_cmd=["pass", "show", "kaiten"]), timeout=2.5)

    assert message == "account 'work': token_cmd 'pass': no answer within 2.5s"
    assert calls[0]["argv"] == ["pass", "show", "kaiten"]
    assert calls[0]["timeout"] == 2.5
    assert not calls[0].get("shell")


# --- keyring -------------------------------------------------------------------------


class KeyringError(Exception):
    pass


@pytest.fixture
def fake_keyring(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[str, str], str]:
    """A stand-in for the optional keyring package: (service, user) -> password."""
    passwords: dict[tuple[str, str], str] = {}

    def get_password(service: str, user: str) -> str | None:
        if service == "broken":
            raise KeyringError("no backend")
        return passwords.get((service, user))

    module = ModuleType("keyring")
    module.get_password = get_password  # type: ignore[attr-defined]
    errors = ModuleType("keyring.errors")
    errors.KeyringError = KeyringError  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", module)
    monkeypatch.setitem(sys.modules, "keyring.errors", errors)
    return passwords


def test_the_token_comes_from_the_keyring(fake_keyring: dict[tuple[str, str], str]) -> None:
    fake_keyring["cardboard", "work"] = SECRET

    assert resolve_token(account(keyring=True)) == Secret(SECRET)


def test_no_keyring_entry_names_service_and_user(fake_keyring: dict[tuple[str, str], str]) -> None:
    fake_keyring["cardboard", "home"] = SECRET

    assert resolution_error(account(keyring=True)) == (
        "account 'work': no token in the keyring (service 'cardboard', user 'work')"
    )


def test_a_keyring_failure_is_a_config_error(
    fake_keyring: dict[tuple[str, str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.core.secrets.KEYRING_SERVICE", "broken")

    assert resolution_error(account(keyring=True)) == "account 'work': keyring: no backend"


def test_without_the_keyring_package_the_extra_is_suggested(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "keyring", None)  # makes `import keyring` fail

    message = resolution_error(account(keyring=True))

    assert message.startswith("account 'work': keyring = true needs the keyring package")
    assert "cardboard[keyring]" in message
