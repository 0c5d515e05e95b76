"""KanbanTool: boards in folders; workflow stages as a tree; swimlanes; tasks.

Built from the KanbanTool API v1.1 docs (shared/api/kanbantool-v1.1.txt), in the JSON
form of each path. The account url is https://<domain>.kanbantool.com/api/v1; the
token travels in the X-KanbanToolToken header (the docs also allow an api_token
parameter, which would put it in URLs and logs). The docs say a bad token gets 403
Forbidden, so a 403 is an AuthError here.

How the model maps:
- a board is grouped under its folder; tasks live in leaf stages, and a leaf's
  group is the path of its parent stages;
- a task's tags are its labels (a tag's name is its id: tags are plain words); the
  API shows them but has no parameter to change them, so labels are read-only here;
- a task's card type is `card_type` and its size estimate is `size`;
- priority is a number: below 0 low, 0 normal, above 0 high;
- subtasks are the checklist; time is logged as a finished time tracker;
- a move past a WIP limit is refused with 409 unless an override reason is sent;
- the API cannot place a task at a position, only step it up or down its cell, so a
  reorder is a few "up"/"down" moves after the task reaches its cell, worked out from
  the cell's real order and resumed from where the task is after a failed step
  (kanbantool_moves.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tui.core.codec import validated
from tui.core.errors import AuthError, NotFound
from tui.core.models import (
    Board,
    BoardContent,
    Card,
    CardChanges,
    CardDraft,
    ChecklistItem,
    Comment,
    Lane,
    Placement,
    Priority,
    TimeLog,
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
from tui.providers.http import (
    Clock,
    HttpClient,
    ServiceSpec,
    SystemClock,
    checks_answers,
    message_detail,
)
from tui.providers.kanbantool_json import (
    _card,
    _comment,
    _leaf_columns,
    _moment,
    _ordered,
    _ref,
    _split_page,
    _subtask,
    _time_log,
    _unwrap,
)
from tui.providers.kanbantool_moves import TaskMoves, move_task

KANBANTOOL_API = ServiceSpec(
    title="KanbanTool",
    token_header="X-KanbanToolToken",
    detail=lambda body: message_detail(_unwrap(body, "error")),
    status_errors={403: AuthError},
)
PER_PAGE = 175
"""The most tasks a page holds."""
LOGGED_TIME_STARTS_AT = time(12, 0)
"""Time logged for a day becomes a tracker starting at noon UTC: the same day almost everywhere."""

_PRIORITY_VALUES = {Priority.LOW: -1, Priority.NORMAL: 0, Priority.HIGH: 1, Priority.URGENT: 1}
"""KanbanTool knows low, normal and high: urgent is sent as high."""


@checks_answers
class KanbanToolProvider(Provider):
    """One KanbanTool account; see the module docstring for how it maps to the model."""

    name = "kanbantool"
    title = "KanbanTool"
    capabilities = Capabilities(
        supported=frozenset(
            {
                Capability.CREATE,
                Capability.EDIT,
                Capability.MOVE,
                Capability.REORDER,
                Capability.DELETE,
                Capability.ARCHIVE,
                Capability.RESTORE,
                Capability.LANES,
                Capability.COMMENTS,
                Capability.CHECKLISTS,
                Capability.ASSIGNEES,
                Capability.DUE_DATES,
                Capability.PRIORITY,
                Capability.WIP_LIMITS,
                Capability.TIME_LOGGING,
                Capability.LIVE_TIMER,
            }
        ),
        reasons={
            Capability.LABELS: (
                "KanbanTool's API shows a task's tags but cannot change them: edit them in KanbanTool"
            ),
        },
    )
    options = (
        ProviderOption(
            name="url",
            label="API URL",
            description="Your KanbanTool API address: https://<domain>.kanbantool.com/api/v1",
            required=True,
        ),
        ProviderOption(
            name="token",
            label="API token",
            description="Made in KanbanTool under My profile > API access",
            required=True,
            secret=True,
        ),
    )

    def __init__(self, connection: Connection, *, clock: Clock | None = None):
        super().__init__(connection)
        self._clock = clock or SystemClock()
        self._http = HttpClient(
            connection, KANBANTOOL_API, default_url=self.default_url, clock=self._clock
        )
        self._card_types: dict[str, dict[str, str]] = {}
        """Board id -> card type id -> name: tasks name their type by id only."""
        self._people: dict[str, User] = {}
        """User id -> user: a new comment names its author by id only."""

    async def aclose(self) -> None:
        await self._http.aclose()

    # --- reading ----------------------------------------------------------------------

    async def whoami(self) -> User:
        """The board's users list starts with the API user; there is no other way to ask."""
        boards = await self.list_boards()
        if not boards:  # the token works, but nothing names its owner
            return validated(User, id="", name=f"{self.title} API user")
        return (await self._users(boards[0].id))[0]

    async def list_boards(self) -> list[Board]:
        boards = _unwrap(await self._http.get("/boards.json"), "board")
        return [
            validated(
                Board,
                id=str(board["id"]),
                name=board.get("name") or "",
                group=(board.get("folder") or {}).get("name"),
                description=board.get("description") or "",
            )
            for board in boards
        ]

    async def load_board(self, board_id: str) -> BoardContent:
        structure, users, tasks = await asyncio.gather(
            self._http.get(f"/boards/{_ref(board_id)}.json"),
            self._users(board_id),
            self._tasks(board_id),
        )
        board = _unwrap(structure, "board")
        card_types = self._remember(board_id, board.get("card_types") or ())
        cards = tuple(_card(task, board_id, card_types) for task in tasks)
        tags = {label.id: label for card in cards for label in card.labels}
        return validated(
            BoardContent,
            board=validated(
                Board,
                id=str(board["id"]),
                name=board.get("name") or "",
                description=board.get("description") or "",
            ),
            columns=_leaf_columns(board.get("workflow_stages") or ()),
            lanes=tuple(
                validated(
                    Lane,
                    id=str(lane["id"]),
                    name=lane.get("name") or "",
                    position=lane.get("position") or 0,
                )
                for lane in _ordered(board.get("swimlanes") or ())
            ),
            cards=cards,
            labels=tuple(sorted(tags.values(), key=lambda label: label.name.casefold())),
            users=tuple(users),
        )

    async def get_card(self, board_id: str, card_id: str) -> Card:
        task, card_types = await asyncio.gather(
            self._task(board_id, card_id), self._card_type_names(board_id)
        )
        return _card(task, board_id, card_types)

    async def list_archived_cards(self, board_id: str) -> list[Card]:
        """Most recently archived first, as the API lists them."""
        tasks, card_types = await asyncio.gather(
            self._tasks(board_id, archived=1), self._card_type_names(board_id)
        )
        return [_card(task, board_id, card_types) for task in tasks]

    async def list_comments(self, board_id: str, card_id: str) -> list[Comment]:
        """From the task's detail: only there do comments carry their author's name."""
        task = await self._task(board_id, card_id)
        return [_comment(comment) for comment in task.get("comments") or ()]

    # --- writing ----------------------------------------------------------------------

    async def create_card(self, board_id: str, draft: CardDraft) -> Card:
        fields: dict[str, Any] = {
            "name": draft.title,
            "workflow_stage_id": _ref(draft.column_id),
            "description": draft.description,
        }
        if draft.lane_id is not None:
            fields["swimlane_id"] = _ref(draft.lane_id)
        if draft.label_ids:
            raise self._unsupported(Capability.LABELS)
        if draft.assignee_id is not None:
            fields["assigned_user_id"] = _ref(draft.assignee_id)
        if draft.due is not None:
            fields["due_date"] = draft.due.isoformat()
        if draft.priority is not None:
            fields["priority"] = _PRIORITY_VALUES[draft.priority]
        created = await self._http.post(
            f"/boards/{_ref(board_id)}/tasks.json", json={"task": fields}
        )
        return await self._as_card(board_id, created)

    async def update_card(self, board_id: str, card_id: str, changes: CardChanges) -> Card:
        touched = changes.fields_set
        fields: dict[str, Any] = {}
        if "title" in touched and changes.title is not None:
            fields["name"] = changes.title
        if "description" in touched:
            fields["description"] = changes.description or ""
        if "label_ids" in touched:
            raise self._unsupported(Capability.LABELS)
        if "assignee_id" in touched:
            fields["assigned_user_id"] = _ref(changes.assignee_id) if changes.assignee_id else None
        if "due" in touched:
            fields["due_date"] = changes.due.isoformat() if changes.due else None
        if "priority" in touched:
            fields["priority"] = _PRIORITY_VALUES[changes.priority or Priority.NORMAL]
        updated = await self._http.put(self._task_path(board_id, card_id), json={"task": fields})
        return await self._as_card(board_id, updated)

    async def move_card(self, board_id: str, card_id: str, placement: Placement) -> Card:
        """Into the cell, then up or down next to the neighbours `placement` names, each
        round from where the task really is (see kanbantool_moves): resumable."""
        move = self._task_path(board_id, card_id, "/move")

        async def put_move(body: dict[str, Any], idempotent: bool) -> dict[str, Any]:
            answer = await self._http.put(move, json=body, idempotent=idempotent)
            task: dict[str, Any] = _unwrap(answer, "task")
            return task

        moves = TaskMoves(
            read_task=lambda: self._task(board_id, card_id),
            read_tasks=lambda: self._tasks(board_id),
            put_move=put_move,
        )
        task = await move_task(moves, card_id, placement)
        return _card(task, board_id, await self._card_type_names(board_id))

    async def archive_card(self, board_id: str, card_id: str) -> None:
        await self._http.put(self._task_path(board_id, card_id, "/archive"))

    async def restore_card(self, board_id: str, card_id: str) -> None:
        await self._http.put(self._task_path(board_id, card_id, "/unarchive"))

    async def delete_card(self, board_id: str, card_id: str) -> None:
        await self._http.delete(self._task_path(board_id, card_id))

    async def add_comment(self, board_id: str, card_id: str, text: str) -> Comment:
        """The answer names its author by id only: the board's users say who that is."""
        path = self._task_path(board_id, card_id, "/comments")
        posted = _unwrap(
            await self._http.post(path, json={"comment": {"content": text}}), "comment"
        )
        comment = _comment(posted)
        author_id = str(posted.get("user_id") or "")
        if comment.author is not None or not author_id:
            return comment
        if author_id not in self._people:
            await self._users(board_id)
        author = self._people.get(author_id)
        return replace(comment, author=author) if author else comment

    async def add_checklist_item(self, board_id: str, card_id: str, text: str) -> ChecklistItem:
        path = self._task_path(board_id, card_id, "/subtasks")
        return _subtask(
            _unwrap(await self._http.post(path, json={"subtask": {"name": text}}), "subtask")
        )

    async def set_checklist_item(
        self, board_id: str, card_id: str, item_id: str, done: bool
    ) -> ChecklistItem:
        path = self._task_path(board_id, card_id, f"/subtasks/{_ref(item_id)}")
        answer = await self._http.put(path, json={"subtask": {"is_completed": done}})
        return _subtask(_unwrap(answer, "subtask"))

    async def log_time(
        self, board_id: str, card_id: str, minutes: int, day: date, note: str
    ) -> str:
        """A finished time tracker: trackers have no note, so `note` stays in the journal."""
        started = datetime.combine(day, LOGGED_TIME_STARTS_AT, tzinfo=UTC)
        tracker = {
            "board_id": _ref(board_id),
            "task_id": _ref(card_id),
            "started_at": started.isoformat(),
            "ended_at": (started + timedelta(minutes=minutes)).isoformat(),
        }
        made = await self._http.post("/time_trackers.json", json={"time_tracker": tracker})
        return str(_unwrap(made, "time_tracker")["id"])

    async def list_time_logs(self, board_id: str, card_id: str) -> list[TimeLog]:
        """The API user's finished trackers on the task (a running one has no length yet)."""
        trackers = await self._trackers(card_id, active=0)
        return [_time_log(tracker) for tracker in trackers]

    async def update_time_log(
        self, board_id: str, card_id: str, log_id: str, minutes: int, day: date, note: str
    ) -> None:
        """Sets the tracker's length; it keeps its start unless it moves to another day."""
        tracker = next((t for t in await self._trackers(card_id) if str(t["id"]) == log_id), None)
        if tracker is None:
            raise NotFound(f"{self.title}: time tracker {log_id} not found on task {card_id}")
        started = _moment(tracker["started_at"])
        if started.astimezone().date() != day:
            started = datetime.combine(day, LOGGED_TIME_STARTS_AT, tzinfo=UTC)
        span = {
            "started_at": started.isoformat(),
            "ended_at": (started + timedelta(minutes=minutes)).isoformat(),
        }
        await self._http.put(f"/time_trackers/{_ref(log_id)}.json", json={"time_tracker": span})

    async def delete_time_log(self, board_id: str, card_id: str, log_id: str) -> None:
        await self._http.delete(f"/time_trackers/{_ref(log_id)}.json")

    async def start_timer(self, board_id: str, card_id: str) -> str:
        """A running tracker; KanbanTool stops the API user's other running one itself."""
        tracker = {
            "board_id": _ref(board_id),
            "task_id": _ref(card_id),
            "started_at": self._now().isoformat(),
        }
        made = await self._http.post("/time_trackers.json", json={"time_tracker": tracker})
        return str(_unwrap(made, "time_tracker")["id"])

    async def stop_timer(self, board_id: str, card_id: str, timer_id: str) -> TimeLog:
        stop = {"time_tracker": {"ended_at": self._now().isoformat()}}
        stopped = await self._http.put(f"/time_trackers/{_ref(timer_id)}.json", json=stop)
        return _time_log(_unwrap(stopped, "time_tracker"))

    # --- helpers ----------------------------------------------------------------------

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self._clock.time(), UTC)

    async def _trackers(self, card_id: str, **filters: int) -> list[dict[str, Any]]:
        trackers = await self._http.get(
            "/time_trackers.json", params={"task_id": _ref(card_id), **filters}
        )
        unwrapped: list[dict[str, Any]] = _unwrap(trackers, "time_tracker")
        return unwrapped

    def _task_path(self, board_id: str, card_id: str, action: str = "") -> str:
        return f"/boards/{_ref(board_id)}/tasks/{_ref(card_id)}{action}.json"

    async def _task(self, board_id: str, card_id: str) -> dict[str, Any]:
        task: dict[str, Any] = _unwrap(
            await self._http.get(self._task_path(board_id, card_id)), "task"
        )
        return task

    async def _as_card(self, board_id: str, answer: Any) -> Card:
        return _card(_unwrap(answer, "task"), board_id, await self._card_type_names(board_id))

    async def _tasks(self, board_id: str, **filters: int) -> list[dict[str, Any]]:
        """Every active (or archived) task: the first page says how many more to fetch at once."""
        path = f"/boards/{_ref(board_id)}/tasks.json"

        async def page(number: int) -> tuple[list[dict[str, Any]], dict[str, Any]]:
            params = {**filters, "page": number, "per_page": PER_PAGE}
            return _split_page(await self._http.get(path, params=params))

        tasks, pagination = await page(1)
        rest = await gather_bounded(range(2, (pagination.get("total_pages") or 1) + 1), page)
        for more, _ in rest:
            tasks.extend(more)
        # A task moved while the pages were read may show on two of them: keep one.
        return list({task["id"]: task for task in tasks}.values())

    async def _users(self, board_id: str) -> list[User]:
        """The board's people, the API user first (documented), suspended ones left out."""
        shared = _unwrap(
            await self._http.get(f"/boards/{_ref(board_id)}/users.json"), "shared_item_user"
        )
        users = [
            validated(
                User,
                id=str(entry["user"]["id"]),
                name=entry["user"].get("name") or "",
                email=entry["user"].get("email"),
            )
            for entry in shared
        ]
        self._people.update((user.id, user) for user in users)
        suspended = {str(e["user"]["id"]) for e in shared if e["user"].get("is_suspended")}
        return [user for user in users if user.id not in suspended]

    async def _card_type_names(self, board_id: str) -> dict[str, str]:
        if board_id not in self._card_types:
            board = _unwrap(await self._http.get(f"/boards/{_ref(board_id)}.json"), "board")
            self._remember(board_id, board.get("card_types") or ())
        return self._card_types[board_id]

    def _remember(self, board_id: str, card_types: Iterable[dict[str, Any]]) -> dict[str, str]:
        """Disabled card types too: a task may still be of one."""
        self._card_types[board_id] = {
            str(kind["id"]): kind.get("name") or "" for kind in _ordered(card_types)
        }
        return self._card_types[board_id]
