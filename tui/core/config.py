"""The user's settings (config.toml) and accounts (accounts.toml).

config.toml is only ever read: the app keeps what it remembers between runs in
tui.core.ui_state, never here. Unknown keys are errors, so a typo surfaces instead of
being silently ignored.

accounts.toml is read and written (by `cardboard accounts add` and the accounts
screen). Each account is a table under `accounts` whose key is the account's name,
in the order they are shown (TOML itself refuses a name given twice):

    [accounts.work]
    provider = "kaiten"
    url = "https://example.kaiten.ru/api/latest"
    token_env = "KAITEN_TOKEN"

    [accounts.home]
    provider = "kanbert"
    token_cmd = ["pass", "show", "kanbert"]

    [accounts.home.options]
    workspace = "family"

An account names at most one token source: `token_env`, `token_cmd` (argv list, or a
string split like a shell would, but never run by one), `keyring = true`, or `token`
itself (the file is always written 0600). tui.core.secrets turns that into the token.
Saving rewrites the whole file, so comments in it are not kept.

Every problem is a ConfigError of one line naming the place: "path:line: field: what"
(tui.core.toml_file). Each class reads itself from its TOML table (`from_table`, with
tui.core.toml_fields) and is otherwise a plain frozen dataclass: pydantic stays out of
the start-up.
"""

from __future__ import annotations

import dataclasses
import os
import shlex
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from tui.core import paths
from tui.core.errors import ConfigError
from tui.core.models import Account
from tui.core.secret import Secret
from tui.core.toml_fields import InvalidTable, TableReader, not_empty
from tui.core.toml_file import place, read_config_text, validate_toml


@dataclass(frozen=True, slots=True, kw_only=True)
class BoardSettings:
    """How the board screen looks."""

    min_column_width: int = 22
    """A column is never narrower: when the columns do not fit, the board scrolls sideways."""
    max_column_width: int = 60
    """Nor wider: the columns share the terminal's width up to this."""
    card_width: int | None = None
    """The old fixed width, still read: it makes every column exactly this wide."""

    @classmethod
    def from_table(cls, table: object) -> BoardSettings:
        reader = TableReader(table)
        board = reader.build(
            cls,
            min_column_width=reader.integer("min_column_width", ge=16, le=200),
            max_column_width=reader.integer("max_column_width", ge=16, le=200),
            card_width=reader.integer("card_width", ge=16, le=80),
        )
        if board.card_width is not None and (
            reader.given("min_column_width") or reader.given("max_column_width")
        ):
            raise InvalidTable.as_a_whole(
                "card_width (a fixed width) cannot go with min/max_column_width"
            )
        if board.min_column_width > board.max_column_width:
            raise InvalidTable.as_a_whole(
                f"min_column_width ({board.min_column_width}) is more than "
                f"max_column_width ({board.max_column_width})"
            )
        return board

    @property
    def column_widths(self) -> tuple[int, int]:
        """The narrowest and the widest a column may be."""
        if self.card_width is not None:
            return self.card_width, self.card_width
        return self.min_column_width, self.max_column_width


def _key_list(keys: str) -> str:
    """Keys for one binding, comma separated, each once."""
    listed = [key.strip() for key in keys.split(",")]
    if not all(listed):
        raise ValueError(f'{keys!r} is not a list of keys like "L,shift+right"')
    if repeated := sorted({key for key in listed if listed.count(key) > 1}):
        raise ValueError(f"{', '.join(repeated)} is given twice")
    return keys


Rounding = Literal["nearest", "up", "down"]
"""The ways to round (tui.core.time.rounding applies them); here, where the setting is
read, so that reading config.toml does not import the time journal."""
ROUNDINGS: tuple[Rounding, ...] = ("nearest", "up", "down")


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeSettings:
    """Time tracking."""

    max_entry_hours: float = 24
    """An entry longer than this is refused as a likely mistake, unless forced (--force)."""
    rounding: Rounding = "nearest"
    """How seconds become the whole minutes a service that counts minutes receives; an
    entry under a minute is never sent (tui.core.time.rounding)."""

    @classmethod
    def from_table(cls, table: object) -> TimeSettings:
        reader = TableReader(table)
        return reader.build(
            cls,
            max_entry_hours=reader.number("max_entry_hours", gt=0, le=8784),
            rounding=reader.choice("rounding", ROUNDINGS),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Everything config.toml can say."""

    theme: str = "cardboard-dark"
    """The theme to start with (a textual theme's name or one of themes/*.toml)."""

    default_account: str | None = None
    """The account to open at start-up when --account is not given."""

    keymap: dict[str, str] = field(default_factory=dict)
    """Binding id -> key(s), comma separated: {"board.move_right" = "L,shift+right"}.

    Only the form is checked here; which ids exist and which keys are taken is the UI's
    to say (tui.ui.keymap), naming the line through `config_place`.
    """

    board: BoardSettings = field(default_factory=BoardSettings)
    """The board screen."""

    time: TimeSettings = field(default_factory=TimeSettings)
    """Time tracking."""

    @classmethod
    def from_table(cls, table: object) -> Settings:
        reader = TableReader(table)
        return reader.build(
            cls,
            theme=reader.text("theme"),
            default_account=reader.text("default_account"),
            keymap=reader.text_table("keymap", check=_key_list),
            board=reader.table("board", BoardSettings.from_table),
            time=reader.table("time", TimeSettings.from_table),
        )


def load_settings(path: Path | None = None) -> Settings:
    """Read config.toml; a missing file means the defaults."""
    path = path or paths.config_file()
    try:
        text = read_config_text(path)
    except FileNotFoundError:
        return Settings()
    return validate_toml(text, str(path), Settings.from_table)


def config_place(*location: str, path: Path | None = None) -> str:
    """'path:line: field' of a setting in config.toml, for a problem found after loading.

    `config_place("keymap", "card.edit")` -> '.../config.toml:7: keymap."card.edit"'. The
    line is left out when the file does not say the setting (a default, or no file).
    """
    return _setting_place(path or paths.config_file(), location)


def account_place(name: str, field: str, path: Path | None = None) -> str:
    """'path:line: accounts.NAME.FIELD' in accounts.toml, like `config_place`."""
    return _setting_place(path or paths.accounts_file(), ("accounts", name, field))


def _setting_place(path: Path, location: tuple[str, ...]) -> str:
    try:
        text = read_config_text(path)
    except (FileNotFoundError, ConfigError):
        text = ""
    return place(str(path), text, location)


def _is_loopback(host: str) -> bool:
    import ipaddress  # only for a plain http:// url: not on every start

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountConfig:
    """One account as accounts.toml describes it, token source included."""

    name: str
    """The table's key in accounts.toml; --account NAME and the accounts screen."""

    provider: str
    """The provider's entry-point name ("local", "kaiten", ...); checked by the registry."""

    url: str | None = None
    """The API base URL; None means the service's public one."""

    token_env: str | None = None
    """Read the token from this environment variable."""

    token_cmd: list[str] | None = None
    """Run this program (no shell) and take the first line it prints as the token."""

    token: Secret | None = None
    """The token itself, stored in this file (which is why it is written 0600)."""

    keyring: bool = False
    """Take the token from the OS keyring (service "cardboard", user = the account name)."""

    allow_insecure: bool = False
    """Allow a plain http:// url to a host other than this machine."""

    options: dict[str, str] = field(default_factory=dict)
    """Provider-specific options, as the provider declares them."""

    def __post_init__(self) -> None:
        if self.token is not None and not self.token:
            # `token = ""` is no token: it must not count as a token source.
            object.__setattr__(self, "token", None)  # frozen: only while being built

    @classmethod
    def from_table(cls, table: object) -> AccountConfig:
        """The account an accounts.toml table (its name added) or the form describes.

        Raises InvalidTable, whose messages never hold the token.
        """
        reader = TableReader(table)
        account = reader.build(
            cls,
            name=reader.text("name", required=True, check=_not_blank),
            provider=reader.text("provider", required=True, check=_not_blank),
            url=reader.text("url", check=_http_url),
            token_env=reader.text("token_env", check=not_empty),
            # A string is split like a shell would, but it is still run without one.
            token_cmd=reader.text_list("token_cmd", from_text=shlex.split, check=_names_a_program),
            token=reader.secret("token"),
            keyring=reader.flag("keyring"),
            allow_insecure=reader.flag("allow_insecure"),
            options=reader.text_table("options"),
        )
        if problem := _token_sources_clash(account) or _insecure_url(account):
            raise InvalidTable.as_a_whole(problem)
        return account

    def to_account(self) -> Account:
        """The account as the rest of the app sees it: no token source, no secret."""
        return Account(name=self.name, provider=self.provider, url=self.url, options=self.options)


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be blank")
    return text


def _http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL")
    if parts.username or parts.password:
        raise ValueError("must not hold credentials: use a token source instead")
    return url


def _names_a_program(argv: list[str]) -> list[str]:
    if not argv:
        raise ValueError("must name a program to run")
    return argv


def _token_sources_clash(account: AccountConfig) -> str | None:
    given = {
        "token_env": account.token_env,
        "token_cmd": account.token_cmd,
        "keyring": account.keyring,
        "token": account.token,
    }
    sources = [source for source, value in given.items() if value]
    return f"give one token source, not {' and '.join(sources)}" if len(sources) > 1 else None


def _insecure_url(account: AccountConfig) -> str | None:
    if account.url is None or account.allow_insecure:
        return None
    parts = urlsplit(account.url)
    if parts.scheme != "http" or _is_loopback(parts.hostname or ""):
        return None
    return (
        f"url: plain http:// to {parts.hostname} would send the token "
        "unencrypted; use https:// or set allow_insecure = true"
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountsFile:
    accounts: dict[str, AccountConfig] = field(default_factory=dict)
    """Account name (the table's key) -> the account."""

    @classmethod
    def from_table(cls, table: object) -> AccountsFile:
        reader = TableReader(table)
        return reader.build(cls, accounts=reader.tables("accounts", _account_named_by_key))


def _account_named_by_key(key: str, table: object) -> AccountConfig:
    # [accounts.work] is the account "work". A table that also says `name` keeps it,
    # so that load_accounts can point at the line when it differs from the key.
    return AccountConfig.from_table({"name": key, **table} if isinstance(table, dict) else table)


def load_accounts(path: Path | None = None) -> list[AccountConfig]:
    """Read accounts.toml, in the file's order; a missing file means no accounts."""
    path = path or paths.accounts_file()
    try:
        text = read_config_text(path)
    except FileNotFoundError:
        return []
    accounts = validate_toml(text, str(path), AccountsFile.from_table).accounts
    for key, account in accounts.items():
        if account.name != key:
            where = place(str(path), text, ("accounts", key, "name"))
            raise ConfigError(f"{where}: the table's key is the name; remove this")
    return list(accounts.values())


def save_accounts(accounts: list[AccountConfig], path: Path | None = None) -> None:
    """Write accounts.toml atomically, replacing the whole file.

    Refuses (ConfigError) when the file there now is unreadable or invalid: the user
    may be halfway through editing it, and overwriting would lose their work.
    """
    path = path or paths.accounts_file()
    try:
        load_accounts(path)
    except ConfigError as exc:
        raise ConfigError(f"{exc} (fix it first: accounts were not saved)") from None
    tables: dict[str, dict[str, Any]] = {}
    for account in accounts:
        if account.name in tables:
            raise ConfigError(f"account {account.name!r} is defined twice")
        tables[account.name] = _account_table(account)
    import tomli_w  # a write's alone: every command reads accounts.toml, few write it

    header = "# Written by cardboard: comments here are not kept.\n"
    write_atomically(path, (header + tomli_w.dumps({"accounts": tables})).encode())


def _account_table(account: AccountConfig) -> dict[str, Any]:
    """What accounts.toml says of the account: no name (the key says it), no defaults."""
    table: dict[str, Any] = {}
    for account_field in dataclasses.fields(account):
        value = getattr(account, account_field.name)
        if account_field.name == "name" or value is None or value == _default(account_field):
            continue
        table[account_field.name] = value.get_secret_value() if isinstance(value, Secret) else value
    return table


def _default(account_field: dataclasses.Field[Any]) -> Any:
    if account_field.default_factory is not dataclasses.MISSING:
        return account_field.default_factory()
    return account_field.default


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so a reader sees the old file or the new one, never half.

    The file is private (0600) from its creation, because it may hold a token: it is
    never readable by others, not even between writing and a later chmod.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    # mkstemp creates the file 0600 whatever the umask.
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
