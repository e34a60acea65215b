"""Options of an ATESS entry: the plant selection and history depth; attaching and removing DataLogs.

Attaching or removing a DataLog changes the account in the cloud, not the entry's options: the
flow ends with an abort that says what was done, and reloads the entry so that the devices behind
the DataLog appear in (or leave) Home Assistant at once instead of at the next inventory.
"""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigFlowResult,
)
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
)

from .api import AtessClient, AtessError, Plant
from .compat import device_by_identifier, vol
from .const import CONF_HISTORY_DAYS, CONF_PLANTS, DEFAULT_HISTORY_DAYS, DOMAIN
from .energy_dashboard import async_configure, async_plan
from .inventory import InventoryMemory
from .onboarding import (
    CONF_DATALOG_SN,
    DATALOG_FIELDS,
    async_add_datalog,
    async_remove_datalog,
    datalog_request,
    flow_client,
    refusal,
    show_form,
)
from .plant_flow import CONF_PLANT, AtessPlantOptions, plant_selector
from .runtime import AtessConfigEntry

CONF_EXTRA_GRID = "extra_grid"
OPTIONS_MENU = [
    "plants",
    "totals",
    "plant_settings",
    "add_datalog",
    "remove_datalog",
    "energy_dashboard",
]


class AtessOptionsFlow(AtessPlantOptions):
    """Change which plants are in Home Assistant, their totals and settings, and the DataLogs."""

    def __init__(self) -> None:
        """Nothing chosen yet."""
        self._remove_sn = ""
        self._plant_of: dict[str, str] = {}

    def _client(self) -> AtessClient:
        """The loaded entry's client (it knows which routes answer), else a new one."""
        entry: AtessConfigEntry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            return entry.runtime_data.client
        return flow_client(self.hass, entry.data)

    def _selected(self, plants: list[Plant]) -> list[Plant]:
        """The entry's plants (all of the account's when the entry stores no choice)."""
        chosen = self.config_entry.options.get(CONF_PLANTS)
        return [p for p in plants if not chosen or p.plant_id in chosen]

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """What to change."""
        return self.async_show_menu(step_id="init", menu_options=OPTIONS_MENU)

    async def async_step_plants(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show the account's plants, the current selection ticked."""
        errors: dict[str, str] = {}
        if user_input is not None:
            if user_input[CONF_PLANTS]:
                return self.async_create_entry(
                    data={
                        **self.config_entry.options,
                        CONF_PLANTS: list(user_input[CONF_PLANTS]),
                        CONF_HISTORY_DAYS: int(user_input[CONF_HISTORY_DAYS]),
                    }
                )
            errors["base"] = "no_plant_selected"
        entry = self.config_entry
        try:
            plants = await self._client().async_get_plants()
        except AtessError:
            return self.async_abort(reason="cannot_connect")
        current = entry.options.get(CONF_PLANTS) or [p.plant_id for p in plants]
        return self.async_show_form(
            step_id="plants",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_PLANTS, default=current): plant_selector(plants),
                    vol.Required(
                        CONF_HISTORY_DAYS,
                        default=entry.options.get(CONF_HISTORY_DAYS, DEFAULT_HISTORY_DAYS),
                    ): NumberSelector(
                        NumberSelectorConfig(
                            min=0,
                            max=31,
                            step=1,
                            mode=NumberSelectorMode.BOX,
                            unit_of_measurement="d",
                        )
                    ),
                }
            ),
            errors=errors,
        )

    async def async_step_add_datalog(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Attach a DataLog to one of the entry's plants; the cloud's refusal shows on the form."""
        errors: dict[str, str] = {}
        placeholders = {"answer": ""}
        client = self._client()
        if user_input is not None:
            request, error = datalog_request(user_input, taken=())
            if request is None:
                errors[CONF_DATALOG_SN] = str(error)
            else:
                try:
                    await async_add_datalog(client, user_input[CONF_PLANT], request)
                except AtessError as err:
                    placeholders = refusal(err, "attach a DataLog", errors)
                else:
                    self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
                    return self.async_abort(
                        reason="datalog_added", description_placeholders={"sn": request.sn}
                    )
        try:
            plants = self._selected(await client.async_get_plants())
        except AtessError:
            return self.async_abort(reason="cannot_connect")
        if not plants:
            return self.async_abort(reason="no_plants")
        schema = vol.Schema(
            {
                vol.Required(CONF_PLANT, default=plants[0].plant_id): plant_selector(
                    plants, multiple=False
                ),
                **DATALOG_FIELDS,
            }
        )
        return show_form(self, "add_datalog", schema, user_input, errors, placeholders)

    async def async_step_remove_datalog(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Choose a DataLog of the entry's plants to remove."""
        if user_input is not None:
            self._remove_sn = user_input[CONF_DATALOG_SN]
            return await self.async_step_remove_datalog_confirm()
        client = self._client()
        try:
            self._plant_of = {
                log.sn: plant.name
                for plant in self._selected(await client.async_get_plants())
                for log in await client.async_get_datalogs(plant.plant_id)
            }
        except AtessError:
            return self.async_abort(reason="cannot_connect")
        if not self._plant_of:
            return self.async_abort(reason="no_datalogs")
        options = [
            SelectOptionDict(value=sn, label=f"{sn} ({name})")
            for sn, name in self._plant_of.items()
        ]
        return self.async_show_form(
            step_id="remove_datalog",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_DATALOG_SN): SelectSelector(
                        SelectSelectorConfig(options=options)
                    )
                }
            ),
        )

    async def _async_forget(self, sn: str) -> None:
        """A deliberate removal is not a passing error: the kept inventory lets go at once."""
        entry = self.config_entry
        if entry.state is ConfigEntryState.LOADED:
            memory = entry.runtime_data.inventory.memory
        else:
            memory = InventoryMemory(self.hass, entry.entry_id)
            await memory.async_load()
        memory.forget_datalog(sn)
        await memory.async_save()

    async def async_step_remove_datalog_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Warn that the devices behind the DataLog leave Home Assistant; remove on submit."""
        errors: dict[str, str] = {}
        answer = ""
        if user_input is not None:
            try:
                await async_remove_datalog(self._client(), self._remove_sn)
            except AtessError as err:
                answer = refusal(err, "remove a DataLog", errors)["answer"]
            else:
                await self._async_forget(self._remove_sn)
                self.hass.config_entries.async_schedule_reload(self.config_entry.entry_id)
                return self.async_abort(
                    reason="datalog_removed", description_placeholders={"sn": self._remove_sn}
                )
        devices = self._devices_behind(self._remove_sn)
        return self.async_show_form(
            step_id="remove_datalog_confirm",
            errors=errors,
            description_placeholders={
                "sn": self._remove_sn,
                "plant": self._plant_of[self._remove_sn],
                "count": str(len(devices)),
                "devices": "\n".join(f"- {name}" for name in devices),
                "answer": answer,
            },
        )

    def _devices_behind(self, sn: str) -> list[str]:
        """Names of this entry's devices registered under the DataLog."""
        registry = dr.async_get(self.hass)
        entry_id = self.config_entry.entry_id
        gateway = device_by_identifier(registry, (DOMAIN, sn), entry_id)
        if gateway is None:
            return []
        return sorted(
            device.name_by_user or device.name or device.id
            for device in dr.async_entries_for_config_entry(registry, entry_id)
            if device.via_device_id == gateway.id
        )

    async def async_step_energy_dashboard(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show what the Energy dashboard gets for each plant; add it on submit."""
        entry = self.config_entry
        if entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        extra = bool((user_input or {}).get(CONF_EXTRA_GRID, False))
        if user_input is not None:
            done = await async_configure(self.hass, entry, extra_grid=extra)
            return self.async_abort(
                reason="energy_dashboard_configured",
                description_placeholders={"count": str(len(done.added))},
            )
        plan = await async_plan(self.hass, entry)
        summary = plan.summary()
        # a grid left out is still a choice to offer; otherwise there is nothing to submit
        if not plan.added and not any(p.left_out for p in plan.plants):
            waiting = any(p.missing for p in plan.plants)
            return self.async_abort(
                reason="energy_dashboard_waiting" if waiting else "energy_dashboard_unchanged",
                description_placeholders=summary,
            )
        fields = {vol.Optional(CONF_EXTRA_GRID, default=False): bool} if plan.owner_grid else {}
        return self.async_show_form(
            step_id="energy_dashboard",
            data_schema=vol.Schema(fields),
            description_placeholders={
                **summary,
                "owner_grid": ", ".join(f"`{g}`" for g in plan.owner_grid) or "—",
            },
        )
