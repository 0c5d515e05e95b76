"""The Kitchen fake behaves as shared/api/kitchen-projects-v1.txt documents."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from tests.fakes.kitchen import KitchenFake

SUMMARY_FIELDS = {
    "id",
    "author",
    "company",
    "title",
    "status",
    "created_at",
    "messages_count",
    "latest_message",
}


@pytest.fixture
def fake() -> KitchenFake:
    return KitchenFake()


@pytest.fixture
async def client(fake: KitchenFake) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=fake.transport(),
        base_url=fake.base_url,
        headers={"Authorization": f"Bearer {fake.token}"},
    ) as client:
        yield client


def user_id(fake: KitchenFake, email: str) -> str:
    return next(u["id"] for u in fake.users.values() if u["email"] == email)


def test_the_base_url_is_the_workspace_host_with_the_api_prefix(fake: KitchenFake):
    url = httpx.URL(fake.base_url)

    assert url.host.split(".")[0] == fake.workspace
    assert url.path == "/api/v1"


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "kitchen-test-token"}]
)
async def test_requests_without_the_bearer_token_are_401(fake: KitchenFake, headers):
    async with httpx.AsyncClient(
        transport=fake.transport(), base_url=fake.base_url, headers=headers
    ) as anonymous:
        response = await anonymous.get("/projects")

    assert response.status_code == 401
    assert response.json() == {"message": "Unauthenticated."}


async def test_the_list_shows_every_project_without_custom_fields(
    client: httpx.AsyncClient, fake: KitchenFake
):
    response = await client.get("/projects")

    assert response.status_code == 200
    body = response.json()
    assert [p["id"] for p in body["data"]] == list(fake.projects)
    assert all(set(p) == SUMMARY_FIELDS for p in body["data"])
    assert {p["status"] for p in body["data"]} == {"active", "archived"}
    assert body["meta"]["total"] == len(fake.projects)


async def test_a_summary_carries_author_company_and_latest_message(
    client: httpx.AsyncClient, fake: KitchenFake
):
    project = next(p for p in fake.projects.values() if p["company_id"] and len(p["messages"]) > 1)

    summary = next(
        p for p in (await client.get("/projects")).json()["data"] if p["id"] == project["id"]
    )

    assert summary["author"]["id"] == project["author_id"]
    assert summary["author"]["group"] == "client"
    assert summary["company"] == fake.companies[project["company_id"]]
    assert summary["messages_count"] == len(project["messages"])
    assert summary["latest_message"]["content"] == project["messages"][-1]["content"]


async def test_the_list_is_paged_and_every_project_comes_once(
    client: httpx.AsyncClient, fake: KitchenFake
):
    fake.seed_many(20)

    first = (await client.get("/projects")).json()
    second = (await client.get("/projects", params={"page": 2})).json()
    beyond = (await client.get("/projects", params={"page": 3})).json()

    assert first["meta"]["last_page"] == second["meta"]["last_page"] == 2
    assert len(first["data"]) == first["meta"]["per_page"]
    ids = [p["id"] for p in first["data"] + second["data"]]
    assert sorted(ids) == sorted(fake.projects)
    assert beyond["data"] == []


async def test_one_project_shows_its_custom_fields(client: httpx.AsyncClient, fake: KitchenFake):
    project = next(p for p in fake.projects.values() if len(p["custom_values"]) > 1)

    body = (await client.get(f"/projects/{project['id']}")).json()

    assert set(body) == SUMMARY_FIELDS | {"custom_fields"}
    values = {field["name"]: field["value"]["value"] for field in body["custom_fields"]}
    expected = {
        fake.custom_fields[fid]["name"]: value for fid, value in project["custom_values"].items()
    }
    assert values == expected
    assert all(
        field["value"]["native_type"] in {"string", "int", "date", "bool"}
        for field in body["custom_fields"]
    )


async def test_an_unknown_project_is_a_404(client: httpx.AsyncClient):
    response = await client.get("/projects/999")

    assert response.status_code == 404
    assert response.json() == {"message": "Project not found."}


async def test_a_project_created_as_the_docs_do_can_be_fetched_back(
    client: httpx.AsyncClient, fake: KitchenFake
):
    response = await client.post(
        "/projects",
        data={
            "title": "New project",
            "name": "Ada Client",
            "email": "ada@client.test",
            "initial_message": "Lorem Ipsum Dolor Sit Amet",
            "initial_message_format": "markdown",
            "custom_fields[Project Type]": "design",
            "custom_fields[project type]": "ignored: names are case-sensitive",
            "custom_fields[Colour]": "ignored: no such field",
        },
        files={"files[]": ("attachment.jpg", b"\xff\xd8\xff", "image/jpeg")},
    )

    assert response.status_code == 201
    created = response.json()
    assert set(created) == SUMMARY_FIELDS
    assert (created["title"], created["status"], created["messages_count"]) == (
        "New project",
        "active",
        1,
    )
    assert created["author"]["email"] == "ada@client.test"
    assert created["latest_message"]["content"] == "Lorem Ipsum Dolor Sit Amet"
    assert created["latest_message"]["files"] == ["attachment.jpg"]
    fetched = (await client.get(f"/projects/{created['id']}")).json()
    assert [(f["name"], f["value"]["value"]) for f in fetched["custom_fields"]] == [
        ("Project Type", "design")
    ]
    assert fake.projects[created["id"]]["title"] == "New project"


async def test_creating_with_a_known_email_reuses_that_user(
    client: httpx.AsyncClient, fake: KitchenFake
):
    john = user_id(fake, "john@northwind.test")
    users = len(fake.users)

    created = await client.post(
        "/projects",
        json={
            "title": "Northwind - logo",
            "name": "Someone Else",
            "email": "JOHN@northwind.test",
            "initial_message": "Hi",
            "initial_message_format": "html",
        },
    )

    assert created.status_code == 201
    assert created.json()["author"]["id"] == john
    assert created.json()["company"]["name"] == "Northwind Traders"
    assert len(fake.users) == users


async def test_a_project_without_the_required_fields_is_a_422(
    client: httpx.AsyncClient, fake: KitchenFake
):
    before = len(fake.projects)

    response = await client.post(
        "/projects",
        data={"title": "Half", "email": "not-an-email", "initial_message_format": "rtf"},
    )

    assert response.status_code == 422
    body = response.json()
    assert set(body["errors"]) == {"name", "email", "initial_message", "initial_message_format"}
    assert body["message"].endswith("(and 3 more errors)")
    assert len(fake.projects) == before


async def test_a_project_is_renamed(client: httpx.AsyncClient, fake: KitchenFake):
    project = next(iter(fake.projects.values()))

    renamed = await client.put(f"/projects/{project['id']}", data={"title": "New project title"})
    fetched = (await client.get(f"/projects/{project['id']}")).json()

    assert renamed.status_code == 200
    assert renamed.json()["title"] == fetched["title"] == project["title"] == "New project title"
    assert "custom_fields" not in renamed.json()


async def test_a_blank_title_is_refused(client: httpx.AsyncClient, fake: KitchenFake):
    project = next(iter(fake.projects.values()))
    title = project["title"]

    response = await client.put(f"/projects/{project['id']}", data={"title": "  "})

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"title"}
    assert project["title"] == title


@pytest.mark.parametrize(
    ("kind", "email"),
    [("clients", "sam@solo.test"), ("managers", "uma@acme.test")],
    ids=["client", "manager"],
)
async def test_a_member_is_added_and_removed(
    client: httpx.AsyncClient, fake: KitchenFake, kind, email
):
    project = next(iter(fake.projects.values()))
    member = user_id(fake, email)
    assert member not in project[kind]

    added = await client.put(f"/projects/{project['id']}/{kind}", data={"user_id": member})
    added_again = await client.put(f"/projects/{project['id']}/{kind}", data={"user_id": member})
    assert member in project[kind]
    removed = await client.delete(f"/projects/{project['id']}/{kind}/{member}")
    removed_again = await client.delete(f"/projects/{project['id']}/{kind}/{member}")

    assert added.status_code == 200
    assert added.json()["id"] == member
    assert added.json()["group"] == kind.removesuffix("s")
    assert added.json()["added_on"] == added_again.json()["added_on"]
    assert removed.status_code == 204
    assert removed.content == b""
    assert member not in project[kind]
    assert removed_again.status_code == 404


@pytest.mark.parametrize(
    ("kind", "who"),
    [
        ("clients", "uma@acme.test"),
        ("managers", "sam@solo.test"),
        ("clients", "999"),
        ("clients", None),
    ],
    ids=["manager as client", "client as manager", "unknown user", "no user"],
)
async def test_a_wrong_user_is_not_added(client: httpx.AsyncClient, fake: KitchenFake, kind, who):
    project = next(iter(fake.projects.values()))
    members = dict(project[kind])
    data = {} if who is None else {"user_id": user_id(fake, who) if "@" in who else who}

    response = await client.put(f"/projects/{project['id']}/{kind}", data=data)

    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"user_id"}
    assert project[kind] == members


async def test_members_of_an_unknown_project_are_a_404(
    client: httpx.AsyncClient, fake: KitchenFake
):
    response = await client.put(
        "/projects/999/clients", data={"user_id": user_id(fake, "sam@solo.test")}
    )

    assert response.status_code == 404
