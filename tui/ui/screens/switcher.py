"""The quick switcher: every account in a small list over any screen; type to filter, enter."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from tui.core.account_status import Health
from tui.core.models import Account

if TYPE_CHECKING:
    from tui.ui.app import CardboardApp


def matches(account: Account, query: str) -> bool:
    """Every word of the query appears in the account's name or provider."""
    haystack = f"{account.name} {account.provider}".casefold()
    return all(word in haystack for word in query.casefold().split())


class SwitcherScreen(ModalScreen[str | None]):
    """Dismisses with the chosen account's name, or None."""

    app: CardboardApp

    DEFAULT_CSS = """
    SwitcherScreen {
        align: center middle;
    }
    SwitcherScreen > Vertical {
        width: 100%;
        max-width: 56;
        height: auto;
        max-height: 20;
        border: thick $primary;
        background: $surface;
    }
    SwitcherScreen OptionList {
        height: auto;
        max-height: 14;
        border: none;
    }
    """

    BINDINGS = [
        Binding(
            "enter",
            "open",
            "Open account",
            id="switcher.open",
            tooltip="Switch to the highlighted account",
        ),
        Binding("escape", "cancel", "Cancel", id="switcher.cancel", tooltip="Stay on this account"),
        Binding("down", "next", "Next account", show=False, id="switcher.next"),
        Binding("up", "previous", "Previous account", show=False, id="switcher.previous"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical() as frame:
            frame.border_title = "Switch account"
            frame.border_subtitle = "enter open · esc cancel"
            yield Input(placeholder="Type to filter accounts", id="filter")
            yield OptionList(id="accounts")

    def on_mount(self) -> None:
        self._show(current_first=True)
        self.query_one("#filter", Input).focus()

    def _show(self, *, current_first: bool = False) -> None:
        query = self.query_one("#filter", Input).value
        shown = [account for account in self.app.accounts if matches(account, query)]
        options = self.query_one("#accounts", OptionList)
        options.set_options(
            [Option(self._label(account), id=account.name) for account in shown]
            or [Option(Text(f"No account matches {query!r}.", style="italic"), disabled=True)]
        )
        names = [account.name for account in shown]
        if names:
            # Opening on the account in use: enter then does nothing surprising.
            current = self.app.state.account
            start = current if current_first and current in names else names[0]
            options.highlighted = names.index(start)

    def _label(self, account: Account) -> Text:
        label = Text(f"{account.name}  ")
        label.append(account.provider, "dim")
        health = self.app.account_status(account.name).health
        if health not in (Health.OK, Health.NOT_CHECKED):
            label.append(f"  ✗ {health.value}", "red")
        if account.name == self.app.state.account:
            label.append("  (open now)", "italic")
        return label

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_open()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)

    def action_open(self) -> None:
        option = self.query_one("#accounts", OptionList).highlighted_option
        if option is not None and option.id is not None:
            self.dismiss(option.id)

    def action_next(self) -> None:
        self.query_one("#accounts", OptionList).action_cursor_down()

    def action_previous(self) -> None:
        self.query_one("#accounts", OptionList).action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
