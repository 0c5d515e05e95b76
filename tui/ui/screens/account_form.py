"""The account form: a new account, or the settings of one, from what its provider declares.

Like Harlequin's connection form, the fields are not written here but come from the
provider's `options` (tui.core.provider.ProviderOption): its URL, its token (masked,
with a choice of where it comes from) and any option of its own, each with the
provider's description under it. Saving writes accounts.toml at once; a save that
fails keeps the form open with everything typed and the reason under it (FormScreen).
"""

from __future__ import annotations

import shlex

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static

from tui.core.accounts import (
    TOKEN_OPTION,
    URL_OPTION,
    AccountFields,
    TokenSource,
    add_account,
    build_account,
    update_account,
)
from tui.core.config import AccountConfig
from tui.core.errors import ConfigError
from tui.core.plugins import load_all, load_provider
from tui.core.provider import Provider, ProviderOption
from tui.core.secret import Secret
from tui.core.secrets import KEYRING_SERVICE
from tui.ui.screens.form import FormScreen, Invalid, field

TOKEN_SOURCES = [
    ("typed here, kept in accounts.toml (mode 0600)", TokenSource.STORED),
    ("an environment variable", TokenSource.ENV),
    ("the first line a command prints", TokenSource.COMMAND),
    ("the OS keyring", TokenSource.KEYRING),
]
TOKEN_INPUTS = {
    TokenSource.STORED: "#token",
    TokenSource.ENV: "#token-env",
    TokenSource.COMMAND: "#token-cmd",
    TokenSource.KEYRING: "#token-keyring",
}
"""Which field the token's source shows; the others are hidden but keep what was typed."""


def fields_of(account: AccountConfig) -> AccountFields:
    """What the form shows for a saved account; a stored token is never put back on screen."""
    if account.token_env is not None:
        source = TokenSource.ENV
    elif account.token_cmd is not None:
        source = TokenSource.COMMAND
    elif account.keyring:
        source = TokenSource.KEYRING
    else:
        source = TokenSource.STORED
    return AccountFields(
        name=account.name,
        provider=account.provider,
        url=account.url or "",
        token_source=source,
        token_env=account.token_env or "",
        token_cmd=shlex.join(account.token_cmd) if account.token_cmd else "",
        options=dict(account.options),
        allow_insecure=account.allow_insecure,
    )


class AccountFormScreen(FormScreen[AccountConfig | None]):
    """Dismisses with the account as saved, or None when closed without saving."""

    DEFAULT_CSS = """
    AccountFormScreen > .form--frame {
        max-width: 84;
        max-height: 40;
    }
    AccountFormScreen .form--field Input, AccountFormScreen .form--field SelectCurrent {
        background: $panel;  /* compact fields: shaded, so a placeholder is not read as a label */
    }
    AccountFormScreen #provider-fields {
        height: auto;
    }
    AccountFormScreen .form--note {
        padding: 0 1;
    }
    AccountFormScreen #form-error {
        margin-top: 1;
    }
    """

    def __init__(self, account: AccountConfig | None = None):
        super().__init__()
        self.account = account
        """The account being edited; None for a new one."""
        self._shown_provider: str | None = None
        """The provider whose options the form shows now."""

    # --- layout ---------------------------------------------------------------------

    FRAME_SUBTITLE = "ctrl+s save · esc cancel"

    def frame_title(self) -> str:
        return f"Edit account {self.account.name}" if self.account else "New account"

    def compose_fields(self) -> ComposeResult:
        editing = self.account is not None
        names = list(load_all())  # a plugin that fails to import is logged and not offered
        provider = self.account.provider if self.account else names[0]
        if provider not in names:  # editing an account of a broken plugin: say why below
            names.append(provider)
        yield field(
            "Name",
            Input(
                self.account.name if self.account else "",
                placeholder="work",
                id="name",
                disabled=editing,
                compact=True,
            ),
            "Renaming is adding a new account and removing this one."
            if editing
            else "What the accounts list and --account call it.",
        )
        yield field(
            "Provider",
            Select(
                [(name, name) for name in names],
                value=provider,
                allow_blank=False,
                id="provider",
                disabled=editing,
                compact=True,
            ),
        )
        yield Vertical(id="provider-fields")

    async def prepare(self) -> None:
        initial = (
            fields_of(self.account)
            if self.account is not None
            else AccountFields(
                name="", provider=self._chosen_provider(), token_source=TokenSource.STORED
            )
        )
        await self._show_provider(initial)
        first = self.query("#provider-fields Input").first() if self.account else None
        (first or self.query_one("#name", Input)).focus()

    async def _show_provider(self, values: AccountFields) -> None:
        """Lay out the chosen provider's options, filled with `values` where they apply."""
        container = self.query_one("#provider-fields", Vertical)
        await container.remove_children()
        self._shown_provider = values.provider
        try:
            provider = load_provider(values.provider)
        except ConfigError as problem:
            self.show_error(str(problem))
            return
        widgets = [
            widget
            for option in provider.options
            for widget in self._option_fields(option, provider, values)
        ]
        if not widgets:
            widgets = [Static(f"{provider.title} needs nothing more.", classes="form--note")]
        await container.mount_all(widgets)
        self._show_token_source()

    def _option_fields(
        self, option: ProviderOption, provider: type[Provider], values: AccountFields
    ) -> list[Widget]:
        if option.name == URL_OPTION:
            default = option.default or provider.default_url or "https://…"
            return [
                field(
                    option.label,
                    Input(values.url, placeholder=default, id="url", compact=True),
                    option.description,
                ),
                Checkbox(
                    "allow_insecure: let a plain http:// URL reach another machine",
                    values.allow_insecure,
                    id="allow-insecure",
                    compact=True,
                ),
            ]
        if option.name == TOKEN_OPTION:
            return [self._token_field(option, values)]
        return [
            field(
                option.label,
                Input(
                    values.options.get(option.name, ""),
                    placeholder=option.default or "",
                    password=option.secret,
                    name=option.name,
                    classes="form--option",
                    compact=True,
                ),
                option.description,
            )
        ]

    def _token_field(self, option: ProviderOption, values: AccountFields) -> Widget:
        kept = self.account is not None and self.account.token is not None
        return Vertical(
            Label(f"{option.label}, from"),
            Select(
                TOKEN_SOURCES,
                value=values.token_source or TokenSource.STORED,
                allow_blank=False,
                id="token-source",
                compact=True,
            ),
            Input(
                password=True,
                id="token",
                compact=True,
                placeholder="saved: type a new one to replace it" if kept else "paste the token",
            ),
            Input(
                values.token_env,
                placeholder="the variable's name, e.g. KAITEN_TOKEN",
                id="token-env",
                compact=True,
            ),
            Input(
                values.token_cmd,
                placeholder="e.g. pass show kaiten (run without a shell)",
                id="token-cmd",
                compact=True,
            ),
            Static(
                f"Looked up under service {KEYRING_SERVICE!r}, user = the account's name "
                "(needs cardboard's keyring extra).",
                id="token-keyring",
                classes="form--note",
            ),
            Static(Text(option.description), classes="form--note"),
            classes="form--field",
        )

    def _token_source(self) -> TokenSource | None:
        """Where the token comes from, as picked; None when the provider needs no token."""
        sources = self.query("#token-source")
        source = sources.first(Select).value if sources else None
        return TokenSource(source) if isinstance(source, str) else None

    def _show_token_source(self) -> None:
        source = self._token_source()
        if source is None:
            return
        chosen = TOKEN_INPUTS[source]
        for selector in TOKEN_INPUTS.values():
            self.query_one(selector).display = selector == chosen

    def _chosen_provider(self) -> str:
        return str(self.query_one("#provider", Select).value)

    async def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "token-source":
            self._show_token_source()
        elif event.select.id == "provider" and self._shown_provider not in (None, event.value):
            await self._show_provider(self.draft())

    # --- reading and saving ---------------------------------------------------------

    def _text(self, selector: str) -> str:
        found = self.query(selector)
        return found.first(Input).value if found else ""

    def draft(self) -> AccountFields:
        insecure = self.query("#allow-insecure")
        return AccountFields(
            name=self.query_one("#name", Input).value,
            provider=self._chosen_provider(),
            url=self._text("#url"),
            token_source=self._token_source(),
            token=Secret(self._text("#token")),
            token_env=self._text("#token-env"),
            token_cmd=self._text("#token-cmd"),
            options={
                option.name: option.value
                for option in self.query(".form--option").results(Input)
                if option.name
            },
            allow_insecure=insecure.first(Checkbox).value if insecure else False,
        )

    def submit(self) -> AccountConfig:
        try:
            account = build_account(self.draft(), previous=self.account)
            if self.account is None:
                add_account(account)
            else:
                update_account(account)
        except ConfigError as problem:
            raise Invalid(str(problem)) from None
        return account
