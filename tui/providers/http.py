"""The one place Cardboard speaks HTTP: auth, rate limit, retries and error mapping.

Every remote provider owns one `HttpClient` per account. The client keeps one
keep-alive connection pool, injects the token as a header (never in a URL), spaces
requests to the service's declared rate, waits out 429s, retries what is safe to
retry, and turns every failure into a typed `ProviderError` naming the method, the
path and the service's own message, with the token redacted.

What to retry: a request the server cannot have acted on (a connection that never
opened, a 429) is always sent again; one that may have been acted on (5xx, timeout,
dropped connection) only when sending it twice does no harm (GET, HEAD, PUT, DELETE).
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import math
import random
import time
from collections.abc import Callable, Generator, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any, Protocol, TypeVar

import httpx
from pydantic import SecretStr

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
from tui.core.provider import Connection, Provider

log = logging.getLogger(__name__)
P = TypeVar("P", bound=type[Provider])

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
TIMEOUT = httpx.Timeout(20.0, connect=5.0)
REDACTED = "[redacted]"

_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport errors raised before the request left: the server cannot have acted."""
_TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)

_STATUS_ERRORS: Mapping[int, type[ProviderError]] = {
    400: ValidationError,
    401: AuthError,
    402: PermissionDenied,  # Kaiten: "feature is not supported by tariff"
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    410: NotFound,
    422: ValidationError,
}


class Clock(Protocol):
    """Time as the client sees it; tests pass a fake one so nothing really sleeps."""

    def monotonic(self) -> float: ...

    def time(self) -> float:
        """Seconds since the epoch, to read X-RateLimit-Reset and Retry-After dates."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def message_detail(body: object) -> str | None:
    """The service's words from an error body shaped like {"message": "..."}."""
    if isinstance(body, Mapping) and isinstance(body.get("message"), str):
        return body["message"]
    return None


@dataclass(frozen=True)
class ServiceSpec:
    """What differs from one service's HTTP API to the next."""

    title: str
    """The service's name, first in every error message ("Kaiten")."""
    token_header: str
    token_prefix: str = ""
    """Put before the token in the header ("Bearer ")."""
    requests_per_second: float | None = None
    """The service's declared rate limit; None when it declares none."""
    detail: Callable[[object], str | None] = message_detail
    """Pulls the service's own message out of a parsed JSON error body."""
    status_errors: Mapping[int, type[ProviderError]] = field(default_factory=dict)
    """Where the service's docs give a status another meaning than the usual one."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    """Tries of a request that fails transiently (5xx, timeout, lost connection)."""
    rate_limited_attempts: int = 5
    """Tries of a request the service keeps answering with 429."""
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_rate_limit_wait: float = 60.0
    """Longer waits asked by the service are not sat out: RateLimited says how long."""

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Exponential backoff with jitter, so many clients do not retry in step."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** (failures - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


class RateLimiter:
    """Spaces the requests of one client at least 1/rate apart, across concurrent tasks.

    Each request reserves the next free slot before it sleeps, so concurrent requests
    line up instead of bursting. `hold` pushes the next slot back when the service
    asks everyone to wait.
    """

    def __init__(self, per_second: float | None, clock: Clock):
        self._interval = 1 / per_second if per_second else 0.0
        self._clock = clock
        self._next_slot = -math.inf

    async def acquire(self) -> None:
        now = self._clock.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + self._interval
        if slot > now:
            await self._clock.sleep(slot - now)

    def hold(self, seconds: float) -> None:
        self._next_slot = max(self._next_slot, self._clock.monotonic() + seconds)


class _TokenAuth(httpx.Auth):
    """Adds the token header as each request is sent: the secret is revealed only here."""

    def __init__(self, header: str, prefix: str, token: SecretStr):
        self._header = header
        self._prefix = prefix
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._prefix + self._token.get_secret_value()
        yield request

    def __repr__(self) -> str:
        return f"<_TokenAuth header={self._header!r} token={REDACTED}>"


class HttpClient:
    """One account's connection to one service's JSON API."""

    def __init__(
        self,
        connection: Connection,
        spec: ServiceSpec,
        *,
        default_url: str | None = None,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        retry: RetryPolicy = RetryPolicy(),
    ):
        url = connection.url or default_url
        if not url:
            raise ConfigError(f"account {connection.account!r}: {spec.title} needs a url")
        self._account = connection.account
        self._spec = spec
        self._token = connection.token
        self._clock = clock or SystemClock()
        self._rng = rng or random.Random()
        self._retry = retry
        self._limiter = RateLimiter(spec.requests_per_second, self._clock)
        self._base_url = httpx.URL(url)
        if self._base_url.scheme not in ("http", "https") or not self._base_url.host:
            raise ConfigError(
                f"account {connection.account!r}: the {spec.title} url must start with https://"
            )
        auth = (
            _TokenAuth(spec.token_header, spec.token_prefix, connection.token)
            if connection.token is not None
            else None
        )
        self._client = httpx.AsyncClient(
            base_url=self._base_url,
            auth=auth,
            timeout=TIMEOUT,
            transport=connection.transport,
            headers={"Accept": "application/json"},
            # A redirect would carry the token header to wherever it points.
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        where = self._base_url.copy_with(username=None, password=None, query=None)
        return f"<HttpClient {self._spec.title} account={self._account!r} url={str(where)!r}>"

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(self, path: str, *, params: Mapping[str, Any] | None = None) -> Any:
        return await self.request("GET", path, params=params)

    async def post(self, path: str, *, json: Any = None) -> Any:
        return await self.request("POST", path, json=json)

    async def put(self, path: str, *, json: Any = None, idempotent: bool = True) -> Any:
        """`idempotent=False` for a PUT that changes more each time it is sent."""
        return await self.request("PUT", path, json=json, idempotent=idempotent)

    async def patch(self, path: str, *, json: Any = None) -> Any:
        return await self.request("PATCH", path, json=json)

    async def delete(self, path: str) -> Any:
        return await self.request("DELETE", path)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool | None = None,
    ) -> Any:
        """Send one request, retrying where safe; the parsed JSON answer (None if empty).

        `idempotent` defaults to what the method promises (GET, PUT, DELETE do).
        """
        if self._token is None:
            raise AuthError(f"{self._spec.title}: no token for account {self._account!r}")
        request = self._client.build_request(method, path, params=params, json=json)
        where = f"{method} {request.url.path}"
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        failures = rate_limited = 0
        while True:
            await self._limiter.acquire()
            try:
                response = await self._client.send(request)
            except _TRANSIENT as exc:
                failures += 1
                safe = idempotent or isinstance(exc, _NOT_SENT)
                if not safe or failures >= self._retry.attempts:
                    raise self._transport_error(where, exc, maybe_applied=not safe) from None
                await self._back_off(failures, where, type(exc).__name__)
                continue
            except httpx.HTTPError as exc:
                raise self._transport_error(where, exc, maybe_applied=False) from None
            log.debug("%s: %s -> %d", self._title(), where, response.status_code)
            server_wait = self._server_wait(response)
            if server_wait is not None:
                self._limiter.hold(server_wait)
            status = response.status_code
            if status == 429:
                rate_limited += 1
                wait = server_wait or self._retry.backoff(rate_limited, self._rng)
                too_long = wait > self._retry.max_rate_limit_wait
                if too_long or rate_limited >= self._retry.rate_limited_attempts:
                    raise self._rate_limited(where, response, wait)
                log.info("%s: %s rate limited; waiting %.1f s", self._title(), where, wait)
                self._limiter.hold(wait)
                continue
            if (status >= 500 or status == 408) and idempotent:
                failures += 1
                if failures < self._retry.attempts:
                    await self._back_off(failures, where, f"HTTP {status}")
                    continue
            return self._result(response, where)

    # --- answers ------------------------------------------------------------------

    def _result(self, response: httpx.Response, where: str) -> Any:
        status = response.status_code
        body = _parse_json(response.content)
        if 200 <= status < 300:
            if body is _NOT_JSON:
                raise Unavailable(
                    f"{self._title()}: {where} answered HTTP {status} with a body that is not JSON",
                    status=status,
                )
            return body
        detail = self._spec.detail(body) if body is not _NOT_JSON else None
        raise self._status_error(status, where, detail)

    def _status_error(self, status: int, where: str, detail: str | None) -> ProviderError:
        kind = self._spec.status_errors.get(status) or _STATUS_ERRORS.get(status)
        if kind is None:
            kind = Unavailable if status >= 500 or status < 400 else ValidationError
        if kind is AuthError:
            message = (
                f"{self._spec.title}: token rejected for account {self._account!r} "
                f"(HTTP {status} on {where})"
            )
        else:
            reason = httpx.codes.get_reason_phrase(status)
            message = f"{self._title()}: {where} answered HTTP {status} {reason}".rstrip()
        return kind(message, detail=self._clean(detail), status=status)

    def _rate_limited(self, where: str, response: httpx.Response, wait: float) -> RateLimited:
        body = _parse_json(response.content)
        detail = self._spec.detail(body) if body is not _NOT_JSON else None
        return RateLimited(
            f"{self._title()}: {where} still rate limited (HTTP 429); "
            f"try again in {math.ceil(wait)} s",
            retry_after=wait,
            detail=self._clean(detail),
            status=429,
        )

    def _transport_error(
        self, where: str, exc: httpx.HTTPError, *, maybe_applied: bool
    ) -> Unavailable:
        if isinstance(exc, httpx.TimeoutException):
            what = "timed out"
        elif isinstance(exc, _NOT_SENT):
            what = "could not connect"
        else:
            what = "lost the connection"
        message = f"{self._title()}: {where} {what}"
        if maybe_applied:
            message += " (the change may have been applied: reload to check)"
        return Unavailable(message, detail=self._clean(str(exc)) or type(exc).__name__)

    def _server_wait(self, response: httpx.Response) -> float | None:
        """Seconds the service asked to wait: Retry-After, or an exhausted rate window."""
        headers = response.headers
        now = self._clock.time()
        if retry_after := headers.get("Retry-After"):
            return _seconds_until(retry_after, now)
        reset = headers.get("X-RateLimit-Reset")
        if reset and headers.get("X-RateLimit-Remaining") == "0":
            try:
                return max(0.0, float(reset) - now)
            except ValueError:
                return None
        return None

    async def _back_off(self, failures: int, where: str, why: str) -> None:
        delay = self._retry.backoff(failures, self._rng)
        log.info(
            "%s: %s failed (%s); retry %d in %.1f s", self._title(), where, why, failures, delay
        )
        await self._clock.sleep(delay)

    def _title(self) -> str:
        return f"{self._spec.title} ({self._account})"

    def _clean(self, text: str | None) -> str | None:
        """One line of the service's words, with the token taken out wherever it shows."""
        if not text:
            return None
        if self._token is not None and (secret := self._token.get_secret_value()):
            text = text.replace(secret, REDACTED)
        line = " ".join(text.split())
        return line if len(line) <= 300 else line[:299] + "…"


_NOT_JSON = object()


def _parse_json(content: bytes) -> Any:
    if not content.strip():
        return None
    try:
        return json.loads(content)
    except ValueError:
        return _NOT_JSON


def _seconds_until(retry_after: str, now: float) -> float | None:
    """Retry-After is either seconds or an HTTP date."""
    try:
        return max(0.0, float(retry_after))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(retry_after).timestamp() - now)
    except (TypeError, ValueError):
        return None


# --- reading answers ------------------------------------------------------------------

_SHAPE_ERRORS = (KeyError, IndexError, TypeError, ValueError, AttributeError)


def checks_answers(provider: P) -> P:
    """Class decorator: an answer without what the provider reads becomes Unavailable.

    Providers read a service's JSON directly (`raw["id"]`); when a service changes its
    shape, the user gets one line naming the service and the call, not a traceback.
    """
    for name, method in list(vars(provider).items()):
        if not name.startswith("_") and inspect.iscoroutinefunction(method):
            setattr(provider, name, _checked(method))
    return provider


def _checked(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def checked(self: Provider, *args: Any, **kwargs: Any) -> Any:
        try:
            return await method(self, *args, **kwargs)
        except _SHAPE_ERRORS as exc:
            # Only the key name is quoted: a value from the answer might be anything.
            why = f"no {exc.args[0]!r}" if isinstance(exc, KeyError) else type(exc).__name__
            raise Unavailable(
                f"{self.title} ({self.connection.account}): {method.__name__} got an answer "
                f"it cannot read ({why})"
            ) from exc

    return checked
