"""Turning an account's token source into its token.

Every failure is a ConfigError naming the account and the source, never the token
nor anything a token command printed (its output may be the secret itself).
"""

from __future__ import annotations

import os
import subprocess

from tui.core.config import AccountConfig
from tui.core.errors import ConfigError
from tui.core.secret import Secret

KEYRING_SERVICE = "cardboard"


def resolve_token(account: AccountConfig, *, timeout: float = 10) -> Secret | None:
    """The account's token from its one source, or None when it names no source."""
    if account.token_env is not None:
        return _from_environment(account.name, account.token_env)
    if account.token_cmd is not None:
        return _from_command(account.name, account.token_cmd, timeout)
    if account.keyring:
        return _from_keyring(account.name)
    return account.token


def _from_environment(account: str, variable: str) -> Secret:
    value = os.environ.get(variable)
    if value is None:
        raise ConfigError(f"account {account!r}: environment variable {variable} is not set")
    if not value:
        raise ConfigError(f"account {account!r}: environment variable {variable} is empty")
    return Secret(value)


def _from_command(account: str, argv: list[str], timeout: float) -> Secret:
    program = argv[0]
    failed = f"account {account!r}: token_cmd {program!r}"
    try:
        finished = subprocess.run(
            argv,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError:
        raise ConfigError(f"{failed}: program not found") from None
    except subprocess.TimeoutExpired:
        # `from None`: TimeoutExpired carries whatever the command printed so far.
        raise ConfigError(f"{failed}: no answer within {timeout:g}s") from None
    except OSError as exc:
        raise ConfigError(f"{failed}: cannot run it: {exc.strerror}") from None
    if finished.returncode != 0:
        raise ConfigError(f"{failed}: exited with status {finished.returncode}")
    lines = finished.stdout.splitlines()
    token = lines[0].strip() if lines else ""
    if not token:
        raise ConfigError(f"{failed}: printed no token")
    return Secret(token)


def _from_keyring(account: str) -> Secret:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        raise ConfigError(
            f"account {account!r}: keyring = true needs the keyring package: "
            "install cardboard with the `keyring` extra (pip install 'cardboard[keyring]')"
        ) from None
    try:
        token = keyring.get_password(KEYRING_SERVICE, account)
    except KeyringError as exc:
        raise ConfigError(f"account {account!r}: keyring: {exc}") from None
    if not token:
        raise ConfigError(
            f"account {account!r}: no token in the keyring "
            f"(service {KEYRING_SERVICE!r}, user {account!r})"
        )
    return Secret(token)
