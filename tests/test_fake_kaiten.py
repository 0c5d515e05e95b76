"""The Kaiten fake behaves as the Kaiten docs say: checked with plain httpx, in-process."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.kaiten import (
    ARCHIVED,
    DONE,
    IN_PROGRESS,
    LIVE,
    MAX_LIMIT,
    QUEUE,
    RESPONSIBLE,
    KaitenFake,
)
from tests.support.clock import FakeClock


@pytest.fixture
def fake() -> KaitenFake:
    return KaitenFake(rate_limit=None)


def connect(fake: KaitenFake, token: str | None = None) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {token or fake.token}"}
    return httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url, headers=headers)


@pytest.fixture
async def api(fake: KaitenFake) -> AsyncIterator[httpx.AsyncClient]:
    async with connect(fake) as client:
        yield client


def seeded_board(fake: KaitenFake) -> int:
    return next(iter(fake.boards))


def column_named(fake: KaitenFake, title: str) -> dict:
    return next(c for c in fake.columns.values() if c["title"] == title)


def card_titled(fake: KaitenFake, title: str) -> dict:
    return next(c for c in fake.cards.values() if c["title"] == title)


def cell_of(fake: KaitenFake, card: dict) -> list[dict]:
    """The cards sharing a card's column and lane, top to bottom."""
    place = (card["column_id"], card["lane_id"])
    cell = [c for c in fake.cards.values() if (c["column_id"], c["lane_id"]) == place]
    return sorted(cell, key=lambda c: c["sort_order"])


# ---- auth ------------------------------------------------------------------------------


async def test_a_missing_or_wrong_token_is_answered_401_with_a_message(fake: KaitenFake):
    async with httpx.AsyncClient(transport=fake.transport(), base_url=fake.base_url) as bare:
        missing = await bare.get("/users/current")
    async with connect(fake, "not-the-token") as wrong:
        bad = await wrong.get("/users/current")
    assert (missing.status_code, bad.status_code) == (401, 401)
    assert missing.json() == bad.json() == {"message": "Invalid token"}


async def test_the_right_bearer_token_gets_the_current_user(
    fake: KaitenFake, api: httpx.AsyncClient
):
    response = await api.get("/users/current")
    assert response.status_code == 200
    assert response.json()["id"] == fake.current_user_id
    assert response.json()["full_name"] == "Alex Morgan"


async def test_users_are_listed(fake: KaitenFake, api: httpx.AsyncClient):
    users = (await api.get("/users")).json()
    assert [u["id"] for u in users] == list(fake.users)
    assert len(users) == 3


# ---- structure ---------------------------------------------------------------------------


async def test_the_seeded_space_lists_its_board(fake: KaitenFake, api: httpx.AsyncClient):
    spaces = (await api.get("/spaces")).json()
    assert [s["title"] for s in spaces] == ["Product"]
    assert [b["title"] for b in spaces[0]["boards"]] == ["Development"]
    boards = (await api.get(f"/spaces/{spaces[0]['id']}/boards")).json()
    assert [c["title"] for c in boards[0]["columns"]][:3] == ["Backlog", "In progress", "Done"]


async def test_a_board_lists_columns_with_subcolumns_lanes_and_only_live_cards(
    fake: KaitenFake, api: httpx.AsyncClient
):
    board = (await api.get(f"/boards/{seeded_board(fake)}")).json()
    columns = {c["title"]: c for c in board["columns"]}
    in_progress = columns["In progress"]
    assert [c["title"] for c in board["columns"]] == [
        "Backlog",
        "In progress",
        "Done",
        "Doing",
        "Review",
    ]
    assert columns["Doing"]["column_id"] == columns["Review"]["column_id"] == in_progress["id"]
    assert (columns["Backlog"]["type"], in_progress["type"], columns["Done"]["type"]) == (
        QUEUE,
        IN_PROGRESS,
        DONE,
    )
    assert [lane["title"] for lane in board["lanes"]] == ["Features", "Bugs"]
    assert len(board["cards"]) == 10
    assert all(card["condition"] == LIVE and "tags" not in card for card in board["cards"])
    assert "Old prototype" not in {card["title"] for card in board["cards"]}


async def test_columns_nest_their_subcolumns(fake: KaitenFake, api: httpx.AsyncClient):
    columns = (await api.get(f"/boards/{seeded_board(fake)}/columns")).json()
    nested = {c["title"]: [s["title"] for s in c["subcolumns"]] for c in columns}
    assert nested == {"Backlog": [], "In progress": ["Doing", "Review"], "Done": []}
    parent = column_named(fake, "In progress")["id"]
    subcolumns = (await api.get(f"/columns/{parent}/subcolumns")).json()
    assert [s["title"] for s in subcolumns] == ["Doing", "Review"]
    lanes = (await api.get(f"/boards/{seeded_board(fake)}/lanes")).json()
    assert len(lanes) == 2


async def test_an_unknown_board_or_path_is_a_404_with_a_message(api: httpx.AsyncClient):
    board = await api.get("/boards/999999")
    path = await api.get("/no-such-thing")
    assert (board.status_code, path.status_code) == (404, 404)
    assert board.json() == {"message": "Board not found"}
    assert "message" in path.json()


# ---- card lists ------------------------------------------------------------------------------


async def test_paging_with_offset_and_limit_returns_every_card_once_and_ends_short(
    fake: KaitenFake, api: httpx.AsyncClient
):
    board_id = fake.seed_board(250, columns=4)
    seen: list[int] = []
    sizes = []
    offset = 0
    while len(sizes) < 10:  # a fake that never ends fails, not hangs
        page = (
            await api.get(
                "/cards", params={"board_id": board_id, "offset": offset, "limit": MAX_LIMIT}
            )
        ).json()
        sizes.append(len(page))
        seen += [card["id"] for card in page]
        if len(page) < MAX_LIMIT:
            break
        offset += MAX_LIMIT
    assert sizes == [100, 100, 50]
    assert sorted(seen) == sorted(c["id"] for c in fake.cards.values() if c["board_id"] == board_id)
    assert len(set(seen)) == 250
    beyond = await api.get("/cards", params={"board_id": board_id, "offset": 250})
    assert beyond.json() == []


async def test_a_limit_over_the_maximum_is_a_400(api: httpx.AsyncClient):
    response = await api.get("/cards", params={"limit": MAX_LIMIT + 1})
    assert response.status_code == 400
    assert response.json() == {"message": f"limit must be between 1 and {MAX_LIMIT}"}


async def test_lists_show_live_cards_unless_asked_for_archived_ones(
    fake: KaitenFake, api: httpx.AsyncClient
):
    live = (await api.get("/cards")).json()
    archived = (await api.get("/cards", params={"condition": ARCHIVED})).json()
    flagged = (await api.get("/cards", params={"archived": "true"})).json()
    assert len(live) == 10
    assert [c["title"] for c in archived] == [c["title"] for c in flagged] == ["Old prototype"]
    assert archived[0]["archived"] is True


async def test_list_cards_carry_members_but_description_only_on_request(
    fake: KaitenFake, api: httpx.AsyncClient
):
    client_card = card_titled(fake, "Write API client")
    plain = (await api.get("/cards", params={"query": "api client"})).json()
    described = (
        await api.get(
            "/cards", params={"query": "api client", "additional_card_fields": "description"}
        )
    ).json()
    assert [c["id"] for c in plain] == [client_card["id"]]
    assert "description" not in plain[0]
    assert described[0]["description"] == "Cover boards, cards and time logs."
    assert {m["full_name"]: m["type"] for m in plain[0]["members"]} == {
        "Dana Kim": RESPONSIBLE,
        "Lee Novak": 1,
    }
    assert plain[0]["path_data"]["subcolumn"]["title"] == "Doing"


# ---- one card ---------------------------------------------------------------------------------


async def test_a_created_card_can_be_read_back(fake: KaitenFake, api: httpx.AsyncClient):
    board_id = seeded_board(fake)
    created = await api.post(
        "/cards", json={"title": "  New idea ", "board_id": board_id, "description": "Why"}
    )
    assert created.status_code == 200
    card = (await api.get(f"/cards/{created.json()['id']}")).json()
    assert (card["title"], card["description"], card["state"]) == ("New idea", "Why", QUEUE)
    assert card["column_id"] == column_named(fake, "Backlog")["id"]
    assert card["lane"]["title"] == "Features"
    assert card["owner"]["id"] == fake.current_user_id
    assert cell_of(fake, card)[-1]["id"] == card["id"]


async def test_position_1_puts_a_new_card_on_top_of_its_cell(
    fake: KaitenFake, api: httpx.AsyncClient
):
    board_id = seeded_board(fake)
    card = (
        await api.post("/cards", json={"title": "Urgent", "board_id": board_id, "position": 1})
    ).json()
    assert cell_of(fake, card)[0]["id"] == card["id"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"board_id": 1}, "title is required"),
        ({"title": "x"}, "board_id is required"),
        ({"title": "x", "board_id": "one"}, "board_id must be an integer"),
        ({"title": "x", "board_id": 424242}, "board 424242 not found"),
    ],
)
async def test_an_invalid_card_is_a_400_with_the_reason(
    api: httpx.AsyncClient, fake: KaitenFake, body, message
):
    before = len(fake.cards)
    response = await api.post("/cards", json=body)
    assert response.status_code == 400
    assert response.json() == {"message": message}
    assert len(fake.cards) == before


async def test_moving_a_card_changes_column_lane_and_state(
    fake: KaitenFake, api: httpx.AsyncClient
):
    card = card_titled(fake, "Design login screen")
    done = column_named(fake, "Done")
    bugs = next(lane for lane in fake.lanes.values() if lane["title"] == "Bugs")
    response = await api.patch(
        f"/cards/{card['id']}", json={"column_id": done["id"], "lane_id": bugs["id"]}
    )
    assert response.status_code == 200
    moved = (await api.get(f"/cards/{card['id']}")).json()
    assert (moved["column_id"], moved["lane_id"], moved["state"]) == (done["id"], bugs["id"], DONE)
    assert moved["completed_at"] is not None
    assert moved["version"] == 2


async def test_moving_to_a_column_with_subcolumns_lands_in_the_first_one(
    fake: KaitenFake, api: httpx.AsyncClient
):
    card = card_titled(fake, "Dark theme")
    parent = column_named(fake, "In progress")
    moved = (await api.patch(f"/cards/{card['id']}", json={"column_id": parent["id"]})).json()
    assert moved["column_id"] == column_named(fake, "Doing")["id"]
    assert moved["state"] == IN_PROGRESS


async def test_sort_order_reorders_a_card_within_its_cell(fake: KaitenFake, api: httpx.AsyncClient):
    card = card_titled(fake, "Dark theme")
    moved = (await api.patch(f"/cards/{card['id']}", json={"sort_order": -5.5})).json()
    assert moved["sort_order"] == -5.5
    assert fake.cards[card["id"]]["column_id"] == column_named(fake, "Backlog")["id"]


async def test_a_rejected_update_changes_nothing(fake: KaitenFake, api: httpx.AsyncClient):
    card = card_titled(fake, "Dark theme")
    before = dict(card)
    response = await api.patch(
        f"/cards/{card['id']}", json={"title": "Renamed", "column_id": 999999}
    )
    assert response.status_code == 400
    assert response.json() == {"message": f"column 999999 is not on board {card['board_id']}"}
    assert fake.cards[card["id"]] == before


async def test_archiving_through_condition_takes_a_card_off_the_board_and_back(
    fake: KaitenFake, api: httpx.AsyncClient
):
    card = card_titled(fake, "Dark theme")
    archived = (await api.patch(f"/cards/{card['id']}", json={"condition": ARCHIVED})).json()
    board = (await api.get(f"/boards/{seeded_board(fake)}")).json()
    assert archived["archived"] is True
    assert card["id"] not in {c["id"] for c in board["cards"]}
    restored = (await api.patch(f"/cards/{card['id']}", json={"condition": LIVE})).json()
    assert restored["archived"] is False
    invalid = await api.patch(f"/cards/{card['id']}", json={"condition": 3})
    assert invalid.status_code == 400


async def test_a_deleted_card_is_answered_then_gone(fake: KaitenFake, api: httpx.AsyncClient):
    card = card_titled(fake, "Release notes")
    deleted = await api.delete(f"/cards/{card['id']}")
    assert deleted.status_code == 200
    assert (deleted.json()["id"], deleted.json()["condition"]) == (card["id"], 3)
    again = await api.get(f"/cards/{card['id']}")
    assert again.status_code == 404
    assert again.json() == {"message": "Card not found"}


async def test_the_blocked_card_says_who_blocked_it_and_why(
    fake: KaitenFake, api: httpx.AsyncClient
):
    card = card_titled(fake, "Fix crash on empty board")
    detail = (await api.get(f"/cards/{card['id']}")).json()
    blockers = (await api.get(f"/cards/{card['id']}/blockers")).json()
    assert detail["blocked"] is True
    assert detail["block_reason"] == "Waiting for logs from support"
    assert detail["blocker"]["full_name"] == "Lee Novak"
    assert [b["reason"] for b in blockers] == ["Waiting for logs from support"]
    assert [t["name"] for t in detail["tags"]] == ["backend", "urgent"]


# ---- tags, members, comments -------------------------------------------------------------------


async def test_tags_are_added_by_name_listed_and_removed(fake: KaitenFake, api: httpx.AsyncClient):
    card = card_titled(fake, "Dark theme")
    tag = (await api.post(f"/cards/{card['id']}/tags", json={"name": "design"})).json()
    listed = (await api.get(f"/cards/{card['id']}/tags")).json()
    assert [t["name"] for t in listed] == ["frontend", "design"]
    assert tag["id"] in {t["id"] for t in (await api.get("/tags")).json()}
    removed = await api.delete(f"/cards/{card['id']}/tags/{tag['id']}")
    assert removed.json() == {"id": tag["id"]}
    assert [t["name"] for t in (await api.get(f"/cards/{card['id']}")).json()["tags"]] == [
        "frontend"
    ]


async def test_members_are_added_made_responsible_and_removed(
    fake: KaitenFake, api: httpx.AsyncClient
):
    card = card_titled(fake, "Write API client")
    dana = next(u for u in fake.users.values() if u["username"] == "dana")["id"]
    me = fake.current_user_id
    added = (await api.post(f"/cards/{card['id']}/members", json={"user_id": me})).json()
    assert (added["id"], added["type"]) == (me, 1)
    promoted = (
        await api.patch(f"/cards/{card['id']}/members/{me}", json={"type": RESPONSIBLE})
    ).json()
    assert promoted["type"] == RESPONSIBLE
    members = {
        m["user_id"]: m["type"] for m in (await api.get(f"/cards/{card['id']}/members")).json()
    }
    assert members[me] == RESPONSIBLE and members[dana] == 1
    assert (await api.delete(f"/cards/{card['id']}/members/{me}")).json() == {"id": me}
    assert me not in fake.cards[card["id"]]["member_types"]


async def test_comments_round_trip(fake: KaitenFake, api: httpx.AsyncClient):
    card = card_titled(fake, "Dark theme")
    created = await api.post(f"/cards/{card['id']}/comments", json={"text": "Looks good"})
    assert created.status_code == 200
    comment_id = created.json()["id"]
    assert fake.cards[card["id"]]["comments_total"] == 1
    edited = (
        await api.patch(f"/cards/{card['id']}/comments/{comment_id}", json={"text": "Looks great"})
    ).json()
    assert (edited["text"], edited["edited"]) == ("Looks great", True)
    listed = (await api.get(f"/cards/{card['id']}/comments")).json()
    assert [(c["text"], c["author"]["id"]) for c in listed] == [
        ("Looks great", fake.current_user_id)
    ]
    assert (await api.delete(f"/cards/{card['id']}/comments/{comment_id}")).json() == {
        "id": comment_id
    }
    assert comment_id not in fake.comments
    assert fake.cards[card["id"]]["comments_total"] == 0
    blank = await api.post(f"/cards/{card['id']}/comments", json={"text": " "})
    assert (blank.status_code, blank.json()) == (400, {"message": "text is required"})


# ---- checklists ------------------------------------------------------------------------------------


async def test_the_seeded_checklist_is_on_its_card(fake: KaitenFake, api: httpx.AsyncClient):
    card = (await api.get(f"/cards/{card_titled(fake, 'Write API client')['id']}")).json()
    [checklist] = card["checklists"]
    assert [(i["text"], i["checked"]) for i in checklist["items"]] == [
        ("Boards", True),
        ("Cards", False),
        ("Time logs", False),
    ]


async def test_checklists_and_items_round_trip(fake: KaitenFake, api: httpx.AsyncClient):
    card_id = card_titled(fake, "Dark theme")["id"]
    checklist = (await api.post(f"/cards/{card_id}/checklists", json={"name": "Steps"})).json()
    base = f"/cards/{card_id}/checklists/{checklist['id']}"
    item = (await api.post(f"{base}/items", json={"text": "Pick colours"})).json()
    checked = (await api.patch(f"{base}/items/{item['id']}", json={"checked": True})).json()
    assert (checked["checked"], checked["checker_id"]) == (True, fake.current_user_id)
    refused = await api.patch(
        f"{base}/items/{item['id']}", json={"checked": False, "responsible_id": 999999}
    )
    assert (refused.status_code, fake.checklist_items[item["id"]]["checked"]) == (400, True)
    renamed = (await api.patch(base, json={"name": "Plan"})).json()
    assert renamed["name"] == "Plan"
    read = (await api.get(base)).json()
    assert [(i["text"], i["checked"]) for i in read["items"]] == [("Pick colours", True)]
    assert (await api.delete(f"{base}/items/{item['id']}")).json() == {"id": item["id"]}
    assert (await api.get(base)).json()["items"] == []
    assert (await api.delete(base)).json() == {"id": checklist["id"]}
    assert (await api.get(base)).status_code == 404


# ---- time logs ---------------------------------------------------------------------------------------


async def test_time_logs_round_trip_and_sum_on_the_card(fake: KaitenFake, api: httpx.AsyncClient):
    card_id = card_titled(fake, "Dark theme")["id"]
    created = await api.post(
        f"/cards/{card_id}/time-logs",
        json={"time_spent": 30, "for_date": "2026-02-01", "comment": "spike"},
    )
    assert created.status_code == 200
    log = created.json()
    assert (log["time_spent"], log["for_date"], log["user_id"], log["role_id"]) == (
        30,
        "2026-02-01",
        fake.current_user_id,
        -1,
    )
    assert fake.time_logs[log["id"]]["comment"] == "spike"
    assert fake.cards[card_id]["time_spent_sum"] == 30
    patched = (
        await api.patch(f"/cards/{card_id}/time-logs/{log['id']}", json={"time_spent": 45})
    ).json()
    assert patched["time_spent"] == 45
    listed = (await api.get(f"/cards/{card_id}/time-logs")).json()
    assert [(entry["id"], entry["time_spent"], entry["user"]["id"]) for entry in listed] == [
        (log["id"], 45, fake.current_user_id)
    ]
    assert fake.cards[card_id]["time_spent_sum"] == 45
    assert (await api.delete(f"/cards/{card_id}/time-logs/{log['id']}")).json() == {"id": log["id"]}
    assert fake.time_logs.get(log["id"]) is None
    assert fake.cards[card_id]["time_spent_sum"] == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"time_spent": 30}, "for_date is required"),
        ({"for_date": "2026-02-01"}, "time_spent is required"),
        (
            {"time_spent": 0, "for_date": "2026-02-01"},
            "time_spent must be a positive number of minutes",
        ),
        ({"time_spent": 5, "for_date": "yesterday"}, "for_date must be a date (YYYY-MM-DD)"),
    ],
)
async def test_an_invalid_time_log_is_a_400(
    fake: KaitenFake, api: httpx.AsyncClient, body, message
):
    card_id = card_titled(fake, "Dark theme")["id"]
    response = await api.post(f"/cards/{card_id}/time-logs", json=body)
    assert (response.status_code, response.json()) == (400, {"message": message})
    assert not [log for log in fake.time_logs.values() if log["card_id"] == card_id]


async def test_the_seeded_time_logs_add_up_on_their_card(fake: KaitenFake, api: httpx.AsyncClient):
    card = (await api.get(f"/cards/{card_titled(fake, 'Timer persistence')['id']}")).json()
    assert card["time_spent_sum"] == 135


# ---- rate limit ----------------------------------------------------------------------------------------


async def test_the_sixth_request_within_a_second_is_429_until_the_window_resets():
    clock = FakeClock(1000.0)
    fake = KaitenFake(clock=clock.monotonic)
    fake.wall_clock = lambda: 1_700_000_000.25
    async with connect(fake) as api:
        answers = []
        for _ in range(6):
            answers.append(await api.get("/users/current"))
            clock.now += 0.1
        limited = answers[-1]
        assert [a.status_code for a in answers] == [200] * 5 + [429]
        assert [a.headers["X-RateLimit-Remaining"] for a in answers] == [
            "4",
            "3",
            "2",
            "1",
            "0",
            "0",
        ]
        assert limited.json() == {"message": "Too many requests"}
        # The window opened at 1000.0 and the wall clock reads .25 at 1000.6: it ends 0.4 s later.
        assert limited.headers["X-RateLimit-Reset"] == str(math.ceil(1_700_000_000.25 + 0.4))
        assert "Retry-After" not in limited.headers
        clock.now = 1001.0
        again = await api.get("/users/current")
    assert again.status_code == 200
    assert again.headers["X-RateLimit-Remaining"] == "4"


async def test_rate_limited_requests_still_reach_the_request_log():
    clock = FakeClock(1000.0)
    fake = KaitenFake(clock=clock.monotonic)
    async with connect(fake) as api:
        for _ in range(7):
            await api.get("/users/current")
    assert fake.count("GET", "/users/current") == 7


async def test_no_rate_limit_means_no_429_and_no_headers():
    fake = KaitenFake(clock=FakeClock(1000.0).monotonic, rate_limit=None)
    async with connect(fake) as api:
        answers = [await api.get("/users/current") for _ in range(8)]
    assert {a.status_code for a in answers} == {200}
    assert "X-RateLimit-Remaining" not in answers[0].headers


async def test_a_storm_answers_the_next_requests_429_then_lets_go():
    fake = KaitenFake(clock=FakeClock(1000.0).monotonic, rate_limit=None)
    fake.wall_clock = lambda: 50.0
    fake.rate_limit_storm(2)
    async with connect(fake) as api:
        answers = [await api.get("/users/current") for _ in range(3)]
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert (
        answers[0].headers["X-RateLimit-Remaining"],
        answers[0].headers["X-RateLimit-Reset"],
    ) == (
        "0",
        "51",
    )


# ---- benchmark board ----------------------------------------------------------------------------------


async def test_seed_board_builds_a_board_of_the_asked_size():
    fake = KaitenFake(seed=False, rate_limit=None)
    board_id = fake.seed_board(300, columns=6)
    async with connect(fake) as bench:
        board = (await bench.get(f"/boards/{board_id}")).json()
    assert len(board["cards"]) == 300
    assert [c["type"] for c in board["columns"]] == [
        QUEUE,
        IN_PROGRESS,
        IN_PROGRESS,
        IN_PROGRESS,
        IN_PROGRESS,
        DONE,
    ]
    assert {c["column_id"] for c in board["cards"]} == {c["id"] for c in board["columns"]}
