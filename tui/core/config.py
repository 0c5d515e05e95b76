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

Every problem is a ConfigError of one line naming the place: "path:line: field: what".
"""

from __future__ import annotations

import ipaddress
import os
import re
import shlex
import tempfile
import tomllib
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar
from urllib.parse import urlsplit

import tomli_w
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from tui.core import paths
from tui.core.errors import ConfigError
from tui.core.models import Account
from tui.core.secret import Secret


class ConfigModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class BoardSettings(ConfigModel):
    """How the board screen looks."""

    min_column_width: int = Field(default=22, ge=16, le=200)
    """A column is never narrower: when the columns do not fit, the board scrolls sideways."""
    max_column_width: int = Field(default=60, ge=16, le=200)
    """Nor wider: the columns share the terminal's width up to this."""
    card_width: int | None = Field(default=None, ge=16, le=80)
    """The old fixed width, still read: it makes every column exactly this wide."""

    @model_validator(mode="after")
    def _widths_agree(self) -> BoardSettings:
        if self.card_width is not None and self.model_fields_set & {
            "min_column_width",
            "max_column_width",
        }:
            raise ValueError("card_width (a fixed width) cannot go with min/max_column_width")
        if self.min_column_width > self.max_column_width:
            raise ValueError(
                f"min_column_width ({self.min_column_width}) is more than "
                f"max_column_width ({self.max_column_width})"
            )
        return self

    @property
    def column_widths(self) -> tuple[int, int]:
        """The narrowest and the widest a column may be."""
        if self.card_width is not None:
            return self.card_width, self.card_width
        return self.min_column_width, self.max_column_width


def _key_list(keys: str) -> str:
    listed = [key.strip() for key in keys.split(",")]
    if not all(listed):
        raise ValueError(f'{keys!r} is not a list of keys like "L,shift+right"')
    if repeated := sorted({key for key in listed if listed.count(key) > 1}):
        raise ValueError(f"{', '.join(repeated)} is given twice")
    return keys


KeyList = Annotated[str, AfterValidator(_key_list)]
"""Keys for one binding, comma separated, each once."""


class TimeSettings(ConfigModel):
    """Time tracking."""

    max_entry_hours: float = Field(default=24, gt=0, le=8784)
    """An entry longer than this is refused as a likely mistake, unless forced (--force)."""
    rounding: Literal["nearest", "up", "down"] = "nearest"
    """How seconds become the whole minutes a service that counts minutes receives; an
    entry under a minute is never sent (tui.core.time.rounding)."""


class Settings(ConfigModel):
    """Everything config.toml can say."""

    theme: str = "cardboard-dark"
    """The theme to start with (a textual theme's name or one of themes/*.toml)."""

    default_account: str | None = None
    """The account to open at start-up when --account is not given."""

    keymap: dict[str, KeyList] = Field(default_factory=dict)
    """Binding id -> key(s), comma separated: {"board.move_right" = "L,shift+right"}.

    Only the form is checked here; which ids exist and which keys are taken is the UI's
    to say (tui.ui.keymap), naming the line through `config_place`.
    """

    board: BoardSettings = Field(default_factory=BoardSettings)
    """The board screen."""

    time: TimeSettings = Field(default_factory=TimeSettings)
    """Time tracking."""


def load_settings(path: Path | None = None) -> Settings:
    """Read config.toml; a missing file means the defaults."""
    path = path or paths.config_file()
    try:
        text = read_config_text(path)
    except FileNotFoundError:
        return Settings()
    return validate_toml(text, str(path), Settings)


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
    return f"{_place(str(path), _line_of(text, location))}: {_field_label(location)}"


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _secret(value: Any) -> Any:
    return Secret(value) if isinstance(value, str) else value


class AccountConfig(ConfigModel):
    """One account as accounts.toml describes it, token source included."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    name: str
    """The table's key in accounts.toml; --account NAME and the accounts screen."""

    provider: str
    """The provider's entry-point name ("local", "kaiten", ...); checked by the registry."""

    url: str | None = None
    """The API base URL; None means the service's public one."""

    token_env: str | None = Field(default=None, min_length=1)
    """Read the token from this environment variable."""

    token_cmd: list[str] | None = None
    """Run this program (no shell) and take the first line it prints as the token."""

    token: Annotated[Secret | None, BeforeValidator(_secret)] = None
    """The token itself, stored in this file (which is why it is written 0600)."""

    keyring: bool = False
    """Take the token from the OS keyring (service "cardboard", user = the account name)."""

    allow_insecure: bool = False
    """Allow a plain http:// url to a host other than this machine."""

    options: dict[str, str] = Field(default_factory=dict)
    """Provider-specific options, as the provider declares them."""

    @field_validator("name", "provider")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be blank")
        return value

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// URL")
        if parts.username or parts.password:
            raise ValueError("must not hold credentials: use a token source instead")
        return url

    @field_validator("token_cmd", mode="before")
    @classmethod
    def _split_command(cls, command: Any) -> Any:
        # A string is split like a shell would, but it is still run without one.
        return shlex.split(command) if isinstance(command, str) else command

    @field_validator("token_cmd")
    @classmethod
    def _command_not_empty(cls, argv: list[str] | None) -> list[str] | None:
        if argv is not None and not argv:
            raise ValueError("must name a program to run")
        return argv

    @field_validator("token")
    @classmethod
    def _empty_token_is_none(cls, token: Secret | None) -> Secret | None:
        return token if token is not None and token.get_secret_value() else None

    @model_validator(mode="after")
    def _safe_and_unambiguous(self) -> AccountConfig:
        sources = [
            source
            for source, given in (
                ("token_env", self.token_env),
                ("token_cmd", self.token_cmd),
                ("keyring", self.keyring),
                ("token", self.token),
            )
            if given
        ]
        if len(sources) > 1:
            raise ValueError(f"give one token source, not {' and '.join(sources)}")
        if self.url is not None and not self.allow_insecure:
            parts = urlsplit(self.url)
            if parts.scheme == "http" and not _is_loopback(parts.hostname or ""):
                raise ValueError(
                    f"url: plain http:// to {parts.hostname} would send the token "
                    "unencrypted; use https:// or set allow_insecure = true"
                )
        return self

    def to_account(self) -> Account:
        """The account as the rest of the app sees it: no token source, no secret."""
        return Account(name=self.name, provider=self.provider, url=self.url, options=self.options)


class AccountsFile(ConfigModel):
    accounts: dict[str, AccountConfig] = Field(default_factory=dict)
    """Account name (the table's key) -> the account."""

    @field_validator("accounts", mode="before")
    @classmethod
    def _name_from_key(cls, tables: Any) -> Any:
        # [accounts.work] is the account "work". A table that also says `name` keeps
        # it, so that load_accounts can point at the line when it differs from the key.
        if not isinstance(tables, dict):
            return tables
        return {
            key: {"name": key, **table} if isinstance(table, dict) else table
            for key, table in tables.items()
        }


def load_accounts(path: Path | None = None) -> list[AccountConfig]:
    """Read accounts.toml, in the file's order; a missing file means no accounts."""
    path = path or paths.accounts_file()
    try:
        text = read_config_text(path)
    except FileNotFoundError:
        return []
    accounts = validate_toml(text, str(path), AccountsFile).accounts
    for key, account in accounts.items():
        if account.name != key:
            where = _place(str(path), _line_of(text, ("accounts", key, "name")))
            field = _field_label(("accounts", key, "name"))
            raise ConfigError(f"{where}: {field}: the table's key is the name; remove this")
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
    header = "# Written by cardboard: comments here are not kept.\n"
    write_atomically(path, (header + tomli_w.dumps({"accounts": tables})).encode())


def _account_table(account: AccountConfig) -> dict[str, Any]:
    table = account.model_dump(exclude={"name"}, exclude_none=True, exclude_defaults=True)
    if account.token is not None:
        table["token"] = account.token.get_secret_value()
    return table


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


Model = TypeVar("Model", bound=BaseModel)


def validate_toml(text: str, source: str, model: type[Model]) -> Model:
    """Parse a TOML document and validate it as `model`.

    `source` names the document in messages (usually its path). Any problem is a
    ConfigError "source:line: field: what is wrong", for the first problem found.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_syntax_error(source, str(exc))) from None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        # `from None`: the ValidationError holds the input values, tokens included.
        raise ConfigError(_first_validation_error(source, text, exc)) from None


def read_config_text(path: Path | Traversable) -> str:
    """A config or theme file's text.

    FileNotFoundError passes through (a missing file often means "the defaults");
    any other problem is a ConfigError naming the file.
    """
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror}") from None


_TOML_POSITION = re.compile(r"(?P<what>.*) \(at line (?P<line>\d+), column \d+\)")


# tomllib's words for what users most often do, in theirs.
_TOML_PROBLEMS = {"Cannot overwrite a value": "a key given twice (each may appear once)"}


def _toml_syntax_error(source: str, message: str) -> str:
    if match := _TOML_POSITION.fullmatch(message):
        what = _TOML_PROBLEMS.get(match["what"], match["what"])
        return f"{source}:{match['line']}: {what}"
    return f"{source}: {message}"


def _first_validation_error(source: str, text: str, exc: ValidationError) -> str:
    errors = exc.errors(include_input=False, include_url=False)
    first = errors[0]
    location = first["loc"]
    message = (
        "unknown key"
        if first["type"] == "extra_forbidden"
        else first["msg"].removeprefix("Value error, ")
    )
    field = _field_label(location)
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    where = _place(source, _line_of(text, location))
    return f"{where}: {field}: {message}{more}" if field else f"{where}: {message}{more}"


def _place(source: str, line: int | None) -> str:
    return f"{source}:{line}" if line is not None else source


def _field_label(location: tuple[str | int, ...]) -> str:
    """("board", "card_width") -> 'board.card_width'; ("keymap", "a.b") -> 'keymap."a.b"'."""
    label = ""
    for part in location:
        if isinstance(part, int):
            label += f"[{part}]"
            continue
        key = part if _BARE_KEY.fullmatch(part) else f'"{part}"'
        label += f".{key}" if label else key
    return label


# Enough of TOML to find where a key is written: `[table]` headers and `key =` lines
# (our files have no arrays of tables). Keys may be dotted and quoted:
# "board.move_right" is one key.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_DOTTED_KEY = rf"{_KEY_PART}(?:\s*\.\s*{_KEY_PART})*"
_HEADER = re.compile(rf"\s*\[\s*(?P<key>{_DOTTED_KEY})\s*\]\s*(?:#.*)?")
_ASSIGNMENT = re.compile(rf"\s*(?P<key>{_DOTTED_KEY})\s*=")


def _key_parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, dotted))


def _line_of(text: str, location: tuple[str | int, ...]) -> int | None:
    """The line that holds `location`, or the nearest enclosing table's, if found."""
    lines: dict[tuple[str | int, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _HEADER.fullmatch(line):
            table = _key_parts(header["key"])
            lines.setdefault(table, number)
        elif assignment := _ASSIGNMENT.match(line):
            lines.setdefault(table + _key_parts(assignment["key"]), number)
    for length in range(len(location), 0, -1):
        if (line_number := lines.get(location[:length])) is not None:
            return line_number
    return None
