"""Kanbert: projects of tasks; the task status as columns; sub-tasks as the checklist.

Built from Kanbert's API v1 docs (shared/api/kanbert-v1.txt). The account url is the
API base, https://api.kanbert.com/api/v1; the token is sent as a Bearer header. Tasks
are the only resource: projects, people and the board all come out of task lists,
read in cursor pages (`page[size]`, `page[cursor]`) to the end.

How the model maps:
- a board is a project (known from its tasks: there is no projects endpoint),
  grouped under its client;
- the columns are the TaskStatus values in workflow order, named as the docs name
  them; "Closed" ("Task was archived") is archiving, so closed tasks are left out;
- cards are the top-level tasks in `list_sorting` order; their sub-tasks are the
  checklist (an item is done when its status is Completed, Approved or Closed), which
  a list carries only when asked for with `include=sub_tasks`;
- a task's watchers are its `members`, its `type` the card type, its estimate the
  size ("2.5 h"); restoring a closed task puts it back in the Backlog (Kanbert does not
  keep the status it had);
- a new task goes where `placement` says (insert_before/insert_after) or at the end
  of its project; a task cannot be reordered afterwards (PATCH has no position);
- descriptions are HTML in Kanbert and plain text here; the attachments (the model
  has no field for them) are listed at the end of the description under
  READ_ONLY_MARK, which an edit leaves out again;
- the people a task can be assigned to are the assignees and watchers the board's
  tasks show: there is no users endpoint either;
- priority shows, but the API has no field to set it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from tui.core.codec import validated
from tui.core.errors import NotFound, Unavailable, ValidationError
from tui.core.filtering import CardFilter
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Column,
    ColumnKind,
    Placement,
    Priority,
    User,
)
from tui.core.provider import (
    Capabilities,
    Capability,
    Connection,
    Provider,
    ProviderOption,
)
from tui.providers.http import Clock, HttpClient, ServiceSpec, checks_answers
from tui.providers.kanbert_html import html_to_text, text_to_html

KANBERT_API = ServiceSpec(title="Kanbert", token_header="Authorization", token_prefix="Bearer ")
PAGE_SIZE = 100
"""Tasks per page; the docs give only the default, 30."""
COLUMNS = (
    validated(Column, id="Backlog", name="Backlog", position=0, kind=ColumnKind.QUEUE),
    validated(Column, id="New", name="In Todo", position=1, kind=ColumnKind.QUEUE),
    validated(Column, id="WIP", name="In progress", position=2, kind=ColumnKind.IN_PROGRESS),
    validated(Column, id="Completed", name="Completed", position=3, kind=ColumnKind.DONE),
    validated(Column, id="Approved", name="Approved", position=4, kind=ColumnKind.DONE),
)
ARCHIVED = "Closed"
"""The status the docs call "Task was archived"."""
DONE = frozenset({"Completed", "Approved", ARCHIVED})
READ_ONLY_MARK = "*Kept in Kanbert (not editable here):*"
"""Heads what the description lists from Kanbert's other fields."""

_TOP_LEVEL = "sub_tasks_in_list eq without"
_OPEN = f"status ne {ARCHIVED}"
_BOARD_INCLUDES = "project,client,watchers,sub_tasks"
"""Everything a card shows: without `sub_tasks` a listed task's checklist is empty."""
RESTORED_STATUS = "Backlog"
_PRIORITIES = {priority.value: priority for priority in Priority}


@checks_answers
class KanbertProvider(Provider):
    """One Kanbert integration; see the module docstring for how it maps to the model."""

    name = "kanbert"
    title = "Kanbert"
    capabilities = Capabilities(
        supported=frozenset(
            {
                Capability.CREATE,
                Capability.EDIT,
                Capability.MOVE,
                Capability.ARCHIVE,
                Capability.RESTORE,
                Capability.DELETE,
                Capability.CHECKLISTS,
                Capability.ASSIGNEES,
                Capability.DUE_DATES,
                Capability.SEARCH,
            }
        ),
        reasons={
            Capability.REORDER: (
                "Kanbert places a task only when it is made: it cannot reorder one"
            ),
            Capability.COMMENTS: "Kanbert's API has no comments",
            Capability.LABELS: "Kanbert tasks have no labels",
            Capability.PRIORITY: "Kanbert's API shows a task's priority but cannot set it",
            Capability.TIME_LOGGING: (
                "Kanbert's API has no time logging; time is kept in Cardboard's journal"
            ),
        },
    )
    options = (
        ProviderOption(
            name="url",
            label="API URL",
            description="Kanbert's API address (the default is Kanbert's own)",
            default="https://api.kanbert.com/api/v1",
        ),
        ProviderOption(
            name="token",
            label="API token",
            description="An integration token with the task-management:read and :write scopes",
            required=True,
            secret=True,
        ),
    )
    default_url = "https://api.kanbert.com/api/v1"
    complete_board_cards = True

    def __init__(self, connection: Connection, *, clock: Clock | None = None):
        super().__init__(connection)
        self._http = HttpClient(connection, KANBERT_API, default_url=self.default_url, clock=clock)
        self._boards: dict[str, Board] = {}
        """Project id -> board, as last seen: a project's name comes only with its tasks."""
        self._people: dict[str, User] = {}
        """Everyone the tasks have shown, to find an assignee by name."""

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- reading ----------------------------------------------------------------------

    async def whoami(self) -> User:
        """The token's user where a task is assigned to them; the API has no "me" otherwise."""
        page = await self._http.get(
            "/tasks", params={"filter": "assignee.id eq me.id", "page[size]": 1}
        )
        mine = page["data"]
        if mine and mine[0].get("assignee"):
            return _user(mine[0]["assignee"])
        return validated(User, id="", name=f"{self.title} API user")

    async def list_boards(self) -> list[Board]:
        for task in await self._tasks(_TOP_LEVEL, include="project,client"):
            self._remember_board(task)
        return sorted(self._boards.values(), key=lambda b: (b.group or "", b.name.casefold()))

    async def load_board(self, board_id: str) -> BoardContent:
        tasks = await self._tasks(_in_project(board_id), _TOP_LEVEL, _OPEN, include=_BOARD_INCLUDES)
        for task in tasks:
            self._remember_board(task)
        people = self._remember_people(tasks)
        return validated(
            BoardContent,
            board=self._boards.get(board_id) or await self._board_of_any_task(board_id),
            columns=COLUMNS,
            cards=tuple(_card(task, board_id) for task in tasks),
            users=tuple(sorted(people.values(), key=lambda user: user.name.casefold())),
        )

    async def get_card(self, board_id: str, card_id: str) -> Card:
        return _card(await self._http.get(f"/tasks/{_ref(card_id)}"), board_id)

    async def search_cards(self, board_id: str, query: CardFilter) -> list[Card]:
        """The board's cards that match `query`, filtered by Kanbert itself.

        Words match the title (the filter cannot search descriptions); `due:` as in
        CardFilter; `@name` matches an assignee whose name (among the people seen) or
        e-mail starts so; `@none` unassigned tasks. Labels match nothing: tasks have none.
        """
        if query.labels:
            return []
        terms = [_in_project(board_id), _TOP_LEVEL, _OPEN]
        terms += [f"title contains {_quote(word)}" for word in query.words]
        if query.due is not None:
            terms.append(_DUE_TERMS.get(query.due) or f"due_date lte {_quote(query.due)}")
        terms += [self._assignee_term(name) for name in query.assignees]
        return [_card(task, board_id) for task in await self._tasks(*terms)]

    # --- writing ----------------------------------------------------------------------

    async def create_card(
        self,
        board_id: str,
        draft: CardDraft,
        *,
        estimated_hours: float | None = None,
        placement: Placement | None = None,
    ) -> Card:
        """A task at the end of its project, or next to `placement`'s neighbour."""
        if draft.lane_id is not None:
            raise self._unsupported(Capability.LANES)
        if draft.label_ids:
            raise self._unsupported(Capability.LABELS)
        if draft.priority is not None:
            raise self._unsupported(Capability.PRIORITY)
        body: dict[str, Any] = {
            "title": draft.title,
            "project_id": board_id,
            "status": _status(draft.column_id),
        }
        if draft.description:
            body["description"] = text_to_html(_own_text(draft.description))
        if draft.assignee_id is not None:
            body["assignee_id"] = draft.assignee_id
        if draft.due is not None:
            body["due_date"] = draft.due.isoformat()
        if estimated_hours is not None:
            body["estimated_hours"] = estimated_hours
        if placement is not None and placement.before_id:
            body["insert_before"] = placement.before_id
        elif placement is not None and placement.after_id:
            body["insert_after"] = placement.after_id
        if draft.external_id is not None:
            body["external_id"] = draft.external_id
        try:
            return _card(await self._http.post("/tasks", json=body), board_id)
        except ValidationError:
            # "The external id has already been taken": an earlier send landed. Sending
            # the same create again answers the task it made, so a create is idempotent.
            if draft.external_id is None:
                raise
            earlier = await self.find_created_card(board_id, draft, since=None)
            if earlier is None:
                raise
            return earlier

    async def find_created_card(
        self, board_id: str, draft: CardDraft, since: datetime | None
    ) -> Card | None:
        """By external id, which Kanbert looks up itself (GET /tasks/{id}?find_by=...)."""
        if draft.external_id is None:
            return await super().find_created_card(board_id, draft, since)
        try:
            task = await self._http.get(
                f"/tasks/{_ref(draft.external_id)}", params={"find_by": "external_id"}
            )
        except NotFound:
            return None
        return _card(task, board_id)

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        touched = changes.fields_set
        if "label_ids" in touched:
            raise self._unsupported(Capability.LABELS)
        if "priority" in touched:
            raise self._unsupported(Capability.PRIORITY)
        body: dict[str, Any] = {}
        if "title" in touched and changes.title is not None:
            body["title"] = changes.title
        if "description" in touched:
            body["description"] = text_to_html(_own_text(changes.description or ""))
        if "assignee_id" in touched:
            body["assignee_id"] = changes.assignee_id
        if "due" in touched:
            body["due_date"] = changes.due.isoformat() if changes.due else None
        return await self._patch(board_id, card_id, body)

    async def move_card(self, board_id: str, card_id: str, placement: Placement) -> Card:
        """Into the column; the task keeps its place in the project's order."""
        return await self._patch(board_id, card_id, {"status": _status(placement.column_id)})

    async def archive_card(self, board_id: str, card_id: str) -> None:
        await self._http.patch(f"/tasks/{_ref(card_id)}", json={"status": ARCHIVED})

    async def list_archived_cards(self, board_id: str) -> list[Card]:
        closed = f"status eq {ARCHIVED}"
        tasks = await self._tasks(
            _in_project(board_id), _TOP_LEVEL, closed, include=_BOARD_INCLUDES
        )
        return [_card(task, board_id) for task in tasks]

    async def restore_card(self, board_id: str, card_id: str) -> None:
        """Back to the Backlog: Kanbert does not keep the status a task was closed from."""
        await self._http.patch(f"/tasks/{_ref(card_id)}", json={"status": RESTORED_STATUS})

    async def delete_card(self, board_id: str, card_id: str) -> None:
        await self._http.delete(f"/tasks/{_ref(card_id)}")

    async def add_checklist_item(self, board_id: str, card_id: str, text: str) -> ChecklistItem:
        """A sub-task of the card, in its project."""
        body = {"title": text, "project_id": board_id, "parent_task_id": card_id}
        return _checklist_item(await self._http.post("/tasks", json=body))

    async def set_checklist_item(
        self, board_id: str, card_id: str, item_id: str, done: bool
    ) -> ChecklistItem:
        """Done is Completed; not done is back to New (In Todo)."""
        answer = await self._http.patch(
            f"/tasks/{_ref(item_id)}", json={"status": "Completed" if done else "New"}
        )
        return _checklist_item(answer)

    # --- helpers ----------------------------------------------------------------------

    async def _patch(self, board_id: str, card_id: str, body: dict[str, Any]) -> Card:
        return _card(await self._http.patch(f"/tasks/{_ref(card_id)}", json=body), board_id)

    async def _tasks(self, *terms: str, include: str | None = None) -> list[dict[str, Any]]:
        """Every task matching all `terms`, page after page until there is no next cursor."""
        params: dict[str, Any] = {"filter": " and ".join(terms), "page[size]": PAGE_SIZE}
        if include:
            params["include"] = include
        tasks: list[dict[str, Any]] = []
        cursors: set[str] = set()
        while True:
            page = await self._http.get("/tasks", params=params)
            tasks.extend(page["data"])
            cursor = page["meta"].get("next_cursor")
            if not cursor:
                return tasks
            if cursor in cursors:  # a server that loops would page forever
                raise Unavailable(
                    f"Kanbert ({self.connection.account}): the task list repeats a page cursor"
                )
            cursors.add(cursor)
            params["page[cursor]"] = cursor

    async def _board_of_any_task(self, board_id: str) -> Board:
        """A project without open tasks, known from any task of it, closed or a sub-task.

        With no task at all, a project is indistinguishable from one that does not exist.
        """
        page = await self._http.get(
            "/tasks",
            params={
                "filter": _in_project(board_id),
                "include": "project,client",
                "page[size]": 1,
            },
        )
        if not page["data"]:
            raise NotFound(f"Kanbert ({self.connection.account}): no task is in project {board_id}")
        self._remember_board(page["data"][0])
        return self._boards[board_id]

    def _remember_board(self, task: dict[str, Any]) -> None:
        project = task["project"]
        client = task.get("client") or {}
        self._boards[project["id"]] = validated(
            Board,
            id=project["id"],
            name=project.get("name") or project["id"],
            group=client.get("name"),
            description=project.get("shortcode") or "",
        )

    def _remember_people(self, tasks: Iterable[dict[str, Any]]) -> dict[str, User]:
        """The board's people: every assignee and watcher of its tasks and sub-tasks."""
        seen: dict[str, User] = {}
        for task in tasks:
            for raw in (task, *(task.get("sub_tasks") or ())):
                for person in (raw.get("assignee"), *(raw.get("watchers") or ())):
                    if person:
                        seen[person["id"]] = _user(person)
        self._people.update(seen)
        return seen

    def _assignee_term(self, name: str) -> str:
        if name == "none":
            return "assignee.id isnull"
        by_email = f"assignee.email startswith {_quote(name)}"
        ids = [user.id for user in self._people.values() if user.name.casefold().startswith(name)]
        if not ids:
            return by_email
        return f"(assignee.id in [{', '.join(map(_quote, ids))}] or {by_email})"


# --- the filter DSL -------------------------------------------------------------------

_DUE_TERMS = {
    "overdue": "due_date lt today",
    "today": "due_date eq today",
    "week": "(due_date gte sow and due_date lte eow)",
    "none": "due_date isnull",
}


def _quote(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _in_project(board_id: str) -> str:
    return f"project.id eq {_quote(board_id)}"


# --- Kanbert JSON -> model ------------------------------------------------------------


def _ref(value: str) -> str:
    """A task id as a path segment: escaped, so no id can reach another path."""
    if value in ("", ".", ".."):
        raise ValidationError(f"not a Kanbert id: {value!r}")
    return quote(value, safe="")


def _status(column_id: str) -> str:
    if column_id not in {column.id for column in COLUMNS}:
        names = ", ".join(column.id for column in COLUMNS)
        raise ValidationError(f"{column_id!r} is not a Kanbert status ({names})")
    return column_id


def _user(raw: dict[str, Any]) -> User:
    name = f"{raw.get('first_name') or ''} {raw.get('last_name') or ''}".strip()
    return validated(
        User, id=raw["id"], name=name or raw.get("email") or raw["id"], email=raw.get("email")
    )


def _card(task: dict[str, Any], board_id: str) -> Card:
    priority = task.get("priorityOption") or {}
    return validated(
        Card,
        id=task["id"],
        board_id=board_id,
        title=task.get("title") or "",
        column_id=task["status"],
        position=task.get("list_sorting") or 0,
        description=_description(task),
        assignee=_user(task["assignee"]) if task.get("assignee") else None,
        members=tuple(_user(watcher) for watcher in task.get("watchers") or ()),
        card_type=task.get("type") or None,
        size=f"{task['estimated_hours']:g} h" if task.get("estimated_hours") is not None else None,
        due=date.fromisoformat(task["due_date"][:10]) if task.get("due_date") else None,
        priority=_PRIORITIES.get((priority.get("label") or "").casefold()),
        checklist=tuple(_checklist_item(sub) for sub in task.get("sub_tasks") or ()),
        archived=task["status"] == ARCHIVED,
        blocked=bool(task.get("is_onhold")),
        created_at=task.get("created_at"),
        updated_at=task.get("updated_at"),
        external_id=task.get("external_id"),
    )


def _checklist_item(task: dict[str, Any]) -> ChecklistItem:
    return validated(
        ChecklistItem,
        id=task["id"],
        text=task.get("title") or "",
        done=task["status"] in DONE,
        position=task.get("list_sorting") or 0,
    )


def _description(task: dict[str, Any]) -> str:
    """The task's own text, then what Kanbert keeps that the model has no field for."""
    kept = []
    for attachment in task.get("attachements") or ():  # sic: the docs spell it so
        size = _size(attachment.get("size") or 0)
        kept.append(
            f"- Attachment: {attachment['file_name']} ({attachment.get('mime_type')}, {size})"
        )
    text = html_to_text(task.get("description") or "")
    if not kept:
        return text
    return "\n\n".join(part for part in (text, READ_ONLY_MARK, "\n".join(kept)) if part)


def _own_text(description: str) -> str:
    """The description without what `_description` appended from Kanbert's other fields."""
    return description.partition(READ_ONLY_MARK)[0].rstrip()


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024**2:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024**2:.1f} MB"
