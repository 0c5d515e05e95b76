"""The changes waiting to be sent (queued, in doubt, refused), to retry or discard one.

A refusal is never dropped on its own: here the user sends it again (after fixing
what the service objected to) or lets it go. The list follows the store's state, so
a change that lands meanwhile leaves it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.outbox import Operation, OpState, describe
from tui.core.state import State
from tui.ui.screens.base import StoreModalScreen

STATE_WORDS = {
    OpState.PENDING: "waiting",
    OpState.SENDING: "sending",
    OpState.IN_DOUBT: "checking",
    OpState.CONFLICT: "refused",
}


class PendingScreen(StoreModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="pending.close"),
        Binding("r", "retry", "Retry", id="pending.retry", tooltip="Send this change again"),
        Binding("x", "discard", "Discard", id="pending.discard", tooltip="Forget this change"),
        Binding("s", "sync", "Send all", id="pending.sync", tooltip="Send what waits, now"),
    ]

    DEFAULT_CSS = """
    PendingScreen { align: center middle; }
    PendingScreen > Vertical {
        width: 90%; height: 80%; border: thick $primary; background: $surface; padding: 0 1;
    }
    PendingScreen #pending-title { text-style: bold; margin-bottom: 1; }
    PendingScreen OptionList { height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Changes waiting to be sent", id="pending-title")
            yield OptionList(id="pending-list")
        yield Footer()

    def on_mount(self) -> None:
        self.watch(self.app, "state", self._show)

    def _show(self, state: State) -> None:
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        if not state.operations:
            options.add_option(Option(Text("Nothing is waiting: every change was sent.")))
            return
        options.add_options([Option(_line(op), id=op.id) for op in state.operations])
        options.highlighted = min(highlighted or 0, len(state.operations) - 1)

    def _chosen(self) -> Operation | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        op_id = options.get_option_at_index(options.highlighted).id
        return next((op for op in self.store.state.operations if op.id == op_id), None)

    def action_retry(self) -> None:
        op = self._chosen()
        if op is not None:
            self.dispatch(self.store.retry(op.id), "send the change again")

    def action_discard(self) -> None:
        op = self._chosen()
        if op is not None:
            self.store.discard(op.id)
            self.notify(f"Discarded: {describe(op)}")

    def action_sync(self) -> None:
        self.dispatch(self.store.sync(), "send the changes")

    def action_close(self) -> None:
        self.dismiss(None)


def _line(op: Operation) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{STATE_WORDS[op.state]:<9}", "bold red" if op.state is OpState.CONFLICT else "")
    line.append(describe(op))
    if op.last_error:
        line.append(f" · {op.last_error}", "dim")
    return line
