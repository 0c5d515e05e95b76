"""The Kanbert fake behaves as shared/api/kanbert-v1.txt documents."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import timedelta

import httpx
import pytest

from tests.fakes.kanbert import READ, TASK_STATUSES, KanbertFake


@pytest.fixture
def fake() -> KanbertFake:
    return KanbertFake()


@pytest.fixture
async def client(fake: KanbertFake) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=fake.transport(),
        base_url=fake.base_url,
        headers={"Authorization": f"Bearer {fake.token}"},
    ) as client:
        yield client


def project_id(fake: KanbertFake, shortcode: str) -> str:
    return next(p["id"] for p in fake.projects.values() if p["shortcode"] == shortcode)


async def all_pages(client: httpx.AsyncClient, params: dict) -> list[list[dict]]:
    """Follows next_cursor to the end; the pages as they came."""
    pages = []
    params = dict(params)
    while True:
        response = await client.get("/tasks", params=params)
        assert response.status_code == 200, response.text
        body = response.json()
        pages.append(body["data"])
        if body["meta"]["next_cursor"] is None:
            return pages
        params["page[cursor]"] = body["meta"]["next_cursor"]
        assert len(pages) < 100, "the cursor never ends"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"X-API-KEY": "kanbert-test-token"}],
    ids=["none", "wrong token", "token in another header"],
)
async def test_requests_without_the_bearer_token_are_401(fake: KanbertFake, headers):
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=headers
    ) as anonymous:
        response = await anonymous.get("/tasks")

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthenticated."}


async def test_a_token_without_the_write_scope_can_read_but_not_write():
    fake = KanbertFake(scopes={READ})
    async with httpx.AsyncClient(
        transport=fake.transport(),
        base_url=fake.base_url,
        headers={"Authorization": f"Bearer {fake.token}"},
    ) as client:
        read = await client.get("/tasks")
        write = await client.post(
            "/tasks", json={"title": "x", "project_id": next(iter(fake.projects))}
        )

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json() == {"message": "Invalid scope(s) provided."}


async def test_the_seed_has_every_status_sub_tasks_attachments_and_assignees(fake: KanbertFake):
    tasks = fake.tasks.values()

    assert len(fake.projects) == 2
    assert {t["status"] for t in tasks} == set(TASK_STATUSES)
    assert any(t["parent_task_id"] for t in tasks)
    assert any(t["attachments"] for t in tasks)
    assert any(t["assignee_id"] for t in tasks)
    assert any(t["due_date"] for t in tasks)
    assert any(t["estimated_hours"] for t in tasks)


async def test_a_list_page_has_data_links_and_cursor_meta(
    client: httpx.AsyncClient, fake: KanbertFake
):
    response = await client.get("/tasks")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"data", "links", "meta"}
    assert body["meta"]["per_page"] == 30
    assert body["meta"]["path"] == f"{fake.base_url}/tasks"
    assert len(body["data"]) == min(30, len(fake.tasks))
    assert body["data"][0]["attachements"] == []  # the docs' spelling


async def test_pagination_returns_every_task_exactly_once_and_ends(
    client: httpx.AsyncClient, fake: KanbertFake
):
    fake.seed_many(120)

    pages = await all_pages(client, {"page[size]": 25})

    ids = [task["id"] for page in pages for task in page]
    assert len(ids) == len(fake.tasks) > 120
    assert set(ids) == set(fake.tasks)
    assert all(len(page) == 25 for page in pages[:-1])
    assert 0 < len(pages[-1]) <= 25


async def test_pagination_with_a_sort_keeps_the_order_across_pages(
    client: httpx.AsyncClient, fake: KanbertFake
):
    fake.seed_many(50)

    pages = await all_pages(client, {"page[size]": 7, "sort": "-status,title"})

    tasks = [task for page in pages for task in page]
    assert len(tasks) == len(fake.tasks)
    order = [(-TASK_STATUSES.index(t["status"]), t["title"].casefold()) for t in tasks]
    assert order == sorted(order)


async def test_next_cursor_url_and_prev_cursor_lead_to_the_neighbour_pages(
    client: httpx.AsyncClient, fake
):
    fake.seed_many(30)
    params = {"page[size]": 10, "filter": "status ne Closed"}
    first = (await client.get("/tasks", params=params)).json()

    second = (await client.get(first["meta"]["next_cursor_url"])).json()
    previous = {**params, "page[cursor]": second["meta"]["prev_cursor"]}
    back = (await client.get("/tasks", params=previous)).json()

    assert first["meta"]["prev_cursor"] is None
    assert all(t["status"] != "Closed" for t in second["data"])
    assert {t["id"] for t in second["data"]}.isdisjoint(t["id"] for t in first["data"])
    assert [t["id"] for t in back["data"]] == [t["id"] for t in first["data"]]


async def test_a_task_created_between_pages_is_neither_lost_nor_repeated(
    client: httpx.AsyncClient, fake
):
    fake.seed_many(40)
    first = (await client.get("/tasks", params={"page[size]": 20})).json()
    seen = [t["id"] for t in first["data"]]
    del fake.tasks[seen[-1]]
    late = fake.add_task(next(iter(fake.projects)), "Created meanwhile")

    rest = await all_pages(client, {"page[size]": 20, "page[cursor]": first["meta"]["next_cursor"]})

    ids = seen + [t["id"] for page in rest for t in page]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(fake.tasks) | {seen[-1]}
    assert late["id"] in ids


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"page[size]": "0"}, 422),
        ({"page[size]": "many"}, 422),
        ({"page[cursor]": "not-a-cursor"}, 400),
        ({"sort": "priority"}, 400),
        ({"include": "comments"}, 400),
    ],
)
async def test_bad_list_parameters_are_refused(client: httpx.AsyncClient, params, status):
    response = await client.get("/tasks", params=params)

    assert response.status_code == status
    assert response.json()["message"]


async def test_a_cursor_is_bound_to_its_sort(client: httpx.AsyncClient, fake: KanbertFake):
    fake.seed_many(40)
    first = (await client.get("/tasks", params={"sort": "title"})).json()

    response = await client.get(
        "/tasks", params={"sort": "-title", "page[cursor]": first["meta"]["next_cursor"]}
    )

    assert response.status_code == 400


def on(fake: KanbertFake, predicate: Callable[[dict, KanbertFake], bool]) -> set[str]:
    return {t["id"] for t in fake.tasks.values() if predicate(t, fake)}


def shortcode(task: dict, fake: KanbertFake) -> str:
    return fake.projects[task["project_id"]]["shortcode"]


def assignee(task: dict, fake: KanbertFake) -> dict:
    return fake.users.get(task["assignee_id"] or "", {})


FILTERS: list[tuple[str, Callable[[dict, KanbertFake], bool]]] = [
    ('status eq "WIP"', lambda t, f: t["status"] == "WIP"),
    ("status = WIP", lambda t, f: t["status"] == "WIP"),
    ("status NEQ Backlog", lambda t, f: t["status"] != "Backlog"),
    (
        'status in ["New", "WIP"] and project.shortcode = "APP"',
        lambda t, f: t["status"] in ("New", "WIP") and shortcode(t, f) == "APP",
    ),
    ("status notin (New, WIP, Backlog)", lambda t, f: t["status"] not in ("New", "WIP", "Backlog")),
    (
        "(status = Completed or status = Approved) and assignee.email contains 'ANNA'",
        lambda t, f: (
            t["status"] in ("Completed", "Approved") and "anna" in assignee(t, f).get("email", "")
        ),
    ),
    (
        'title startsWith "crash" or title endswith "THEME"',
        lambda t, f: t["title"].lower().startswith("crash") or t["title"].lower().endswith("theme"),
    ),
    ('title like "%page%"', lambda t, f: "page" in t["title"].lower()),
    ("assignee.id is null", lambda t, f: t["assignee_id"] is None),
    ("assignee.type eq guest", lambda t, f: assignee(t, f).get("type") == "guest"),
    (
        "due_date lt today",
        lambda t, f: t["due_date"] is not None and t["due_date"] < f.today.isoformat(),
    ),
    (
        'due_date >= "2024-05-10" and due_date lte today+10d',
        lambda t, f: (
            t["due_date"] is not None
            and "2024-05-10" <= t["due_date"] <= str(f.today + timedelta(days=10))
        ),
    ),
    ("due_date isnotnull", lambda t, f: t["due_date"] is not None),
    ("sub_tasks_in_list eq without", lambda t, f: t["parent_task_id"] is None),
    ("sub_tasks_in_list eq only", lambda t, f: t["parent_task_id"] is not None),
    (
        'parent_task.title contains "wireframes"',
        lambda t, f: (
            t["parent_task_id"] is not None
            and "wireframes" in f.tasks[t["parent_task_id"]]["title"].lower()
        ),
    ),
    ('client.name = "Globex"', lambda t, f: shortcode(t, f) == "APP"),
    ('epic.id isnull and uri eq "app-2"', lambda t, f: t["uri"] == "APP-2"),
    (
        '[{"field": "status", "op": "in", "value": ["Completed", "Closed"]}, '
        '{"or": [{"field": "project.shortcode", "op": "eq", "value": "WEB"}, '
        '{"field": "assignee.id", "op": "isnull"}]}]',
        lambda t, f: (
            t["status"] in ("Completed", "Closed")
            and (shortcode(t, f) == "WEB" or t["assignee_id"] is None)
        ),
    ),
    (
        '{"and": [{"field": "title", "op": "startsWith", "value": "P"}]}',
        lambda t, f: t["title"].startswith("P"),
    ),
]


@pytest.mark.parametrize(
    ("expression", "predicate"), FILTERS, ids=[expression for expression, _ in FILTERS]
)
async def test_the_filter_dsl_filters(
    client: httpx.AsyncClient, fake: KanbertFake, expression, predicate
):
    expected = on(fake, predicate)
    assert 0 < len(expected) < len(fake.tasks), "the seed must make this filter selective"

    pages = await all_pages(client, {"filter": expression, "page[size]": 100})

    assert {t["id"] for page in pages for t in page} == expected


async def test_filter_on_me_id_finds_the_tasks_of_the_token_owner(
    client: httpx.AsyncClient, fake: KanbertFake
):
    mine = next(iter(fake.tasks))
    await client.patch(f"/tasks/{mine}", json={"assignee_id": fake.me["id"]})

    response = await client.get("/tasks", params={"filter": "assignee.id eq me.id"})

    assert [t["id"] for t in response.json()["data"]] == [mine]


@pytest.mark.parametrize(
    "expression",
    [
        "budget gt 3",
        "status contains W",
        "status eq Doing",
        "title eq",
        "title eq 'x' and",
        "(title eq 'x'",
        "due_date lt yesterday",
        "sub_tasks any (title eq 'x')",
        "[not json",
    ],
)
async def test_a_filter_the_api_cannot_read_is_a_400(client: httpx.AsyncClient, expression):
    response = await client.get("/tasks", params={"filter": expression})

    assert response.status_code == 400
    assert response.json()["message"]


async def test_includes_add_project_client_watchers_and_parent_task(
    client: httpx.AsyncClient, fake: KanbertFake
):
    sub_task = next(t for t in fake.tasks.values() if t["parent_task_id"])

    plain = (await client.get("/tasks", params={"filter": f'uri eq "{sub_task["uri"]}"'})).json()[
        "data"
    ][0]
    full = (
        await client.get(
            "/tasks",
            params={
                "filter": f'uri eq "{sub_task["uri"]}"',
                "include": "project,client,watchers,parent_task",
            },
        )
    ).json()["data"][0]

    assert not {"project", "client", "watchers", "parent_task"} & set(plain)
    project = fake.projects[sub_task["project_id"]]
    assert full["project"]["shortcode"] == project["shortcode"]
    assert full["client"]["id"] == project["client_id"] == full["client_id"]
    assert full["parent_task"]["id"] == sub_task["parent_task_id"]
    assert full["watchers"] == []


async def test_a_task_lists_its_sub_tasks_and_attachments(
    client: httpx.AsyncClient, fake: KanbertFake
):
    parent = next(
        t
        for t in fake.tasks.values()
        if t["attachments"] and any(s["parent_task_id"] == t["id"] for s in fake.tasks.values())
    )

    body = (await client.get(f"/tasks/{parent['id']}")).json()

    children = {t["id"] for t in fake.tasks.values() if t["parent_task_id"] == parent["id"]}
    assert {s["id"] for s in body["sub_tasks"]} == children
    assert [a["file_name"] for a in body["attachements"]] == [
        a["file_name"] for a in parent["attachments"]
    ]


async def test_a_created_task_can_be_fetched_back(client: httpx.AsyncClient, fake: KanbertFake):
    web = project_id(fake, "WEB")
    anna = next(u for u in fake.users.values() if u["first_name"] == "Anna")

    response = await client.post(
        "/tasks",
        json={
            "title": "Cookie banner",
            "project_id": web,
            "description": "<p>GDPR</p>",
            "estimated_hours": 2.5,
            "due_date": "2024-06-01T12:00:00Z",
            "assignee_id": anna["id"],
            "watchers": [fake.me["id"]],
        },
    )

    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "New"
    assert created["due_date"] == "2024-06-01"
    assert created["assignee"]["email"] == anna["email"]
    assert created["uri"].startswith("WEB-")
    fetched = await client.get(f"/tasks/{created['id']}")
    assert fetched.json() == created
    assert fake.tasks[created["id"]]["watcher_ids"] == [fake.me["id"]]
    assert fake.board(web)[-1] == created["id"]


@pytest.mark.parametrize("where", ["insert_before", "insert_after"])
async def test_insert_before_and_after_place_a_new_task_next_to_another(
    client, fake: KanbertFake, where
):
    web = project_id(fake, "WEB")
    anchor = fake.board(web)[3]

    created = (
        await client.post("/tasks", json={"title": "Placed", "project_id": web, where: anchor})
    ).json()

    order = fake.board(web)
    offset = -1 if where == "insert_before" else 1
    assert order[order.index(anchor) + offset] == created["id"]
    assert [fake.tasks[t]["list_sorting"] for t in order] == list(range(1, len(order) + 1))


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"title", "project_id"}),
        ({"title": "x", "project_id": "prj_999999"}, {"project_id"}),
        ({"title": "x" * 256, "project_id": "WEB"}, {"title"}),
        ({"title": "x", "project_id": "WEB", "status": "Doing"}, {"status"}),
        ({"title": "x", "project_id": "WEB", "insert_before": "APP-TASK"}, {"insert_before"}),
        (
            {
                "title": "x",
                "project_id": "WEB",
                "insert_before": "WEB-TASK",
                "insert_after": "WEB-TASK",
            },
            {"insert_after"},
        ),
        (
            {"title": "x", "project_id": "WEB", "assignee_id": "usr_999999", "due_date": "soon"},
            {"assignee_id", "due_date"},
        ),
    ],
)
async def test_an_invalid_new_task_is_a_422_naming_the_fields(
    client, fake: KanbertFake, body, fields
):
    web, app = project_id(fake, "WEB"), project_id(fake, "APP")
    stand_ins = {"WEB": web, "WEB-TASK": fake.board(web)[0], "APP-TASK": fake.board(app)[0]}
    body = {key: stand_ins.get(value, value) for key, value in body.items()}
    before = len(fake.tasks)

    response = await client.post("/tasks", json=body)

    assert response.status_code == 422
    assert set(response.json()["errors"]) == fields
    assert response.json()["message"].startswith(next(iter(response.json()["errors"].values()))[0])
    assert len(fake.tasks) == before


async def test_patch_status_moves_a_task_and_stamps_completion(
    client: httpx.AsyncClient, fake: KanbertFake
):
    task = next(t for t in fake.tasks.values() if t["status"] == "WIP")
    position = task["list_sorting"]

    completed = await client.patch(f"/tasks/{task['id']}", json={"status": "Completed"})
    reopened = await client.patch(f"/tasks/{task['id']}", json={"status": "WIP"})

    assert completed.status_code == 200
    assert completed.json()["status"] == "Completed"
    assert completed.json()["completed_at"] is not None
    assert reopened.json()["completed_at"] is None
    assert fake.tasks[task["id"]]["status"] == "WIP"
    assert task["list_sorting"] == position


async def test_patch_changes_only_the_given_fields(client: httpx.AsyncClient, fake: KanbertFake):
    task = next(t for t in fake.tasks.values() if t["assignee_id"] and t["due_date"])
    before = dict(task)
    someone = next(u for u in fake.users if u not in (task["watcher_ids"] + [fake.me["id"]]))

    response = await client.patch(
        f"/tasks/{task['id']}",
        json={"title": "Renamed", "due_date": None, "add_watchers": [someone]},
    )

    assert response.status_code == 200
    assert (task["title"], task["due_date"]) == ("Renamed", None)
    assert task["watcher_ids"] == before["watcher_ids"] + [someone]
    assert (task["status"], task["assignee_id"], task["project_id"]) == (
        before["status"],
        before["assignee_id"],
        before["project_id"],
    )
    assert task["updated_at"] > before["updated_at"]


async def test_patch_has_no_insert_before_so_the_order_stays(
    client: httpx.AsyncClient, fake: KanbertFake
):
    web = project_id(fake, "WEB")
    order = fake.board(web)

    response = await client.patch(
        f"/tasks/{order[-1]}", json={"insert_before": order[0], "status": "WIP"}
    )

    assert response.status_code == 200
    assert fake.board(web) == order


async def test_an_invalid_patch_changes_nothing(client: httpx.AsyncClient, fake: KanbertFake):
    task = next(iter(fake.tasks.values()))
    before = json.dumps(task, sort_keys=True)

    response = await client.patch(
        f"/tasks/{task['id']}", json={"status": "Doing", "title": "Changed"}
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"status"}
    assert json.dumps(task, sort_keys=True) == before


async def test_tasks_are_found_by_uri_and_by_external_id(
    client: httpx.AsyncClient, fake: KanbertFake
):
    task = next(iter(fake.tasks.values()))

    tagged = await client.put(
        f"/tasks/{task['id']}/external-identifier", json={"external_id": "JIRA-7"}
    )
    by_uri = await client.get(f"/tasks/{task['uri']}", params={"find_by": "uri"})
    by_external = await client.get("/tasks/JIRA-7", params={"find_by": "external_id"})
    other_origin = await client.get(
        "/tasks/JIRA-7", params={"find_by": "external_id", "origin": "jira"}
    )

    assert tagged.json()["external_id"] == "JIRA-7"
    assert tagged.json()["external_origin"] == fake.integration
    assert by_uri.json()["id"] == task["id"]
    assert by_external.json()["id"] == task["id"]
    assert other_origin.status_code == 404


async def test_a_deleted_task_and_its_sub_tasks_are_gone(
    client: httpx.AsyncClient, fake: KanbertFake
):
    parent = next(
        t
        for t in fake.tasks.values()
        if any(s["parent_task_id"] == t["id"] for s in fake.tasks.values())
    )
    children = [t["id"] for t in fake.tasks.values() if t["parent_task_id"] == parent["id"]]

    deleted = await client.delete(f"/tasks/{parent['id']}")
    again = await client.get(f"/tasks/{parent['id']}")

    assert deleted.status_code == 200
    assert deleted.json()["id"] == parent["id"]
    assert again.status_code == 404
    assert again.json() == {"message": "Task not found."}
    assert not ({parent["id"], *children} & set(fake.tasks))


async def test_an_upload_becomes_an_attachment(client: httpx.AsyncClient, fake: KanbertFake):
    task = next(iter(fake.tasks.values()))

    response = await client.post(
        f"/tasks/{task['id']}/upload",
        files={"file": ("notes.txt", b"hello\r\nworld", "text/plain")},
    )
    fetched = (await client.get(f"/tasks/{task['id']}")).json()

    assert response.status_code == 201
    attachment = response.json()
    assert attachment | {"id": None, "created_at": None} == {
        "id": None,
        "file_name": "notes.txt",
        "mime_type": "text/plain",
        "size": 12,
        "entity_id": task["id"],
        "entity_type": "task",
        "created_at": None,
    }
    assert fetched["attachements"][-1] == attachment


async def test_an_upload_without_a_file_is_a_422(client: httpx.AsyncClient, fake: KanbertFake):
    response = await client.post(
        f"/tasks/{next(iter(fake.tasks))}/upload", data={"note": "no file"}
    )

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"file"}


async def test_a_list_loads_sub_tasks_only_when_included(
    client: httpx.AsyncClient, fake: KanbertFake
):
    parent = next(
        t
        for t in fake.tasks.values()
        if any(s["parent_task_id"] == t["id"] for s in fake.tasks.values())
    )
    wanted = {"filter": f'uri eq "{parent["uri"]}"'}
    plain = (await client.get("/tasks", params=wanted)).json()["data"][0]
    full = (await client.get("/tasks", params={**wanted, "include": "sub_tasks"})).json()["data"][0]
    children = {t["id"] for t in fake.tasks.values() if t["parent_task_id"] == parent["id"]}
    assert plain["sub_tasks"] == []
    assert {s["id"] for s in full["sub_tasks"]} == children
