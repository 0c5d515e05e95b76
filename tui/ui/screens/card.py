"""The card detail: every field, the description as Markdown, the checklist and the comments.

The screen renders `State.detail` and nothing else; each change goes through a store
action, so an optimistic toggle shows at once and a refused one flips back by itself.
What the provider cannot do is replaced by the provider's reason, not hidden silently.

Service text is shown as `rich.text.Text`, never parsed as markup, and is already free
of control characters (tui.core.sanitize). A description or comment in HTML is shown
converted (tui.core.html_text); a huge one is cut, with a note, so the screen opens
at once; a huge title takes three lines at most and is shown whole among the fields.
"""

from __future__ import annotations

from datetime import date, datetime

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Input, Label, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option
from textual.worker import Worker

from tui.core.due_input import due_words
from tui.core.html_text import readable
from tui.core.models import BoardContent, Card, ChecklistItem, Comment
from tui.core.provider import Capability
from tui.core.store import CardDetail, State
from tui.ui.screens.base import StoreScreen
from tui.ui.screens.card_form import CardFormScreen
from tui.ui.timer_actions import toggle_timer
from tui.ui.widgets.card_tile import label_chip
from tui.ui.widgets.long_text import (
    LONG_TITLE,
    MARKDOWN_LINES,
    TITLE_LINES,
    FirstLines,
    readable_description,
    shortened,
)
from tui.ui.widgets.status_bar import StatusBar

OPEN_CARD = "open the card"


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class CardFields(Static):
    """The card's fields as a two-column table."""

    COMPONENT_CLASSES = {
        "card-fields--name",
        "card-fields--none",
        "card-fields--overdue",
        "card-fields--blocked",
    }

    DEFAULT_CSS = """
    CardFields { height: auto; }
    CardFields > .card-fields--name { color: $card-muted; }
    CardFields > .card-fields--none { color: $card-muted; text-style: italic; }
    CardFields > .card-fields--overdue { color: $due-overdue; text-style: bold; }
    CardFields > .card-fields--blocked { color: $error; text-style: bold; }
    """

    def show(self, card: Card, board: BoardContent | None, today: date) -> None:
        style = self.get_component_rich_style
        none = Text("none", style("card-fields--none"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style=style("card-fields--name"), no_wrap=True)
        table.add_column(ratio=1)

        columns = board.columns if board else ()
        column = next((column for column in columns if column.id == card.column_id), None)
        if column is None:
            table.add_row("Column", Text(card.column_id))
        else:
            name = f"{column.group} › {column.name}" if column.group else column.name
            table.add_row("Column", Text(name))
        if board is not None and board.lanes:
            lane = next((lane for lane in board.lanes if lane.id == card.lane_id), None)
            table.add_row("Lane", Text(lane.name) if lane else none)

        labels = Text()
        for label in card.labels:
            labels.append(f" {label.name} ", label_chip(label.color))
            labels.append(" ")
        table.add_row("Labels", labels if card.labels else none)
        table.add_row("Assignee", Text(card.assignee.name) if card.assignee else none)
        if card.members:
            table.add_row("Members", Text(", ".join(member.name for member in card.members)))
        if card.owner and card.owner != card.assignee:
            table.add_row("Owner", Text(card.owner.name))
        if card.card_type:
            table.add_row("Type", Text(card.card_type))
        if card.size:
            table.add_row("Size", Text(card.size))

        if card.due is None:
            table.add_row("Due", none)
        else:
            due = Text(f"{card.due.isoformat()}  ")
            overdue = style("card-fields--overdue") if card.due < today else ""
            due.append(due_words(card.due, today), overdue)
            table.add_row("Due", due)
        table.add_row("Priority", Text(card.priority.value) if card.priority else none)
        table.add_row(
            "Blocked",
            Text(
                f"yes: {card.block_reason}" if card.block_reason else "yes, blocked",
                style("card-fields--blocked"),
            )
            if card.blocked
            else Text("no"),
        )
        if card.url:
            table.add_row("Link", Text(card.url, overflow="fold"))
        if card.updated_at:
            table.add_row("Updated", Text(local_time(card.updated_at)))
        if len(card.title) > LONG_TITLE:
            # The heading shows only its start. Last, so the fields above stay in reach.
            table.add_row("Title", Text(card.title))
        self.update(table)


class Checklist(OptionList):
    """The card's items, "[x]" when done; space or enter toggles the highlighted one."""

    BINDING_GROUP_TITLE = "Checklist"

    # Only the keys that mean something here, so help shows "Toggle item" for enter.
    BINDINGS = [
        Binding(
            "space,enter",
            "select",
            "Toggle item",
            id="card.toggle_item",
            tooltip="Mark the item done or not done",
        ),
        Binding("down", "cursor_down", "Next item", show=False, id="card.next_item"),
        Binding("up", "cursor_up", "Previous item", show=False, id="card.previous_item"),
        Binding("home", "first", "First item", show=False, id="card.first_item"),
        Binding("end", "last", "Last item", show=False, id="card.last_item"),
    ]

    def show(self, items: tuple[ChecklistItem, ...]) -> None:
        highlighted = self.highlighted
        self.set_options(
            Option(Text(f"[{'x' if item.done else ' '}] {item.text}"), id=item.id)
            for item in sorted(items, key=lambda item: item.position)
        )
        # an empty list would still take a tab stop
        self.display = bool(items)
        if items:
            self.highlighted = min(highlighted or 0, len(items) - 1)


class Comments(Static):
    COMPONENT_CLASSES = {"comments--author", "comments--when", "comments--none"}

    DEFAULT_CSS = """
    Comments { height: auto; }
    Comments > .comments--author { text-style: bold; color: $primary; }
    Comments > .comments--when { color: $card-muted; }
    Comments > .comments--none { color: $card-muted; text-style: italic; }
    """

    def show(self, comments: tuple[Comment, ...]) -> None:
        style = self.get_component_rich_style
        if not comments:
            self.update(Text("No comments yet.", style("comments--none")))
            return
        parts: list[Text] = []
        for comment in comments:
            author = comment.author.name if comment.author else "someone"
            heading = Text(author, style("comments--author"))
            if comment.created_at is not None:
                heading.append(f"  {local_time(comment.created_at)}", style("comments--when"))
            text, note = shortened(comment.text)
            body = Text(readable(text))
            if note:
                body.append(f"\n{note}", style("comments--when"))
            parts += [heading, body, Text()]
        self.update(Group(*parts[:-1]))


class CardScreen(StoreScreen):
    DEFAULT_CSS = """
    CardScreen #card-title {
        dock: top;
        height: auto;
        padding: 0 1;
        background: $panel;
        color: $card-title;
        text-style: bold;
    }
    CardScreen #card-body {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    CardScreen #card-body > * {
        max-width: 110;
    }
    CardScreen .card--heading {
        margin-top: 1;
        text-style: bold underline;
        color: $primary;
    }
    CardScreen #long-description {
        display: none;
    }
    CardScreen Markdown {
        margin: 0;
        padding: 0;
        background: transparent;
    }
    CardScreen Checklist {
        height: auto;
        max-height: 12;
        border: none;
        padding: 0;
        background: transparent;
    }
    CardScreen #new-comment {
        height: 5;
    }
    CardScreen .card--hint, CardScreen .card--unsupported {
        color: $foreground-muted;
        text-style: italic;
    }
    """

    BINDINGS = [
        Binding(
            "escape,q",
            "close",
            "Back",
            id="card.close",
            tooltip="Back to the board (escape leaves a text box first)",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="card.edit",
            tooltip="Title, description, labels, assignee, due date, priority",
        ),
        Binding(
            "plus", "add_item", "Add item", id="card.add_item", tooltip="Type a new checklist item"
        ),
        Binding("c", "comment", "Comment", id="card.comment", tooltip="Write a comment"),
        Binding(
            "ctrl+s",
            "send_comment",
            "Send comment",
            id="card.send_comment",
            tooltip="Send the comment you typed",
        ),
        Binding(
            "r",
            "reload",
            "Reload",
            show=False,
            id="card.reload",
            tooltip="Fetch the card again from the service",
        ),
        Binding(
            "t",
            "timer",
            "Start/stop timer",
            show=False,
            id="card.timer",
            tooltip="Time this card; t again stops it",
        ),
    ]

    def __init__(self, card_id: str):
        super().__init__()
        self.card_id = card_id
        self._shown: CardDetail | None = None
        self._open_error: str | None = None
        self._sending: Worker[None] | None = None

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="card-title")
        with VerticalScroll(id="card-body"):
            yield CardFields()
            yield Label("Description", classes="card--heading")
            yield Markdown(id="description")
            yield Static(id="long-description")
            yield Label("Checklist", id="checklist-heading", classes="card--heading")
            if self.store.supports(Capability.CHECKLISTS):
                yield Checklist(id="checklist")
                yield Input(placeholder="New item: type, then enter (+)", id="new-item")
            else:
                yield self._unsupported(Capability.CHECKLISTS)
            yield Label("Comments", id="comments-heading", classes="card--heading")
            if self.store.supports(Capability.COMMENTS):
                yield Comments()
                yield TextArea(id="new-comment", placeholder="Write a comment…", soft_wrap=True)
                yield Static("c to write, ctrl+s to send", classes="card--hint")
            else:
                yield self._unsupported(Capability.COMMENTS)
        yield StatusBar()
        yield Footer()

    def _unsupported(self, capability: Capability) -> Static:
        reason = self.store.provider.why_not(capability) or ""
        return Static(Text(reason), classes="card--unsupported")

    def on_mount(self) -> None:
        self.query_one("#card-body").focus()
        self.watch(self.app, "state", self._show_state)
        self.dispatch(self.store.open_card(self.card_id), OPEN_CARD)

    # --- rendering ------------------------------------------------------------------

    @property
    def detail(self) -> CardDetail | None:
        """This card's detail from the store, once loaded (None while another card's is there)."""
        detail = self.app.state.detail
        return detail if detail is not None and detail.card.id == self.card_id else None

    def _show_state(self, state: State) -> None:
        self.query_one(StatusBar).show(state)
        detail = self.detail
        if detail is None:
            message = "Loading the card…"
            if self._open_error:
                message = f"Could not open the card: {self._open_error} (r to retry)"
            self.query_one("#card-title", Static).update(Text(message))
            return
        if detail is self._shown:
            return
        before, self._shown = self._shown, detail
        card = detail.card
        title = Text(card.title)
        if detail.loading:
            title.append("  (loading…)")
        self.query_one("#card-title", Static).update(FirstLines(title, TITLE_LINES))
        self.query_one(CardFields).show(card, state.board, date.today())
        if before is None or before.card.description != card.description:
            self._show_description(card.description)
        checklist = card.checklist
        if self.query(Checklist) and (before is None or before.card.checklist != checklist):
            self.query_one(Checklist).show(checklist)
            self.query_one("#checklist-heading", Label).update(
                f"Checklist {card.checklist_done}/{len(checklist)} done"
                if checklist
                else "Checklist (empty)"
            )
        comments = detail.comments
        if self.query(Comments) and (before is None or before.comments != comments):
            self.query_one(Comments).show(comments)
            self.query_one("#comments-heading", Label).update(f"Comments ({len(comments)})")

    def _show_description(self, description: str) -> None:
        markdown = self.query_one("#description", Markdown)
        plain = self.query_one("#long-description", Static)
        text, note = readable_description(description)
        as_markdown = note is None and text.count("\n") < MARKDOWN_LINES
        if as_markdown:
            markdown.update(text)
        else:
            shown = Text(text)
            if note:
                shown.append(f"\n\n{note}", "italic")
            plain.update(shown)
        markdown.display, plain.display = as_markdown, not as_markdown

    def action_failed(self, description: str, error: BaseException | None) -> None:
        super().action_failed(description, error)
        if description == OPEN_CARD and self.detail is None:
            self._open_error = str(error)
            self._show_state(self.app.state)

    # --- actions --------------------------------------------------------------------

    def _explain_unless(self, capability: Capability) -> bool:
        """True when the provider can; otherwise say why not and return False."""
        reason = self.store.provider.why_not(capability)
        if reason is not None:
            self.notify(reason, severity="warning")
        return reason is None

    def action_close(self) -> None:
        if isinstance(self.focused, (Input, TextArea)):
            # escape in a text box only leaves it, so a half-typed comment is not thrown away
            self.query_one("#card-body").focus()
            return
        self.store.close_card()
        self.dismiss()

    def action_edit(self) -> None:
        detail, board = self.detail, self.app.state.board
        if not self._explain_unless(Capability.EDIT):
            return
        if detail is None or board is None:
            self.notify("The card is still loading.", severity="warning")
            return
        self.app.push_screen(CardFormScreen.edit(board, detail.card))

    def action_timer(self) -> None:
        detail = self.detail
        toggle_timer(self, detail.card if detail else self.store.state.card(self.card_id))

    def action_reload(self) -> None:
        self._open_error = None
        self.dispatch(self.store.open_card(self.card_id), OPEN_CARD)

    def action_add_item(self) -> None:
        if self._explain_unless(Capability.CHECKLISTS):
            self.query_one("#new-item", Input).focus()

    def action_comment(self) -> None:
        if self._explain_unless(Capability.COMMENTS):
            self.query_one("#new-comment", TextArea).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if isinstance(event.option_list, Checklist) and event.option.id is not None:
            self.dispatch(
                self.store.toggle_checklist_item(self.card_id, event.option.id),
                "toggle the checklist item",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "new-item":
            return
        text = event.value.strip()
        if text:
            self.dispatch(self._add_item(event.input, text), "add the checklist item")

    async def _add_item(self, field: Input, text: str) -> None:
        await self.store.add_checklist_item(self.card_id, text)
        if field.value.strip() == text:
            field.clear()

    def action_send_comment(self) -> None:
        if not self._explain_unless(Capability.COMMENTS):
            return
        box = self.query_one("#new-comment", TextArea)
        text = box.text.strip()
        if not text:
            self.notify("Type the comment first (c).", severity="warning")
            box.focus()
            return
        if self._sending is None or not self._sending.is_running:
            self._sending = self.dispatch(self._send_comment(box, text), "add the comment")

    async def _send_comment(self, box: TextArea, text: str) -> None:
        await self.store.add_comment(self.card_id, text)
        # Cleared only once the service has it: on failure the text stays to try again.
        if box.text.strip() == text:
            box.clear()
