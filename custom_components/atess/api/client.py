"""The async client of the ATESS cloud OpenAPI.

One request path for all 45 operations (transport.py): the route book picks the candidate path,
a concurrency cap, a timeout, the envelope check in envelope.py; then typed models from
models.py. Nothing here knows Home Assistant.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from decimal import Decimal
import math
from typing import Any

import aiohttp
from yarl import URL

from .contract import ContractRecorder
from .credentials import authorization_header, credential_secrets
from .endpoints import DeviceKind, Operation, OperationKind, get_operation
from .errors import AtessAuthError, AtessResponseError
from .models import (
    BaseInfo,
    DataLog,
    HistoryPage,
    HistoryRecord,
    Plant,
    RealtimeData,
    SettingsData,
    parse_list,
)
from .routes import RouteBook
from .throttle import Throttle
from .transport import Transport
from .values import index_keys, parse_int, pick

DEFAULT_BASE_URL = "https://www.enerclo-atesspower.com"
LANGUAGES = ("en", "zh")
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"  # the docs' yyyy-MM-dd HH:mm:ss
_PLANT_PAGE_SIZE = 100
# A server that ignores pageNo would page forever; no real account has this many pages.
_MAX_PAGES = 10_000

type SettingValue = str | int | float | bool


def format_setting_value(value: SettingValue) -> str:
    """Write a setting value the way the cloud takes it: always a string.

    True -> "1", 5.0 -> "5", 3.5 -> "3.5", 1e-05 -> "0.00001" (never an exponent).
    """
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("a setting value must be a finite number")
        if value.is_integer():
            return str(int(value))
        # repr() is the shortest exact text; Decimal drops its exponent form.
        return format(Decimal(repr(value)), "f")
    return value


class AtessClient:
    """Talk to the ATESS cloud with one account token."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        language: str = "en",
        request_timeout: float = 30.0,
        max_concurrency: int = 4,
        route_book: RouteBook | None = None,
        throttle: Throttle | None = None,
    ) -> None:
        """Prepare a client on an injected session.

        The token becomes the ``Authorization`` header as credentials.py says: "Basic <base64>"
        and other tokens as pasted, a bare "<id>:<32 hex key>" pair as "Basic base64(pair)".
        ``route_book`` remembers which candidate paths the cloud answers; pass one restored
        from storage to skip routes known missing (default: a fresh, empty book).
        ``throttle`` is the account's quiet period after a 429; share one between every client
        of the account so that none of them asks before the cloud's Retry-After.
        Raises AtessAuthError for a token no HTTP header can carry, ValueError for bad options.
        """
        token = token.strip()
        if not token or not token.isascii() or not token.isprintable():
            raise AtessAuthError("the token is empty or has characters a header cannot carry")
        if language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {language!r}")
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        if not request_timeout > 0:
            raise ValueError("request_timeout must be positive")
        url = URL(base_url.strip())
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"base_url must be an http(s) URL, not {base_url!r}")
        self._base_url = url.with_query(None).with_fragment(None)
        self._language = language
        self._request_timeout = request_timeout
        self._max_concurrency = max_concurrency
        self._transport = Transport(
            session,
            authorization=authorization_header(token),
            secrets=credential_secrets(token),
            base_url=self._base_url,
            language=language,
            request_timeout=request_timeout,
            max_concurrency=max_concurrency,
            book=RouteBook() if route_book is None else route_book,
            contract=ContractRecorder(),
            throttle=Throttle() if throttle is None else throttle,
        )

    def __repr__(self) -> str:
        """Describe the client without its token."""
        return (
            f"{type(self).__name__}(base_url={str(self._base_url)!r}, "
            f"language={self._language!r}, max_concurrency={self._max_concurrency})"
        )

    @property
    def base_url(self) -> str:
        """Return the cloud's base URL."""
        return str(self._base_url)

    @property
    def language(self) -> str:
        """Return the language the cloud's messages are asked in."""
        return self._language

    @property
    def max_concurrency(self) -> int:
        """Return how many requests may be in flight at once."""
        return self._max_concurrency

    @property
    def request_timeout(self) -> float:
        """Return the time limit of one request, in seconds."""
        return self._request_timeout

    @property
    def route_book(self) -> RouteBook:
        """Return the route book: which candidate path of each operation the cloud answers."""
        return self._transport.book

    def close(self) -> None:
        """Send nothing any more: every later request raises AtessClosedError at once."""
        self._transport.closed = True

    def contract_report(self) -> dict[str, Any]:
        """Return what the cloud answered so far, as plain JSON without token or serials.

        Per operation: the path in use (or none), where it comes from, the last HTTP status and
        envelope code, and counts; then the envelope dialect seen (see contract.py).
        """
        return self._transport.contract.report(self._transport.book)

    # --- every request goes through self._transport.send; its answer is parsed here --------

    def _parse[T](self, operation: Operation, parser: Callable[[Any], T], data: Any) -> T:
        """Run a model parser, naming the operation in any shape error."""
        try:
            return parser(data)
        except AtessResponseError as err:
            self._transport.contract.record_shape_error(operation)
            raise err.with_operation(operation.label) from err

    # --- plants ---------------------------------------------------------------------------

    async def async_validate(self) -> list[Plant]:
        """Check the token with the cheapest call there is: the plant list."""
        return await self.async_get_plants()

    async def async_get_plants(self) -> list[Plant]:
        """Return every plant of the account, following the paging if the cloud pages."""
        operation = get_operation(None, OperationKind.PLANT_LIST)
        plants: list[Plant] = []
        for page_no in range(1, _MAX_PAGES + 1):
            params = {"pageNo": str(page_no), "pageSize": str(_PLANT_PAGE_SIZE)}
            data = await self._transport.send(operation, params=params)
            page = self._parse(
                operation, lambda d: parse_list(d, Plant.from_api, "plant list"), data
            )
            plants.extend(page)
            if not _more_pages(data, len(page), len(plants), _PLANT_PAGE_SIZE):
                break
        return plants

    async def async_get_plant(self, plant_id: str) -> Plant:
        """Return one plant."""
        operation = get_operation(None, OperationKind.PLANT_GET)
        data = await self._transport.send(operation, params={"plantId": str(plant_id)})
        return self._parse(operation, lambda d: Plant.from_api(d, plant_id=str(plant_id)), data)

    async def async_add_plant(self, **fields: Any) -> Any:
        """Create a plant (plantName, country, city, timezone, nominalPower, ...).

        Returns the envelope's data as sent (the docs do not say what it holds).
        """
        operation = get_operation(None, OperationKind.PLANT_ADD)
        return await self._transport.send(operation, body=dict(fields))

    async def async_modify_plant(self, plant_id: str, **fields: Any) -> None:
        """Change fields of a plant."""
        operation = get_operation(None, OperationKind.PLANT_MODIFY)
        await self._transport.send(operation, body={**fields, "plantId": str(plant_id)})

    async def async_delete_plant(self, plant_id: str) -> None:
        """Delete a plant."""
        operation = get_operation(None, OperationKind.PLANT_DELETE)
        await self._transport.send(operation, params={"plantId": str(plant_id)})

    # --- datalogs -------------------------------------------------------------------------

    async def async_get_datalogs(self, plant_id: str) -> list[DataLog]:
        """Return the datalogs of a plant."""
        operation = get_operation(None, OperationKind.DATALOG_LIST)
        data = await self._transport.send(operation, params={"plantId": str(plant_id)})
        return self._parse(
            operation, lambda d: parse_list(d, DataLog.from_api, "datalog list"), data
        )

    async def async_get_datalog(self, sn: str) -> DataLog:
        """Return one datalog."""
        operation = get_operation(None, OperationKind.DATALOG_GET)
        data = await self._transport.send(operation, params={"dataLogSn": sn})
        return self._parse(operation, lambda d: DataLog.from_api(d, sn=sn), data)

    async def async_add_datalog(
        self, plant_id: str, datalog_sn: str, valid_code: str | None = None
    ) -> Any:
        """Attach a datalog to a plant; returns the envelope's data as sent."""
        operation = get_operation(None, OperationKind.DATALOG_ADD)
        body: dict[str, Any] = {"plantId": str(plant_id), "dataLogSn": datalog_sn}
        if valid_code is not None:
            body["validCode"] = valid_code
        return await self._transport.send(operation, body=body)

    async def async_delete_datalog(self, sn: str) -> None:
        """Detach a datalog from its plant."""
        operation = get_operation(None, OperationKind.DATALOG_DELETE)
        await self._transport.send(operation, params={"dataLogSn": sn})

    # --- devices --------------------------------------------------------------------------

    async def async_get_base_info(self, kind: DeviceKind | str, device_sn: str) -> BaseInfo:
        """Return the identity of one device."""
        kind = DeviceKind(kind)
        operation = get_operation(kind, OperationKind.BASE_INFO)
        data = await self._transport.send(operation, params={"deviceSn": device_sn})
        return self._parse(
            operation, lambda d: BaseInfo.from_api(d, kind, device_sn=device_sn), data
        )

    async def async_get_base_info_list(
        self, kind: DeviceKind | str, datalog_sn: str
    ) -> list[BaseInfo]:
        """Return every device of one kind under a datalog."""
        kind = DeviceKind(kind)
        operation = get_operation(kind, OperationKind.BASE_INFO_LIST)
        data = await self._transport.send(operation, params={"dataLogSn": datalog_sn})
        return self._parse(
            operation,
            lambda d: parse_list(d, lambda item: BaseInfo.from_api(item, kind), operation.label),
            data,
        )

    async def async_get_realtime(self, kind: DeviceKind | str, device_sn: str) -> RealtimeData:
        """Return the latest sample of one device."""
        operation = get_operation(kind, OperationKind.REALTIME)
        data = await self._transport.send(operation, params={"deviceSn": device_sn})
        return self._parse(operation, RealtimeData.from_api, data)

    async def async_get_settings(self, kind: DeviceKind | str, device_sn: str) -> SettingsData:
        """Return the current settings of one device."""
        operation = get_operation(kind, OperationKind.GET_SETTING)
        data = await self._transport.send(operation, params={"deviceSn": device_sn})
        return self._parse(operation, SettingsData.from_api, data)

    async def async_modify_setting(
        self, kind: DeviceKind | str, device_sn: str, key: str, value: SettingValue
    ) -> None:
        """Write one setting. The cloud allows about 10 writes per device per day.

        The value is sent as a string (see format_setting_value). Raises AtessWriteLimitError
        when the day's writes are used up.
        """
        operation = get_operation(kind, OperationKind.MODIFY_SETTING)
        body = {"deviceSn": device_sn, "key": key, "value": format_setting_value(value)}
        await self._transport.send(operation, body=body)

    async def async_get_history_page(
        self,
        kind: DeviceKind | str,
        device_sn: str,
        start: datetime,
        end: datetime,
        page_no: int,
        page_size: int = 100,
    ) -> HistoryPage:
        """Return one page of stored samples between start and end (page_no counts from 1).

        start and end are written as given, "yyyy-MM-dd HH:mm:ss", without any time zone
        conversion: pass naive datetimes in the plant's local time, which is what the cloud
        stores.
        """
        if page_no < 1 or page_size < 1:
            raise ValueError("page_no and page_size count from 1")
        operation = get_operation(kind, OperationKind.HISTORY)
        params = {
            "deviceSn": device_sn,
            "startDate": start.strftime(DATE_FORMAT),
            "endDate": end.strftime(DATE_FORMAT),
            "pageNo": str(page_no),
            "pageSize": str(page_size),
        }
        data = await self._transport.send(operation, params=params)
        return self._parse(
            operation,
            lambda d: HistoryPage.from_api(d, page_no=page_no, page_size=page_size),
            data,
        )

    async def iter_history(
        self,
        kind: DeviceKind | str,
        device_sn: str,
        start: datetime,
        end: datetime,
        *,
        page_size: int = 100,
    ) -> AsyncIterator[HistoryRecord]:
        """Yield every stored sample between start and end, fetching page after page.

        Stops at a page shorter than its page size, an empty page, or when ``total`` records
        have arrived. start and end as in async_get_history_page (plant-local, naive).
        """
        fetched = 0
        for page_no in range(1, _MAX_PAGES + 1):
            page = await self.async_get_history_page(
                kind, device_sn, start, end, page_no, page_size=page_size
            )
            fetched += len(page.records)
            for record in page.records:
                yield record
            if len(page.records) < page.page_size:
                return
            # total 0 with a full page is the docs' placeholder, not a count: keep paging.
            if page.total and fetched >= page.total:
                return


def _more_pages(data: Any, got: int, so_far: int, page_size: int) -> bool:
    """Say whether a list answer may have another page.

    A bare array, a short page, or an object without a total is one complete answer.
    """
    if not isinstance(data, dict) or got == 0 or got < page_size:
        return False
    total = parse_int(pick(data, index_keys(data), "total"))
    return total is not None and so_far < total
