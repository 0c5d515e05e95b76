"""The one place Cardboard speaks HTTP: auth, rate limit, retries and error mapping.

Every remote provider owns one `HttpClient` per account. The client keeps one
keep-alive connection pool, injects the token as a header (never in a URL), sends
requests in bursts up to the service's rate window (`rate_window.RateWindow`, one per
account), waits out 429s queue-wide, retries what is safe to retry, and turns every
failure into a typed `ProviderError` naming the method, the path and the service's own
message, with the token redacted.

What to retry: a request the server cannot have acted on (a connection that never
opened, a 429) is always sent again; one that may have been acted on (5xx, timeout,
dropped connection) only when sending it twice does no harm (GET, HEAD, PUT, DELETE).

A 429 is the service slowing us down, not a failure: the request is sent again when
the service says (Retry-After, X-RateLimit-Reset, plus a little jitter so clients told
the same moment do not come back in step) until it has waited `max_rate_limit_wait` in
all; only then `RateLimited(retry_after=...)` hands it back to the outbox to re-queue.

An unclear outcome of a write (a timeout or dropped connection after sending, a 5xx, a
2xx whose body cannot be read) raises `Unavailable(in_doubt=True)`, whose message says
the change may have been applied: the caller must read the service before sending it
again.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import math
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from types import ModuleType
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

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
from tui.providers.rate_window import (
    Clock,
    RefusedSoFar,
    SystemClock,
    shared_window,
)

if TYPE_CHECKING:
    import httpx

__all__ = ["Clock", "HttpClient", "RetryPolicy", "ServiceSpec", "SystemClock", "checks_answers"]

log = logging.getLogger(__name__)
P = TypeVar("P", bound=type[Provider])

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAY_HAVE_BEEN_APPLIED = "(the change may have been applied)"
REDACTED = "[redacted]"

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


def message_detail(body: object) -> str | None:
    """The service's words from an error body shaped like {"message": "..."}."""
    if isinstance(body, Mapping):
        message = body.get("message")
        if isinstance(message, str):
            return message
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
    rate_window: float = 1.0
    """The seconds the service counts its limit over: rate x window requests go at once."""
    detail: Callable[[object], str | None] = message_detail
    """Pulls the service's own message out of a parsed JSON error body."""
    status_errors: Mapping[int, type[ProviderError]] = field(default_factory=dict)
    """Where the service's docs give a status another meaning than the usual one."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    """Tries of a request that fails transiently (5xx, timeout, lost connection)."""
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_rate_limit_wait: float = 60.0
    """How long one request waits out 429s in all before RateLimited hands it back; a
    single wait longer than this that the service asks for is not sat out at all."""
    rate_limit_jitter: float = 0.1
    """Added to a wait the service asked for: up to this share of it (at least of 1 s)."""

    def backoff(self, failures: int, rng: random.Random) -> float:
        """Exponential backoff with jitter, so many clients do not retry in step."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (failures - 1))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)

    def jittered(self, wait: float, rng: random.Random) -> float:
        """`wait` and a little more: clients told the same moment come back spread out."""
        return wait + rng.uniform(0, self.rate_limit_jitter * max(wait, 1.0))


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
        self._clock = clock or SystemClock()  # looked up here: tests swap the class
        self._rng = rng or random.Random()
        self._retry = retry
        self._base_url = url
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"account {connection.account!r}: the {spec.title} url must start with https://"
            )
        self._window = shared_window(
            spec.title,
            url,
            connection.account,
            spec.requests_per_second,
            self._clock,
            spec.rate_window,
        )
        self._transport = connection.transport
        self._made: httpx.AsyncClient | None = None

    def __repr__(self) -> str:
        parts = urlsplit(self._base_url)
        host = f"{parts.hostname}:{parts.port}" if parts.port else parts.hostname or ""
        where = urlunsplit((parts.scheme, host, parts.path, "", ""))  # no credentials, no query
        return f"<HttpClient {self._spec.title} account={self._account!r} url={where!r}>"

    @property
    def _client(self) -> httpx.AsyncClient:
        """Made with the first request (see tui.providers.http_transport)."""
        if self._made is None:
            http = _httpx()
            auth = None
            if self._token is not None:
                auth = http.TokenAuth(self._spec.token_header, self._spec.token_prefix, self._token)
            self._made = http.client(self._base_url, auth, self._transport)
        return self._made

    async def aclose(self) -> None:
        if self._made is not None:
            await self._made.aclose()

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
        http = _httpx()
        request = self._client.build_request(method, path, params=params, json=json)
        where = f"{method} {request.url.path}"
        if idempotent is None:
            idempotent = method in IDEMPOTENT_METHODS
        writes = method not in READ_METHODS
        failures = 0
        maybe_applied = False  # an earlier try of this write may have reached the service
        limited = RefusedSoFar(self._clock.monotonic)
        while True:
            held = self._window.held_for()
            if held > self._retry.max_rate_limit_wait:
                # The service asked the whole account to wait longer than any request
                # waits: hand this one back at once, without asking the service again.
                raise RateLimited(
                    f"{self._title()}: {where} not sent: the service asked to wait; "
                    f"try again in {math.ceil(held)} s",
                    retry_after=held,
                )
            await self._window.acquire()
            try:
                response = await self._client.send(request)
            except http.TRANSIENT as exc:
                sent = not isinstance(exc, http.NOT_SENT)
                maybe_applied |= writes and sent
                failures += 1
                if (sent and not idempotent) or failures >= self._retry.attempts:
                    raise self._transport_error(where, exc, in_doubt=maybe_applied) from None
                await self._back_off(failures, where, type(exc).__name__)
                continue
            except http.HTTPError as exc:  # an answer that cannot be decoded, a bad URL...
                answered = isinstance(exc, http.DecodingError)
                in_doubt = maybe_applied or (writes and answered)
                raise self._transport_error(where, exc, in_doubt=in_doubt) from None
            status = response.status_code
            log.debug("%s: %s -> %d", self._title(), where, status)
            server_wait = self._server_wait(response)
            if status == 429:
                asked = server_wait or self._retry.backoff(limited.count + 1, self._rng)
                wait = self._retry.jittered(asked, self._rng)
                self._window.refused(wait)  # the whole queue waits, even if this one won't
                if limited.waited() + asked > self._retry.max_rate_limit_wait:
                    raise self._rate_limited(where, response, asked)
                limited.note()
                log.info("%s: %s rate limited; the queue waits %.1f s", self._title(), where, wait)
                continue
            self._window.went_through(_remaining(response))
            if server_wait is not None:
                held = min(server_wait, self._retry.max_rate_limit_wait)
                self._window.hold(self._retry.jittered(held, self._rng))
            if (status >= 500 or status == 408) and idempotent:
                failures += 1
                if failures < self._retry.attempts:
                    await self._back_off(failures, where, f"HTTP {status}")
                    continue
            return self._result(response, where, writes=writes)

    # --- answers ------------------------------------------------------------------

    def _result(self, response: httpx.Response, where: str, *, writes: bool) -> Any:
        """The parsed answer, or the error it stands for; `writes`: the request changes
        something, so a server error or an unreadable success leaves it in doubt."""
        status = response.status_code
        body = _parse_json(response.content)
        if 200 <= status < 300:
            if body is _NOT_JSON:
                message = (
                    f"{self._title()}: {where} answered HTTP {status} with a body that is not JSON"
                )
                raise Unavailable(_maybe_applied(message, writes), status=status, in_doubt=writes)
            return body
        detail = self._spec.detail(body) if body is not _NOT_JSON else None
        raise self._status_error(status, where, detail, in_doubt=writes and status >= 500)

    def _status_error(
        self, status: int, where: str, detail: str | None, *, in_doubt: bool = False
    ) -> ProviderError:
        kind = self._spec.status_errors.get(status) or _STATUS_ERRORS.get(status)
        if kind is None:
            kind = Unavailable if status >= 500 or status < 400 else ValidationError
        if kind is AuthError:
            message = (
                f"{self._spec.title}: token rejected for account {self._account!r} "
                f"(HTTP {status} on {where})"
            )
        else:
            reason = _reason_phrase(status)
            message = f"{self._title()}: {where} answered HTTP {status} {reason}".rstrip()
        if kind is Unavailable:
            return Unavailable(
                _maybe_applied(message, in_doubt),
                detail=self._clean(detail),
                status=status,
                in_doubt=in_doubt,
            )
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

    def _transport_error(self, where: str, exc: httpx.HTTPError, *, in_doubt: bool) -> Unavailable:
        http = _httpx()
        if isinstance(exc, http.NOT_SENT):
            what = "could not connect"
        elif isinstance(exc, http.TimeoutException):
            what = "timed out"
        else:
            what = "lost the connection"
        return Unavailable(
            _maybe_applied(f"{self._title()}: {where} {what}", in_doubt),
            detail=self._clean(str(exc)) or type(exc).__name__,
            in_doubt=in_doubt,
        )

    def _server_wait(self, response: httpx.Response) -> float | None:
        """Seconds the service asked to wait: Retry-After, or an exhausted rate window."""
        headers = response.headers
        now = self._clock.time()
        if retry_after := headers.get("Retry-After"):
            return _seconds_until(retry_after, now)
        reset = headers.get("X-RateLimit-Reset")
        if not reset or _remaining(response) != 0:
            return None
        try:
            wait = max(0.0, float(reset) - now)
        except ValueError:
            return None
        period = self._spec.rate_window
        if self._spec.requests_per_second and wait <= period + 1.0:
            # The reset is a whole epoch second, rounded up; but the window that has just
            # counted (or refused) this request had begun by then: it is over within one
            # period. A reset further off than that rounding is the service's own wait.
            wait = min(wait, period)
        return wait

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


def _reason_phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:  # a status of the service's own
        return ""


def _httpx() -> ModuleType:
    from tui.providers import http_transport  # the first request pays for httpx

    return http_transport


def _maybe_applied(message: str, in_doubt: bool) -> str:
    return f"{message} {MAY_HAVE_BEEN_APPLIED}" if in_doubt else message


def _remaining(response: httpx.Response) -> int | None:
    """X-RateLimit-Remaining: how many more requests the service's window takes."""
    try:
        return int(response.headers["X-RateLimit-Remaining"])
    except (KeyError, ValueError):
        return None


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
_READING = ("whoami", "list_", "load_", "get_", "search_", "find_")
"""How the names of the provider methods that only read begin."""


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
            # A write the service answered went through, even if its answer cannot be read.
            writes = not method.__name__.startswith(_READING)
            message = (
                f"{self.title} ({self.connection.account}): {method.__name__} got an answer "
                f"it cannot read ({why})"
            )
            raise Unavailable(_maybe_applied(message, writes), in_doubt=writes) from exc

    return checked
