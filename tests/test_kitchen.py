"""The Kitchen.co provider end to end against the Kitchen.co fake, on virtual time."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Mapping
from datetime import date

import httpx
import pytest

from tests.fakes.kitchen import PER_PAGE, KitchenFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import (
    AuthError,
    ConfigError,
    NotFound,
    Unavailable,
    Unsupported,
    ValidationError,
)
from tui.core.models import CardChanges, CardDraft, Placement
from tui.core.provider import Connection
from tui.core.secret import Secret
from tui.providers.kitchen import ACTIVE, ARCHIVED, BOARD, KitchenProvider

AUTHOR = {"author_name": "Ada Client", "author_email": "ada@client.test"}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> KitchenFake:
    return KitchenFake()


def connect(
    fake: KitchenFake,
    clock: FakeClock,
    *,
    token: str | None = None,
    options: Mapping[str, str] = AUTHOR,
    transport=None,
) -> KitchenProvider:
    return against_fake(
        KitchenProvider, fake, clock, token=token, options=options, transport=transport
    )


@pytest.fixture
async def kitchen(fake: KitchenFake, clock: FakeClock) -> AsyncIterator[KitchenProvider]:
    provider = connect(fake, clock)
    yield provider
    await provider.aclose()


def project(fake: KitchenFake, title: str) -> dict:
    return next(p for p in fake.projects.values() if p["title"] == title)


def user(fake: KitchenFake, email: str) -> str:
    return next(u["id"] for u in fake.users.values() if u["email"] == email)


# --- the account ------------------------------------------------------------------------


async def test_the_url_is_built_from_the_workspace(clock: FakeClock):
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"data": [], "meta": {"last_page": 1}})

    provider = KitchenProvider(
        Connection(
            account="work",
            token=Secret("t"),
            options={"workspace": "acme"},
            transport=httpx.MockTransport(record),
        ),
        clock=clock,
    )
    await provider.whoami()
    assert seen == ["https://acme.kitchen.co/api/v1/projects"]


@pytest.mark.parametrize(
    ("options", "problem"),
    [
        ({}, "needs a workspace"),
        ({"workspace": "evil.test/x?"}, "is not a Kitchen.co workspace name"),
    ],
)
def test_a_workspace_is_needed_and_must_be_a_name(options: dict, problem: str):
    with pytest.raises(ConfigError, match=problem):
        KitchenProvider(Connection(account="work", token=Secret("t"), options=options))


async def test_a_url_wins_over_the_workspace(fake: KitchenFake, clock: FakeClock):
    provider = connect(fake, clock, options={"workspace": "elsewhere"})
    await provider.whoami()
    assert fake.count("GET", "/projects") == 1


# --- reading ----------------------------------------------------------------------------


async def test_whoami_proves_the_token(kitchen: KitchenProvider, fake: KitchenFake):
    assert (await kitchen.whoami()).name == "Kitchen.co API user"
    assert fake.count("GET", "/projects") == 1


async def test_one_board_with_an_active_and_an_archived_column(kitchen: KitchenProvider):
    assert await kitchen.list_boards() == [BOARD]
    content = await kitchen.load_board(BOARD.id)
    assert [(c.id, c.name) for c in content.columns] == [(ACTIVE, "Active"), (ARCHIVED, "Archived")]


async def test_projects_are_cards_in_their_status_column(
    kitchen: KitchenProvider, fake: KitchenFake
):
    content = await kitchen.load_board(BOARD.id)
    assert [(c.id, c.title, c.column_id) for c in content.cards] == [
        (p["id"], p["title"], p["status"]) for p in fake.projects.values()
    ]
    assert ARCHIVED in {c.column_id for c in content.cards}
    assert not any(c.archived for c in content.cards)  # shown in their column, not hidden
    onboarding = next(c for c in content.cards if c.title == "Globex - onboarding")
    assert onboarding.owner is not None
    assert (onboarding.owner.name, onboarding.owner.email) == ("Jane Roe", "jane@globex.test")
    assert onboarding.comment_count == 2
    assert onboarding.description == (
        "- **Company:** Globex\n\n"
        "**Latest message** from Mia Manager, 2024-05-06 09:26:\n\n"
        "> Thanks, we are on it. Draft on **Friday**."
    )


async def test_every_page_of_projects_is_read_once(kitchen: KitchenProvider, fake: KitchenFake):
    fake.seed_many(20)
    fake.requests.clear()
    content = await kitchen.load_board(BOARD.id)
    assert sorted(c.id for c in content.cards) == sorted(fake.projects)
    assert len(content.cards) == len(fake.projects) > PER_PAGE
    assert [r.query for r in fake.requests] == ["page=1", "page=2"]


async def test_pages_after_the_first_are_asked_for_together(fake: KitchenFake, clock: FakeClock):
    """350 projects are 24 pages, but two round trips: page 1, then the rest at once."""
    fake.seed_many(350 - len(fake.projects))
    in_flight = most = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0)  # let the other pages start before this one answers
        try:
            return await fake.transport().handle_async_request(request)
        finally:
            in_flight -= 1

    provider = connect(fake, clock, transport=httpx.MockTransport(slow))
    try:
        content = await provider.load_board(BOARD.id)
    finally:
        await provider.aclose()
    assert len(content.cards) == 350
    assert len(fake.requests) == -(-350 // PER_PAGE) == 24
    assert most > 1


async def test_an_answer_without_a_last_page_is_the_only_page(clock: FakeClock, fake: KitchenFake):
    pages: list[str] = []

    def first_page_forever(request: httpx.Request) -> httpx.Response:
        pages.append(request.url.query.decode())
        return httpx.Response(200, json={"data": [{"id": "1", "title": "x", "status": "active"}]})

    provider = connect(fake, clock, transport=httpx.MockTransport(first_page_forever))
    content = await provider.load_board(BOARD.id)
    assert [c.id for c in content.cards] == ["1"]
    assert pages == ["page=1"]  # no meta.last_page: one page is all there is


async def test_card_detail_adds_the_custom_fields(kitchen: KitchenProvider, fake: KitchenFake):
    target = project(fake, "Northwind - new website")
    card = await kitchen.get_card(BOARD.id, target["id"])
    assert card.description.endswith("**Custom fields**\n\n- Project Type: design\n- Budget: 9000")
    assert card.owner is not None and card.owner.name == "John Doe"


async def test_unknown_boards_and_projects_are_not_found(kitchen: KitchenProvider):
    with pytest.raises(NotFound, match="one board"):
        await kitchen.load_board("boards")
    with pytest.raises(NotFound, match="Project not found"):
        await kitchen.get_card(BOARD.id, "999")


# --- writing ----------------------------------------------------------------------------


async def test_create_makes_a_project_from_the_card_and_the_options(
    kitchen: KitchenProvider, fake: KitchenFake
):
    draft = CardDraft(title="Ada - app audit", column_id=ACTIVE, description="Please **audit**.")
    card = await kitchen.create_card(BOARD.id, draft)
    stored = fake.projects[card.id]
    author = fake.users[stored["author_id"]]
    assert (stored["title"], author["name"], author["email"]) == (
        "Ada - app audit",
        "Ada Client",
        "ada@client.test",
    )
    assert [(m["content"], m["format"]) for m in stored["messages"]] == [
        ("Please **audit**.", "markdown")
    ]
    assert card.column_id == ACTIVE and "> Please **audit**." in card.description


async def test_the_message_format_comes_from_the_options(fake: KitchenFake, clock: FakeClock):
    provider = connect(fake, clock, options={**AUTHOR, "message_format": "html"})
    card = await provider.create_card(
        BOARD.id, CardDraft(title="x", column_id=ACTIVE, description="<p>Hi</p>")
    )
    assert fake.projects[card.id]["messages"][0]["format"] == "html"


@pytest.mark.parametrize(
    ("draft", "options", "problem"),
    [
        (CardDraft(title="x", column_id=ACTIVE), AUTHOR, "starts with a message"),
        (CardDraft(title="x", column_id=ARCHIVED, description="m"), AUTHOR, "always active"),
        (CardDraft(title="x", column_id=ACTIVE, description="m"), {}, "author_name"),
        (
            CardDraft(title="x", column_id=ACTIVE, description="m"),
            {**AUTHOR, "message_format": "rtf"},
            "not one of markdown, html, text",
        ),
    ],
)
async def test_an_incomplete_project_is_refused_before_sending(
    fake: KitchenFake, clock: FakeClock, draft: CardDraft, options: dict, problem: str
):
    provider = connect(fake, clock, options=options)
    with pytest.raises(ValidationError, match=problem):
        await provider.create_card(BOARD.id, draft)
    assert fake.requests == []


async def test_the_services_422_keeps_its_words(fake: KitchenFake, clock: FakeClock):
    provider = connect(fake, clock, options={**AUTHOR, "author_email": "not-an-email"})
    before = len(fake.projects)
    with pytest.raises(ValidationError, match=r"HTTP 422.*must be a valid email address"):
        await provider.create_card(
            BOARD.id, CardDraft(title="x", column_id=ACTIVE, description="m")
        )
    assert len(fake.projects) == before


async def test_a_project_is_renamed(kitchen: KitchenProvider, fake: KitchenFake):
    target = project(fake, "Northwind - newsletter")
    card = await kitchen.update_card(
        BOARD.id, target["id"], CardChanges(title="Northwind - monthly newsletter")
    )
    assert target["title"] == card.title == "Northwind - monthly newsletter"
    assert fake.requests[-1].json == {"title": "Northwind - monthly newsletter"}


async def test_only_the_title_can_be_edited(kitchen: KitchenProvider, fake: KitchenFake):
    target = project(fake, "Northwind - newsletter")["id"]
    with pytest.raises(ValidationError, match="only the title can be changed"):
        await kitchen.update_card(BOARD.id, target, CardChanges(description="new"))
    with pytest.raises(Unsupported, match="not assignees"):
        await kitchen.update_card(BOARD.id, target, CardChanges(assignee_id="1"))
    with pytest.raises(Unsupported, match=r"Kitchen\.co projects have no labels"):
        await kitchen.create_card(
            BOARD.id, CardDraft(title="x", column_id=ACTIVE, description="m", label_ids=("a",))
        )
    assert fake.requests == []


@pytest.mark.parametrize(
    ("kind", "email"), [("client", "sam@solo.test"), ("manager", "uma@acme.test")]
)
async def test_clients_and_managers_are_added_and_removed(
    kitchen: KitchenProvider, fake: KitchenFake, kind: str, email: str
):
    target = project(fake, "Northwind - newsletter")
    member = user(fake, email)
    added = await getattr(kitchen, f"add_{kind}")(BOARD.id, target["id"], member)
    assert (added.id, added.email) == (member, email)
    assert member in target[f"{kind}s"]
    await getattr(kitchen, f"remove_{kind}")(BOARD.id, target["id"], member)
    assert member not in target[f"{kind}s"]


async def test_a_manager_is_no_client(kitchen: KitchenProvider, fake: KitchenFake):
    target = project(fake, "Northwind - newsletter")
    with pytest.raises(ValidationError, match="The user must be a client"):
        await kitchen.add_client(BOARD.id, target["id"], user(fake, "uma@acme.test"))
    with pytest.raises(NotFound, match="not one of the project's clients"):
        await kitchen.remove_client(BOARD.id, target["id"], user(fake, "sam@solo.test"))


async def test_undeclared_capabilities_raise_unsupported_with_reasons(
    kitchen: KitchenProvider, fake: KitchenFake
):
    target = project(fake, "Northwind - newsletter")["id"]
    with pytest.raises(Unsupported, match="cannot archive or reactivate a project"):
        await kitchen.move_card(
            BOARD.id, target, Placement(column_id=ARCHIVED, index=0, position=0)
        )
    with pytest.raises(Unsupported, match="cannot archive or reactivate"):
        await kitchen.archive_card(BOARD.id, target)
    with pytest.raises(Unsupported, match="cannot delete projects"):
        await kitchen.delete_card(BOARD.id, target)
    with pytest.raises(Unsupported, match="latest message only"):
        await kitchen.add_comment(BOARD.id, target, "hi")
    with pytest.raises(Unsupported, match="time is kept in Cardboard's journal"):
        await kitchen.log_time(BOARD.id, target, 5, date(2024, 5, 6), "")
    assert fake.requests == []


# --- failures and secrets ---------------------------------------------------------------


async def test_a_wrong_token_is_an_auth_error_naming_the_account(
    fake: KitchenFake, clock: FakeClock
):
    provider = connect(fake, clock, token="not-the-token")
    with pytest.raises(AuthError, match="token rejected for account 'work'") as caught:
        await provider.load_board(BOARD.id)
    assert "not-the-token" not in str(caught.value)


async def test_a_5xx_on_a_get_is_retried(kitchen: KitchenProvider, fake: KitchenFake):
    fake.faults.statuses = [503]
    assert len((await kitchen.load_board(BOARD.id)).cards) == len(fake.projects)
    assert fake.count("GET", "/projects") == 2


async def test_malformed_json_is_unavailable(kitchen: KitchenProvider, fake: KitchenFake):
    fake.faults.malformed = 1
    with pytest.raises(Unavailable, match="not JSON"):
        await kitchen.get_card(BOARD.id, project(fake, "Northwind - newsletter")["id"])


async def test_a_create_whose_answer_is_lost_is_not_repeated(
    kitchen: KitchenProvider, fake: KitchenFake
):
    fake.faults.drop_after = 1
    with pytest.raises(Unavailable, match="may have been applied"):
        await kitchen.create_card(
            BOARD.id, CardDraft(title="Only once", column_id=ACTIVE, description="m")
        )
    assert [p["title"] for p in fake.projects.values()].count("Only once") == 1


async def test_the_token_travels_only_in_its_header(kitchen: KitchenProvider, fake: KitchenFake):
    await kitchen.load_board(BOARD.id)
    await kitchen.create_card(BOARD.id, CardDraft(title="x", column_id=ACTIVE, description="m"))
    fake.faults.statuses = [500, 500, 500]
    with pytest.raises(Unavailable) as caught:
        await kitchen.whoami()
    assert fake.token not in str(caught.value)
    for request in fake.requests:
        assert fake.token not in request.path + "?" + request.query
        assert request.headers["authorization"] == f"Bearer {fake.token}"
    assert fake.token not in repr(kitchen)


def test_options_declare_the_workspace_and_a_secret_token():
    options = {option.name: option for option in KitchenProvider.options}
    assert {"workspace", "url", "author_name", "author_email", "message_format"} <= set(options)
    assert options["token"].secret and options["token"].required
    assert options["message_format"].default == "markdown"
