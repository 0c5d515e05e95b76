"""Pace, don't drop: bursts up to the rate window, 429 storms, Retry-After, the reset.

Everything runs on the test's virtual clock: a sleep moves it on at once, so a minute
of waiting takes no time, and the moments requests arrive can be compared exactly.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import Counter

import httpx
import pytest

from tests.fakes.kaiten import KaitenFake
from tests.support.clock import FakeClock
from tests.support.providers import against_fake
from tui.core.errors import RateLimited
from tui.core.models import CardDraft, Placement
from tui.core.provider import Connection
from tui.core.secret import Secret
from tui.providers.http import HttpClient, RetryPolicy, ServiceSpec
from tui.providers.kaiten import KaitenProvider
from tui.providers.rate_window import SystemClock, shared_window

RATED = ServiceSpec(title="Kaiten", token_header="Authorization", requests_per_second=5.0)
UNRATED = ServiceSpec(title="Kitemaker", token_header="X-API-KEY")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


class Recorder(httpx.AsyncBaseTransport):
    """Passes requests to `inner` and notes each answer's status and virtual moment.

    `in_flight=True` lets the other tasks run before a request reaches the service, as
    the network does: a burst is all sent before the first answer comes back.
    """

    def __init__(self, inner: httpx.AsyncBaseTransport, clock: FakeClock, in_flight: bool):
        self.inner = inner
        self.clock = clock
        self.in_flight = in_flight
        self.answers: list[tuple[float, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(10 if self.in_flight else 0):
            await asyncio.sleep(0)
        response = await self.inner.handle_async_request(request)
        self.answers.append((self.clock.now, request.method, response.status_code))
        return response

    def count(self, status: int) -> int:
        return sum(1 for _, _, answered in self.answers if answered == status)


class NetworkClock(FakeClock):
    """Virtual time that moves on only once the other tasks have had their turns, so
    requests in flight reach the service before a sleeper's wake-up moves the clock."""

    async def sleep(self, seconds: float) -> None:
        wake = self.now + seconds
        for _ in range(50):
            await asyncio.sleep(0)
        await super().sleep(max(0.0, wake - self.now))


def client(
    handler, clock: FakeClock, spec: ServiceSpec = RATED, *, account: str = "work", seed: int = 7
) -> HttpClient:
    connection = Connection(
        account=account,
        url="https://svc.test/api",
        token=Secret("t"),
        transport=httpx.MockTransport(handler),
    )
    return HttpClient(connection, spec, clock=clock, rng=random.Random(seed))


def scripted(clock: FakeClock, *answers: httpx.Response):
    """A handler answering `answers` in turn (the last one ever after), noting moments."""
    moments: list[float] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        moments.append(clock.now)
        return queue.pop(0) if len(queue) > 1 else queue[0]

    return handler, moments


def ok() -> httpx.Response:
    return httpx.Response(200, json={})


# --- the window -----------------------------------------------------------------------


async def test_clients_of_one_account_share_one_window(clock):
    handler, moments = scripted(clock, ok())
    first, second = client(handler, clock), client(handler, clock)
    start = clock.now
    await asyncio.gather(*(c.get("/x") for c in (first, second) * 5))
    assert [round(m - start, 6) for m in moments] == [0.0] * 5 + [1.0] * 5


async def test_another_account_has_its_own_window(clock):
    handler, moments = scripted(clock, ok())
    work, home = client(handler, clock), client(handler, clock, account="home")
    start = clock.now
    await asyncio.gather(*(c.get("/x") for c in (work, home) * 5))
    assert [round(m - start, 6) for m in moments] == [0.0] * 10


# --- 429: the whole queue waits, nothing is dropped -------------------------------------


async def test_a_429_holds_the_whole_queue_for_its_retry_after(clock):
    handler, moments = scripted(clock, httpx.Response(429, headers={"Retry-After": "5"}), ok())
    service = client(handler, clock, UNRATED)  # no declared rate: only the 429 paces it
    start = clock.now
    await asyncio.gather(*(service.get(f"/x/{n}") for n in range(4)))
    assert moments[0] == start
    assert all(start + 5.0 <= moment <= start + 5.5 for moment in moments[1:])
    assert len(moments) == 5


async def test_a_429_holds_the_queue_until_x_ratelimit_reset(clock):
    reset = int(clock.now) + 3
    spent = httpx.Response(
        429, headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}
    )
    handler, moments = scripted(clock, spent, ok())
    service = client(handler, clock)
    await asyncio.gather(*(service.get(f"/x/{n}") for n in range(3)))
    assert all(reset <= moment <= reset + 0.3 for moment in moments[1:])


async def test_after_a_429_the_queue_does_not_rush_back_all_at_once():
    clock = NetworkClock()
    sent: list[float] = []
    refusals = 3

    async def handler(request: httpx.Request) -> httpx.Response:
        nonlocal refusals
        sent.append(clock.now)
        for _ in range(10):  # in flight: the other tasks run meanwhile
            await asyncio.sleep(0)
        if refusals:
            refusals -= 1
            return httpx.Response(429, headers={"Retry-After": "2"})
        return ok()

    service = client(handler, clock, UNRATED)  # no declared rate: all three go at once
    start = clock.now
    await asyncio.gather(*(service.get(f"/{n}") for n in range(3)))
    assert [moment - start for moment in sent[:3]] == [0.0, 0.0, 0.0]
    # All three were refused. When the wait is over, one goes first; the window widens
    # by one a period as answers come back, instead of the three retrying together.
    first, second, third = (moment - start for moment in sent[3:])
    assert 2.0 <= first <= 2.2
    assert second == pytest.approx(first + 1.0) and third == pytest.approx(second)


async def test_a_write_refused_longer_than_five_times_is_still_sent(clock):
    refusals = [httpx.Response(429, headers={"Retry-After": "1"})] * 12
    handler, moments = scripted(clock, *refusals, httpx.Response(200, json={"id": 1}))
    service = client(handler, clock)
    assert await service.post("/cards", json={"title": "once"}) == {"id": 1}
    assert len(moments) == 13


async def test_a_write_refused_past_the_bound_is_handed_back_to_be_queued(clock):
    handler, moments = scripted(clock, httpx.Response(429, headers={"Retry-After": "4"}))
    service = client(handler, clock)
    start = clock.now
    with pytest.raises(RateLimited) as handed_back:
        await service.post("/cards", json={"title": "later"})
    assert handed_back.value.retry_after == pytest.approx(4.0)
    assert "may have been applied" not in str(handed_back.value)  # a 429 did nothing
    bound = RetryPolicy().max_rate_limit_wait
    assert bound - 4.0 < clock.now - start <= bound + 0.4
    assert len(moments) > 10


async def test_the_jitter_is_the_same_with_the_same_seed_and_differs_with_another(clock):
    async def run(seed: int) -> list[float]:
        clock = FakeClock()
        handler, moments = scripted(
            clock, *[httpx.Response(429, headers={"Retry-After": "1"})] * 4, ok()
        )
        await client(handler, clock, seed=seed).get("/x")
        return [moment - moments[0] for moment in moments]

    first, again, other = await run(7), await run(7), await run(8)
    assert first == again
    assert first != other
    gaps = [later - earlier for earlier, later in itertools.pairwise(first)]
    assert all(1.0 <= gap <= 1.1 for gap in gaps)  # the wait asked, and a little more
    assert len(set(gaps)) == len(gaps)


# --- against the Kaiten fake ------------------------------------------------------------


def slow_kaiten(
    clock: FakeClock, *, in_flight: bool = False
) -> tuple[KaitenFake, KaitenProvider, Recorder]:
    """Kaiten allowing 1 request a second where the docs promise 5."""
    fake = KaitenFake(clock=clock.monotonic, rate_limit=1.0)
    fake.wall_clock = clock.time
    recorder = Recorder(fake.transport(), clock, in_flight)
    return fake, against_fake(KaitenProvider, fake, clock, transport=recorder), recorder


def board_and_done(fake: KaitenFake) -> tuple[str, str]:
    board_id = next(iter(fake.boards))
    done = next(c["id"] for c in fake.columns.values() if c["title"] == "Done")
    return str(board_id), str(done)


@pytest.mark.parametrize("in_flight", [False, True], ids=["answered-at-once", "burst-in-flight"])
async def test_eight_quick_moves_at_1_request_a_second_all_land(in_flight):
    clock = NetworkClock()
    fake, kaiten, recorder = slow_kaiten(clock, in_flight=in_flight)
    board_id, done = board_and_done(fake)
    cards = [c["id"] for c in fake.cards.values() if c["condition"] == 1][:8]
    start = clock.now
    moved = await asyncio.gather(
        *(
            kaiten.move_card(
                board_id, str(card), Placement(column_id=done, index=0, position=float(n))
            )
            for n, card in enumerate(cards)
        )
    )
    assert [card.column_id for card in moved] == [done] * 8
    assert all(fake.cards[card]["column_id"] == int(done) for card in cards)
    elapsed, refused = clock.now - start, recorder.count(429)
    assert recorder.count(200) == 8
    assert elapsed <= 8.5  # the service's pace: 8 requests at 1 a second, and jitter
    assert refused <= (4 if in_flight else 0)  # the first burst; then the window narrows


async def test_eight_quick_creates_at_1_request_a_second_each_land_exactly_once():
    clock = NetworkClock()
    fake, kaiten, recorder = slow_kaiten(clock, in_flight=True)
    board_id, done = board_and_done(fake)
    titles = [f"Quick {n}" for n in range(8)]
    await asyncio.gather(
        *(kaiten.create_card(board_id, CardDraft(title=t, column_id=done)) for t in titles)
    )
    made = Counter(card["title"] for card in fake.cards.values())
    assert [made[title] for title in titles] == [1] * 8
    assert recorder.count(200) == 8
    assert recorder.count(429) == 4  # the first burst: 5 sent, 1 taken; then one a second


async def test_a_storm_of_429s_from_kaiten_is_waited_out_and_the_card_made_once(clock):
    fake, kaiten, recorder = slow_kaiten(clock)
    board_id, done = board_and_done(fake)
    fake.rate_limit_storm(9)  # more refusals in a row than the old client took
    card = await kaiten.create_card(board_id, CardDraft(title="Patient", column_id=done))
    assert [c["title"] for c in fake.cards.values()].count("Patient") == 1
    assert card.title == "Patient"
    assert recorder.count(429) == 9


async def test_a_wait_longer_than_the_bound_hands_back_the_queue_without_asking_again(clock):
    handler, moments = scripted(clock, httpx.Response(429, headers={"Retry-After": "600"}), ok())
    service = client(handler, clock)
    for path in ("/first", "/second"):
        with pytest.raises(RateLimited) as handed_back:
            await service.post(path, json={})
        assert 600 <= handed_back.value.retry_after <= 660
    assert len(moments) == 1  # the second never reached the service
    assert clock.sleeps == []


def test_every_client_on_the_machines_clock_shares_its_accounts_window():
    first = shared_window("Kaiten", "https://a.test/api", "work", 5.0, SystemClock())
    again = shared_window("Kaiten", "https://a.test/api", "work", 5.0, SystemClock())
    other = shared_window("Kaiten", "https://a.test/api", "home", 5.0, SystemClock())
    assert first is again and other is not first
