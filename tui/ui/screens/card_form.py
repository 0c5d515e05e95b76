"""The card form: a new card, or every field of an existing one.

Only the fields the provider can change are shown; the others are named with the
provider's reason. Saving is a store action (see FormScreen): the form closes with
the saved card, or stays open with everything typed and the error under it. A new
column or lane is a move (the store's move_card, which a WIP limit may refuse); the
other fields are one edit that sends only what changed.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select, Static, TextArea

from tui.core import board_view
from tui.core.errors import Conflict
from tui.core.models import BoardContent, Card, CardChanges, CardDraft, Priority
from tui.core.provider import Capability
from tui.ui.screens.dialogs import OverrideScreen
from tui.ui.screens.form import FormScreen, Invalid, PickMany, field

OPTIONAL_FIELDS = (
    Capability.MOVE,
    Capability.LABELS,
    Capability.ASSIGNEES,
    Capability.DUE_DATES,
    Capability.PRIORITY,
    Capability.BLOCKING,
)


def parse_due(text: str) -> date | None:
    """The due date as typed: blank clears it; anything else must be YYYY-MM-DD."""
    text = text.strip()
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(
            f"Due: {text!r} is not a date like 2025-01-31 (leave it blank for none)."
        ) from None


def blocked_words(blocked: bool) -> str:
    """The checkbox's label: its mark differs only by colour, so the words say it too."""
    return "Blocked: work on it cannot go on" if blocked else "Not blocked"


@dataclass(frozen=True)
class FormValues:
    """What the form holds right now, to compare with what it started with."""

    title: str
    column_id: str
    lane_id: str | None
    description: str
    label_ids: tuple[str, ...]
    assignee_id: str | None
    due: str
    priority: Priority | None
    blocked: bool


class CardFormScreen(FormScreen[Card | None]):
    DEFAULT_CSS = """
    CardFormScreen > .form--frame {
        max-width: 96;
        max-height: 44;
    }
    CardFormScreen .form--body > .form--field:first-child > Label {
        margin-top: 0;
    }
    CardFormScreen #description {
        height: 7;
    }
    CardFormScreen #labels {
        height: auto;
        max-height: 8;
    }
    CardFormScreen #blocked {
        margin-top: 1;
    }
    """

    SAVING = "save the card"
    DISCARD_MESSAGE = "What you typed in this card will be lost."

    def __init__(
        self,
        board: BoardContent,
        *,
        card: Card | None = None,
        column_id: str = "",
        lane_id: str | None = None,
    ):
        super().__init__()
        self.board = board
        self.card = card
        self.column_id = card.column_id if card else column_id
        self.lane_id = board_view.lane_key(board, card) if card and board.lanes else lane_id

    @classmethod
    def new(cls, board: BoardContent, column_id: str, lane_id: str | None) -> CardFormScreen:
        return cls(board, column_id=column_id, lane_id=lane_id)

    @classmethod
    def edit(cls, board: BoardContent, card: Card) -> CardFormScreen:
        return cls(board, card=card)

    # --- layout ---------------------------------------------------------------------

    def frame_title(self) -> str:
        return "Edit card" if self.card else "New card"

    def compose_fields(self) -> ComposeResult:
        card = self.card
        yield field("Title", Input(card.title if card else "", id="title"))
        yield Static(id="title-error", classes="form--error")
        if card is None or self.store.supports(Capability.MOVE):
            with Horizontal(classes="form--row"):
                yield from self._place_fields()
        yield field(
            "Description (Markdown)",
            TextArea(card.description if card else "", id="description", soft_wrap=True),
        )
        yield from self._optional_fields()

    def _place_fields(self) -> ComposeResult:
        """Where the card is: for a new card where it goes, for a card where it moves to."""
        columns = sorted(self.board.columns, key=lambda column: column.position)
        yield field(
            "Column",
            Select(
                # Text, not str: a name from the service is never parsed as markup
                [(Text(f"{c.group} › {c.name}" if c.group else c.name), c.id) for c in columns],
                value=self.column_id,
                allow_blank=False,
                id="column",
            ),
        )
        if self.board.lanes:
            lanes = board_view.board_lanes(self.board)
            known = any(lane.id == self.lane_id for lane in lanes)
            yield field(
                "Lane",
                Select(
                    [(Text(lane.name), lane.id) for lane in lanes],
                    value=self.lane_id if known else lanes[0].id,
                    allow_blank=False,
                    id="lane",
                ),
            )

    def _optional_fields(self) -> ComposeResult:
        supports = self.store.supports
        card = self.card
        if supports(Capability.LABELS):
            picked = {label.id for label in card.labels} if card else set()
            choices = [(label.name, label.id) for label in self.board.labels]
            if choices:
                yield field("Labels (space or enter: pick)", PickMany(choices, picked, id="labels"))
            else:
                yield Static("This board has no labels to pick from.", classes="form--note")
        with Horizontal(classes="form--row"):
            if supports(Capability.ASSIGNEES):
                assignee = card.assignee.id if card and card.assignee else Select.NULL
                yield field(
                    "Assignee",
                    Select(
                        [(Text(user.name), user.id) for user in self.board.users],
                        value=assignee,
                        prompt="Nobody",
                        id="assignee",
                    ),
                )
            if supports(Capability.DUE_DATES):
                due = card.due.isoformat() if card and card.due else ""
                yield field("Due (YYYY-MM-DD)", Input(due, placeholder="none", id="due"))
            if supports(Capability.PRIORITY):
                priority = card.priority if card and card.priority else Select.NULL
                yield field(
                    "Priority",
                    Select(
                        [(p.value.capitalize(), p) for p in Priority],
                        value=priority,
                        prompt="None",
                        id="priority",
                    ),
                )
        # the due date's message goes under the whole row, where there is room for it
        yield Static(id="due-error", classes="form--error")
        if card is not None and supports(Capability.BLOCKING):
            yield Checkbox(blocked_words(card.blocked), card.blocked, id="blocked")
        reasons = filter(None, map(self.store.provider.why_not, self._missing()))
        if note := " ".join(f"{reason.rstrip('.')}." for reason in reasons):
            yield Static(Text(note), classes="form--note")

    def _missing(self) -> list[Capability]:
        """The fields this provider cannot change, to be named with its reasons."""
        missing = [c for c in OPTIONAL_FIELDS if not self.store.supports(c)]
        if self.card is None:  # a new card is placed whatever MOVE says, and starts unblocked
            missing = [c for c in missing if c not in (Capability.MOVE, Capability.BLOCKING)]
        return missing

    async def prepare(self) -> None:
        self.query_one("#title", Input).focus()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = blocked_words(event.value)

    # --- reading the form -----------------------------------------------------------

    def _value(self, selector: str, hidden: Any) -> Any:
        """A field's value, or `hidden` when the form does not show that field."""
        widgets = self.query(selector)
        if not widgets:
            return hidden
        widget = widgets.first()
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, PickMany):
            return widget.selected
        if isinstance(widget, TextArea):
            return widget.text
        assert isinstance(widget, (Input, Checkbox)), f"{selector} is not a field of the form"
        return widget.value

    def draft(self) -> FormValues:
        card = self.card
        labels = tuple(label.id for label in card.labels) if card else ()
        assignee = card.assignee.id if card and card.assignee else None
        return FormValues(
            title=self._value("#title", ""),
            column_id=self._value("#column", self.column_id),
            lane_id=self._value("#lane", self.lane_id),
            description=self._value("#description", ""),
            label_ids=self._value("#labels", labels),
            assignee_id=self._value("#assignee", assignee),
            due=self._value("#due", card.due.isoformat() if card and card.due else ""),
            priority=self._value("#priority", card.priority if card else None),
            blocked=self._value("#blocked", card.blocked if card else False),
        )

    # --- saving ---------------------------------------------------------------------

    def submit(self) -> Card | Awaitable[Card]:
        values = self.draft()
        title = values.title.strip()
        if not title:
            raise Invalid("A card needs a title.", field="title")
        try:
            due = parse_due(values.due)
        except ValueError as error:
            raise Invalid(str(error), field="due") from None
        if self.card is None:
            return self.store.create_card(
                CardDraft(
                    title=title,
                    column_id=values.column_id,
                    lane_id=values.lane_id,
                    description=values.description,
                    label_ids=values.label_ids,
                    assignee_id=values.assignee_id,
                    due=due,
                    priority=values.priority,
                )
            )
        changes = self._changes(self.card, values, title, due)
        moves = (values.column_id, values.lane_id) != (self.column_id, self.lane_id)
        if not changes.fields_set and not moves:
            return self.card
        return self._save_edit(self.card, changes, values if moves else None)

    async def _save_edit(self, card: Card, changes: CardChanges, place: FormValues | None) -> Card:
        """The edit, then the move: a refused move leaves the edit saved and says why."""
        if changes.fields_set:
            card = await self.store.update_card(card.id, changes)
            self.card = card  # saved: trying again sends only the move
        if place is None:
            return card
        lane = place.lane_id or ""
        board = self.store.state.board or self.board
        end = len(board_view.cards_in_cell(board, place.column_id, lane))
        try:
            return await self.store.move_card(card.id, place.column_id, lane, end)
        except Conflict as refusal:  # a WIP limit the service lets users break, with a reason
            if not refusal.overridable:
                raise
            reason = await self.app.push_screen_wait(OverrideScreen(str(refusal)))
            if not reason:
                raise
            return await self.store.move_card(
                card.id, place.column_id, lane, end, override_reason=reason
            )

    @staticmethod
    def _changes(card: Card, values: FormValues, title: str, due: date | None) -> CardChanges:
        """Only what differs from the card, so a field someone else changed meanwhile is kept."""
        changed: dict[str, Any] = {}
        if title != card.title:
            changed["title"] = title
        if values.description != card.description:
            changed["description"] = values.description
        if set(values.label_ids) != {label.id for label in card.labels}:
            changed["label_ids"] = values.label_ids
        if values.assignee_id != (card.assignee.id if card.assignee else None):
            changed["assignee_id"] = values.assignee_id
        if due != card.due:
            changed["due"] = due
        if values.priority != card.priority:
            changed["priority"] = values.priority
        if values.blocked != card.blocked:
            changed["blocked"] = values.blocked
        return CardChanges(**changed)
