"""Per-kWp site model for one 5-minute slot: sun, load, battery dispatch and grid balance.

All powers are kW per kWp of PV (devices scale them), energies kWh per kWp. The model only has
to look like a real site; it is not a PV yield estimator.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
import math
import random

from simulator.model import noise

SLOT_SECONDS = 300
SLOTS_PER_HOUR = 12

BATTERY_KWH_PER_KWP = 2.0
BATTERY_KW_PER_KWP = 0.5
BATTERY_EFFICIENCY = 0.95
SOC_MIN = 10.0
SOC_MAX = 100.0
# Off-peak ("valley") window: the battery tops up from the grid instead of discharging, so that
# winter days without PV surplus still show charge and discharge cycles.
VALLEY_END_HOUR = 5
VALLEY_TARGET_SOC = 60.0
VALLEY_CHARGE_KW_PER_KWP = 0.2


@dataclass(frozen=True, slots=True)
class DayWeather:
    """Weather of one plant-local day."""

    clearness: float
    variability: float
    temp_base: float


@dataclass(frozen=True, slots=True)
class SiteSlot:
    """Average flows over one 5-minute slot and the state of charge at its end."""

    pv: float
    load: float
    charge: float
    discharge: float
    grid_import: float
    grid_export: float
    soc: float
    ambient: float


def day_weather(seed_key: str, ordinal: int) -> DayWeather:
    """Draw the weather of a day from the seed alone, so any day can be recomputed in isolation."""
    rng = random.Random(f"{seed_key}:day:{ordinal}")  # noqa: S311 - simulation, not security
    kind = rng.random()
    if kind < 0.45:
        clearness, variability = rng.uniform(0.9, 1.0), 0.03
    elif kind < 0.8:
        clearness, variability = rng.uniform(0.6, 0.85), 0.3
    else:
        clearness, variability = rng.uniform(0.2, 0.4), 0.1
    day_of_year = datetime.fromordinal(ordinal).timetuple().tm_yday
    # Seasonal mean temperature of a mid-latitude site plus a random offset.
    seasonal = 10.0 - 9.0 * math.cos(2 * math.pi * (day_of_year - 15) / 365.0)
    return DayWeather(clearness, variability, seasonal + rng.uniform(-3.0, 3.0))


def clear_sky_pv(local: datetime, lat: float, lng: float) -> float:
    """Clear-sky PV output in kW per kWp at a plant-local instant (solar elevation based)."""
    offset = local.utcoffset()
    offset_hours = offset.total_seconds() / 3600.0 if offset is not None else 0.0
    clock_hours = local.hour + local.minute / 60.0 + local.second / 3600.0
    solar_hours = clock_hours + lng / 15.0 - offset_hours
    hour_angle = math.radians(15.0 * (solar_hours - 12.0))
    day_of_year = local.timetuple().tm_yday
    declination = math.radians(23.44 * math.sin(2 * math.pi * (day_of_year - 81) / 365.0))
    latitude = math.radians(lat)
    sin_elevation = math.sin(latitude) * math.sin(declination) + math.cos(latitude) * math.cos(
        declination
    ) * math.cos(hour_angle)
    if sin_elevation <= 0.0:
        return 0.0
    return 0.85 * math.pow(sin_elevation, 1.2)


def _bump(hour: float, center: float, width: float) -> float:
    return math.exp(-(((hour - center) / width) ** 2) / 2.0)


def load_profile(local: datetime) -> float:
    """Typical site consumption in kW per kWp: base load, morning, midday and evening peaks."""
    hour = local.hour + local.minute / 60.0
    profile = (
        0.12
        + 0.08 * _bump(hour, 7.5, 1.2)
        + 0.12 * _bump(hour, 13.0, 3.0)
        + 0.14 * _bump(hour, 19.5, 1.8)
    )
    # Weekends run lighter, as most commercial sites do.
    return profile * (0.8 if local.weekday() >= 5 else 1.0)


def step(
    soc: float,
    local_mid: datetime,
    weather: DayWeather,
    lat: float,
    lng: float,
    noise_key: int,
    absolute_slot: int,
) -> SiteSlot:
    """Advance the site by one slot whose midpoint is `local_mid`, starting from `soc`."""
    cloud = 1.0 - weather.variability * noise.unit(noise_key, absolute_slot * 2)
    pv = clear_sky_pv(local_mid, lat, lng) * weather.clearness * cloud
    load = load_profile(local_mid) * (1.0 + 0.08 * noise.centered(noise_key, absolute_slot * 2 + 1))
    capacity = BATTERY_KWH_PER_KWP
    surplus = pv - load
    charge = discharge = grid_import = grid_export = 0.0
    room = (SOC_MAX - soc) / 100.0 * capacity
    room_kw = room / BATTERY_EFFICIENCY * SLOTS_PER_HOUR
    if local_mid.hour < VALLEY_END_HOUR:
        # Valley tariff: cover the load from the grid and charge up to the target.
        if soc < VALLEY_TARGET_SOC:
            charge = max(0.0, min(VALLEY_CHARGE_KW_PER_KWP, room_kw))
        grid_import = max(0.0, load - pv) + charge
        grid_export = max(0.0, pv - load)
    elif surplus > 0.0:
        # Self-consumption dispatch: PV surplus fills the battery first, the rest is exported.
        charge = max(0.0, min(surplus, BATTERY_KW_PER_KWP, room_kw))
        grid_export = surplus - charge
    else:
        available = (soc - SOC_MIN) / 100.0 * capacity
        discharge = max(
            0.0, min(-surplus, BATTERY_KW_PER_KWP, available * BATTERY_EFFICIENCY * SLOTS_PER_HOUR)
        )
        grid_import = -surplus - discharge
    stored = (charge * BATTERY_EFFICIENCY - discharge / BATTERY_EFFICIENCY) / SLOTS_PER_HOUR
    new_soc = min(SOC_MAX, max(SOC_MIN, soc + stored / capacity * 100.0))
    hour = local_mid.hour + local_mid.minute / 60.0
    ambient = weather.temp_base + 5.0 * math.sin(2 * math.pi * (hour - 9.0) / 24.0)
    return SiteSlot(pv, load, charge, discharge, grid_import, grid_export, new_soc, ambient)
