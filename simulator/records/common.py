"""Helpers shared by the per-kind record builders.

Sign conventions (the cloud's are undocumented, these are the simulator's choice): battery power
`pac` is positive while discharging, `pacToBattery` positive while charging, grid power
`bactivePower` positive while importing. Units follow what the cloud is believed to send: kW,
kWh, V, A, Hz, °C, % — except total PV power `ppv` on PCS and PBD, which is in W.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulator.jsontypes import JsonObject
from simulator.model.sample import DeviceSample

NOMINAL_GRID_HZ = 50.0
# Counter name prefixes -> model flows. Most families use the `e`-prefixed names; PCS drops it.
BATTERY_FLOWS = {"echarge": "charge", "edischarge": "discharge"}
SITE_FLOWS = {"egrid": "import", "eload": "load", "epv": "pv", "etoGrid": "export"}


def r1(value: float) -> float:
    """Round to one decimal (voltages, currents, temperatures); never emits -0.0."""
    return round(value, 1) + 0.0


def r2(value: float) -> float:
    """Round to two decimals (powers, frequencies); never emits -0.0."""
    return round(value, 2) + 0.0


def battery_power(sample: DeviceSample) -> float:
    """Return battery power in kW, positive while discharging."""
    return sample.discharge - sample.charge


def grid_power(sample: DeviceSample) -> float:
    """Return grid power in kW, positive while importing."""
    return sample.grid_import - sample.grid_export


def string_volts(sample: DeviceSample, power: float, name: str, base: float = 600.0) -> float:
    """Return a PV string voltage: near zero at night, MPP voltage while producing."""
    if power <= 0.001:
        return r1(abs(sample.wiggle(name, 2.0)))
    load_factor = min(1.0, power / max(sample.device.scale * 0.3, 0.001))
    return r1(base + 80.0 * load_factor + sample.wiggle(name, 5.0))


def amps(power_kw: float, volts: float) -> float:
    """Return the current for a power in kW at a voltage (zero when the voltage is)."""
    return r1(power_kw * 1000.0 / volts) if volts > 1.0 else 0.0


def module_temp(sample: DeviceSample, name: str, power: float) -> float:
    """Return a module temperature rising with the power it carries."""
    fraction = min(1.0, abs(power) / max(sample.device.scale * 0.5, 0.001))
    return r1(sample.ambient + 8.0 + 22.0 * fraction + sample.wiggle(name, 0.8))


def unknown_fields(sample: DeviceSample) -> JsonObject:
    """Two keys no field catalogue knows, so clients can prove they keep unknown values."""
    return {
        "extraCounter7": 1000 + sample.index,
        "vendorDebug1": r2(3.0 + sample.wiggle("vendorDebug1", 1.0)),
    }


def split_shares(total: float, sample: DeviceSample, shares: tuple[float, ...]) -> list[float]:
    """Split a PV total over strings with slightly moving shares that add up to the total."""
    weights = [share * (1.0 + sample.wiggle(f"share{n}", 0.03)) for n, share in enumerate(shares)]
    norm = sum(weights)
    return [total * weight / norm for weight in weights]


def energy(sample: DeviceSample, flows: Mapping[str, str], factor: float = 1.0) -> JsonObject:
    """Return `<name>Today` and `<name>Total` (kWh) for each name -> model flow."""
    counters: JsonObject = {}
    for name, flow in flows.items():
        counters[f"{name}Today"] = sample.today(flow, factor)
        counters[f"{name}Total"] = sample.total(flow, factor)
    return counters


def minutes_today(sample: DeviceSample, flows: Mapping[str, str]) -> JsonObject:
    """Return `<name>TimeToday` (minutes the flow ran today) for each name -> model flow."""
    return {f"{name}TimeToday": sample.minutes_today(flow) for name, flow in flows.items()}


def readings(
    sample: DeviceSample, names: tuple[str, ...], base: float, spread: float
) -> JsonObject:
    """Return one reading per name that wobbles around `base` (line voltages, frequencies)."""
    return {name: r1(base + sample.wiggle(name, spread)) for name in names}


def inverter_temps(sample: DeviceSample, power: float, aux_power: float) -> JsonObject:
    """Return `temp1`..`temp6`: four power modules, one auxiliary module, the cabinet air."""
    temps: JsonObject = {f"temp{n}": module_temp(sample, f"temp{n}", power) for n in range(1, 5)}
    temps["temp5"] = module_temp(sample, "temp5", aux_power)
    temps["temp6"] = r1(sample.ambient + 3.0 + sample.wiggle("temp6", 0.3))
    return temps
