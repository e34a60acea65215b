"""The Energy dashboard in one step: one grid, one solar and one battery source per plant.

The sources come from the plant totals: energy from the plant's hourly statistics
(`atess:<plant id>_<flow>`, kept complete from the cloud's history), and the live "Now" view
from the plant's power sensors, whose signs are Home Assistant's own (grid + = importing,
battery + = discharging), so no inverted power configuration is needed.

The owner's dashboard stays theirs. `EnergyManager.async_update` replaces every top-level key it
is given, so only `energy_sources` is passed, and it is the owner's list exactly as it was with
ours appended; device consumption and prices are never passed, so never touched. A source of
ours is recognised by its energy statistic: calling again adds nothing, and a plant already in
the dashboard is reported, not added twice. An owner's own grid source (a utility meter) measures
the same connection as the plant's grid meter, and two grid sources count the import twice, so
ours is then left out unless the owner asks for it as an extra grid source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, cast

from homeassistant.components.energy.data import ENERGY_SOURCE_SCHEMA, async_get_manager
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er

from .compat import BATTERY_SOC, SOURCE_NAMES
from .const import DOMAIN
from .entity import plant_entity_unique_id
from .history_rows import plant_statistic_id
from .runtime import AtessConfigEntry

type Kind = Literal["grid", "solar", "battery"]
KINDS: tuple[Kind, ...] = ("grid", "solar", "battery")
# Per kind: the statistics (energy out of the source, energy into it) and the power sensor
FLOWS: dict[Kind, tuple[str, str | None, str]] = {
    "grid": ("grid_import_energy", "grid_export_energy", "grid_power"),
    "solar": ("pv_energy", None, "pv_power"),
    "battery": ("battery_discharge_energy", "battery_charge_energy", "battery_power"),
}


@dataclass(kw_only=True)
class PlantPlan:
    """What the dashboard gets for one plant, and what it already has."""

    plant_id: str
    name: str
    add: dict[Kind, dict[str, Any]] = field(default_factory=dict)
    present: list[Kind] = field(default_factory=list)
    left_out: list[Kind] = field(default_factory=list)
    # plant sensors not in Home Assistant (yet): their sources wait for them
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """The plant's part of the action's response."""
        return {
            "plant_id": self.plant_id,
            "name": self.name,
            "added": list(self.add),
            "already_configured": self.present,
            "left_out": self.left_out,
            "missing": self.missing,
        }


@dataclass(kw_only=True)
class EnergyPlan:
    """The owner's sources as they are, and what each plant appends to them."""

    current: list[dict[str, Any]]
    owner_grid: list[str]
    plants: list[PlantPlan]

    @property
    def added(self) -> list[dict[str, Any]]:
        """The sources to append, plant by plant."""
        return [source for plant in self.plants for source in plant.add.values()]

    def as_response(self) -> dict[str, Any]:
        """The action's response: the sources added, and each plant's state."""
        return {
            "added": self.added,
            "plants": [plant.as_dict() for plant in self.plants],
            "owner_grid": self.owner_grid,
        }

    def summary(self) -> dict[str, str]:
        """Markdown lists for the options form, by state; statistic and entity ids as stored.

        The ids name the flow (`atess:1001_pv_energy`), so no word here needs a translation:
        the form's translated text heads each list.
        """
        added: list[str] = []
        present: list[str] = []
        left_out: list[str] = []
        missing: list[str] = []
        for plant in self.plants:
            for source in plant.add.values():
                ids = [source["stat_energy_from"], source.get("stat_energy_to")]
                ids += [source["stat_rate"], source.get("stat_soc")]
                added.append(f"- {plant.name}: " + " · ".join(f"`{i}`" for i in ids if i))
            for kinds, out in ((plant.present, present), (plant.left_out, left_out)):
                out += [
                    f"- {plant.name}: `{plant_statistic_id(plant.plant_id, FLOWS[k][0])}`"
                    for k in kinds
                ]
            missing += [f"- {plant.name}: `{m}`" for m in plant.missing]
        lists = {"added": added, "present": present, "left_out": left_out, "missing": missing}
        return {key: "\n".join(lines) or "—" for key, lines in lists.items()}


def _plants(entry: AtessConfigEntry, plant_id: str | None) -> dict[str, str]:
    """The entry's plants (id to name), or the one asked for."""
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(translation_domain=DOMAIN, translation_key="entry_not_loaded")
    plants = {
        pid: plant.name or f"Plant {pid}"
        for pid, plant in entry.runtime_data.inventory.data.plants.items()
    }
    if plant_id is None:
        return plants
    if plant_id not in plants:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="unknown_plant",
            translation_placeholders={"plant_id": plant_id},
        )
    return {plant_id: plants[plant_id]}


def _stat_ids(source: dict[str, Any]) -> set[str]:
    return {s for key in ("stat_energy_from", "stat_energy_to") if (s := source.get(key))}


def _source(kind: Kind, plant_id: str, name: str, power: str, soc: str | None) -> dict[str, Any]:
    """One source in the format of the running release, every optional key as the UI writes it."""
    energy_from, energy_to, _ = FLOWS[kind]
    source: dict[str, Any] = {
        "type": kind,
        "stat_energy_from": plant_statistic_id(plant_id, energy_from),
        "stat_rate": power,
    }
    if kind == "solar":
        source["config_entry_solar_forecast"] = None
    else:
        source["stat_energy_to"] = plant_statistic_id(plant_id, str(energy_to))
        source["power_config"] = {"stat_rate": power}
    if kind == "battery" and soc and BATTERY_SOC:
        source["stat_soc"] = soc
    if SOURCE_NAMES:
        source["name"] = name
    if kind == "grid":
        source["cost_adjustment_day"] = 0.0
    # the running release's own schema fills the keys its editor expects (prices set to None)
    return cast("dict[str, Any]", ENERGY_SOURCE_SCHEMA([source])[0])


async def async_plan(
    hass: HomeAssistant,
    entry: AtessConfigEntry,
    plant_id: str | None = None,
    *,
    extra_grid: bool = False,
) -> EnergyPlan:
    """What configuring the dashboard adds now; nothing is written."""
    plants = _plants(entry, plant_id)
    manager = await async_get_manager(hass)
    # the owner's sources, the very objects the manager holds, to be passed back untouched
    sources = manager.data["energy_sources"] if manager.data else []
    current = [cast("dict[str, Any]", s) for s in sources]
    ours = {
        plant_statistic_id(pid, FLOWS["grid"][0])
        for pid in entry.runtime_data.inventory.data.plants
    }
    owner_grid = [
        str(s.get("stat_energy_from") or s.get("stat_energy_to") or s.get("stat_rate"))
        for s in current
        if s.get("type") == "grid" and s.get("stat_energy_from") not in ours
    ]
    registry = er.async_get(hass)

    def entity(pid: str, key: str) -> str | None:
        entity_id = registry.async_get_entity_id(
            Platform.SENSOR, DOMAIN, plant_entity_unique_id(pid, key)
        )
        found = registry.async_get(entity_id) if entity_id else None
        return entity_id if found is not None and not found.disabled else None

    plans = []
    for pid, name in plants.items():
        plan = PlantPlan(plant_id=pid, name=name)
        for kind in KINDS:
            stats = {plant_statistic_id(pid, f) for f in FLOWS[kind][:2] if f}
            if any(s.get("type") == kind and _stat_ids(s) & stats for s in current):
                plan.present.append(kind)
            elif kind == "grid" and owner_grid and not extra_grid:
                plan.left_out.append(kind)
            elif (power := entity(pid, FLOWS[kind][2])) is None:
                plan.missing.append(plant_entity_unique_id(pid, FLOWS[kind][2]))
            else:
                soc = entity(pid, "battery_soc") if kind == "battery" else None
                plan.add[kind] = _source(kind, pid, name, power, soc)
        plans.append(plan)
    return EnergyPlan(current=current, owner_grid=owner_grid, plants=plans)


async def async_configure(
    hass: HomeAssistant,
    entry: AtessConfigEntry,
    plant_id: str | None = None,
    *,
    extra_grid: bool = False,
) -> EnergyPlan:
    """Append the plants' sources to the dashboard; the plan that was carried out."""
    plan = await async_plan(hass, entry, plant_id, extra_grid=extra_grid)
    if plan.added:
        manager = await async_get_manager(hass)
        # the owner's sources are passed as they were: the same objects, in the same order
        await manager.async_update({"energy_sources": [*plan.current, *plan.added]})  # type: ignore[typeddict-item]
    return plan


async def async_dashboard_empty(hass: HomeAssistant) -> bool:
    """Whether the Energy dashboard has neither sources nor devices."""
    manager = await async_get_manager(hass)
    data = manager.data
    return data is None or not (data["energy_sources"] or data["device_consumption"])
