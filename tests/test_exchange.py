"""The board export document: export from any provider, parse files, import into local."""

from __future__ import annotations

import asyncio
import json
import tempfile
from collections.abc import AsyncIterator
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.clock import FakeClock
from tui.core.errors import ConfigError, ValidationError
from tui.core.exchange import (
    DETAILS_IN_FLIGHT,
    ExportDocument,
    ExportedBoard,
    ExportedCard,
    ExportedChecklistItem,
    ExportedColumn,
    ExportedComment,
    ExportedLabel,
    ExportedLane,
    ExportedUser,
    dump_document,
    export_board,
    parse_document,
)
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    ChecklistItem,
    Column,
    ColumnKind,
    Comment,
    Label,
    Priority,
    User,
)
from tui.core.provider import Capabilities, Capability, Connection, Provider
from tui.providers.local import LocalProvider
from tui.providers.local_demo import USERS as DEMO_USERS

NOW = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)


def make_local(data_dir: Path) -> LocalProvider:
    provider = LocalProvider(Connection(account="local", data_dir=data_dir))
    provider.clock = FakeClock(NOW)
    provider.user_name = "tester"
    return provider


@pytest.fixture
async def local(tmp_path: Path) -> AsyncIterator[LocalProvider]:
    provider = make_local(tmp_path)
    yield provider
    await provider.aclose()


async def demo_board_id(provider: Provider) -> str:
    (board,) = await provider.list_boards()
    return board.id


def without_ids(document: ExportDocument) -> dict[str, Any]:
    """The document with ids replaced by list positions, and no exported_at."""
    data = asdict(document)
    del data["exported_at"]
    positions: dict[str, dict[str, int]] = {}
    for part in ("columns", "lanes", "labels", "users", "cards"):
        positions[part] = {item["id"]: index for index, item in enumerate(data[part])}
        for index, item in enumerate(data[part]):
            item["id"] = index

    def position(part: str, value: str | None) -> int | None:
        return None if value is None else positions[part][value]

    for card in data["cards"]:
        card["column_id"] = position("columns", card["column_id"])
        card["lane_id"] = position("lanes", card["lane_id"])
        card["assignee_id"] = position("users", card["assignee_id"])
        card["label_ids"] = [position("labels", label) for label in card["label_ids"]]
    return data


# --- round trips --------------------------------------------------------------------

# Text that comes back as it went in: control characters, bidi controls and line
# separators are changed on the way in by design (tests/test_sanitize.py).
kept_as_is = st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp"))
text = st.text(kept_as_is, max_size=40)
moments = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30))]),
)


DEMO_PEOPLE = {user.name for user in DEMO_USERS}


@st.composite
def documents(draw: st.DrawFn) -> ExportDocument:
    """Valid documents whose cards are already in board order (column, then lane)."""
    column_count = draw(st.integers(1, 4))
    lane_count = draw(st.integers(0, 3))
    label_count = draw(st.integers(0, 4))
    # People already in the database (the demo's) are matched by name on import and
    # keep their local details; that has its own test. Here everyone is new.
    new_name = text.filter(lambda name: name.strip() and name not in DEMO_PEOPLE)
    user_names = draw(st.lists(new_name, max_size=3, unique=True))
    columns = [
        ExportedColumn(
            id=f"c{i}",
            name=draw(text),
            wip_limit=draw(st.none() | st.integers(0, 20)),
            kind=draw(st.none() | st.sampled_from(ColumnKind)),
            group=draw(st.none() | text),
        )
        for i in range(column_count)
    ]
    lanes = [ExportedLane(id=f"l{i}", name=draw(text)) for i in range(lane_count)]
    labels = [
        ExportedLabel(id=f"b{i}", name=draw(text), color=draw(st.none() | st.just("#abcdef")))
        for i in range(label_count)
    ]
    users = [
        ExportedUser(id=f"u{i}", name=name, email=draw(st.none() | st.emails()))
        for i, name in enumerate(user_names)
    ]
    authors = st.none() | text | (st.sampled_from(user_names) if user_names else st.none())
    cards = []
    for i in range(draw(st.integers(0, 8))):
        cards.append(
            ExportedCard(
                id=f"k{i}",
                title=draw(st.text(kept_as_is, min_size=1, max_size=60)),
                description=draw(st.text(kept_as_is, max_size=200)),
                column_id=draw(st.sampled_from([c.id for c in columns])),
                lane_id=draw(st.sampled_from([lane.id for lane in lanes])) if lanes else None,
                label_ids=tuple(
                    label.id for label in labels if draw(st.booleans())
                ),  # board order, as exported
                assignee_id=draw(st.none() | st.sampled_from([u.id for u in users]))
                if users
                else None,
                due=draw(st.none() | st.dates()),
                priority=draw(st.none() | st.sampled_from(Priority)),
                blocked=draw(st.booleans()),
                created_at=draw(st.none() | moments),
                updated_at=draw(st.none() | moments),
                checklist=tuple(
                    ExportedChecklistItem(text=draw(text), done=draw(st.booleans()))
                    for _ in range(draw(st.integers(0, 3)))
                ),
                comments=tuple(
                    ExportedComment(
                        author=draw(authors),
                        text=draw(st.text(kept_as_is, max_size=80)),
                        created_at=draw(moments),
                    )
                    for _ in range(draw(st.integers(0, 3)))
                ),
            )
        )
    column_order = [c.id for c in columns]
    lane_order = [lane.id for lane in lanes]
    cards.sort(
        key=lambda card: (
            column_order.index(card.column_id),
            lane_order.index(card.lane_id) if card.lane_id else -1,
        )
    )
    return ExportDocument(
        exported_at=NOW,
        board=ExportedBoard(name=draw(text), description=draw(text)),
        columns=tuple(columns),
        lanes=tuple(lanes),
        labels=tuple(labels),
        users=tuple(users),
        cards=tuple(cards),
    )


@settings(max_examples=40, deadline=None)
@given(document=documents())
def test_import_then_export_gives_the_document_back(document: ExportDocument) -> None:
    async def round_trip(data_dir: Path) -> ExportDocument:
        provider = make_local(data_dir)
        try:
            board = await provider.import_board(document)
            return await export_board(provider, board.id)
        finally:
            await provider.aclose()

    with tempfile.TemporaryDirectory() as data_dir:
        exported = asyncio.run(round_trip(Path(data_dir)))

    assert without_ids(exported) == without_ids(document)


@settings(max_examples=30, deadline=None)
@given(document=documents())
def test_a_document_survives_its_json_file(document: ExportDocument) -> None:
    assert parse_document(dump_document(document), "board.json") == document


async def test_the_demo_board_survives_export_file_and_import(local: LocalProvider) -> None:
    board_id = await demo_board_id(local)
    exported = await export_board(local, board_id, now=NOW)
    document = parse_document(dump_document(exported), "demo.json")

    copy = await local.import_board(document)
    again = await export_board(local, copy.id, now=NOW)

    assert copy.id != board_id
    assert without_ids(again) == without_ids(exported)
    assert [b.name for b in await local.list_boards()] == ["Cardboard demo", "Cardboard demo"]
    comment_count = sum(len(card.comments) for card in exported.cards)
    assert comment_count >= 5
    assert exported.exported_at == NOW


async def test_import_matches_people_by_name(local: LocalProvider) -> None:
    exported = await export_board(local, await demo_board_id(local), now=NOW)
    newcomer = ExportedUser(id="new", name="Zoë Newcomer")
    document = replace(exported, users=(newcomer, *exported.users))
    demo = await local.load_board(await demo_board_id(local))

    copy = await local.import_board(document)

    imported = await local.load_board(copy.id)
    assert imported.users[0].name == "Zoë Newcomer"  # in the document's order
    assert imported.users[1:] == demo.users  # the same people, not copies


async def test_a_failed_import_changes_nothing(local: LocalProvider, tmp_path: Path) -> None:
    exported = await export_board(local, await demo_board_id(local), now=NOW)
    newcomer = ExportedUser(id="new", name="Never stored")
    broken_card = replace(exported.cards[-1], title="lone \ud800 surrogate")
    document = replace(
        exported, users=(*exported.users, newcomer), cards=(*exported.cards[:-1], broken_card)
    )

    with pytest.raises(ValidationError, match="text cannot be stored"):
        await local.import_board(document)

    assert len(await local.list_boards()) == 1
    copy = await local.import_board(exported)  # and the database still works
    users = (await local.load_board(copy.id)).users
    assert "Never stored" not in {user.name for user in users}


# --- export from any provider --------------------------------------------------------


class CountingLocal(LocalProvider):
    """The local provider, counting the comment lists an export asks for."""

    def __init__(self, connection: Connection):
        super().__init__(connection)
        self.comment_lists: list[str] = []

    async def list_comments(self, board_id: str, card_id: str) -> list[Comment]:
        self.comment_lists.append(card_id)
        return await super().list_comments(board_id, card_id)


class CountingLocalWithoutComments(CountingLocal):
    capabilities = Capabilities(
        supported=LocalProvider.capabilities.supported - {Capability.COMMENTS}
    )


async def test_export_asks_for_comments_only_of_cards_that_have_some(tmp_path: Path) -> None:
    provider = CountingLocal(Connection(account="local", data_dir=tmp_path))
    board_id = await demo_board_id(provider)
    content = await provider.load_board(board_id)

    document = await export_board(provider, board_id)

    commented = {card.id for card in content.cards if card.comment_count}
    assert sorted(provider.comment_lists) == sorted(commented)
    assert {card.id for card in document.cards if card.comments} == commented
    await provider.aclose()


async def test_export_skips_comments_a_provider_cannot_list(tmp_path: Path) -> None:
    provider = CountingLocalWithoutComments(Connection(account="local", data_dir=tmp_path))
    document = await export_board(provider, await demo_board_id(provider))
    assert provider.comment_lists == []
    assert all(card.comments == () for card in document.cards)
    assert len(document.cards) == 30
    await provider.aclose()


class StaticProvider(Provider):
    """A read-only service whose cards carry a label and a person its board lists omit."""

    name = "static"
    title = "Static"
    capabilities = Capabilities(supported=frozenset())

    content = BoardContent(
        board=Board(id="b", name="Remote"),
        columns=(Column(id="todo", name="To do"), Column(id="done", name="Done")),
        cards=(
            Card(
                id="2",
                board_id="b",
                title="second",
                column_id="todo",
                position=20,
                labels=(Label(id="y", name="urgent"), Label(id="x", name="known")),
            ),
            Card(
                id="3",
                board_id="b",
                title="done",
                column_id="done",
                position=1,
                assignee=User(id="p", name="Pat"),
            ),
            Card(id="1", board_id="b", title="first", column_id="todo", position=10),
        ),
        labels=(Label(id="x", name="known"),),
    )

    async def whoami(self) -> User:
        return User(id="me", name="me")

    async def list_boards(self) -> list[Board]:
        return [self.content.board]

    async def load_board(self, board_id: str) -> BoardContent:
        return self.content

    async def get_card(self, board_id: str, card_id: str) -> Card:
        return next(card for card in self.content.cards if card.id == card_id)


async def test_export_from_any_provider_resolves_every_reference() -> None:
    document = await export_board(StaticProvider(Connection(account="x")), "b", now=NOW)

    assert [card.title for card in document.cards] == ["first", "second", "done"]
    assert [label.name for label in document.labels] == ["known", "urgent"]
    assert document.cards[1].label_ids == ("x", "y")  # board label order
    assert [user.name for user in document.users] == ["Pat"]
    assert document.cards[2].assignee_id == "p"


class ThinBoardProvider(StaticProvider):
    """A service whose board lists cards without what only the card's own answer has."""

    capabilities = Capabilities(supported=frozenset({Capability.COMMENTS}))
    owner = User(id="o", name="Olga")
    full = Card(
        id="1",
        board_id="b",
        title="first",
        column_id="todo",
        description="the whole story",
        labels=(Label(id="x", name="known"),),
        checklist=(ChecklistItem(id="i", text="step", done=True),),
        owner=owner,
        members=(User(id="m", name="Mo"),),
        card_type="Bug",
        size="5",
        url="https://service.test/1",
        comment_count=1,
    )

    def __init__(self, connection: Connection):
        super().__init__(connection)
        self.details: list[str] = []
        self.in_flight = self.most_in_flight = 0

    async def load_board(self, board_id: str) -> BoardContent:
        thin = [
            Card(id=str(n), board_id="b", title=f"card {n}", column_id="todo") for n in range(1, 21)
        ]
        return replace(self.content, cards=tuple(thin))

    async def get_card(self, board_id: str, card_id: str) -> Card:
        self.details.append(card_id)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0)
        self.in_flight -= 1
        return replace(self.full, id=card_id, position=-int(card_id))

    async def list_comments(self, board_id: str, card_id: str) -> list[Comment]:
        return [Comment(id="c", text="looks good", author=self.owner)]


async def test_export_carries_what_the_card_screen_shows_read_a_few_cards_at_a_time() -> None:
    provider = ThinBoardProvider(Connection(account="x"))
    seen: list[tuple[int, int]] = []
    document = await export_board(provider, "b", now=NOW, progress=lambda *p: seen.append(p))

    assert sorted(provider.details, key=int) == [str(n) for n in range(1, 21)]
    assert 1 < provider.most_in_flight <= DETAILS_IN_FLIGHT
    assert seen[0] == (0, 20) and seen[-1] == (20, 20) and len(seen) == 21
    first = document.cards[0]
    assert first.id == "1"  # board order: a detail does not move a card
    assert (first.description, first.card_type, first.size, first.url) == (
        "the whole story",
        "Bug",
        "5",
        "https://service.test/1",
    )
    assert first.label_ids == ("x",) and first.checklist[0].text == "step"
    people = {user.id: user.name for user in document.users}
    assert people[first.owner_id or ""] == "Olga"
    assert [people[m] for m in first.member_ids] == ["Mo"]
    assert [(c.author, c.text) for c in first.comments] == [("Olga", "looks good")]


# --- reading files --------------------------------------------------------------------


def document_json(**changes: Any) -> dict[str, Any]:
    data = {
        "format": "cardboard-board",
        "version": 1,
        "exported_at": "2025-03-10T09:30:00Z",
        "board": {"name": "B"},
        "columns": [{"id": "c", "name": "To do"}],
        "lanes": [{"id": "l", "name": "Lane"}],
        "cards": [{"id": "1", "title": "One", "column_id": "c", "lane_id": "l"}],
    }
    data.update(changes)
    return data


def parse(data: Any) -> ExportDocument:
    return parse_document(json.dumps(data), "board.json")


def test_a_version_2_document_carries_people_type_size_and_link() -> None:
    card = {
        "id": "1",
        "title": "One",
        "column_id": "c",
        "member_ids": ["u2"],
        "owner_id": "u1",
        "card_type": "Bug",
        "size": "3 SP",
        "block_reason": "waiting",
        "url": "https://example.test/1",
    }
    users = [{"id": "u1", "name": "Ada"}, {"id": "u2", "name": "Bo"}]
    document = parse(document_json(version=2, users=users, lanes=[], cards=[card]))
    exported = document.cards[0]
    assert (exported.owner_id, exported.member_ids) == ("u1", ("u2",))
    assert (exported.card_type, exported.size, exported.url) == (
        "Bug",
        "3 SP",
        "https://example.test/1",
    )
    with pytest.raises(ConfigError, match=r"cards\.0\.owner_id: no user has id 'u9'"):
        parse(document_json(version=2, lanes=[], cards=[{**card, "owner_id": "u9"}], users=users))


def test_a_minimal_document_parses_with_defaults() -> None:
    document = parse(document_json())
    assert document.cards[0].title == "One"
    assert document.cards[0].checklist == () and document.labels == ()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            document_json(cards=[{"id": "1", "column_id": "c"}]),
            "board.json: cards.0.title: Field required",
        ),
        (
            document_json(cards=[{"id": "1", "title": "x", "column_id": "nope"}]),
            "board.json: cards.0.column_id: no column has id 'nope'",
        ),
        (
            document_json(cards=[{"id": "1", "title": "x", "column_id": "c", "lane_id": "z"}]),
            "board.json: cards.0.lane_id: no lane has id 'z'",
        ),
        (
            document_json(cards=[{"id": "1", "title": "x", "column_id": "c", "label_ids": ["q"]}]),
            "board.json: cards.0.label_ids: no label has id 'q'",
        ),
        (
            document_json(
                labels=[{"id": "b", "name": "bug"}],
                cards=[{"id": "1", "title": "x", "column_id": "c", "label_ids": ["b", "b"]}],
            ),
            "board.json: cards.0.label_ids: a label is listed twice",
        ),
        (
            document_json(columns=[{"id": "c", "name": "A"}, {"id": "c", "name": "B"}]),
            "board.json: columns.1.id: id 'c' is used twice",
        ),
        (
            document_json(columns=[{"id": "c", "name": "A", "wip_limit": "lots"}]),
            "board.json: columns.0.wip_limit: Input should be a valid integer",
        ),
        (
            document_json(columns=[{"id": "c", "name": "A", "wip_limit": -1}]),
            "board.json: columns.0.wip_limit: a limit is 0 or more",
        ),
        (
            document_json(board={"name": "B", "colour": "red"}),
            "board.json: board.colour: unknown key",
        ),
        (document_json(format="trello"), "board.json: not a Cardboard board export"),
        ([1, 2], "board.json: not a Cardboard board export"),
        (
            document_json(version=3),
            "board.json: board export version 3 is not supported; "
            "this Cardboard reads versions 1 and 2",
        ),
    ],
)
def test_bad_documents_are_refused_in_one_line(data: Any, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        parse(data)
    assert str(raised.value).startswith(message)
    assert "\n" not in str(raised.value)


def test_bad_json_names_the_line_and_column() -> None:
    with pytest.raises(ConfigError, match=r"^board.json:2:1: not valid JSON: "):
        parse_document('{"format":\n}', "board.json")


def test_several_problems_are_counted() -> None:
    data = document_json(cards=[{"id": "1"}])
    with pytest.raises(ConfigError, match=r"cards.0.title: Field required \(and 1 more\)"):
        parse(data)


async def test_a_number_too_big_for_the_database_is_refused(local: LocalProvider) -> None:
    document = parse(document_json(columns=[{"id": "c", "name": "To do", "wip_limit": 10**20}]))
    with pytest.raises(ValidationError, match="a number cannot be stored"):
        await local.import_board(document)
    assert len(await local.list_boards()) == 1
