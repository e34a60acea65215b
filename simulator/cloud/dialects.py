"""Envelope dialects: how another cloud reading the same docs could shape the same answer.

The docs show `code` 0 in every example but 200 in the code table, do not show the shape of most
lists, and some clouds send numbers as text. Route dialects (`alt-routes`, `no-pcs-realtime`) live
in the route table; `fresh-account` lives in the account layout.
"""

from __future__ import annotations

from simulator.cloud.envelope import (
    CODE_OK,
    CODE_WRITE_OK,
    is_page,
    map_objects,
    numbers_as_text,
    page,
)
from simulator.jsontypes import JsonObject, JsonValue

SUCCESS_CODES = frozenset({CODE_OK, CODE_WRITE_OK})


def reshape(envelope: JsonObject, dialects: frozenset[str]) -> JsonObject:
    """Return `envelope` as a cloud speaking `dialects` would send it."""
    if not dialects:
        return envelope
    shaped = dict(envelope)
    if shaped.get("code") in SUCCESS_CODES:
        if "code-200" in dialects:
            shaped["code"] = CODE_WRITE_OK
        elif "code-0" in dialects:
            shaped["code"] = CODE_OK
    data: JsonValue = shaped.get("data")
    if "data-array" in dialects and isinstance(data, dict) and is_page(data):
        data = data["datas"]
    elif "data-paged" in dialects and isinstance(data, list):
        data = page(data, page_no=1, page_size=max(1, len(data)), total=len(data))
    if "text-numbers" in dialects:
        # The objects' values only: a page's own counters stay numbers, as Spring's Page does.
        data = map_objects(data, numbers_as_text)
    shaped["data"] = data
    return shaped
