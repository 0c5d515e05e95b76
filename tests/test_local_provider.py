"""The local SQLite provider: the demo seed, every Provider method, and its database file."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.clock import FakeClock
from tui.core.errors import NotFound, Unavailable, Unsupported, ValidationError
from tui.core.models import BoardContent, CardChanges, CardDraft, Placement, Priority
from tui.core.provider import Capability, Connection
from tui.providers import local_schema
from tui.providers.local import LocalProvider
from tui.providers.local_demo import demo_document

NOW = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


def make_provider(data_dir: Path, clock: FakeClock | None = None, **options: str) -> LocalProvider:
    provider = LocalProvider(Connection(account="local", data_dir=data_dir, options=options))
    provider.clock = clock or FakeClock(NOW)
    provider.user_name = "tester"
    return provider


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
async def local(tmp_path: Path, clock: FakeClock) -> AsyncIterator[LocalProvider]:
    provider = make_provider(tmp_path, clock)
    yield provider
    await provider.aclose()


@pytest.fixture
async def demo(local: LocalProvider) -> BoardContent:
    (board,) = await local.list_boards()
    return await local.load_board(board.id)


def column_id(content: BoardContent, name: str) -> str:
    return next(column.id for column in content.columns if column.name == name)


def lane_id(content: BoardContent, name: str) -> str:
    return next(lane.id for lane in content.lanes if lane.name == name)


def label_id(content: BoardContent, name: str) -> str:
    return next(label.id for label in content.labels if label.name == name)


def titles_in(content: BoardContent, column: str, lane: str) -> list[str]:
    return [
        card.title
        for card in content.cards
        if card.column_id == column_id(content, column) and card.lane_id == lane_id(content, lane)
    ]


def raw_count(path: Path, sql: str, *params: object) -> int:
    """Ask the file directly, past the provider: what is really stored."""
    with sqlite3.connect(path) as db:
        return db.execute(sql, params).fetchone()[0]


# --- first run and the demo board -----------------------------------------------------


async def test_first_run_creates_the_database_and_seeds_the_demo(
    local: LocalProvider, tmp_path: Path
) -> None:
    assert not (tmp_path / "local.db").exists()

    (board,) = await local.list_boards()
    content = await local.load_board(board.id)

    assert (tmp_path / "local.db").exists()
    assert board.name == "Cardboard demo"
    assert [(c.name, c.wip_limit) for c in content.columns] == [
        ("Backlog", None),
        ("Ready", 5),
        ("In progress", 3),
        ("Review", 3),
        ("Done", None),
    ]
    assert [lane.name for lane in content.lanes] == ["Expedite", "Standard"]
    assert len(content.cards) == 30
    assert len(content.labels) == 6
    assert len(content.users) == 4
    assert sum(card.comment_count > 0 for card in content.cards) >= 5
    with_checklists = [card for card in content.cards if card.checklist]
    assert len(with_checklists) >= 5
    assert any(0 < card.checklist_done < len(card.checklist) for card in with_checklists)
    assert any("🔥" in card.title for card in content.cards)
    assert {card.assignee.name for card in content.cards if card.assignee} == {
        user.name for user in content.users
    }


async def test_demo_dates_follow_the_clock(local: LocalProvider, demo: BoardContent) -> None:
    expected = {card.title: card.due for card in demo_document(TODAY).cards}
    assert {card.title: card.due for card in demo.cards} == expected
    dues = [card.due for card in demo.cards if card.due]
    assert min(dues) < TODAY < max(dues)  # some overdue, some ahead, whenever it is run


async def test_reopening_keeps_the_data_and_does_not_seed_again(
    local: LocalProvider, demo: BoardContent, tmp_path: Path
) -> None:
    await local.create_card(
        demo.board.id, CardDraft(title="Survives a restart", column_id=demo.columns[0].id)
    )
    await local.aclose()

    reopened = make_provider(tmp_path)
    try:
        (board,) = await reopened.list_boards()
        content = await reopened.load_board(board.id)
    finally:
        await reopened.aclose()
    assert len(content.cards) == 31
    assert "Survives a restart" in {card.title for card in content.cards}


async def test_the_path_option_chooses_the_file(tmp_path: Path) -> None:
    provider = make_provider(tmp_path / "unused", path=str(tmp_path / "boards" / "mine.db"))
    try:
        await provider.list_boards()
    finally:
        await provider.aclose()
    assert (tmp_path / "boards" / "mine.db").exists()
    assert not (tmp_path / "unused" / "local.db").exists()


async def test_whoami_and_capabilities(local: LocalProvider) -> None:
    me = await local.whoami()
    assert me.name == "tester" and (await local.whoami()).id == me.id  # one row, not one per ask
    board = (await local.list_boards())[0]
    content = await local.load_board(board.id)
    card = content.cards[0]
    assert me.id not in {user.id for user in content.users}
    assigned = await local.update_card(board.id, card.id, CardChanges(assignee_id=me.id))
    assert assigned.assignee == me  # and with that, a member of the board
    assert me in (await local.load_board(board.id)).users
    assert not local.supports(Capability.TIME_LOGGING)
    assert local.why_not(Capability.TIME_LOGGING) == (
        "time for local boards is kept in Cardboard's journal"
    )
    not_here = {Capability.TIME_LOGGING, Capability.LIVE_TIMER, Capability.SEARCH}
    assert all(local.supports(c) for c in Capability if c not in not_here)
    assert not any(local.supports(c) for c in not_here)
    with pytest.raises(Unsupported):
        await local.log_time("1", "1", 30, TODAY, "")
    with pytest.raises(Unsupported):
        await local.start_timer("1", "1")


# --- reading ----------------------------------------------------------------------


async def test_load_board_orders_cards_by_column_lane_and_position(demo: BoardContent) -> None:
    column_order = [column.id for column in demo.columns]
    lane_order = [lane.id for lane in demo.lanes]
    places = [
        (column_order.index(card.column_id), lane_order.index(card.lane_id), card.position)
        for card in demo.cards
    ]
    assert places == sorted(places)


async def test_load_board_cards_carry_labels_checklists_and_comment_counts(
    local: LocalProvider, demo: BoardContent
) -> None:
    board_labels = set(demo.labels)
    for card in demo.cards:
        assert set(card.labels) <= board_labels
        full = await local.get_card(demo.board.id, card.id)
        assert full == card
        comments = await local.list_comments(demo.board.id, card.id)
        assert card.comment_count == len(comments)


async def test_load_board_of_5000_cards_takes_a_constant_number_of_queries(
    local: LocalProvider,
) -> None:
    template = demo_document(TODAY)

    async def import_with(count: int) -> str:
        cards = tuple(
            replace(template.cards[i % len(template.cards)], id=str(i)) for i in range(count)
        )
        board = await local.import_board(replace(template, cards=cards))
        return board.id

    small, big = await import_with(10), await import_with(5000)

    results: dict[str, BoardContent] = {}

    async def load_counting(board_id: str) -> int:
        statements: list[str] = []
        # No public hook for this, and the query count is the property under test.
        assert local._db is not None
        local._db.set_trace_callback(statements.append)
        try:
            results[board_id] = await local.load_board(board_id)
        finally:
            local._db.set_trace_callback(None)
        return len(statements)

    assert await load_counting(small) == await load_counting(big)
    content = results[big]
    assert len(content.cards) == 5000
    assert sum(card.comment_count for card in content.cards) > 0
    assert all(card.board_id == big for card in content.cards)


# --- creating and editing -------------------------------------------------------------


async def test_create_card_lands_at_the_end_of_its_column_and_lane(
    local: LocalProvider, demo: BoardContent
) -> None:
    draft = CardDraft(
        title="Ship the changelog",
        column_id=column_id(demo, "Ready"),
        lane_id=lane_id(demo, "Standard"),
        description="# Notes\n\n- one\n- two",
        label_ids=(label_id(demo, "docs"), label_id(demo, "chore")),
        assignee_id=demo.users[1].id,
        due=TODAY + timedelta(days=3),
        priority=Priority.HIGH,
    )
    card = await local.create_card(demo.board.id, draft)

    assert (card.title, card.description, card.due, card.priority) == (
        draft.title,
        draft.description,
        draft.due,
        Priority.HIGH,
    )
    assert [label.name for label in card.labels] == ["chore", "docs"]  # board order
    assert card.assignee == demo.users[1]
    assert card.created_at == card.updated_at == NOW
    after = await local.load_board(demo.board.id)
    assert titles_in(after, "Ready", "Standard")[-1] == "Ship the changelog"
    assert titles_in(after, "Ready", "Standard")[:-1] == titles_in(demo, "Ready", "Standard")


async def test_create_card_without_a_lane_goes_to_the_first_lane(
    local: LocalProvider, demo: BoardContent
) -> None:
    card = await local.create_card(
        demo.board.id, CardDraft(title="No lane given", column_id=demo.columns[0].id)
    )
    assert card.lane_id == lane_id(demo, "Expedite")


@pytest.mark.parametrize("title", ["", "   ", "\n\t"])
async def test_create_card_refuses_an_empty_title(
    local: LocalProvider, demo: BoardContent, title: str
) -> None:
    with pytest.raises(ValidationError, match="title must not be empty"):
        await local.create_card(demo.board.id, CardDraft(title=title, column_id=demo.columns[0].id))
    assert len((await local.load_board(demo.board.id)).cards) == 30


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("column_id", "999", "unknown column '999'"),
        ("column_id", "backlog", "unknown column 'backlog'"),
        ("lane_id", "999", "unknown lane '999'"),
        ("label_ids", ("999",), "unknown label '999'"),
        ("assignee_id", "999", "unknown assignee '999'"),
    ],
)
async def test_create_card_refuses_unknown_ids(
    local: LocalProvider, demo: BoardContent, field: str, value: object, message: str
) -> None:
    fields = {"title": "A card", "column_id": demo.columns[0].id, field: value}
    with pytest.raises(ValidationError, match=message):
        await local.create_card(demo.board.id, CardDraft(**fields))


async def test_ids_of_another_board_are_unknown(local: LocalProvider, demo: BoardContent) -> None:
    other = await local.create_board("Other", [("Todo", None)], ["Only"])
    other_content = await local.load_board(other.id)
    draft = CardDraft(title="Cross-board", column_id=other_content.columns[0].id)
    with pytest.raises(ValidationError, match="unknown column"):
        await local.create_card(demo.board.id, draft)
    card = await local.create_card(other.id, draft)
    with pytest.raises(NotFound):
        await local.get_card(demo.board.id, card.id)
    with pytest.raises(ValidationError, match="unknown label"):
        await local.update_card(other.id, card.id, CardChanges(label_ids=(demo.labels[0].id,)))


async def test_update_card_changes_only_the_fields_set(
    local: LocalProvider, demo: BoardContent, clock: FakeClock
) -> None:
    before = next(card for card in demo.cards if card.due and card.assignee and card.labels)
    later = clock.advance(hours=1)

    card = await local.update_card(demo.board.id, before.id, CardChanges(title="Renamed"))

    assert card.title == "Renamed"
    assert card.updated_at == later
    assert replace(card, title=before.title, updated_at=before.updated_at) == before


async def test_update_card_clears_due_assignee_and_priority(
    local: LocalProvider, demo: BoardContent
) -> None:
    before = next(card for card in demo.cards if card.due and card.assignee and card.priority)

    cleared = await local.update_card(demo.board.id, before.id, CardChanges(due=None))
    assert cleared.due is None
    assert (cleared.assignee, cleared.priority) == (before.assignee, before.priority)

    cleared = await local.update_card(
        demo.board.id, before.id, CardChanges(assignee_id=None, priority=None)
    )
    assert (cleared.assignee, cleared.priority, cleared.title) == (None, None, before.title)
    assert (await local.get_card(demo.board.id, before.id)) == cleared


async def test_update_card_replaces_the_label_set_and_other_fields(
    local: LocalProvider, demo: BoardContent
) -> None:
    before = next(card for card in demo.cards if len(card.labels) == 2)
    changes = CardChanges(
        label_ids=(label_id(demo, "ux"),),
        description="new **text**",
        assignee_id=demo.users[3].id,
        due=date(2030, 1, 2),
        priority=Priority.LOW,
    )
    card = await local.update_card(demo.board.id, before.id, changes)
    assert [label.name for label in card.labels] == ["ux"]
    assert (card.description, card.assignee, card.due, card.priority) == (
        "new **text**",
        demo.users[3],
        date(2030, 1, 2),
        Priority.LOW,
    )
    card = await local.update_card(demo.board.id, before.id, CardChanges(label_ids=()))
    assert card.labels == ()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        (CardChanges(title=" "), "title must not be empty"),
        (CardChanges(title=None), "title must not be empty"),
        (CardChanges(label_ids=("12345",)), "unknown label"),
        (CardChanges(assignee_id="nobody"), "unknown assignee"),
    ],
)
async def test_update_card_refuses_bad_changes_and_keeps_the_card(
    local: LocalProvider, demo: BoardContent, changes: CardChanges, error: str
) -> None:
    before = demo.cards[0]
    with pytest.raises(ValidationError, match=error):
        await local.update_card(demo.board.id, before.id, changes)
    assert (await local.get_card(demo.board.id, before.id)) == before


async def test_move_card_to_another_column_lane_and_position(
    local: LocalProvider, demo: BoardContent
) -> None:
    target = [c for c in demo.cards if c.column_id == column_id(demo, "Review")]
    first, second = target[0], target[1]
    moving = next(c for c in demo.cards if c.column_id == column_id(demo, "Backlog"))
    placement = Placement(
        column_id=column_id(demo, "Review"),
        lane_id=first.lane_id,
        index=1,
        position=(first.position + second.position) / 2,
    )

    moved = await local.move_card(demo.board.id, moving.id, placement)

    assert (moved.column_id, moved.lane_id) == (placement.column_id, placement.lane_id)
    after = await local.load_board(demo.board.id)
    assert titles_in(after, "Review", "Standard")[:3] == [first.title, moving.title, second.title]
    # Review holds 3 with a limit of 3: the local board shows limits, never enforces them.
    assert len(titles_in(after, "Review", "Standard")) > 3


async def test_move_card_without_a_lane_keeps_its_lane(
    local: LocalProvider, demo: BoardContent
) -> None:
    card = next(c for c in demo.cards if c.lane_id == lane_id(demo, "Expedite"))
    moved = await local.move_card(
        demo.board.id,
        card.id,
        Placement(column_id=column_id(demo, "Done"), index=0, position=-1),
    )
    assert moved.lane_id == card.lane_id
    assert titles_in(await local.load_board(demo.board.id), "Done", "Expedite")[0] == card.title


async def test_move_card_refuses_an_unknown_column(
    local: LocalProvider, demo: BoardContent
) -> None:
    with pytest.raises(ValidationError, match="unknown column"):
        await local.move_card(
            demo.board.id, demo.cards[0].id, Placement(column_id="777", index=0, position=1)
        )


async def test_archived_cards_leave_the_board_but_stay_readable(
    local: LocalProvider, demo: BoardContent
) -> None:
    card = demo.cards[5]
    await local.archive_card(demo.board.id, card.id)
    after = await local.load_board(demo.board.id)
    assert card.id not in {c.id for c in after.cards}
    assert len(after.cards) == 29
    assert (await local.get_card(demo.board.id, card.id)).archived


async def test_an_archived_card_is_listed_and_restored_to_its_place(
    local: LocalProvider, demo: BoardContent
) -> None:
    card = demo.cards[5]
    await local.archive_card(demo.board.id, card.id)
    archived = await local.list_archived_cards(demo.board.id)
    assert [(c.id, c.archived) for c in archived] == [(card.id, True)]
    await local.restore_card(demo.board.id, card.id)
    assert await local.list_archived_cards(demo.board.id) == []
    back = next(c for c in (await local.load_board(demo.board.id)).cards if c.id == card.id)
    assert (back.column_id, back.lane_id, back.position) == (
        card.column_id,
        card.lane_id,
        card.position,
    )


async def test_delete_card_removes_its_comments_and_checklist(
    local: LocalProvider, demo: BoardContent, tmp_path: Path
) -> None:
    card = next(c for c in demo.cards if c.checklist and c.comment_count)
    await local.delete_card(demo.board.id, card.id)

    with pytest.raises(NotFound):
        await local.get_card(demo.board.id, card.id)
    assert len((await local.load_board(demo.board.id)).cards) == 29
    database = tmp_path / "local.db"
    for table in ("comments", "checklist_items", "card_labels"):
        rows = raw_count(database, f"SELECT count(*) FROM {table} WHERE card_id = ?", int(card.id))
        assert rows == 0
    assert raw_count(database, "SELECT count(*) FROM comments") > 0  # only that card's went


# --- comments and checklists ---------------------------------------------------------


async def test_comments_are_added_and_listed_oldest_first(
    local: LocalProvider, demo: BoardContent, clock: FakeClock
) -> None:
    card = next(c for c in demo.cards if c.comment_count == 2)
    later = clock.advance(days=1)

    added = await local.add_comment(demo.board.id, card.id, "Done in **#123**")

    assert (added.text, added.created_at, added.author and added.author.name) == (
        "Done in **#123**",
        later,
        "tester",
    )
    comments = await local.list_comments(demo.board.id, card.id)
    assert len(comments) == 3
    assert comments[-1] == added
    assert [c.created_at for c in comments] == sorted(c.created_at for c in comments)
    assert (await local.get_card(demo.board.id, card.id)).comment_count == 3


async def test_an_empty_comment_is_refused(local: LocalProvider, demo: BoardContent) -> None:
    with pytest.raises(ValidationError, match="comment must not be empty"):
        await local.add_comment(demo.board.id, demo.cards[0].id, "  \n")


async def test_checklist_items_are_added_at_the_end_and_toggled(
    local: LocalProvider, demo: BoardContent
) -> None:
    card = next(c for c in demo.cards if 0 < c.checklist_done < len(c.checklist))
    open_item = next(item for item in card.checklist if not item.done)

    added = await local.add_checklist_item(demo.board.id, card.id, "Tell support")
    ticked = await local.set_checklist_item(demo.board.id, card.id, open_item.id, True)

    assert (added.text, added.done) == ("Tell support", False)
    assert ticked.done and ticked.id == open_item.id
    after = await local.get_card(demo.board.id, card.id)
    assert after.checklist[-1] == added
    assert after.checklist_done == card.checklist_done + 1
    unticked = await local.set_checklist_item(demo.board.id, card.id, open_item.id, False)
    assert not unticked.done


async def test_checklist_items_of_another_card_are_not_found(
    local: LocalProvider, demo: BoardContent
) -> None:
    first, second = [c for c in demo.cards if c.checklist][:2]
    with pytest.raises(NotFound, match="checklist item"):
        await local.set_checklist_item(demo.board.id, second.id, first.checklist[0].id, True)
    with pytest.raises(NotFound, match="checklist item 'x'"):
        await local.set_checklist_item(demo.board.id, second.id, "x", True)
    with pytest.raises(ValidationError, match="checklist item must not be empty"):
        await local.add_checklist_item(demo.board.id, first.id, "")


# --- unknown ids --------------------------------------------------------------------


@pytest.mark.parametrize("board_id", ["999", "abc", "", "-1", "1.0", "9" * 30])
async def test_unknown_boards_are_not_found(local: LocalProvider, board_id: str) -> None:
    with pytest.raises(NotFound, match="local board"):
        await local.load_board(board_id)
    with pytest.raises(NotFound):
        await local.create_card(board_id, CardDraft(title="x", column_id="1"))


async def test_unknown_cards_are_not_found(local: LocalProvider, demo: BoardContent) -> None:
    board = demo.board.id
    calls = [
        local.get_card(board, "4242"),
        local.list_comments(board, "4242"),
        local.update_card(board, "nope", CardChanges(title="x")),
        local.move_card(board, "4242", Placement(column_id="1", index=0, position=0)),
        local.archive_card(board, "4242"),
        local.delete_card(board, "4242"),
        local.add_comment(board, "4242", "hi"),
        local.add_checklist_item(board, "4242", "hi"),
        local.set_checklist_item(board, "4242", "1", True),
    ]
    for call in calls:
        with pytest.raises(NotFound, match=r"card '(4242|nope)' not found"):
            await call


# --- boards of its own ----------------------------------------------------------------


async def test_create_board_makes_an_empty_board(local: LocalProvider, demo: BoardContent) -> None:
    board = await local.create_board("Home", [("To do", None), ("Doing", 2), ("Done", None)], [])
    content = await local.load_board(board.id)

    assert board.name == "Home"
    assert [(c.name, c.wip_limit) for c in content.columns] == [
        ("To do", None),
        ("Doing", 2),
        ("Done", None),
    ]
    assert (content.lanes, content.cards) == ((), ())
    assert content.users == demo.users  # the people known locally
    card = await local.create_card(
        board.id, CardDraft(title="Water plants", column_id=content.columns[0].id)
    )
    assert card.lane_id is None
    assert [b.name for b in await local.list_boards()] == ["Cardboard demo", "Home"]


@pytest.mark.parametrize(
    ("name", "columns", "lanes", "error"),
    [
        (" ", [("A", None)], [], "board name must not be empty"),
        ("B", [], [], "at least one column"),
        ("B", [("", None)], [], "column name must not be empty"),
        ("B", [("A", -1)], [], "must not be negative"),
        ("B", [("A", None)], [" "], "lane name must not be empty"),
    ],
)
async def test_create_board_refuses_bad_input(
    local: LocalProvider, name: str, columns: list, lanes: list, error: str
) -> None:
    with pytest.raises(ValidationError, match=error):
        await local.create_board(name, columns, lanes)
    assert len(await local.list_boards()) == 1


async def test_a_board_is_renamed_and_deleted_with_everything_on_it(
    local: LocalProvider, demo: BoardContent
) -> None:
    board = await local.create_board("Home", [("To do", None)], [])
    renamed = await local.rename_board(board.id, "House")
    assert renamed.name == "House" and [b.name for b in await local.list_boards()] == [
        demo.board.name,
        "House",
    ]
    with pytest.raises(ValidationError, match="board name must not be empty"):
        await local.rename_board(board.id, "  ")

    await local.delete_board(demo.board.id)
    assert [b.id for b in await local.list_boards()] == [board.id]
    with pytest.raises(NotFound):
        await local.load_board(demo.board.id)
    with pytest.raises(NotFound):
        await local.get_card(demo.board.id, demo.cards[0].id)
    with pytest.raises(NotFound):
        await local.delete_board(demo.board.id)


async def test_the_blocked_flag_is_set_and_cleared(
    local: LocalProvider, demo: BoardContent
) -> None:
    card = next(card for card in demo.cards if not card.blocked)
    blocked = await local.update_card(demo.board.id, card.id, CardChanges(blocked=True))
    assert blocked.blocked and blocked.title == card.title
    cleared = await local.update_card(demo.board.id, card.id, CardChanges(blocked=False))
    assert not cleared.blocked
    assert not (await local.get_card(demo.board.id, card.id)).blocked


# --- the database file ----------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"this is not a database\x00\xff" * 100, b"SQLite format 3\x00" + b"\x00" * 10],
)
async def test_a_corrupt_file_is_refused_and_left_untouched(tmp_path: Path, content: bytes) -> None:
    database = tmp_path / "local.db"
    database.write_bytes(content)
    provider = make_provider(tmp_path)

    with pytest.raises(Unavailable) as raised:
        await provider.list_boards()

    assert str(raised.value).startswith(f"cannot open the local board database {database}: ")
    assert database.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["local.db"]
    await provider.aclose()


async def test_a_file_that_cannot_be_opened_is_refused(tmp_path: Path) -> None:
    (tmp_path / "local.db").mkdir()  # tests may run as root: a directory fails for anyone
    provider = make_provider(tmp_path)
    database = tmp_path / "local.db"
    with pytest.raises(Unavailable, match=f"^cannot open the local board database {database}: "):
        await provider.whoami()


async def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    database = tmp_path / "local.db"
    with sqlite3.connect(database) as db:
        db.execute("CREATE TABLE notes (text TEXT)")
    db.close()
    content = database.read_bytes()

    with pytest.raises(Unavailable, match="not a Cardboard local board database"):
        await make_provider(tmp_path).list_boards()
    assert database.read_bytes() == content


async def test_a_newer_schema_is_refused_naming_both_versions(
    local: LocalProvider, tmp_path: Path
) -> None:
    await local.list_boards()
    await local.aclose()
    database = tmp_path / "local.db"
    with sqlite3.connect(database) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()

    with pytest.raises(Unavailable) as raised:
        await make_provider(tmp_path).list_boards()
    message = str(raised.value)
    assert str(database) in message
    assert "version 99" in message and f"version {local_schema.latest_version()}" in message
    assert raw_count(database, "PRAGMA user_version") == 99


async def test_an_older_database_is_migrated_keeping_its_data(
    local: LocalProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await local.list_boards()
    await local.aclose()
    old_version = local_schema.latest_version()
    monkeypatch.setattr(
        local_schema,
        "MIGRATIONS",
        [*local_schema.MIGRATIONS, "ALTER TABLE cards ADD COLUMN estimate INTEGER;"],
    )

    reopened = make_provider(tmp_path)
    (board,) = await reopened.list_boards()
    assert len((await reopened.load_board(board.id)).cards) == 30
    await reopened.aclose()
    database = tmp_path / "local.db"
    assert raw_count(database, "PRAGMA user_version") == old_version + 1
    assert raw_count(database, "SELECT count(estimate) FROM cards") == 0  # the column exists


async def test_a_failing_migration_leaves_the_database_as_it_was(
    local: LocalProvider, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await local.list_boards()
    await local.aclose()
    version = local_schema.latest_version()
    monkeypatch.setattr(
        local_schema,
        "MIGRATIONS",
        [*local_schema.MIGRATIONS, "CREATE TABLE extra (id INTEGER);\nSELECT * FROM missing;"],
    )

    with pytest.raises(Unavailable, match="no such table: missing"):
        await make_provider(tmp_path).list_boards()
    database = tmp_path / "local.db"
    assert raw_count(database, "PRAGMA user_version") == version
    assert raw_count(database, "SELECT count(*) FROM sqlite_master WHERE name = 'extra'") == 0


async def test_a_new_database_gets_every_migration_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        local_schema,
        "MIGRATIONS",
        [*local_schema.MIGRATIONS, "ALTER TABLE boards ADD COLUMN archived INTEGER DEFAULT 0;"],
    )
    provider = make_provider(tmp_path)
    assert len(await provider.list_boards()) == 1
    await provider.aclose()
    assert raw_count(tmp_path / "local.db", "PRAGMA user_version") == len(local_schema.MIGRATIONS)
