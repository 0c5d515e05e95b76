"""A stateful fake of the KanbanTool API v1.1, written from its docs (shared/api/kanbantool-v1.1.txt).

Served under /api/v1, in the `.json` form of each documented path (the `.xml` form,
JSONP `callback` and the `_m` method override are not served):
  boards; a board's structure (workflow stages, a tree by parent_id; swimlanes; card
  types) and its users; tasks: list (plain, or paginated with page/per_page, archived=1,
  swimlane_id, workflow_stage_id), detail (with comments, subtasks and changelogs),
  create, update, move (409 past a WIP limit unless `override` is given), archive,
  unarchive, delete; subtasks (with reorder); comments; time trackers (start: create
  one without ended_at; stop: update its ended_at); the time report.
Parameters come as the docs write them (`task[name]`), in the query string, a form
body, or a JSON body ({"task": {"name": ...}} counts as task[name]).

Auth: the X-KanbanToolToken header, or the api_token parameter the docs also allow.
The docs contradict themselves on a bad or missing token: "Getting started" says every
such request is rejected with 403 Forbidden, "Authentication" shows a 401 saying "API
token is invalid". The fake answers 403 with that message; `auth_failure_status = 401`
switches to the other reading, for a client test that wants both.

JSON wrapping, the "inconsistency" the docs warn about, made concrete (a client should
unwrap as the docs' unwrapJSON does):
  wrapped: boards {"board": {...}}, tasks {"task": {...}} (in lists too), board users
           {"shared_item_user": {...}}: the model objects of the original API;
  bare:    subtasks, comments, time trackers, the time report and errors: the methods
           the docs mark New or JSON-only.
Errors are {"message": ..., "status": N}: the docs' XML <error> as a plain hash.

Where the docs are silent the fake decides:
- A task list without page, per_page, archived, swimlane_id or workflow_stage_id is the
  first sample: every active task, no pagination. With any of them it is paginated
  (per_page default 50, at most 175, more is cut to 175; page from 1) and, as in the
  XML samples, the pagination travels inside the array: its last element is
  {"pagination": {page, total_pages, total_entries, previous_page, next_page}}, and
  next_page is null on the last page. Active tasks come by id, archived ones most
  recently archived first (documented).
- `tags` is a comma-separated string; `size_estimate` a decimal string ("1.0"), as
  Rails encodes decimals.
- Tasks sit in leaf stages only. WIP limits are checked on moves (where the docs
  describe them), not on create; a stage's limit counts the active tasks in it and its
  sub-stages, so a parent's limit applies to moves into its children.
- Create and update errors are 400 (the create sample); move, archive and subtask
  errors 422; a direction move past the edge of the board is a 422.
- Only the last comment on a task, and only the API user's own, can be deleted.
- Starting a running tracker stops the API user's other running tracker: one timer at a
  time, as in the side panel. Deleting a tracker answers the previous one for the same
  task and user, or null.
- The time report counts finished trackers that started within from..to; see
  `_time_report` for its shape.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from tests.fakes.service import FakeService, Refusal, read_form

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 175
_SEED_TIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_PAGINATING = ("page", "per_page", "archived", "swimlane_id", "workflow_stage_id")
_REPORT_GROUPS = ("board_id", "task_id", "user_id", "sprint_id")
_UNDELETABLE_COMMENT = "This comment cannot be deleted. Please note that only last, recent made comments can be deleted."

Json = dict[str, Any]
Params = dict[str, Any]
Handler = Callable[..., Awaitable[Any]]


def refused(status: int, message: str) -> Refusal:
    """KanbanTool's error: its XML <error> as a hash, `{"message", "status"}`."""
    return Refusal(status, {"message": message, "status": status})


def stamp(moment: datetime | None = None) -> str:
    """KanbanTool's datetime format: seconds and a numeric UTC offset."""
    return (moment or datetime.now(UTC)).isoformat(timespec="seconds")


class KanbanToolFake(FakeService):
    """KanbanTool as its docs describe it; state is plain dicts keyed by id, for tests.

    `seed=True` gives one board ("Product development") with stages Backlog, In
    progress (a parent of Doing, WIP limit 2 and full, and Review) and Done; swimlanes
    Features and Bugs; card types Feature, Bug and Chore; ten active tasks (subtasks,
    comments, a finished time tracker) and one archived task; three users, the first
    the API user, the last suspended.
    """

    name = "kanbantool"
    base_path = "/api/v1"

    def __init__(self, *, token: str = "kanbantool-test-token", seed: bool = True):
        self.token = token
        self.auth_failure_status = 403
        """The status for a bad or missing token: 403 or 401, the docs say both."""
        self._ids = itertools.count(100)
        self.users: dict[int, Json] = {}
        self.folders: dict[int, Json] = {}
        self.boards: dict[int, Json] = {}
        self.swimlanes: dict[int, Json] = {}
        self.workflow_stages: dict[int, Json] = {}
        self.card_types: dict[int, Json] = {}
        self.tasks: dict[int, Json] = {}
        self.subtasks: dict[int, Json] = {}
        self.comments: dict[int, Json] = {}
        self.changelogs: dict[int, Json] = {}
        self.time_trackers: dict[int, Json] = {}
        super().__init__()
        self.app.add_exception_handler(HTTPException, _http_error)
        # The token belongs to someone: the API user exists even on an empty fake.
        self.current_user_id = self._add_user("API Access - Alex Morgan", "AM")
        if seed:
            self._seed()

    # ---- test helpers -------------------------------------------------------------

    def seed_board(self, cards: int, *, columns: int = 6) -> int:
        """Add a board with `columns` flat stages, two swimlanes and `cards` active tasks
        spread over the cells; return its id. Built in memory, for benchmarks."""
        board_id = self._add_board(f"Benchmark ({cards} tasks)")
        stages = [self._add_stage(board_id, f"Stage {n + 1}") for n in range(columns)]
        lanes = [self._add_swimlane(board_id, name) for name in ("Main", "Expedite")]
        feature = self._add_card_type(board_id, "Feature", "yellow", default=True)
        for n in range(cards):
            self._add_task(
                board_id,
                f"Task {n + 1}",
                stage_id=stages[n % columns],
                swimlane_id=lanes[(n // columns) % len(lanes)],
                card_type_id=feature,
            )
        return board_id

    # ---- routing and auth ------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        task = "/boards/{board_id:int}/tasks/{task_id:int}"
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/boards.json", self._list_boards),
            ("GET", "/boards/{board_id:int}.json", self._get_board),
            ("GET", "/boards/{board_id:int}/users.json", self._list_board_users),
            ("GET", "/boards/{board_id:int}/tasks.json", self._list_tasks),
            ("POST", "/boards/{board_id:int}/tasks.json", self._create_task),
            ("GET", task + ".json", self._get_task),
            ("PUT", task + ".json", self._update_task),
            ("DELETE", task + ".json", self._delete_task),
            ("PUT", task + "/move.json", self._move_task),
            ("PUT", task + "/archive.json", self._archive_task),
            ("PUT", task + "/unarchive.json", self._unarchive_task),
            ("GET", task + "/subtasks.json", self._list_subtasks),
            ("POST", task + "/subtasks.json", self._create_subtask),
            ("PUT", task + "/subtasks/reorder.json", self._reorder_subtasks),
            ("GET", task + "/subtasks/{subtask_id:int}.json", self._get_subtask),
            ("PUT", task + "/subtasks/{subtask_id:int}.json", self._update_subtask),
            ("DELETE", task + "/subtasks/{subtask_id:int}.json", self._delete_subtask),
            ("GET", task + "/comments.json", self._list_comments),
            ("POST", task + "/comments.json", self._create_comment),
            ("GET", task + "/comments/{comment_id:int}.json", self._get_comment),
            ("DELETE", task + "/comments/{comment_id:int}.json", self._delete_comment),
            ("GET", "/time_trackers.json", self._list_time_trackers),
            ("POST", "/time_trackers.json", self._create_time_tracker),
            ("PUT", "/time_trackers/{tracker_id:int}.json", self._update_time_tracker),
            ("DELETE", "/time_trackers/{tracker_id:int}.json", self._delete_time_tracker),
            ("GET", "/time_report.json", self._time_report),
        ]
        return [
            Route(self.base_path + path, self._endpoint(handler), methods=[method])
            for method, path, handler in table
        ]

    def _endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            token = request.headers.get("x-kanbantooltoken") or request.query_params.get(
                "api_token"
            )
            try:
                if token != self.token:
                    raise refused(self.auth_failure_status, "API token is invalid")
                params = await _params(request)
                return JSONResponse(await handler(params, **request.path_params))
            except Refusal as refusal:
                return refusal.response()

        return endpoint

    # ---- boards ----------------------------------------------------------------------

    async def _list_boards(self, params: Params) -> list[Json]:
        return [{"board": self._board(board)} for board in self.boards.values()]

    async def _get_board(self, params: Params, board_id: int) -> Json:
        board = _find(self.boards, board_id, "Board")
        return {
            "board": self._board(board)
            | {
                "swimlanes": self._swimlanes(board_id),
                "workflow_stages": sorted(
                    (s for s in self.workflow_stages.values() if s["board_id"] == board_id),
                    key=lambda s: (s["parent_id"] or 0, s["position"]),
                ),
                "card_types": [t for t in self.card_types.values() if t["board_id"] == board_id],
            }
        }

    async def _list_board_users(self, params: Params, board_id: int) -> list[Json]:
        board = _find(self.boards, board_id, "Board")
        # The API user first, then active users, then suspended ones (documented order).
        users = sorted(
            self.users.values(),
            key=lambda u: (u["id"] != self.current_user_id, u["is_suspended"], u["id"]),
        )
        return [
            {
                "shared_item_user": {
                    "id": board_id * 1000 + user["id"],
                    "user_id": user["id"],
                    "updated_at": board["created_at"],
                    **dict.fromkeys(_PERMISSIONS, True),
                    "user": user,
                }
            }
            for user in users
        ]

    def _board(self, board: Json) -> Json:
        return board | {"folder": self.folders[board["folder_id"]]}

    def _swimlanes(self, board_id: int) -> list[Json]:
        return sorted(
            (s for s in self.swimlanes.values() if s["board_id"] == board_id),
            key=lambda s: s["position"],
        )

    def _children(self, stage_id: int | None, board_id: int) -> list[Json]:
        return sorted(
            (
                s
                for s in self.workflow_stages.values()
                if s["board_id"] == board_id and s["parent_id"] == stage_id
            ),
            key=lambda s: s["position"],
        )

    def _leaf_stages(self, board_id: int) -> list[int]:
        """The stages tasks can sit in, left to right."""

        def walk(parent: int | None) -> Iterable[int]:
            for stage in self._children(parent, board_id):
                children = self._children(stage["id"], board_id)
                yield from walk(stage["id"]) if children else (stage["id"],)

        return list(walk(None))

    def _ancestry(self, stage_id: int) -> list[Json]:
        """The stage and every stage above it."""
        chain = []
        stage: Json | None = self.workflow_stages[stage_id]
        while stage is not None:
            chain.append(stage)
            stage = self.workflow_stages.get(stage["parent_id"]) if stage["parent_id"] else None
        return chain

    # ---- tasks -------------------------------------------------------------------------

    async def _list_tasks(self, params: Params, board_id: int) -> list[Json]:
        _find(self.boards, board_id, "Board")
        archived = _flag(params, "archived") is True
        swimlane_id = _integer(params, "swimlane_id")
        stage_id = _integer(params, "workflow_stage_id")
        tasks = [
            t
            for t in self.tasks.values()
            if t["board_id"] == board_id
            and (t["archived_at"] is not None) == archived
            and swimlane_id in (None, t["swimlane_id"])
            and stage_id in (None, t["workflow_stage_id"])
        ]
        if archived:
            tasks.sort(key=lambda t: (t["archived_at"], t["id"]), reverse=True)
        if not any(name in params for name in _PAGINATING):
            return [{"task": self._task(t)} for t in tasks]
        page = _integer(params, "page")
        page = 1 if page is None else page
        per_page = _integer(params, "per_page")
        per_page = DEFAULT_PER_PAGE if per_page is None else min(per_page, MAX_PER_PAGE)
        if page < 1 or per_page < 1:
            raise refused(400, "page and per_page must be 1 or more")
        total_pages = math.ceil(len(tasks) / per_page)
        shown = tasks[(page - 1) * per_page : page * per_page]
        pagination = {
            "page": page,
            "total_pages": total_pages,
            "total_entries": len(tasks),
            "previous_page": page - 1 if page > 1 else None,
            "next_page": page + 1 if page < total_pages else None,
        }
        return [{"task": self._task(t)} for t in shown] + [{"pagination": pagination}]

    async def _get_task(self, params: Params, board_id: int, task_id: int) -> Json:
        return {"task": self._task_detail(self._find_task(board_id, task_id))}

    async def _create_task(self, params: Params, board_id: int) -> Json:
        _find(self.boards, board_id, "Board")
        fields = self._task_fields(params, board_id)
        if "name" not in fields:
            raise refused(400, "Name cannot be blank")
        swimlane_id = _integer(params, "task[swimlane_id]") or self._swimlanes(board_id)[0]["id"]
        stage_id = _integer(params, "task[workflow_stage_id]") or self._leaf_stages(board_id)[0]
        if self.swimlanes.get(swimlane_id, {}).get("board_id") != board_id:
            raise refused(400, "Swimlane is invalid")
        if stage_id not in self._leaf_stages(board_id):
            raise refused(400, "Workflow stage is invalid")
        task = self._add_task(
            board_id, fields.pop("name"), stage_id=stage_id, swimlane_id=swimlane_id
        )
        task.update(fields, created_at=stamp(), updated_at=stamp())  # made now, not seeded
        self._log(task, "created", f"{self._initials()} added task {task['name']} to the board")
        return {"task": self._task_detail(task)}

    async def _update_task(self, params: Params, board_id: int, task_id: int) -> Json:
        task = self._find_task(board_id, task_id)
        # swimlane_id, workflow_stage_id and position have no effect here (documented).
        task.update(self._task_fields(params, board_id), updated_at=stamp())
        self._log(task, "updated", f"{self._initials()} updated task {task['name']}")
        return {"task": self._task_detail(task)}

    async def _delete_task(self, params: Params, board_id: int, task_id: int) -> Json:
        task = self._find_task(board_id, task_id)
        if task["archived_at"] is not None:
            raise refused(400, "Task is archived, please unarchive it first")
        answer = {"task": self._task_detail(task)}
        del self.tasks[task_id]
        for table in (self.subtasks, self.comments):
            for key in [k for k, row in table.items() if row["task_id"] == task_id]:
                del table[key]
        self._renumber(task)
        return answer

    async def _move_task(self, params: Params, board_id: int, task_id: int) -> Json:
        task = self._find_task(board_id, task_id)
        if task["archived_at"] is not None:
            raise refused(422, "Task is archived, please unarchive it first")
        override = params.get("override") or None
        direction = params.get("direction")
        if direction in ("up", "down"):
            self._reposition(task, -1 if direction == "up" else 1)
        else:
            stage_id, swimlane_id = self._move_target(task, params, direction)
            if stage_id != task["workflow_stage_id"] and not override:
                self._check_wip(task, stage_id)
            if (stage_id, swimlane_id) != (task["workflow_stage_id"], task["swimlane_id"]):
                old = dict(task)
                task.update(
                    workflow_stage_id=stage_id,
                    swimlane_id=swimlane_id,
                    position=len(self._cell(board_id, stage_id, swimlane_id)) + 1,
                )
                self._renumber(old)
        task["updated_at"] = stamp()
        target = self.workflow_stages[task["workflow_stage_id"]]["name"]
        note = f" (WIP limit overridden: {override})" if override else ""
        self._log(task, "moved", f"{self._initials()} moved task {task['name']} to {target}{note}")
        return {"task": self._task_detail(task)}

    async def _archive_task(self, params: Params, board_id: int, task_id: int) -> Json:
        task = self._find_task(board_id, task_id)
        if task["archived_at"] is not None:
            raise refused(422, "Task is already archived")
        if task["workflow_stage_id"] != self._leaf_stages(board_id)[-1]:
            raise refused(422, "Task is not ready to be archived")
        task.update(archived_at=stamp(), updated_at=stamp())
        self._renumber(task)
        self._log(task, "archived", f"{self._initials()} archived task {task['name']}")
        return {"task": self._task_detail(task)}

    async def _unarchive_task(self, params: Params, board_id: int, task_id: int) -> Json:
        task = self._find_task(board_id, task_id)
        if task["archived_at"] is None:
            raise refused(422, "Task is not archived")
        cell = self._cell(board_id, task["workflow_stage_id"], task["swimlane_id"])
        task.update(archived_at=None, updated_at=stamp(), position=len(cell) + 1)
        self._log(task, "unarchived", f"{self._initials()} unarchived task {task['name']}")
        return {"task": self._task_detail(task)}

    def _task_fields(self, params: Params, board_id: int) -> Json:
        """task[...] parameters of a create or update, all checked before any is applied."""
        fields: Json = {}
        problems: list[str] = []
        if "task[name]" in params:
            name = str(params["task[name]"] or "").strip()
            if name:
                fields["name"] = name
            else:
                problems.append("Name cannot be blank")
        for name in (
            "description",
            "external_link",
            "tags",
            *(f"custom_field_{n}" for n in range(1, 11)),
        ):
            if f"task[{name}]" in params:
                fields[name] = params[f"task[{name}]"]
        if "task[size_estimate]" in params:
            try:
                fields["size_estimate"] = str(float(params["task[size_estimate]"]))
            except (TypeError, ValueError):
                problems.append("Size estimate must be numeric")
        if "task[due_date]" in params:
            fields["due_date"] = params["task[due_date]"] or None
            if fields["due_date"] and not _is_date(fields["due_date"]):
                problems.append("Due date must be in YYYY-MM-DD format")
        for name, known, what in (
            ("priority", None, "Priority must be numeric"),
            ("card_type_id", self._board_card_types(board_id), "Card type is invalid"),
            ("assigned_user_id", set(self.users), "Assigned user is invalid"),
        ):
            if f"task[{name}]" not in params:
                continue
            raw = params[f"task[{name}]"]
            value = _as_int(raw)
            if raw in (None, "") and name == "assigned_user_id":
                fields[name] = None
            elif value is None or (known is not None and value not in known):
                problems.append(what)
            else:
                fields[name] = value
        if problems:
            raise refused(400, ", ".join(problems))
        return fields

    def _move_target(self, task: Json, params: Params, direction: str | None) -> tuple[int, int]:
        """The stage and swimlane a move asks for, checked."""
        stage_id, swimlane_id = task["workflow_stage_id"], task["swimlane_id"]
        board_id = task["board_id"]
        if direction in ("prev_stage", "next_stage"):
            stage_id = self._neighbour(
                self._leaf_stages(board_id), stage_id, direction == "next_stage"
            )
        elif direction in ("prev_swimlane", "next_swimlane"):
            lanes = [lane["id"] for lane in self._swimlanes(board_id)]
            swimlane_id = self._neighbour(lanes, swimlane_id, direction == "next_swimlane")
        elif direction is not None:
            raise refused(422, f"Unknown direction: {direction}")
        else:
            stage_id = _integer(params, "workflow_stage_id") or stage_id
            swimlane_id = _integer(params, "swimlane_id") or swimlane_id
            if stage_id not in self._leaf_stages(board_id):
                raise refused(422, "Workflow stage is invalid")
            if self.swimlanes.get(swimlane_id, {}).get("board_id") != board_id:
                raise refused(422, "Swimlane is invalid")
        return stage_id, swimlane_id

    def _neighbour(self, order: list[int], current: int, forward: bool) -> int:
        index = order.index(current) + (1 if forward else -1)
        if not 0 <= index < len(order):
            raise refused(422, "Task cannot be moved any further in that direction")
        return order[index]

    def _reposition(self, task: Json, step: int) -> None:
        """Swap a task with its neighbour above (-1) or below (+1) in its cell."""
        cell = self._cell(task["board_id"], task["workflow_stage_id"], task["swimlane_id"])
        index = cell.index(task) + step
        if not 0 <= index < len(cell):
            raise refused(422, "Task cannot be moved any further in that direction")
        other = cell[index]
        task["position"], other["position"] = other["position"], task["position"]

    def _check_wip(self, task: Json, stage_id: int) -> None:
        """409 when the target stage, or a stage above it, is full (the moving task not
        counted when it is already under that stage)."""
        for stage in self._ancestry(stage_id):
            if stage["limit"] is None:
                continue
            subtree = self._subtree(stage["id"])
            if task["workflow_stage_id"] in subtree:
                continue
            occupied = sum(
                1
                for t in self.tasks.values()
                if t["workflow_stage_id"] in subtree and t["archived_at"] is None
            )
            if occupied >= stage["limit"]:
                raise refused(
                    409, "WIP Limit exceeded for target column and override not specified"
                )

    def _subtree(self, stage_id: int) -> set[int]:
        stage = self.workflow_stages[stage_id]
        below = {stage_id}
        for child in self._children(stage_id, stage["board_id"]):
            below |= self._subtree(child["id"])
        return below

    def _cell(self, board_id: int, stage_id: int, swimlane_id: int) -> list[Json]:
        """The active tasks of one stage and swimlane, top to bottom."""
        return sorted(
            (
                t
                for t in self.tasks.values()
                if t["board_id"] == board_id
                and t["workflow_stage_id"] == stage_id
                and t["swimlane_id"] == swimlane_id
                and t["archived_at"] is None
            ),
            key=lambda t: t["position"],
        )

    def _renumber(self, where: Json) -> None:
        """Close the gap a task left in the cell it was in (`where` holds its old place)."""
        cell = self._cell(where["board_id"], where["workflow_stage_id"], where["swimlane_id"])
        for position, task in enumerate(cell, start=1):
            task["position"] = position

    def _find_task(self, board_id: int, task_id: int) -> Json:
        _find(self.boards, board_id, "Board")
        task = self.tasks.get(task_id)
        if task is None or task["board_id"] != board_id:
            raise refused(404, "Task not found")
        return task

    def _board_card_types(self, board_id: int) -> set[int]:
        return {t["id"] for t in self.card_types.values() if t["board_id"] == board_id}

    # ---- task serialisation -----------------------------------------------------------------

    def _task(self, task: Json) -> Json:
        """A task as the lists show it (no board_id, as in the samples)."""
        subtasks = [s for s in self.subtasks.values() if s["task_id"] == task["id"]]
        shown = {key: value for key, value in task.items() if key != "board_id"} | {
            "comments_count": sum(1 for c in self.comments.values() if c["task_id"] == task["id"]),
            "subtasks_count": len(subtasks),
            "subtasks_completed_count": sum(1 for s in subtasks if s["is_completed"]),
        }
        if task["assigned_user_id"] is not None:
            shown["assigned_user"] = self._person(task["assigned_user_id"])
        return shown

    def _task_detail(self, task: Json) -> Json:
        return self._task(task) | {
            "comments": [
                self._comment(c) | {"user": self._person(c["user_id"])}
                for c in self._task_comments(task)
            ],
            "changelogs": [
                {key: value for key, value in log.items() if key not in ("task_id", "board_id")}
                for log in self.changelogs.values()
                if log["task_id"] == task["id"]
            ],
            "subtasks": [self._subtask_detail(s) for s in self._task_subtasks(task)],
        }

    def _person(self, user_id: int | None) -> Json | None:
        user = self.users.get(user_id) if user_id is not None else None
        return {"initials": user["initials"], "name": user["name"]} if user else None

    def _initials(self) -> str:
        return self.users[self.current_user_id]["initials"]

    def _log(self, task: Json, what: str, description: str) -> None:
        log_id = next(self._ids)
        self.changelogs[log_id] = {
            "id": log_id,
            "created_at": stamp(),
            "description": description,
            "swimlane_id": task["swimlane_id"],
            "user_id": self.current_user_id,
            "what": what,
            "workflow_stage_id": task["workflow_stage_id"],
            "task_id": task["id"],
            "board_id": task["board_id"],
        }
        self.boards[task["board_id"]]["version"] += 1

    # ---- subtasks ------------------------------------------------------------------------------

    async def _list_subtasks(self, params: Params, board_id: int, task_id: int) -> list[Json]:
        return self._task_subtasks(self._find_task(board_id, task_id))

    async def _get_subtask(
        self, params: Params, board_id: int, task_id: int, subtask_id: int
    ) -> Json:
        return self._find_subtask(board_id, task_id, subtask_id)

    async def _create_subtask(self, params: Params, board_id: int, task_id: int) -> Json:
        task = self._find_task(board_id, task_id)
        name = str(params.get("subtask[name]") or "").strip()
        if not name:
            raise refused(422, "Name can't be blank")
        subtask = self._add_subtask(task, name)
        self._apply_subtask_fields(subtask, params)
        return subtask

    async def _update_subtask(
        self, params: Params, board_id: int, task_id: int, subtask_id: int
    ) -> Json:
        subtask = self._find_subtask(board_id, task_id, subtask_id)
        if "subtask[name]" in params:
            name = str(params["subtask[name]"] or "").strip()
            if not name:
                raise refused(422, "Name can't be blank")
            subtask["name"] = name
        self._apply_subtask_fields(subtask, params)
        subtask["updated_at"] = stamp()
        return subtask

    async def _delete_subtask(
        self, params: Params, board_id: int, task_id: int, subtask_id: int
    ) -> Json:
        subtask = self._find_subtask(board_id, task_id, subtask_id)
        del self.subtasks[subtask_id]
        return subtask

    async def _reorder_subtasks(self, params: Params, board_id: int, task_id: int) -> list[Json]:
        subtasks = self._task_subtasks(self._find_task(board_id, task_id))
        order = [
            _as_int(part) for part in str(params.get("order") or "").split(",") if part.strip()
        ]
        if sorted(order, key=str) != sorted((s["id"] for s in subtasks), key=str):
            raise refused(422, "Not all subtasks have been included in the list.")
        for position, subtask_id in enumerate(order, start=1):
            self.subtasks[subtask_id]["position"] = position
        return self._task_subtasks(self.tasks[task_id])

    def _apply_subtask_fields(self, subtask: Json, params: Params) -> None:
        completed = _flag(params, "subtask[is_completed]")
        if completed is not None:
            subtask["is_completed"] = completed
        if "subtask[assigned_user_id]" in params:
            user_id = _integer(params, "subtask[assigned_user_id]")
            if user_id is not None and user_id not in self.users:
                raise refused(422, "Assigned user is invalid")
            subtask["assigned_user_id"] = user_id

    def _task_subtasks(self, task: Json) -> list[Json]:
        return sorted(
            (s for s in self.subtasks.values() if s["task_id"] == task["id"]),
            key=lambda s: s["position"],
        )

    def _find_subtask(self, board_id: int, task_id: int, subtask_id: int) -> Json:
        self._find_task(board_id, task_id)
        subtask = self.subtasks.get(subtask_id)
        if subtask is None or subtask["task_id"] != task_id:
            raise refused(404, "Subtask not found")
        return subtask

    def _subtask_detail(self, subtask: Json) -> Json:
        detail = dict(subtask)
        if subtask["assigned_user_id"] is not None:
            detail["assigned_user"] = self._person(subtask["assigned_user_id"])
        return detail

    # ---- comments ------------------------------------------------------------------------------

    async def _list_comments(self, params: Params, board_id: int, task_id: int) -> list[Json]:
        return [self._comment(c) for c in self._task_comments(self._find_task(board_id, task_id))]

    async def _get_comment(
        self, params: Params, board_id: int, task_id: int, comment_id: int
    ) -> Json:
        return self._comment(self._find_comment(board_id, task_id, comment_id))

    async def _create_comment(self, params: Params, board_id: int, task_id: int) -> Json:
        task = self._find_task(board_id, task_id)
        content = str(params.get("comment[content]") or "").strip()
        if not content:
            raise refused(422, "Content can't be blank")
        comment = self._add_comment(task, content)
        self._log(
            task,
            "comment_added",
            f"{self._initials()} has commented on task '{task['name']}': {content}",
        )
        return self._comment(comment)

    async def _delete_comment(
        self, params: Params, board_id: int, task_id: int, comment_id: int
    ) -> Json:
        comment = self._find_comment(board_id, task_id, comment_id)
        task = self.tasks[task_id]
        if (
            comment is not self._task_comments(task)[-1]
            or comment["user_id"] != self.current_user_id
        ):
            raise refused(422, _UNDELETABLE_COMMENT)
        del self.comments[comment_id]
        self._log(task, "comment_deleted", f"{self._initials()} has deleted recent comment")
        return self._comment(comment)

    def _task_comments(self, task: Json) -> list[Json]:
        return [c for c in self.comments.values() if c["task_id"] == task["id"]]

    def _find_comment(self, board_id: int, task_id: int, comment_id: int) -> Json:
        self._find_task(board_id, task_id)
        comment = self.comments.get(comment_id)
        if comment is None or comment["task_id"] != task_id:
            raise refused(404, "Comment not found")
        return comment

    def _comment(self, comment: Json) -> Json:
        return {key: value for key, value in comment.items() if key != "task_id"}

    # ---- time trackers -----------------------------------------------------------------------

    async def _list_time_trackers(self, params: Params) -> list[Json]:
        task_id = _integer(params, "task_id")
        active = _flag(params, "active")
        listed = _flag(params, "listed")
        trackers = [
            t
            for t in self.time_trackers.values()
            if t["user_id"] == self.current_user_id
            and task_id in (None, t["task_id"])
            and (active is None or (t["ended_at"] is None) == active)
            and (not listed or t["listed"])
        ]
        expand = _flag(params, "expand") is True
        return [self._tracker(t) | (self._tracker_context(t) if expand else {}) for t in trackers]

    async def _create_time_tracker(self, params: Params) -> Json:
        board_id = _integer(params, "time_tracker[board_id]")
        task_id = _integer(params, "time_tracker[task_id]")
        task = self.tasks.get(task_id) if task_id is not None else None
        if task is None or task["board_id"] != board_id:
            raise refused(422, "Task can't be blank and must be on the given board")
        started_at = _moment(params, "time_tracker[started_at]") or datetime.now(UTC)
        ended_at = _moment(params, "time_tracker[ended_at]")
        _check_span(started_at, ended_at)
        if ended_at is None:
            for running in self.time_trackers.values():
                if running["user_id"] == self.current_user_id and running["ended_at"] is None:
                    running.update(
                        ended_at=stamp(max(started_at, _parse(running["started_at"]))),
                        updated_at=stamp(),
                    )
        return self._tracker(self._add_tracker(task, started_at, ended_at))

    async def _update_time_tracker(self, params: Params, tracker_id: int) -> Json:
        tracker = _find(self.time_trackers, tracker_id, "Time tracker")
        started_at = _moment(params, "time_tracker[started_at]") or _parse(tracker["started_at"])
        ended_at = _moment(params, "time_tracker[ended_at]")
        if "time_tracker[ended_at]" not in params and tracker["ended_at"]:
            ended_at = _parse(tracker["ended_at"])
        _check_span(started_at, ended_at)
        tracker.update(
            started_at=stamp(started_at),
            ended_at=stamp(ended_at) if ended_at else None,
            updated_at=stamp(),
        )
        return self._tracker(tracker)

    async def _delete_time_tracker(self, params: Params, tracker_id: int) -> Json | None:
        tracker = _find(self.time_trackers, tracker_id, "Time tracker")
        del self.time_trackers[tracker_id]
        earlier = [t for t in self._same_timer(tracker) if t["started_at"] < tracker["started_at"]]
        return self._tracker(max(earlier, key=lambda t: t["started_at"])) if earlier else None

    def _same_timer(self, tracker: Json) -> list[Json]:
        return [
            t
            for t in self.time_trackers.values()
            if t["user_id"] == tracker["user_id"]
            and t["task_id"] == tracker["task_id"]
            and t is not tracker
        ]

    def _tracker(self, tracker: Json) -> Json:
        resumed = sum(
            _seconds(t)
            for t in self._same_timer(tracker)
            if t["ended_at"] and t["started_at"] < tracker["started_at"]
        )
        return tracker | {"seconds_from_resumed_sprint": resumed}

    def _tracker_context(self, tracker: Json) -> Json:
        task = self.tasks.get(tracker["task_id"])
        if task is None:
            return {"task": None, "workflow_stage": None, "card_type": None}
        stage = self.workflow_stages[task["workflow_stage_id"]]
        card_type = self.card_types.get(task["card_type_id"])
        return {
            "task": {"id": task["id"], "name": task["name"]},
            "workflow_stage": {"id": stage["id"], "name": stage["name"]},
            "card_type": card_type and {k: card_type[k] for k in ("id", "name", "color_ref")},
        }

    # ---- time report --------------------------------------------------------------------------

    async def _time_report(self, params: Params) -> Json:
        """The time spent in finished trackers, grouped.

        Shape: {"report_type", "from", "to", "group_by": [...], "total_seconds", "data"}.
        `data` nests one level per group_by attribute, keyed by the group's value as a
        string (or, with expand=1, a JSON-serialised {"id", "name"}); its leaves are
        seconds for a summary report, lists of time trackers for a detailed one.
        With include_filter_options=1, "filter_options" lists the board, task, user and
        card type ids found in the timeframe.
        """
        report_type = params.get("report_type") or "summary"
        if report_type not in ("summary", "detailed"):
            raise refused(422, "report_type must be summary or detailed")
        group_by = [g for g in str(params.get("group_by") or "").split(",") if g]
        if unknown := set(group_by) - set(_REPORT_GROUPS):
            raise refused(422, f"Cannot group by {', '.join(sorted(unknown))}")
        start = _moment(params, "from")
        end = _moment(params, "to", end_of_day=True)
        in_frame = [
            t
            for t in self.time_trackers.values()
            if t["ended_at"] is not None
            and (start is None or _parse(t["started_at"]) >= start)
            and (end is None or _parse(t["started_at"]) <= end)
        ]
        chosen = [t for t in in_frame if self._report_filters(params)(t)]
        report: Json = {
            "report_type": report_type,
            "from": stamp(start) if start else None,
            "to": stamp(end) if end else None,
            "group_by": group_by,
            "total_seconds": sum(_seconds(t) for t in chosen),
            "data": self._report_data(
                chosen, group_by, report_type, _flag(params, "expand") is True
            ),
        }
        if _flag(params, "include_filter_options"):
            report["filter_options"] = {
                "board_id": sorted({t["board_id"] for t in in_frame}),
                "task_id": sorted({t["task_id"] for t in in_frame}),
                "user_id": sorted({t["user_id"] for t in in_frame}),
                "tasks.card_type_id": sorted(
                    {self._tracker_card_type(t) for t in in_frame} - {None}
                ),
            }
        return report

    def _report_filters(self, params: Params) -> Callable[[Json], bool]:
        wanted = {name: _id_list(params, name) for name in ("board_id", "user_id", "task_id")}
        card_types = _id_list(params, "tasks.card_type_id")
        tags = {t.strip() for t in str(params.get("tasks.tags") or "").split(",") if t.strip()}

        def keep(tracker: Json) -> bool:
            task = self.tasks.get(tracker["task_id"])
            task_tags = {t.strip() for t in (task or {}).get("tags", "").split(",") if t.strip()}
            return (
                all(not ids or tracker[name] in ids for name, ids in wanted.items())
                and (not card_types or self._tracker_card_type(tracker) in card_types)
                and (not tags or bool(tags & task_tags))
            )

        return keep

    def _report_data(
        self, trackers: list[Json], group_by: list[str], report_type: str, expand: bool
    ) -> Any:
        if not group_by:
            if report_type == "summary":
                return sum(_seconds(t) for t in trackers)
            return [self._tracker(t) for t in trackers]
        attribute, rest = group_by[0], group_by[1:]
        groups: dict[Any, list[Json]] = {}
        for tracker in trackers:
            groups.setdefault(tracker.get(attribute), []).append(tracker)
        return {
            self._report_key(attribute, value, expand): self._report_data(
                members, rest, report_type, expand
            )
            for value, members in groups.items()
        }

    def _report_key(self, attribute: str, value: Any, expand: bool) -> str:
        if not expand:
            return json.dumps(value) if value is None else str(value)
        names = {"board_id": self.boards, "task_id": self.tasks, "user_id": self.users}
        row = names.get(attribute, {}).get(value)
        return json.dumps({"id": value, "name": row["name"] if row else None})

    def _tracker_card_type(self, tracker: Json) -> int | None:
        task = self.tasks.get(tracker["task_id"])
        return task["card_type_id"] if task else None

    # ---- building state -----------------------------------------------------------------------

    def _add_user(self, name: str, initials: str, *, suspended: bool = False) -> int:
        user_id = next(self._ids)
        self.users[user_id] = {
            "id": user_id,
            "initials": initials,
            "is_suspended": suspended,
            "name": name,
        }
        return user_id

    def _add_board(self, name: str) -> int:
        if not self.folders:
            folder_id = next(self._ids)
            self.folders[folder_id] = {
                "id": folder_id,
                "name": "Projects",
                "description": "",
                "position": 1,
                "created_at": stamp(_SEED_TIME),
            }
        board_id = next(self._ids)
        self.boards[board_id] = {
            "id": board_id,
            "name": name,
            "description": "",
            "folder_id": next(iter(self.folders)),
            "position": len(self.boards) + 1,
            "version": 1,
            "created_at": stamp(_SEED_TIME),
            "last_activity_on": _SEED_TIME.date().isoformat(),
        }
        return board_id

    def _add_swimlane(self, board_id: int, name: str) -> int:
        lane_id = next(self._ids)
        position = len(self._swimlanes(board_id)) + 1
        self.swimlanes[lane_id] = {
            "board_id": board_id,
            "id": lane_id,
            "limit": None,
            "name": name,
            "position": position,
        }
        return lane_id

    def _add_stage(
        self,
        board_id: int,
        name: str,
        *,
        parent_id: int | None = None,
        limit: int | None = None,
        width: int = 1,
    ) -> int:
        stage_id = next(self._ids)
        self.workflow_stages[stage_id] = {
            "board_id": board_id,
            "id": stage_id,
            "lane_width": width,
            "limit": limit,
            "name": name,
            "parent_id": parent_id,
            "position": len(self._children(parent_id, board_id)) + 1,
        }
        return stage_id

    def _add_card_type(self, board_id: int, name: str, color: str, *, default: bool = False) -> int:
        type_id = next(self._ids)
        self.card_types[type_id] = {
            "board_id": board_id,
            "color_ref": color,
            "id": type_id,
            "is_default": default,
            "is_disabled": False,
            "name": name,
            "position": len(self._board_card_types(board_id)) + 1,
        }
        return type_id

    def _add_task(
        self,
        board_id: int,
        name: str,
        *,
        stage_id: int,
        swimlane_id: int,
        card_type_id: int | None = None,
    ) -> Json:
        task_id = next(self._ids)
        created = stamp(_SEED_TIME)
        default_type = next(
            (
                t["id"]
                for t in self.card_types.values()
                if t["board_id"] == board_id and t["is_default"]
            ),
            None,
        )
        task = {
            "archived_at": None,
            "assigned_user_id": None,
            "card_type_id": card_type_id or default_type,
            "created_at": created,
            **{f"custom_field_{n}": None for n in range(1, 11)},
            "description": "",
            "due_date": None,
            "external_link": None,
            "id": task_id,
            "name": name,
            "position": len(self._cell(board_id, stage_id, swimlane_id)) + 1,
            "priority": 0,
            "size_estimate": "1.0",
            "swimlane_id": swimlane_id,
            "tags": "",
            "updated_at": created,
            "workflow_stage_id": stage_id,
            "board_id": board_id,
        }
        self.tasks[task_id] = task
        return task

    def _add_subtask(self, task: Json, name: str) -> Json:
        subtask_id = next(self._ids)
        now = stamp()
        subtask = {
            "id": subtask_id,
            "name": name,
            "position": len(self._task_subtasks(task)) + 1,
            "task_id": task["id"],
            "created_at": now,
            "is_completed": False,
            "updated_at": now,
            "assigned_user_id": None,
        }
        self.subtasks[subtask_id] = subtask
        return subtask

    def _add_comment(self, task: Json, content: str, *, user_id: int | None = None) -> Json:
        comment_id = next(self._ids)
        now = stamp()
        comment = {
            "id": comment_id,
            "created_at": now,
            "updated_at": now,
            "user_id": user_id or self.current_user_id,
            "content": content,
            "task_id": task["id"],
        }
        self.comments[comment_id] = comment
        return comment

    def _add_tracker(self, task: Json, started_at: datetime, ended_at: datetime | None) -> Json:
        tracker_id = next(self._ids)
        now = stamp()
        tracker = {
            "id": tracker_id,
            "user_id": self.current_user_id,
            "board_id": task["board_id"],
            "task_id": task["id"],
            "listed": True,
            "started_at": stamp(started_at),
            "ended_at": stamp(ended_at) if ended_at else None,
            "created_at": now,
            "updated_at": now,
        }
        self.time_trackers[tracker_id] = tracker
        return tracker

    def _seed(self) -> None:
        bernard = self._add_user("Bernard Zent", "BZ")
        self._add_user("Adam Lee", "AL", suspended=True)
        board = self._add_board("Product development")
        features = self._add_swimlane(board, "Features")
        bugs = self._add_swimlane(board, "Bugs")
        backlog = self._add_stage(board, "Backlog")
        in_progress = self._add_stage(board, "In progress", width=2)
        doing = self._add_stage(board, "Doing", parent_id=in_progress, limit=2)
        review = self._add_stage(board, "Review", parent_id=in_progress)
        done = self._add_stage(board, "Done")
        self._add_card_type(board, "Feature", "yellow", default=True)
        bug = self._add_card_type(board, "Bug", "red")
        chore = self._add_card_type(board, "Chore", "blue")

        def task(
            name: str, stage: int, lane: int = features, *, kind: int | None = None, tags: str = ""
        ) -> Json:
            made = self._add_task(board, name, stage_id=stage, swimlane_id=lane, card_type_id=kind)
            made["tags"] = tags
            self._log(made, "created", f"AM added task {name} to the board")
            return made

        task("Design login screen", backlog, tags="frontend")
        task("Dark theme", backlog, tags="frontend")
        task("Typo in settings", backlog, bugs, kind=bug)
        task("Export time as CSV", backlog, kind=chore)
        client = task("Write API client", doing, tags="backend")
        client.update(assigned_user_id=bernard, description="Cover boards, tasks and timers.")
        for n, name in enumerate(("Boards", "Tasks", "Timers")):
            self._add_subtask(client, name)["is_completed"] = n == 0
        task("Fix crash on empty board", doing, bugs, kind=bug, tags="backend,urgent")
        pagination = task("Review pagination", review, tags="backend")
        self._add_comment(pagination, "Pages look right to me.", user_id=bernard)
        self._add_comment(pagination, "Merging after one more test.")
        task("Keyboard shortcuts help", review, tags="frontend")
        task("Set up CI", done, tags="backend")
        task("Release notes", done)
        old = task("Old prototype", done)
        old["archived_at"] = stamp(_SEED_TIME + timedelta(days=1))
        self._renumber(old)
        self._add_tracker(client, _SEED_TIME, _SEED_TIME + timedelta(minutes=90))


_PERMISSIONS = (
    "can_create_tasks",
    "can_delete_tasks",
    "can_move_tasks",
    "can_read_tasks",
    "can_update_tasks",
)


# ---- request parsing ------------------------------------------------------------------------


async def _params(request: Request) -> Params:
    """Query parameters and the body's, the body winning, as Rails merges them."""
    params: Params = dict(request.query_params)
    raw = await request.body()
    content_type = request.headers.get("content-type", "")
    if not raw:
        return params
    if content_type.startswith("application/json"):
        try:
            body = json.loads(raw)
        except ValueError:
            raise refused(400, "Request body is not valid JSON") from None
        if not isinstance(body, dict):
            raise refused(400, "Request body must be a JSON object")
        params.update(_flatten(body))
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        params.update((field.name, field.text) for field in await read_form(request))
    return params


def _flatten(body: Json, prefix: str = "") -> Params:
    """{"task": {"name": "x"}} -> {"task[name]": "x"}: JSON bodies read like form ones."""
    flat: Params = {}
    for key, value in body.items():
        name = f"{prefix}[{key}]" if prefix else key
        if isinstance(value, dict):
            flat.update(_flatten(value, name))
        else:
            flat[name] = value
    return flat


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def _integer(params: Params, name: str) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    value = _as_int(raw)
    if value is None:
        raise refused(400, f"{name} must be a number")
    return value


def _flag(params: Params, name: str) -> bool | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, bool):
        return raw
    return str(raw).lower() in ("1", "true", "yes")


def _id_list(params: Params, name: str) -> set[int]:
    raw = str(params.get(name) or "")
    ids = {_as_int(part) for part in raw.split(",") if part.strip()}
    if None in ids:
        raise refused(400, f"{name} must be a comma-separated list of ids")
    return ids  # type: ignore[return-value]


def _is_date(value: Any) -> bool:
    try:
        date.fromisoformat(str(value))
    except ValueError:
        return False
    return True


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _moment(params: Params, name: str, *, end_of_day: bool = False) -> datetime | None:
    """A date or datetime parameter; a bare date means its start (or end) of day, UTC."""
    raw = params.get(name)
    if raw in (None, ""):
        return None
    text = str(raw)
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day, time.max if end_of_day else time.min, tzinfo=UTC)
        return _parse(text)
    except ValueError:
        raise refused(422, f"{name} is not a valid date or time") from None


def _check_span(started_at: datetime, ended_at: datetime | None) -> None:
    if ended_at is not None and ended_at < started_at:
        raise refused(422, "Ended at must be after started at")


def _seconds(tracker: Json) -> int:
    return int((_parse(tracker["ended_at"]) - _parse(tracker["started_at"])).total_seconds())


def _find(table: dict[int, Json], key: int, what: str) -> Json:
    found = table.get(key)
    if found is None:
        raise refused(404, f"{what} not found")
    return found


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Unknown paths (the .xml forms among them) answer in the API's error shape."""
    return refused(exc.status_code, exc.detail).response()
