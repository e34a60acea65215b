"""Dispatch from device kind to record builder; records are emitted with sorted keys."""

from __future__ import annotations

from collections.abc import Callable

from simulator.jsontypes import JsonObject
from simulator.model.kinds import DeviceKind
from simulator.model.sample import DeviceSample
from simulator.records.battery import battery_record
from simulator.records.hps import hps_big_record, hps_small_record
from simulator.records.power import pbd_record, pcs_record

_BUILDERS: dict[DeviceKind, Callable[[DeviceSample], JsonObject]] = {
    DeviceKind.BCU: battery_record,
    DeviceKind.MBMS: battery_record,
    DeviceKind.HPS_BIG: hps_big_record,
    DeviceKind.HPS_SMALL: hps_small_record,
    DeviceKind.PBD: pbd_record,
    DeviceKind.PCS: pcs_record,
}


def build_record(sample: DeviceSample) -> JsonObject:
    """Return the realtime-shaped record of a sample, keys in alphabetical order as documented."""
    record = _BUILDERS[sample.device.kind](sample)
    return dict(sorted(record.items()))


def as_history_record(kind: DeviceKind, record: JsonObject) -> JsonObject:
    """Return a record as history serves it: string-type HPS calls the time `recordTime`."""
    if kind is not DeviceKind.HPS_SMALL:
        return record
    renamed = {("recordTime" if key == "time" else key): value for key, value in record.items()}
    return dict(sorted(renamed.items()))
