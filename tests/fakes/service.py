"""What every fake server shares: request log, fault injection, in-process transport.

A fake is a stateful Starlette app written from a service's public docs. Tests talk
to it in-process through `FakeService.transport()`; `python -m tests.fakes NAME`
serves it on 127.0.0.1 for the app in tmux and for benchmarks.

Faults are set on `fake.faults` by a test and consumed request by request, so a test
says exactly which request fails and how.
"""

from __future__ import annotations

import asyncio
import contextvars
import email.parser
import email.policy
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar
from urllib.parse import parse_qsl

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute


@dataclass
class Faults:
    latency: float = 0.0
    """Seconds added before every answer (benchmarks; tests leave it at 0)."""
    statuses: list[int] = field(default_factory=list)
    """Upcoming requests are answered with these statuses, one each, without acting."""
    malformed: int = 0
    """That many upcoming answers carry a body that is not JSON."""
    drop_before: int = 0
    """That many upcoming requests lose their connection before the server sees them."""
    drop_after: int = 0
    """That many upcoming requests are acted on, then the connection drops unanswered."""
    only: str | None = None
    """When set, the faults above aim only at requests whose path ends so ("/move.json");
    others pass untouched (in-process only, like the drops)."""
    after: int = 0
    """That many upcoming aimed-at requests pass untouched before the faults above start:
    with `after=2, drop_after=1` the third one is acted on and then dropped."""


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> object:
        return json.loads(self.body) if self.body else None


class FakeService:
    """Base class of the fakes; a subclass provides `routes()` and its own state."""

    name: ClassVar[str]
    """The provider name this fake stands in for ("kaiten")."""
    base_path: ClassVar[str] = ""
    """The path prefix of the API ("/api/v1"): part of `base_url`."""
    host: ClassVar[str] = "fake.test"

    def __init__(self, *, clock: Callable[[], float] = time.monotonic):
        self.clock = clock
        self.faults = Faults()
        self.requests: list[RecordedRequest] = []
        self.app = Starlette(routes=self.routes())
        self.app.add_middleware(_FaultMiddleware, fake=self)

    def routes(self) -> list[BaseRoute]:
        raise NotImplementedError

    @property
    def base_url(self) -> str:
        """The account `url` to give a provider that talks to this fake in-process."""
        return f"http://{self.host}{self.base_path}"

    def transport(self) -> httpx.AsyncBaseTransport:
        return _DroppingTransport(httpx.ASGITransport(app=self.app), self.faults)

    def count(self, method: str, path_prefix: str = "") -> int:
        """How many requests with this method (and path prefix) the fake received."""
        return sum(
            1
            for request in self.requests
            if request.method == method and request.path.startswith(self.base_path + path_prefix)
        )


def error(status: int, body: object) -> JSONResponse:
    return JSONResponse(body, status_code=status)


class Refusal(Exception):
    """Raised by a fake's handler to answer with an error body instead of going on."""

    def __init__(self, status: int, body: object):
        super().__init__(status)
        self.status = status
        self.body = body

    def response(self) -> JSONResponse:
        return error(self.status, self.body)


def laravel_refusal(status: int, message: str) -> Refusal:
    """The error body of a Laravel app: `{"message": ...}`."""
    return Refusal(status, {"message": message})


def laravel_invalid(errors: dict[str, str]) -> Refusal:
    """Laravel's 422: the first message plus "(and N more errors)", and each field's."""
    messages = list(errors.values())
    more = len(messages) - 1
    summary = messages[0] + (f" (and {more} more error{'s' if more > 1 else ''})" if more else "")
    fields = {name: [text] for name, text in errors.items()}
    return Refusal(422, {"message": summary, "errors": fields})


@dataclass(frozen=True)
class FormField:
    """One field of a form body; an uploaded file also has a `filename`."""

    name: str
    value: bytes
    filename: str | None = None
    content_type: str | None = None

    @property
    def text(self) -> str:
        return self.value.decode("utf-8", "replace")


async def read_form(request: Request) -> list[FormField]:
    """The fields of a urlencoded or multipart/form-data body, in order.

    Starlette's `request.form()` needs python-multipart, which the project does not
    install; the standard library's email parser reads multipart bodies well enough.
    """
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    if not content_type.startswith("multipart/form-data"):
        pairs = parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
        return [FormField(name, value.encode()) for name, value in pairs]
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    return [
        FormField(
            name=part.get_param("name", header="content-disposition") or "",
            value=part.get_payload(decode=True) or b"",
            filename=part.get_filename(),
            content_type=part.get_content_type() if part.get_filename() else None,
        )
        for part in message.iter_parts()
    ]


class _FaultMiddleware:
    """Records every request and applies the faults the test queued."""

    def __init__(self, app, fake: FakeService):
        self.app = app
        self.fake = fake

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        body = await request.body()
        self.fake.requests.append(
            RecordedRequest(
                method=request.method,
                path=request.url.path,
                query=request.url.query,
                headers=dict(request.headers),
                body=body,
            )
        )
        faults = self.fake.faults
        if faults.latency:
            await asyncio.sleep(faults.latency)
        untouched = _UNTOUCHED.get()
        if faults.statuses and not untouched:
            status = faults.statuses.pop(0)
            await Response(
                json.dumps({"message": f"injected {status}"}),
                status_code=status,
                media_type="application/json",
            )(scope, receive, send)
            return

        async def replay():
            return {"type": "http.request", "body": body, "more_body": False}

        if faults.malformed and not untouched:
            faults.malformed -= 1
            await self.app(scope, replay, _Garbling(send))
            return
        await self.app(scope, replay, send)


class _Garbling:
    """Passes the status through and replaces the body with something that is not JSON."""

    def __init__(self, send):
        self.send = send

    async def __call__(self, message):
        if message["type"] == "http.response.start":
            headers = [
                (k, v) for k, v in message.get("headers", []) if k.lower() != b"content-length"
            ]
            await self.send({**message, "headers": headers})
        elif message["type"] == "http.response.body" and not message.get("more_body"):
            await self.send(
                {"type": "http.response.body", "body": b"<html>502 Bad Gateway", "more_body": False}
            )


_UNTOUCHED: contextvars.ContextVar[bool] = contextvars.ContextVar("untouched", default=False)
"""Set while a request the faults let be (`Faults.only`, `Faults.after`) is in the app."""


class _DroppingTransport(httpx.AsyncBaseTransport):
    """An in-process transport whose connection can drop before or after the server acts."""

    def __init__(self, inner: httpx.AsyncBaseTransport, faults: Faults):
        self.inner = inner
        self.faults = faults

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._untouched(request):
            untouched = _UNTOUCHED.set(True)  # the app runs in this task: it sees this
            try:
                return await self.inner.handle_async_request(request)
            finally:
                _UNTOUCHED.reset(untouched)
        if self.faults.drop_before:
            self.faults.drop_before -= 1
            raise httpx.ConnectError("connection refused (injected)", request=request)
        response = await self.inner.handle_async_request(request)
        if self.faults.drop_after:
            self.faults.drop_after -= 1
            await response.aclose()
            raise httpx.RemoteProtocolError(
                "server disconnected without sending a response (injected)", request=request
            )
        return response

    def _untouched(self, request: httpx.Request) -> bool:
        """Whether the faults let this request be: not aimed at, or one of the first `after`."""
        only = self.faults.only
        if only is not None and not request.url.path.endswith(only):
            return True
        if self.faults.after:
            self.faults.after -= 1
            return True
        return False

    async def aclose(self) -> None:
        await self.inner.aclose()
