"""An account added, changed or removed in accounts.toml, one at a time.

Built from what the user typed in the account form or passed as flags to `cardboard
accounts add` (`AccountFields`) and the options its provider declares, so both ways
check the same things. Nothing here holds a token outside a Secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from tui.core.config import AccountConfig, load_accounts, save_accounts
from tui.core.connect import LOCAL
from tui.core.errors import ConfigError
from tui.core.plugins import load_provider
from tui.core.provider import Provider, ProviderOption
from tui.core.secret import Secret
from tui.core.toml_fields import InvalidTable, Problem

URL_OPTION, TOKEN_OPTION = "url", "token"
"""The declared options that are not `options`: AccountConfig has fields of its own for them."""


class TokenSource(StrEnum):
    """Where an account's token comes from (see tui.core.config)."""

    STORED = "stored"
    """In accounts.toml itself, which is then written 0600."""
    ENV = "env"
    COMMAND = "command"
    KEYRING = "keyring"


@dataclass(frozen=True)
class AccountFields:
    """An account as the form's fields or `accounts add`'s flags give it, not yet checked.

    Blank text means "not given". Only the field of `token_source` is read.
    """

    name: str
    provider: str
    url: str = ""
    token_source: TokenSource | None = None
    token: Secret = field(default_factory=lambda: Secret(""))
    token_env: str = ""
    token_cmd: str = ""
    options: Mapping[str, str] = field(default_factory=dict)
    """The provider's other declared options, by name."""
    allow_insecure: bool = False


def build_account(fields: AccountFields, previous: AccountConfig | None = None) -> AccountConfig:
    """The account to save, checked against its provider's declared options.

    `previous` is the account being edited: a stored token left blank keeps its token.
    Raises ConfigError with one line naming the field.
    """
    provider = load_provider(fields.provider)
    declared = {option.name: option for option in provider.options}
    own_options = [name for name in declared if name not in (URL_OPTION, TOKEN_OPTION)]
    for name in fields.options:
        if name not in own_options:
            raise ConfigError(
                f"{provider.title} has no option {name!r}; "
                f"its options: {', '.join(own_options) or 'none'}"
            )
    given = {name: value.strip() for name, value in fields.options.items() if value.strip()}
    table: dict[str, Any] = {
        "name": fields.name.strip(),
        "provider": fields.provider,
        "allow_insecure": fields.allow_insecure,
        "options": given,
    }
    if url := fields.url.strip():
        if URL_OPTION not in declared:
            raise ConfigError(f"{provider.title} takes no URL")
        table["url"] = url
    table.update(_token_source(fields, provider, previous))
    for name, option in declared.items():
        if option.required and not _given(name, table):
            raise ConfigError(f"{provider.title} needs {option.label}: {option.description}")
    try:
        return AccountConfig.from_table(table)
    except InvalidTable as invalid:
        raise ConfigError(_form_problem(invalid.problems[0], declared)) from None


_TOKEN_KEYS = frozenset({"token", "token_env", "token_cmd", "keyring"})


def _given(option: str, table: Mapping[str, Any]) -> bool:
    if option == TOKEN_OPTION:
        return bool(_TOKEN_KEYS & table.keys())
    if option == URL_OPTION:
        return URL_OPTION in table
    return option in table["options"]


def _token_source(
    fields: AccountFields, provider: type[Provider], previous: AccountConfig | None
) -> dict[str, Any]:
    """The accounts.toml keys of the token's source; none when no token was given."""
    if fields.token_source is None:
        return {}
    if not any(option.name == TOKEN_OPTION for option in provider.options):
        raise ConfigError(f"{provider.title} takes no token")
    match fields.token_source:
        case TokenSource.STORED:
            token = fields.token.get_secret_value().strip()
            if token:
                return {"token": Secret(token)}
            kept = previous.token if previous is not None else None
            return {"token": kept} if kept is not None else {}
        case TokenSource.ENV:
            if not fields.token_env.strip():
                raise ConfigError("name the environment variable that holds the token")
            return {"token_env": fields.token_env.strip()}
        case TokenSource.COMMAND:
            if not fields.token_cmd.strip():
                raise ConfigError("give the command that prints the token")
            return {"token_cmd": fields.token_cmd}
        case TokenSource.KEYRING:
            return {"keyring": True}


_FIELD_NAMES = {"name": "name", "token_cmd": "token command", "token_env": "environment variable"}


def _form_problem(problem: Problem, declared: Mapping[str, ProviderOption]) -> str:
    """The problem named by the form's label for its field, as the user knows it."""
    location = [part for part in problem.location if isinstance(part, str)]
    if not location:  # a rule across fields, whose message names them itself
        return problem.message
    head = location[0]
    label = declared[head].label if head in declared else _FIELD_NAMES.get(head, head)
    if head == "options" and len(location) > 1 and location[1] in declared:
        label = declared[location[1]].label
    return f"{label}: {problem.message}"


# --- changing accounts.toml ---------------------------------------------------------


def _accounts_to_change(path: Path | None) -> list[AccountConfig]:
    """The accounts to change and save back; like save_accounts, refuses a file it cannot read."""
    try:
        return load_accounts(path)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (fix it first: accounts were not saved)") from None


def add_account(account: AccountConfig, path: Path | None = None) -> None:
    """Add a new account at the end; its name must not be taken (the local board's neither)."""
    accounts = _accounts_to_change(path)
    if account.name == LOCAL or any(known.name == account.name for known in accounts):
        raise ConfigError(f"an account named {account.name!r} already exists")
    save_accounts([*accounts, account], path)


def update_account(account: AccountConfig, path: Path | None = None) -> None:
    """Replace the account of the same name; the built-in local board gets a table of its own."""
    accounts = _accounts_to_change(path)
    names = [known.name for known in accounts]
    if account.name in names:
        accounts[names.index(account.name)] = account
    elif account.name == LOCAL:
        accounts.insert(0, account)
    else:
        raise ConfigError(f"no account named {account.name!r}")
    save_accounts(accounts, path)


def remove_account(name: str, path: Path | None = None) -> None:
    accounts = _accounts_to_change(path)
    kept = [known for known in accounts if known.name != name]
    if len(kept) == len(accounts):
        if name == LOCAL:
            raise ConfigError("the local board is built in: it cannot be removed")
        raise ConfigError(f"no account named {name!r}")
    save_accounts(kept, path)


def account_config(name: str, path: Path | None = None) -> AccountConfig:
    """One account as accounts.toml has it; the built-in local board when it is not there."""
    for account in load_accounts(path):
        if account.name == name:
            return account
    if name == LOCAL:
        return AccountConfig(name=LOCAL, provider=LOCAL)
    raise ConfigError(f"no account named {name!r}")
