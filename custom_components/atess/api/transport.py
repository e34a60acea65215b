"""One request of the client: the route book picks the path, then one HTTP exchange per path.

Only a missing route (AtessRouteMissingError) moves on to the next candidate path, with the same
request, and only a missing route marks a path missing. Auth, throttling, server errors,
time-outs and envelope errors are raised as they are. While an operation has no path in use,
its requests resolve one at a time, so a missing candidate is asked once, not once per device.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import Any

import aiohttp
from yarl import URL

from .contract import ContractRecorder
from .endpoints import Candidate, Operation
from .envelope import Answer, read_answer
from .errors import (
    AtessClosedError,
    AtessConnectionError,
    AtessRateLimitError,
    AtessRouteMissingError,
)
from .routes import RouteBook
from .throttle import Throttle

_LOGGER = logging.getLogger(__name__)


class Transport:
    """Send operations to the cloud through one session, under a concurrency cap."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        authorization: str,
        secrets: tuple[str, ...],
        base_url: URL,
        language: str,
        request_timeout: float,
        max_concurrency: int,
        book: RouteBook,
        contract: ContractRecorder,
        throttle: Throttle,
    ) -> None:
        """Keep what every request needs; ``secrets`` are cut out of the cloud's messages."""
        self._session = session
        self._authorization = authorization
        self._secrets = secrets
        self._base_url = base_url
        # Keep any path prefix of base_url (a proxy), without a trailing slash.
        self._prefix = base_url.path.rstrip("/")
        self._language = language
        self._request_timeout = request_timeout
        self._semaphore = asyncio.Semaphore(max_concurrency)
        self.book = book
        self.contract = contract
        self.throttle = throttle
        self.closed = False
        self._resolving: dict[str, asyncio.Lock] = {}

    async def send(
        self,
        operation: Operation,
        *,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> Any:
        """Send one operation and return the envelope's data, or raise an AtessError."""
        self._check_open(operation.label)
        tried: list[str] = []
        last_status: int | None = None
        while True:
            candidate = self.book.next_candidate(operation, tried)
            if candidate is None:
                status = "" if last_status is None else f", last HTTP {last_status}"
                raise AtessRouteMissingError(
                    f"no route answers at {', '.join(operation.paths)}{status}",
                    operation=operation.label,
                    status=last_status,
                    paths=operation.paths,
                )
            resolving = candidate != self.book.candidate_in_use(operation)
            lock = self._resolving.setdefault(operation.label, asyncio.Lock())
            async with lock if resolving else contextlib.nullcontext():
                # while this request waited, another one may have resolved the operation: then
                # start again (on the path now in use, without holding the lock)
                if resolving:
                    now = self.book.next_candidate(operation, tried)
                    if now != candidate or now == self.book.candidate_in_use(operation):
                        continue
                answer = await self._exchange(operation, candidate, params, body)
                tried.append(candidate.path)
                last_status = answer.status
                if isinstance(answer.error, AtessRouteMissingError):
                    _LOGGER.debug("%s: no route at %s", operation.label, candidate.path)
                    if not self.book.record_missing(
                        operation, candidate, answer.status, answer.code
                    ):
                        raise answer.error  # a path that answered before: once is no proof
                    continue
                if answer.error is not None:
                    raise answer.error
                self.book.record_answer(operation, candidate)
                return answer.data

    def _check_open(self, label: str) -> None:
        """Raise AtessClosedError once the client or its session is closed."""
        if self.closed or self._session.closed:
            raise AtessClosedError("the client is closed", operation=label)

    async def _exchange(
        self,
        operation: Operation,
        candidate: Candidate,
        params: dict[str, str] | None,
        body: dict[str, Any] | None,
    ) -> Answer:
        """Send one HTTP request to one candidate path, count it, and read its answer.

        The account's throttle comes first: in a quiet period nothing is sent (see throttle.py).
        """
        async with self.throttle.turn(operation.label):
            answer = await self._exchange_now(operation, candidate, params, body)
            if isinstance(answer.error, AtessRateLimitError):
                self.throttle.hold(answer.error.retry_after)
            else:
                self.throttle.answered()
            return answer

    async def _exchange_now(
        self,
        operation: Operation,
        candidate: Candidate,
        params: dict[str, str] | None,
        body: dict[str, Any] | None,
    ) -> Answer:
        """The HTTP exchange itself."""
        label, method, path = operation.label, operation.method, candidate.path
        url = self._base_url.with_path(self._prefix + path)
        headers = {
            "Authorization": self._authorization,
            "Accept-Language": self._language,
            "Accept": "application/json",
        }
        async with self._semaphore:
            started = time.monotonic()
            try:
                async with (
                    asyncio.timeout(self._request_timeout),
                    self._session.request(
                        method, url, params=params, json=body, headers=headers
                    ) as response,
                ):
                    payload = await response.read()
                    status, response_headers = response.status, response.headers
            except TimeoutError as err:
                _LOGGER.debug("%s %s timed out", method, path)
                self.contract.record_error(operation)
                raise AtessConnectionError(
                    f"no answer within {self._request_timeout:g} s", operation=label
                ) from err
            except RuntimeError, AssertionError:
                # aiohttp's answer to a session closed under the request ("Session is closed",
                # or an assertion on its connector): Home Assistant stops, not a cloud failure
                self._check_open(label)
                raise
            except aiohttp.ClientError as err:
                self._check_open(label)  # the connection went with the session
                _LOGGER.debug("%s %s failed: %s", method, path, type(err))
                self.contract.record_error(operation)
                raise AtessConnectionError(
                    f"cannot reach the cloud ({type(err).__name__})", operation=label
                ) from err
        _LOGGER.debug(
            "%s %s -> HTTP %s in %.0f ms",
            method,
            path,
            status,
            (time.monotonic() - started) * 1000,
        )
        answer = read_answer(label, status, response_headers, payload, secrets=self._secrets)
        if isinstance(answer.error, AtessRouteMissingError):
            self.contract.record_route_missing(operation, status)
        elif answer.error is not None:
            self.contract.record_error(operation, status, answer.code)
        else:
            self.contract.record_success(operation, status, answer.code, answer.data)
        return answer
