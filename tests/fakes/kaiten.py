"""A stateful fake of the Kaiten API v1, written from its docs (shared/api/kaiten-v1.txt).

Served under /api/v1 to `Authorization: Bearer <token>`:
  spaces and their boards; a board with its columns, lanes and live cards; columns
  with subcolumns; cards: list (offset/limit), get, create, update (fields, moves by
  column_id/lane_id/sort_order, archiving by `condition`), delete; a card's tags,
  members, blockers, comments, checklists and their items, time logs; tags; users and
  the current user.

Answers are bare JSON objects and arrays. Errors are `{"message": "..."}`: the docs
give that body for 400 and 402, and name 401, 404 and 429 without a body, so the fake
uses the same shape for those.

Rate limit: the docs' 5 requests per second, counted in fixed one-second windows on
the injected clock. Every answer carries X-RateLimit-Remaining and X-RateLimit-Reset
(the UTC epoch second the window ends); past the limit the answer is 429. The docs
name no Retry-After, so the fake sends none. Requests are counted before the token
is checked, as a gateway in front of the API would.

The docs extract lost the request bodies and the "constraints of the parameters", so
where it is silent the fake takes developers.kaiten.ru's names and decides:
- GET /cards: `offset` (default 0) and `limit` (default and maximum 100; beyond is a
  400); filters board_id, space_id, column_id, lane_id, condition, archived, states,
  query; only live cards unless `condition` or `archived` asks otherwise; ordered by
  id, so consecutive pages neither overlap nor skip. `description` is only included
  when additional_card_fields names it, as the docs say.
- As documented, list and board cards carry no `tags` (GET /cards/{id} does), and
  board cards carry no `members`.
- GET /boards/{id} lists the board's columns flat, subcolumns after the top-level
  columns with `column_id` naming their parent (a card in a subcolumn has the
  subcolumn's id as its column_id), and only the live cards.
- A card moved to a column that has subcolumns lands in the first subcolumn; a card
  whose column or lane changes goes to the bottom of its new cell unless sort_order
  is given. `state` follows the column type (1 queued, 2 in progress, 3 done).
- POST /cards: title and board_id are required; column_id and lane_id default to the
  board's first; position 1 puts the card at the top of its cell, 2 (the default) at
  the bottom.
- DELETE /cards/{id} removes the card and answers it with condition 3 (deleted).
- Making a member responsible (type 2) turns the previous responsible into a member.
"""

from __future__ import annotations

import itertools
import json
import math
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from tests.fakes.service import FakeService, Refusal

MAX_LIMIT = 100
"""The largest `limit` a list takes (developers.kaiten.ru); beyond it is a 400."""

QUEUE, IN_PROGRESS, DONE = 1, 2, 3
"""Column types, and a card's state in a column of that type."""
LIVE, ARCHIVED, DELETED = 1, 2, 3
"""Card conditions."""
MEMBER, RESPONSIBLE = 1, 2

COMPANY_ID = 1
_SEED_TIME = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
_MISSING = object()

FieldSpec = tuple[tuple[str, type | tuple[type, ...], str, bool], ...]
"""Fields a body may carry: name, JSON type, how an error describes it, null allowed."""

_CARD_FIELDS: FieldSpec = (
    ("title", str, "a string", False),
    ("description", str, "a string", True),
    ("due_date", str, "a date string", True),
    ("size_text", str, "a string", True),
    ("asap", bool, "a boolean", False),
    ("expires_later", bool, "a boolean", False),
    ("condition", int, "1 (live) or 2 (archived)", False),
    ("type_id", int, "an integer", False),
    ("owner_id", int, "an integer", False),
    ("external_id", str, "a string", True),
)
_ITEM_FIELDS: FieldSpec = (
    ("text", str, "a string", False),
    ("checked", bool, "a boolean", False),
    ("sort_order", (int, float), "a number", False),
    ("responsible_id", int, "an integer", True),
    ("due_date", str, "a date string", True),
)
_TIME_LOG_FIELDS: FieldSpec = (
    ("time_spent", int, "a whole number of minutes", False),
    ("for_date", str, "a date (YYYY-MM-DD)", False),
    ("comment", str, "a string", True),
    ("role_id", int, "an integer", False),
    ("user_id", int, "an integer", False),
)

Json = dict[str, Any]
Handler = Callable[..., Awaitable[Any]]


def refused(status: int, message: str) -> Refusal:
    """Kaiten's error: `{"message": ...}` with the status."""
    return Refusal(status, {"message": message})


@dataclass(frozen=True)
class _Budget:
    """Where the current rate-limit window stands for one request."""

    allowed: bool
    remaining: int
    reset_epoch: int

    def headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Remaining": str(self.remaining),
            "X-RateLimit-Reset": str(self.reset_epoch),
        }


def stamp(moment: datetime | None = None) -> str:
    """Kaiten's timestamp format: UTC, milliseconds, a Z."""
    moment = moment or datetime.now(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class KaitenFake(FakeService):
    """Kaiten as its docs describe it; state is plain dicts keyed by id, for tests to read.

    `seed=True` gives one space with one board ("Development"): columns Backlog
    (queue), In progress (with subcolumns Doing and Review) and Done, lanes Features
    and Bugs, ten live cards (tags, owners, members, one blocked, one with a checklist,
    comments and time logs) and one archived card; three users, the first current.
    """

    name = "kaiten"
    base_path = "/api/v1"

    def __init__(
        self,
        *,
        token: str = "kaiten-test-token",
        seed: bool = True,
        clock: Callable[[], float] = time.monotonic,
        rate_limit: float | None = 5.0,
    ):
        self.token = token
        self.rate_limit = rate_limit
        """Requests allowed per one-second window; None turns the limit off."""
        self.wall_clock: Callable[[], float] = time.time
        """Epoch seconds, for X-RateLimit-Reset; a test may pin it."""
        self._window_start = -math.inf
        self._window_used = 0
        self._storm = 0
        self._ids = itertools.count(100)

        self.users: dict[int, Json] = {}
        self.current_user_id = 0
        self.spaces: dict[int, Json] = {}
        self.boards: dict[int, Json] = {}
        self.columns: dict[int, Json] = {}
        self.lanes: dict[int, Json] = {}
        self.card_types: dict[int, Json] = {}
        self.tags: dict[int, Json] = {}
        self.cards: dict[int, Json] = {}
        self.blockers: dict[int, Json] = {}
        self.comments: dict[int, Json] = {}
        self.checklists: dict[int, Json] = {}
        self.checklist_items: dict[int, Json] = {}
        self.time_logs: dict[int, Json] = {}

        super().__init__(clock=clock)
        self.app.add_exception_handler(HTTPException, _http_error)
        # The token belongs to someone: the current user exists even on an empty fake.
        self.current_user_id = self._add_user("Alex Morgan", "alex")
        if seed:
            self._seed()

    # ---- test helpers -------------------------------------------------------------

    def rate_limit_storm(self, n: int) -> None:
        """Answer the next `n` requests with 429 (X-RateLimit-Remaining 0, the reset one
        second ahead), whatever the window says, even with `rate_limit=None`."""
        self._storm += n

    def seed_board(self, cards: int, *, columns: int = 6) -> int:
        """Add a board with `columns` columns (queue, in progress..., done), two lanes and
        `cards` cards spread over the cells; return its id. Built in memory, for
        benchmarks with thousands of cards."""
        space_id = next(iter(self.spaces), None) or self._add_space("Benchmarks")
        board_id = self._add_board(space_id, f"Benchmark ({cards} cards)")
        column_ids = [
            self._add_column(board_id, f"Stage {n + 1}", _column_type(n, columns))
            for n in range(columns)
        ]
        lane_ids = [self._add_lane(board_id, title) for title in ("Main", "Expedite")]
        owner = self.current_user_id
        for n in range(cards):
            self._add_card(
                f"Card {n + 1}",
                board_id=board_id,
                column_id=column_ids[n % columns],
                lane_id=lane_ids[(n // columns) % len(lane_ids)],
                sort_order=n + 1,
                owner_id=owner,
            )
        return board_id

    # ---- routing, auth and the rate limit -------------------------------------------

    def routes(self) -> list[BaseRoute]:
        table: list[tuple[str, str, Handler]] = [
            ("GET", "/spaces", self._list_spaces),
            ("GET", "/spaces/{space_id:int}", self._get_space),
            ("GET", "/spaces/{space_id:int}/boards", self._list_space_boards),
            ("GET", "/spaces/{space_id:int}/boards/{board_id:int}", self._get_space_board),
            ("GET", "/boards/{board_id:int}", self._get_board),
            ("GET", "/boards/{board_id:int}/columns", self._list_columns),
            ("GET", "/columns/{column_id:int}/subcolumns", self._list_subcolumns),
            ("GET", "/boards/{board_id:int}/lanes", self._list_lanes),
            ("GET", "/cards", self._list_cards),
            ("POST", "/cards", self._create_card),
            ("GET", "/cards/{card_id:int}", self._get_card),
            ("PATCH", "/cards/{card_id:int}", self._update_card),
            ("DELETE", "/cards/{card_id:int}", self._delete_card),
            ("GET", "/cards/{card_id:int}/blockers", self._list_blockers),
            ("GET", "/cards/{card_id:int}/tags", self._list_card_tags),
            ("POST", "/cards/{card_id:int}/tags", self._add_card_tag),
            ("DELETE", "/cards/{card_id:int}/tags/{tag_id:int}", self._remove_card_tag),
            ("GET", "/cards/{card_id:int}/members", self._list_members),
            ("POST", "/cards/{card_id:int}/members", self._add_member),
            ("PATCH", "/cards/{card_id:int}/members/{user_id:int}", self._update_member),
            ("DELETE", "/cards/{card_id:int}/members/{user_id:int}", self._remove_member),
            ("GET", "/cards/{card_id:int}/comments", self._list_comments),
            ("POST", "/cards/{card_id:int}/comments", self._add_comment),
            ("PATCH", "/cards/{card_id:int}/comments/{comment_id:int}", self._update_comment),
            ("DELETE", "/cards/{card_id:int}/comments/{comment_id:int}", self._remove_comment),
            ("POST", "/cards/{card_id:int}/checklists", self._add_checklist),
            ("GET", "/cards/{card_id:int}/checklists/{checklist_id:int}", self._get_checklist),
            ("PATCH", "/cards/{card_id:int}/checklists/{checklist_id:int}", self._update_checklist),
            (
                "DELETE",
                "/cards/{card_id:int}/checklists/{checklist_id:int}",
                self._remove_checklist,
            ),
            ("POST", "/cards/{card_id:int}/checklists/{checklist_id:int}/items", self._add_item),
            (
                "PATCH",
                "/cards/{card_id:int}/checklists/{checklist_id:int}/items/{item_id:int}",
                self._update_item,
            ),
            (
                "DELETE",
                "/cards/{card_id:int}/checklists/{checklist_id:int}/items/{item_id:int}",
                self._remove_item,
            ),
            ("GET", "/cards/{card_id:int}/time-logs", self._list_time_logs),
            ("POST", "/cards/{card_id:int}/time-logs", self._add_time_log),
            ("PATCH", "/cards/{card_id:int}/time-logs/{log_id:int}", self._update_time_log),
            ("DELETE", "/cards/{card_id:int}/time-logs/{log_id:int}", self._remove_time_log),
            ("GET", "/tags", self._list_tags),
            ("GET", "/users", self._list_users),
            ("GET", "/users/current", self._current_user),
        ]
        return [
            Route(self.base_path + path, self._endpoint(handler), methods=[method])
            for method, path, handler in table
        ]

    def _endpoint(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            budget = self._spend_budget()
            try:
                if budget is not None and not budget.allowed:
                    raise refused(429, "Too many requests")
                if not self._authorized(request):
                    raise refused(401, "Invalid token")
                response: Response = JSONResponse(await handler(request, **request.path_params))
            except Refusal as refusal:
                response = refusal.response()
            if budget is not None:
                response.headers.update(budget.headers())
            return response

        return endpoint

    def _authorized(self, request: Request) -> bool:
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        return scheme.lower() == "bearer" and credentials == self.token

    def _spend_budget(self) -> _Budget | None:
        """Count this request against the window; None when nothing is limited."""
        now = self.clock()
        if self._storm:
            self._storm -= 1
            return _Budget(False, 0, self._epoch(now + 1.0))
        if self.rate_limit is None:
            return None
        if now >= self._window_start + 1.0:
            self._window_start, self._window_used = now, 0
        reset = self._epoch(self._window_start + 1.0)
        allowed = max(1, int(self.rate_limit))
        if self._window_used >= allowed:
            return _Budget(False, 0, reset)
        self._window_used += 1
        return _Budget(True, allowed - self._window_used, reset)

    def _epoch(self, moment: float) -> int:
        """The epoch second at or after `moment` on the fake's clock."""
        return math.ceil(self.wall_clock() + (moment - self.clock()))

    # ---- spaces, boards, columns, lanes ---------------------------------------------

    async def _list_spaces(self, request: Request) -> list[Json]:
        return [{**space, "boards": self._boards_of(space["id"])} for space in self.spaces.values()]

    async def _get_space(self, request: Request, space_id: int) -> Json:
        return _find(self.spaces, space_id, "Space")

    async def _list_space_boards(self, request: Request, space_id: int) -> list[Json]:
        _find(self.spaces, space_id, "Space")
        return [
            {
                **board,
                "columns": self._board_columns(board["id"]),
                "lanes": self._board_lanes(board["id"]),
            }
            for board in self._boards_of(space_id)
        ]

    async def _get_space_board(self, request: Request, space_id: int, board_id: int) -> Json:
        board = _find(self.boards, board_id, "Board")
        if board["space_id"] != space_id:
            raise refused(404, "Board not found")
        return self._board_full(board)

    async def _get_board(self, request: Request, board_id: int) -> Json:
        return self._board_full(_find(self.boards, board_id, "Board"))

    async def _list_columns(self, request: Request, board_id: int) -> list[Json]:
        _find(self.boards, board_id, "Board")
        return [
            {**column, "subcolumns": self._subcolumns(column["id"])}
            for column in self._board_columns(board_id)
            if column["column_id"] is None
        ]

    async def _list_subcolumns(self, request: Request, column_id: int) -> list[Json]:
        _find(self.columns, column_id, "Column")
        return self._subcolumns(column_id)

    async def _list_lanes(self, request: Request, board_id: int) -> list[Json]:
        _find(self.boards, board_id, "Board")
        condition = _query_int(request, "condition")
        return [
            lane
            for lane in self._board_lanes(board_id)
            if condition is None or lane["condition"] == condition
        ]

    def _boards_of(self, space_id: int) -> list[Json]:
        return sorted(
            (b for b in self.boards.values() if b["space_id"] == space_id),
            key=lambda b: b["sort_order"],
        )

    def _board_full(self, board: Json) -> Json:
        cards = sorted(
            (
                c
                for c in self.cards.values()
                if c["board_id"] == board["id"] and c["condition"] == LIVE
            ),
            key=lambda c: (c["column_id"], c["lane_id"], c["sort_order"]),
        )
        return {
            **board,
            "columns": self._board_columns(board["id"]),
            "lanes": self._board_lanes(board["id"]),
            "cards": [self._card_core(card) for card in cards],
        }

    def _board_columns(self, board_id: int) -> list[Json]:
        """Top-level columns by sort_order, then subcolumns by parent and sort_order."""
        columns = [c for c in self.columns.values() if c["board_id"] == board_id]
        tops = {c["id"]: c["sort_order"] for c in columns if c["column_id"] is None}
        return sorted(
            columns,
            key=lambda c: (
                c["column_id"] is not None,
                tops.get(c["column_id"] or c["id"], 0),
                c["sort_order"],
            ),
        )

    def _subcolumns(self, column_id: int) -> list[Json]:
        return sorted(
            (c for c in self.columns.values() if c["column_id"] == column_id),
            key=lambda c: c["sort_order"],
        )

    def _board_lanes(self, board_id: int) -> list[Json]:
        return sorted(
            (lane for lane in self.lanes.values() if lane["board_id"] == board_id),
            key=lambda lane: lane["sort_order"],
        )

    # ---- cards ----------------------------------------------------------------------

    async def _list_cards(self, request: Request) -> list[Json]:
        offset, limit = _page_window(request)
        matches = self._card_filter(request)
        extra_fields = (request.query_params.get("additional_card_fields") or "").split(",")
        with_description = "description" in extra_fields
        cards = sorted((c for c in self.cards.values() if matches(c)), key=lambda c: c["id"])
        return [
            self._card_listed(card, with_description) for card in cards[offset : offset + limit]
        ]

    def _card_filter(self, request: Request) -> Callable[[Json], bool]:
        wanted: dict[str, int] = {}
        for name in ("board_id", "column_id", "lane_id", "condition"):
            if (value := _query_int(request, name)) is not None:
                wanted[name] = value
        archived = _query_bool(request, "archived")
        if "condition" not in wanted and archived is None:
            wanted["condition"] = LIVE
        space_id = _query_int(request, "space_id")
        states = _query_ints(request, "states")
        text = (request.query_params.get("query") or "").casefold()

        def matches(card: Json) -> bool:
            return (
                all(card[name] == value for name, value in wanted.items())
                and (archived is None or (card["condition"] == ARCHIVED) == archived)
                and (space_id is None or self.boards[card["board_id"]]["space_id"] == space_id)
                and (not states or self._state(card) in states)
                and text in card["title"].casefold()
            )

        return matches

    async def _get_card(self, request: Request, card_id: int) -> Json:
        return self._card_detail(self._card(card_id))

    async def _create_card(self, request: Request) -> Json:
        body = await _json_body(request)
        fields = self._card_fields(body)
        if "title" not in fields:
            raise refused(400, "title is required")
        board_id = _typed(body, "board_id", int, "an integer")
        if board_id is _MISSING:
            raise refused(400, "board_id is required")
        board = self.boards.get(board_id)
        if board is None:
            raise refused(400, f"board {board_id} not found")
        column_id = self._placement_column(board_id, _typed(body, "column_id", int, "an integer"))
        lane_id = self._placement_lane(board_id, _typed(body, "lane_id", int, "an integer"))
        position = _typed(body, "position", int, "1 or 2")
        if position not in (_MISSING, 1, 2):
            raise refused(400, "position must be 1 (top) or 2 (bottom)")
        sort_order = _typed(body, "sort_order", (int, float), "a number")
        if sort_order is _MISSING:
            sort_order = self._cell_edge(column_id, lane_id, top=position == 1)
        card = self._add_card(
            fields.pop("title"),
            board_id=board_id,
            column_id=column_id,
            lane_id=lane_id,
            sort_order=sort_order,
            owner_id=fields.pop("owner_id", self.current_user_id),
            type_id=fields.pop("type_id", board["default_card_type_id"]),
            created=stamp(),
        )
        self._apply(card, fields)
        return self._card_detail(card)

    async def _update_card(self, request: Request, card_id: int) -> Json:
        card = self._card(card_id)
        body = await _json_body(request)
        fields = self._card_fields(body)
        self._move(card, *self._target_cell(card, body))
        self._apply(card, fields)
        self._touch(card)
        return self._card_detail(card)

    async def _delete_card(self, request: Request, card_id: int) -> Json:
        answer = self._card_detail(self._card(card_id)) | {"condition": DELETED}
        del self.cards[card_id]
        return answer

    def _card_fields(self, body: Json) -> Json:
        """The plain fields of a create or update body, all checked before any is applied."""
        fields = _typed_fields(body, _CARD_FIELDS)
        if "title" in fields:
            fields["title"] = fields["title"].strip()
            if not fields["title"]:
                raise refused(400, "title must not be empty")
        if fields.get("condition", LIVE) not in (LIVE, ARCHIVED):
            raise refused(400, "condition must be 1 (live) or 2 (archived)")
        for name, known, what in (
            ("type_id", self.card_types, "card type"),
            ("owner_id", self.users, "user"),
        ):
            if name in fields and fields[name] not in known:
                raise refused(400, f"{what} {fields[name]} not found")
        return fields

    def _apply(self, card: Json, fields: Json) -> None:
        card.update(fields)
        card["description_filled"] = bool(card["description"])

    def _target_cell(self, card: Json, body: Json) -> tuple[int, int, int, Any]:
        """Board, column, lane and sort_order (or _MISSING) an update asks for, checked."""
        board_id = _typed(body, "board_id", int, "an integer")
        column_id = _typed(body, "column_id", int, "an integer")
        lane_id = _typed(body, "lane_id", int, "an integer")
        sort_order = _typed(body, "sort_order", (int, float), "a number")
        target_board = card["board_id"] if board_id is _MISSING else board_id
        if target_board not in self.boards:
            raise refused(400, f"board {target_board} not found")
        changes_board = target_board != card["board_id"]
        if changes_board and column_id is _MISSING:
            raise refused(400, "column_id is required to move a card to another board")
        column = (
            card["column_id"]
            if column_id is _MISSING
            else self._placement_column(target_board, column_id)
        )
        if lane_id is _MISSING and not changes_board:
            lane = card["lane_id"]
        else:  # the given lane, or the new board's first
            lane = self._placement_lane(target_board, lane_id)
        return target_board, column, lane, sort_order

    def _move(
        self, card: Json, board_id: int, column_id: int, lane_id: int, sort_order: Any
    ) -> None:
        moved_column = column_id != card["column_id"]
        moved_lane = lane_id != card["lane_id"]
        now = stamp()
        if moved_column or moved_lane:
            if sort_order is _MISSING:
                sort_order = self._cell_edge(column_id, lane_id, top=False)
            card.update(board_id=board_id, column_id=column_id, lane_id=lane_id, last_moved_at=now)
        if moved_column:
            card["column_changed_at"] = now
            state = self._state(card)
            card["completed_at"] = now if state == DONE else None
            if state == DONE:
                card["last_moved_to_done_at"] = now
            if state == IN_PROGRESS and card["first_moved_to_in_progress_at"] is None:
                card["first_moved_to_in_progress_at"] = now
        if moved_lane:
            card["lane_changed_at"] = now
        if sort_order is not _MISSING:
            card["sort_order"] = sort_order

    def _placement_column(self, board_id: int, column_id: Any) -> int:
        """The column a card lands in: the given one (or its first subcolumn), or the
        board's first when none is given."""
        if column_id is _MISSING or column_id is None:
            tops = [c for c in self._board_columns(board_id) if c["column_id"] is None]
            if not tops:
                raise refused(400, f"board {board_id} has no columns")
            column_id = tops[0]["id"]
        column = self.columns.get(column_id)
        if column is None or column["board_id"] != board_id:
            raise refused(400, f"column {column_id} is not on board {board_id}")
        children = self._subcolumns(column_id)
        return children[0]["id"] if children else column_id

    def _placement_lane(self, board_id: int, lane_id: Any) -> int:
        if lane_id is _MISSING or lane_id is None:
            lanes = self._board_lanes(board_id)
            if not lanes:
                raise refused(400, f"board {board_id} has no lanes")
            return lanes[0]["id"]
        lane = self.lanes.get(lane_id)
        if lane is None or lane["board_id"] != board_id:
            raise refused(400, f"lane {lane_id} is not on board {board_id}")
        return lane_id

    def _cell_edge(self, column_id: int, lane_id: int, *, top: bool) -> float:
        orders = [
            c["sort_order"]
            for c in self.cards.values()
            if c["column_id"] == column_id and c["lane_id"] == lane_id
        ]
        if not orders:
            return 1
        return min(orders) - 1 if top else max(orders) + 1

    def _touch(self, card: Json) -> None:
        card.update(version=card["version"] + 1, updated=stamp(), updater_id=self.current_user_id)

    def _card(self, card_id: int) -> Json:
        return _find(self.cards, card_id, "Card")

    def _state(self, card: Json) -> int:
        return self.columns[card["column_id"]]["type"]

    # ---- card serialisation -----------------------------------------------------------

    _NOT_IN_CORE = ("member_types", "tag_ids", "description")
    """Card fields stored here but shown only in some answers, or in another form."""

    def _card_core(self, card: Json) -> Json:
        """A card as GET /boards/{id} lists it: its own fields, owner and type."""
        own = {key: value for key, value in card.items() if key not in self._NOT_IN_CORE}
        return own | {
            "archived": card["condition"] == ARCHIVED,
            "blocked": bool(self._active_blockers(card["id"])),
            "state": self._state(card),
            "owner": self.users[card["owner_id"]],
            "type": self.card_types[card["type_id"]],
        }

    def _card_listed(self, card: Json, with_description: bool) -> Json:
        """A card as GET /cards lists it: adds members, column, lane and path data."""
        column = self.columns[card["column_id"]]
        parent = self.columns.get(column["column_id"]) if column["column_id"] else None
        board = self.boards[card["board_id"]]
        listed = self._card_core(card) | {
            "board": board,
            "members": self._members(card),
            "column": column,
            "lane": self.lanes[card["lane_id"]],
            "children": [],
            "parents": [],
            "path_data": {
                "space": self.spaces[board["space_id"]],
                "board": {"id": board["id"], "title": board["title"]},
                "column": parent or column,
                "lane": self.lanes[card["lane_id"]],
                "subcolumn": column if parent else None,
            },
        }
        if with_description:
            listed["description"] = card["description"]
        return listed

    def _card_detail(self, card: Json) -> Json:
        """A card as GET /cards/{id} answers it."""
        board = self.boards[card["board_id"]]
        blockers = self._active_blockers(card["id"])
        latest = blockers[-1] if blockers else None
        return self._card_core(card) | {
            "description": card["description"],
            "board": board
            | {
                "columns": self._board_columns(board["id"]),
                "lanes": self._board_lanes(board["id"]),
            },
            "column": self.columns[card["column_id"]],
            "lane": self.lanes[card["lane_id"]],
            "members": self._members(card),
            "tags": [self._card_tag(card, self.tags[tag_id]) for tag_id in card["tag_ids"]],
            "checklists": [self._checklist(c) for c in self._card_checklists(card["id"])],
            "blockers": [self.users[b["blocker_id"]] for b in blockers],
            "blocked_at": latest["created"] if latest else None,
            "blocker_id": latest["blocker_id"] if latest else None,
            "blocker": self.users[latest["blocker_id"]] if latest else None,
            "block_reason": latest["reason"] if latest else None,
            "children": [],
            "parents": [],
            "external_links": [],
            "files": [],
            "cardRole": 3,
        }

    def _active_blockers(self, card_id: int) -> list[Json]:
        return [b for b in self.blockers.values() if b["card_id"] == card_id and not b["released"]]

    def _members(self, card: Json) -> list[Json]:
        return [
            self.users[user_id] | {"card_id": card["id"], "user_id": user_id, "type": kind}
            for user_id, kind in card["member_types"].items()
        ]

    def _card_tag(self, card: Json, tag: Json) -> Json:
        return {
            "id": tag["id"],
            "name": tag["name"],
            "color": tag["color"],
            "card_id": card["id"],
            "tag_id": tag["id"],
        }

    # ---- blockers, tags, members ---------------------------------------------------------

    async def _list_blockers(self, request: Request, card_id: int) -> list[Json]:
        self._card(card_id)
        return [b for b in self.blockers.values() if b["card_id"] == card_id]

    async def _list_card_tags(self, request: Request, card_id: int) -> list[Json]:
        card = self._card(card_id)
        return [self._card_tag(card, self.tags[tag_id]) for tag_id in card["tag_ids"]]

    async def _add_card_tag(self, request: Request, card_id: int) -> Json:
        card = self._card(card_id)
        name = _required_text(await _json_body(request), "name")
        tag = next((t for t in self.tags.values() if t["name"] == name), None) or self._add_tag(
            name
        )
        if tag["id"] not in card["tag_ids"]:
            card["tag_ids"].append(tag["id"])
            self._touch(card)
        return tag

    async def _remove_card_tag(self, request: Request, card_id: int, tag_id: int) -> Json:
        card = self._card(card_id)
        if tag_id not in card["tag_ids"]:
            raise refused(404, "Tag not found")
        card["tag_ids"].remove(tag_id)
        self._touch(card)
        return {"id": tag_id}

    async def _list_tags(self, request: Request) -> list[Json]:
        offset, limit = _page_window(request)
        return list(self.tags.values())[offset : offset + limit]

    async def _list_members(self, request: Request, card_id: int) -> list[Json]:
        return self._members(self._card(card_id))

    async def _add_member(self, request: Request, card_id: int) -> Json:
        card = self._card(card_id)
        user_id = _typed(await _json_body(request), "user_id", int, "an integer")
        if user_id is _MISSING or user_id not in self.users:
            raise refused(400, "user_id must name an existing user")
        card["member_types"].setdefault(user_id, MEMBER)
        self._touch(card)
        return self.users[user_id] | {"type": card["member_types"][user_id]}

    async def _update_member(self, request: Request, card_id: int, user_id: int) -> Json:
        card = self._card(card_id)
        if user_id not in card["member_types"]:
            raise refused(404, "Member not found")
        kind = _typed(await _json_body(request), "type", int, "1 (member) or 2 (responsible)")
        if kind not in (MEMBER, RESPONSIBLE):
            raise refused(400, "type must be 1 (member) or 2 (responsible)")
        if kind == RESPONSIBLE:
            for other, other_kind in card["member_types"].items():
                if other_kind == RESPONSIBLE:
                    card["member_types"][other] = MEMBER
        card["member_types"][user_id] = kind
        self._touch(card)
        return {
            "created": card["created"],
            "updated": card["updated"],
            "card_id": card_id,
            "user_id": user_id,
            "type": kind,
        }

    async def _remove_member(self, request: Request, card_id: int, user_id: int) -> Json:
        card = self._card(card_id)
        if card["member_types"].pop(user_id, None) is None:
            raise refused(404, "Member not found")
        self._touch(card)
        return {"id": user_id}

    # ---- comments --------------------------------------------------------------------

    async def _list_comments(self, request: Request, card_id: int) -> list[Json]:
        self._card(card_id)
        return [
            comment | {"author": self.users[comment["author_id"]]}
            for comment in self.comments.values()
            if comment["card_id"] == card_id
        ]

    async def _add_comment(self, request: Request, card_id: int) -> Json:
        card = self._card(card_id)
        body = await _json_body(request)
        text = _required_text(body, "text")
        kind = _typed(body, "type", int, "1 (markdown) or 2 (html)")
        if kind not in (_MISSING, 1, 2):
            raise refused(400, "type must be 1 (markdown) or 2 (html)")
        comment = self._add_comment_record(
            card, text, created=stamp(), kind=1 if kind is _MISSING else kind
        )
        return comment | {"attacments": []}

    async def _update_comment(self, request: Request, card_id: int, comment_id: int) -> Json:
        comment = self._card_comment(card_id, comment_id)
        comment.update(
            text=_required_text(await _json_body(request), "text"), edited=True, updated=stamp()
        )
        return comment | {"attacments": []}

    async def _remove_comment(self, request: Request, card_id: int, comment_id: int) -> Json:
        self._card_comment(card_id, comment_id)
        del self.comments[comment_id]
        self._recount_comments(self._card(card_id))
        return {"id": comment_id}

    def _card_comment(self, card_id: int, comment_id: int) -> Json:
        self._card(card_id)
        comment = self.comments.get(comment_id)
        if comment is None or comment["card_id"] != card_id:
            raise refused(404, "Comment not found")
        return comment

    def _add_comment_record(
        self, card: Json, text: str, *, created: str, kind: int = 1, author_id: int | None = None
    ) -> Json:
        comment_id = next(self._ids)
        comment = {
            "id": comment_id,
            "uid": comment_id,
            "text": text,
            "type": kind,
            "edited": False,
            "card_id": card["id"],
            "author_id": author_id or self.current_user_id,
            "email_addresses_to": None,
            "internal": False,
            "deleted": False,
            "sd_external_recipients_cc": None,
            "sd_description": False,
            "notification_sent": None,
            "created": created,
            "updated": created,
        }
        self.comments[comment_id] = comment
        self._recount_comments(card)
        return comment

    def _recount_comments(self, card: Json) -> None:
        mine = [c for c in self.comments.values() if c["card_id"] == card["id"]]
        card["comments_total"] = len(mine)
        card["comment_last_added_at"] = mine[-1]["created"] if mine else None

    # ---- checklists --------------------------------------------------------------------

    async def _add_checklist(self, request: Request, card_id: int) -> Json:
        card = self._card(card_id)
        checklist = self._add_checklist_record(
            card, _required_text(await _json_body(request), "name"), created=stamp()
        )
        return self._checklist(checklist) | {"checklist_id": str(checklist["id"]), "deleted": False}

    async def _get_checklist(self, request: Request, card_id: int, checklist_id: int) -> Json:
        return self._checklist(self._card_checklist(card_id, checklist_id))

    async def _update_checklist(self, request: Request, card_id: int, checklist_id: int) -> Json:
        checklist = self._card_checklist(card_id, checklist_id)
        checklist.update(name=_required_text(await _json_body(request), "name"), updated=stamp())
        return checklist

    async def _remove_checklist(self, request: Request, card_id: int, checklist_id: int) -> Json:
        self._card_checklist(card_id, checklist_id)
        del self.checklists[checklist_id]
        for item_id in [
            i for i, item in self.checklist_items.items() if item["checklist_id"] == checklist_id
        ]:
            del self.checklist_items[item_id]
        return {"id": checklist_id}

    async def _add_item(self, request: Request, card_id: int, checklist_id: int) -> Json:
        checklist = self._card_checklist(card_id, checklist_id)
        fields = self._item_fields(await _json_body(request))
        if "text" not in fields:
            raise refused(400, "text is required")
        item = self._add_item_record(checklist, fields.pop("text"), created=stamp())
        self._apply_item(item, fields)
        return _public_item(item)

    async def _update_item(
        self, request: Request, card_id: int, checklist_id: int, item_id: int
    ) -> Json:
        item = self._checklist_item(card_id, checklist_id, item_id)
        self._apply_item(item, self._item_fields(await _json_body(request)))
        item["updated"] = stamp()
        return _public_item(item)

    async def _remove_item(
        self, request: Request, card_id: int, checklist_id: int, item_id: int
    ) -> Json:
        self._checklist_item(card_id, checklist_id, item_id)
        del self.checklist_items[item_id]
        return {"id": item_id}

    def _item_fields(self, body: Json) -> Json:
        fields = _typed_fields(body, _ITEM_FIELDS)
        if "text" in fields and not fields["text"].strip():
            raise refused(400, "text is required")
        responsible = fields.get("responsible_id")
        if responsible is not None and responsible not in self.users:
            raise refused(400, f"user {responsible} not found")
        return fields

    def _apply_item(self, item: Json, fields: Json) -> None:
        checked = fields.get("checked", item["checked"])
        if checked != item["checked"]:
            item.update(
                checker_id=self.current_user_id if checked else None,
                checked_at=stamp() if checked else None,
            )
        item.update(fields)

    def _card_checklists(self, card_id: int) -> list[Json]:
        return sorted(
            (c for c in self.checklists.values() if c["card_id"] == card_id),
            key=lambda c: c["sort_order"],
        )

    def _card_checklist(self, card_id: int, checklist_id: int) -> Json:
        self._card(card_id)
        checklist = self.checklists.get(checklist_id)
        if checklist is None or checklist["card_id"] != card_id:
            raise refused(404, "Checklist not found")
        return checklist

    def _checklist_item(self, card_id: int, checklist_id: int, item_id: int) -> Json:
        self._card_checklist(card_id, checklist_id)
        item = self.checklist_items.get(item_id)
        if item is None or item["checklist_id"] != checklist_id:
            raise refused(404, "Checklist item not found")
        return item

    def _checklist(self, checklist: Json) -> Json:
        items = sorted(
            (i for i in self.checklist_items.values() if i["checklist_id"] == checklist["id"]),
            key=lambda i: i["sort_order"],
        )
        return {key: value for key, value in checklist.items() if key != "card_id"} | {
            "items": [_public_item(item) for item in items]
        }

    def _add_checklist_record(self, card: Json, name: str, *, created: str) -> Json:
        checklist_id = next(self._ids)
        orders = [c["sort_order"] for c in self._card_checklists(card["id"])]
        checklist = {
            "id": checklist_id,
            "card_id": card["id"],
            "name": name,
            "policy_id": None,
            "sort_order": max(orders, default=0) + 1,
            "created": created,
            "updated": created,
        }
        self.checklists[checklist_id] = checklist
        return checklist

    def _add_item_record(self, checklist: Json, text: str, *, created: str) -> Json:
        item_id = next(self._ids)
        orders = [
            i["sort_order"]
            for i in self.checklist_items.values()
            if i["checklist_id"] == checklist["id"]
        ]
        item = {
            "id": item_id,
            "checklist_id": checklist["id"],
            "text": text,
            "sort_order": max(orders, default=0) + 1,
            "checked": False,
            "checker_id": None,
            "user_id": self.current_user_id,
            "checked_at": None,
            "responsible_id": None,
            "deleted": False,
            "due_date": None,
            "created": created,
            "updated": created,
        }
        self.checklist_items[item_id] = item
        return item

    # ---- time logs ---------------------------------------------------------------------

    async def _list_time_logs(self, request: Request, card_id: int) -> list[Json]:
        self._card(card_id)
        return [
            log
            | {
                "role": {
                    "id": log["role_id"],
                    "name": "Employee",
                    "company_id": None,
                    "created": log["created"],
                    "updated": log["created"],
                },
                "user": self.users[log["user_id"]],
                "author": self.users[log["author_id"]],
            }
            for log in self.time_logs.values()
            if log["card_id"] == card_id
        ]

    async def _add_time_log(self, request: Request, card_id: int) -> Json:
        card = self._card(card_id)
        fields = self._time_log_fields(await _json_body(request))
        for required in ("time_spent", "for_date"):
            if required not in fields:
                raise refused(400, f"{required} is required")
        log = self._add_time_log_record(
            card,
            minutes=fields.pop("time_spent"),
            for_date=fields.pop("for_date"),
            user_id=fields.pop("user_id", self.current_user_id),
            created=stamp(),
        )
        log.update(fields)
        return log

    async def _update_time_log(self, request: Request, card_id: int, log_id: int) -> Json:
        log = self._card_time_log(card_id, log_id)
        log.update(self._time_log_fields(await _json_body(request)))
        log.update(updated=stamp(), updater_id=self.current_user_id)
        self._recount_time(self._card(card_id))
        return log

    def _time_log_fields(self, body: Json) -> Json:
        fields = _typed_fields(body, _TIME_LOG_FIELDS)
        if fields.get("time_spent", 1) <= 0:
            raise refused(400, "time_spent must be a positive number of minutes")
        if "for_date" in fields:
            fields["for_date"] = _iso_date(fields["for_date"])
        if fields.get("user_id", self.current_user_id) not in self.users:
            raise refused(400, f"user {fields['user_id']} not found")
        return fields

    async def _remove_time_log(self, request: Request, card_id: int, log_id: int) -> Json:
        self._card_time_log(card_id, log_id)
        del self.time_logs[log_id]
        self._recount_time(self._card(card_id))
        return {"id": log_id}

    def _card_time_log(self, card_id: int, log_id: int) -> Json:
        self._card(card_id)
        log = self.time_logs.get(log_id)
        if log is None or log["card_id"] != card_id:
            raise refused(404, "Time log not found")
        return log

    def _add_time_log_record(
        self, card: Json, *, minutes: int, for_date: str, user_id: int, created: str
    ) -> Json:
        log_id = next(self._ids)
        log = {
            "id": log_id,
            "card_id": card["id"],
            "user_id": user_id,
            "role_id": -1,
            "author_id": self.current_user_id,
            "updater_id": self.current_user_id,
            "time_spent": minutes,
            "for_date": for_date,
            "comment": None,
            "created": created,
            "updated": created,
        }
        self.time_logs[log_id] = log
        self._recount_time(card)
        return log

    def _recount_time(self, card: Json) -> None:
        card["time_spent_sum"] = sum(
            log["time_spent"] for log in self.time_logs.values() if log["card_id"] == card["id"]
        )

    # ---- users -----------------------------------------------------------------------

    async def _list_users(self, request: Request) -> list[Json]:
        offset, limit = _page_window(request)
        return [
            user | {"company_id": COMPANY_ID, "user_id": user["id"], "role": 2}
            for user in list(self.users.values())[offset : offset + limit]
        ]

    async def _current_user(self, request: Request) -> Json:
        user = self.users[self.current_user_id]
        return user | {
            "company_id": COMPANY_ID,
            "user_id": user["id"],
            "role": 1,
            "default_space_id": None,
        }

    # ---- building state ----------------------------------------------------------------

    def _add_user(self, full_name: str, username: str) -> int:
        user_id = next(self._ids)
        created = stamp(_SEED_TIME)
        self.users[user_id] = {
            "id": user_id,
            "uid": f"user-{user_id}",
            "full_name": full_name,
            "email": f"{username}@example.test",
            "username": username,
            "avatar_initials_url": f"https://fake.test/avatars/{username}.png",
            "avatar_uploaded_url": None,
            "initials": "".join(part[0] for part in full_name.split()),
            "avatar_type": 2,
            "lng": "en",
            "timezone": "UTC",
            "theme": "auto",
            "created": created,
            "updated": created,
            "activated": True,
            "ui_version": 2,
            "virtual": False,
        }
        return user_id

    def _add_space(self, title: str) -> int:
        space_id = next(self._ids)
        created = stamp(_SEED_TIME)
        self.spaces[space_id] = {
            "id": space_id,
            "uid": f"space-{space_id}",
            "title": title,
            "created": created,
            "updated": created,
            "archived": False,
            "access": "for_everyone",
            "entity_type": "space",
            "path": str(space_id),
            "sort_order": len(self.spaces) + 1,
            "parent_entity_uid": None,
            "company_id": COMPANY_ID,
            "allowed_card_type_ids": None,
            "external_id": None,
        }
        return space_id

    def _add_board(self, space_id: int, title: str) -> int:
        board_id = next(self._ids)
        created = stamp(_SEED_TIME)
        self.boards[board_id] = {
            "id": board_id,
            "title": title,
            "description": "",
            "created": created,
            "updated": created,
            "cell_wip_limits": None,
            "external_id": None,
            "default_card_type_id": next(iter(self.card_types), None)
            or self._add_card_type("Card", "C", 4),
            "email_key": f"board{board_id}",
            "move_parents_to_done": False,
            "default_tags": None,
            "top": 0,
            "left": 0,
            "sort_order": len(self._boards_of(space_id)) + 1,
            "type": 1,
            "space_id": space_id,
        }
        return board_id

    def _add_column(
        self, board_id: int, title: str, kind: int, *, parent_id: int | None = None
    ) -> int:
        column_id = next(self._ids)
        created = stamp(_SEED_TIME)
        siblings = [
            c
            for c in self.columns.values()
            if c["board_id"] == board_id and c["column_id"] == parent_id
        ]
        self.columns[column_id] = {
            "id": column_id,
            "title": title,
            "sort_order": len(siblings) + 1,
            "col_count": 1,
            "wip_limit": None,
            "wip_limit_type": 1,
            "type": kind,
            "rules": 0,
            "board_id": board_id,
            "column_id": parent_id,
            "archive_after_days": None,
            "external_id": None,
            "pause_sla": False,
            "created": created,
            "updated": created,
        }
        return column_id

    def _add_lane(self, board_id: int, title: str) -> int:
        lane_id = next(self._ids)
        created = stamp(_SEED_TIME)
        self.lanes[lane_id] = {
            "id": lane_id,
            "title": title,
            "sort_order": len(self._board_lanes(board_id)) + 1,
            "row_count": 1,
            "wip_limit": None,
            "wip_limit_type": 1,
            "board_id": board_id,
            "default_card_type_id": None,
            "external_id": None,
            "condition": LIVE,
            "created": created,
            "updated": created,
        }
        return lane_id

    def _add_card_type(self, name: str, letter: str, color: int) -> int:
        type_id = next(self._ids)
        created = stamp(_SEED_TIME)
        self.card_types[type_id] = {
            "id": type_id,
            "uid": f"type-{type_id}",
            "name": name,
            "letter": letter,
            "color": color,
            "company_id": COMPANY_ID,
            "archived": False,
            "properties": None,
            "suggest_fields": False,
            "description_template": None,
            "created": created,
            "updated": created,
        }
        return type_id

    def _add_tag(self, name: str) -> Json:
        tag_id = next(self._ids)
        created = stamp()
        tag = {
            "id": tag_id,
            "name": name,
            "company_id": COMPANY_ID,
            "color": len(self.tags) % 16 + 1,
            "archived": False,
            "created": created,
            "updated": created,
        }
        self.tags[tag_id] = tag
        return tag

    def _add_card(
        self,
        title: str,
        *,
        board_id: int,
        column_id: int,
        lane_id: int,
        sort_order: float,
        owner_id: int,
        type_id: int | None = None,
        created: str | None = None,
    ) -> Json:
        card_id = next(self._ids)
        created = created or stamp(_SEED_TIME)
        card = {
            "id": card_id,
            "title": title,
            "description": None,
            "description_filled": False,
            "asap": False,
            "due_date": None,
            "due_date_time_present": False,
            "expires_later": False,
            "sort_order": sort_order,
            "fifo_order": None,
            "condition": LIVE,
            "parents_count": 0,
            "children_count": 0,
            "children_done": 0,
            "has_blocked_children": False,
            "goals_total": 0,
            "goals_done": 0,
            "time_spent_sum": 0,
            "time_blocked_sum": 0,
            "blocking_card": False,
            "size": None,
            "size_unit": None,
            "size_text": None,
            "board_id": board_id,
            "column_id": column_id,
            "lane_id": lane_id,
            "owner_id": owner_id,
            "type_id": type_id or self.boards[board_id]["default_card_type_id"],
            "version": 1,
            "updater_id": owner_id,
            "completed_on_time": None,
            "completed_at": None,
            "last_moved_at": created,
            "lane_changed_at": created,
            "column_changed_at": created,
            "first_moved_to_in_progress_at": None,
            "last_moved_to_done_at": None,
            "sprint_id": None,
            "external_id": None,
            "comments_total": 0,
            "comment_last_added_at": None,
            "properties": None,
            "public": False,
            "source": "api",
            "created": created,
            "updated": created,
            "member_types": {},
            "tag_ids": [],
        }
        self.cards[card_id] = card
        return card

    def _seed(self) -> None:
        me = self.current_user_id
        dana = self._add_user("Dana Kim", "dana")
        lee = self._add_user("Lee Novak", "lee")
        task_type = self._add_card_type("Card", "C", 4)
        bug_type = self._add_card_type("Bug", "B", 2)
        backend, frontend, urgent = (
            self._add_tag(name)["id"] for name in ("backend", "frontend", "urgent")
        )

        space = self._add_space("Product")
        board = self._add_board(space, "Development")
        backlog = self._add_column(board, "Backlog", QUEUE)
        in_progress = self._add_column(board, "In progress", IN_PROGRESS)
        doing = self._add_column(board, "Doing", IN_PROGRESS, parent_id=in_progress)
        review = self._add_column(board, "Review", IN_PROGRESS, parent_id=in_progress)
        done = self._add_column(board, "Done", DONE)
        features = self._add_lane(board, "Features")
        bugs = self._add_lane(board, "Bugs")

        def card(
            title: str, column: int, lane: int, *, tags: Iterable[int] = (), bug: bool = False
        ) -> Json:
            order = self._cell_edge(column, lane, top=False)
            made = self._add_card(
                title,
                board_id=board,
                column_id=column,
                lane_id=lane,
                sort_order=order,
                owner_id=me,
                type_id=bug_type if bug else task_type,
            )
            made["tag_ids"].extend(tags)
            if self.columns[column]["type"] == DONE:
                made["completed_at"] = made["last_moved_to_done_at"] = made["created"]
            return made

        card("Design login screen", backlog, features, tags=[frontend])
        card("Dark theme", backlog, features, tags=[frontend])
        card("Typo in settings", backlog, bugs, bug=True)
        client = card("Write API client", doing, features, tags=[backend])
        client["description"], client["description_filled"] = (
            "Cover boards, cards and time logs.",
            True,
        )
        client["member_types"] = {dana: RESPONSIBLE, lee: MEMBER}
        checklist = self._add_checklist_record(client, "Endpoints", created=stamp(_SEED_TIME))
        for n, text in enumerate(("Boards", "Cards", "Time logs")):
            item = self._add_item_record(checklist, text, created=stamp(_SEED_TIME))
            if n == 0:
                item.update(
                    checked=True, checker_id=dana, checked_at=stamp(_SEED_TIME + timedelta(hours=2))
                )
        crash = card("Fix crash on empty board", doing, bugs, tags=[backend, urgent], bug=True)
        blocker_id = next(self._ids)
        self.blockers[blocker_id] = {
            "id": blocker_id,
            "card_id": crash["id"],
            "blocker_id": lee,
            "reason": "Waiting for logs from support",
            "blocker_card_id": None,
            "blocker_card_title": None,
            "released": False,
            "released_by_id": None,
            "due_date": None,
            "due_date_time_present": False,
            "created": stamp(_SEED_TIME + timedelta(hours=1)),
            "updated": stamp(_SEED_TIME + timedelta(hours=1)),
        }
        pagination = card("Review pagination", review, features, tags=[backend])
        pagination["member_types"] = {me: RESPONSIBLE}
        self._add_comment_record(
            pagination,
            "Offsets look right to me.",
            created=stamp(_SEED_TIME + timedelta(hours=3)),
            author_id=dana,
        )
        self._add_comment_record(
            pagination,
            "Merging after one more test.",
            created=stamp(_SEED_TIME + timedelta(hours=4)),
        )
        card("Keyboard shortcuts help", review, features, tags=[frontend])
        card("Set up CI", done, features, tags=[backend])
        card("Release notes", done, features)
        timer = card("Timer persistence", doing, features, tags=[backend])
        for minutes, day in ((90, "2026-01-05"), (45, "2026-01-06")):
            self._add_time_log_record(
                timer, minutes=minutes, for_date=day, user_id=me, created=stamp(_SEED_TIME)
            )
        card("Old prototype", done, features)["condition"] = ARCHIVED


# ---- request parsing ----------------------------------------------------------------------


async def _json_body(request: Request) -> Json:
    raw = await request.body()
    if not raw:
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise refused(400, "request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise refused(400, "request body must be a JSON object")
    return body


def _typed(
    body: Json, name: str, kinds: type | tuple[type, ...], described: str, *, nullable: bool = False
) -> Any:
    """body[name] if it has the JSON type the field takes, _MISSING when absent."""
    if name not in body:
        return _MISSING
    value = body[name]
    if value is None and nullable:
        return None
    wants_bool = kinds is bool
    if isinstance(value, bool) != wants_bool or not isinstance(value, kinds):
        raise refused(400, f"{name} must be {described}")
    return value


def _typed_fields(body: Json, spec: FieldSpec) -> Json:
    """The fields of `spec` present in the body, each checked by `_typed`."""
    fields: Json = {}
    for name, kinds, described, nullable in spec:
        value = _typed(body, name, kinds, described, nullable=nullable)
        if value is not _MISSING:
            fields[name] = value
    return fields


def _required_text(body: Json, name: str) -> str:
    value = _typed(body, name, str, "a string")
    if value is _MISSING or not value.strip():
        raise refused(400, f"{name} is required")
    return value


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise refused(400, "for_date must be a date (YYYY-MM-DD)") from None


def _query_int(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise refused(400, f"{name} must be an integer") from None


def _query_ints(request: Request, name: str) -> set[int]:
    raw = request.query_params.get(name) or ""
    try:
        return {int(part) for part in raw.split(",") if part.strip()}
    except ValueError:
        raise refused(400, f"{name} must be comma-separated integers") from None


def _query_bool(request: Request, name: str) -> bool | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise refused(400, f"{name} must be true or false")


def _page_window(request: Request) -> tuple[int, int]:
    offset = _query_int(request, "offset")
    limit = _query_int(request, "limit")
    offset = 0 if offset is None else offset
    limit = MAX_LIMIT if limit is None else limit
    if offset < 0:
        raise refused(400, "offset must be 0 or more")
    if not 1 <= limit <= MAX_LIMIT:
        raise refused(400, f"limit must be between 1 and {MAX_LIMIT}")
    return offset, limit


# ---- small pieces ------------------------------------------------------------------------


def _find(table: dict[int, Json], key: int, what: str) -> Json:
    found = table.get(key)
    if found is None:
        raise refused(404, f"{what} not found")
    return found


def _public_item(item: Json) -> Json:
    return {key: value for key, value in item.items() if key != "checklist_id"}


def _column_type(index: int, count: int) -> int:
    if index == 0:
        return QUEUE
    return DONE if index == count - 1 else IN_PROGRESS


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Unknown paths and methods answer in the API's error shape, not Starlette's text."""
    return refused(exc.status_code, exc.detail).response()
