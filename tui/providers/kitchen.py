"""Kitchen.co: a workspace's projects, on one board with an Active and an Archived column.

Built from Kitchen.co's Projects API v1 docs (shared/api/kitchen-projects-v1.txt). A
workspace is its own host: the API base is https://{workspace}.kitchen.co/api/v1, built
from the account's `workspace` option unless the account gives a `url`. The token is
sent as a Bearer header.

How the model maps:
- the one board, "Projects", has the columns Active and Archived (a project's
  status); the API cannot change the status, so nothing moves between them. An
  archived project is shown, not archived away: its card is not `archived`;
- a project is a card; its author is the card's `owner` and its messages count the
  comment count; what the model has no field for (company, the latest message,
  custom fields) is written into the card's description as Markdown, which is why
  only the title can be edited. The API never lists a project's clients or
  managers, so they cannot be shown;
- projects come in pages of the server's size (the docs give no way to ask for
  more): the first page says how many there are, and the rest are asked for together;
- a new project needs its author's name and e-mail, a first message and that
  message's format: the author comes from the account options `author_name` and
  `author_email`, the message is the card's description, in `message_format`
  (markdown unless the options say otherwise);
- clients and managers are added and removed with the provider's own methods
  (`add_client`, `remove_client`, `add_manager`, `remove_manager`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from tui.core.codec import validated
from tui.core.errors import ConfigError, NotFound, ValidationError
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    Column,
    User,
)
from tui.core.provider import (
    Capabilities,
    Capability,
    Connection,
    Provider,
    ProviderOption,
)
from tui.providers.concurrency import gather_bounded
from tui.providers.http import Clock, HttpClient, ServiceSpec, checks_answers

KITCHEN_API = ServiceSpec(title="Kitchen.co", token_header="Authorization", token_prefix="Bearer ")
BOARD = validated(Board, id="projects", name="Projects")
ACTIVE, ARCHIVED = "active", "archived"
COLUMNS = (
    validated(Column, id=ACTIVE, name="Active", position=0),
    validated(Column, id=ARCHIVED, name="Archived", position=1),
)
MESSAGE_FORMATS = ("markdown", "html", "text")
_WORKSPACE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?")
"""A workspace is a host name label: nothing in it can lead the token elsewhere."""
_NO_STATUS_CHANGE = "Kitchen.co's API cannot archive or reactivate a project"


@checks_answers
class KitchenProvider(Provider):
    """One Kitchen.co workspace; see the module docstring for how it maps to the model."""

    name = "kitchen"
    title = "Kitchen.co"
    capabilities = Capabilities(
        supported=frozenset({Capability.CREATE, Capability.EDIT}),
        reasons={
            Capability.MOVE: _NO_STATUS_CHANGE,
            Capability.ARCHIVE: _NO_STATUS_CHANGE,
            Capability.RESTORE: _NO_STATUS_CHANGE,
            Capability.DELETE: "Kitchen.co's API cannot delete projects",
            Capability.COMMENTS: (
                "Kitchen.co's API shows a project's latest message only (in its description)"
            ),
            Capability.LABELS: "Kitchen.co projects have no labels",
            Capability.CHECKLISTS: "Kitchen.co projects have no checklists",
            Capability.DUE_DATES: "Kitchen.co projects have no due dates",
            Capability.PRIORITY: "Kitchen.co projects have no priority",
            Capability.ASSIGNEES: "Kitchen.co projects have clients and managers, not assignees",
            Capability.TIME_LOGGING: (
                "Kitchen.co's API has no time logging; time is kept in Cardboard's journal"
            ),
        },
    )
    options = (
        ProviderOption(
            name="workspace",
            label="Workspace",
            description="The name in https://<workspace>.kitchen.co (not needed with a url)",
        ),
        ProviderOption(
            name="url",
            label="API URL",
            description="Only to override https://<workspace>.kitchen.co/api/v1",
        ),
        ProviderOption(
            name="token",
            label="API token",
            description="A manager's API key from Kitchen.co",
            required=True,
            secret=True,
        ),
        ProviderOption(
            name="author_name",
            label="Author name",
            description="Who new projects are from (Kitchen.co creates the user if needed)",
        ),
        ProviderOption(
            name="author_email",
            label="Author e-mail",
            description="The e-mail of who new projects are from",
        ),
        ProviderOption(
            name="message_format",
            label="Message format",
            description="The format of a new project's first message: markdown, html or text",
            default="markdown",
        ),
    )

    def __init__(self, connection: Connection, *, clock: Clock | None = None):
        super().__init__(connection)
        self._http = HttpClient(
            connection, KITCHEN_API, default_url=_workspace_url(connection), clock=clock
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- reading ----------------------------------------------------------------------

    async def whoami(self) -> User:
        """The API has no "me": a project list proves the token, and names nobody."""
        await self._http.get("/projects")
        return validated(User, id="", name=f"{self.title} API user")

    async def list_boards(self) -> list[Board]:
        return [BOARD]

    async def load_board(self, board_id: str) -> BoardContent:
        _check_board(board_id)
        projects = await self._projects()
        return validated(
            BoardContent,
            board=BOARD,
            columns=COLUMNS,
            cards=tuple(_card(project, index) for index, project in enumerate(projects)),
        )

    async def get_card(self, board_id: str, card_id: str) -> Card:
        """The project with its custom fields (only this answer carries them)."""
        _check_board(board_id)
        return _card(await self._http.get(f"/projects/{_ref(card_id)}"))

    # --- writing ----------------------------------------------------------------------

    async def create_card(self, board_id: str, draft: CardDraft) -> Card:
        """A project from the card's title, its description as the first message."""
        _check_board(board_id)
        self._refuse(
            labels=bool(draft.label_ids),
            assignee=draft.assignee_id is not None,
            due=draft.due is not None,
            priority=draft.priority is not None,
        )
        if draft.column_id != ACTIVE:
            raise ValidationError("a new Kitchen.co project is always active: add it there")
        if not draft.description.strip():
            raise ValidationError(
                "a Kitchen.co project starts with a message: write it in the description"
            )
        options = self.connection.options
        name, email = options.get("author_name"), options.get("author_email")
        if not (name and email):
            raise ValidationError(
                f"account {self.connection.account!r}: set the options author_name and "
                "author_email (who new Kitchen.co projects are from)"
            )
        message_format = options.get("message_format") or "markdown"
        if message_format not in MESSAGE_FORMATS:
            raise ValidationError(
                f"account {self.connection.account!r}: message_format is {message_format!r}, "
                f"not one of {', '.join(MESSAGE_FORMATS)}"
            )
        body = {
            "title": draft.title,
            "name": name,
            "email": email,
            "initial_message": draft.description,
            "initial_message_format": message_format,
        }
        return _card(await self._http.post("/projects", json=body))

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        """A new title: the one thing the API changes."""
        _check_board(board_id)
        touched = changes.fields_set
        self._refuse(
            labels="label_ids" in touched,
            assignee="assignee_id" in touched,
            due="due" in touched,
            priority="priority" in touched,
        )
        if "description" in touched:
            raise ValidationError(
                "a Kitchen.co project's description is made from its details: "
                "only the title can be changed"
            )
        if changes.title is None:
            return await self.get_card(board_id, card_id)
        answer = await self._http.put(f"/projects/{_ref(card_id)}", json={"title": changes.title})
        return _card(answer)

    # --- clients and managers -----------------------------------------------------------

    async def add_client(self, board_id: str, card_id: str, user_id: str) -> User:
        """Invites a client user to the project (Kitchen.co notifies them)."""
        return await self._add_member(board_id, card_id, "clients", user_id)

    async def remove_client(self, board_id: str, card_id: str, user_id: str) -> None:
        await self._remove_member(board_id, card_id, "clients", user_id)

    async def add_manager(self, board_id: str, card_id: str, user_id: str) -> User:
        return await self._add_member(board_id, card_id, "managers", user_id)

    async def remove_manager(self, board_id: str, card_id: str, user_id: str) -> None:
        await self._remove_member(board_id, card_id, "managers", user_id)

    # --- helpers ----------------------------------------------------------------------

    async def _projects(self) -> list[dict[str, Any]]:
        """Every project: page 1 says the last page (Laravel's `meta.last_page`), and
        the pages after it are asked for together."""

        async def page(number: int) -> list[dict[str, Any]]:
            answer = await self._http.get("/projects", params={"page": number})
            data: list[dict[str, Any]] = answer["data"]
            return data

        first = await self._http.get("/projects", params={"page": 1})
        last = (first.get("meta") or {}).get("last_page")
        rest = await gather_bounded(range(2, last + 1), page) if isinstance(last, int) else []
        # A project created while the pages were read may show on two of them: keep one.
        projects = {p["id"]: p for p in first["data"]}
        for more in rest:
            projects.update((p["id"], p) for p in more)
        return list(projects.values())

    async def _add_member(self, board_id: str, card_id: str, kind: str, user_id: str) -> User:
        _check_board(board_id)
        member = await self._http.put(
            f"/projects/{_ref(card_id)}/{kind}", json={"user_id": user_id}
        )
        return _user(member)

    async def _remove_member(self, board_id: str, card_id: str, kind: str, user_id: str) -> None:
        _check_board(board_id)
        await self._http.delete(f"/projects/{_ref(card_id)}/{kind}/{_ref(user_id)}")

    def _refuse(self, *, labels: bool, assignee: bool, due: bool, priority: bool) -> None:
        """What a project has no field for is refused before anything is sent."""
        for wanted, capability in (
            (labels, Capability.LABELS),
            (assignee, Capability.ASSIGNEES),
            (due, Capability.DUE_DATES),
            (priority, Capability.PRIORITY),
        ):
            if wanted:
                raise self._unsupported(capability)


def _workspace_url(connection: Connection) -> str | None:
    """The API base of the account's workspace; None when the account gives a url."""
    workspace = connection.options.get("workspace")
    if connection.url:
        return None
    if not workspace:
        raise ConfigError(
            f"account {connection.account!r}: Kitchen.co needs a workspace "
            "(the name in https://<workspace>.kitchen.co) or a url"
        )
    if not _WORKSPACE.fullmatch(workspace):
        raise ConfigError(
            f"account {connection.account!r}: workspace {workspace!r} is not a Kitchen.co "
            "workspace name (the part before .kitchen.co)"
        )
    return f"https://{workspace}.kitchen.co/api/v1"


def _check_board(board_id: str) -> None:
    if board_id != BOARD.id:
        raise NotFound(f"Kitchen.co has one board, {BOARD.id!r}, not {board_id!r}")


def _ref(value: str) -> str:
    """An id as a path segment: escaped, so no id can reach another path."""
    if value in ("", ".", ".."):
        raise ValidationError(f"not a Kitchen.co id: {value!r}")
    return quote(value, safe="")


# --- Kitchen.co JSON -> model ---------------------------------------------------------


def _card(project: dict[str, Any], index: int = 0) -> Card:
    return validated(
        Card,
        id=str(project["id"]),
        board_id=BOARD.id,
        title=project.get("title") or "",
        column_id=project["status"],
        position=index,
        description=_details(project),
        owner=_user(project["author"]) if project.get("author") else None,
        comment_count=project.get("messages_count") or 0,
        created_at=project.get("created_at"),
    )


def _user(raw: dict[str, Any]) -> User:
    return validated(
        User, id=str(raw["id"]), name=raw.get("name") or str(raw["id"]), email=raw.get("email")
    )


def _details(project: dict[str, Any]) -> str:
    """What the card screen shows of a project, as Markdown."""
    sections = []
    if project.get("company"):
        sections.append(f"- **Company:** {project['company'].get('name')}")
    latest = project.get("latest_message")
    if latest:
        author = (latest.get("author") or {}).get("name") or "someone"
        stamp = latest.get("created_at")
        when = f", {stamp[:16].replace('T', ' ')}" if stamp else ""
        quoted = "\n".join(f"> {line}" for line in (latest.get("content") or "").splitlines())
        sections.append(f"**Latest message** from {author}{when}:\n\n{quoted}")
    fields = project.get("custom_fields") or ()
    if fields:
        listed = "\n".join(
            f"- {field.get('name')}: {(field.get('value') or {}).get('value')}" for field in fields
        )
        sections.append(f"**Custom fields**\n\n{listed}")
    return "\n\n".join(sections)
