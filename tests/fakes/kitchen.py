"""A fake of Kitchen.co's Projects API v1, written from shared/api/kitchen-projects-v1.txt.

A workspace is its own host (`https://{workspace}.kitchen.co/api/v1`), so the fake's
`base_url` carries the workspace "acme" as a subdomain. Projects can be listed, read,
created (multipart form, as the docs' curl does), renamed, and given or relieved of
client and manager users; they are `active` or `archived`, and nothing in the API
changes that. Bodies may be form-encoded, multipart or JSON (Laravel reads all three).
The docs show no error bodies; Kitchen runs on Laravel, so errors are Laravel's:
`{"message"}`, and 422 `{"message", "errors": {field: [...]}}` for invalid input.
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from tests.fakes.service import (
    FakeService,
    Refusal,
    laravel_invalid,
    laravel_refusal,
    read_form,
)

PER_PAGE = 15
"""Laravel's default page size; the docs show a `meta` block but not its contents."""
MESSAGE_FORMATS = ("markdown", "html", "text")
"""The docs point to an undocumented Message object; these are the plausible formats."""
NATIVE_TYPES = {
    "text": "string",
    "number": "int",
    "boolean": "bool",
    "date": "date",
    "list": "string",
}
EPOCH = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
USER_COLORS = ("#32abfe", "#f06292", "#8bc34a", "#ffb300", "#7e57c2")

Handler = Callable[[Request], Awaitable[Response]]


class KitchenFake(FakeService):
    """The "acme" workspace: users (clients and managers), companies, custom fields, projects.

    The state is plain dicts keyed by id. A project holds `author_id`, `company_id`,
    `messages`, `custom_values` (field id -> text) and `clients` / `managers`
    (user id -> when added), which the API itself never lists.
    """

    name = "kitchen"
    base_path = "/api/v1"
    workspace = "acme"
    host = f"{workspace}.fake.test"

    def __init__(
        self,
        *,
        token: str = "kitchen-test-token",
        seed: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ):
        super().__init__(clock=clock)
        self.token = token
        self._counters: defaultdict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self._now = EPOCH
        self.users: dict[str, dict] = {}
        self.companies: dict[str, dict] = {}
        self.custom_fields: dict[str, dict] = {}
        self.projects: dict[str, dict] = {}
        if seed:
            self._seed()

    # --- state helpers (the seed and tests use these) ----------------------------------

    def add_user(
        self,
        name: str,
        email: str,
        group: str,
        *,
        role: str = "member",
        company_id: str | None = None,
    ) -> dict:
        user_id = self._new_id("user")
        color = USER_COLORS[(int(user_id) - 1) % len(USER_COLORS)]
        user = {
            "id": user_id,
            "added_on": self._stamp(),
            "name": name,
            "email": email,
            "username": email.split("@")[0].replace(".", ""),
            "phone": None,
            "timezone": None,
            "group": group,
            "role": role,
            "avatar_type": None,
            "avatar_url": None,
            "avatar_gravatar_url": None,
            "avatar_file": None,
            "color": color,
            "default_color": color,
            "is_active": True,
            "last_seen": None,
            "company_id": company_id,
        }
        self.users[user_id] = user
        return user

    def add_company(self, name: str) -> dict:
        company = {"id": self._new_id("company"), "name": name}
        self.companies[company["id"]] = company
        return company

    def add_custom_field(
        self, name: str, field_type: str, *, options: list[str] | None = None, description: str = ""
    ) -> dict:
        field_id = self._new_id("custom_field")
        stamp = self._stamp()
        field = {
            "id": field_id,
            "name": name,
            "type": field_type,
            "options": options,
            "description": description,
            "field_name": f"custom_field_{field_type}_{field_id}",
            "scope": "project",
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.custom_fields[field_id] = field
        return field

    def add_project(
        self,
        title: str,
        author_id: str,
        *,
        message: str = "Hello! Here is what we need.",
        message_format: str = "markdown",
        files: Iterable[str] = (),
        custom_fields: Mapping[str, object] | None = None,
        status: str = "active",
    ) -> dict:
        """A project as the API would create it: the author is its first member."""
        author = self.users[author_id]
        field_ids = {field["name"]: field["id"] for field in self.custom_fields.values()}
        project = {
            "id": self._new_id("project"),
            "author_id": author_id,
            "company_id": author["company_id"],
            "title": title,
            "status": status,
            "created_at": self._stamp(),
            "messages": [],
            # A custom field the workspace does not have is dropped, as the docs say
            # (names are case-sensitive).
            "custom_values": {
                field_ids[name]: str(value)
                for name, value in (custom_fields or {}).items()
                if name in field_ids
            },
            "clients": {},
            "managers": {},
        }
        self.projects[project["id"]] = project
        self.add_member(project["id"], author_id)
        self.add_message(project["id"], author_id, message, message_format, files)
        return project

    def add_member(self, project_id: str, user_id: str) -> None:
        """Adds a client or manager user to the project's list for its group (once)."""
        members = self.projects[project_id][self._membership(self.users[user_id])]
        members.setdefault(user_id, self._stamp())

    def add_message(
        self,
        project_id: str,
        author_id: str,
        content: str,
        fmt: str = "markdown",
        files: Iterable[str] = (),
    ) -> dict:
        message = {
            "id": self._new_id("message"),
            "content": content,
            "format": fmt,
            "author_id": author_id,
            "files": list(files),
            "created_at": self._stamp(),
        }
        self.projects[project_id]["messages"].append(message)
        return message

    def seed_many(self, n: int) -> list[dict]:
        """Adds n active projects by the first client (for pagination tests)."""
        author = next(u for u in self.users.values() if u["group"] == "client")
        return [self.add_project(f"Generated project {i + 1}", author["id"]) for i in range(n)]

    @staticmethod
    def _membership(user: dict) -> str:
        return "clients" if user["group"] == "client" else "managers"

    def _new_id(self, kind: str) -> str:
        return str(next(self._counters[kind]))

    def _stamp(self) -> str:
        self._now += timedelta(minutes=1)
        return self._now.isoformat()

    # --- the API -----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        api = self._api
        return [
            Mount(
                self.base_path,
                routes=[
                    Route("/projects", api(self._list_projects), methods=["GET"]),
                    Route("/projects", api(self._create_project), methods=["POST"]),
                    Route("/projects/{project_id}", api(self._get_project), methods=["GET"]),
                    Route("/projects/{project_id}", api(self._update_project), methods=["PUT"]),
                    Route("/projects/{project_id}/clients", api(self._add_client), methods=["PUT"]),
                    Route(
                        "/projects/{project_id}/clients/{user_id}",
                        api(self._remove_client),
                        methods=["DELETE"],
                    ),
                    Route(
                        "/projects/{project_id}/managers", api(self._add_manager), methods=["PUT"]
                    ),
                    Route(
                        "/projects/{project_id}/managers/{user_id}",
                        api(self._remove_manager),
                        methods=["DELETE"],
                    ),
                ],
            )
        ]

    def _api(self, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            try:
                if request.headers.get("authorization") != f"Bearer {self.token}":
                    raise laravel_refusal(401, "Unauthenticated.")
                return await handler(request)
            except Refusal as refusal:
                return refusal.response()

        return endpoint

    async def _list_projects(self, request: Request) -> Response:
        # Laravel reads a page it cannot parse as page 1.
        page_param = request.query_params.get("page", "1")
        page = int(page_param) if page_param.isdigit() and int(page_param) > 0 else 1
        projects = list(self.projects.values())
        chunk = projects[(page - 1) * PER_PAGE : page * PER_PAGE]
        first = (page - 1) * PER_PAGE + 1
        return JSONResponse(
            {
                "data": [self._render(p) for p in chunk],
                "meta": {
                    "current_page": page,
                    "from": first if chunk else None,
                    "last_page": max(1, math.ceil(len(projects) / PER_PAGE)),
                    "path": str(request.url.replace(query="")),
                    "per_page": PER_PAGE,
                    "to": first + len(chunk) - 1 if chunk else None,
                    "total": len(projects),
                },
            }
        )

    async def _get_project(self, request: Request) -> Response:
        return JSONResponse(self._render(self._project(request), with_custom_fields=True))

    async def _create_project(self, request: Request) -> Response:
        fields = await _fields(request)
        errors: dict[str, str] = {}
        for name in ("title", "name", "email", "initial_message", "initial_message_format"):
            if not _text(fields.get(name)):
                errors[name] = f"The {name.replace('_', ' ')} field is required."
        email = _text(fields.get("email"))
        if email and "@" not in email:
            errors["email"] = "The email field must be a valid email address."
        fmt = _text(fields.get("initial_message_format"))
        if fmt and fmt not in MESSAGE_FORMATS:
            errors["initial_message_format"] = "The selected initial message format is invalid."
        if len(_text(fields.get("title"))) > 255:
            errors["title"] = "The title field must not be greater than 255 characters."
        if not isinstance(fields.get("files", []), list):
            errors["files"] = "The files field must be an array."
        if not isinstance(fields.get("custom_fields", {}), dict):
            errors["custom_fields"] = "The custom fields field must be an array."
        if errors:
            raise laravel_invalid(errors)
        author = next((u for u in self.users.values() if u["email"].lower() == email.lower()), None)
        if author is None:
            # "If the User doesn't exists it will be created": as a client, the kind of
            # user who brings a project.
            author = self.add_user(_text(fields["name"]), email, "client")
        project = self.add_project(
            _text(fields["title"]),
            author["id"],
            message=_text(fields["initial_message"]),
            message_format=fmt,
            files=fields.get("files", []),
            custom_fields=fields.get("custom_fields", {}),
        )
        # Laravel answers a freshly created model with 201; the docs give no status.
        return JSONResponse(self._render(project), status_code=201)

    async def _update_project(self, request: Request) -> Response:
        project = self._project(request)
        fields = await _fields(request)
        if "title" in fields:
            title = _text(fields["title"])
            if not title:
                raise laravel_invalid({"title": "The title field must be a string."})
            if len(title) > 255:
                raise laravel_invalid(
                    {"title": "The title field must not be greater than 255 characters."}
                )
            project["title"] = title
        return JSONResponse(self._render(project))

    async def _add_client(self, request: Request) -> Response:
        return await self._add_member(request, "client")

    async def _add_manager(self, request: Request) -> Response:
        return await self._add_member(request, "manager")

    async def _remove_client(self, request: Request) -> Response:
        return self._remove_member(request, "clients")

    async def _remove_manager(self, request: Request) -> Response:
        return self._remove_member(request, "managers")

    async def _add_member(self, request: Request, group: str) -> Response:
        project = self._project(request)
        fields = await _fields(request)
        user_id = _text(fields.get("user_id"))
        if not user_id:
            raise laravel_invalid({"user_id": "The user id field is required."})
        user = self.users.get(user_id)
        if user is None:
            raise laravel_invalid({"user_id": "The selected user id is invalid."})
        if user["group"] != group:
            raise laravel_invalid({"user_id": f"The user must be a {group}."})
        # Adding someone already on the project changes nothing and is no error.
        self.add_member(project["id"], user_id)
        return JSONResponse(
            self._render_user(user, added_on=project[self._membership(user)][user_id])
        )

    def _remove_member(self, request: Request, membership: str) -> Response:
        project = self._project(request)
        user_id = request.path_params["user_id"]
        if user_id not in project[membership]:
            raise laravel_refusal(404, f"The user is not one of the project's {membership}.")
        del project[membership][user_id]
        return Response(status_code=204)

    # --- lookups and rendering ----------------------------------------------------------

    def _project(self, request: Request) -> dict:
        project = self.projects.get(request.path_params["project_id"])
        if project is None:
            raise laravel_refusal(404, "Project not found.")
        return project

    def _render(self, project: dict, *, with_custom_fields: bool = False) -> dict:
        # The list, create and update answers in the docs have no custom_fields; only
        # "Retrieve a Project" shows them.
        latest = project["messages"][-1] if project["messages"] else None
        data = {
            "id": project["id"],
            "author": self._render_user(self.users[project["author_id"]]),
            "company": self.companies.get(project["company_id"] or ""),
            "title": project["title"],
            "status": project["status"],
            "created_at": project["created_at"],
            "messages_count": len(project["messages"]),
            "latest_message": latest and self._render_message(latest),
        }
        if with_custom_fields:
            data["custom_fields"] = [
                self._render_custom_field(self.custom_fields[field_id], project["id"], value)
                for field_id, value in project["custom_values"].items()
            ]
        return data

    def _render_user(self, user: dict, *, added_on: str | None = None) -> dict:
        data = {key: value for key, value in user.items() if key != "company_id"}
        return data | ({"added_on": added_on} if added_on else {})

    def _render_message(self, message: dict) -> dict:
        # The Message object is referenced but not documented; this shape is a guess.
        return {
            "id": message["id"],
            "content": message["content"],
            "format": message["format"],
            "author": self._render_user(self.users[message["author_id"]]),
            "files": message["files"],
            "created_at": message["created_at"],
        }

    def _render_custom_field(self, field: dict, project_id: str, value: str) -> dict:
        return {
            **field,
            "value": {
                "id": f"{field['id']}.{project_id}",
                "native_type": NATIVE_TYPES[field["type"]],
                "value": value,
            },
        }

    # --- seed ---------------------------------------------------------------------------

    def _seed(self) -> None:
        northwind = self.add_company("Northwind Traders")["id"]
        globex = self.add_company("Globex")["id"]
        mia = self.add_user("Mia Manager", "mia@acme.test", "manager", role="owner")["id"]
        tom = self.add_user("Tom Baker", "tom@acme.test", "manager", role="admin")["id"]
        self.add_user("Uma Support", "uma@acme.test", "manager")
        john = self.add_user("John Doe", "john@northwind.test", "client", company_id=northwind)
        jane = self.add_user("Jane Roe", "jane@globex.test", "client", company_id=globex)
        self.add_user("Sam Solo", "sam@solo.test", "client")
        kind = self.add_custom_field(
            "Project Type", "list", options=["design", "development", "marketing"]
        )["name"]
        self.add_custom_field("Budget", "number", description="In euros")
        self.add_custom_field("Deadline", "date")
        self.add_custom_field("Rush", "boolean")
        rows = [
            ("Northwind - new website", john, "active", {kind: "design", "Budget": "9000"}, [mia]),
            ("Northwind - newsletter", john, "active", {kind: "marketing"}, [tom]),
            ("Globex - onboarding", jane, "active", {kind: "development", "Rush": "1"}, [mia, tom]),
            ("Globex - brand book", jane, "archived", {"Deadline": "2024-02-01"}, [tom]),
            ("Internal - portfolio refresh", self.users[mia], "active", {}, []),
            ("Northwind - 2023 annual report", john, "archived", {"Budget": "4000"}, [mia]),
        ]  # fmt: skip
        for title, author, status, values, managers in rows:
            project = self.add_project(
                title,
                author["id"],
                message=f"Kick-off for {title}.",
                custom_fields=values,
                status=status,
            )
            for manager in managers:
                self.add_member(project["id"], manager)
            replier = managers[0] if managers else author["id"]
            self.add_message(project["id"], replier, "Thanks, we are on it. Draft on **Friday**.")


async def _fields(request: Request) -> dict:
    """A body's fields: `files[]` gathered into `files`, `custom_fields[Name]` into a dict."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            body = {}  # Laravel reads an unparsable body as no input
        return body if isinstance(body, dict) else {}
    fields: dict = {"files": [], "custom_fields": {}}
    for field in await read_form(request):
        if field.name == "files[]":
            fields["files"].append(field.filename or field.text)
        elif field.name.startswith("custom_fields[") and field.name.endswith("]"):
            fields["custom_fields"][field.name[len("custom_fields[") : -1]] = field.text
        else:
            fields[field.name] = field.text
    return fields


def _text(value: object) -> str:
    """A field as text; JSON numbers count (Laravel takes 5 and "5" alike), other types not."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    return str(value).strip()
