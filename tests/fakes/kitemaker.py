"""A fake of Kitemaker's REST API v1, written from shared/api/kitemaker-rest-v1.txt.

What a kanban client meets there: spaces whose statuses are the columns; work items
seen only as the 50 most recently updated of a space (`/recent/workitems`), one at a
time by space key and number (`/workitem`), or as bare id/label pairs
(`/metadata/workitems`); comments added one by one and read back among the recent ones.
Every error is `{"errors": [{"message", "status", "code"}]}`, and too many requests in
a window get 429. Initiatives and feedback are left out: Cardboard has no use for them.
"""

from __future__ import annotations

import itertools
import json
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from tests.fakes.service import FakeService, Refusal

RECENT_MAX = 50
"""`count` on the recent lists is documented as "max 50"; larger counts are cut to it."""
SIZES = ("small", "medium", "large")
PLACEMENTS = ("top", "bottom")
EPOCH = datetime(2024, 5, 6, 9, 0, tzinfo=UTC)
LABEL_PALETTE = ("e91e63", "3f51b5", "009688", "ff9800", "9c27b0", "795548")
HEX_COLOR = re.compile(r"[0-9a-fA-F]{6}")

Handler = Callable[[Request], Awaitable[Response]]


def refusal(status: int, code: str, message: str) -> Refusal:
    """Kitemaker's documented error body."""
    return Refusal(status, {"errors": [{"message": message, "status": status, "code": code}]})


def bad_request(message: str) -> Refusal:
    # The docs name the 400 ("Invalid parameters") but give no code for it.
    return refusal(400, "BAD_REQUEST", message)


class KitemakerFake(FakeService):
    """Kitemaker with an organization, spaces, statuses, labels, work items, comments.

    The state is plain dicts keyed by id, in the shape the API takes them
    (`statusId`, `labelIds`, ...); `column(status_id)` gives a column's order, which
    the API itself never shows.
    """

    name = "kitemaker"
    base_path = "/developers/rest/v1"

    def __init__(
        self,
        *,
        token: str = "kitemaker-test-token",
        seed: bool = True,
        clock: Callable[[], float] = time.monotonic,
        rate_limit: int = 120,
        rate_window: float = 60.0,
    ):
        super().__init__(clock=clock)
        self.token = token
        # The docs only say 429 "Rate limit exceeded": the numbers are ours, and no
        # Retry-After is sent because none is documented.
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self._admitted_at: deque[float] = deque()
        self._ids = itertools.count(0x24A0_0000_0000_0001)
        self._now = EPOCH
        self.actor = {"id": self._new_id(), "name": "Cardboard", "type": "application"}
        self.organization = {
            "id": self._new_id(),
            "name": "Acme Robotics",
            "createdAt": self._stamp(),
            "updatedAt": self._stamp(),
        }
        self.spaces: dict[str, dict] = {}
        self.statuses: dict[str, dict] = {}
        self.labels: dict[str, dict] = {}
        self.work_items: dict[str, dict] = {}
        self.comments: dict[str, dict] = {}
        if seed:
            self._seed()

    # --- state helpers (the seed and tests use these) ----------------------------------

    def add_space(self, key: str, name: str, statuses: Sequence[str]) -> dict:
        space = {"id": self._new_id(), "key": key, "name": name}
        self.spaces[space["id"]] = space
        for status_name in statuses:
            status = {"id": self._new_id(), "spaceId": space["id"], "name": status_name}
            self.statuses[status["id"]] = status
        return space

    def add_label(self, space_id: str, name: str, color: str | None = None) -> dict:
        color = color or LABEL_PALETTE[len(self.labels) % len(LABEL_PALETTE)]
        label = {"id": self._new_id(), "spaceId": space_id, "name": name, "color": color}
        self.labels[label["id"]] = label
        return label

    def add_work_item(
        self,
        space_id: str,
        title: str,
        *,
        status_id: str | None = None,
        description: str = "",
        label_ids: Sequence[str] = (),
        effort: str | None = None,
        impact: str | None = None,
        placement: str = "top",
        actor: dict | None = None,
    ) -> dict:
        status_id = status_id or self.space_statuses(space_id)[0]["id"]
        stamp = self._stamp()
        item = {
            "id": self._new_id(),
            "spaceId": space_id,
            "number": 1 + sum(1 for i in self.work_items.values() if i["spaceId"] == space_id),
            "title": title,
            "description": description,
            "statusId": status_id,
            "labelIds": list(label_ids),
            "effort": effort,
            "impact": impact,
            "actor": actor or self.actor,
            "position": 0.0,
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        self.work_items[item["id"]] = item
        self._place(item, status_id, placement)
        return item

    def add_comment(self, work_item_id: str, body: str, *, actor: dict | None = None) -> dict:
        stamp = self._stamp()
        comment_id = self._new_id()
        comment = {
            "id": comment_id,
            "workItemId": work_item_id,
            "body": body,
            "actor": actor or self.actor,
            "reply": False,
            "threadId": comment_id,
            "createdAt": stamp,
            "updatedAt": stamp,
        }
        self.comments[comment_id] = comment
        return comment

    def seed_many(self, space_id: str, n: int) -> list[dict]:
        """Adds n work items spread over the space's statuses (for the recent-50 limit)."""
        statuses = self.space_statuses(space_id)
        return [
            self.add_work_item(
                space_id, f"Generated item {i + 1}", status_id=statuses[i % len(statuses)]["id"]
            )
            for i in range(n)
        ]

    def space_statuses(self, space_id: str) -> list[dict]:
        return [s for s in self.statuses.values() if s["spaceId"] == space_id]

    def space_by_key(self, key: str) -> dict | None:
        return next((s for s in self.spaces.values() if s["key"] == key), None)

    def work_item_by_number(self, space_key: str, number: int) -> dict | None:
        space = self.space_by_key(space_key)
        if space is None:
            return None
        in_space = (i for i in self.work_items.values() if i["spaceId"] == space["id"])
        return next((i for i in in_space if i["number"] == number), None)

    def column(self, status_id: str) -> list[str]:
        """The ids of a status's work items, top first."""
        items = [i for i in self.work_items.values() if i["statusId"] == status_id]
        return [i["id"] for i in sorted(items, key=lambda i: i["position"])]

    def _place(self, item: dict, status_id: str, placement: str) -> None:
        positions = [
            other["position"]
            for other in self.work_items.values()
            if other["statusId"] == status_id and other is not item
        ]
        item["statusId"] = status_id
        if not positions:
            item["position"] = 0.0
        elif placement == "top":
            item["position"] = min(positions) - 1
        else:
            item["position"] = max(positions) + 1

    def _new_id(self) -> str:
        return f"{next(self._ids):016x}"

    def _stamp(self) -> str:
        """The next instant on the fake's own timeline: "recent" order is always strict."""
        self._now += timedelta(seconds=1)
        return self._now.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    # --- the API -----------------------------------------------------------------------

    def routes(self) -> list[BaseRoute]:
        api = self._api
        return [
            Mount(
                self.base_path,
                routes=[
                    Route("/organization", api(self._organization), methods=["GET"]),
                    Route("/workitem", api(self._get_work_item), methods=["GET"]),
                    Route("/workitem", api(self._create_work_item), methods=["POST"]),
                    Route("/workitem", api(self._update_work_item), methods=["PUT"]),
                    Route("/comment", api(self._create_comment), methods=["POST"]),
                    Route("/label", api(self._create_label), methods=["POST"]),
                    Route("/recent/workitems", api(self._recent_work_items), methods=["GET"]),
                    Route("/recent/comments", api(self._recent_comments), methods=["GET"]),
                    Route("/metadata/spaces", api(self._metadata_spaces), methods=["GET"]),
                    Route("/metadata/workitems", api(self._metadata_work_items), methods=["GET"]),
                    Route("/metadata/statuses", api(self._metadata_statuses), methods=["GET"]),
                    Route("/metadata/labels", api(self._metadata_labels), methods=["GET"]),
                ],
            )
        ]

    def _api(self, handler: Handler) -> Handler:
        async def endpoint(request: Request) -> Response:
            try:
                if request.headers.get("x-api-key") != self.token:
                    raise refusal(
                        401, "UNAUTHORIZED", "The requested action could not be completed"
                    )
                if not self._admit():
                    raise refusal(429, "RATE_LIMITED", "Rate limit exceeded")
                return await handler(request)
            except Refusal as refused:
                return refused.response()

        return endpoint

    def _admit(self) -> bool:
        """Counts this request against the sliding window; refused ones do not count."""
        now = self.clock()
        while self._admitted_at and now - self._admitted_at[0] >= self.rate_window:
            self._admitted_at.popleft()
        if len(self._admitted_at) >= self.rate_limit:
            return False
        self._admitted_at.append(now)
        return True

    async def _organization(self, request: Request) -> Response:
        return JSONResponse(self.organization)

    async def _get_work_item(self, request: Request) -> Response:
        key = _required(request.query_params, "spaceKey")
        number = _positive_int(_required(request.query_params, "workItemNumber"), "workItemNumber")
        item = self.work_item_by_number(key, number)
        if item is None:
            raise _work_item_not_found()
        return JSONResponse(self._render_work_item(item))

    async def _create_work_item(self, request: Request) -> Response:
        body = await _json_object(request)
        title = _text(body, "title", required=True)
        status = self._status(_text(body, "statusId", required=True))
        space_id = status["spaceId"]
        item = self.add_work_item(
            space_id,
            title,
            status_id=status["id"],
            description=_text(body, "description") or "",
            label_ids=self._label_ids(body, space_id),
            effort=_choice(body, "effort", SIZES),
            impact=_choice(body, "impact", SIZES),
            placement=_choice(body, "placement", PLACEMENTS) or "top",
        )
        return JSONResponse(self._render_work_item(item), status_code=201)

    async def _update_work_item(self, request: Request) -> Response:
        body = await _json_object(request)
        item = self.work_items.get(_text(body, "id", required=True))
        if item is None:
            raise _work_item_not_found()
        # Validate everything before changing anything: a refused update changes nothing.
        title = _text(body, "title")
        if "title" in body and not title:
            raise bad_request("title must not be empty")
        description = _text(body, "description")
        status = (
            self._status(_text(body, "statusId"), space_id=item["spaceId"])
            if "statusId" in body
            else None
        )
        label_ids = self._label_ids(body, item["spaceId"])
        effort = _choice(body, "effort", SIZES)
        impact = _choice(body, "impact", SIZES)
        placement = _choice(body, "placement", PLACEMENTS)
        if title:
            item["title"] = title
        if description is not None:
            item["description"] = description
        # The docs call labelIds "label IDs to add": an update adds, it never removes.
        item["labelIds"] = item["labelIds"] + [i for i in label_ids if i not in item["labelIds"]]
        for field, value in (("effort", effort), ("impact", impact)):
            if field in body:
                item[field] = value
        if status or placement:
            self._place(item, status["id"] if status else item["statusId"], placement or "top")
        item["updatedAt"] = self._stamp()
        return JSONResponse(self._render_work_item(item))

    async def _create_comment(self, request: Request) -> Response:
        body = await _json_object(request)
        work_item_id = _text(body, "workItemId", required=True)
        text = _text(body, "body", required=True)
        if work_item_id not in self.work_items:
            raise _work_item_not_found()
        return JSONResponse(
            self._render_comment(self.add_comment(work_item_id, text)), status_code=201
        )

    async def _create_label(self, request: Request) -> Response:
        body = await _json_object(request)
        space = self._space(_text(body, "spaceId", required=True))
        name = _text(body, "labelName", required=True)
        color = _text(body, "color")
        if color is not None and not HEX_COLOR.fullmatch(color):
            raise bad_request("color must be six hex digits, like aa33ff")
        label = self.add_label(space["id"], name, color)
        return JSONResponse(
            {
                "id": label["id"],
                "name": label["name"],
                "color": label["color"],
                "spaceId": label["spaceId"],
            },
            status_code=201,
        )

    async def _recent_work_items(self, request: Request) -> Response:
        space = self._space(_required(request.query_params, "spaceId"))
        items = [i for i in self.work_items.values() if i["spaceId"] == space["id"]]
        items.sort(key=lambda i: i["updatedAt"], reverse=True)
        return JSONResponse([self._render_work_item(i) for i in items[: _recent_count(request)]])

    async def _recent_comments(self, request: Request) -> Response:
        space = self._space(_required(request.query_params, "spaceId"))
        comments = [
            c
            for c in self.comments.values()
            if self.work_items[c["workItemId"]]["spaceId"] == space["id"]
        ]
        comments.sort(key=lambda c: c["updatedAt"], reverse=True)
        return JSONResponse([self._render_comment(c) for c in comments[: _recent_count(request)]])

    async def _metadata_spaces(self, request: Request) -> Response:
        return JSONResponse([{"id": s["id"], "label": s["name"]} for s in self.spaces.values()])

    async def _metadata_work_items(self, request: Request) -> Response:
        # Every item of the space, but only id and title (the docs' "label"): no number,
        # no status. The order is not documented; the fake lists by number.
        space = self._space(_required(request.query_params, "spaceId"))
        items = sorted(
            (i for i in self.work_items.values() if i["spaceId"] == space["id"]),
            key=lambda i: i["number"],
        )
        return JSONResponse([{"id": i["id"], "label": i["title"]} for i in items])

    async def _metadata_statuses(self, request: Request) -> Response:
        # The docs' example lists "In Progress" before "Backlog", so board order is not
        # promised; the fake answers in the order the statuses were made.
        space = self._space(_required(request.query_params, "spaceId"))
        return JSONResponse(
            [{"id": s["id"], "label": s["name"]} for s in self.space_statuses(space["id"])]
        )

    async def _metadata_labels(self, request: Request) -> Response:
        space = self._space(_required(request.query_params, "spaceId"))
        labels = [lab for lab in self.labels.values() if lab["spaceId"] == space["id"]]
        return JSONResponse([{"id": lab["id"], "label": lab["name"]} for lab in labels])

    # --- lookups and rendering ----------------------------------------------------------

    def _space(self, space_id: str) -> dict:
        space = self.spaces.get(space_id)
        if space is None:
            raise refusal(404, "SPACE_NOT_FOUND", "The specified space does not exist")
        return space

    def _status(self, status_id: str | None, *, space_id: str | None = None) -> dict:
        status = self.statuses.get(status_id or "")
        if status is None or (space_id and status["spaceId"] != space_id):
            # Undocumented code; shaped like the documented ones.
            raise refusal(404, "STATUS_NOT_FOUND", "The specified status does not exist")
        return status

    def _label_ids(self, body: dict, space_id: str) -> list[str]:
        # The docs write the parameter as "labelIds[]"; a JSON body naturally says "labelIds".
        label_ids = body.get("labelIds", body.get("labelIds[]", []))
        if not isinstance(label_ids, list) or not all(isinstance(i, str) for i in label_ids):
            raise bad_request("labelIds must be an array of label IDs")
        for label_id in label_ids:
            label = self.labels.get(label_id)
            if label is None or label["spaceId"] != space_id:
                raise refusal(404, "LABEL_NOT_FOUND", "The specified label does not exist")
        return label_ids

    def _render_work_item(self, item: dict) -> dict:
        status = self.statuses[item["statusId"]]
        space = self.spaces[item["spaceId"]]
        return {
            "id": item["id"],
            "actor": item["actor"],
            "number": item["number"],
            "title": item["title"],
            "description": item["description"],
            "status": {"id": status["id"], "name": status["name"]},
            "space": {"id": space["id"], "name": space["name"]},
            "labels": [
                {"id": label["id"], "name": label["name"], "color": label["color"]}
                for label in (self.labels[label_id] for label_id in item["labelIds"])
            ],
            # Requests say "large"; the docs' answers say "Large".
            "effort": item["effort"] and item["effort"].capitalize(),
            "impact": item["impact"] and item["impact"].capitalize(),
            "createdAt": item["createdAt"],
            "updatedAt": item["updatedAt"],
        }

    def _render_comment(self, comment: dict) -> dict:
        item = self.work_items[comment["workItemId"]]
        return {
            "id": comment["id"],
            "body": comment["body"],
            "actor": comment["actor"],
            "entity": {
                "id": item["id"],
                "number": item["number"],
                "space": self.spaces[item["spaceId"]]["key"],
                "spaceId": item["spaceId"],
                "title": item["title"],
            },
            "reply": comment["reply"],
            "threadId": comment["threadId"],
            "createdAt": comment["createdAt"],
            "updatedAt": comment["updatedAt"],
        }

    # --- seed ---------------------------------------------------------------------------

    def _seed(self) -> None:
        ole = {"id": self._new_id(), "name": "@Ole", "type": "user"}
        board = self.add_space(
            "CB", "Cardboard", ["Backlog", "Todo", "In progress", "Review", "Done"]
        )
        backlog, todo, doing, review, done = (s["id"] for s in self.space_statuses(board["id"]))
        bug = self.add_label(board["id"], "bug", "e91e63")["id"]
        feature = self.add_label(board["id"], "feature", "3f51b5")["id"]
        design = self.add_label(board["id"], "design", "9c27b0")["id"]
        infra = self.add_label(board["id"], "infra", "009688")["id"]
        rows = [
            ("Sketch the board screen", done, [design], "medium", "large"),
            ("Pick a colour palette for themes", done, [design], "small", "medium"),
            ("Local SQLite provider", done, [feature], "large", "large"),
            ("Keyboard map for moving cards", review, [feature], "medium", "large"),
            ("Card detail screen", review, [feature, design], "medium", "medium"),
            ("Crash when the terminal is 40 columns wide", doing, [bug], "small", "large"),
            ("Timer badge on the focused card", doing, [feature], "small", "medium"),
            ("Retry on 429 with backoff", doing, [infra], "medium", "medium"),
            ("Time report as CSV", todo, [feature], "small", "small"),
            ("Offline cache of the last board", todo, [infra], "large", "medium"),
            ("Help screen lists every binding", todo, [], "small", "small"),
            ("Token from the OS keyring", backlog, [infra], "medium", "small"),
            ("Snapshot tests at 80x24", backlog, [], "small", "medium"),
            ("Wrong colour for overdue cards", backlog, [bug, design], None, None),
            ("Command palette: move card to column", backlog, [feature], None, "medium"),
        ]
        items = [
            self.add_work_item(
                board["id"],
                title,
                status_id=status_id,
                description=f"{title}.\n\nSee the design notes.",
                label_ids=label_ids,
                effort=effort,
                impact=impact,
                placement="bottom",
                actor=ole,
            )
            for title, status_id, label_ids, effort, impact in rows
        ]
        self.add_comment(items[5]["id"], "Reproduced with `COLUMNS=40`.", actor=ole)
        self.add_comment(items[5]["id"], "The column widths go negative; fix is small.")
        self.add_comment(items[3]["id"], "Should `m` open a column picker?", actor=ole)
        self.add_comment(items[7]["id"], "Start the backoff at one second and double it.")

        ops = self.add_space("OPS", "Operations", ["Inbox", "Doing", "Done"])
        self.add_label(ops["id"], "on-call", "ff9800")
        self.seed_many(ops["id"], 60)


def _work_item_not_found() -> Refusal:
    return refusal(404, "ISSUE_NOT_FOUND", "Could not find the specified work item")


async def _json_object(request: Request) -> dict:
    # The docs' curl examples send JSON without a JSON content type, so the body is
    # read as JSON whatever the header says.
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise bad_request("The request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object")
    return body


def _text(body: dict, field: str, *, required: bool = False) -> str | None:
    value = body.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        raise bad_request(f"{field} is required and must be a string")
    return value


def _choice(body: dict, field: str, choices: Sequence[str]) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str) or value.lower() not in choices:
        raise bad_request(f"{field} must be one of {', '.join(choices)}")
    return value.lower()


def _required(params, name: str) -> str:
    value = params.get(name)
    if not value:
        raise bad_request(f"{name} is required")
    return value


def _positive_int(value: str, name: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise bad_request(f"{name} must be a positive number")
    return int(value)


def _recent_count(request: Request) -> int:
    # No count: the docs do not say; the fake gives the most it may, 50.
    count = request.query_params.get("count")
    return min(_positive_int(count, "count"), RECENT_MAX) if count else RECENT_MAX
