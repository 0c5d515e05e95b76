"""The httpx half of tui.providers.http, imported with the first request.

httpx takes 40 ms to import, and a board painted from the cache sends nothing before
its first frame: it need not wait for it.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import httpx

from tui.core.secret import Secret
from tui.providers.http import REDACTED

TIMEOUT = httpx.Timeout(20.0, connect=5.0)

HTTPError = httpx.HTTPError
DecodingError = httpx.DecodingError
TimeoutException = httpx.TimeoutException
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
"""Transport errors raised before the request left: the server cannot have acted."""
TRANSIENT = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


class TokenAuth(httpx.Auth):
    """Adds the token header as each request is sent: the secret is revealed only here."""

    def __init__(self, header: str, prefix: str, token: Secret):
        self._header = header
        self._prefix = prefix
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[self._header] = self._prefix + self._token.get_secret_value()
        yield request

    def __repr__(self) -> str:
        return f"<TokenAuth header={self._header!r} token={REDACTED}>"


def client(base_url: str, auth: TokenAuth | None, transport: Any) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        base_url=base_url,
        auth=auth,
        timeout=TIMEOUT,
        transport=transport,
        headers={"Accept": "application/json"},
        # A redirect would carry the token header to wherever it points.
        follow_redirects=False,
    )
