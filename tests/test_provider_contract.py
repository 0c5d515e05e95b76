"""The provider contract (tui/core/provider.py), held against every installed provider.

One scenario, parametrised over `registry.provider_names()`: list boards, open one,
open a card, create, edit, move, reorder, comment, tick a checklist item, log time,
archive, restore, delete; and for one card each fake holds, every field it serves must
show on the Card and in the export (SERVED). A step runs when the provider declares its
capability and must then succeed; for a capability it does not declare, the call must
raise `Unsupported` with the provider's own reason. tests/providers_under_test.py says
how each provider is built against its fake; a provider missing there fails this suite.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import date

import pytest

from tests.conftest import NOW
from tests.providers_under_test import Subject, build, require_entry
from tests.support.clock import FakeClock
from tui.core import plugins as registry
from tui.core.board_view import cards_in_cell, group_cards, lane_key, placement
from tui.core.errors import AuthError, NotFound, ProviderError, Unavailable, Unsupported
from tui.core.exchange import ExportDocument, ExportedCard, export_board
from tui.core.filtering import CardFilter
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Column,
    Comment,
    Priority,
    User,
)
from tui.core.provider import Capability, Provider

PROVIDERS = registry.provider_names()
MISSING_ID = "987654321"
"""An id no fake and no demo board uses, in a form every service accepts."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=PROVIDERS)
async def subject(request: pytest.FixtureRequest, tmp_path, clock) -> AsyncIterator[Subject]:
    subject = build(request.param, tmp_path, clock)
    yield subject
    await subject.provider.aclose()


@pytest.fixture
def provider(subject: Subject) -> Provider:
    return subject.provider


@pytest.fixture
async def content(provider: Provider) -> BoardContent:
    """The first board the scenario can play on: two columns or more, and cards."""
    for board in await provider.list_boards():
        content = await provider.load_board(board.id)
        if len(content.columns) >= 2 and content.cards:
            return content
    pytest.fail(f"{provider.name}: no board with two columns and a card to play on")


@pytest.fixture
def card(content: BoardContent) -> Card:
    """The first card of the board, in board order."""
    return next(card for view in group_cards(content) for cell in view.cells for card in cell.cards)


@pytest.fixture
def finished_card(content: BoardContent) -> Card:
    """A card of the rightmost column that has any: what users archive (KanbanTool
    archives nothing else)."""
    for view in reversed(group_cards(content)):
        for cell in view.cells:
            if cell.cards:
                return cell.cards[0]
    raise AssertionError("unreachable: the board has cards")


async def unsupported(provider: Provider, capability: Capability, call: Awaitable) -> None:
    """`call` must refuse with Unsupported, in the words the UI shows for the capability."""
    with pytest.raises(Unsupported) as refused:
        await call
    assert str(refused.value) == provider.why_not(capability)


def board_card(content: BoardContent, card_id: str) -> Card | None:
    return next((card for card in content.cards if card.id == card_id), None)


def target_column(content: BoardContent, card: Card) -> Column:
    """Another column with room under its WIP limit, the rightmost such."""
    counts = {view.column.id: view.card_count for view in group_cards(content)}
    roomy = [
        column
        for column in sorted(content.columns, key=lambda column: column.position)
        if column.id != card.column_id
        and (column.wip_limit is None or counts[column.id] < column.wip_limit)
    ]
    assert roomy, "the board needs a second column with room for one more card"
    return roomy[-1]


# --- coverage ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", PROVIDERS)
async def test_every_installed_provider_can_be_built_against_a_fake(name: str, tmp_path, clock):
    subject = build(name, tmp_path, clock)
    try:
        assert type(subject.provider) is registry.load_provider(name)
        assert (subject.fake is None) == (name == "local")
    finally:
        await subject.provider.aclose()


def test_a_provider_without_a_fake_fails_the_suite():
    with pytest.raises(pytest.fail.Exception, match="no fake for provider trello"):
        require_entry("trello")


# --- reading ----------------------------------------------------------------------------


async def test_whoami_names_a_user(provider: Provider):
    me = await provider.whoami()
    assert type(me) is User
    assert isinstance(me.id, str)  # empty where the API names nobody (Kitchen.co, Kanbert)
    assert me.name.strip()


async def test_boards_are_domain_boards_with_string_ids(provider: Provider):
    boards = await provider.list_boards()
    assert boards
    assert all(type(board) is Board and isinstance(board.id, str) and board.id for board in boards)
    assert len({board.id for board in boards}) == len(boards)


async def test_a_board_holds_its_columns_lanes_and_live_cards(
    provider: Provider, content: BoardContent
):
    assert type(content) is BoardContent
    assert all(type(column) is Column and isinstance(column.id, str) for column in content.columns)
    column_ids = {column.id for column in content.columns}
    lane_ids = {lane.id for lane in content.lanes}
    for card in content.cards:
        assert type(card) is Card and isinstance(card.id, str)
        assert card.board_id == content.board.id
        assert card.column_id in column_ids
        assert card.lane_id is None or card.lane_id in lane_ids
        assert not card.archived
    assert len({card.id for card in content.cards}) == len(content.cards)
    if not provider.supports(Capability.LANES):
        assert content.lanes == ()
    if not provider.supports(Capability.WIP_LIMITS):
        assert all(column.wip_limit is None for column in content.columns)


async def test_a_card_opens_with_what_the_board_showed(
    provider: Provider, content: BoardContent, card: Card
):
    opened = await provider.get_card(content.board.id, card.id)
    assert type(opened) is Card
    assert (opened.id, opened.title, opened.column_id) == (card.id, card.title, card.column_id)
    for item in opened.checklist:
        assert type(item) is ChecklistItem and isinstance(item.id, str)


async def test_a_missing_card_is_not_found(provider: Provider, content: BoardContent):
    with pytest.raises(NotFound):
        await provider.get_card(content.board.id, MISSING_ID)


async def test_a_missing_board_is_not_found(provider: Provider):
    with pytest.raises(NotFound):
        await provider.load_board(MISSING_ID)


async def test_a_rejected_token_is_an_auth_error(subject: Subject, tmp_path, clock):
    if subject.fake is None:  # the local board has no credentials to reject
        assert await subject.provider.whoami()
        return
    impostor = build(subject.provider.name, tmp_path, clock, token="not-the-token").provider
    try:
        with pytest.raises(AuthError) as refused:
            await impostor.whoami()
    finally:
        await impostor.aclose()
    assert "not-the-token" not in str(refused.value)


# --- writing ----------------------------------------------------------------------------


async def test_a_created_card_is_on_the_board_with_the_same_id(
    provider: Provider, content: BoardContent
):
    column = content.columns[0]
    lane = content.lanes[0] if content.lanes else None
    draft = CardDraft(
        title="Contract: a new card",
        column_id=column.id,
        lane_id=lane.id if lane else None,
        description="made by the contract suite",
    )
    if not provider.supports(Capability.CREATE):
        await unsupported(
            provider, Capability.CREATE, provider.create_card(content.board.id, draft)
        )
        return
    created = await provider.create_card(content.board.id, draft)
    assert type(created) is Card and isinstance(created.id, str) and created.id
    assert (created.title, created.column_id) == (draft.title, column.id)
    shown = board_card(await provider.load_board(content.board.id), created.id)
    assert shown is not None
    assert (shown.title, shown.column_id) == (draft.title, column.id)
    if lane is not None:
        assert shown.lane_id == lane.id


async def test_an_edit_changes_the_title(provider: Provider, content: BoardContent, card: Card):
    # The title is the one field every service lets an edit change (Kitchen.co builds
    # descriptions from a project's details; other fields have capabilities of their own).
    changes = CardChanges(title="Contract: renamed")
    if not provider.supports(Capability.EDIT):
        await unsupported(
            provider, Capability.EDIT, provider.update_card(content.board.id, card.id, changes)
        )
        return
    edited = await provider.update_card(content.board.id, card.id, changes)
    assert type(edited) is Card and edited.id == card.id
    assert edited.title == changes.title
    assert (await provider.get_card(content.board.id, card.id)).title == changes.title


FIELD_CHANGES: dict[Capability, CardChanges] = {
    Capability.DUE_DATES: CardChanges(due=date(2027, 3, 1)),
    Capability.PRIORITY: CardChanges(priority=Priority.HIGH),
    Capability.LABELS: CardChanges(label_ids=(MISSING_ID,)),
    Capability.ASSIGNEES: CardChanges(assignee_id=MISSING_ID),
}
"""An edit of each field a capability guards, for checking the refusal."""


@dataclass(frozen=True)
class FieldEdit:
    """An edit of one field of one card, what it must read back as, and how to read it."""

    card: Card
    changes: CardChanges
    expected: object
    read: Callable[[Card], object]


def _field_edits(content: BoardContent, card: Card) -> dict[Capability, FieldEdit]:
    """Per field capability, an edit the board makes possible."""
    later = date(2027, 3, 1)
    edits = {
        Capability.DUE_DATES: FieldEdit(card, CardChanges(due=later), later, lambda c: c.due),
        Capability.PRIORITY: FieldEdit(
            card, CardChanges(priority=Priority.HIGH), Priority.HIGH, lambda c: c.priority
        ),
    }
    assignee = card.assignee.id if card.assignee else None
    others = [user for user in content.users if user.id != assignee]
    if others:
        edits[Capability.ASSIGNEES] = FieldEdit(
            card,
            CardChanges(assignee_id=others[-1].id),
            others[-1].id,
            lambda c: c.assignee.id if c.assignee else None,
        )
    if labelling := _label_edit(content):
        edits[Capability.LABELS] = labelling
    return edits


def _label_edit(content: BoardContent) -> FieldEdit | None:
    """Label an unlabelled card; failing that, swap a card's only label for another.

    Both are edits every service allows: Kitemaker cannot take a label off, and a
    KanbanTool task always has exactly one (its card type).
    """
    for count in (0, 1):
        for card in content.cards:
            have = {label.id for label in card.labels}
            other = next((label for label in content.labels if label.id not in have), None)
            if len(have) == count and other is not None:
                return FieldEdit(
                    card,
                    CardChanges(label_ids=(other.id,)),
                    (other.id,),
                    lambda c: tuple(label.id for label in c.labels),
                )
    return None


async def test_each_card_field_is_edited_where_declared_and_refused_elsewhere(
    provider: Provider, content: BoardContent, card: Card
):
    edits = _field_edits(content, card)
    for capability, changes in FIELD_CHANGES.items():
        if not provider.supports(Capability.EDIT):
            await unsupported(
                provider, Capability.EDIT, provider.update_card(content.board.id, card.id, changes)
            )
        elif not provider.supports(capability):
            await unsupported(
                provider, capability, provider.update_card(content.board.id, card.id, changes)
            )
        elif edit := edits.get(capability):
            await provider.update_card(content.board.id, edit.card.id, edit.changes)
            reopened = await provider.get_card(content.board.id, edit.card.id)
            assert edit.read(reopened) == edit.expected, capability


async def test_a_move_changes_the_column_and_a_reorder_the_place_in_the_cell(
    provider: Provider, content: BoardContent, card: Card
):
    column = target_column(content, card)
    lane_id = lane_key(content, card)
    where = placement(content, card.id, column.id, lane_id, 0)
    if not provider.supports(Capability.MOVE):
        await unsupported(
            provider, Capability.MOVE, provider.move_card(content.board.id, card.id, where)
        )
        return
    moved = await provider.move_card(content.board.id, card.id, where)
    assert type(moved) is Card and (moved.id, moved.column_id) == (card.id, column.id)
    reloaded = await provider.load_board(content.board.id)
    assert next(c.id for c in cards_in_cell(reloaded, column.id, lane_id)) == card.id
    if provider.supports(Capability.REORDER):
        # Reordering is a move within a cell: undeclared, it has no call of its own to refuse.
        await _reorder_the_last_card_of_a_cell_first(provider, reloaded)


async def _reorder_the_last_card_of_a_cell_first(provider: Provider, content: BoardContent) -> None:
    cell = next(
        (cell for view in group_cards(content) for cell in view.cells if len(cell.cards) >= 2),
        None,
    )
    assert cell is not None, "the board needs a cell with two cards to reorder"
    last = cell.cards[-1]
    lane_id = lane_key(content, last)
    await provider.move_card(
        content.board.id, last.id, placement(content, last.id, last.column_id, lane_id, 0)
    )
    reloaded = await provider.load_board(content.board.id)
    order = [c.id for c in cards_in_cell(reloaded, last.column_id, lane_id)]
    assert order == [last.id, *(c.id for c in cell.cards[:-1])]


async def test_comments_are_listed_oldest_first(
    provider: Provider, content: BoardContent, card: Card
):
    board_id = content.board.id
    if not provider.supports(Capability.COMMENTS):
        adding = provider.add_comment(board_id, card.id, "hi")
        await unsupported(provider, Capability.COMMENTS, adding)
        await unsupported(provider, Capability.COMMENTS, provider.list_comments(board_id, card.id))
        return
    first = await provider.add_comment(board_id, card.id, "Contract: first")
    second = await provider.add_comment(board_id, card.id, "Contract: second")
    assert type(second) is Comment and isinstance(second.id, str) and second.id
    assert second.text == "Contract: second"
    comments = await provider.list_comments(board_id, card.id)
    assert all(type(c) is Comment for c in comments)
    assert [(c.id, c.text) for c in comments[-2:]] == [
        (first.id, first.text),
        (second.id, second.text),
    ]


async def test_a_checklist_item_can_be_ticked(
    provider: Provider, content: BoardContent, card: Card
):
    board_id = content.board.id
    if not provider.supports(Capability.CHECKLISTS):
        await unsupported(
            provider, Capability.CHECKLISTS, provider.add_checklist_item(board_id, card.id, "step")
        )
        await unsupported(
            provider,
            Capability.CHECKLISTS,
            provider.set_checklist_item(board_id, card.id, MISSING_ID, True),
        )
        return
    checklist = (await provider.get_card(board_id, card.id)).checklist
    undone = [item for item in checklist if not item.done]
    if undone:
        item = undone[0]
    else:
        item = await provider.add_checklist_item(board_id, card.id, "Contract: a step")
        assert type(item) is ChecklistItem and isinstance(item.id, str)
        assert (item.text, item.done) == ("Contract: a step", False)
    ticked = await provider.set_checklist_item(board_id, card.id, item.id, True)
    assert type(ticked) is ChecklistItem and (ticked.id, ticked.done) == (item.id, True)
    reopened = await provider.get_card(board_id, card.id)
    assert {i.id: i.done for i in reopened.checklist}[item.id] is True


async def test_time_is_logged_where_declared(provider: Provider, content: BoardContent, card: Card):
    call = provider.log_time(content.board.id, card.id, 45, NOW.date(), "Contract: review")
    if not provider.supports(Capability.TIME_LOGGING):
        await unsupported(provider, Capability.TIME_LOGGING, call)
        return
    entry_id = await call
    assert isinstance(entry_id, str) and entry_id


async def test_a_search_keeps_only_matching_cards_where_declared(
    provider: Provider, content: BoardContent, card: Card
):
    word = max(card.title.split(), key=len)
    call = provider.search_cards(content.board.id, CardFilter.parse(word))
    if not provider.supports(Capability.SEARCH):
        await unsupported(provider, Capability.SEARCH, call)
        return
    found = await call
    assert found and all(type(c) is Card and c.board_id == content.board.id for c in found)
    assert card.id in {c.id for c in found}
    assert all(word.casefold() in c.title.casefold() for c in found)


async def test_an_archived_card_leaves_the_board(
    provider: Provider, content: BoardContent, finished_card: Card
):
    card = finished_card
    if not provider.supports(Capability.ARCHIVE):
        await unsupported(
            provider, Capability.ARCHIVE, provider.archive_card(content.board.id, card.id)
        )
        return
    assert await provider.archive_card(content.board.id, card.id) is None
    reloaded = await provider.load_board(content.board.id)
    assert board_card(reloaded, card.id) is None
    assert len(reloaded.cards) == len(content.cards) - 1


async def test_a_deleted_card_leaves_the_board(
    provider: Provider, content: BoardContent, card: Card
):
    if not provider.supports(Capability.DELETE):
        await unsupported(
            provider, Capability.DELETE, provider.delete_card(content.board.id, card.id)
        )
        return
    assert await provider.delete_card(content.board.id, card.id) is None
    reloaded = await provider.load_board(content.board.id)
    assert board_card(reloaded, card.id) is None
    assert len(reloaded.cards) == len(content.cards) - 1


async def test_errors_are_provider_errors(provider: Provider, content: BoardContent):
    """Whatever goes wrong reaches the caller as a ProviderError, never a bare exception."""
    board_id = content.board.id
    calls: list[Callable[[], Awaitable]] = [lambda: provider.get_card(board_id, MISSING_ID)]
    if provider.supports(Capability.EDIT):
        calls.append(lambda: provider.update_card(board_id, MISSING_ID, CardChanges(title="x")))
    if provider.supports(Capability.COMMENTS):
        calls.append(lambda: provider.add_comment(board_id, MISSING_ID, "x"))
    if provider.supports(Capability.CREATE):
        draft = CardDraft(title="x", column_id=MISSING_ID)
        calls.append(lambda: provider.create_card(board_id, draft))
    for call in calls:
        with pytest.raises(ProviderError):
            await call()


# --- fidelity: what the service holds is what the card and the export show ------------------

SERVED: dict[str, tuple[str, dict[str, object]]] = {
    "kaiten": (
        "Write API client",
        {
            "assignee": "Dana Kim",  # the responsible member, not the owner
            "members": ["Lee Novak"],
            "owner": "Alex Morgan",
            "card_type": "Card",
            "labels": ["backend"],
            "checklist": 3,
            "description": "Cover boards, cards and time logs.",
        },
    ),
    "kanbantool": (
        "Fix crash on empty board",
        {"labels": ["backend", "urgent"], "card_type": "Bug", "size": "1", "priority": "normal"},
    ),
    "kanbert": (
        "Login with passkeys",
        {"assignee": "Ben Okafor", "size": "16 h", "checklist": 2, "priority": "high"},
    ),
    "kitemaker": (
        "Crash when the terminal is 40 columns wide",
        {"labels": ["bug"], "priority": "high", "comment_count": 2},
    ),
    "kitchen": ("Globex - onboarding", {"owner": "Jane Roe", "comment_count": 2}),
    "local": (
        "Password reset email lands in spam",
        {"assignee": "Ada Okafor", "labels": ["bug"], "priority": "high", "comment_count": 2},
    ),
}
"""Per provider, a card its fake (or the demo board) holds, and fields it serves for it."""


def _shown_on_card(card: Card, field: str) -> object:
    value = getattr(card, field)
    if field in ("assignee", "owner"):
        return value.name if value else None
    if field == "members":
        return [person.name for person in value]
    if field == "labels":
        return sorted(label.name for label in value)
    if field == "checklist":
        return len(value)
    return value.value if isinstance(value, Priority) else value


def _shown_in_export(document: ExportDocument, exported: ExportedCard, field: str) -> object:
    people = {user.id: user.name for user in document.users}
    labels = {label.id: label.name for label in document.labels}
    if field == "assignee":
        return people.get(exported.assignee_id or "")
    if field == "owner":
        return people.get(exported.owner_id or "")
    if field == "members":
        return [people[member] for member in exported.member_ids]
    if field == "labels":
        return sorted(labels[label] for label in exported.label_ids)
    if field == "checklist":
        return len(exported.checklist)
    if field == "comment_count":
        return len(exported.comments)
    value = getattr(exported, field)
    return value.value if isinstance(value, Priority) else value


async def _served_card(provider: Provider) -> tuple[str, Card]:
    title, _ = SERVED[provider.name]
    for board in await provider.list_boards():
        content = await provider.load_board(board.id)
        found = next((card for card in content.cards if card.title == title), None)
        if found is not None:
            return board.id, found
    raise AssertionError(f"{provider.name}: no card {title!r} on any board")


async def test_every_field_the_service_holds_shows_on_the_card(provider: Provider):
    board_id, listed = await _served_card(provider)
    card = await provider.get_card(board_id, listed.id)
    _, fields = SERVED[provider.name]
    shown = {field: _shown_on_card(card, field) for field in fields}
    assert shown == fields


async def test_every_field_the_service_holds_is_exported(provider: Provider):
    board_id, listed = await _served_card(provider)
    document = await export_board(provider, board_id)
    exported = next(card for card in document.cards if card.id == listed.id)
    _, fields = SERVED[provider.name]
    if not provider.supports(Capability.COMMENTS):  # the export holds comments, not counts
        fields = {field: value for field, value in fields.items() if field != "comment_count"}
    shown = {field: _shown_in_export(document, exported, field) for field in fields}
    assert shown == fields


async def test_a_posted_comment_names_its_author_where_comments_are_declared(
    provider: Provider, content: BoardContent, card: Card
):
    if not provider.supports(Capability.COMMENTS):
        return  # refusals are test_comments_are_listed_oldest_first's
    posted = await provider.add_comment(content.board.id, card.id, "Contract: who wrote this?")
    assert posted.author is not None and posted.author.name.strip()


async def test_an_archived_card_is_listed_and_restored_where_declared(
    provider: Provider, content: BoardContent, finished_card: Card
):
    board_id = content.board.id
    if not provider.supports(Capability.RESTORE):
        await unsupported(provider, Capability.RESTORE, provider.list_archived_cards(board_id))
        await unsupported(
            provider, Capability.RESTORE, provider.restore_card(board_id, finished_card.id)
        )
        return
    await provider.archive_card(board_id, finished_card.id)
    archived = await provider.list_archived_cards(board_id)
    assert finished_card.id in {card.id for card in archived}
    assert all(type(card) is Card and card.archived for card in archived)
    assert await provider.restore_card(board_id, finished_card.id) is None
    assert finished_card.id not in {c.id for c in await provider.list_archived_cards(board_id)}
    reloaded = await provider.load_board(board_id)
    assert board_card(reloaded, finished_card.id) is not None


def test_every_provider_has_a_served_card():
    assert set(PROVIDERS) <= set(SERVED)


async def test_a_502_to_a_create_says_the_change_may_have_been_applied(
    subject: Subject, content: BoardContent
):
    provider = subject.provider
    if subject.fake is None or not provider.supports(Capability.CREATE):
        return  # no gateway in front of the local board; refusals are tested above
    draft = CardDraft(
        title="Contract: in doubt", column_id=content.columns[0].id, description="first words"
    )
    subject.fake.faults.statuses = [502]
    with pytest.raises(Unavailable, match="may have been applied"):
        await provider.create_card(content.board.id, draft)
