"""The Kitemaker provider end to end against the Kitemaker fake, on virtual time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import pytest

from tests.fakes.kitemaker import KitemakerFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import (
    AuthError,
    NotFound,
    Unavailable,
    Unsupported,
    ValidationError,
)
from tui.core.models import CardChanges, CardDraft, Placement, Priority
from tui.core.provider import Capability
from tui.providers.kitemaker import (
    KITEMAKER_API,
    LOOKUPS_PER_LOAD,
    UNPLACED,
    KitemakerProvider,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> KitemakerFake:
    return KitemakerFake(clock=clock.monotonic)


def connect(
    fake: KitemakerFake, clock: FakeClock, *, token: str | None = None
) -> KitemakerProvider:
    return against_fake(KitemakerProvider, fake, clock, token=token)


@pytest.fixture
async def km(fake: KitemakerFake, clock: FakeClock) -> AsyncIterator[KitemakerProvider]:
    provider = connect(fake, clock)
    yield provider
    await provider.aclose()


def space(fake: KitemakerFake, key: str) -> str:
    found = fake.space_by_key(key)
    assert found is not None
    return found["id"]


def status(fake: KitemakerFake, key: str, name: str) -> str:
    return next(s["id"] for s in fake.space_statuses(space(fake, key)) if s["name"] == name)


def item(fake: KitemakerFake, title: str) -> dict:
    return next(i for i in fake.work_items.values() if i["title"] == title)


def label(fake: KitemakerFake, name: str) -> str:
    return next(lid for lid, lab in fake.labels.items() if lab["name"] == name)


def oldest(fake: KitemakerFake, key: str, n: int) -> list[dict]:
    in_space = [i for i in fake.work_items.values() if i["spaceId"] == space(fake, key)]
    return sorted(in_space, key=lambda i: i["updatedAt"])[:n]


def test_the_documented_error_body_is_read_with_its_code():
    read = KITEMAKER_API.detail
    body = {"errors": [{"message": "Could not find it", "status": 404, "code": "ISSUE_NOT_FOUND"}]}
    assert read(body) == "Could not find it (ISSUE_NOT_FOUND)"
    assert read({"message": "injected 503"}) == "injected 503"
    assert read({"errors": "nothing readable"}) is None


# --- reading ----------------------------------------------------------------------------


async def test_whoami_is_the_keys_organization(km: KitemakerProvider):
    assert (await km.whoami()).name == "Acme Robotics"


async def test_spaces_are_the_boards(km: KitemakerProvider, fake: KitemakerFake):
    boards = await km.list_boards()
    assert [(b.id, b.name) for b in boards] == [
        (space(fake, "CB"), "Cardboard"),
        (space(fake, "OPS"), "Operations"),
    ]


async def test_statuses_are_the_columns_and_labels_have_colours(
    km: KitemakerProvider, fake: KitemakerFake
):
    content = await km.load_board(space(fake, "CB"))
    assert [c.name for c in content.columns] == ["Backlog", "Todo", "In progress", "Review", "Done"]
    assert [c.position for c in content.columns] == [0, 1, 2, 3, 4]
    assert {(lab.name, lab.color) for lab in content.labels} == {
        ("bug", "#e91e63"),
        ("feature", "#3f51b5"),
        ("design", "#9c27b0"),
        ("infra", "#009688"),
    }


async def test_a_small_space_is_placed_entirely_without_a_notice(
    km: KitemakerProvider, fake: KitemakerFake
):
    content = await km.load_board(space(fake, "CB"))
    in_space = {i["id"]: i for i in fake.work_items.values() if i["spaceId"] == space(fake, "CB")}
    assert sorted(card.id for card in content.cards) == sorted(in_space)
    assert all(card.column_id == in_space[card.id]["statusId"] for card in content.cards)
    assert content.notice is None and UNPLACED not in {c.id for c in content.columns}
    cards = {card.title: card for card in content.cards}
    crash = cards["Crash when the terminal is 40 columns wide"]
    assert crash.comment_count == 2 and crash.priority == Priority.HIGH
    assert [lab.name for lab in cards["Card detail screen"].labels] == ["feature", "design"]


async def test_cards_show_most_recently_updated_first(km: KitemakerProvider, fake: KitemakerFake):
    backlog = status(fake, "CB", "Backlog")
    content = await km.load_board(space(fake, "CB"))
    column = sorted((c for c in content.cards if c.column_id == backlog), key=lambda c: c.position)
    newest_first = sorted(
        (i for i in fake.work_items.values() if i["statusId"] == backlog),
        key=lambda i: i["updatedAt"],
        reverse=True,
    )
    assert [c.id for c in column] == [i["id"] for i in newest_first]


async def test_more_than_fifty_items_leave_the_rest_unplaced_with_a_notice(
    km: KitemakerProvider, fake: KitemakerFake
):
    ops = space(fake, "OPS")
    in_space = [i for i in fake.work_items.values() if i["spaceId"] == ops]
    assert len(in_space) == 60
    content = await km.load_board(ops)
    assert sorted(card.id for card in content.cards) == sorted(i["id"] for i in in_space)
    unplaced = [card for card in content.cards if card.column_id == UNPLACED]
    assert {card.id for card in unplaced} == {i["id"] for i in oldest(fake, "OPS", 10)}
    assert all(card.title.startswith("Generated item") for card in unplaced)
    assert content.columns[-1].id == UNPLACED and content.columns[-1].name == "Unplaced"
    assert content.notice is not None
    assert "50 most recently updated" in content.notice and "10 older" in content.notice


async def test_items_whose_number_a_comment_reveals_are_looked_up(
    km: KitemakerProvider, fake: KitemakerFake
):
    ops = space(fake, "OPS")
    old = oldest(fake, "OPS", 10)
    for one in old[:3]:
        fake.add_comment(one["id"], "Still relevant?")
    fake.requests.clear()
    content = await km.load_board(ops)
    cards = {card.id: card for card in content.cards}
    assert [cards[one["id"]].column_id for one in old[:3]] == [one["statusId"] for one in old[:3]]
    assert [r.query for r in fake.requests if r.path.endswith("/workitem")] == [
        f"spaceKey=OPS&workItemNumber={one['number']}" for one in old[:3]
    ]
    assert content.notice is not None and "7 older work items" in content.notice


async def test_items_seen_before_stay_placed_when_newer_ones_push_them_out(
    km: KitemakerProvider, fake: KitemakerFake
):
    ops = space(fake, "OPS")
    fake.add_comment(oldest(fake, "OPS", 60)[-1]["id"], "gives the space key away")
    first = await km.load_board(ops)
    fake.seed_many(ops, 5)  # five newer items push five seen ones out of the recent 50
    second = await km.load_board(ops)
    placed_before = {c.id for c in first.cards if c.column_id != UNPLACED}
    placed_after = {c.id for c in second.cards if c.column_id != UNPLACED}
    assert placed_before < placed_after
    assert len(placed_after) == 55


async def test_lookups_per_load_are_bounded(km: KitemakerProvider, fake: KitemakerFake):
    ops = space(fake, "OPS")
    fake.seed_many(ops, 40)
    for one in oldest(fake, "OPS", 100)[:50]:
        fake.add_comment(one["id"], "number known")
    fake.requests.clear()
    content = await km.load_board(ops)
    assert sum(r.path.endswith("/workitem") for r in fake.requests) == LOOKUPS_PER_LOAD
    assert len([c for c in content.cards if c.column_id == UNPLACED]) == 50 - LOOKUPS_PER_LOAD


async def test_card_detail_of_a_recent_item(km: KitemakerProvider, fake: KitemakerFake):
    crash = item(fake, "Crash when the terminal is 40 columns wide")
    card = await km.get_card(space(fake, "CB"), crash["id"])
    assert card.description == f"{crash['title']}.\n\nSee the design notes."
    assert card.column_id == crash["statusId"] and card.comment_count == 2


async def test_card_detail_of_an_unplaced_item_is_its_title(
    km: KitemakerProvider, fake: KitemakerFake
):
    old = oldest(fake, "OPS", 1)[0]
    card = await km.get_card(space(fake, "OPS"), old["id"])
    assert (card.title, card.column_id, card.description) == (old["title"], UNPLACED, "")


async def test_an_unknown_item_is_not_found(km: KitemakerProvider, fake: KitemakerFake):
    with pytest.raises(NotFound, match="no work item 0000000000000000"):
        await km.get_card(space(fake, "CB"), "0000000000000000")


async def test_an_unknown_space_is_not_found_with_the_services_words(km: KitemakerProvider):
    with pytest.raises(NotFound, match=r"The specified space does not exist \(SPACE_NOT_FOUND\)"):
        await km.load_board("0000000000000000")


async def test_comments_are_listed_oldest_first_with_authors(
    km: KitemakerProvider, fake: KitemakerFake
):
    crash = item(fake, "Crash when the terminal is 40 columns wide")
    comments = await km.list_comments(space(fake, "CB"), crash["id"])
    assert [(c.text, c.author.name if c.author else None) for c in comments] == [
        ("Reproduced with `COLUMNS=40`.", "@Ole"),
        ("The column widths go negative; fix is small.", "Cardboard"),
    ]


# --- writing ----------------------------------------------------------------------------


async def test_create_sends_status_labels_impact_effort_and_top_placement(
    km: KitemakerProvider, fake: KitemakerFake
):
    todo = status(fake, "CB", "Todo")
    draft = CardDraft(
        title="Export as Markdown",
        column_id=todo,
        description="For the weekly notes",
        label_ids=(label(fake, "feature"),),
        priority=Priority.URGENT,
    )
    card = await km.create_card(space(fake, "CB"), draft, effort="small")
    stored = fake.work_items[card.id]
    assert (stored["title"], stored["statusId"], stored["description"]) == (
        "Export as Markdown",
        todo,
        "For the weekly notes",
    )
    assert (stored["labelIds"], stored["impact"], stored["effort"]) == (
        [label(fake, "feature")],
        "large",
        "small",
    )
    assert fake.column(todo)[0] == card.id
    assert fake.requests[-1].json["placement"] == "top"
    assert card.priority == Priority.HIGH and [lab.color for lab in card.labels] == ["#3f51b5"]
    assert card.size == "Small"  # the effort, as Kitemaker words it in answers
    content = await km.load_board(space(fake, "CB"))
    column = sorted((c for c in content.cards if c.column_id == todo), key=lambda c: c.position)
    assert column[0].id == card.id


async def test_what_kitemaker_lacks_is_refused_before_sending(
    km: KitemakerProvider, fake: KitemakerFake
):
    todo = status(fake, "CB", "Todo")
    with pytest.raises(Unsupported, match="does not show or set assignees"):
        await km.create_card(
            space(fake, "CB"), CardDraft(title="x", column_id=todo, assignee_id="u")
        )
    with pytest.raises(Unsupported, match="no due dates"):
        await km.create_card(
            space(fake, "CB"), CardDraft(title="x", column_id=todo, due=date(2026, 1, 1))
        )
    with pytest.raises(ValidationError, match="Unplaced is not a Kitemaker status"):
        await km.create_card(space(fake, "CB"), CardDraft(title="x", column_id=UNPLACED))
    assert fake.requests == []


async def test_update_changes_only_the_touched_fields(km: KitemakerProvider, fake: KitemakerFake):
    target = item(fake, "Time report as CSV")
    before = dict(target)
    card = await km.update_card(
        space(fake, "CB"),
        target["id"],
        CardChanges(title="Time report as CSV and JSON", priority=Priority.HIGH),
    )
    assert fake.requests[-1].json == {
        "id": target["id"],
        "title": "Time report as CSV and JSON",
        "impact": "large",
    }
    assert (target["title"], target["impact"]) == ("Time report as CSV and JSON", "large")
    assert target["description"] == before["description"]
    assert target["statusId"] == before["statusId"]
    assert card.title == "Time report as CSV and JSON" and card.priority == Priority.HIGH


async def test_labels_can_be_added(km: KitemakerProvider, fake: KitemakerFake):
    target = item(fake, "Retry on 429 with backoff")  # infra
    wanted = (label(fake, "infra"), label(fake, "bug"))
    card = await km.update_card(space(fake, "CB"), target["id"], CardChanges(label_ids=wanted))
    assert target["labelIds"] == list(wanted)
    assert [lab.name for lab in card.labels] == ["infra", "bug"]


async def test_taking_a_label_off_is_refused_before_sending(
    km: KitemakerProvider, fake: KitemakerFake
):
    target = item(fake, "Card detail screen")  # feature, design
    with pytest.raises(ValidationError, match="not take them off: remove design in Kitemaker"):
        await km.update_card(
            space(fake, "CB"), target["id"], CardChanges(label_ids=(label(fake, "feature"),))
        )
    assert fake.count("PUT") == 0
    assert target["labelIds"] == [label(fake, "feature"), label(fake, "design")]


async def test_move_puts_the_item_at_the_top_of_the_status(
    km: KitemakerProvider, fake: KitemakerFake
):
    target = item(fake, "Time report as CSV")
    done = status(fake, "CB", "Done")
    card = await km.move_card(
        space(fake, "CB"), target["id"], Placement(column_id=done, index=0, position=0)
    )
    assert target["statusId"] == done and fake.column(done)[0] == target["id"]
    assert card.column_id == done


async def test_an_unplaced_item_can_be_moved_onto_the_board(
    km: KitemakerProvider, fake: KitemakerFake
):
    ops = space(fake, "OPS")
    old = oldest(fake, "OPS", 1)[0]
    doing = status(fake, "OPS", "Doing")
    await km.move_card(ops, old["id"], Placement(column_id=doing, index=0, position=0))
    content = await km.load_board(ops)
    card = next(c for c in content.cards if c.id == old["id"])
    assert card.column_id == doing


async def test_nothing_moves_into_unplaced(km: KitemakerProvider, fake: KitemakerFake):
    target = item(fake, "Time report as CSV")
    with pytest.raises(ValidationError, match="Unplaced is not a Kitemaker status"):
        await km.move_card(
            space(fake, "CB"), target["id"], Placement(column_id=UNPLACED, index=0, position=0)
        )
    assert fake.requests == []


async def test_moving_an_unknown_item_is_not_found_in_the_services_words(
    km: KitemakerProvider, fake: KitemakerFake
):
    todo = status(fake, "CB", "Todo")
    with pytest.raises(NotFound, match=r"Could not find the specified work item"):
        await km.move_card(
            space(fake, "CB"), "0000000000000000", Placement(column_id=todo, index=0, position=0)
        )


async def test_add_comment_returns_it_and_it_is_listed(km: KitemakerProvider, fake: KitemakerFake):
    target = item(fake, "Time report as CSV")
    comment = await km.add_comment(space(fake, "CB"), target["id"], "Looks good")
    assert comment.text == "Looks good" and comment.author and comment.author.name == "Cardboard"
    listed = await km.list_comments(space(fake, "CB"), target["id"])
    assert [c.id for c in listed] == [comment.id]
    card = await km.get_card(space(fake, "CB"), target["id"])
    assert card.comment_count == 1


async def test_a_new_label_comes_back_with_its_colour(km: KitemakerProvider, fake: KitemakerFake):
    made = await km.create_label(space(fake, "CB"), "Infrastructure", "#ff00aa")
    assert fake.labels[made.id]["color"] == "ff00aa"
    assert (made.name, made.color) == ("Infrastructure", "#ff00aa")
    content = await km.load_board(space(fake, "CB"))
    assert ("Infrastructure", "#ff00aa") in {(lab.name, lab.color) for lab in content.labels}


async def test_undeclared_capabilities_raise_unsupported_with_reasons(
    km: KitemakerProvider, fake: KitemakerFake
):
    target = item(fake, "Time report as CSV")["id"]
    with pytest.raises(Unsupported, match="no time API; time is kept in Cardboard's journal"):
        await km.log_time(space(fake, "CB"), target, 10, date(2026, 1, 1), "")
    with pytest.raises(Unsupported, match="cannot delete"):
        await km.delete_card(space(fake, "CB"), target)
    with pytest.raises(Unsupported, match="cannot archive"):
        await km.archive_card(space(fake, "CB"), target)
    with pytest.raises(Unsupported):
        await km.add_checklist_item(space(fake, "CB"), target, "x")
    assert not km.supports(Capability.REORDER) and "top" in (km.why_not(Capability.REORDER) or "")
    assert fake.requests == []


# --- failures, limits and secrets -------------------------------------------------------


async def test_a_wrong_key_is_an_auth_error_naming_the_account(
    fake: KitemakerFake, clock: FakeClock
):
    provider = connect(fake, clock, token="not-the-key")
    with pytest.raises(AuthError, match="token rejected for account 'work'") as caught:
        await provider.list_boards()
    assert "not-the-key" not in str(caught.value)


async def test_a_5xx_on_a_get_is_retried(km: KitemakerProvider, fake: KitemakerFake):
    fake.faults.statuses = [503]
    assert len(await km.list_boards()) == 2
    assert fake.count("GET", "/metadata/spaces") == 2


async def test_malformed_json_is_unavailable(km: KitemakerProvider, fake: KitemakerFake):
    fake.faults.malformed = 1
    with pytest.raises(Unavailable, match="not JSON"):
        await km.whoami()


async def test_a_comment_whose_answer_is_lost_is_not_repeated(
    km: KitemakerProvider, fake: KitemakerFake
):
    target = item(fake, "Time report as CSV")
    fake.faults.drop_after = 1
    with pytest.raises(Unavailable, match="may have been applied"):
        await km.add_comment(space(fake, "CB"), target["id"], "exactly once")
    assert [c["body"] for c in fake.comments.values() if c["workItemId"] == target["id"]] == [
        "exactly once"
    ]


async def test_a_created_item_whose_answer_is_lost_is_not_repeated(
    km: KitemakerProvider, fake: KitemakerFake
):
    fake.faults.drop_after = 1
    draft = CardDraft(title="Only one of me", column_id=status(fake, "CB", "Todo"))
    with pytest.raises(Unavailable, match="may have been applied"):
        await km.create_card(space(fake, "CB"), draft)
    assert [i["title"] for i in fake.work_items.values()].count("Only one of me") == 1


async def test_a_burst_of_429s_is_waited_out(clock: FakeClock):
    fake = KitemakerFake(clock=clock.monotonic, rate_limit=2, rate_window=1.0)
    provider = connect(fake, clock)
    for _ in range(3):
        await provider.whoami()
    assert clock.sleeps and fake.count("GET", "/organization") > 3


async def test_the_key_travels_only_in_its_header(km: KitemakerProvider, fake: KitemakerFake):
    await km.load_board(space(fake, "OPS"))
    await km.add_comment(space(fake, "CB"), item(fake, "Time report as CSV")["id"], "hi")
    fake.faults.statuses = [500, 500, 500]
    with pytest.raises(Unavailable) as caught:
        await km.whoami()
    assert fake.token not in str(caught.value)
    for request in fake.requests:
        assert fake.token not in request.path + "?" + request.query
        assert request.headers["x-api-key"] == fake.token
    assert fake.token not in repr(km)


def test_options_declare_a_default_url_and_a_secret_token():
    options = {option.name: option for option in KitemakerProvider.options}
    assert options["url"].default == KitemakerProvider.default_url and not options["url"].required
    assert options["token"].secret and options["token"].required


async def test_an_item_read_by_number_is_not_read_again_while_unchanged(
    km: KitemakerProvider, fake: KitemakerFake
):
    ops = space(fake, "OPS")
    old = oldest(fake, "OPS", 10)
    for one in old[:3]:
        fake.add_comment(one["id"], "Still relevant?")
    first = await km.load_board(ops)
    fake.requests.clear()
    second = await km.load_board(ops)
    assert not [r for r in fake.requests if r.path.endswith("/workitem")]
    assert {c.id: c.column_id for c in second.cards} == {c.id: c.column_id for c in first.cards}


async def test_an_item_changed_since_it_was_read_is_read_again(
    km: KitemakerProvider, fake: KitemakerFake
):
    ops = space(fake, "OPS")
    looked_up = oldest(fake, "OPS", 10)[0]
    fake.add_comment(looked_up["id"], "Still relevant?")
    await km.load_board(ops)
    fake.seed_many(ops, 50)  # 50 newer items: the recent list no longer vouches for it
    fake.requests.clear()
    await km.load_board(ops)
    assert f"workItemNumber={looked_up['number']}" in {
        r.query.split("&")[-1] for r in fake.requests if r.path.endswith("/workitem")
    }
