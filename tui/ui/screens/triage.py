"""Triage: one card at a time with its fields, a counter, and one key per decision.

The keys are on screen, not only in the footer: at 80x24 a person triaging forty
cards should never have to open help. Decisions that need a word (assign, label,
priority, due, snooze, comment) open one prompt line at the bottom; for people,
labels and priorities it filters as you type and enter takes the first match.
Every decision is a store write (so it never waits for the network); `u` takes the
last one back, repeatedly. When the queue is done, the screen says what was decided.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from tui.core.due_input import EXAMPLES, parse_due
from tui.core.errors import DatabaseError, ProviderError
from tui.core.models import Priority, User
from tui.core.provider import Capability
from tui.core.snooze import Snoozes
from tui.core.triage import Decision, TriageSession
from tui.ui.screens.base import StoreScreen
from tui.ui.screens.card import CardFields
from tui.ui.widgets.choice_prompt import ChoicePrompt, Prompt
from tui.ui.widgets.key_legend import column_bindings, legend
from tui.ui.widgets.status_bar import StatusBar

ANNOTATIONS = (
    ("m", "mine"),
    ("a", "assign"),
    ("l", "label"),
    ("d", "due"),
    ("p", "priority"),
    ("c", "comment"),
)
"""Keys that change the card and stay on it."""
VERDICTS = (("x", "archive"), ("s", "skip"), ("z", "snooze"), ("u", "undo"), ("q", "done"))
"""Keys that finish the card (and undo, and the way out)."""

DESCRIPTION_LINES = 12
"""How much of the description triage shows: enough to decide, the card screen has it all."""


class TriageScreen(StoreScreen):
    DEFAULT_CSS = """
    TriageScreen #triage-header { height: 1; background: $panel; padding: 0 1; }
    TriageScreen #triage-title { text-style: bold; max-height: 3; padding: 0 1; }
    TriageScreen #triage-body { height: 1fr; padding: 0 1; }
    TriageScreen #triage-description { color: $text-muted; margin-top: 1; }
    TriageScreen #triage-keys { height: auto; padding: 0 1; background: $boost; }
    """

    # The legend on screen lists every key, so the footer keeps only the way out.
    BINDINGS = [
        *column_bindings("triage"),
        Binding("m", "assign_me", "Mine", show=False, id="triage.assign_me"),
        Binding("a", "ask('assign')", "Assign", show=False, id="triage.assign"),
        Binding("l", "ask('label')", "Label", show=False, id="triage.label"),
        Binding("d", "ask('due')", "Due", show=False, id="triage.due"),
        Binding("p", "ask('priority')", "Priority", show=False, id="triage.priority"),
        Binding("c", "ask('comment')", "Comment", show=False, id="triage.comment"),
        Binding("x", "archive", "Archive", show=False, id="triage.archive"),
        Binding("s", "skip", "Skip", show=False, id="triage.skip"),
        Binding("z", "ask('snooze')", "Snooze", show=False, id="triage.snooze"),
        Binding("u", "undo", "Undo", show=False, id="triage.undo"),
        Binding("escape,q", "close", "Done", id="triage.close", tooltip="Back to the board"),
    ]

    def __init__(self, card_ids: Sequence[str], queue_name: str):
        super().__init__()
        self.card_ids = tuple(card_ids)
        self.queue_name = queue_name
        self.session: TriageSession | None = None
        self._me: User | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="triage-header")
        yield Static(id="triage-title")
        with VerticalScroll(id="triage-body"):
            yield CardFields()
            yield Static(id="triage-description")
        yield Static(id="triage-keys")
        yield ChoicePrompt(on_answer=self._answered)
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        try:
            snoozes: Snoozes | None = Snoozes()
        except DatabaseError as error:
            snoozes = None
            self.notify(f"Snoozing is off: {error}", severity="warning")
        self.session = TriageSession(
            self.store,
            self.card_ids,
            account=self.store.state.account,
            snoozes=snoozes,
            today=date.today(),
            send=self.send,
        )
        self.watch(self.app, "state", lambda _: self.show())

    # --- showing --------------------------------------------------------------------

    def show(self) -> None:
        session = self.session
        if session is None:
            return
        self.query_one(StatusBar).show(self.store.state)
        header = Text(f"Triage · {self.queue_name} · ", style="bold")
        card = session.current
        header.append("done" if card is None else session.counter())
        self.query_one("#triage-header", Static).update(header)
        if card is None:
            self._show_summary(session)
            return
        self.query_one("#triage-title", Static).update(Text(card.title))
        self.query_one(CardFields).display = True
        self.query_one(CardFields).show(card, self.store.state.board, date.today())
        lines = card.description.splitlines()
        description = "\n".join(lines[:DESCRIPTION_LINES])
        if len(lines) > DESCRIPTION_LINES:
            description += f"\n… {len(lines) - DESCRIPTION_LINES} more lines (enter on the board)"
        self.query_one("#triage-description", Static).update(Text(description))
        self.query_one("#triage-keys", Static).update(
            legend(self.store.state.board, ANNOTATIONS, VERDICTS)
        )

    def _show_summary(self, session: TriageSession) -> None:
        decided = session.summary()
        skipped = sum(1 for _, what in decided if what == ["skipped"])
        self.query_one("#triage-title", Static).update(
            Text(
                f"Triage done: {len(decided) - skipped} changed, {skipped} skipped,"
                f" {len(session.queue) - len(decided)} left of {len(session.queue)}"
            )
        )
        self.query_one(CardFields).display = False
        summary = Text()
        for title, what in decided:
            summary.append(f"{title}\n", "bold")
            summary.append(f"  {', '.join(what)}\n")
        self.query_one("#triage-description", Static).update(summary)
        self.query_one("#triage-keys", Static).update(Text("u undo the last decision · q back"))

    # --- deciding -------------------------------------------------------------------

    def decide(self, decision: Callable[[TriageSession], object]) -> None:
        """Take one decision now (its write goes on in the background), then show the next."""
        if self.session is None:
            return
        try:
            decision(self.session)
        except ValueError as error:  # a decision that makes no sense here
            self.notify(str(error), severity="warning")
        self.show()

    def send(self, write: Awaitable[object], what: str) -> None:
        """The session's sender: each write in a worker, refusals reported by `action_failed`."""
        self.run_worker(write, group="triage-writes", description=what, exit_on_error=False)

    def action_failed(self, description: str, error: BaseException | None) -> None:
        if isinstance(error, ProviderError):
            self.notify(str(error), title=f"Refused: {description}", severity="error")
        else:
            super().action_failed(description, error)

    def action_move(self, number: int) -> None:
        if not self.refuses(Capability.MOVE):
            self.decide(lambda session: session.move_to_column(number))

    def action_assign_me(self) -> None:
        if self.refuses(Capability.ASSIGNEES):
            return

        async def mine() -> None:
            if self._me is None:
                self._me = await self.store.provider.whoami()
            me = self._me
            self.decide(lambda session: session.assign(me.id, name=me.name))

        self.run_worker(mine(), group="triage", exit_on_error=False)

    def action_archive(self) -> None:
        if not self.refuses(Capability.ARCHIVE):
            self.decide(lambda session: session.archive())

    def action_skip(self) -> None:
        self.decide(lambda session: session.skip())

    def action_undo(self) -> None:
        if self.session is None:
            return
        decision = self.session.undo()
        if decision is None:
            self.notify("Nothing to undo", severity="warning")
        elif decision.undo is None and decision.what != "skipped":
            self.notify(f"Back to “{decision.card_title}”; {decision.what} cannot be taken back")
        else:
            self.notify(f"Undone: {decision.what}", timeout=3)
        self.show()

    def action_close(self) -> None:
        asking = self.query_one(ChoicePrompt)
        if asking.prompt is not None:
            asking.close()
            self.query_one("#triage-body").focus()
        else:
            self.dismiss()

    # --- the prompt line ------------------------------------------------------------

    def action_ask(self, what: str) -> None:
        board = self.store.state.board
        if self.session is None or self.session.done or board is None:
            return
        needs = {
            "assign": Capability.ASSIGNEES,
            "label": Capability.LABELS,
            "due": Capability.DUE_DATES,
            "priority": Capability.PRIORITY,
            "comment": Capability.COMMENTS,
        }
        if what in needs and self.refuses(needs[what]):
            return
        session = self.session
        prompts = {
            "assign": Prompt(
                "Assign to",
                "type a name · enter picks the first match",
                session.assign,
                [(user.id, user.name) for user in board.users],
            ),
            "label": Prompt(
                "Label",
                "type a label · enter adds or removes it",
                session.toggle_label,
                [(label.id, label.name) for label in board.labels],
            ),
            "priority": Prompt(
                "Priority",
                "low, normal, high or urgent",
                lambda value: session.set_priority(Priority(value)),
                [(priority.value, priority.value) for priority in Priority],
            ),
            "due": Prompt(
                "Due", EXAMPLES, lambda text: session.set_due(parse_due(text, session.today))
            ),
            "snooze": Prompt("Snooze until", EXAMPLES, self._snooze),
            "comment": Prompt("Comment", "enter sends it", session.comment),
        }
        self.query_one(ChoicePrompt).ask(prompts[what])

    def _snooze(self, text: str) -> Decision:
        session = self.session
        assert session is not None
        until = parse_due(text, session.today)
        if until is None:
            raise ValueError("snooze until a day after today, e.g. mon or +1w")
        return session.snooze(until)

    def _answered(self, prompt: Prompt, answer: str) -> None:
        self.query_one("#triage-body").focus()
        self.decide(lambda _session: prompt.submit(answer))
