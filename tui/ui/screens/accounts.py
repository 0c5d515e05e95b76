"""Every account, how it is doing, and the keys to add, change, test, remove or open one.

The rows come from `app.accounts` and what the app remembers of each account
(tui.core.account_status); a test runs `whoami` in a worker of this screen, so
leaving the screen cancels it. Switching is the app's: it replaces every screen.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Label, Static

from tui.core.account_status import AccountStatus, Health, check_account, describe_time
from tui.core.accounts import account_config, remove_account
from tui.core.config import AccountConfig
from tui.core.connect import LOCAL
from tui.core.errors import ConfigError
from tui.core.models import Account
from tui.core.plugins import provider_names
from tui.core.store import State
from tui.ui.commands import keyed_actions
from tui.ui.screens.account_form import AccountFormScreen
from tui.ui.screens.base import StoreScreen
from tui.ui.screens.dialogs import ConfirmScreen
from tui.ui.widgets.status_bar import StatusBar

HEALTH_STYLE = {
    Health.OK: ("✓", "green"),
    Health.TOKEN_REJECTED: ("✗", "bold red"),
    Health.UNREACHABLE: ("⚠", "yellow"),
    Health.SETUP_PROBLEM: ("✗", "bold red"),
    Health.NOT_CHECKED: ("·", "dim"),
}
"""A mark that says it without colour, and the colour."""

COLUMNS = ("Account", "Provider", "State", "Synced", "URL")


class AccountsScreen(StoreScreen):
    DEFAULT_CSS = """
    AccountsScreen #accounts-body {
        height: 1fr;
        padding: 0 1;
    }
    AccountsScreen .accounts--title {
        text-style: bold;
        color: $primary;
        margin: 1 0 0 0;
    }
    AccountsScreen DataTable {
        height: auto;
        max-height: 1fr;
        margin: 1 0;
    }
    AccountsScreen #detail {
        color: $foreground;
    }
    AccountsScreen #hint {
        color: $foreground-muted;
        text-style: italic;
        margin-top: 1;
    }
    AccountsScreen #problem {
        color: $error;
        text-style: bold;
    }
    """

    BINDINGS = [
        # priority: the table's own enter would shadow this one, and the footer with it
        Binding(
            "enter",
            "switch",
            "Open",
            id="accounts.switch",
            priority=True,
            tooltip="Switch to the account, on the board it last showed",
        ),
        Binding("j", "cursor(1)", "Down", show=False, id="accounts.down"),
        Binding("k", "cursor(-1)", "Up", show=False, id="accounts.up"),
        Binding("a", "add", "Add", id="accounts.add", tooltip="Add an account"),
        Binding("e", "edit", "Edit", id="accounts.edit", tooltip="Change the account's settings"),
        Binding(
            "t",
            "test",
            "Test",
            id="accounts.test",
            tooltip="Check that the service accepts the account's token",
        ),
        Binding(
            "d,delete",
            "remove",
            "Remove",
            id="accounts.remove",
            tooltip="Remove the account from accounts.toml (asks first)",
        ),
        Binding("escape", "close", "Back", id="accounts.close", tooltip="Back to the board"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.checking: frozenset[str] = frozenset()
        """Accounts whose test is running."""
        self.problem: str | None = None
        """Why accounts.toml could not be read, while it cannot."""

    def compose(self) -> ComposeResult:
        with Vertical(id="accounts-body"):
            yield Label("Accounts", classes="accounts--title")
            yield Static(id="problem")
            table: DataTable[str] = DataTable(id="accounts", cursor_type="row", zebra_stripes=True)
            table.add_columns(*COLUMNS)
            yield table
            yield Static(id="detail")
            yield Static(id="hint")
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.reload()
        self.watch(self.app, "state", self._show_state)

    # --- showing --------------------------------------------------------------------

    def reload(self, highlight: str | None = None) -> None:
        """Read accounts.toml again (after a change here, or to see one made elsewhere)."""
        self.problem = self.app.reload_accounts()
        self.draw(highlight)

    def _show_state(self, state: State) -> None:
        self.query_one(StatusBar).show(state)
        self.draw()  # a board that loaded has just synced its account

    @property
    def highlighted(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def draw(self, highlight: str | None = None) -> None:
        table = self.query_one(DataTable)
        keep = highlight or self.highlighted or self.app.state.account
        now = datetime.now(UTC)
        table.clear()
        for account in self.app.accounts:
            table.add_row(*self._cells(account, now), key=account.name)
        names = [account.name for account in self.app.accounts]
        if keep in names:
            table.move_cursor(row=names.index(keep), animate=False)
        problem = self.query_one("#problem", Static)
        problem.update(
            Text(f"{self.problem} (nothing is saved until it is fixed)" if self.problem else "")
        )
        problem.display = self.problem is not None
        self._show_detail()
        self.query_one("#hint", Static).update(Text(self._hint()))

    def _cells(self, account: Account, now: datetime) -> tuple[Text, ...]:
        status = self.app.account_status(account.name)
        current = account.name == self.app.state.account
        name = Text(("● " if current else "  ") + account.name, style="bold" if current else "")
        return (
            name,
            Text(account.provider),
            self._health(account.name, status),
            Text(describe_time(status.synced_at, now)),
            Text(account.url) if account.url else Text(_default_place(account), style="dim"),
        )

    def _health(self, name: str, status: AccountStatus) -> Text:
        if name in self.checking:
            return Text("⟳ checking…", style="italic")
        mark, style = HEALTH_STYLE[status.health]
        return Text(f"{mark} {status.health.value}", style=style)

    def _show_detail(self) -> None:
        name = self.highlighted
        detail = Text()
        if name is not None:
            status = self.app.account_status(name)
            if name in self.checking:
                detail.append(f"Checking {name}…", "italic")
            elif status.health is Health.NOT_CHECKED:
                detail.append(f"{name}: not checked yet (t tests it).")
            else:
                detail.append(status.summary)
                if status.checked_at is not None:
                    checked = describe_time(status.checked_at, datetime.now(UTC))
                    detail.append(f"  (checked {checked})", "dim")
        self.query_one("#detail", Static).update(detail)

    def _hint(self) -> str:
        keys = {action.binding.id: action.key_text for action in keyed_actions(self)}
        if any(account.name != LOCAL for account in self.app.accounts):
            switch = keys.get("app.switch_account")
            return f"{keys.get('accounts.switch')} opens an account" + (
                f" · {switch} switches from any screen" if switch else ""
            )
        remote = ", ".join(name for name in provider_names() if name != LOCAL)
        return f"Only the local board so far. {keys.get('accounts.add')} adds an account: {remote}."

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_switch()

    # --- keys -----------------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        table = self.query_one(DataTable)
        table.move_cursor(row=table.cursor_row + step)

    def action_switch(self) -> None:
        if (name := self.highlighted) is not None:
            self.app.open_account(name)

    def action_add(self) -> None:
        self.app.push_screen(AccountFormScreen(), self._saved)

    def action_edit(self) -> None:
        name = self.highlighted
        if name is None:
            return
        try:
            account = account_config(name)
        except ConfigError as problem:
            self.notify(str(problem), title="Cannot edit the account", severity="error")
            return
        self.app.push_screen(AccountFormScreen(account), self._saved)

    def _saved(self, account: AccountConfig | None) -> None:
        """A saved account is checked at once: a wrong token shows before it is used."""
        if account is None:
            return
        self.reload(highlight=account.name)
        if account.name == self.app.state.account:
            self.notify(f"Saved. Open {account.name} again (enter) to use the new settings.")
        self.check(account.name)

    def action_test(self) -> None:
        if (name := self.highlighted) is not None:
            self.check(name)

    def check(self, name: str) -> None:
        self.checking |= {name}
        self.draw()
        self.run_worker(
            self._check(name),
            group=f"check:{name}",
            exclusive=True,
            exit_on_error=False,
            description=f"test {name}",
        )

    async def _check(self, name: str) -> None:
        try:
            status = await check_account(
                name, self.app.account_status(name), self.app.connect_account
            )
            self.app.record_account_status(name, status)
        finally:
            self.checking -= {name}
            self.draw()

    def action_remove(self) -> None:
        name = self.highlighted
        if name is None:
            return
        if name == self.app.state.account:
            self.notify(f"{name} is open: switch to another account first.", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                remove_account(name)
            except ConfigError as problem:
                self.notify(str(problem), title="Not removed", severity="error")
                return
            self.reload()

        self.app.push_screen(
            ConfirmScreen(
                "Remove account",
                f"Remove {name!r} from accounts.toml? A token stored in the file goes "
                "with it; its boards on the service are not touched.",
                confirm="Remove",
            ),
            confirmed,
        )

    def action_close(self) -> None:
        self.dismiss()


def _default_place(account: Account) -> str:
    return "this machine" if account.provider == LOCAL else "the service's own"
