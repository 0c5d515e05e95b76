"""Draining the outbox: one operation at a time, in order, at the service's pace.

One pass (`sync`) sends every operation that is due, oldest first, one at a time,
so a card's changes reach the service in the order they were made, and a create
lands before anything that names its card. A card whose operation was refused waits
behind that conflict until the user retries or discards it; other cards go on.

A failure to reach the service (offline, 5xx, 429, a bad token) stops the pass and
delays the whole queue: by the service's Retry-After when it gave one, otherwise by
the retry policy's backoff (exponential, capped, with jitter from the injected RNG).
Nothing is dropped. `run` is the background loop that retries when the delay is over
or as soon as a new operation is queued (`wake`).
"""

from __future__ import annotations

import asyncio
import logging
import random
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from tui.core.errors import ProviderError, RateLimited
from tui.core.outbox import Clock, Operation, OpState, Outbox, RetryPolicy, moment
from tui.core.provider import Provider

if TYPE_CHECKING:
    from tui.core.replay import Applied, Outcome

log = logging.getLogger(__name__)


class Listener(Protocol):
    """What the store learns from the queue (it re-reads the outbox for the rest)."""

    def operations_changed(self) -> None: ...

    def applied(self, op: Operation, applied: Applied) -> None: ...

    def refused(self, op: Operation, error: ProviderError) -> None: ...

    def failed(self, op: Operation, error: ProviderError) -> None: ...


@dataclass(frozen=True)
class Sent:
    """One operation a pass dealt with, and how it ended (for `cardboard sync`)."""

    op: Operation
    outcome: Outcome


class SyncQueue:
    def __init__(
        self,
        outbox: Outbox,
        provider: Provider,
        listener: Listener,
        *,
        clock: Clock,
        rng: random.Random,
        policy: RetryPolicy,
    ):
        self.outbox = outbox
        self.provider = provider
        self.listener = listener
        self.clock = clock
        self.rng = rng
        self.policy = policy
        self.failures = 0
        """Failed passes in a row; resets when an operation gets through."""
        self.retry_at: float | None = None
        """Clock time before which the queue waits (after a failure)."""
        self._lock: asyncio.Lock | None = None
        self._wake: asyncio.Event | None = None
        self._outcomes: dict[str, Outcome | None] = {}

    # --- passes -------------------------------------------------------------------

    async def sync(self, *, force: bool = False) -> list[Sent]:
        """Send what is due; `force` ignores the delay after a failure (the user asked)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if force:
                self.retry_at = None
            self.outbox.recover()  # a sender that died since is not waited for
            sent: list[Sent] = []
            while (op := self.due()) is not None:
                outcome = await self._deliver(op)
                if outcome is None:
                    continue  # another process took it
                sent.append(Sent(op, outcome))
                if outcome.failed is not None:
                    break
            return sent

    async def settle(self, op_id: str) -> Outcome | None:
        """Sync, and say how `op_id` ended; None if it is still queued (offline, waiting)."""
        self._outcomes[op_id] = None
        try:
            await self.sync()
            return self._outcomes[op_id]
        finally:
            del self._outcomes[op_id]

    def due(self) -> Operation | None:
        """The oldest operation that may be sent now, if any."""
        if self.retry_at is not None and self.clock.time() < self.retry_at:
            return None
        blocked: set[str] = set()
        for op in self.outbox.operations():
            if op.card_id in blocked:
                continue
            if op.state in (OpState.CONFLICT, OpState.SENDING):
                # Later changes of the card wait behind a refusal, or behind a change
                # another process (the CLI next to the app) is sending right now.
                blocked.add(op.card_id)
                continue
            return op
        return None

    async def _deliver(self, op: Operation) -> Outcome | None:
        """Send `op` and record how it ended; None if another process claimed it first."""
        # Here, not at the top: a command that only reads never sends, nor imports this.
        from tui.core.replay import deliver

        def sending() -> None:
            if not self.outbox.mark_sending(op.id, moment(self.clock)):
                raise _ClaimedElsewhere
            self.listener.operations_changed()

        try:
            outcome = await deliver(self.provider, op, sending=sending)
        except _ClaimedElsewhere:
            return None
        except BaseException:
            # Interrupted mid-send (Ctrl-C, a bug): whatever the service did, find out first.
            if (current := self.outbox.get(op.id)) and current.state is OpState.SENDING:
                self.outbox.cut_off(op.id)
            raise
        if op.id in self._outcomes:
            self._outcomes[op.id] = outcome
        if outcome.applied is not None:
            self.failures, self.retry_at = 0, None
            self.outbox.complete(op.id, renamed=outcome.applied.renamed)
            self.listener.applied(op, outcome.applied)
        elif outcome.refused is not None:
            self.outbox.mark(op.id, OpState.CONFLICT, str(outcome.refused))
            self.listener.refused(op, outcome.refused)
        elif outcome.failed is not None:
            error = outcome.failed
            state = OpState.IN_DOUBT if outcome.maybe_applied else OpState.PENDING
            self.outbox.mark(op.id, state, str(error))
            self.failures += 1
            self.retry_at = self.clock.time() + self._delay(error)
            log.info("%s: %s; the queue waits", self.provider.title, error)
            self.listener.failed(op, error)
        return outcome

    def _delay(self, error: ProviderError) -> float:
        if isinstance(error, RateLimited) and error.retry_after is not None:
            return error.retry_after  # the service said when; jitter would only add to it
        return self.policy.delay(self.failures, self.rng)

    async def idle(self) -> None:
        """Return once no pass is running (the request on its way has its answer)."""
        if self._lock is not None:
            async with self._lock:
                pass

    # --- the background loop ------------------------------------------------------

    def wake(self) -> None:
        """Something was queued, or the service is back: send without waiting out a delay."""
        self.retry_at = None
        if self._wake is not None:
            self._wake.set()

    async def run(self) -> None:
        """Send whatever is due, for as long as it runs (the app's worker; cancel to stop)."""
        self._wake = asyncio.Event()
        while True:
            self._wake.clear()
            # Shielded: cancelling the loop never cuts a request off halfway.
            await asyncio.shield(self.sync())
            waits: list[asyncio.Future[Any]] = [asyncio.ensure_future(self._wake.wait())]
            if self.retry_at is not None:
                waits.append(
                    asyncio.ensure_future(self.clock.sleep(self.retry_at - self.clock.time()))
                )
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for waiting in waits:
                    waiting.cancel()


class _ClaimedElsewhere(Exception):
    """Another process marked the operation `sending` first."""
