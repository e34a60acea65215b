"""The exceptions of the ATESS cloud client.

Every error names the operation that failed (``.operation``, e.g. "realtime hps_big") and never
carries the token: the client removes it from any text the cloud echoes back.
"""

from __future__ import annotations

import copy
from typing import Self

__all__ = [
    "AtessApiError",
    "AtessAuthError",
    "AtessClosedError",
    "AtessConnectionError",
    "AtessError",
    "AtessNotFoundError",
    "AtessRateLimitError",
    "AtessResponseError",
    "AtessRouteMissingError",
    "AtessWriteLimitError",
]


class AtessError(Exception):
    """Base class of every error the client raises."""

    def __init__(self, detail: str, *, operation: str | None = None) -> None:
        """Describe what went wrong and, when known, which operation was asked."""
        self.detail = detail
        self.operation = operation
        super().__init__(f"{operation} failed: {detail}" if operation else detail)

    def with_operation(self, operation: str) -> Self:
        """Return the same error bound to an operation (parsers do not know which one ran)."""
        err = copy.copy(self)
        err.operation = operation
        err.args = (f"{operation} failed: {self.detail}",)
        return err


class AtessAuthError(AtessError):
    """The cloud refused the token (HTTP 401/403 or envelope code 403)."""


class AtessNotFoundError(AtessError):
    """The cloud does not know the resource asked for (envelope code 400/404, HTTP 400).

    The route exists and answered with its envelope: the serial number, plant or datalog is
    unknown to this account. A route the cloud does not have is AtessRouteMissingError.
    """


class AtessRouteMissingError(AtessError):
    """The cloud has no such route: HTTP 404/405, or JSON that is not the cloud's envelope.

    Any well-formed JSON answer without the ``{code,data,msg}`` envelope counts. Spring answers an unknown path with ``{"timestamp":…,"status":404,"error":"Not Found",…}``,
    sometimes even with HTTP 200. ``paths`` lists the candidate paths asked (or known missing)
    when the client gave up on the operation; ``status`` is the last HTTP status, if a request
    was sent.
    """

    def __init__(
        self,
        detail: str,
        *,
        operation: str | None = None,
        status: int | None = None,
        paths: tuple[str, ...] = (),
    ) -> None:
        """Keep the HTTP status and the paths that turned out missing."""
        super().__init__(detail, operation=operation)
        self.status = status
        self.paths = paths


class AtessRateLimitError(AtessError):
    """The cloud throttled the request (HTTP 429 or envelope code 429)."""

    def __init__(
        self, detail: str, *, operation: str | None = None, retry_after: float | None = None
    ) -> None:
        """Keep the number of seconds the cloud asked us to wait, when it said so."""
        super().__init__(detail, operation=operation)
        self.retry_after = retry_after


class AtessApiError(AtessError):
    """The cloud answered with an error code the client has no better class for."""

    def __init__(
        self, detail: str, *, operation: str | None = None, code: int | None = None, msg: str = ""
    ) -> None:
        """Keep the cloud's code (or the HTTP status) and its message."""
        super().__init__(detail, operation=operation)
        self.code = code
        self.msg = msg


class AtessWriteLimitError(AtessApiError):
    """The device has used up its setting writes for the day (the docs allow 10)."""


class AtessConnectionError(AtessError):
    """The cloud could not be reached, or did not answer in time."""


class AtessClosedError(AtessError):
    """The client was closed, or its session was: its owner stops, and nothing is asked any more.

    Not a failure of the cloud: its owner ends the request quietly.
    """


class AtessResponseError(AtessError):
    """The cloud answered with something that is not the expected JSON shape."""
