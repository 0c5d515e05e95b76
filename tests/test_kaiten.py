"""The Kaiten provider end to end against the Kaiten fake, on virtual time."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from tests.fakes.kaiten import ARCHIVED, KaitenFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import (
    AuthError,
    NotFound,
    Unavailable,
    Unsupported,
    ValidationError,
)
from tui.core.models import (
    CardChanges,
    CardDraft,
    ColumnKind,
    Placement,
    Priority,
    TimeLog,
)
from tui.core.provider import Capability, Connection
from tui.core.secret import Secret
from tui.providers.kaiten import PAGE_SIZE, KaitenProvider


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> KaitenFake:
    fake = KaitenFake(clock=clock.monotonic)
    fake.wall_clock = clock.time
    return fake


def connect(
    fake: KaitenFake, clock: FakeClock, *, token: str | None = None, transport=None
) -> KaitenProvider:
    return against_fake(KaitenProvider, fake, clock, token=token, transport=transport)


@pytest.fixture
async def kaiten(fake: KaitenFake, clock: FakeClock) -> AsyncIterator[KaitenProvider]:
    provider = connect(fake, clock)
    yield provider
    await provider.aclose()


def board_id(fake: KaitenFake) -> str:
    return str(next(iter(fake.boards)))


def card_id(fake: KaitenFake, title: str) -> str:
    return str(next(c["id"] for c in fake.cards.values() if c["title"] == title))


def column_id(fake: KaitenFake, title: str) -> str:
    return str(next(c["id"] for c in fake.columns.values() if c["title"] == title))


def lane_id(fake: KaitenFake, title: str) -> str:
    return str(next(lane["id"] for lane in fake.lanes.values() if lane["title"] == title))


def tag_id(fake: KaitenFake, name: str) -> str:
    return str(next(t["id"] for t in fake.tags.values() if t["name"] == name))


# --- reading ----------------------------------------------------------------------------


async def test_whoami_is_the_tokens_user(kaiten: KaitenProvider):
    me = await kaiten.whoami()
    assert (me.name, me.email) == ("Alex Morgan", "alex@example.test")


async def test_boards_are_grouped_by_space(kaiten: KaitenProvider, fake: KaitenFake):
    boards = await kaiten.list_boards()
    assert [(b.id, b.name, b.group) for b in boards] == [(board_id(fake), "Development", "Product")]


async def test_load_board_shows_leaf_columns_grouped_under_their_parent(
    kaiten: KaitenProvider, fake: KaitenFake
):
    fake.columns[int(column_id(fake, "Review"))]["wip_limit"] = 3
    content = await kaiten.load_board(board_id(fake))
    assert [(c.name, c.group, c.kind) for c in content.columns] == [
        ("Backlog", None, ColumnKind.QUEUE),
        ("Doing", "In progress", ColumnKind.IN_PROGRESS),
        ("Review", "In progress", ColumnKind.IN_PROGRESS),
        ("Done", None, ColumnKind.DONE),
    ]
    assert [c.position for c in content.columns] == [0, 1, 2, 3]
    assert [c.wip_limit for c in content.columns] == [None, None, 3, None]
    assert [lane.name for lane in content.lanes] == ["Features", "Bugs"]


async def test_load_board_has_every_live_card_once_in_four_requests(
    kaiten: KaitenProvider, fake: KaitenFake
):
    content = await kaiten.load_board(board_id(fake))
    live = {str(c["id"]) for c in fake.cards.values() if c["condition"] == 1}
    assert sorted(card.id for card in content.cards) == sorted(live)
    assert "Old prototype" not in {card.title for card in content.cards}
    leaf_ids = {column.id for column in content.columns}
    lane_ids = {lane.id for lane in content.lanes}
    assert all(card.column_id in leaf_ids and card.lane_id in lane_ids for card in content.cards)
    # The board (its structure), the users, the tags and one page of cards, which
    # alone carry the members.
    assert len(fake.requests) == 4
    assert fake.count("GET", "/cards") == 1


async def test_board_cards_carry_people_type_size_blocked_flag_and_comment_count(
    kaiten: KaitenProvider, fake: KaitenFake
):
    fake.cards[int(card_id(fake, "Dark theme"))]["size_text"] = "3 SP"
    content = await kaiten.load_board(board_id(fake))
    cards = {card.title: card for card in content.cards}
    assert cards["Fix crash on empty board"].blocked is True
    assert cards["Design login screen"].blocked is False
    assert cards["Review pagination"].comment_count == 2
    client = cards["Write API client"]
    # The responsible member is the assignee; the owner is someone else.
    assert client.assignee is not None and client.assignee.name == "Dana Kim"
    assert [member.name for member in client.members] == ["Lee Novak"]
    assert client.owner is not None and client.owner.name == "Alex Morgan"
    assert cards["Dark theme"].assignee is None and cards["Dark theme"].size == "3 SP"
    assert (client.card_type, cards["Fix crash on empty board"].card_type) == ("Card", "Bug")
    web = fake.base_url.removesuffix("/api/v1")
    assert client.url == f"{web}/{client.id}"
    assert {label.name for label in content.labels} == {"backend", "frontend", "urgent"}
    assert {user.name for user in content.users} == {"Alex Morgan", "Dana Kim", "Lee Novak"}


async def test_a_big_board_loads_in_one_request_per_page_of_cards(
    kaiten: KaitenProvider, fake: KaitenFake
):
    big = fake.seed_board(250, columns=5)
    fake.requests.clear()
    content = await kaiten.load_board(str(big))
    assert len(content.cards) == 250 == len({card.id for card in content.cards})
    assert fake.count("GET", "/cards") == 3  # pages of PAGE_SIZE: no page more
    assert len(fake.requests) == 6


class _BoardWithoutCards(httpx.AsyncBaseTransport):
    """Passes requests to the fake, taking `cards` out of the board's answer."""

    def __init__(self, inner: httpx.AsyncBaseTransport, board: int):
        self.inner, self.board = inner, board

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.url.path != f"/api/v1/boards/{self.board}":
            return response
        body = json.loads(await response.aread())
        body.pop("cards")
        return httpx.Response(response.status_code, json=body)


async def test_a_board_answer_without_cards_is_paged_through_get_cards(
    fake: KaitenFake, clock: FakeClock
):
    big = fake.seed_board(250, columns=5)
    provider = connect(fake, clock, transport=_BoardWithoutCards(fake.transport(), big))
    fake.requests.clear()
    content = await provider.load_board(str(big))
    assert len(content.cards) == 250 == len({card.id for card in content.cards})
    pages = [r.query for r in fake.requests if r.path == "/api/v1/cards"]
    assert len(pages) == 3 == -(-250 // PAGE_SIZE)
    assert all(f"board_id={big}" in query for query in pages)


async def test_card_detail_has_description_tags_and_checklist(
    kaiten: KaitenProvider, fake: KaitenFake
):
    card = await kaiten.get_card(board_id(fake), card_id(fake, "Write API client"))
    assert card.description == "Cover boards, cards and time logs."
    assert [label.name for label in card.labels] == ["backend"]
    assert [(item.text, item.done) for item in card.checklist] == [
        ("Boards", True),
        ("Cards", False),
        ("Time logs", False),
    ]
    assert card.column_id == column_id(fake, "Doing")


async def test_comments_are_listed_oldest_first_with_authors(
    kaiten: KaitenProvider, fake: KaitenFake
):
    comments = await kaiten.list_comments(board_id(fake), card_id(fake, "Review pagination"))
    assert [(c.text, c.author.name if c.author else None) for c in comments] == [
        ("Offsets look right to me.", "Dana Kim"),
        ("Merging after one more test.", "Alex Morgan"),
    ]


async def test_an_unknown_card_is_not_found(kaiten: KaitenProvider, fake: KaitenFake):
    with pytest.raises(NotFound, match="GET /api/v1/cards/999999"):
        await kaiten.get_card(board_id(fake), "999999")


async def test_a_non_numeric_id_is_refused_before_sending(kaiten: KaitenProvider, fake: KaitenFake):
    with pytest.raises(ValidationError, match="not a Kaiten id"):
        await kaiten.get_card(board_id(fake), "../spaces")
    assert fake.requests == []


# --- writing ----------------------------------------------------------------------------


async def test_create_card_with_lane_tag_owner_and_due(kaiten: KaitenProvider, fake: KaitenFake):
    dana = next(str(u["id"]) for u in fake.users.values() if u["full_name"] == "Dana Kim")
    draft = CardDraft(
        title="Export CSV",
        column_id=column_id(fake, "Backlog"),
        lane_id=lane_id(fake, "Bugs"),
        description="All columns",
        label_ids=(tag_id(fake, "frontend"),),
        assignee_id=dana,
        due=date(2026, 3, 1),
    )
    card = await kaiten.create_card(board_id(fake), draft)
    stored = fake.cards[int(card.id)]
    assert (stored["title"], stored["column_id"], stored["lane_id"]) == (
        "Export CSV",
        int(draft.column_id),
        int(draft.lane_id),
    )
    # The assignee becomes the responsible member; the owner stays the token's user.
    assert stored["owner_id"] == fake.current_user_id and stored["description"] == "All columns"
    assert stored["member_types"] == {int(dana): 2}
    assert stored["tag_ids"] == [int(tag_id(fake, "frontend"))]
    assert [label.name for label in card.labels] == ["frontend"]
    assert card.due == date(2026, 3, 1) and card.assignee and card.assignee.name == "Dana Kim"
    bottom = max(
        c["sort_order"] for c in fake.cards.values() if c["column_id"] == stored["column_id"]
    )
    assert stored["sort_order"] == bottom


async def test_priority_is_unsupported_and_nothing_is_sent(
    kaiten: KaitenProvider, fake: KaitenFake
):
    draft = CardDraft(title="x", column_id=column_id(fake, "Backlog"), priority=Priority.HIGH)
    with pytest.raises(Unsupported, match="Kaiten cards have no priority"):
        await kaiten.create_card(board_id(fake), draft)
    with pytest.raises(Unsupported):
        await kaiten.update_card(
            board_id(fake), card_id(fake, "Dark theme"), CardChanges(priority=Priority.LOW)
        )
    assert fake.requests == []


async def test_update_changes_only_the_touched_fields(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Dark theme")
    card = await kaiten.update_card(
        board_id(fake), target, CardChanges(title="Dark and light themes", due=date(2026, 4, 2))
    )
    stored = fake.cards[int(target)]
    assert (stored["title"], stored["due_date"]) == ("Dark and light themes", "2026-04-02")
    assert card.title == "Dark and light themes" and card.due == date(2026, 4, 2)
    assert json.loads(fake.requests[-1].body) == {
        "title": "Dark and light themes",
        "due_date": "2026-04-02",
    }
    cleared = await kaiten.update_card(board_id(fake), target, CardChanges(due=None))
    assert cleared.due is None and stored["due_date"] is None


async def test_update_swaps_tags_by_name_and_id(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Fix crash on empty board")  # backend, urgent
    wanted = (tag_id(fake, "urgent"), tag_id(fake, "frontend"))
    card = await kaiten.update_card(board_id(fake), target, CardChanges(label_ids=wanted))
    assert sorted(label.name for label in card.labels) == ["frontend", "urgent"]
    assert sorted(fake.cards[int(target)]["tag_ids"]) == sorted(int(t) for t in wanted)


async def test_an_unknown_tag_is_a_validation_error(kaiten: KaitenProvider, fake: KaitenFake):
    with pytest.raises(ValidationError, match="no tag with id 424242"):
        await kaiten.update_card(
            board_id(fake), card_id(fake, "Dark theme"), CardChanges(label_ids=("424242",))
        )


async def test_assigning_makes_a_member_responsible_and_the_former_one_a_member(
    kaiten: KaitenProvider, fake: KaitenFake
):
    client = card_id(fake, "Write API client")
    lee = next(u["id"] for u in fake.users.values() if u["full_name"] == "Lee Novak")
    dana = next(u["id"] for u in fake.users.values() if u["full_name"] == "Dana Kim")
    card = await kaiten.update_card(board_id(fake), client, CardChanges(assignee_id=str(lee)))
    assert card.assignee is not None and card.assignee.name == "Lee Novak"
    assert fake.cards[int(client)]["member_types"] == {dana: 1, lee: 2}
    assert fake.cards[int(client)]["owner_id"] == fake.current_user_id


async def test_unassigning_keeps_the_responsible_as_a_member(
    kaiten: KaitenProvider, fake: KaitenFake
):
    client = card_id(fake, "Write API client")
    card = await kaiten.update_card(board_id(fake), client, CardChanges(assignee_id=None))
    assert card.assignee is None
    assert {member.name for member in card.members} == {"Dana Kim", "Lee Novak"}


async def test_move_sets_column_lane_and_sort_order(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Dark theme")
    placement = Placement(
        column_id=column_id(fake, "Review"), lane_id=lane_id(fake, "Bugs"), index=0, position=0.5
    )
    card = await kaiten.move_card(board_id(fake), target, placement)
    stored = fake.cards[int(target)]
    assert (stored["column_id"], stored["lane_id"], stored["sort_order"]) == (
        int(placement.column_id),
        int(placement.lane_id),
        0.5,
    )
    assert (card.column_id, card.lane_id, card.position) == (
        placement.column_id,
        placement.lane_id,
        0.5,
    )


async def test_archive_takes_the_card_off_the_board(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Release notes")
    await kaiten.archive_card(board_id(fake), target)
    assert fake.cards[int(target)]["condition"] == ARCHIVED
    content = await kaiten.load_board(board_id(fake))
    assert target not in {card.id for card in content.cards}


async def test_archived_cards_are_listed_and_restored(kaiten: KaitenProvider, fake: KaitenFake):
    archived = await kaiten.list_archived_cards(board_id(fake))
    assert [(c.title, c.archived) for c in archived] == [("Old prototype", True)]
    await kaiten.restore_card(board_id(fake), archived[0].id)
    assert fake.cards[int(archived[0].id)]["condition"] == 1
    assert await kaiten.list_archived_cards(board_id(fake)) == []
    content = await kaiten.load_board(board_id(fake))
    assert archived[0].id in {card.id for card in content.cards}


async def test_delete_removes_the_card(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Typo in settings")
    await kaiten.delete_card(board_id(fake), target)
    assert int(target) not in fake.cards
    with pytest.raises(NotFound):
        await kaiten.get_card(board_id(fake), target)


async def test_add_comment_returns_it_and_it_is_listed(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Dark theme")
    comment = await kaiten.add_comment(board_id(fake), target, "Looks good")
    assert comment.text == "Looks good" and comment.id
    # The answer names the author by id only: the provider fills in who that is.
    assert comment.author is not None and comment.author.name == "Alex Morgan"
    listed = await kaiten.list_comments(board_id(fake), target)
    assert [c.id for c in listed] == [comment.id]


async def test_a_checklist_is_made_for_the_first_item(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Dark theme")
    item = await kaiten.add_checklist_item(board_id(fake), target, "Pick colours")
    checklists = [c for c in fake.checklists.values() if c["card_id"] == int(target)]
    assert [c["name"] for c in checklists] == ["Checklist"]
    assert (item.text, item.done) == ("Pick colours", False)
    toggled = await kaiten.set_checklist_item(board_id(fake), target, item.id, True)
    assert toggled.done is True and toggled.id == item.id
    card = await kaiten.get_card(board_id(fake), target)
    assert [(i.id, i.text, i.done) for i in card.checklist] == [(item.id, "Pick colours", True)]


async def test_an_item_joins_the_existing_checklist(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Write API client")
    before = len(fake.checklists)
    item = await kaiten.add_checklist_item(board_id(fake), target, "Comments")
    assert len(fake.checklists) == before
    card = await kaiten.get_card(board_id(fake), target)
    assert [i.text for i in card.checklist][-1] == "Comments" and card.checklist[-1].id == item.id


async def test_log_time_makes_a_time_log(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Dark theme")
    remote_id = await kaiten.log_time(board_id(fake), target, 25, date(2026, 1, 7), "pairing")
    log = fake.time_logs[int(remote_id)]
    assert (log["card_id"], log["time_spent"], log["for_date"], log["comment"]) == (
        int(target),
        25,
        "2026-01-07",
        "pairing",
    )


# --- failures, limits and secrets -------------------------------------------------------


async def test_a_wrong_token_is_an_auth_error(fake: KaitenFake, clock: FakeClock):
    provider = connect(fake, clock, token="not-the-token")
    with pytest.raises(AuthError, match="token rejected for account 'work'"):
        await provider.whoami()


async def test_a_5xx_on_a_get_is_retried(kaiten: KaitenProvider, fake: KaitenFake):
    fake.faults.statuses = [503]
    assert (await kaiten.whoami()).name == "Alex Morgan"
    assert fake.count("GET", "/users/current") == 2


async def test_a_5xx_on_a_post_is_not_retried(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Dark theme")
    fake.faults.statuses = [502]
    with pytest.raises(Unavailable, match="HTTP 502"):
        await kaiten.add_comment(board_id(fake), target, "once")
    assert fake.count("POST", "/cards") == 1


async def test_a_post_dropped_before_sending_is_sent_again_once(
    kaiten: KaitenProvider, fake: KaitenFake
):
    target = card_id(fake, "Dark theme")
    fake.faults.drop_before = 1
    await kaiten.add_comment(board_id(fake), target, "exactly once")
    assert [c["text"] for c in fake.comments.values() if c["card_id"] == int(target)] == [
        "exactly once"
    ]


async def test_a_post_whose_answer_is_lost_is_not_repeated(
    kaiten: KaitenProvider, fake: KaitenFake
):
    target = card_id(fake, "Dark theme")
    fake.faults.drop_after = 1
    with pytest.raises(Unavailable, match="may have been applied"):
        await kaiten.add_comment(board_id(fake), target, "exactly once")
    assert [c["text"] for c in fake.comments.values() if c["card_id"] == int(target)] == [
        "exactly once"
    ]


async def test_malformed_json_is_unavailable(kaiten: KaitenProvider, fake: KaitenFake):
    fake.faults.malformed = 1
    with pytest.raises(Unavailable, match="not JSON"):
        await kaiten.list_boards()


async def test_the_rate_limit_is_kept_without_a_single_429(
    kaiten: KaitenProvider, fake: KaitenFake, clock: FakeClock
):
    start = clock.now
    for _ in range(12):
        await kaiten.whoami()
    assert len(fake.requests) == 12  # a 429 would have been retried, adding requests
    assert clock.now - start >= 2.0


async def test_a_burst_of_429s_is_waited_out(
    kaiten: KaitenProvider, fake: KaitenFake, clock: FakeClock
):
    fake.rate_limit_storm(2)
    start = clock.now
    assert (await kaiten.whoami()).name == "Alex Morgan"
    assert len(fake.requests) == 3
    assert clock.now - start >= 1.0


async def test_no_token_in_any_url_and_only_in_the_header(kaiten: KaitenProvider, fake: KaitenFake):
    await kaiten.load_board(board_id(fake))
    await kaiten.add_comment(board_id(fake), card_id(fake, "Dark theme"), "hi")
    assert fake.requests
    for request in fake.requests:
        assert fake.token not in request.path + "?" + request.query
        assert request.headers["authorization"] == f"Bearer {fake.token}"
    assert fake.token not in repr(kaiten)


async def test_an_answer_missing_what_is_read_is_unavailable(clock: FakeClock):
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"title": "no id"}))
    provider = KaitenProvider(
        Connection(
            account="work", url="https://x.test/api/v1", token=Secret("t"), transport=transport
        ),
        clock=clock,
    )
    with pytest.raises(
        Unavailable, match=r"Kaiten \(work\): get_card got an answer it cannot read \(no 'id'\)"
    ):
        await provider.get_card("1", "2")


def test_options_declare_the_url_and_a_secret_token():
    options = {option.name: option for option in KaitenProvider.options}
    assert options["url"].required and not options["url"].secret
    assert options["token"].secret


# --- time logs --------------------------------------------------------------------------


async def test_time_logs_are_listed_updated_and_deleted(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Timer persistence")
    logs = await kaiten.list_time_logs(board_id(fake), target)
    assert [(log.card_id, log.minutes, log.day, log.note) for log in logs] == [
        (target, 90, date(2026, 1, 5), ""),
        (target, 45, date(2026, 1, 6), ""),
    ]
    assert all(type(log) is TimeLog for log in logs)
    first = logs[0].id
    await kaiten.update_time_log(board_id(fake), target, first, 30, date(2026, 1, 8), "review")
    stored = fake.time_logs[int(first)]
    assert (stored["time_spent"], stored["for_date"], stored["comment"]) == (
        30,
        "2026-01-08",
        "review",
    )
    await kaiten.delete_time_log(board_id(fake), target, first)
    assert [log.id for log in await kaiten.list_time_logs(board_id(fake), target)] == [logs[1].id]


async def test_a_missing_time_log_is_not_found(kaiten: KaitenProvider, fake: KaitenFake):
    target = card_id(fake, "Dark theme")
    with pytest.raises(NotFound, match="HTTP 404"):
        await kaiten.update_time_log(board_id(fake), target, "987654", 30, date(2026, 1, 8), "")
    with pytest.raises(NotFound, match="Time log not found"):
        await kaiten.delete_time_log(board_id(fake), target, "987654")


async def test_kaiten_runs_no_timers(kaiten: KaitenProvider, fake: KaitenFake):
    assert kaiten.supports(Capability.TIME_LOGGING)
    assert (
        kaiten.why_not(Capability.LIVE_TIMER) == "Kaiten's API logs time spent, it runs no timers"
    )
    with pytest.raises(Unsupported, match="runs no timers"):
        await kaiten.start_timer(board_id(fake), card_id(fake, "Dark theme"))
    assert fake.requests == []
