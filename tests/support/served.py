"""One uvicorn server on 127.0.0.1 whose fake a test can swap: real HTTP for end-to-end tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import uvicorn

from tests.fakes.service import FakeService

STARTUP_TIMEOUT = 5.0


class Switchboard:
    """An ASGI app handing every request to the fake the current test installed."""

    def __init__(self) -> None:
        self.fake: FakeService | None = None

    async def __call__(self, scope, receive, send) -> None:
        assert self.fake is not None, "no fake installed for this test"
        await self.fake.app(scope, receive, send)


@dataclass(frozen=True)
class Served:
    switchboard: Switchboard
    origin: str
    """http://127.0.0.1:PORT"""


@contextmanager
def serve_switchboard() -> Iterator[Served]:
    listening = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listening.bind(("127.0.0.1", 0))
    switchboard = Switchboard()
    server = uvicorn.Server(
        uvicorn.Config(switchboard, lifespan="off", log_config=None, access_log=False)
    )
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        assert thread.is_alive(), "the fake server stopped while starting"
        assert time.monotonic() < deadline, "the fake server did not start in time"
        time.sleep(0.005)
    try:
        yield Served(switchboard, f"http://127.0.0.1:{listening.getsockname()[1]}")
    finally:
        server.should_exit = True
        thread.join(timeout=STARTUP_TIMEOUT)
        listening.close()
