"""Async client of the ATESS energy-storage cloud OpenAPI.

A small library on its own: standard library and aiohttp only, no Home Assistant.
"""

from . import errors
from .client import DEFAULT_BASE_URL, AtessClient, SettingValue, format_setting_value
from .credentials import authorization_header
from .endpoints import (
    DEVICE_OPERATION_KINDS,
    OPERATIONS,
    Candidate,
    DeviceKind,
    Operation,
    OperationKind,
    Source,
    get_operation,
)
from .envelope import decode_response
from .errors import *  # noqa: F403 - every exception of errors.py is part of the interface
from .models import (
    BaseInfo,
    DataLog,
    DevicePayload,
    HistoryPage,
    HistoryRecord,
    Plant,
    RealtimeData,
    SettingsData,
)
from .routes import RECHECK_AFTER, RouteBook
from .throttle import Throttle
from .values import Value

__all__ = [
    "DEFAULT_BASE_URL",
    "DEVICE_OPERATION_KINDS",
    "OPERATIONS",
    "RECHECK_AFTER",
    "AtessClient",
    "BaseInfo",
    "Candidate",
    "DataLog",
    "DeviceKind",
    "DevicePayload",
    "HistoryPage",
    "HistoryRecord",
    "Operation",
    "OperationKind",
    "Plant",
    "RealtimeData",
    "RouteBook",
    "SettingValue",
    "SettingsData",
    "Source",
    "Throttle",
    "Value",
    "authorization_header",
    "decode_response",
    "format_setting_value",
    "get_operation",
]
__all__ += errors.__all__
