"""Unclear outcomes: a write that may have been applied says so, and sets `in_doubt`.

The outbox reads the service before it sends an in-doubt write again, and sends a
write that cannot have reached the service again without looking. So the flag must be
exactly right both ways: set whenever the service may have acted, never otherwise.
"""

from __future__ import annotations

import random

import httpx
import pytest

from tests.support.clock import FakeClock
from tui.core.errors import Conflict, Unavailable, ValidationError
from tui.core.models import Board, BoardContent, Card, User
from tui.core.provider import Capabilities, Connection, Provider
from tui.core.secret import Secret
from tui.providers.http import MAY_HAVE_BEEN_APPLIED, HttpClient, ServiceSpec, checks_answers

SPEC = ServiceSpec(title="Kanbert", token_header="Authorization", token_prefix="Bearer ")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def client(clock: FakeClock, *answers: httpx.Response | Exception) -> tuple[HttpClient, list]:
    sent: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    connection = Connection(
        account="work",
        url="https://svc.test/api/v1",
        token=Secret("t"),
        transport=httpx.MockTransport(handler),
    )
    return HttpClient(connection, SPEC, clock=clock, rng=random.Random(3)), sent


UNCLEAR = {
    "dropped after sending": httpx.RemoteProtocolError("server disconnected"),
    "read timeout": httpx.ReadTimeout("no answer"),
    "500": httpx.Response(500, json={"message": "oops"}),
    "502": httpx.Response(502, content=b"<html>Bad Gateway</html>"),
    "503": httpx.Response(503, json={"message": "maintenance"}),
    "504": httpx.Response(504),
    "2xx unreadable": httpx.Response(201, content=b'{"id": 7, "tit'),
}


@pytest.mark.parametrize("answer", UNCLEAR.values(), ids=UNCLEAR.keys())
async def test_an_unclear_answer_to_a_create_is_in_doubt(clock, answer):
    service, sent = client(clock, answer)
    with pytest.raises(Unavailable) as unclear:
        await service.post("/tasks", json={"title": "New"})
    assert unclear.value.in_doubt is True
    assert str(unclear.value).count(MAY_HAVE_BEEN_APPLIED) == 1
    assert len(sent) == 1  # a create is never sent again blindly


@pytest.mark.parametrize("answer", UNCLEAR.values(), ids=UNCLEAR.keys())
async def test_an_unclear_answer_to_a_read_is_not_in_doubt(clock, answer):
    service, _ = client(clock, answer)
    with pytest.raises(Unavailable) as unclear:
        await service.get("/tasks")
    assert unclear.value.in_doubt is False
    assert "may have been applied" not in str(unclear.value)


async def test_a_502_to_a_create_says_it_may_have_been_applied(clock):
    service, _ = client(clock, httpx.Response(502))
    with pytest.raises(
        Unavailable,
        match=r"^Kanbert \(work\): POST /api/v1/tasks answered HTTP 502 Bad Gateway "
        r"\(the change may have been applied\)$",
    ):
        await service.post("/tasks", json={"title": "New"})


async def test_a_write_that_never_reached_the_service_is_not_in_doubt(clock):
    service, sent = client(clock, httpx.ConnectError("refused"))
    with pytest.raises(Unavailable, match="could not connect") as failed:
        await service.post("/tasks", json={"title": "New"})
    assert failed.value.in_doubt is False
    assert "may have been applied" not in str(failed.value)
    assert len(sent) == 3  # safe to send again at once, and it was


async def test_a_retried_put_stays_in_doubt_once_any_try_may_have_landed(clock):
    service, sent = client(
        clock,
        httpx.RemoteProtocolError("dropped after acting"),
        httpx.ConnectError("refused"),
        httpx.ConnectError("refused"),
    )
    with pytest.raises(Unavailable) as failed:
        await service.put("/tasks/1", json={"status": "WIP"})
    assert failed.value.in_doubt is True  # the first try may have been applied
    assert len(sent) == 3


async def test_a_retried_put_that_finally_gets_a_5xx_is_in_doubt(clock):
    service, sent = client(clock, httpx.Response(503))
    with pytest.raises(Unavailable) as failed:
        await service.put("/tasks/1", json={"status": "WIP"})
    assert failed.value.in_doubt is True and len(sent) == 3


@pytest.mark.parametrize(("status", "kind"), [(409, Conflict), (422, ValidationError)])
async def test_a_refusal_is_not_in_doubt_and_not_unavailable(clock, status, kind):
    service, _ = client(clock, httpx.Response(status, json={"message": "no"}))
    with pytest.raises(kind) as refused:
        await service.post("/tasks", json={})
    assert not isinstance(refused.value, Unavailable)


def test_in_doubt_defaults_to_false_for_every_other_unavailable():
    assert Unavailable("the service is down").in_doubt is False


# --- answers a provider cannot read -----------------------------------------------------


@checks_answers
class _Garbled(Provider):
    """Every answer lacks what the provider reads."""

    name = "garbled"
    title = "Garbled"
    capabilities = Capabilities(supported=frozenset())

    async def whoami(self) -> User:
        raise KeyError("id")

    async def list_boards(self) -> list[Board]:
        raise KeyError("id")

    async def load_board(self, board_id: str) -> BoardContent:
        raise KeyError("id")

    async def get_card(self, board_id: str, card_id: str) -> Card:
        raise KeyError("id")

    async def add_comment(self, board_id: str, card_id: str, text: str):
        raise KeyError("id")  # the service took the comment; its answer is unreadable


async def test_a_write_whose_answer_cannot_be_read_is_in_doubt():
    garbled = _Garbled(Connection(account="work"))
    with pytest.raises(Unavailable, match="may have been applied") as unreadable:
        await garbled.add_comment("1", "2", "hello")
    assert unreadable.value.in_doubt is True


async def test_a_read_whose_answer_cannot_be_read_is_not_in_doubt():
    garbled = _Garbled(Connection(account="work"))
    with pytest.raises(Unavailable) as unreadable:
        await garbled.get_card("1", "2")
    assert unreadable.value.in_doubt is False
    assert "may have been applied" not in str(unreadable.value)
