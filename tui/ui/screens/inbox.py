"""The inbox: my cards and what is slipping, across every account, in one list.

Each account is read in a worker of its own, so a slow or unreachable service never
holds up the others: its group says "loading…" or why it is missing. `enter` opens the
card in its board (switching account when it has to), `!` triages the highlighted
entry's board's inbox cards.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tui.core.cache import Cache
from tui.core.errors import DatabaseError
from tui.core.inbox import AccountInbox, InboxEntry, collect, from_cache, why
from tui.ui.screens.base import CardboardScreen
from tui.ui.widgets.status_bar import StatusBar

LOADING = "loading…"


def entry_line(entry: InboxEntry, today: date, width: int = 0) -> Text:
    """One inbox row: the title, then its column and why it is here, in words.

    Within `width` (when given) the title gives way, never the reason.
    """
    column = entry.column.name if entry.column else entry.card.column_id
    reason = Text(f"  · {column} · {why(entry, today)}", "dim")
    title = Text(entry.card.title)
    if width > 0:
        title.truncate(max(width - reason.cell_len, 8), overflow="ellipsis")
    return title.append_text(reason)


class InboxScreen(CardboardScreen[None]):
    DEFAULT_CSS = """
    InboxScreen #inbox-header { height: 1; background: $panel; padding: 0 1; }
    InboxScreen OptionList { height: 1fr; border: none; }
    """

    BINDINGS = [
        Binding("enter", "open", "Open", id="inbox.open", tooltip="Open the card in its board"),
        Binding(
            "exclamation_mark",
            "triage",
            "Triage",
            id="inbox.triage",
            tooltip="Decide on this board's inbox cards one at a time",
        ),
        Binding("r", "refresh", "Refresh", id="inbox.refresh", tooltip="Read every account again"),
        Binding("escape,q", "close", "Back", id="inbox.close"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.inboxes: dict[str, AccountInbox | None] = {}
        """Per account, in the order of the account list; None while it loads."""
        self.refreshing: set[str] = set()
        """Accounts shown from the cache while the service is asked again."""
        self.listed: dict[str, InboxEntry] = {}
        """The entries on screen, by option id."""

    def compose(self) -> ComposeResult:
        yield Static(Text("Inbox · mine, overdue and due soon", style="bold"), id="inbox-header")
        yield OptionList()
        yield StatusBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(StatusBar).show(self.app.store.state)
        self.action_refresh()

    def action_refresh(self) -> None:
        self.inboxes = {account.name: None for account in self.app.accounts}
        self.refreshing = set(self.inboxes)
        self.show()
        for name in self.inboxes:
            self.run_worker(self._read(name), group="inbox", exit_on_error=False)

    async def _read(self, account: str) -> None:
        """What the cache knows at once, then what the service says now."""
        today = date.today()
        try:
            cache: Cache | None = Cache.for_account(account)
        except DatabaseError:  # no cache to paint from or to fill: read the service only
            cache = None
        try:
            cached = from_cache(account, cache, today) if cache is not None else None
            if cached is not None:
                self.inboxes[account] = cached
                self.show()
            try:
                provider = await self.app.account_providers(account)
            except Exception as error:  # a token command or config that fails: shown
                self.inboxes[account] = AccountInbox(account, None, (), error=str(error))
            else:
                fresh = await collect(account, provider, today, cache=cache)
                if fresh.error and not fresh.entries and cached is not None:
                    fresh = replace(cached, error=fresh.error)  # what it was, and why it still is
                self.inboxes[account] = fresh
        finally:
            if cache is not None:
                cache.close()
            self.refreshing.discard(account)
        self.show()

    # --- showing --------------------------------------------------------------------

    def show(self) -> None:
        today = date.today()
        option_list = self.query_one(OptionList)
        width = option_list.scrollable_content_region.width - 1
        options: list[Option | None] = []
        self.listed = {}
        for account, inbox in self.inboxes.items():
            heading = Text(account, style="bold")
            if inbox is None:
                heading.append(f"  {LOADING}", "dim")
            elif account in self.refreshing:
                heading.append(f"  cached · {LOADING}", "dim")
            elif inbox.error:
                heading.append(f"  {inbox.error}", "dim")
            elif not inbox.entries:
                heading.append("  nothing for you", "dim")
            options.append(Option(heading, disabled=True))
            board_id = None
            for n, entry in enumerate(inbox.entries if inbox else ()):
                if entry.board.id != board_id:
                    board_id = entry.board.id
                    options.append(Option(Text(f"  {entry.board.name}", "italic"), disabled=True))
                key = f"{account}/{n}"
                self.listed[key] = entry
                # One line each (the list would wrap a long row): the title gives way.
                row = Text("    ").append_text(entry_line(entry, today, max(width - 4, 0)))
                options.append(Option(row, id=key))
        highlighted = option_list.highlighted_option
        option_list.clear_options()
        option_list.add_options(options)
        if highlighted is not None and highlighted.id in self.listed:
            option_list.highlighted = option_list.get_option_index(highlighted.id)
        option_list.focus()

    def on_resize(self) -> None:
        self.show()

    @property
    def selected(self) -> InboxEntry | None:
        option = self.query_one(OptionList).highlighted_option
        return self.listed.get(option.id) if option is not None and option.id else None

    # --- acting ---------------------------------------------------------------------

    @on(OptionList.OptionSelected)
    def _chosen(self) -> None:
        # The list takes enter for itself; its selection is the screen's "open".
        self.action_open()

    def action_open(self) -> None:
        entry = self.selected
        if entry is not None:
            self.app.open_card_in_board(entry.account, entry.board.id, entry.card.id)

    def action_triage(self) -> None:
        entry = self.selected
        if entry is None:
            return
        cards = [
            e.card.id
            for e in self.listed.values()
            if e.account == entry.account and e.board.id == entry.board.id
        ]
        self.app.triage_in_board(
            entry.account, entry.board.id, cards, f"inbox · {entry.board.name}"
        )

    def action_close(self) -> None:
        self.dismiss()
