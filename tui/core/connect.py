"""From an account name to a ready Provider: the one place accounts meet providers.

The local board is always there as the account "local", even with no accounts.toml:
it is what a new user sees first. accounts.toml may define "local" itself (say, to
point it at another database file).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tui.core import paths
from tui.core.errors import ConfigError
from tui.core.logs import register_secret
from tui.core.models import Account
from tui.core.plugins import load_provider
from tui.core.provider import Connection, Provider

if TYPE_CHECKING:
    from tui.core.config import AccountConfig

LOCAL = "local"


def available_accounts() -> list[Account]:
    """Every account the user can switch to, the local board first."""
    accounts = [entry.to_account() for entry in _configured().values()]
    if not any(account.name == LOCAL for account in accounts):
        accounts.insert(0, Account(name=LOCAL, provider=LOCAL))
    return accounts


def connect(account_name: str | None = None, *, transport: Any = None) -> Provider:
    """Build the provider for an account (the local board when no name is given).

    Raises ConfigError for an unknown account or provider, or a token that cannot be
    resolved; nothing here talks to a service yet.
    """
    name = account_name or LOCAL
    entries = _configured()
    entry = entries.get(name)
    if entry is None:
        if name != LOCAL:
            known = ", ".join([LOCAL, *sorted(entries)])
            raise ConfigError(f"no account named {name!r}; accounts: {known}")
        return load_provider(LOCAL)(Connection(account=LOCAL, data_dir=paths.data_dir()))
    from tui.core import config, secrets  # here: the local board alone needs neither

    try:
        provider_class = load_provider(entry.provider)
    except ConfigError as problem:  # named where the file says it
        raise ConfigError(f"{config.account_place(name, 'provider')}: {problem}") from None
    token = secrets.resolve_token(entry)
    if token is not None:
        register_secret(token.get_secret_value())
    return provider_class(
        Connection(
            account=entry.name,
            url=entry.url or provider_class.default_url,
            token=token,
            options=dict(entry.options),
            data_dir=paths.data_dir(),
            transport=transport,
        )
    )


def _configured() -> dict[str, AccountConfig]:
    """The accounts accounts.toml defines, by name, in the file's order.

    With no such file (the local board alone: a new user's start, a script on it) the
    config module is not imported: its classes and TOML reader cost ~6 ms, a twentieth
    of a command on the local board.
    """
    try:
        paths.accounts_file().stat()
    except FileNotFoundError:
        return {}  # what config.load_accounts says of a missing file
    except OSError:
        pass  # there but unreadable: load_accounts says so, naming the file
    from tui.core import config

    return {entry.name: entry for entry in config.load_accounts()}
