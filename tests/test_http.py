"""The HTTP client: auth, rate limit, 429 handling, retries, error mapping, redaction."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable

import httpx
import pytest

from tests.support.clock import FakeClock
from tui.core import codec
from tui.core.errors import (
    AuthError,
    ConfigError,
    Conflict,
    NotFound,
    PermissionDenied,
    ProviderError,
    RateLimited,
    Unavailable,
    ValidationError,
)
from tui.core.models import Board, BoardContent, Card, User
from tui.core.provider import Capabilities, Connection, Provider
from tui.core.secret import Secret
from tui.providers.http import HttpClient, RetryPolicy, ServiceSpec, checks_answers

TOKEN = "s3cret-t0ken-value"
BASE = "https://team.example.test/api/v1"
BEARER = ServiceSpec(title="Kaiten", token_header="Authorization", token_prefix="Bearer ")
RATED = ServiceSpec(
    title="Kaiten", token_header="Authorization", token_prefix="Bearer ", requests_per_second=5.0
)
HEADER = ServiceSpec(
    title="KanbanTool", token_header="X-KanbanToolToken", status_errors={403: AuthError}
)


Handler = Callable[[httpx.Request], httpx.Response]


class Server:
    """A scripted MockTransport: answers in order, records what arrived and when."""

    def __init__(self, clock: FakeClock, *answers: httpx.Response | Exception | Handler):
        self.clock = clock
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []
        self.times: list[float] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        self.times.append(self.clock.now)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer


def ok(body: object = None) -> httpx.Response:
    return httpx.Response(200, json=body if body is not None else {"ok": True})


def make_client(
    server: Server, spec: ServiceSpec = BEARER, *, token: str | None = TOKEN, url: str | None = BASE
) -> HttpClient:
    connection = Connection(
        account="work",
        url=url,
        token=Secret(token) if token is not None else None,
        transport=httpx.MockTransport(server),
    )
    return HttpClient(connection, spec, clock=server.clock, rng=random.Random(7))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- auth and basics ----------------------------------------------------------------


async def test_bearer_token_goes_in_the_authorization_header_only(clock):
    server = Server(clock, ok({"id": 1}))
    client = make_client(server)
    assert await client.get("/users/current", params={"limit": 5}) == {"id": 1}
    request = server.requests[0]
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert str(request.url) == f"{BASE}/users/current?limit=5"
    assert TOKEN not in str(request.url)


async def test_kanbantool_token_goes_in_its_own_header_never_the_query(clock):
    server = Server(clock, ok([]))
    client = make_client(server, HEADER)
    await client.get("/boards.json")
    request = server.requests[0]
    assert request.headers["X-KanbanToolToken"] == TOKEN
    assert "Authorization" not in request.headers
    assert "api_token" not in str(request.url) and TOKEN not in str(request.url)


async def test_json_body_is_sent_and_empty_answer_is_none(clock):
    server = Server(clock, httpx.Response(204))
    client = make_client(server)
    assert await client.post("/cards", json={"title": "A"}) is None
    assert server.requests[0].method == "POST"
    assert server.requests[0].content == b'{"title":"A"}'


async def test_default_url_is_used_when_the_account_has_none(clock):
    server = Server(clock, ok())
    connection = Connection(
        account="work", token=Secret(TOKEN), transport=httpx.MockTransport(server)
    )
    client = HttpClient(connection, BEARER, default_url="https://default.test/api", clock=clock)
    await client.get("/spaces")
    assert str(server.requests[0].url) == "https://default.test/api/spaces"


def test_no_url_at_all_is_a_config_error():
    with pytest.raises(ConfigError, match="'work': Kaiten needs a url"):
        HttpClient(Connection(account="work", token=Secret(TOKEN)), BEARER)


@pytest.mark.parametrize("url", ["team.kaiten.ru/api/v1", "ftp://team.kaiten.ru", "https://"])
def test_a_url_that_is_not_http_is_a_config_error(url):
    with pytest.raises(ConfigError, match="'work': the Kaiten url must start with https://"):
        HttpClient(Connection(account="work", url=url, token=Secret(TOKEN)), BEARER)


async def test_missing_token_fails_without_a_request(clock):
    server = Server(clock, ok())
    client = make_client(server, token=None)
    with pytest.raises(AuthError, match="no token for account 'work'"):
        await client.get("/spaces")
    assert server.requests == []


# --- rate limiter -------------------------------------------------------------------


async def test_requests_go_in_bursts_of_the_rate_window_not_one_every_fifth_second(clock):
    server = Server(clock, ok())
    client = make_client(server, RATED)
    for _ in range(12):
        await client.get("/spaces")
    start = server.times[0]
    assert [round(t - start, 6) for t in server.times] == [0.0] * 5 + [1.0] * 5 + [2.0] * 2


async def test_concurrent_requests_share_one_window(clock):
    server = Server(clock, ok())
    client = make_client(server, RATED)
    start = clock.now
    await asyncio.gather(*(client.get(f"/cards/{i}") for i in range(11)))
    assert len(server.requests) == 11
    assert [round(t - start, 6) for t in server.times] == [0.0] * 5 + [1.0] * 5 + [2.0]


async def test_no_declared_rate_means_no_waiting(clock):
    server = Server(clock, ok())
    client = make_client(server, HEADER)
    await asyncio.gather(*(client.get("/boards.json") for _ in range(5)))
    assert clock.sleeps == []


async def test_an_exhausted_rate_window_holds_the_next_request_until_reset(clock):
    reset = clock.now + 1.5
    exhausted = httpx.Response(
        200,
        json={},
        headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(reset))},
    )
    server = Server(clock, exhausted, ok())
    client = make_client(server, BEARER)
    await client.get("/spaces")
    await client.get("/spaces")
    assert server.times[1] >= int(reset)


# --- 429 ----------------------------------------------------------------------------


async def test_429_waits_for_retry_after_then_succeeds(clock):
    limited = httpx.Response(429, json={"message": "slow down"}, headers={"Retry-After": "3"})
    server = Server(clock, limited, ok({"id": 9}))
    client = make_client(server)
    assert await client.get("/cards/9") == {"id": 9}
    assert len(server.requests) == 2
    assert 3.0 <= server.times[1] - server.times[0] <= 3.0 * 1.1  # and a little jitter


async def test_429_waits_for_x_ratelimit_reset_when_the_window_is_spent(clock):
    reset = int(clock.now) + 4
    limited = httpx.Response(
        429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    )
    server = Server(clock, limited, ok())
    client = make_client(server, RATED)
    await client.get("/spaces")
    assert reset <= server.times[1] <= reset + 4 * 0.1  # and a little jitter


async def test_429_on_post_is_retried_because_the_server_did_not_act(clock):
    server = Server(clock, httpx.Response(429, headers={"Retry-After": "1"}), ok({"id": 3}))
    client = make_client(server)
    assert await client.post("/cards", json={"title": "x"}) == {"id": 3}
    assert [r.method for r in server.requests] == ["POST", "POST"]


async def test_429_that_persists_past_the_bound_is_rate_limited(clock):
    server = Server(clock, httpx.Response(429, headers={"Retry-After": "2"}))
    client = make_client(server)
    start = clock.now
    with pytest.raises(RateLimited) as caught:
        await client.get("/spaces")
    bound = RetryPolicy().max_rate_limit_wait
    # Slowed down for the whole bound, not given up after a few tries...
    assert bound - 2.0 < clock.now - start <= bound + 2.0 * 0.1
    assert len(server.requests) > 20
    # ...and only then handed back, saying when to come again.
    assert caught.value.retry_after == pytest.approx(2.0)
    assert caught.value.status == 429
    assert "GET /api/v1/spaces" in str(caught.value)


async def test_a_wait_longer_than_the_bound_is_not_sat_out(clock):
    server = Server(clock, httpx.Response(429, headers={"Retry-After": "600"}), ok())
    client = make_client(server)
    with pytest.raises(RateLimited, match="try again in 600 s") as caught:
        await client.get("/spaces")
    assert len(server.requests) == 1 and clock.sleeps == []
    assert caught.value.retry_after == pytest.approx(600)


# --- retries ------------------------------------------------------------------------


async def test_get_is_retried_on_503_with_growing_backoff(clock):
    unavailable = httpx.Response(503, json={"message": "maintenance"})
    server = Server(clock, unavailable, unavailable, ok({"id": 1}))
    client = make_client(server)
    assert await client.get("/cards/1") == {"id": 1}
    assert len(server.requests) == 3
    first, second = clock.sleeps
    assert 0.25 <= first <= 0.5 and 0.5 <= second <= 1.0


async def test_get_gives_up_after_the_bound_with_unavailable(clock):
    server = Server(clock, httpx.Response(503, json={"message": "maintenance"}))
    client = make_client(server)
    with pytest.raises(Unavailable) as caught:
        await client.get("/cards/1")
    assert len(server.requests) == RetryPolicy().attempts
    assert caught.value.status == 503 and caught.value.detail == "maintenance"


async def test_post_is_not_retried_on_503(clock):
    server = Server(clock, httpx.Response(503), ok())
    client = make_client(server)
    with pytest.raises(Unavailable, match="HTTP 503"):
        await client.post("/cards", json={"title": "x"})
    assert len(server.requests) == 1


async def test_a_put_marked_not_idempotent_is_not_retried(clock):
    server = Server(clock, httpx.Response(503), ok())
    client = make_client(server)
    with pytest.raises(Unavailable):
        await client.put("/tasks/1/move.json", json={"direction": "up"}, idempotent=False)
    assert len(server.requests) == 1


async def test_post_is_retried_after_a_connect_error_before_sending(clock):
    server = Server(clock, httpx.ConnectError("refused"), ok({"id": 5}))
    client = make_client(server)
    assert await client.post("/cards", json={"title": "x"}) == {"id": 5}
    assert len(server.requests) == 2


async def test_post_is_not_retried_after_the_connection_drops_mid_answer(clock):
    server = Server(clock, httpx.RemoteProtocolError("server disconnected"), ok())
    client = make_client(server)
    with pytest.raises(Unavailable, match=r"lost the connection .*may have been applied"):
        await client.post("/cards", json={"title": "x"})
    assert len(server.requests) == 1


@pytest.mark.parametrize(
    "failure",
    [httpx.RemoteProtocolError("dropped"), httpx.ReadTimeout("slow"), httpx.ConnectError("no")],
)
async def test_idempotent_requests_are_retried_after_transport_failures(clock, failure):
    server = Server(clock, failure, ok({"done": True}))
    client = make_client(server)
    assert await client.put("/cards/1/archive", json={}) == {"done": True}
    assert len(server.requests) == 2


async def test_a_timeout_that_persists_is_unavailable(clock):
    server = Server(clock, httpx.ReadTimeout("slow"))
    client = make_client(server)
    with pytest.raises(Unavailable, match=r"Kaiten \(work\): GET /api/v1/spaces timed out"):
        await client.get("/spaces")
    assert len(server.requests) == RetryPolicy().attempts


async def test_jitter_is_reproducible_with_a_seed():
    def sleeps() -> list[float]:
        policy = RetryPolicy()
        rng = random.Random(42)
        return [policy.backoff(n, rng) for n in (1, 2, 3, 4, 5, 6)]

    first = sleeps()
    assert first == sleeps()
    assert all(0 < delay <= RetryPolicy().max_delay for delay in first)
    assert len(set(first)) == len(first)


# --- error mapping ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, ValidationError),
        (401, AuthError),
        (402, PermissionDenied),
        (403, PermissionDenied),
        (404, NotFound),
        (409, Conflict),
        (422, ValidationError),
        (500, Unavailable),
    ],
)
async def test_statuses_map_to_typed_errors_keeping_the_service_message(clock, status, kind):
    server = Server(clock, httpx.Response(status, json={"message": "the service's words"}))
    client = make_client(server)
    with pytest.raises(ProviderError) as caught:
        await client.patch("/cards/7", json={"title": "x"})
    error = caught.value
    assert type(error) is kind
    assert error.status == status
    assert error.detail == "the service's words"
    assert "the service's words" in str(error)
    assert "PATCH /api/v1/cards/7" in str(error)


async def test_401_says_the_token_was_rejected_for_the_account(clock):
    server = Server(clock, httpx.Response(401, json={"message": "Invalid token"}))
    client = make_client(server)
    with pytest.raises(AuthError, match="token rejected for account 'work'"):
        await client.get("/users/current")


async def test_a_provider_can_give_403_the_meaning_its_docs_give_it(clock):
    server = Server(clock, httpx.Response(403, json={"message": "API token is invalid"}))
    client = make_client(server, HEADER)
    with pytest.raises(AuthError, match="KanbanTool: token rejected for account 'work'"):
        await client.get("/boards.json")


async def test_a_provider_supplies_how_to_read_its_error_bodies(clock):
    spec = ServiceSpec(
        title="KanbanTool",
        token_header="X-KanbanToolToken",
        detail=lambda body: body["error"]["message"],  # type: ignore[index]
    )
    server = Server(clock, httpx.Response(422, json={"error": {"message": "Name can't be blank"}}))
    client = make_client(server, spec)
    with pytest.raises(ValidationError) as caught:
        await client.post("/boards/1/tasks.json", json={})
    assert caught.value.detail == "Name can't be blank"


async def test_the_query_string_never_reaches_an_error(clock):
    server = Server(clock, httpx.Response(404, json={"message": "no such board"}))
    client = make_client(server)
    with pytest.raises(NotFound) as caught:
        await client.get("/cards", params={"board_id": "77", "query": "private words"})
    assert "GET /api/v1/cards" in str(caught.value)
    assert "?" not in str(caught.value) and "private" not in str(caught.value)


async def test_malformed_json_is_unavailable(clock):
    server = Server(clock, httpx.Response(200, content=b"<html>502 Bad Gateway"))
    client = make_client(server)
    with pytest.raises(
        Unavailable, match="GET /api/v1/spaces answered HTTP 200 with a body that is not JSON"
    ):
        await client.get("/spaces")
    assert len(server.requests) == 1


async def test_a_non_json_error_page_still_maps_by_status(clock):
    server = Server(clock, httpx.Response(404, content=b"<html>Not here</html>"))
    client = make_client(server)
    with pytest.raises(NotFound) as caught:
        await client.delete("/cards/3")
    assert caught.value.detail is None


async def test_a_redirect_is_not_followed_with_the_token(clock):
    moved = httpx.Response(301, headers={"Location": "https://elsewhere.test/api/v1/spaces"})
    server = Server(clock, moved, ok())
    client = make_client(server)
    with pytest.raises(Unavailable, match="HTTP 301"):
        await client.get("/spaces")
    assert len(server.requests) == 1


# --- redaction ----------------------------------------------------------------------


async def test_the_token_is_redacted_from_errors_logs_and_reprs(clock, caplog):
    caplog.set_level(logging.DEBUG)
    echo = httpx.Response(401, json={"message": f"token {TOKEN} is not valid"})
    server = Server(clock, httpx.ConnectError(f"refused for {TOKEN}"), httpx.Response(503), echo)
    client = make_client(server)
    with pytest.raises(AuthError) as caught:
        await client.get("/spaces")
    error = caught.value
    assert TOKEN not in str(error) and TOKEN not in repr(error)
    assert TOKEN not in (error.detail or "") and "[redacted]" in (error.detail or "")
    assert TOKEN not in repr(client)
    assert caplog.records, "the retries should have been logged"
    for record in caplog.records:
        assert TOKEN not in record.getMessage()


async def test_a_transport_error_message_is_redacted_too(clock):
    server = Server(clock, httpx.RemoteProtocolError(f"peer said {TOKEN}"))
    client = make_client(server)
    with pytest.raises(Unavailable) as caught:
        await client.post("/cards", json={})
    assert TOKEN not in str(caught.value)


def test_repr_shows_neither_token_nor_url_credentials():
    connection = Connection(
        account="work", url="https://user:pw@team.example.test/api/v1", token=Secret(TOKEN)
    )
    client = HttpClient(connection, BEARER)
    text = repr(client)
    assert TOKEN not in text and "pw" not in text
    assert "team.example.test/api/v1" in text and "'work'" in text


# --- answers a provider cannot read -------------------------------------------------


@checks_answers
class _Reader(Provider):
    """A provider reading answers that lack what it expects."""

    name = "reader"
    title = "Reader"
    capabilities = Capabilities(supported=frozenset())

    async def whoami(self) -> User:
        return codec.validated(User, id=1)  # no name: pydantic refuses

    async def list_boards(self) -> list[Board]:
        answer: dict = {"title": "no id"}
        return [Board(id=answer["id"], name=answer["title"])]

    async def load_board(self, board_id: str) -> BoardContent:
        raise NotFound("no such board")

    async def get_card(self, board_id: str, card_id: str) -> Card:
        raise NotImplementedError


async def test_an_answer_of_the_wrong_shape_is_unavailable_not_a_traceback():
    reader = _Reader(Connection(account="work"))
    with pytest.raises(
        Unavailable,
        match=r"^Reader \(work\): list_boards got an answer it cannot read \(no 'id'\)$",
    ):
        await reader.list_boards()
    with pytest.raises(
        Unavailable, match=r"whoami got an answer it cannot read \(ValidationError\)"
    ):
        await reader.whoami()
    with pytest.raises(NotFound):  # the provider's own typed errors pass through
        await reader.load_board("1")
    assert _Reader.list_boards.__name__ == "list_boards"
