"""The cloud's history in Home Assistant's long-term statistics, so the Energy dashboard has no holes.

For every lifetime energy counter and every power value of a device, the integration keeps an
*external* statistic `atess:<serial>_<field>` with one row per hour: `state`/`sum` for counters,
`mean`/`min`/`max` for power. External statistics are ours alone, so they can be filled from the
cloud for hours when Home Assistant was down without fighting the recorder over the sensors' own
statistics.

Consistency: a counter row's `sum` is always anchored to the counter itself,
`sum = sum_before + (counter - counter_before)`, so rows computed at different times (a live hour
now, a gap filled later, the same window imported twice) agree with each other: nothing is counted
twice, nothing is skipped, and re-importing a window writes the same rows again.

Where the rows come from: a completed hour is built from the realtime samples already polled when
they include the hour's last five-minute upload; otherwise (restart, outage, a device that was lost)
the hour comes from the device's historical-data endpoint. Its record time field is not documented:
the records carry `time` (Growatt vocabulary, central HPS) or `recordTime` (string HPS, per the
public third-party client); the client reads whichever is present.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Mapping
from datetime import datetime, timedelta

from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import EnergyConverter, PowerConverter

from .api import AtessClient, AtessClosedError, AtessError, DevicePayload, RealtimeData
from .catalogue import AtessSensorEntityDescription
from .const import DOMAIN, LOGGER
from .coordinator import AtessDevice
from .history_rows import (
    HOUR,
    SLOT,
    CounterTail,
    HourlyRows,
    build_rows,
    floor_hour,
    history_fields,
    statistic_id,
)
from .models import mask_serial

__all__ = ["AtessHistory", "floor_hour", "history_fields", "statistic_id"]

CHUNK = timedelta(days=1)


def device_name(device: AtessDevice) -> str:
    """The device as its entities' names start: model (or kind) and serial number."""
    return device.ref.display_name


async def async_sensor_names(
    hass: HomeAssistant, translation_keys: Mapping[str, str | None]
) -> dict[str, str]:
    """Sensor names by translation key, in Home Assistant's language (else English).

    Keyed as `translation_keys` is; a key without a name is left out.
    """
    names: dict[str, str] = {}
    for language in dict.fromkeys((hass.config.language, "en")):
        strings = await async_get_translations(hass, language, "entity", {DOMAIN})
        for key, translation_key in translation_keys.items():
            label = strings.get(f"component.{DOMAIN}.entity.sensor.{translation_key}.name")
            if key not in names and label:
                names[key] = label
    return names


class AtessHistory:
    """Keeps the hourly statistics of one entry's devices complete."""

    def __init__(self, hass: HomeAssistant, client: AtessClient, days: int) -> None:
        """Create the importer; `days` of history are fetched for a statistic that has none."""
        self.hass = hass
        self.client = client
        self.days = days
        self._tails: dict[str, dict[str, CounterTail | None]] = {}
        self._done_until: dict[str, datetime] = {}
        self._samples: dict[str, list[tuple[datetime, DevicePayload]]] = defaultdict(list)
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._names: dict[str, dict[str, str]] = {}

    @property
    def available(self) -> bool:
        """Statistics need the recorder."""
        return "recorder" in self.hass.config.components

    def lock(self, key: str) -> asyncio.Lock:
        """The lock of one series' writer (a device's serial, or a plant's key)."""
        return self._locks[key]

    def done_until(self, sn: str) -> datetime | None:
        """Up to when a device's completed hours are written (None: not known yet)."""
        return self._done_until.get(sn)

    def note_sample(self, device: AtessDevice, data: RealtimeData) -> None:
        """Keep a polled sample until its hour is written."""
        moment = device.localize(data.sample_time)
        if moment is None:
            return
        samples = self._samples[device.sn]
        moment = dt_util.as_utc(moment)
        if not samples or samples[-1][0] < moment:
            samples.append((moment, data))

    def behind(self, device: AtessDevice, end: datetime) -> bool:
        """Whether completed hours before `end` are not written yet."""
        if not self.available or self.days <= 0 or self._locks[device.sn].locked():
            return False
        done = self._done_until.get(device.sn)
        return done is None or done < end

    async def async_catch_up(self, device: AtessDevice) -> None:
        """Write every completed hour not yet written: from polled samples, else from the cloud."""
        if not self.available or self.days <= 0:
            return
        async with self._locks[device.sn]:
            await self._async_catch_up(device)

    async def _async_catch_up(self, device: AtessDevice) -> None:
        fields = history_fields(device)
        if device.sn not in self._names:
            await self._async_load_names(device, fields)
        if device.sn not in self._tails:
            await self._async_load_tails(device, fields)
        end = floor_hour(dt_util.utcnow())
        start = self._done_until.get(device.sn) or end - timedelta(days=self.days)
        if start >= end:
            return
        samples = self._samples[device.sn]
        if self._covers(samples, start, end):
            rows = build_rows(samples, fields, self._tails[device.sn], start, end)
            self._write(device, fields, rows)
        else:
            await self._async_import(device, fields, start, end, self._tails[device.sn])
        self._done_until[device.sn] = end
        self._samples[device.sn] = [s for s in samples if s[0] >= end - SLOT]

    @staticmethod
    def _covers(
        samples: list[tuple[datetime, DevicePayload]], start: datetime, end: datetime
    ) -> bool:
        """Whether polled samples hold every hour's final upload in [start, end)."""
        if not samples or samples[0][0] >= start:
            return False
        times = [t for t, _ in samples]
        hour = start
        while hour < end:
            last_slot = hour + HOUR - SLOT
            if not any(last_slot <= t < hour + HOUR for t in times):
                return False
            hour += HOUR
        return True

    async def async_import_window(self, device: AtessDevice, start: datetime, end: datetime) -> int:
        """Re-import [start, end) from the cloud (the action); the rows written."""
        if not self.available:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="history_failed",
                translation_placeholders={"error": "the recorder is not loaded"},
            )
        start, end = floor_hour(dt_util.as_utc(start)), floor_hour(dt_util.as_utc(end))
        end = min(end, floor_hour(dt_util.utcnow()))
        if start >= end:
            return 0
        fields = history_fields(device)
        if device.sn not in self._names:
            await self._async_load_names(device, fields)
        async with self._locks[device.sn]:
            tails = await self._async_tails_before(device, fields, start)
            return await self._async_import(device, fields, start, end, tails)

    async def _async_import(
        self,
        device: AtessDevice,
        fields: dict[str, AtessSensorEntityDescription],
        start: datetime,
        end: datetime,
        tails: dict[str, CounterTail | None],
    ) -> int:
        """Fetch [start, end) day by day and write each day at once.

        A cancelled import (unload) thus leaves a consistent prefix.
        """
        tz = device.timezone
        written = 0
        chunk_start = start
        while chunk_start < end:
            chunk_end = min(chunk_start + CHUNK, end)
            # one slot earlier: the baseline for the first hour when no row precedes it
            local_start = dt_util.as_local(chunk_start - SLOT).astimezone(tz).replace(tzinfo=None)
            local_end = dt_util.as_local(chunk_end).astimezone(tz).replace(tzinfo=None)
            samples: list[tuple[datetime, DevicePayload]] = []
            try:
                async for record in self.client.iter_history(
                    device.ref.kind, device.sn, local_start, local_end - timedelta(seconds=1)
                ):
                    moment = device.localize(record.sample_time)
                    if moment is not None:
                        samples.append((dt_util.as_utc(moment), record))
            except AtessError as err:
                if not isinstance(err, AtessClosedError):  # closed: Home Assistant stops
                    LOGGER.warning(
                        "Could not fetch history of %s %s: %s",
                        device.ref.kind,
                        mask_serial(device.sn),
                        err,
                    )
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key="history_failed",
                    translation_placeholders={"error": str(err)},
                ) from err
            rows = build_rows(samples, fields, tails, chunk_start, chunk_end)
            written += self._write(device, fields, rows)
            chunk_start = chunk_end
        return written

    def _write(
        self, device: AtessDevice, fields: dict[str, AtessSensorEntityDescription], rows: HourlyRows
    ) -> int:
        from homeassistant.components.recorder.models import (  # noqa: PLC0415
            StatisticMeanType,
            StatisticMetaData,
        )
        from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
            async_add_external_statistics,
        )

        written = 0
        for group, mean_type, has_sum in (
            (rows.counters, StatisticMeanType.NONE, True),
            (rows.power, StatisticMeanType.ARITHMETIC, False),
        ):
            for key, data in group.items():
                if not data:
                    continue
                desc = fields[key]
                unit_class = EnergyConverter.UNIT_CLASS if has_sum else PowerConverter.UNIT_CLASS
                metadata = StatisticMetaData(
                    mean_type=mean_type,
                    has_sum=has_sum,
                    name=self._name(device, key, desc),
                    source=DOMAIN,
                    statistic_id=statistic_id(device.sn, desc.field),
                    unit_class=unit_class,
                    unit_of_measurement=desc.native_unit_of_measurement,
                )
                async_add_external_statistics(self.hass, metadata, data)  # type: ignore[arg-type]
                written += len(data)
        return written

    def _name(self, device: AtessDevice, key: str, desc: AtessSensorEntityDescription) -> str:
        """The statistic's name, as the sensor it mirrors is named (see _async_load_names)."""
        return self._names.get(device.sn, {}).get(key) or f"{device_name(device)} {desc.field}"

    async def _async_load_names(
        self, device: AtessDevice, fields: dict[str, AtessSensorEntityDescription]
    ) -> None:
        """Name each statistic like its sensor, in Home Assistant's language.

        The sensors are named by translation key, so the registry holds no name for them; the
        statistics take the same translated name (English where the language has none).
        """
        labels = await async_sensor_names(
            self.hass, {key: desc.translation_key for key, desc in fields.items()}
        )
        self._names[device.sn] = {
            key: f"{device_name(device)} {label}" for key, label in labels.items()
        }

    async def _async_load_tails(
        self, device: AtessDevice, fields: dict[str, AtessSensorEntityDescription]
    ) -> None:
        """Where each statistic ends, from the recorder (once per device and run)."""
        from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
            get_last_statistics,
        )
        from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

        # rows we queued a moment ago must be committed before we read where the series ends
        await get_instance(self.hass).async_block_till_done()
        tails: dict[str, CounterTail | None] = {}
        latest: datetime | None = None
        for key, desc in fields.items():
            if desc.device_class is not SensorDeviceClass.ENERGY:
                continue
            stat_id = statistic_id(device.sn, desc.field)
            last = await get_instance(self.hass).async_add_executor_job(
                get_last_statistics, self.hass, 1, stat_id, True, {"state", "sum"}
            )
            found = last.get(stat_id) or []
            if not found:
                tails[key] = None
                continue
            row = found[0]
            begin = dt_util.utc_from_timestamp(row["start"])
            tails[key] = CounterTail(begin, row.get("state") or 0.0, row.get("sum") or 0.0)
            latest = begin if latest is None or begin > latest else latest
        self._tails[device.sn] = tails
        if latest is not None:
            self._done_until[device.sn] = latest + HOUR

    async def _async_tails_before(
        self, device: AtessDevice, fields: dict[str, AtessSensorEntityDescription], start: datetime
    ) -> dict[str, CounterTail | None]:
        """The rows just before `start`, so a re-imported window continues the same sums."""
        from homeassistant.components.recorder.statistics import (  # noqa: PLC0415
            statistics_during_period,
        )
        from homeassistant.helpers.recorder import get_instance  # noqa: PLC0415

        ids = {
            statistic_id(device.sn, d.field): k
            for k, d in fields.items()
            if d.device_class is SensorDeviceClass.ENERGY
        }
        await get_instance(self.hass).async_block_till_done()
        found = await get_instance(self.hass).async_add_executor_job(
            statistics_during_period,
            self.hass,
            start - timedelta(days=31),
            start,
            set(ids),
            "hour",
            None,
            {"state", "sum"},
        )
        tails: dict[str, CounterTail | None] = dict.fromkeys(ids.values())
        for stat_id, stat_rows in found.items():
            if stat_rows:
                row = stat_rows[-1]
                tails[ids[stat_id]] = CounterTail(
                    dt_util.utc_from_timestamp(row["start"]),
                    row.get("state") or 0.0,
                    row.get("sum") or 0.0,
                )
        return tails
