"""Request and write counters, served by `/_simulator/stats`."""

from __future__ import annotations

from collections import Counter

from simulator.jsontypes import JsonObject, JsonValue


class Stats:
    """What clients did since start or since the last reset."""

    def __init__(self) -> None:
        """Start with everything at zero."""
        self.requests: Counter[str] = Counter()
        self.writes_applied: Counter[str] = Counter()
        self.writes_refused: Counter[str] = Counter()
        self.writes: list[JsonObject] = []

    def count_request(self, method: str, path: str) -> None:
        """Count one request under "<METHOD> <path>"."""
        self.requests[f"{method} {path}"] += 1

    def applied(self, device_sn: str, key: str, value: JsonValue, when: str) -> None:
        """Count one applied setting write and log it."""
        self.writes_applied[device_sn] += 1
        self.writes.append({"deviceSn": device_sn, "key": key, "value": value, "time": when})

    def refused(self, device_sn: str) -> None:
        """Count one write the device refused (daily ration used up or invalid value)."""
        self.writes_refused[device_sn] += 1

    def as_json(self) -> JsonObject:
        """Return the counters in the shape of `/_simulator/stats`."""
        return {
            "requests": dict(self.requests),
            "requests_total": sum(self.requests.values()),
            "writes_applied": dict(self.writes_applied),
            "writes_refused": dict(self.writes_refused),
            "writes": list(self.writes),
        }
