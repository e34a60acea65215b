"""The plant totals' hourly statistics, `atess:<plant id>_<flow>`, from the devices' own rows.

Each lifetime flow of a plant (plant_rules.py) gets an external statistic whose hour H has
`state` = the sum, over the devices that feed the flow, of each device's counter at H (its
hourly row `atess:<serial>_<field>`, history.py; a device without a row at H keeps its last
state: it made nothing that hour). So the plant's series has no holes where the devices' have
none, after a restart or an outage too.

An hour is written only once every part's series has reached it (`AtessHistory.done_until`),
so a part still importing never makes an hour low. Like the devices' rows, `sum` is anchored
to the parts' states: it grows by each part's own growth over the hour. The series continues
from its last row in the recorder: an import that was interrupted resumes where it stopped,
without counting anything twice.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import EnergyConverter

from .const import DOMAIN
from .coordinator import AtessDevice
from .history import async_sensor_names
from .history_rows import HOUR, CounterTail, plant_statistic_id, statistic_id
from .plant_rules import TOTALS, PlantTotalDescription, parts_of, term_descriptions
from .runtime import AtessConfigEntry

# Where a part's last state before the window is looked for: the last hours, else (a device
# quiet for days) up to a month back.
RECENT = timedelta(hours=3)
LOOKBACK = timedelta(days=31)

type Series = tuple[list[float], list[float]]  # row starts (timestamps) and states, in order


async def async_catch_up_plant(hass: HomeAssistant, entry: AtessConfigEntry, plant_id: str) -> int:
    """Write every hour of the plant's flows that all their parts have reached; the rows written."""
    runtime = entry.runtime_data
    history = runtime.history
    plant = runtime.inventory.data.plants.get(plant_id)
    if not history.available or history.days <= 0 or plant is None:
        return 0
    devices = {d.ref: d for d in runtime.devices.values() if d.ref.plant_id == plant_id}
    written = 0
    async with history.lock(f"plant_{plant_id}"):
        names = await async_sensor_names(hass, {t.key: t.translation_key for t in TOTALS})
        for total in TOTALS:
            parts = [devices[ref] for ref in parts_of(total, devices, entry.options)]
            reached = [history.done_until(d.sn) for d in parts]
            if not parts or None in reached:
                continue
            stop = min(r for r in reached if r is not None)
            name = f"{plant.name} {names.get(total.key, total.key)}"
            first = stop - timedelta(days=history.days)
            written += await _async_flow(hass, plant_id, total, parts, (first, stop), name)
    return written


async def _async_flow(
    hass: HomeAssistant,
    plant_id: str,
    total: PlantTotalDescription,
    parts: list[AtessDevice],
    window: tuple[datetime, datetime],
    name: str,
) -> int:
    """Continue one flow's series up to the window's end; from its start when it has none."""
    from homeassistant.components.recorder.models import (  # noqa: PLC0415
        StatisticMeanType,
        StatisticMetaData,
    )
    from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
        async_add_external_statistics,
        get_last_statistics,
    )
    from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

    stat_id = plant_statistic_id(plant_id, total.statistic or total.key)
    recorder = get_instance(hass)
    # rows queued a moment ago (the devices' or ours) must be committed before we read them
    await recorder.async_block_till_done()
    last = await recorder.async_add_executor_job(
        get_last_statistics, hass, 1, stat_id, True, {"state", "sum"}
    )
    tail: CounterTail | None = None
    if found := last.get(stat_id):
        row = found[0]
        start_ts = dt_util.utc_from_timestamp(row["start"])
        tail = CounterTail(start_ts, row.get("state") or 0.0, row.get("sum") or 0.0)
    first, stop = window
    start = tail.start + HOUR if tail else first
    if start >= stop:
        return 0
    series = await _async_part_series(hass, parts, total, start, stop)
    rows = plant_rows(series, tail, start, stop)
    if rows:
        metadata = StatisticMetaData(
            mean_type=StatisticMeanType.NONE,
            has_sum=True,
            name=name.strip(),
            source=DOMAIN,
            statistic_id=stat_id,
            unit_class=EnergyConverter.UNIT_CLASS,
            unit_of_measurement=total.native_unit_of_measurement,
        )
        async_add_external_statistics(hass, metadata, rows)  # type: ignore[arg-type]
    return len(rows)


async def _async_part_series(
    hass: HomeAssistant,
    parts: list[AtessDevice],
    total: PlantTotalDescription,
    start: datetime,
    stop: datetime,
) -> list[Series]:
    """Each part's hourly states from `LOOKBACK` before `start` to `stop`."""
    from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
        statistics_during_period,
    )
    from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

    ids = {
        d.sn: [statistic_id(d.sn, desc.field) for desc in term_descriptions(total, d.ref)]
        for d in parts
    }
    wanted = {i for part_ids in ids.values() for i in part_ids}

    def rows(begin: datetime, end: datetime, which: set[str]) -> dict[str, list[Any]]:
        return statistics_during_period(hass, begin, end, which, "hour", None, {"state"})

    recorder = get_instance(hass)
    found = await recorder.async_add_executor_job(rows, start - RECENT, stop, wanted)
    # a part quiet for longer (offline for days) keeps the state of its last row before that
    begin = start.timestamp()
    quiet = {
        stat_id
        for part_ids in ids.values()
        if not any(r["start"] <= begin for i in part_ids for r in found.get(i, []))
        for stat_id in part_ids
    }
    if quiet:
        older = await recorder.async_add_executor_job(rows, start - LOOKBACK, start - RECENT, quiet)
        for stat_id, older_rows in older.items():
            found[stat_id] = [*older_rows, *found.get(stat_id, [])]
    series: list[Series] = []
    for device in parts:
        # a family that may spell a counter two ways has one series per spelling: merged
        by_start: dict[float, float] = {}
        for stat_id in ids[device.sn]:
            for row in found.get(stat_id, []):
                if (state := row.get("state")) is not None:
                    by_start[row["start"]] = max(state, by_start.get(row["start"], state))
        starts = sorted(by_start)
        series.append((starts, [by_start[s] for s in starts]))
    return series


def plant_rows(
    series: Iterable[Series], tail: CounterTail | None, start: datetime, stop: datetime
) -> list[dict[str, Any]]:
    """Hourly rows of a plant flow for [start, stop): each hour the sum of the parts' states.

    A part's state at an hour is its last row at or before it; an hour before every part has
    a row is not written. The sum grows by each part's own growth over the hour, so a source
    changed in the options (other parts) neither jumps nor stalls the series.
    """
    parts = list(series)
    rows: list[dict[str, Any]] = []
    hour = start
    while hour < stop:
        now = [_state_at(part, hour) for part in parts]
        if None not in now:
            before = [_state_at(part, hour - HOUR) for part in parts]
            growth = sum(
                max(after - prior, 0.0)
                for after, prior in zip(now, before, strict=True)
                if after is not None and prior is not None
            )
            state = sum(value for value in now if value is not None)
            tail = CounterTail(hour, state, (tail.sum if tail else 0.0) + growth)
            rows.append({"start": hour, "state": tail.state, "sum": tail.sum})
        hour += HOUR
    return rows


def _state_at(part: Series, moment: datetime) -> float | None:
    """A part's state at an hour: its last row at or before it."""
    starts, states = part
    index = bisect_right(starts, moment.timestamp())
    return states[index - 1] if index else None
