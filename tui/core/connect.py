"""From an account name to a ready Provider: the one place accounts meet providers.

The local board is always there as the account "local", even with no accounts.toml:
it is what a new user sees first. accounts.toml may define "local" itself (say, to
point it at another database file).
"""

from __future__ import annotations

from typing import Any

from tui.core import config, paths, secrets
from tui.core.errors import ConfigError
from tui.core.logs import register_secret
from tui.core.models import Account
from tui.core.plugins import load_provider
from tui.core.provider import Connection, Provider

LOCAL = "local"


def available_accounts() -> list[Account]:
    """Every account the user can switch to, the local board first."""
    accounts = [entry.to_account() for entry in config.load_accounts()]
    if not any(account.name == LOCAL for account in accounts):
        accounts.insert(0, Account(name=LOCAL, provider=LOCAL))
    return accounts


def connect(account_name: str | None = None, *, transport: Any = None) -> Provider:
    """Build the provider for an account (the local board when no name is given).

    Raises ConfigError for an unknown account or provider, or a token that cannot be
    resolved; nothing here talks to a service yet.
    """
    name = account_name or LOCAL
    entries = {entry.name: entry for entry in config.load_accounts()}
    entry = entries.get(name)
    if entry is None:
        if name != LOCAL:
            known = ", ".join([LOCAL, *sorted(entries)])
            raise ConfigError(f"no account named {name!r}; accounts: {known}")
        return load_provider(LOCAL)(Connection(account=LOCAL, data_dir=paths.data_dir()))
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
