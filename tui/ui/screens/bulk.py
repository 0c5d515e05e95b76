"""What to do with the marked cards: one key, then the board does it to all of them.

The screen only chooses; it hands the board the action to run, so the work goes on
after the screen is gone, and the board says what came of it (and that `u` undoes).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from tui.core import bulk
from tui.core.bulk import BulkResult
from tui.core.provider import Capability
from tui.ui.screens.base import StoreModalScreen
from tui.ui.screens.dialogs import ConfirmScreen
from tui.ui.widgets.choice_prompt import ChoicePrompt, Prompt
from tui.ui.widgets.key_legend import column_bindings, legend


@dataclass(frozen=True)
class Action:
    """What the board is to do to the marked cards."""

    what: str
    """What it did, in words, for the toast: "Moved to Done"."""
    run: Callable[[], Awaitable[BulkResult]]
    undoable: bool = True
    """False for delete, and for archive where the service cannot restore."""


SHOWN_TITLES = 6

BULK_KEYS = (
    ("m", "mine"),
    ("a", "assign"),
    ("l", "label"),
    ("x", "archive"),
    ("D", "delete"),
    ("esc", "cancel"),
)


class BulkScreen(StoreModalScreen[Action | None]):
    AUTO_FOCUS = ""  # keys go to the screen's bindings; the prompt line focuses when it asks

    DEFAULT_CSS = """
    BulkScreen { align: center middle; }
    BulkScreen > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; background: $surface; padding: 0 1;
    }
    BulkScreen #bulk-cards { color: $text-muted; }
    BulkScreen #bulk-keys { margin-top: 1; }
    """

    BINDINGS = [
        *column_bindings("bulk"),
        Binding("m", "assign_me", "Mine", show=False, id="bulk.assign_me"),
        Binding("a", "ask('assign')", "Assign", show=False, id="bulk.assign"),
        Binding("l", "ask('label')", "Label", show=False, id="bulk.label"),
        Binding("x", "archive", "Archive", show=False, id="bulk.archive"),
        Binding("D", "delete", "Delete", show=False, id="bulk.delete"),
        Binding("escape", "cancel", "Cancel", id="bulk.cancel", tooltip="Keep the marks"),
    ]

    def __init__(self, card_ids: Sequence[str]):
        super().__init__()
        self.card_ids = tuple(card_ids)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(id="bulk-title")
            yield Static(id="bulk-cards")
            yield Static(id="bulk-keys")
            yield ChoicePrompt(on_answer=lambda prompt, answer: prompt.submit(answer))
        yield Footer()

    def on_mount(self) -> None:
        count = len(self.card_ids)
        self.query_one("#bulk-title", Static).update(
            Text(f"{count} marked card{'s' if count != 1 else ''}", style="bold")
        )
        titles = [card.title for i in self.card_ids if (card := self.store.state.card(i))]
        listed = "\n".join(f"· {title}" for title in titles[:SHOWN_TITLES])
        if len(titles) > SHOWN_TITLES:
            listed += f"\n… and {len(titles) - SHOWN_TITLES} more"
        self.query_one("#bulk-cards", Static).update(Text(listed, overflow="ellipsis"))
        self.query_one("#bulk-keys", Static).update(legend(self.store.state.board, BULK_KEYS))

    def _choose(
        self, what: str, run: Callable[[], Awaitable[BulkResult]], *, undoable: bool = True
    ) -> None:
        self.dismiss(Action(what, run, undoable))

    def action_move(self, number: int) -> None:
        board = self.store.state.board
        if board is None or self.refuses(Capability.MOVE):
            return
        if not 1 <= number <= len(board.columns):
            self.notify(f"there is no column {number}", severity="warning")
            return
        column = board.columns[number - 1]
        ids, store = self.card_ids, self.store
        self._choose(f"Moved to {column.name}", lambda: bulk.move_to_column(store, ids, column.id))

    def action_assign_me(self) -> None:
        if self.refuses(Capability.ASSIGNEES):
            return
        ids, store = self.card_ids, self.store

        async def mine() -> BulkResult:
            me = await store.provider.whoami()
            return await bulk.assign(store, ids, me.id)

        self._choose("Assigned to me", mine)

    def action_ask(self, what: str) -> None:
        board = self.store.state.board
        capability = Capability.ASSIGNEES if what == "assign" else Capability.LABELS
        if board is None or self.refuses(capability):
            return
        ids, store = self.card_ids, self.store
        if what == "assign":
            people = {user.id: user.name for user in board.users}
            prompt = Prompt(
                "Assign to",
                "type a name · enter picks the first match",
                lambda user_id: self._choose(
                    f"Assigned to {people[user_id]}", lambda: bulk.assign(store, ids, user_id)
                ),
                list(people.items()),
            )
        else:
            labels = {label.id: label.name for label in board.labels}
            prompt = Prompt(
                "Label",
                "type a label · enter adds it to every marked card",
                lambda label_id: self._choose(
                    f"Labelled {labels[label_id]}", lambda: bulk.add_label(store, ids, label_id)
                ),
                list(labels.items()),
            )
        self.query_one(ChoicePrompt).ask(prompt)

    def action_archive(self) -> None:
        if not self.refuses(Capability.ARCHIVE):
            ids, store = self.card_ids, self.store
            restores = store.supports(Capability.RESTORE)  # undo of an archive is a restore
            self._choose("Archived", lambda: bulk.archive(store, ids), undoable=restores)

    def action_delete(self) -> None:
        if self.refuses(Capability.DELETE):
            return
        ids, store = self.card_ids, self.store

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._choose("Deleted", lambda: bulk.delete(store, ids), undoable=False)

        count = len(ids)
        self.app.push_screen(
            ConfirmScreen("Delete cards", f"Delete {count} cards? This cannot be undone."),
            confirmed,
        )

    def action_cancel(self) -> None:
        asking = self.query_one(ChoicePrompt)
        if asking.prompt is not None:
            asking.close()
        else:
            self.dismiss(None)
