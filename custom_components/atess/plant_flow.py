"""Options steps of the plants themselves: their totals' sources, and their cloud settings.

Where each plant total comes from (plant_rules.py), and the plant's own settings in the cloud:
name, time zone and nominal power (the "modify Plant" operation).

Modifying a plant shows what will be sent before sending it; a refusal brings the form back
with the cloud's own message and the input kept. After a change the entry reloads, so the plant
device follows a rename at once.
"""

from __future__ import annotations

import json
from typing import Any

from homeassistant.config_entries import ConfigFlowResult, OptionsFlowWithReload
from homeassistant.const import CONF_NAME, CONF_TIME_ZONE
from homeassistant.helpers.selector import SelectOptionDict, SelectSelector, SelectSelectorConfig

from .api import AtessClient, AtessError, Plant
from .compat import vol
from .onboarding import (
    CONF_NOMINAL_POWER,
    PlantRequest,
    async_time_zones,
    plant_schema,
    refusal,
    show_form,
)
from .plant_rules import AUTO, CONF_TOTAL_SOURCES, SOURCES, Group, choice

CONF_PLANT = "plant"


def plant_selector(plants: list[Plant], *, multiple: bool = True) -> SelectSelector:
    """A select of plants by name."""
    return SelectSelector(
        SelectSelectorConfig(
            options=[
                SelectOptionDict(value=p.plant_id, label=p.name or p.plant_id) for p in plants
            ],
            multiple=multiple,
        )
    )


class AtessPlantOptions(OptionsFlowWithReload):
    """The plant steps of the options; the options flow supplies the client and the plants."""

    # blank until the plant_settings step, the only way to the steps that read them
    _plant = Plant(plant_id="", name="")
    _request = PlantRequest(name="", timezone="UTC", nominal_power_kw=0.0)

    def _client(self) -> AtessClient:
        raise NotImplementedError

    def _selected(self, plants: list[Plant]) -> list[Plant]:
        raise NotImplementedError

    async def async_step_totals(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Per flow, the devices its plant totals come from (the documented rule by default)."""
        options = self.config_entry.options
        if user_input is not None:
            sources = {group: user_input[group] for group in Group if user_input[group] != AUTO}
            return self.async_create_entry(data={**options, CONF_TOTAL_SOURCES: sources})
        schema = vol.Schema(
            {
                vol.Required(group.value, default=choice(options, group)): SelectSelector(
                    SelectSelectorConfig(
                        options=list(SOURCES[group]), translation_key=f"total_source_{group}"
                    )
                )
                for group in Group
            }
        )
        return self.async_show_form(step_id="totals", data_schema=schema)

    async def async_step_plant_settings(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Which plant to change (asked only when the entry has several)."""
        try:
            plants = self._selected(await self._client().async_get_plants())
        except AtessError:
            return self.async_abort(reason="cannot_connect")
        if not plants:
            return self.async_abort(reason="no_plants")
        if user_input is not None or len(plants) == 1:
            wanted = user_input[CONF_PLANT] if user_input else plants[0].plant_id
            self._plant = next(p for p in plants if p.plant_id == wanted)
            return await self.async_step_plant_edit()
        schema = vol.Schema({vol.Required(CONF_PLANT): plant_selector(plants, multiple=False)})
        return self.async_show_form(step_id="plant_settings", data_schema=schema)

    async def async_step_plant_edit(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """The plant's name, time zone and nominal power, as the cloud has them now."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if name := str(user_input[CONF_NAME]).strip():
                self._request = PlantRequest(
                    name=name,
                    timezone=user_input[CONF_TIME_ZONE],
                    nominal_power_kw=float(user_input[CONF_NOMINAL_POWER]),
                )
                return await self.async_step_plant_confirm()
            errors[CONF_NAME] = "name_missing"
        return await self._async_edit_form(user_input, errors, {"answer": ""})

    async def _async_edit_form(
        self, values: dict[str, Any] | None, errors: dict[str, str], placeholders: dict[str, str]
    ) -> ConfigFlowResult:
        plant = self._plant
        current: dict[str, Any] = {
            CONF_NAME: plant.name,
            CONF_TIME_ZONE: plant.timezone or self.hass.config.time_zone,
        }
        if plant.nominal_power_w:
            current[CONF_NOMINAL_POWER] = plant.nominal_power_w / 1000
        schema = plant_schema(await async_time_zones(self.hass))
        placeholders = {**placeholders, "plant": plant.name}
        return show_form(
            self, "plant_edit", schema, {**current, **(values or {})}, errors, placeholders
        )

    async def async_step_plant_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """What will change and the body that will be sent; sent on submit."""
        plant, request = self._plant, self._request
        if user_input is not None:
            try:
                await self._client().async_modify_plant(plant.plant_id, **request.body)
            except AtessError as err:
                errors: dict[str, str] = {}
                placeholders = refusal(err, "modify the plant", errors)
                return await self._async_edit_form(request.form_values, errors, placeholders)
            self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
            return self.async_abort(
                reason="plant_modified", description_placeholders={"name": request.name}
            )
        before = [
            plant.name,
            plant.timezone or "-",
            f"{plant.nominal_power_w / 1000:g} kW" if plant.nominal_power_w else "-",
        ]
        after = [request.name, request.timezone, f"{request.nominal_power_kw:g} kW"]
        lines = [
            f"- {label}: {old} → **{new}**" if old != new else f"- {label}: {new}"
            for label, old, new in zip(
                ("plantName", "timezone", "nominalPower"), before, after, strict=True
            )
        ]
        return self.async_show_form(
            step_id="plant_confirm",
            description_placeholders={
                "plant": plant.name,
                "changes": "\n".join(lines),
                "body": f"`{json.dumps(request.body, ensure_ascii=False)}`",
            },
        )
