"""A fake of Kanbert's task API v1, written from shared/api/kanbert-v1.txt.

Tasks are the only resource the docs give; projects, clients and users reach a client
inside tasks (`include=project,client,watchers`). Lists are cursor pages
(`page[size]`, `page[cursor]`, `meta.next_cursor`), filtered by the filter DSL (a
readable string or JSON) and ordered by `sort`. The docs show no error bodies; the
shapes they do show (`meta.path`, `next_cursor_url`, Spatie-style `include`/`sort`)
are Laravel's, so errors are Laravel's too: `{"message"}`, and for invalid input 422
`{"message", "errors": {field: [...]}}`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

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

TASK_STATUSES = ("Backlog", "New", "WIP", "Completed", "Approved", "Closed")
"""The TaskStatus enum in workflow order ("In Todo" = New, "In progress" = WIP)."""
PROJECT_STATUSES = ("running", "closed")
USER_TYPES = ("user", "guest", "tax_advisor", "integration")
READ, WRITE, CLIENT_WRITE = "task-management:read", "task-management:write", "client:write"
ALL_SCOPES = frozenset({READ, WRITE, CLIENT_WRITE})
INCLUDES = ("project", "watchers", "client", "parent_task", "sub_tasks")
SORTS = ("title", "uri", "status", "updated_at", "created_at", "due_date")
DEFAULT_PAGE_SIZE = 30
MAX_PAGE_SIZE = 100
ONE_TASK = frozenset({"sub_tasks"})
"""What an answer about one task carries: the single-task paths take no `include`
(the docs list none) and their examples show the sub-tasks."""
"""Not documented; Laravel APIs commonly cap pages at 100."""
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
EPOCH = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)

Handler = Callable[[Request], Awaitable[Response]]


# --- the filter DSL ---------------------------------------------------------------------
#
# `field op value`, joined by `and` / `or` and grouped with parentheses; operators by
# name (case-insensitive) or symbol; `in` lists in [...] or (...); `is [not] null`.
# Or JSON: a list of conditions (all must hold), {"and": [...]}, {"or": [...]}, and
# {"field", "op", "value"}. Unknown fields, operators a field does not allow, and bad
# values are 400 (the docs' Filtering section says so). Relation filters on `sub_tasks`
# (any/all/none/count) and the form-encoded filter[0][field] variant are not faked.

OP_NAMES = {
    "eq": "eq", "=": "eq", "==": "eq",
    "ne": "ne", "neq": "ne", "!=": "ne", "<>": "ne",
    "lt": "lt", "<": "lt", "lte": "lte", "le": "lte", "<=": "lte",
    "gt": "gt", ">": "gt", "gte": "gte", "ge": "gte", ">=": "gte",
    "contains": "contains", "like": "like", "startswith": "startswith", "endswith": "endswith",
    "in": "in", "nin": "nin", "notin": "nin",
    "isnull": "isnull", "isnotnull": "isnotnull", "notnull": "isnotnull",
}  # fmt: skip
NULL_OPS = {"isnull", "isnotnull"}
STRING_OPS = {"eq", "ne", "in", "nin", "contains", "like", "startswith", "endswith"} | NULL_OPS
DATE_OPS = {"eq", "ne", "lt", "lte", "gt", "gte", "in", "nin"} | NULL_OPS
ID_OPS = {"eq", "ne", "in", "nin"} | NULL_OPS
TASK_STATUS_OPS = {"eq", "ne", "in", "nin"}


@dataclass(frozen=True)
class FieldSpec:
    kind: str
    """string, date, id or enum: how values are read and compared."""
    ops: frozenset[str]
    values: tuple[str, ...] = ()
    """An enum's allowed values."""


def _fields() -> dict[str, FieldSpec]:
    string, day, ident = (
        FieldSpec("string", STRING_OPS),
        FieldSpec("date", DATE_OPS),
        FieldSpec("id", ID_OPS),
    )
    task_status = FieldSpec("enum", frozenset(TASK_STATUS_OPS), TASK_STATUSES)
    return {
        "title": string, "uri": string, "due_date": day, "status": task_status,
        "sub_tasks_in_list": FieldSpec("enum", frozenset({"eq"}), ("with", "only", "without")),
        "project.id": ident, "project.external_id": string, "project.shortcode": string,
        "project.name": string, "project.status": FieldSpec("enum", ID_OPS, PROJECT_STATUSES),
        "client.id": ident, "client.external_id": string, "client.name": string,
        "client.shortcode": string,
        "assignee.id": ident, "assignee.email": string,
        "assignee.type": FieldSpec("enum", ID_OPS, USER_TYPES),
        "epic.id": ident, "epic.title": string,
        "phase.id": ident, "phase.title": string, "phase.po_number": string,
        "phase.start_date": day, "phase.end_date": day,
        "milestone.id": ident, "milestone.title": string, "milestone.po_number": string,
        "milestone.date": day,
        "parent_task.id": ident, "parent_task.title": string, "parent_task.uri": string,
        "parent_task.status": task_status,
    }  # fmt: skip


FIELDS = _fields()


@dataclass(frozen=True)
class FilterContext:
    """What the special values mean for this request."""

    today: date
    me_id: str


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object


@dataclass(frozen=True)
class Group:
    all: bool
    """True for `and`, False for `or`."""
    nodes: tuple[Condition | Group, ...]


Node = Condition | Group


class FilterError(ValueError):
    pass


TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
      | (?P<symbol>>=|<=|!=|<>|==|=|<|>|[()\[\],])
      | (?P<word>[^\s()\[\],"'=<>!]+)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Literal:
    text: str
    quoted: bool
    """Special values (`today`, `me.id`, ...) are only special unquoted."""


def parse_filter(source: str, context: FilterContext) -> Node:
    source = source.strip()
    if source.startswith(("[", "{")):
        try:
            data = json.loads(source)
        except json.JSONDecodeError:
            raise FilterError("The filter is not valid JSON") from None
        return _json_node(data, context)
    return _DslParser(source, context).parse()


def _json_node(data: object, context: FilterContext) -> Node:
    if isinstance(data, list):
        return Group(True, tuple(_json_node(item, context) for item in data))
    if isinstance(data, dict) and len(data) == 1 and ("and" in data or "or" in data):
        ((joiner, items),) = data.items()
        if not isinstance(items, list):
            raise FilterError(f"`{joiner}` takes a list of conditions")
        return Group(joiner == "and", tuple(_json_node(item, context) for item in items))
    if (
        isinstance(data, dict)
        and isinstance(data.get("field"), str)
        and isinstance(data.get("op"), str)
    ):
        op = _op(data["op"])
        raw = data.get("value")
        values = raw if isinstance(raw, list) else [raw]
        literals = [Literal(str(v), quoted=False) for v in values if v is not None]
        if op in {"in", "nin"}:
            return _condition(data["field"], op, literals, context)
        return _condition(data["field"], op, literals[0] if literals else None, context)
    raise FilterError(
        'A JSON filter is a list, {"and": [...]}, {"or": [...]} or {"field", "op", "value"}'
    )


class _DslParser:
    def __init__(self, source: str, context: FilterContext):
        self.context = context
        self.tokens: list[tuple[str, str]] = []
        position = 0
        while source[position:].strip():
            match = TOKEN.match(source, position)
            if not match:
                raise FilterError(f"Cannot read the filter at `{source[position:].strip()[:20]}`")
            kind = match.lastgroup or ""
            self.tokens.append((kind, match.group(kind)))
            position = match.end()
        self.position = 0

    def parse(self) -> Node:
        node = self._or()
        if self._peek():
            raise FilterError(f"Unexpected `{self._peek()[1]}` in the filter")
        return node

    def _or(self) -> Node:
        nodes = [self._and()]
        while self._next_is_word("or"):
            nodes.append(self._and())
        return nodes[0] if len(nodes) == 1 else Group(False, tuple(nodes))

    def _and(self) -> Node:
        nodes = [self._primary()]
        while self._next_is_word("and"):
            nodes.append(self._primary())
        return nodes[0] if len(nodes) == 1 else Group(True, tuple(nodes))

    def _primary(self) -> Node:
        if self._peek() == ("symbol", "("):
            self._take()
            node = self._or()
            self._expect(")")
            return node
        kind, field = self._take()
        if kind != "word":
            raise FilterError(f"Expected a field name, got `{field}`")
        op = self._operator()
        if op in NULL_OPS:
            return _condition(field, op, None, self.context)
        if op in {"in", "nin"}:
            return _condition(field, op, self._list(), self.context)
        return _condition(field, op, self._literal(), self.context)

    def _operator(self) -> str:
        _, word = self._take()
        if word.lower() == "is":
            negated = self._next_is_word("not")
            if not self._next_is_word("null"):
                raise FilterError("`is` must be followed by `null` or `not null`")
            return "isnotnull" if negated else "isnull"
        if word.lower() == "not":
            if not self._next_is_word("in"):
                raise FilterError("`not` must be followed by `in`")
            return "nin"
        return _op(word)

    def _list(self) -> list[Literal]:
        _, opening = self._take()
        if opening not in "([":
            raise FilterError('`in` takes a list, like ["New", "WIP"]')
        closing = ")" if opening == "(" else "]"
        literals = [self._literal()]
        while self._peek() == ("symbol", ","):
            self._take()
            literals.append(self._literal())
        self._expect(closing)
        return literals

    def _literal(self) -> Literal:
        kind, text = self._take()
        if kind == "string":
            return Literal(re.sub(r"\\(.)", r"\1", text[1:-1]), quoted=True)
        if kind == "word":
            return Literal(text, quoted=False)
        raise FilterError(f"Expected a value, got `{text}`")

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        token = self._peek()
        if token is None:
            raise FilterError("The filter ends too early")
        self.position += 1
        return token

    def _next_is_word(self, word: str) -> bool:
        token = self._peek()
        if token and token[0] == "word" and token[1].lower() == word:
            self.position += 1
            return True
        return False

    def _expect(self, symbol: str) -> None:
        if self._take() != ("symbol", symbol):
            raise FilterError(f"Expected `{symbol}` in the filter")


def _op(name: str) -> str:
    op = OP_NAMES.get(name.lower())
    if op is None:
        raise FilterError(f"Unknown filter operator `{name}`")
    return op


def _condition(
    field: str, op: str, value: Literal | list[Literal] | None, context: FilterContext
) -> Condition:
    if field == "sub_tasks":
        raise FilterError("Relation filters on `sub_tasks` are not supported by this fake")
    spec = FIELDS.get(field)
    if spec is None:
        raise FilterError(f"Filter field `{field}` is not allowed")
    if op not in spec.ops:
        raise FilterError(f"Operator `{op}` is not allowed for filter field `{field}`")
    if value is None:
        if op not in NULL_OPS:
            raise FilterError(f"Operator `{op}` needs a value")
        return Condition(field, op, None)
    if isinstance(value, list):
        return Condition(field, op, tuple(_value(field, spec, v, context) for v in value))
    return Condition(field, op, _value(field, spec, value, context))


def _value(field: str, spec: FieldSpec, literal: Literal, context: FilterContext) -> object:
    text = literal.text
    if spec.kind == "string":
        return text.casefold()  # MySQL's default collation compares without case
    if spec.kind == "id":
        return context.me_id if text == "me.id" and not literal.quoted else text
    if spec.kind == "enum":
        if text not in spec.values:
            raise FilterError(f"`{text}` is not a valid value for filter field `{field}`")
        return text
    day = None if literal.quoted else _special_day(text, context.today)
    if day is None:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            raise FilterError(f"`{text}` is not a date for filter field `{field}`") from None
    return day


def _special_day(text: str, today: date) -> date | None:
    # Every date field of tasks is a calendar date, so `now` is today and
    # `eq today` naturally means the whole day.
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    next_first = (first + timedelta(days=32)).replace(day=1)
    special = {
        "now": today, "today": today,
        "sow": monday, "eow": monday + timedelta(days=6),
        "som": first, "eom": next_first - timedelta(days=1),
    }  # fmt: skip
    if text in special:
        return special[text]
    offset = re.fullmatch(r"today([+-]\d+)d", text)
    return today + timedelta(days=int(offset.group(1))) if offset else None


def matches(node: Node, row: dict[str, object]) -> bool:
    if isinstance(node, Group):
        results = (matches(child, row) for child in node.nodes)
        return all(results) if node.all else any(results)
    if node.field == "sub_tasks_in_list":
        is_sub_task = row["parent_task.id"] is not None
        return {"with": True, "only": is_sub_task, "without": not is_sub_task}[node.value]
    actual = row.get(node.field)
    if node.op in NULL_OPS:
        return (actual is None) == (node.op == "isnull")
    if actual is None:
        return False  # SQL: every comparison with NULL fails
    if FIELDS[node.field].kind == "string":
        actual = str(actual).casefold()
    return _compare(node.op, actual, node.value)


def _compare(op: str, actual, wanted) -> bool:
    match op:
        case "eq":
            return actual == wanted
        case "ne":
            return actual != wanted
        case "lt":
            return actual < wanted
        case "lte":
            return actual <= wanted
        case "gt":
            return actual > wanted
        case "gte":
            return actual >= wanted
        case "in":
            return actual in wanted
        case "nin":
            return actual not in wanted
        case "contains":
            return wanted in actual
        case "startswith":
            return actual.startswith(wanted)
        case "endswith":
            return actual.endswith(wanted)
        case "like":
            # SQL LIKE wildcards; without any, a bare word matches anywhere.
            pattern = wanted if "%" in wanted else f"%{wanted}%"
            regex = "".join(
                ".*" if c == "%" else "." if c == "_" else re.escape(c) for c in pattern
            )
            return re.fullmatch(regex, actual, re.DOTALL) is not None
    raise AssertionError(op)


# --- sorting and cursors ----------------------------------------------------------------


def parse_sort(source: str | None) -> list[tuple[str, bool]]:
    """`-created_at,title` -> [("created_at", True), ("title", False)]: (field, descending)."""
    if not source:
        return []
    fields = [(part.removeprefix("-"), part.startswith("-")) for part in source.split(",") if part]
    wrong = [name for name, _ in fields if name not in SORTS]
    if wrong:
        raise laravel_refusal(
            400,
            f"Requested sort(s) `{', '.join(wrong)}` is not allowed. "
            f"Allowed sort(s) are `{', '.join(SORTS)}`.",
        )
    return fields


def _compare_keys(a: Sequence, b: Sequence, descending: Sequence[bool]) -> int:
    """Orders sort keys like MySQL: NULL first ascending, last descending."""
    for x, y, desc in zip(a, b, descending, strict=True):
        if x == y:
            continue
        result = -1 if x is None else 1 if y is None else -1 if x < y else 1
        return -result if desc else result
    return 0


def encode_cursor(sort: str, direction: str, key: Sequence) -> str:
    raw = json.dumps(
        {"sort": sort, "direction": direction, "key": list(key)}, separators=(",", ":")
    )
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str, key_length: int) -> tuple[str, list]:
    # Laravel quietly restarts at page one on a cursor it cannot read; the fake says
    # so with a 400 instead, so a client that loops on a bad cursor is caught.
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        direction, key = data["direction"], data["key"]
        ok = data["sort"] == sort and direction in ("next", "prev") and len(key) == key_length
    except (ValueError, binascii.Error, KeyError, TypeError):
        ok = False
    if not ok:
        raise laravel_refusal(400, "The page[cursor] is invalid for this request.")
    return direction, key


def page_bounds(
    keys: list[list], size: int, descending: list[bool], cursor: tuple[str, list] | None
) -> tuple[int, int]:
    """The slice of the sorted keys that one page shows.

    Keyset paging: a page starts after (or ends before) the cursor's key, so tasks
    created or deleted between two requests neither repeat nor vanish.
    """
    if cursor is None:
        return 0, min(size, len(keys))
    direction, key = cursor
    if direction == "next":
        start = sum(1 for k in keys if _compare_keys(k, key, descending) <= 0)
        return start, min(start + size, len(keys))
    end = sum(1 for k in keys if _compare_keys(k, key, descending) < 0)
    return max(0, end - size), end


TASK_FIELDS = (
    "id", "project_id", "parent_task_id", "external_id", "external_origin", "uri", "title",
    "description", "status", "estimated_hours", "is_onhold", "is_public", "due_date",
    "due_date_settings", "completed_at", "closed_at", "updated_at", "created_at", "list_sorting",
)  # fmt: skip
"""The stored task fields that TaskData shows as they are."""


class KanbertFake(FakeService):
    """Kanbert with users, clients, projects and tasks (with sub-tasks and attachments).

    The state is plain dicts keyed by id: `tasks` hold `assignee_id`, `watcher_ids`,
    `attachments`; `projects` hold `client_id`. `board(project_id)` gives a project's
    task ids in `list_sorting` order.
    """

    name = "kanbert"
    base_path = "/api/v1"

    def __init__(
        self,
        *,
        token: str = "kanbert-test-token",
        seed: bool = True,
        clock: Callable[[], float] = time.monotonic,
        scopes: Iterable[str] = ALL_SCOPES,
        integration: str = "cardboard",
    ):
        super().__init__(clock=clock)
        self.token = token
        self.scopes = frozenset(scopes)
        self.integration = integration
        """The integration's slug: the default `external_origin`."""
        self._ids = itertools.count(1)
        self._now = EPOCH
        self.space = {"id": self._new_id("spc"), "name": "Acme Studio"}
        self.users: dict[str, dict] = {}
        self.me = self.add_user(
            "Cardboard", "Integration", "cardboard@integrations.kanbert.test", "integration"
        )
        self.clients: dict[str, dict] = {}
        self.projects: dict[str, dict] = {}
        self.priorities: dict[str, dict] = {}
        self.tasks: dict[str, dict] = {}
        if seed:
            self._seed()

    @property
    def today(self) -> date:
        return self._now.date()

    # --- state helpers (the seed and tests use these) ----------------------------------

    def add_user(
        self, first_name: str, last_name: str, email: str, user_type: str = "user"
    ) -> dict:
        user = {
            "id": self._new_id("usr"),
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "type": user_type,
            "space": self.space,
        }
        self.users[user["id"]] = user
        return user

    def add_client(self, name: str, shortcode: str) -> dict:
        client = {
            "id": self._new_id("cli"),
            "external_id": None,
            "name": name,
            "shortcode": shortcode,
        }
        self.clients[client["id"]] = client
        return client

    def add_project(
        self, name: str, shortcode: str, *, client_id: str | None = None, status: str = "running"
    ) -> dict:
        project = {
            "id": self._new_id("prj"),
            "external_id": None,
            "shortcode": shortcode,
            "name": name,
            "status": status,
            "client_id": client_id,
        }
        self.projects[project["id"]] = project
        return project

    def add_task(
        self,
        project_id: str,
        title: str,
        *,
        status: str = "New",
        description: str | None = None,
        parent_task_id: str | None = None,
        assignee_id: str | None = None,
        watcher_ids: Sequence[str] = (),
        due_date: str | None = None,
        estimated_hours: float | None = None,
        priority_id: str | None = None,
        is_public: bool = True,
        external_id: str | None = None,
        external_origin: str | None = None,
        insert_before: str | None = None,
        insert_after: str | None = None,
    ) -> dict:
        stamp = self._stamp()
        project = self.projects[project_id]
        number = 1 + sum(1 for t in self.tasks.values() if t["project_id"] == project_id)
        task = {
            "id": self._new_id("tsk"),
            "project_id": project_id,
            "parent_task_id": parent_task_id,
            "external_id": external_id,
            "external_origin": (external_origin or self.integration) if external_id else None,
            "uri": f"{project['shortcode']}-{number}",
            "title": title,
            "description": description,
            "status": status,
            "estimated_hours": estimated_hours,
            "is_onhold": False,
            "is_public": is_public,
            "due_date": due_date,
            "due_date_settings": {
                "is_hard_deadline": False,
                "recurring_type": None,
                "recurring_interval": None,
            },
            "assignee_id": assignee_id,
            "priority_id": priority_id,
            "watcher_ids": list(watcher_ids),
            "attachments": [],
            "completed_at": stamp if status in ("Completed", "Approved", "Closed") else None,
            "closed_at": stamp if status == "Closed" else None,
            "updated_at": stamp,
            "created_at": stamp,
            "list_sorting": 0,
        }
        order = self.board(project_id)
        anchor = insert_before or insert_after
        index = order.index(anchor) + (1 if insert_after else 0) if anchor else len(order)
        order.insert(index, task["id"])
        self.tasks[task["id"]] = task
        self._renumber(order)
        return task

    def add_attachment(self, task_id: str, file_name: str, mime_type: str, size: int) -> dict:
        attachment = {
            "id": self._new_id("fil"),
            "file_name": file_name,
            "mime_type": mime_type,
            "size": size,
            "entity_id": task_id,
            "entity_type": "task",
            "created_at": self._stamp(),
        }
        self.tasks[task_id]["attachments"].append(attachment)
        return attachment

    def seed_many(self, n: int, project_id: str | None = None) -> list[dict]:
        """Adds n tasks over every status (for pagination tests)."""
        project_id = project_id or next(iter(self.projects))
        return [
            self.add_task(
                project_id, f"Generated task {i + 1}", status=TASK_STATUSES[i % len(TASK_STATUSES)]
            )
            for i in range(n)
        ]

    def board(self, project_id: str) -> list[str]:
        """A project's task ids in `list_sorting` order."""
        tasks = [t for t in self.tasks.values() if t["project_id"] == project_id]
        return [t["id"] for t in sorted(tasks, key=lambda t: t["list_sorting"])]

    def _renumber(self, order: list[str]) -> None:
        # The docs say only that list_sorting is an integer; the fake keeps one
        # sequence per project and renumbers it on each insert.
        for position, task_id in enumerate(order, start=1):
            self.tasks[task_id]["list_sorting"] = position

    def _new_id(self, prefix: str) -> str:
        # Zero-padded, so that id order is creation order (Laravel's default order).
        return f"{prefix}_{next(self._ids):06d}"

    def _stamp(self) -> str:
        self._now += timedelta(seconds=1)
        return self._now.strftime("%Y-%m-%dT%H:%M:%S.000000Z")

    # --- the API -----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        api = self._api
        return [
            Mount(
                self.base_path,
                routes=[
                    Route("/tasks", api(self._list_tasks, READ), methods=["GET"]),
                    Route("/tasks", api(self._create_task, WRITE), methods=["POST"]),
                    Route("/tasks/{id}", api(self._get_task, READ), methods=["GET"]),
                    Route("/tasks/{id}", api(self._update_task, WRITE), methods=["PATCH"]),
                    Route("/tasks/{id}", api(self._delete_task, WRITE), methods=["DELETE"]),
                    Route(
                        "/tasks/{id}/external-identifier",
                        api(self._set_external_identifier, CLIENT_WRITE),
                        methods=["PUT"],
                    ),
                    Route("/tasks/{id}/upload", api(self._upload, WRITE), methods=["POST"]),
                ],
            )
        ]

    def _api(self, handler: Handler, scope: str) -> Handler:
        async def endpoint(request: Request) -> Response:
            try:
                if request.headers.get("authorization") != f"Bearer {self.token}":
                    raise laravel_refusal(401, "Unauthenticated.")
                if scope not in self.scopes:
                    raise laravel_refusal(403, "Invalid scope(s) provided.")
                return await handler(request)
            except Refusal as refusal:
                return refusal.response()

        return endpoint

    async def _list_tasks(self, request: Request) -> Response:
        params = request.query_params
        includes = _includes(params.get("include"))
        sort_source = params.get("sort") or ""
        sort = parse_sort(sort_source)
        size = _page_size(params.get("page[size]"))
        tasks = list(self.tasks.values())
        if params.get("filter"):
            try:
                node = parse_filter(params["filter"], FilterContext(self.today, self.me["id"]))
            except FilterError as problem:
                raise laravel_refusal(400, str(problem)) from None
            tasks = [t for t in tasks if matches(node, self._filter_row(t))]
        descending = [*(desc for _, desc in sort), False]
        keyed = sorted(
            ((self._sort_key(t, sort), t) for t in tasks),
            key=functools.cmp_to_key(lambda a, b: _compare_keys(a[0], b[0], descending)),
        )
        cursor = params.get("page[cursor]")
        start, end = page_bounds(
            [k for k, _ in keyed],
            size,
            descending,
            decode_cursor(cursor, sort_source, len(descending)) if cursor else None,
        )
        page = keyed[start:end]
        next_cursor = (
            encode_cursor(sort_source, "next", page[-1][0]) if page and end < len(keyed) else None
        )
        prev_cursor = encode_cursor(sort_source, "prev", page[0][0]) if page and start > 0 else None
        path = str(request.url.replace(query=""))
        return JSONResponse(
            {
                "data": [self._render(task, includes) for _, task in page],
                # Documented as "Array of strings" with no meaning given; meta carries the cursors.
                "links": [],
                "meta": {
                    "path": path,
                    "per_page": size,
                    "next_cursor": next_cursor,
                    "next_cursor_url": _cursor_url(path, params.multi_items(), next_cursor),
                    "prev_cursor": prev_cursor,
                    "prev_cursor_url": _cursor_url(path, params.multi_items(), prev_cursor),
                },
            }
        )

    async def _get_task(self, request: Request) -> Response:
        return JSONResponse(self._render(self._find(request), ONE_TASK))

    async def _create_task(self, request: Request) -> Response:
        body = await _json_object(request)
        errors: dict[str, str] = {}
        title = body.get("title")
        _check_title(title, errors)
        project = _lookup(self.projects, body.get("project_id"))
        if not body.get("project_id"):
            errors["project_id"] = "The project id field is required."
        elif project is None:
            errors["project_id"] = "The selected project id is invalid."
        if body.get("insert_before") and body.get("insert_after"):
            errors["insert_after"] = (
                "The insert after field prohibits insert before from being present."
            )
        for field in ("insert_before", "insert_after"):
            anchor = _lookup(self.tasks, body.get(field))
            if body.get(field) and (
                anchor is None or not project or anchor["project_id"] != project["id"]
            ):
                errors[field] = f"The selected {field.replace('_', ' ')} is invalid."
        external_id = body.get("external_id")
        origin = body.get("external_origin") or self.integration
        if external_id and self._by_external_id(external_id, origin):
            errors["external_id"] = "The external id has already been taken."
        changes = self._validated_changes(
            body, errors, project_id=project["id"] if project else None
        )
        if errors:
            raise laravel_invalid(errors)
        # Without a status the task is "New" (In Todo): the docs name no default.
        task = self.add_task(
            project["id"],
            title,
            **changes,
            external_id=external_id,
            external_origin=origin,
            insert_before=body.get("insert_before"),
            insert_after=body.get("insert_after"),
        )
        # Laravel answers a freshly created model with 201.
        return JSONResponse(self._render(task, ONE_TASK), status_code=201)

    async def _update_task(self, request: Request) -> Response:
        task = self._find(request)
        body = await _json_object(request)
        # PATCH documents no insert_before/insert_after: a task keeps its list_sorting.
        errors: dict[str, str] = {}
        changes = self._validated_changes(body, errors, project_id=task["project_id"])
        if "title" in body:
            changes["title"] = _check_title(body["title"], errors)
        if body.get("parent_task_id") == task["id"]:
            errors["parent_task_id"] = "The selected parent task id is invalid."
        if "add_watchers" in body:
            watchers = changes.get("watcher_ids", task["watcher_ids"])
            added = self._watcher_ids(body, "add_watchers", errors)
            changes["watcher_ids"] = watchers + [u for u in added if u not in watchers]
        if errors:
            raise laravel_invalid(errors)
        self._apply(task, changes)
        return JSONResponse(self._render(task, ONE_TASK))

    async def _delete_task(self, request: Request) -> Response:
        task = self._find(request)
        answer = self._render(task, ONE_TASK)
        # Sub-tasks go with their parent (not documented; a sub-task cannot outlive it).
        doomed = [task["id"]] + [
            t["id"] for t in self.tasks.values() if t["parent_task_id"] == task["id"]
        ]
        for task_id in doomed:
            del self.tasks[task_id]
        return JSONResponse(answer)

    async def _set_external_identifier(self, request: Request) -> Response:
        # find_by here is documented as id, external_id or shortcode; a task's short
        # code is its uri.
        task = self._find(request, {"id": "id", "external_id": "external_id", "shortcode": "uri"})
        body = await _json_object(request)
        external_id = body.get("external_id")
        origin = body.get("external_origin") or self.integration
        if external_id is not None and not isinstance(external_id, str):
            raise laravel_invalid({"external_id": "The external id field must be a string."})
        other = external_id and self._by_external_id(external_id, origin)
        if other and other is not task:
            raise laravel_invalid({"external_id": "The external id has already been taken."})
        task["external_id"] = external_id
        task["external_origin"] = origin if external_id else None
        task["updated_at"] = self._stamp()
        return JSONResponse(self._render(task, ONE_TASK))

    async def _upload(self, request: Request) -> Response:
        task = self._find(request)
        upload = next(
            (f for f in await read_form(request) if f.name == "file" and f.filename), None
        )
        if upload is None:
            raise laravel_invalid({"file": "The file field is required."})
        if len(upload.value) > MAX_UPLOAD_BYTES:
            raise laravel_invalid(
                {"file": "The file field must not be greater than 15360 kilobytes."}
            )
        attachment = self.add_attachment(
            task["id"],
            upload.filename or "file",
            upload.content_type or "application/octet-stream",
            len(upload.value),
        )
        return JSONResponse(attachment, status_code=201)

    # --- validation and changes ----------------------------------------------------------

    def _validated_changes(
        self, body: dict, errors: dict[str, str], *, project_id: str | None
    ) -> dict:
        """The task fields a create or update body sets, checked; problems go to `errors`."""
        changes: dict = {}
        if "description" in body:
            if body["description"] is not None and not isinstance(body["description"], str):
                errors["description"] = "The description field must be a string."
            changes["description"] = body["description"]
        if "status" in body:
            if body["status"] not in TASK_STATUSES:
                errors["status"] = "The selected status is invalid."
            changes["status"] = body["status"]
        if "estimated_hours" in body:
            hours = body["estimated_hours"]
            if hours is not None and (
                isinstance(hours, bool) or not isinstance(hours, int | float) or hours < 0
            ):
                errors["estimated_hours"] = "The estimated hours field must be a number."
            changes["estimated_hours"] = hours
        if "due_date" in body:
            changes["due_date"] = _due_date(body["due_date"], errors)
        if "is_public" in body:
            if not isinstance(body["is_public"], bool):
                errors["is_public"] = "The is public field must be true or false."
            changes["is_public"] = body["is_public"]
        if "assignee_id" in body:
            if body["assignee_id"] is not None and not _lookup(self.users, body["assignee_id"]):
                errors["assignee_id"] = "The selected assignee id is invalid."
            changes["assignee_id"] = body["assignee_id"]
        if "parent_task_id" in body:
            parent = _lookup(self.tasks, body["parent_task_id"])
            if body["parent_task_id"] is not None and (
                parent is None or parent["project_id"] != project_id
            ):
                errors["parent_task_id"] = "The selected parent task id is invalid."
            changes["parent_task_id"] = body["parent_task_id"]
        if "watchers" in body:
            changes["watcher_ids"] = self._watcher_ids(body, "watchers", errors)
        # The fake has no epics, phases or milestones: any id is unknown.
        for field in ("epic_id", "phase_id", "milestone_id"):
            if body.get(field) is not None:
                errors[field] = f"The selected {field.replace('_', ' ')} is invalid."
        return changes

    def _watcher_ids(self, body: dict, field: str, errors: dict[str, str]) -> list[str]:
        watchers = body[field]
        if not isinstance(watchers, list) or not all(_lookup(self.users, w) for w in watchers):
            errors[field] = f"The selected {field.replace('_', ' ')} is invalid."
            return []
        return list(watchers)

    def _apply(self, task: dict, changes: dict) -> None:
        stamp = self._stamp()
        status = changes.get("status", task["status"])
        if status != task["status"]:
            done = status in ("Completed", "Approved", "Closed")
            changes["completed_at"] = (task["completed_at"] or stamp) if done else None
            changes["closed_at"] = stamp if status == "Closed" else None
        task.update(changes, updated_at=stamp)

    def _find(self, request: Request, find_by_fields: dict[str, str] | None = None) -> dict:
        fields = find_by_fields or {"id": "id", "uri": "uri", "external_id": "external_id"}
        find_by = request.query_params.get("find_by", "id")
        if find_by not in fields:
            raise laravel_invalid({"find_by": "The selected find by is invalid."})
        wanted = request.path_params["id"]
        if find_by == "external_id":
            task = self._by_external_id(
                wanted, request.query_params.get("origin") or self.integration
            )
        else:
            task = next((t for t in self.tasks.values() if t[fields[find_by]] == wanted), None)
        if task is None:
            raise laravel_refusal(404, "Task not found.")
        return task

    def _by_external_id(self, external_id: str, origin: str) -> dict | None:
        return next(
            (
                t
                for t in self.tasks.values()
                if t["external_id"] == external_id and t["external_origin"] == origin
            ),
            None,
        )

    # --- rendering ------------------------------------------------------------------------

    def _render(
        self, task: dict, includes: frozenset[str] = frozenset(), *, nested: bool = False
    ) -> dict:
        project = self.projects[task["project_id"]]
        priority = _lookup(self.priorities, task["priority_id"])
        data = {key: task[key] for key in TASK_FIELDS}
        data |= {
            "client_id": project["client_id"],
            "type": "task",
            "assignee": _lookup(self.users, task["assignee_id"]),
            "priorityOption": priority,
            "phase": None,
            "milestone": None,
            "epic": None,
            "attachements": list(task["attachments"]),  # sic: the docs spell it so
            # The key is always there (the docs mark it required), but a list loads the
            # relation only when `include` names it, as it does every other relation.
            # Sub-tasks are listed one level deep: a sub-task's own list stays empty.
            "sub_tasks": [self._render(t, nested=True) for t in self._sub_tasks(task["id"])]
            if "sub_tasks" in includes and not nested
            else [],
        }
        if "watchers" in includes:
            data["watchers"] = [self.users[u] for u in task["watcher_ids"]]
        if "parent_task" in includes:
            parent = _lookup(self.tasks, task["parent_task_id"])
            data["parent_task"] = self._render(parent, nested=True) if parent else None
        if "project" in includes:
            data["project"] = {
                key: project[key] for key in ("id", "external_id", "shortcode", "name", "status")
            }
        if "client" in includes:
            data["client"] = _lookup(self.clients, project["client_id"])
        return data

    def _sub_tasks(self, task_id: str) -> list[dict]:
        children = [t for t in self.tasks.values() if t["parent_task_id"] == task_id]
        return sorted(children, key=lambda t: t["list_sorting"])

    def _filter_row(self, task: dict) -> dict[str, object]:
        project = self.projects[task["project_id"]]
        row: dict[str, object] = {
            "title": task["title"],
            "uri": task["uri"],
            "due_date": date.fromisoformat(task["due_date"]) if task["due_date"] else None,
            "status": task["status"],
        }
        related = {
            "project": project,
            "client": _lookup(self.clients, project["client_id"]),
            "assignee": _lookup(self.users, task["assignee_id"]),
            "parent_task": _lookup(self.tasks, task["parent_task_id"]),
        }
        for prefix, record in related.items():
            for key, value in (record or {}).items():
                row[f"{prefix}.{key}"] = value
        row.setdefault("parent_task.id", None)
        return row

    def _sort_key(self, task: dict, sort: list[tuple[str, bool]]) -> list:
        key: list = []
        for field, _ in sort:
            value = task[field]
            if field in ("title", "uri"):
                value = value.casefold()
            elif field == "status":
                value = TASK_STATUSES.index(value)  # a MySQL enum sorts in declared order
            key.append(value)
        return [*key, task["id"]]  # the id breaks ties, so every cursor is exact

    # --- seed ---------------------------------------------------------------------------

    def _seed(self) -> None:
        anna = self.add_user("Anna", "Berg", "anna@acme.test")
        ben = self.add_user("Ben", "Okafor", "ben@acme.test")
        gina = self.add_user("Gina", "Gast", "gina@northwind.test", "guest")
        for label in ("High", "Normal", "Low"):
            priority = {"id": self._new_id("pri"), "label": label}
            self.priorities[priority["id"]] = priority
        high, normal, low = self.priorities
        northwind = self.add_client("Northwind Traders", "NWT")
        globex = self.add_client("Globex", "GLX")
        web = self.add_project("Website relaunch", "WEB", client_id=northwind["id"])["id"]
        app = self.add_project("Mobile app", "APP", client_id=globex["id"])["id"]

        def due(days: int | None) -> str | None:
            return None if days is None else (self.today + timedelta(days=days)).isoformat()

        rows = [
            (web, "Content audit of the old site", "Approved", anna, -20, 6, low),
            (web, "Sitemap and navigation", "Completed", anna, -10, 4, normal),
            (web, "Homepage wireframes", "WIP", ben, 3, 12, high),
            (web, "Pick the CMS", "WIP", anna, 1, 3, high),
            (web, "Product page template", "New", ben, 10, 8, normal),
            (web, "Newsletter sign-up form", "New", None, None, None, None),
            (web, "Accessibility review", "Backlog", None, 30, 5, low),
            (web, "Old URLs redirect map", "Backlog", gina, None, 2, None),
            (web, "Launch checklist", "Closed", anna, -30, 1, normal),
            (app, "Login with passkeys", "WIP", ben, 5, 16, high),
            (app, "Offline mode for orders", "New", anna, 14, 24, normal),
            (app, "Push notification settings", "Backlog", None, None, 6, low),
            (app, "Crash on Android 12 when rotating", "Completed", ben, -2, 3, high),
            (app, "App store screenshots", "New", gina, 7, 2, None),
            (app, "Dark theme", "Backlog", None, None, None, low),
        ]
        tasks = [
            self.add_task(
                project,
                title,
                status=status,
                description=f"<p>{title}.</p>",
                assignee_id=user["id"] if user else None,
                watcher_ids=[self.me["id"]] if user is ben else [],
                due_date=due(days),
                estimated_hours=hours,
                priority_id=priority,
            )
            for project, title, status, user, days, hours, priority in rows
        ]
        wireframes, passkeys = tasks[2]["id"], tasks[9]["id"]
        for title, status in (
            ("Desktop layout", "Completed"),
            ("Mobile layout", "WIP"),
            ("Review with client", "New"),
        ):
            self.add_task(
                web, title, status=status, parent_task_id=wireframes, assignee_id=ben["id"]
            )
        for title, status in (("WebAuthn spike", "Completed"), ("Fallback to e-mail codes", "New")):
            self.add_task(app, title, status=status, parent_task_id=passkeys)
        self.add_attachment(wireframes, "homepage-v2.pdf", "application/pdf", 482_113)
        self.add_attachment(wireframes, "hero.png", "image/png", 90_412)
        self.add_attachment(tasks[12]["id"], "crash.log", "text/plain", 12_880)


def _lookup(table: dict[str, dict], key: object) -> dict | None:
    """The record with this id; None for no id, an unknown one, or one that is no string."""
    return table.get(key) if isinstance(key, str) else None


def _includes(source: str | None) -> frozenset[str]:
    names = [name for name in (source or "").split(",") if name]
    wrong = [name for name in names if name not in INCLUDES]
    if wrong:
        raise laravel_refusal(
            400,
            f"Requested include(s) `{', '.join(wrong)}` are not allowed. "
            f"Allowed include(s) are `{', '.join(INCLUDES)}`.",
        )
    return frozenset(names)


def _page_size(source: str | None) -> int:
    if source is None:
        return DEFAULT_PAGE_SIZE
    if not source.isdigit() or not 1 <= int(source) <= MAX_PAGE_SIZE:
        raise laravel_invalid(
            {"page.size": f"The page.size field must be between 1 and {MAX_PAGE_SIZE}."}
        )
    return int(source)


def _cursor_url(path: str, params: list[tuple[str, str]], cursor: str | None) -> str | None:
    # Laravel drops the other parameters unless told to keep them; keeping them makes
    # the URL usable as it is (same filter, sort and size).
    if cursor is None:
        return None
    kept = [(k, v) for k, v in params if k != "page[cursor]"] + [("page[cursor]", cursor)]
    return f"{path}?{urlencode(kept)}"


def _check_title(title: object, errors: dict[str, str]) -> object:
    if not isinstance(title, str) or not title.strip():
        errors["title"] = "The title field is required."
    elif len(title) > 255:
        errors["title"] = "The title field must not be greater than 255 characters."
    return title


def _due_date(value: object, errors: dict[str, str]) -> str | None:
    """Requests send a date-time, TaskData shows the date."""
    if value is None:
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        errors["due_date"] = "The due date field must be a valid date."
        return None


async def _json_object(request: Request) -> dict:
    # Laravel reads a body it cannot parse as no input at all, so validation answers.
    try:
        body = json.loads(await request.body() or b"{}")
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
