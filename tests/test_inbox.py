"""The inbox rule (mine, overdue, due soon; never done or archived) and reading accounts."""

from __future__ import annotations

from datetime import date, timedelta

from tui.core.cache import Cache
from tui.core.errors import Unavailable
from tui.core.inbox import Reason, collect, entries_of, from_cache, reasons_for
from tui.core.models import Board, BoardContent, Card, Column, ColumnKind, User
from tui.core.provider import Capabilities, Connection, Provider

TODAY = date(2026, 11, 20)
ME = User(id="u1", name="Ada")
BOB = User(id="u2", name="Bob")
TODO = Column(id="todo", name="To do", kind=ColumnKind.QUEUE)
DONE = Column(id="done", name="Done", kind=ColumnKind.DONE)


def card(card_id: str, *, who: User | None = None, due: int | None = None, **fields) -> Card:
    return Card(
        id=card_id,
        board_id="b1",
        title=f"card {card_id}",
        column_id=fields.pop("column_id", TODO.id),
        assignee=who,
        due=None if due is None else TODAY + timedelta(days=due),
        **fields,
    )


def board(*cards: Card, board_id: str = "b1") -> BoardContent:
    return BoardContent(
        board=Board(id=board_id, name=f"Board {board_id}"), columns=(TODO, DONE), cards=cards
    )


def test_mine_overdue_and_due_soon_each_count_and_others_do_not():
    assert reasons_for(card("1", who=ME), ME, TODAY, due_soon_days=3) == {Reason.ASSIGNED}
    assert reasons_for(card("2", who=ME, due=-1), ME, TODAY, due_soon_days=3) == {
        Reason.ASSIGNED,
        Reason.OVERDUE,
    }
    assert reasons_for(card("3", due=3), ME, TODAY, due_soon_days=3) == {Reason.DUE_SOON}
    assert reasons_for(card("4", due=4), ME, TODAY, due_soon_days=3) == set()
    # Someone else's card is theirs to worry about, even when it is late.
    assert reasons_for(card("5", who=BOB, due=-5), ME, TODAY, due_soon_days=3) == set()
    assert reasons_for(card("6", who=BOB), ME, TODAY, due_soon_days=3) == set()


def test_done_and_archived_cards_stay_out_and_the_most_urgent_comes_first():
    content = board(
        card("later", who=ME, due=2),
        card("undated", who=ME),
        card("late", who=ME, due=-2),
        card("shipped", who=ME, column_id=DONE.id),
        card("archived", who=ME, archived=True),
        card("soon", due=1),
    )
    entries = entries_of("work", ME, [content], TODAY)
    assert [entry.card.id for entry in entries] == ["late", "soon", "later", "undated"]
    assert {entry.account for entry in entries} == {"work"}
    assert entries[0].column == TODO and entries[0].board.name == "Board b1"


def test_nobody_known_as_me_leaves_only_what_is_slipping():
    entries = entries_of("x", None, [board(card("1", who=ME), card("2", due=0))], TODAY)
    assert [entry.card.id for entry in entries] == ["2"]


class InMemory(Provider):
    name = "memory"
    title = "Memory"
    capabilities = Capabilities(frozenset())

    def __init__(self, boards: list[BoardContent], *, broken: set[str] = frozenset()):
        super().__init__(Connection(account="mem"))
        self.boards = {content.board.id: content for content in boards}
        self.broken = broken

    async def whoami(self) -> User:
        return ME

    async def list_boards(self) -> list[Board]:
        return [content.board for content in self.boards.values()]

    async def load_board(self, board_id: str) -> BoardContent:
        if board_id in self.broken:
            raise Unavailable("Memory answered HTTP 503")
        return self.boards[board_id]

    async def get_card(self, board_id: str, card_id: str) -> Card:
        raise AssertionError("the inbox reads boards, not single cards")


async def test_collect_reads_every_board_and_keeps_the_others_when_one_fails():
    provider = InMemory(
        [
            board(card("1", who=ME), board_id="b1"),
            board(card("2", due=-1), board_id="b2"),
            board(card("3", who=ME), board_id="b3"),
        ],
        broken={"b3"},
    )
    inbox = await collect("mem", provider, TODAY)
    assert inbox.me == ME
    assert [entry.card.id for entry in inbox.entries] == ["1", "2"]
    assert inbox.error == "Board b3: Memory answered HTTP 503"


async def test_an_account_that_cannot_say_who_you_are_is_an_error_not_a_crash():
    class Offline(InMemory):
        async def whoami(self) -> User:
            raise Unavailable("cannot reach Memory")

    inbox = await collect("mem", Offline([board(card("1", who=ME))]), TODAY)
    assert inbox.entries == () and inbox.error == "cannot reach Memory"


async def test_what_collect_read_paints_the_next_inbox_from_the_cache(tmp_path):
    cache = Cache(tmp_path / "cache.db")
    assert from_cache("mem", cache, TODAY) is None  # nothing read yet
    provider = InMemory([board(card("1", who=ME), card("2", due=-1), board_id="b1")])
    fresh = await collect("mem", provider, TODAY, cache=cache)
    cache.close()
    again = Cache(tmp_path / "cache.db")
    cached = from_cache("mem", again, TODAY)
    assert cached is not None and cached.me == ME
    assert [e.card.id for e in cached.entries] == [e.card.id for e in fresh.entries] == ["2", "1"]
