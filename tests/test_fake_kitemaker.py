"""The Kitemaker fake behaves as shared/api/kitemaker-rest-v1.txt documents."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.kitemaker import KitemakerFake
from tests.support.clock import FakeClock

UNAUTHORIZED = {
    "errors": [
        {
            "message": "The requested action could not be completed",
            "status": 401,
            "code": "UNAUTHORIZED",
        }
    ]
}
SPACE_NOT_FOUND = {
    "errors": [
        {"message": "The specified space does not exist", "status": 404, "code": "SPACE_NOT_FOUND"}
    ]
}
ISSUE_NOT_FOUND = {
    "errors": [
        {
            "message": "Could not find the specified work item",
            "status": 404,
            "code": "ISSUE_NOT_FOUND",
        }
    ]
}


@pytest.fixture
def fake() -> KitemakerFake:
    return KitemakerFake()


@pytest.fixture
async def client(fake: KitemakerFake) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers={"X-API-KEY": fake.token}
    ) as client:
        yield client


def space_id(fake: KitemakerFake, key: str) -> str:
    space = fake.space_by_key(key)
    assert space is not None
    return space["id"]


def status_id(fake: KitemakerFake, key: str, name: str) -> str:
    return next(s["id"] for s in fake.space_statuses(space_id(fake, key)) if s["name"] == name)


def label_id(fake: KitemakerFake, name: str) -> str:
    return next(label["id"] for label in fake.labels.values() if label["name"] == name)


@pytest.mark.parametrize(
    "headers",
    [{}, {"X-API-KEY": "wrong"}, {"Authorization": "Bearer kitemaker-test-token"}],
    ids=["no key", "wrong key", "bearer instead of X-API-KEY"],
)
async def test_requests_without_the_right_api_key_get_the_documented_401(
    fake: KitemakerFake, headers
):
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=headers
    ) as anonymous:
        response = await anonymous.get("/organization")

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_the_organization_of_the_token(client: httpx.AsyncClient, fake: KitemakerFake):
    response = await client.get("/organization")

    assert response.status_code == 200
    assert response.json() == fake.organization
    assert set(response.json()) == {"id", "name", "createdAt", "updatedAt"}


async def test_metadata_lists_spaces_statuses_and_labels_as_id_label_pairs(
    client: httpx.AsyncClient, fake
):
    spaces = (await client.get("/metadata/spaces")).json()
    board = space_id(fake, "CB")
    statuses = (await client.get("/metadata/statuses", params={"spaceId": board})).json()
    labels = (await client.get("/metadata/labels", params={"spaceId": board})).json()

    assert [s["label"] for s in spaces] == ["Cardboard", "Operations"]
    assert [s["label"] for s in statuses] == ["Backlog", "Todo", "In progress", "Review", "Done"]
    assert {label["label"] for label in labels} == {"bug", "feature", "design", "infra"}
    assert all(set(entry) == {"id", "label"} for entry in spaces + statuses + labels)


async def test_metadata_of_an_unknown_space_is_the_documented_404(client: httpx.AsyncClient):
    for path in (
        "/metadata/workitems",
        "/metadata/statuses",
        "/metadata/labels",
        "/recent/workitems",
    ):
        response = await client.get(path, params={"spaceId": "0000000000000000"})

        assert response.status_code == 404, path
        assert response.json() == SPACE_NOT_FOUND


async def test_recent_work_items_stop_at_fifty_while_metadata_lists_them_all(
    client: httpx.AsyncClient, fake
):
    ops = space_id(fake, "OPS")
    in_space = [i for i in fake.work_items.values() if i["spaceId"] == ops]
    assert len(in_space) > 50

    recent = (await client.get("/recent/workitems", params={"spaceId": ops, "count": 200})).json()
    everything = (await client.get("/metadata/workitems", params={"spaceId": ops})).json()

    newest_first = sorted(in_space, key=lambda i: i["updatedAt"], reverse=True)
    assert [i["id"] for i in recent] == [i["id"] for i in newest_first[:50]]
    assert sorted(entry["id"] for entry in everything) == sorted(i["id"] for i in in_space)
    assert {entry["label"] for entry in everything} == {i["title"] for i in in_space}


async def test_an_update_brings_an_old_work_item_to_the_front_of_recent(
    client: httpx.AsyncClient, fake
):
    ops = space_id(fake, "OPS")
    oldest = min(
        (i for i in fake.work_items.values() if i["spaceId"] == ops), key=lambda i: i["updatedAt"]
    )

    await client.put("/workitem", json={"id": oldest["id"], "title": "Touched"})
    recent = (await client.get("/recent/workitems", params={"spaceId": ops, "count": 3})).json()

    assert len(recent) == 3
    assert recent[0]["id"] == oldest["id"]
    assert recent[0]["title"] == "Touched"


async def test_one_work_item_by_space_key_and_number(client: httpx.AsyncClient, fake):
    item = next(
        i
        for i in fake.work_items.values()
        if i["number"] == 3 and i["spaceId"] == space_id(fake, "CB")
    )

    response = await client.get("/workitem", params={"spaceKey": "CB", "workItemNumber": 3})

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == item["id"]
    assert body["title"] == item["title"]
    assert body["space"] == {"id": item["spaceId"], "name": "Cardboard"}
    assert body["status"]["id"] == item["statusId"]
    assert {label["id"] for label in body["labels"]} == set(item["labelIds"])


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"spaceKey": "CB", "workItemNumber": 999}, 404),
        ({"spaceKey": "NOPE", "workItemNumber": 1}, 404),
        ({"spaceKey": "CB"}, 400),
        ({"spaceKey": "CB", "workItemNumber": "three"}, 400),
    ],
)
async def test_work_item_lookup_errors(client: httpx.AsyncClient, params, status):
    response = await client.get("/workitem", params=params)

    assert response.status_code == status
    if status == 404:
        assert response.json() == ISSUE_NOT_FOUND
    else:
        assert response.json()["errors"][0]["status"] == 400


async def test_a_created_work_item_can_be_fetched_back(client: httpx.AsyncClient, fake):
    todo = status_id(fake, "CB", "Todo")
    response = await client.post(
        "/workitem",
        json={
            "title": "Export the board as Markdown",
            "statusId": todo,
            "description": "For the weekly notes",
            "labelIds": [label_id(fake, "feature")],
            "effort": "large",
            "impact": "small",
        },
    )

    assert response.status_code == 201
    created = response.json()
    assert created["effort"] == "Large"
    assert created["impact"] == "Small"
    assert created["status"] == {"id": todo, "name": "Todo"}
    assert created["labels"] == [
        {"id": label_id(fake, "feature"), "name": "feature", "color": "3f51b5"}
    ]
    fetched = await client.get(
        "/workitem", params={"spaceKey": "CB", "workItemNumber": created["number"]}
    )
    assert fetched.json() == created
    assert fake.work_items[created["id"]]["title"] == "Export the board as Markdown"


async def test_placement_puts_a_new_item_at_the_top_by_default_or_the_bottom(
    client: httpx.AsyncClient, fake
):
    todo = status_id(fake, "CB", "Todo")

    top = (await client.post("/workitem", json={"title": "On top", "statusId": todo})).json()
    bottom = (
        await client.post(
            "/workitem", json={"title": "Below", "statusId": todo, "placement": "bottom"}
        )
    ).json()

    assert fake.column(todo)[0] == top["id"]
    assert fake.column(todo)[-1] == bottom["id"]


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"statusId": "TODO"}, 400, "BAD_REQUEST"),
        ({"title": "No status"}, 400, "BAD_REQUEST"),
        ({"title": "Huge", "statusId": "TODO", "effort": "huge"}, 400, "BAD_REQUEST"),
        ({"title": "Anywhere", "statusId": "TODO", "placement": "middle"}, 400, "BAD_REQUEST"),
        ({"title": "Lost", "statusId": "0000000000000000"}, 404, "STATUS_NOT_FOUND"),
        (
            {"title": "Mislabelled", "statusId": "TODO", "labelIds": ["0000000000000000"]},
            404,
            "LABEL_NOT_FOUND",
        ),
    ],
)
async def test_an_invalid_new_work_item_is_refused_and_not_created(
    client, fake, body, status, code
):
    todo = status_id(fake, "CB", "Todo")
    body = {key: todo if value == "TODO" else value for key, value in body.items()}
    before = len(fake.work_items)

    response = await client.post("/workitem", json=body)

    assert response.status_code == status
    assert response.json()["errors"][0]["code"] == code
    assert response.json()["errors"][0]["status"] == status
    assert len(fake.work_items) == before


async def test_a_body_that_is_not_json_is_a_400(client: httpx.AsyncClient):
    response = await client.post("/workitem", content=b"title=x")

    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "BAD_REQUEST"


async def test_put_status_id_moves_the_item_to_the_top_of_that_column(
    client: httpx.AsyncClient, fake
):
    done = status_id(fake, "CB", "Done")
    item = next(
        i
        for i in fake.work_items.values()
        if i["spaceId"] == space_id(fake, "CB") and i["statusId"] != done
    )

    response = await client.put("/workitem", json={"id": item["id"], "statusId": done})

    assert response.status_code == 200
    assert response.json()["status"] == {"id": done, "name": "Done"}
    assert fake.work_items[item["id"]]["statusId"] == done
    assert fake.column(done)[0] == item["id"]
    assert response.json()["updatedAt"] > response.json()["createdAt"]


async def test_put_changes_only_the_given_fields_and_adds_labels(client: httpx.AsyncClient, fake):
    item = next(
        i
        for i in fake.work_items.values()
        if i["labelIds"] and i["spaceId"] == space_id(fake, "CB")
    )
    before = {**item, "labelIds": list(item["labelIds"])}
    new_label = next(
        lid
        for lid, label in fake.labels.items()
        if label["spaceId"] == item["spaceId"] and lid not in item["labelIds"]
    )

    response = await client.put(
        "/workitem", json={"id": item["id"], "title": "Renamed", "labelIds": [new_label]}
    )

    assert response.status_code == 200
    assert item["title"] == "Renamed"
    assert item["labelIds"] == before["labelIds"] + [new_label]
    assert (item["statusId"], item["description"], item["effort"]) == (
        before["statusId"],
        before["description"],
        before["effort"],
    )


async def test_put_refuses_unknown_items_and_statuses_of_another_space(
    client: httpx.AsyncClient, fake
):
    item = next(i for i in fake.work_items.values() if i["spaceId"] == space_id(fake, "CB"))
    foreign = status_id(fake, "OPS", "Done")

    unknown = await client.put("/workitem", json={"id": "0000000000000000", "title": "x"})
    cross = await client.put(
        "/workitem", json={"id": item["id"], "statusId": foreign, "title": "changed"}
    )

    assert unknown.status_code == 404
    assert unknown.json() == ISSUE_NOT_FOUND
    assert cross.status_code == 404
    assert cross.json()["errors"][0]["code"] == "STATUS_NOT_FOUND"
    assert item["statusId"] != foreign
    assert item["title"] != "changed"


async def test_a_comment_is_created_and_listed_first_among_recent_comments(
    client: httpx.AsyncClient, fake
):
    item = next(i for i in fake.work_items.values() if i["spaceId"] == space_id(fake, "CB"))

    response = await client.post("/comment", json={"workItemId": item["id"], "body": "Looks good"})
    recent = (
        await client.get("/recent/comments", params={"spaceId": item["spaceId"], "count": 2})
    ).json()

    assert response.status_code == 201
    comment = response.json()
    assert comment["body"] == "Looks good"
    assert comment["entity"] == {
        "id": item["id"],
        "number": item["number"],
        "space": "CB",
        "spaceId": item["spaceId"],
        "title": item["title"],
    }
    assert comment["reply"] is False
    assert len(recent) == 2
    assert recent[0] == comment


async def test_a_comment_on_an_unknown_work_item_is_a_404(client: httpx.AsyncClient, fake):
    before = len(fake.comments)

    response = await client.post(
        "/comment", json={"workItemId": "0000000000000000", "body": "Hello"}
    )

    assert response.status_code == 404
    assert response.json() == ISSUE_NOT_FOUND
    assert len(fake.comments) == before


async def test_a_created_label_shows_in_the_metadata(client: httpx.AsyncClient, fake):
    board = space_id(fake, "CB")

    response = await client.post(
        "/label", json={"spaceId": board, "labelName": "Infrastructure", "color": "ff00aa"}
    )
    labels = (await client.get("/metadata/labels", params={"spaceId": board})).json()

    assert response.status_code == 201
    assert response.json() == {
        "id": response.json()["id"],
        "name": "Infrastructure",
        "color": "ff00aa",
        "spaceId": board,
    }
    assert {"id": response.json()["id"], "label": "Infrastructure"} in labels


async def test_label_errors(client: httpx.AsyncClient, fake):
    missing_space = await client.post(
        "/label", json={"spaceId": "0000000000000000", "labelName": "x"}
    )
    bad_color = await client.post(
        "/label", json={"spaceId": space_id(fake, "CB"), "labelName": "x", "color": "pink"}
    )

    assert missing_space.status_code == 404
    assert missing_space.json() == SPACE_NOT_FOUND
    assert bad_color.status_code == 400


async def test_too_many_requests_get_429_until_the_window_passes():
    clock = FakeClock(1000.0)
    fake = KitemakerFake(clock=clock.monotonic, rate_limit=3, rate_window=10.0)
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers={"X-API-KEY": fake.token}
    ) as client:
        allowed = [(await client.get("/organization")).status_code for _ in range(3)]
        refused = await client.get("/organization")
        clock.now += 9.9
        still_refused = await client.get("/organization")
        clock.now += 0.1
        again = await client.get("/organization")

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert refused.json() == {
        "errors": [{"message": "Rate limit exceeded", "status": 429, "code": "RATE_LIMITED"}]
    }
    assert still_refused.status_code == 429
    assert again.status_code == 200


def test_an_empty_fake_has_no_spaces_and_seed_many_fills_one():
    fake = KitemakerFake(seed=False)
    space = fake.add_space("T", "Test", ["Open", "Closed"])

    items = fake.seed_many(space["id"], 4)

    assert [i["number"] for i in items] == [1, 2, 3, 4]
    assert {i["statusId"] for i in items} == {s["id"] for s in fake.space_statuses(space["id"])}
    assert list(fake.spaces) == [space["id"]]
