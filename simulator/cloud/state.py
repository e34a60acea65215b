"""The mutable world of one simulator instance: account, device series, settings, faults, stats."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import random
import time
from zoneinfo import ZoneInfo

from simulator.cloud import faults
from simulator.cloud.envelope import CODE_FAIL, CODE_NOT_FOUND, ApiError, not_found, page
from simulator.cloud.stats import Stats
from simulator.config import SimulatorConfig
from simulator.jsontypes import JsonObject, JsonValue
from simulator.model import uploads
from simulator.model.kinds import DeviceKind
from simulator.model.layout import Account, Datalog, Device, Plant, build_account
from simulator.model.sample import TIME_FORMAT, DeviceSample
from simulator.model.settings import InvalidValueError, WriteRation, default_settings, parse_value
from simulator.model.timeline import PlantTimeline, as_aware, series_start
from simulator.model.uploads import UploadSchedule, timing_of
from simulator.records.build import as_history_record, build_record

# Records are pure functions of (device, slot); keep a bounded cache of them.
_RECORD_CACHE_LIMIT = 50_000


class SimulatorState:
    """Everything the endpoints read and change. "Now" is read on every call, never cached."""

    def __init__(self, config: SimulatorConfig) -> None:
        """Lay out the account from the configuration."""
        self.config = config
        self.account: Account = build_account(config)
        every_device = {**self.account.devices, **self.account.stock_devices}
        self.settings: dict[str, JsonObject] = {
            sn: default_settings(device.kind) for sn, device in every_device.items()
        }
        self.ration = WriteRation(config.write_limit_per_day)
        self.knobs: dict[str, float] = config.fault_knobs()
        self.fault_rng = random.Random(f"faults:{config.seed}")  # noqa: S311 - simulation only
        self.closing = asyncio.Event()
        self._stats = Stats()
        self._timelines: dict[str, PlantTimeline] = {}
        self._records: dict[tuple[str, int], JsonObject] = {}
        self._detached: dict[str, Device] = {}
        self.upload_timing = timing_of(config)
        self._schedules: dict[str, UploadSchedule] = {}
        # device states the test or demo forces (device serial -> running-state code), and
        # DataLogs whose uploads stopped (serial -> POSIX time of the stop)
        self._forced_status: dict[str, int] = {}
        self._silent_since: dict[str, float] = {}

    # --- lookups -----------------------------------------------------------------------------

    def device(self, device_sn: str, kind: DeviceKind | None = None) -> Device:
        """Return a device by serial (of the given kind), else raise the not-found error."""
        device = self.account.devices.get(device_sn)
        if device is None or (kind is not None and device.kind is not kind):
            raise not_found()
        return device

    def plant(self, plant_id: str) -> Plant:
        """Return a plant by id, else raise the not-found error."""
        plant = self.account.plants.get(plant_id)
        if plant is None:
            raise not_found()
        return plant

    def datalog(self, datalog_sn: str) -> Datalog:
        """Return a datalog by serial, else raise the not-found error."""
        log = self.account.datalogs.get(datalog_sn)
        if log is None:
            raise not_found()
        return log

    def timeline(self, plant: Plant) -> PlantTimeline:
        """Return the plant's record series, anchoring it on first use."""
        series = self._timelines.get(plant.plant_id)
        if series is None:
            start = series_start(datetime.now(UTC), self.config.history_days)
            series = PlantTimeline(
                tz=plant.tz,
                lat=plant.lat,
                lng=plant.lng,
                seed_key=f"{self.config.seed}:{plant.plant_id}",
                start=start,
            )
            self._timelines[plant.plant_id] = series
        return series

    def plant_now(self, plant: Plant) -> datetime:
        """Return the current plant-local time."""
        return datetime.now(plant.tz)

    def schedule(self, datalog_sn: str) -> UploadSchedule:
        """Return a DataLog's upload schedule (phase, drift, delays; drawn from the seed)."""
        sched = self._schedules.get(datalog_sn)
        if sched is None:
            sched = uploads.schedule(self.config.seed, datalog_sn, self.upload_timing)
            self._schedules[datalog_sn] = sched
        return sched

    def upload_clock(self, datalog_sn: str, now_ts: float) -> float:
        """Return `now_ts`, or the moment the DataLog went silent: later records never arrive."""
        return min(now_ts, self._silent_since.get(datalog_sn, now_ts))

    def latest_time_text(self, log: Datalog) -> str:
        """Return the time of a DataLog's newest shown record (`updateTime`, `lastUpdate`)."""
        series = self.timeline(self.account.plants[log.plant_id])
        sched = self.schedule(log.sn)
        index = uploads.newest_shown(series, sched, self.upload_clock(log.sn, time.time()))
        moment = datetime.fromtimestamp(sched.sample_ts(series.slot_ts(index)), series.tz)
        return moment.strftime(TIME_FORMAT)

    # --- records -----------------------------------------------------------------------------

    def record(self, device: Device, index: int) -> JsonObject:
        """Return the realtime-shaped record of a device at slot `index` (cached)."""
        cache_key = (device.sn, index)
        cached = self._records.get(cache_key)
        if cached is None:
            series = self.timeline(self.account.plants[device.plant_id])
            sample_ts = self.schedule(device.datalog_sn).sample_ts(series.slot_ts(index))
            cached = build_record(DeviceSample(series, device, index, sample_ts))
            if len(self._records) >= _RECORD_CACHE_LIMIT:
                self._records.clear()
            self._records[cache_key] = cached
        return dict(cached)

    def shown_index(self, device: Device, now_ts: float) -> int:
        """Return the slot of the newest record of a device the cloud shows at `now_ts`."""
        series = self.timeline(self.account.plants[device.plant_id])
        shown_at = self.upload_clock(device.datalog_sn, now_ts)
        return uploads.newest_shown(series, self.schedule(device.datalog_sn), shown_at)

    def realtime(self, device: Device) -> JsonObject:
        """Return the newest record the cloud shows now (with a forced running state)."""
        record = self.record(device, self.shown_index(device, time.time()))
        if device.sn in self._forced_status:
            record["status"] = self._forced_status[device.sn]
        return record

    def counters_at(self, device_sn: str, when: datetime) -> JsonObject:
        """Return the record a device showed at `when` (naive = plant-local) — for tests."""
        device = self.account.devices[device_sn]
        plant = self.account.plants[device.plant_id]
        moment = when if when.tzinfo is not None else when.replace(tzinfo=plant.tz)
        return self.record(device, self.shown_index(device, moment.timestamp()))

    def history(
        self, device: Device, start: datetime, end: datetime, page_no: int, page_size: int
    ) -> JsonObject:
        """Return one page of the shown records whose time lies between two plant-local times."""
        series = self.timeline(self.account.plants[device.plant_id])
        indexes = uploads.shown_between(
            series,
            self.schedule(device.datalog_sn),
            as_aware(start, series.tz).timestamp(),
            as_aware(end, series.tz).timestamp(),
            self.upload_clock(device.datalog_sn, time.time()),
        )
        offset = (page_no - 1) * page_size
        datas: list[JsonValue] = [
            as_history_record(device.kind, self.record(device, index))
            for index in indexes[offset : offset + page_size]
        ]
        return page(datas, page_no=page_no, page_size=page_size, total=len(indexes))

    # --- settings ----------------------------------------------------------------------------

    def write_setting(self, device: Device, key: str, text: str) -> None:
        """Apply one setting write or raise the envelope the cloud would answer."""
        values = self.settings[device.sn]
        if key not in values:
            raise not_found()
        plant = self.account.plants[device.plant_id]
        now = self.plant_now(plant)
        if not self.ration.allows(device.sn, now.date()):
            self._stats.refused(device.sn)
            raise ApiError(CODE_FAIL, "limit", limit=self.ration.limit)
        try:
            value = parse_value(values[key], text)
        except InvalidValueError:
            self._stats.refused(device.sn)
            raise ApiError(CODE_FAIL, "bad_value", name=key) from None
        values[key] = value
        self.ration.record(device.sn, now.date())
        self._stats.applied(device.sn, key, value, now.isoformat(timespec="seconds"))

    # --- account changes ---------------------------------------------------------------------

    def add_plant(self, info: JsonObject, tz: ZoneInfo) -> Plant:
        """Create a plant (no devices until datalogs with devices are attached)."""
        return self.account.add_plant(info, tz)

    def delete_plant(self, plant: Plant) -> None:
        """Remove a plant; its datalogs go back to the stock with their devices."""
        self.account.delete_plant(plant.plant_id)

    def add_datalog(self, plant: Plant, sn: str, code: str | None) -> Datalog:
        """Attach datalog `sn` to `plant` with the devices behind it, or raise the refusal.

        A datalog in stock must show its label's code when it has one (a missing code is let
        through: the docs do not say it is required). An unknown serial is refused on a fresh
        account; the demo account keeps its older leniency and attaches an empty datalog.
        """
        account = self.account
        if sn in account.datalogs:
            raise ApiError(CODE_FAIL, "exists", name=sn)
        stocked = account.stock.get(sn)
        if stocked is None:
            if "fresh-account" in self.config.dialects:
                raise ApiError(CODE_NOT_FOUND, "no_datalog", name=sn)
            account.stock[sn] = Datalog(sn, plant.plant_id, valid_code=code)
        elif code is not None and stocked.valid_code not in (None, code):
            raise ApiError(CODE_FAIL, "bad_valid_code", name=sn)
        moved = account.attach_datalog(sn, plant)
        if moved:
            # Records were computed on the series of the plant the devices were on before.
            self._records.clear()
        return account.datalogs[sn]

    def delete_datalog(self, log: Datalog) -> None:
        """Take a datalog off its plant; it and its devices go back to the stock."""
        self.account.detach_datalog(log.sn)

    def detach_devices(self, serials: list[str]) -> None:
        """Take devices off the account (as if unplugged): lists omit them, reads answer 400."""
        for sn in serials:
            device = self.account.devices.pop(sn, None)
            if device is not None:
                self._detached[sn] = device

    def reattach_devices(self, serials: list[str]) -> None:
        """Put detached devices back, with the settings and history they had."""
        for sn in serials:
            device = self._detached.pop(sn, None)
            if device is not None:
                self.account.devices[sn] = device

    # --- device control (tests, the demo) ----------------------------------------------------

    def force_status(self, device_sn: str, status: int | None) -> None:
        """Make a device's realtime records show running state `status` (None: its own)."""
        self.device(device_sn)
        if status is None:
            self._forced_status.pop(device_sn, None)
        else:
            self._forced_status[device_sn] = status

    def silence_datalog(self, datalog_sn: str, *, silent: bool) -> None:
        """Stop a DataLog's uploads from now on, or let them resume (the missed ones come late)."""
        self.datalog(datalog_sn)
        if not silent:
            self._silent_since.pop(datalog_sn, None)
        else:
            self._silent_since.setdefault(datalog_sn, time.time())

    # --- introspection -----------------------------------------------------------------------

    def count_request(self, method: str, path: str) -> None:
        """Count one API request."""
        self._stats.count_request(method, path)

    def inventory(self) -> JsonObject:
        """Return plants, datalogs and devices (the `/_simulator/inventory` payload).

        `stock` lists the datalogs on no plant with their label's code: what an owner of a
        fresh account would type into the add-DataLog form.
        """
        account = self.account
        plants: list[JsonValue] = [
            {
                "plantId": plant.plant_id,
                "plantName": plant.info.get("plantName"),
                "timezone": plant.tz.key,
                "datalogs": [
                    self._datalog_inventory(log, account.devices_of(log.sn))
                    for log in account.datalogs_of(plant.plant_id)
                ],
            }
            for plant in account.plants.values()
        ]
        stock: list[JsonValue] = [
            self._datalog_inventory(
                log, [dev for dev in account.stock_devices.values() if dev.datalog_sn == sn]
            )
            for sn, log in account.stock.items()
        ]
        return {"plants": plants, "stock": stock}

    @staticmethod
    def _datalog_inventory(log: Datalog, devices: list[Device]) -> JsonObject:
        listed: list[JsonValue] = [
            {"deviceSn": dev.sn, "kind": dev.kind.value, "model": dev.model} for dev in devices
        ]
        return {"dataLogSn": log.sn, "validCode": log.valid_code, "devices": listed}

    def uploads(self, serial: str, count: int) -> JsonObject:
        """Return a DataLog's upload timing and its last `count` uploads (`/_simulator/uploads`).

        `serial` is a DataLog's or a device's. Each upload: the record `time` (plant-local, as the
        record shows it), when the cloud shows it (`visibleAt`, UTC; `visibleAtTs`, POSIX),
        whether it never arrived (`missed`) and whether it is shown now (`visible`).
        """
        device = self.account.devices.get(serial)
        log = self.datalog(device.datalog_sn if device is not None else serial)
        series = self.timeline(self.account.plants[log.plant_id])
        sched = self.schedule(log.sn)
        now = time.time()
        rows: list[JsonValue] = []
        index = series.latest_index(now) + 1
        while index >= 0 and len(rows) < count:
            slot_ts = series.slot_ts(index)
            sample_ts = sched.sample_ts(slot_ts)
            index -= 1
            if sample_ts > now:
                continue
            visible_ts = sched.visible_at(slot_ts)
            rows.append(
                {
                    "time": datetime.fromtimestamp(sample_ts, series.tz).strftime(TIME_FORMAT),
                    "visibleAt": datetime.fromtimestamp(visible_ts, UTC).isoformat(
                        timespec="milliseconds"
                    ),
                    "visibleAtTs": round(visible_ts, 3),
                    "missed": sched.missed(slot_ts),
                    "visible": sched.shown(slot_ts, now),
                }
            )
        timing = self.upload_timing
        return {
            "dataLogSn": log.sn,
            "uploadModel": self.config.upload_model,
            "phaseSeconds": sched.phase,
            "clockDriftPpm": sched.drift_ppm,
            "visibilityDelay": [timing.delay_min, timing.delay_max],
            "missedUploadRate": timing.missed_rate,
            "uploads": rows[::-1],
        }

    def stats(self) -> JsonObject:
        """Return the `/_simulator/stats` payload."""
        return self._stats.as_json()

    def reset_stats(self) -> None:
        """Zero every counter (the daily write ration is device state and stays)."""
        self._stats = Stats()

    def reset_write_budget(self) -> None:
        """Give every device its full daily write ration back."""
        self.ration.reset()

    def set_faults(self, **rates: float) -> dict[str, float]:
        """Change fault knobs (rates 0..1, latency seconds) and return all of them."""
        self.knobs = faults.validated_knobs(self.knobs, dict(rates))
        return dict(self.knobs)
