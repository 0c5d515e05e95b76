"""Exactly once: a create whose outcome was unclear is found before it is sent again.

Kaiten cards and Kanbert tasks keep an `external_id` (the outbox sets it from the
operation id); elsewhere `find_created_card` matches the title of cards made since the
first send. Every fault here is one the services really show: the service acts and
the connection drops, a 2xx with a broken body, a 502 from a gateway that never
passed the request on.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.kaiten import KaitenFake
from tests.fakes.kanbantool import KanbanToolFake
from tests.fakes.kanbert import KanbertFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import Unavailable, ValidationError
from tui.core.models import CardDraft
from tui.providers.kaiten import KaitenProvider
from tui.providers.kanbantool import KanbanToolProvider
from tui.providers.kanbert import KanbertProvider

OPERATION = "op-5f0c8e1e-create"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- Kaiten -----------------------------------------------------------------------------


@pytest.fixture
def kaiten_fake(clock: FakeClock) -> KaitenFake:
    fake = KaitenFake(clock=clock.monotonic)
    fake.wall_clock = clock.time
    return fake


@pytest.fixture
async def kaiten(kaiten_fake: KaitenFake, clock: FakeClock) -> AsyncIterator[KaitenProvider]:
    provider = against_fake(KaitenProvider, kaiten_fake, clock)
    yield provider
    await provider.aclose()


def kaiten_draft(fake: KaitenFake, title: str, external_id: str | None = OPERATION) -> CardDraft:
    backlog = next(c["id"] for c in fake.columns.values() if c["title"] == "Backlog")
    return CardDraft(title=title, column_id=str(backlog), external_id=external_id)


def kaiten_board(fake: KaitenFake) -> str:
    return str(next(iter(fake.boards)))


def kaiten_titled(fake: KaitenFake, title: str) -> list[dict]:
    return [card for card in fake.cards.values() if card["title"] == title]


async def test_kaiten_keeps_the_external_id_and_gives_it_back(kaiten, kaiten_fake):
    board = kaiten_board(kaiten_fake)
    made = await kaiten.create_card(board, kaiten_draft(kaiten_fake, "Tagged"))
    assert made.external_id == OPERATION
    assert [card["external_id"] for card in kaiten_titled(kaiten_fake, "Tagged")] == [OPERATION]
    assert (await kaiten.get_card(board, made.id)).external_id == OPERATION
    listed = {card.id: card for card in (await kaiten.load_board(board)).cards}
    assert listed[made.id].external_id == OPERATION


async def test_kaiten_cards_made_elsewhere_have_no_external_id(kaiten, kaiten_fake):
    cards = (await kaiten.load_board(kaiten_board(kaiten_fake))).cards
    assert cards and all(card.external_id is None for card in cards)


@pytest.mark.parametrize("fault", ["drop_after", "malformed"])
async def test_a_kaiten_create_lost_after_the_service_acted_is_found(kaiten, kaiten_fake, fault):
    board = kaiten_board(kaiten_fake)
    draft = kaiten_draft(kaiten_fake, "Landed")
    setattr(kaiten_fake.faults, fault, 1)
    with pytest.raises(Unavailable, match="may have been applied") as unclear:
        await kaiten.create_card(board, draft)
    assert unclear.value.in_doubt is True
    found = await kaiten.find_created_card(board, draft, since=None)
    assert found is not None and found.title == "Landed" and found.external_id == OPERATION
    assert len(kaiten_titled(kaiten_fake, "Landed")) == 1


async def test_a_kaiten_create_a_gateway_refused_is_not_found_and_sent_once_more(
    kaiten, kaiten_fake
):
    board = kaiten_board(kaiten_fake)
    draft = kaiten_draft(kaiten_fake, "Not yet")
    kaiten_fake.faults.statuses = [502]  # the gateway answered; the API never saw it
    with pytest.raises(Unavailable, match=r"HTTP 502 .*may have been applied") as unclear:
        await kaiten.create_card(board, draft)
    assert unclear.value.in_doubt is True
    assert await kaiten.find_created_card(board, draft, since=None) is None
    await kaiten.create_card(board, draft)  # what the outbox does next
    assert len(kaiten_titled(kaiten_fake, "Not yet")) == 1


async def test_kaiten_tells_two_creates_with_one_title_apart(kaiten, kaiten_fake):
    board = kaiten_board(kaiten_fake)
    first = await kaiten.create_card(board, kaiten_draft(kaiten_fake, "Twin", "op-1"))
    second = await kaiten.create_card(board, kaiten_draft(kaiten_fake, "Twin", "op-2"))
    found = await kaiten.find_created_card(board, kaiten_draft(kaiten_fake, "Twin", "op-1"), None)
    assert found is not None and found.id == first.id != second.id
    missing = kaiten_draft(kaiten_fake, "Twin", "op-3")
    assert await kaiten.find_created_card(board, missing, since=None) is None


async def test_a_kaiten_create_with_an_unknown_label_is_refused_before_the_card_exists(
    kaiten, kaiten_fake
):
    draft = replace(kaiten_draft(kaiten_fake, "Mislabelled"), label_ids=("4242",))
    with pytest.raises(ValidationError, match="no tag with id 4242"):
        await kaiten.create_card(kaiten_board(kaiten_fake), draft)
    assert kaiten_titled(kaiten_fake, "Mislabelled") == []  # a retry cannot make it twice


async def test_a_kaiten_create_whose_labels_fail_after_the_card_was_made_is_in_doubt(
    kaiten, kaiten_fake
):
    board = kaiten_board(kaiten_fake)
    frontend = next(str(tag["id"]) for tag in kaiten_fake.tags.values())
    draft = replace(kaiten_draft(kaiten_fake, "Half made"), label_ids=(frontend,))
    faults = kaiten_fake.faults
    faults.only, faults.after, faults.statuses = "/tags", 1, [400]  # GET /tags, then POST
    with pytest.raises(Unavailable, match="was made, but setting its labels") as unfinished:
        await kaiten.create_card(board, draft)
    assert unfinished.value.in_doubt is True  # not a refusal: the card exists
    found = await kaiten.find_created_card(board, draft, since=None)
    assert found is not None and len(kaiten_titled(kaiten_fake, "Half made")) == 1


# --- Kanbert ----------------------------------------------------------------------------


@pytest.fixture
def kanbert_fake() -> KanbertFake:
    return KanbertFake()


@pytest.fixture
async def kanbert(kanbert_fake: KanbertFake, clock: FakeClock) -> AsyncIterator[KanbertProvider]:
    provider = against_fake(KanbertProvider, kanbert_fake, clock)
    yield provider
    await provider.aclose()


def kanbert_project(fake: KanbertFake) -> str:
    return next(iter(fake.projects))


def kanbert_titled(fake: KanbertFake, title: str) -> list[dict]:
    return [task for task in fake.tasks.values() if task["title"] == title]


def kanbert_draft(title: str, external_id: str | None = OPERATION) -> CardDraft:
    return CardDraft(title=title, column_id="Backlog", external_id=external_id)


async def test_kanbert_keeps_the_external_id_and_gives_it_back(kanbert, kanbert_fake):
    project = kanbert_project(kanbert_fake)
    made = await kanbert.create_card(project, kanbert_draft("Tagged"))
    assert made.external_id == OPERATION
    [task] = kanbert_titled(kanbert_fake, "Tagged")
    assert (task["external_id"], task["external_origin"]) == (OPERATION, "cardboard")
    assert (await kanbert.get_card(project, made.id)).external_id == OPERATION


@pytest.mark.parametrize("fault", ["drop_after", "malformed"])
async def test_a_kanbert_create_lost_after_the_service_acted_is_found_by_its_external_id(
    kanbert, kanbert_fake, fault
):
    project = kanbert_project(kanbert_fake)
    draft = kanbert_draft("Landed")
    setattr(kanbert_fake.faults, fault, 1)
    with pytest.raises(Unavailable) as unclear:
        await kanbert.create_card(project, draft)
    assert unclear.value.in_doubt is True
    found = await kanbert.find_created_card(project, draft, since=None)
    assert found is not None and found.external_id == OPERATION
    lookup = kanbert_fake.requests[-1]
    assert lookup.path.endswith(f"/tasks/{OPERATION}") and "find_by=external_id" in lookup.query
    assert len(kanbert_titled(kanbert_fake, "Landed")) == 1


async def test_a_kanbert_create_sent_again_after_it_landed_answers_the_same_task(
    kanbert, kanbert_fake
):
    project = kanbert_project(kanbert_fake)
    kanbert_fake.faults.drop_after = 1
    with pytest.raises(Unavailable):
        await kanbert.create_card(project, kanbert_draft("Twice sent"))
    again = await kanbert.create_card(project, kanbert_draft("Twice sent"))
    [task] = kanbert_titled(kanbert_fake, "Twice sent")
    assert again.id == task["id"]


async def test_a_kanbert_create_that_never_landed_is_not_found(kanbert, kanbert_fake):
    project = kanbert_project(kanbert_fake)
    assert await kanbert.find_created_card(project, kanbert_draft("Never"), since=None) is None


async def test_a_kanbert_refusal_of_another_kind_stays_a_refusal(kanbert, kanbert_fake):
    project = kanbert_project(kanbert_fake)
    with pytest.raises(Exception, match="title") as refused:
        await kanbert.create_card(project, kanbert_draft("x" * 300))
    assert not isinstance(refused.value, Unavailable)
    assert kanbert_titled(kanbert_fake, "x" * 300) == []


# --- the default: by title, since the first send ------------------------------------------


@pytest.fixture
async def kanbantool(clock: FakeClock) -> AsyncIterator[tuple[KanbanToolProvider, KanbanToolFake]]:
    fake = KanbanToolFake()
    provider = against_fake(KanbanToolProvider, fake, clock)
    yield provider, fake
    await provider.aclose()


def kanbantool_draft(fake: KanbanToolFake, title: str) -> CardDraft:
    backlog = next(s["id"] for s in fake.workflow_stages.values() if s["name"] == "Backlog")
    return CardDraft(title=title, column_id=str(backlog), external_id=OPERATION)


async def test_without_an_external_id_a_lost_create_is_found_by_title_since_the_first_send(
    kanbantool,
):
    provider, fake = kanbantool
    board = str(next(iter(fake.boards)))
    draft = kanbantool_draft(fake, "Landed  there")
    first_send = datetime.now(UTC)  # the fake dates tasks by the machine's clock
    fake.faults.drop_after = 1
    with pytest.raises(Unavailable) as unclear:
        await provider.create_card(board, draft)
    assert unclear.value.in_doubt is True
    found = await provider.find_created_card(board, draft, since=first_send)
    assert found is not None and found.title == "Landed  there"  # matched, spaces aside


async def test_the_default_match_ignores_same_titled_cards_made_before_the_first_send(
    kanbantool,
):
    provider, fake = kanbantool
    board = str(next(iter(fake.boards)))
    draft = kanbantool_draft(fake, "Dark theme")  # a seeded task, made long ago
    assert await provider.find_created_card(board, draft, since=datetime.now(UTC)) is None
    long_ago = datetime(2025, 1, 1, tzinfo=UTC) - timedelta(days=1)
    assert await provider.find_created_card(board, draft, since=long_ago) is not None
