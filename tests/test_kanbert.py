"""The Kanbert provider end to end against the Kanbert fake, on virtual time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date, timedelta
from urllib.parse import parse_qs

import httpx
import pytest

from tests.fakes.kanbert import READ, KanbertFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import (
    AuthError,
    NotFound,
    PermissionDenied,
    Unavailable,
    Unsupported,
    ValidationError,
)
from tui.core.filtering import CardFilter
from tui.core.models import CardChanges, CardDraft, ColumnKind, Placement, Priority
from tui.core.provider import Capability
from tui.providers.kanbert import PAGE_SIZE, READ_ONLY_MARK, KanbertProvider
from tui.providers.kanbert_html import html_to_text, text_to_html


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake() -> KanbertFake:
    return KanbertFake()


def connect(
    fake: KanbertFake, clock: FakeClock, *, token: str | None = None, transport=None
) -> KanbertProvider:
    return against_fake(KanbertProvider, fake, clock, token=token, transport=transport)


@pytest.fixture
async def kb(fake: KanbertFake, clock: FakeClock) -> AsyncIterator[KanbertProvider]:
    provider = connect(fake, clock)
    yield provider
    await provider.aclose()


def project(fake: KanbertFake, shortcode: str) -> str:
    return next(p["id"] for p in fake.projects.values() if p["shortcode"] == shortcode)


def task(fake: KanbertFake, title: str) -> dict:
    return next(t for t in fake.tasks.values() if t["title"] == title)


def user(fake: KanbertFake, first_name: str) -> str:
    return next(u["id"] for u in fake.users.values() if u["first_name"] == first_name)


def open_top_level(fake: KanbertFake, project_id: str) -> list[str]:
    return [
        task_id
        for task_id in fake.board(project_id)
        if fake.tasks[task_id]["parent_task_id"] is None
        and fake.tasks[task_id]["status"] != "Closed"
    ]


def filters(fake: KanbertFake) -> list[str]:
    return [parse_qs(r.query)["filter"][0] for r in fake.requests if r.path.endswith("/tasks")]


def test_html_descriptions_read_as_text_and_text_is_written_as_html():
    fragment = "<p>One &amp; two</p><p>Three<br>four</p><ul><li>a</li><li>b</li></ul>"
    assert html_to_text(fragment) == "One & two\n\nThree\nfour\n\n- a\n- b"
    assert html_to_text('Hi <mention data-id="usr_1" />, see   this') == "Hi , see this"
    assert text_to_html("One & two\n\nThree\nfour") == "<p>One &amp; two</p><p>Three<br>four</p>"
    assert html_to_text(text_to_html("a <b>\n\nc")) == "a <b>\n\nc"


# --- reading ----------------------------------------------------------------------------


async def test_whoami_is_the_assignee_of_a_task_filtered_by_me_id(
    kb: KanbertProvider, fake: KanbertFake
):
    assert (await kb.whoami()).name == "Kanbert API user"
    task(fake, "Dark theme")["assignee_id"] = fake.me["id"]
    me = await kb.whoami()
    assert (me.id, me.name) == (fake.me["id"], "Cardboard Integration")
    assert filters(fake) == ["assignee.id eq me.id"] * 2


async def test_projects_found_in_tasks_are_the_boards(kb: KanbertProvider, fake: KanbertFake):
    boards = await kb.list_boards()
    assert [(b.id, b.name, b.group) for b in boards] == [
        (project(fake, "APP"), "Mobile app", "Globex"),
        (project(fake, "WEB"), "Website relaunch", "Northwind Traders"),
    ]


async def test_the_statuses_are_the_columns(kb: KanbertProvider, fake: KanbertFake):
    content = await kb.load_board(project(fake, "WEB"))
    assert [(c.id, c.name, c.kind) for c in content.columns] == [
        ("Backlog", "Backlog", ColumnKind.QUEUE),
        ("New", "In Todo", ColumnKind.QUEUE),
        ("WIP", "In progress", ColumnKind.IN_PROGRESS),
        ("Completed", "Completed", ColumnKind.DONE),
        ("Approved", "Approved", ColumnKind.DONE),
    ]
    assert (content.board.name, content.board.group) == ("Website relaunch", "Northwind Traders")


async def test_open_top_level_tasks_are_the_cards_in_project_order(
    kb: KanbertProvider, fake: KanbertFake
):
    web = project(fake, "WEB")
    content = await kb.load_board(web)
    ordered = sorted(content.cards, key=lambda card: card.position)
    assert [card.id for card in ordered] == open_top_level(fake, web)
    assert "Launch checklist" not in {card.title for card in content.cards}  # Closed
    assert "Desktop layout" not in {card.title for card in content.cards}  # a sub-task
    cards = {card.title: card for card in content.cards}
    wireframes = cards["Homepage wireframes"]
    assert wireframes.column_id == "WIP" and wireframes.priority == Priority.HIGH
    assert wireframes.assignee and wireframes.assignee.name == "Ben Okafor"
    assert wireframes.due == fake.today + timedelta(days=3)
    assert [(i.text, i.done) for i in wireframes.checklist] == [
        ("Desktop layout", True),
        ("Mobile layout", False),
        ("Review with client", False),
    ]
    assert {u.name for u in content.users} == {
        "Anna Berg",
        "Ben Okafor",
        "Gina Gast",
        "Cardboard Integration",  # a watcher
    }


async def test_the_description_is_text_with_the_attachments_after_it(
    kb: KanbertProvider, fake: KanbertFake
):
    card = await kb.get_card(project(fake, "WEB"), task(fake, "Homepage wireframes")["id"])
    assert (card.size, card.card_type) == ("12 h", "task")
    assert card.description == (
        "Homepage wireframes.\n\n"
        f"{READ_ONLY_MARK}\n\n"
        "- Attachment: homepage-v2.pdf (application/pdf, 470.8 KB)\n"
        "- Attachment: hero.png (image/png, 88.3 KB)"
    )
    plain = await kb.get_card(project(fake, "WEB"), task(fake, "Newsletter sign-up form")["id"])
    assert plain.description == "Newsletter sign-up form."


async def test_every_page_is_read_and_every_task_comes_once(kb: KanbertProvider, fake: KanbertFake):
    web = project(fake, "WEB")
    fake.seed_many(170, web)
    fake.requests.clear()
    content = await kb.load_board(web)
    wanted = open_top_level(fake, web)
    assert len(wanted) > 140
    assert sorted(card.id for card in content.cards) == sorted(wanted)
    assert len(content.cards) == len({card.id for card in content.cards})
    pages = [parse_qs(r.query) for r in fake.requests]
    assert len(pages) == -(-len(wanted) // PAGE_SIZE)
    assert all(page["page[size]"] == [str(PAGE_SIZE)] for page in pages)
    assert "page[cursor]" not in pages[0] and all("page[cursor]" in page for page in pages[1:])


async def test_a_cursor_that_comes_back_stops_the_paging(clock: FakeClock, fake: KanbertFake):
    def same_page_forever(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [], "links": [], "meta": {"next_cursor": "abc"}})

    provider = connect(fake, clock, transport=httpx.MockTransport(same_page_forever))
    with pytest.raises(Unavailable, match="repeats a page cursor"):
        await provider.load_board("prj_1")


async def test_a_project_without_open_tasks_opens_and_an_unknown_one_is_not_found(
    kb: KanbertProvider, fake: KanbertFake
):
    web = project(fake, "WEB")
    for each in fake.tasks.values():
        if each["project_id"] == web:
            each["status"] = "Closed"
    content = await kb.load_board(web)
    assert (content.board.name, content.cards) == ("Website relaunch", ())
    with pytest.raises(NotFound, match="no task is in project prj_999999"):
        await kb.load_board("prj_999999")


async def test_an_unknown_task_is_not_found(kb: KanbertProvider, fake: KanbertFake):
    with pytest.raises(NotFound, match="Task not found"):
        await kb.get_card(project(fake, "WEB"), "tsk_999999")


async def test_an_id_cannot_leave_its_path(fake: KanbertFake, clock: FakeClock):
    sent: list[bytes] = []

    def record(request: httpx.Request) -> httpx.Response:
        sent.append(request.url.raw_path)
        return httpx.Response(404, json={"message": "Task not found."})

    provider = connect(fake, clock, transport=httpx.MockTransport(record))
    with pytest.raises(ValidationError, match="not a Kanbert id"):
        await provider.get_card("prj_1", "..")
    with pytest.raises(NotFound):
        await provider.get_card("prj_1", "../projects?x=1")
    assert sent == [b"/api/v1/tasks/..%2Fprojects%3Fx%3D1"]


# --- searching ----------------------------------------------------------------------------


async def titles(kb: KanbertProvider, fake: KanbertFake, query: str) -> set[str]:
    cards = await kb.search_cards(project(fake, "WEB"), CardFilter.parse(query))
    return {card.title for card in cards}


async def test_search_filters_on_the_server(kb: KanbertProvider, fake: KanbertFake):
    assert await titles(kb, fake, "page") == {"Homepage wireframes", "Product page template"}
    assert filters(fake)[-1] == (
        f'project.id eq "{project(fake, "WEB")}" and sub_tasks_in_list eq without '
        'and status ne Closed and title contains "page"'
    )
    assert await titles(kb, fake, "@none") == {"Newsletter sign-up form", "Accessibility review"}
    assert await titles(kb, fake, "@anna") == {
        "Content audit of the old site",
        "Sitemap and navigation",
        "Pick the CMS",
    }


async def test_search_by_assignee_name_uses_the_people_already_seen(
    kb: KanbertProvider, fake: KanbertFake
):
    fake.users[user(fake, "Gina")]["email"] = "g.gast@northwind.test"
    assert await titles(kb, fake, "@gina") == set()  # by e-mail only: nobody starts so
    await kb.load_board(project(fake, "WEB"))
    assert await titles(kb, fake, "@gina") == {"Old URLs redirect map"}


async def test_search_by_due_date(kb: KanbertProvider, fake: KanbertFake):
    assert await titles(kb, fake, "due:overdue") == {
        "Content audit of the old site",
        "Sitemap and navigation",
    }
    assert await titles(kb, fake, "due:none @gina") == {"Old URLs redirect map"}
    soon = (fake.today + timedelta(days=3)).isoformat()
    assert await titles(kb, fake, f"due:{soon} -") == set()  # "-" is in no title
    assert await titles(kb, fake, f"due:{soon}") == {
        "Content audit of the old site",
        "Sitemap and navigation",
        "Homepage wireframes",
        "Pick the CMS",
    }
    with pytest.raises(ValueError, match="after due: put overdue"):
        await titles(kb, fake, "due:someday")


async def test_a_label_matches_nothing_without_asking(kb: KanbertProvider, fake: KanbertFake):
    assert await titles(kb, fake, "#bug") == set()
    assert fake.requests == []


# --- writing ----------------------------------------------------------------------------


async def test_create_a_task_with_every_field(kb: KanbertProvider, fake: KanbertFake):
    web = project(fake, "WEB")
    draft = CardDraft(
        title="Cookie banner",
        column_id="WIP",
        description="GDPR & ePrivacy\n\nAsk legal",
        assignee_id=user(fake, "Anna"),
        due=date(2024, 6, 1),
    )
    card = await kb.create_card(web, draft, estimated_hours=2.5)
    stored = fake.tasks[card.id]
    assert (stored["title"], stored["project_id"]) == ("Cookie banner", web)
    assert stored["status"] == "WIP"
    assert stored["description"] == "<p>GDPR &amp; ePrivacy</p><p>Ask legal</p>"
    assert (stored["assignee_id"], stored["due_date"], stored["estimated_hours"]) == (
        user(fake, "Anna"),
        "2024-06-01",
        2.5,
    )
    assert fake.board(web)[-1] == card.id
    assert card.description == "GDPR & ePrivacy\n\nAsk legal"
    assert card.size == "2.5 h"


@pytest.mark.parametrize("side", ["before", "after"])
async def test_create_next_to_a_neighbour(kb: KanbertProvider, fake: KanbertFake, side: str):
    web = project(fake, "WEB")
    neighbour = task(fake, "Pick the CMS")["id"]
    placement = Placement(
        column_id="WIP",
        index=1,
        position=0,
        before_id=neighbour if side == "before" else None,
        after_id=neighbour if side == "after" else None,
    )
    draft = CardDraft(title="Placed", column_id="WIP")
    card = await kb.create_card(web, draft, placement=placement)
    order = fake.board(web)
    assert order.index(card.id) == order.index(neighbour) + (-1 if side == "before" else 1)
    assert fake.requests[-1].json[f"insert_{side}"] == neighbour


async def test_what_kanbert_lacks_is_refused_before_sending(kb: KanbertProvider, fake: KanbertFake):
    web = project(fake, "WEB")
    with pytest.raises(Unsupported, match="Kanbert tasks have no labels"):
        await kb.create_card(web, CardDraft(title="x", column_id="New", label_ids=("bug",)))
    with pytest.raises(Unsupported, match="cannot set it"):
        await kb.update_card(
            web, task(fake, "Dark theme")["id"], CardChanges(priority=Priority.LOW)
        )
    with pytest.raises(ValidationError, match="'Closed' is not a Kanbert status"):
        await kb.create_card(web, CardDraft(title="x", column_id="Closed"))
    assert fake.requests == []


async def test_the_services_422_is_a_validation_error_with_its_words(
    kb: KanbertProvider, fake: KanbertFake
):
    before = len(fake.tasks)
    with pytest.raises(ValidationError, match="must not be greater than 255 characters"):
        await kb.create_card(project(fake, "WEB"), CardDraft(title="x" * 256, column_id="New"))
    assert len(fake.tasks) == before


async def test_update_changes_only_the_touched_fields(kb: KanbertProvider, fake: KanbertFake):
    target = task(fake, "Pick the CMS")
    card = await kb.update_card(
        project(fake, "WEB"),
        target["id"],
        CardChanges(title="Pick the CMS (headless)", assignee_id=None, due=None),
    )
    assert fake.requests[-1].json == {
        "title": "Pick the CMS (headless)",
        "assignee_id": None,
        "due_date": None,
    }
    assert (target["title"], target["assignee_id"], target["due_date"]) == (
        "Pick the CMS (headless)",
        None,
        None,
    )
    assert target["status"] == "WIP" and target["description"] == "<p>Pick the CMS.</p>"
    assert card.assignee is None and card.due is None


async def test_editing_the_description_leaves_kanberts_own_fields_out(
    kb: KanbertProvider, fake: KanbertFake
):
    web = project(fake, "WEB")
    target = task(fake, "Homepage wireframes")
    shown = (await kb.get_card(web, target["id"])).description
    edited = shown.replace("Homepage wireframes.", "Wireframes for desktop and mobile.")
    card = await kb.update_card(web, target["id"], CardChanges(description=edited))
    assert target["description"] == "<p>Wireframes for desktop and mobile.</p>"
    assert card.description == edited


async def test_move_sets_the_status_and_keeps_the_order(kb: KanbertProvider, fake: KanbertFake):
    target = task(fake, "Product page template")
    position = target["list_sorting"]
    card = await kb.move_card(
        project(fake, "WEB"), target["id"], Placement(column_id="WIP", index=0, position=0)
    )
    assert (target["status"], target["list_sorting"]) == ("WIP", position)
    assert (card.column_id, card.position) == ("WIP", position)


async def test_archive_closes_the_task_and_takes_it_off_the_board(
    kb: KanbertProvider, fake: KanbertFake
):
    web = project(fake, "WEB")
    target = task(fake, "Newsletter sign-up form")
    await kb.archive_card(web, target["id"])
    assert target["status"] == "Closed"
    assert target["id"] not in {card.id for card in (await kb.load_board(web)).cards}


async def test_delete_removes_the_task_and_its_sub_tasks(kb: KanbertProvider, fake: KanbertFake):
    target = task(fake, "Homepage wireframes")
    await kb.delete_card(project(fake, "WEB"), target["id"])
    assert target["id"] not in fake.tasks
    assert not any(t["parent_task_id"] == target["id"] for t in fake.tasks.values())


async def test_a_checklist_item_is_a_sub_task_and_toggles_by_status(
    kb: KanbertProvider, fake: KanbertFake
):
    web = project(fake, "WEB")
    parent = task(fake, "Pick the CMS")
    item = await kb.add_checklist_item(web, parent["id"], "Compare pricing")
    stored = fake.tasks[item.id]
    assert (stored["parent_task_id"], stored["project_id"], item.done) == (parent["id"], web, False)
    done = await kb.set_checklist_item(web, parent["id"], item.id, True)
    assert done.done and stored["status"] == "Completed"
    undone = await kb.set_checklist_item(web, parent["id"], item.id, False)
    assert not undone.done and stored["status"] == "New"
    card = await kb.get_card(web, parent["id"])
    assert [(i.id, i.text) for i in card.checklist] == [(item.id, "Compare pricing")]


async def test_undeclared_capabilities_raise_unsupported_with_reasons(
    kb: KanbertProvider, fake: KanbertFake
):
    target = task(fake, "Dark theme")["id"]
    with pytest.raises(Unsupported, match="Kanbert's API has no comments"):
        await kb.add_comment(project(fake, "APP"), target, "hi")
    with pytest.raises(Unsupported, match="time is kept in Cardboard's journal"):
        await kb.log_time(project(fake, "APP"), target, 5, date(2024, 5, 6), "")
    assert not kb.supports(Capability.REORDER)
    assert fake.requests == []


# --- failures and secrets ---------------------------------------------------------------


async def test_a_wrong_token_is_an_auth_error_naming_the_account(
    fake: KanbertFake, clock: FakeClock
):
    provider = connect(fake, clock, token="not-the-token")
    with pytest.raises(AuthError, match="token rejected for account 'work'") as caught:
        await provider.list_boards()
    assert "not-the-token" not in str(caught.value)


async def test_a_read_only_token_cannot_write(clock: FakeClock):
    fake = KanbertFake(scopes={READ})
    provider = connect(fake, clock)
    with pytest.raises(PermissionDenied, match="Invalid scope"):
        await provider.move_card(
            project(fake, "WEB"),
            task(fake, "Dark theme")["id"],
            Placement(column_id="WIP", index=0, position=0),
        )


async def test_a_5xx_on_a_get_is_retried(kb: KanbertProvider, fake: KanbertFake):
    fake.faults.statuses = [502]
    assert len((await kb.load_board(project(fake, "APP"))).cards) > 0
    assert fake.count("GET", "/tasks") == 2


async def test_malformed_json_is_unavailable(kb: KanbertProvider, fake: KanbertFake):
    fake.faults.malformed = 1
    with pytest.raises(Unavailable, match="not JSON"):
        await kb.list_boards()


async def test_a_create_whose_answer_is_lost_is_not_repeated(
    kb: KanbertProvider, fake: KanbertFake
):
    fake.faults.drop_after = 1
    with pytest.raises(Unavailable, match="may have been applied"):
        await kb.create_card(project(fake, "WEB"), CardDraft(title="Only once", column_id="New"))
    assert [t["title"] for t in fake.tasks.values()].count("Only once") == 1


async def test_the_token_travels_only_in_its_header(kb: KanbertProvider, fake: KanbertFake):
    await kb.load_board(project(fake, "WEB"))
    await kb.search_cards(project(fake, "WEB"), CardFilter.parse("page @anna"))
    fake.faults.statuses = [500, 500, 500]
    with pytest.raises(Unavailable) as caught:
        await kb.list_boards()
    assert fake.token not in str(caught.value)
    for request in fake.requests:
        assert fake.token not in request.path + "?" + request.query
        assert request.headers["authorization"] == f"Bearer {fake.token}"
    assert fake.token not in repr(kb)


def test_options_declare_a_default_url_and_a_secret_token():
    options = {option.name: option for option in KanbertProvider.options}
    assert options["url"].default == KanbertProvider.default_url == "https://api.kanbert.com/api/v1"
    assert options["token"].secret and options["token"].required


async def test_board_cards_carry_watchers_type_and_estimate(kb: KanbertProvider, fake: KanbertFake):
    content = await kb.load_board(project(fake, "WEB"))
    wireframes = next(card for card in content.cards if card.title == "Homepage wireframes")
    assert [member.name for member in wireframes.members] == ["Cardboard Integration"]
    assert (wireframes.card_type, wireframes.size) == ("task", "12 h")
    lists = [r.query for r in fake.requests if r.path.endswith("/tasks")]
    assert all("sub_tasks" in query for query in lists)


async def test_closed_tasks_are_listed_and_restored_to_the_backlog(
    kb: KanbertProvider, fake: KanbertFake
):
    web = project(fake, "WEB")
    archived = await kb.list_archived_cards(web)
    assert [(card.title, card.archived) for card in archived] == [("Launch checklist", True)]
    await kb.restore_card(web, archived[0].id)
    assert fake.tasks[archived[0].id]["status"] == "Backlog"
    assert await kb.list_archived_cards(web) == []
