"""The quick switcher: every account in a small list over any screen; type to filter, enter."""

from __future__ import annotations

from rich.text import Text
from textual.widgets.option_list import Option

from tui.core.account_status import Health
from tui.core.models import Account
from tui.ui.screens.picker import PickerScreen


def matches(account: Account, query: str) -> bool:
    """Every word of the query appears in the account's name or provider."""
    haystack = f"{account.name} {account.provider}".casefold()
    return all(word in haystack for word in query.casefold().split())


class SwitcherScreen(PickerScreen):
    """Dismisses with the chosen account's name, or None."""

    DEFAULT_CSS = """
    SwitcherScreen > .picker--frame {
        max-width: 56;
        height: auto;
        max-height: 20;
    }
    SwitcherScreen OptionList {
        height: auto;
        max-height: 14;
    }
    """

    FRAME_TITLE = "Switch account"
    PLACEHOLDER = "Type to filter accounts"
    LIST_ID = "accounts"

    def options(self, query: str) -> list[Option]:
        shown = [account for account in self.app.accounts if matches(account, query)]
        return [Option(self._label(account), id=account.name) for account in shown] or [
            Option(Text(f"No account matches {query!r}.", style="italic"), disabled=True)
        ]

    def current(self) -> str | None:
        # Opening on the account in use: enter then does nothing surprising.
        return self.app.state.account

    def _label(self, account: Account) -> Text:
        label = Text(f"{account.name}  ")
        label.append(account.provider, "dim")
        health = self.app.account_status(account.name).health
        if health not in (Health.OK, Health.NOT_CHECKED):
            label.append(f"  ✗ {health.value}", "red")
        if account.name == self.app.state.account:
            label.append("  (open now)", "italic")
        return label
